#!/bin/sh
# t-real-pending: signals pending at the checkpoint (blocked, not yet
# delivered) are pending again after restart: one for the process
# (SIGUSR1) and two for one thread (SIGWINCH, SIGRTMIN+3), each for the
# same thread as before, each delivered once when unblocked.  The kernel
# forgets them with the process; before, the restored program found none.
. "$srcdir/tests/cr-lib.sh"

img=$tmp/p.zst
cr_start p0 CKPT_FILE="$img" "$TESTBIN/rpending" "$tmp/go"
pid=$CR_PID
cr_wait_line "$tmp/p0.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
cr_quiet p0
cr_restart_bg p1 "$img"
pid=$CR_PID
cr_wait_line "$tmp/p1.out" "^resumed pid $pid\$" "$pid"
: >"$tmp/go"
cr_wait_exit "$pid" 30
cr_expect_pass p1 "$CR_STATUS"
exit 0
