#!/bin/sh
# t-real-timers: the process's timers come back: setitimer's, and
# timer_create's signalling the process, run in a glibc thread, or silent,
# each under its old timer_t with the time it had left.  The kernel drops
# them with the process; before, the restored program's alarms never came.
. "$srcdir/tests/cr-lib.sh"

img=$tmp/p.zst
cr_start p0 CKPT_FILE="$img" "$TESTBIN/rtimers" "$tmp/go"
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
