#!/bin/sh
# t-real-sighandlers: a program's own SA_SIGINFO|SA_ONSTACK handlers, its
# sigaltstack and its signal mask survive a checkpoint taken while one of
# its handlers runs on the alternate stack: after restart that handler is
# still on it and returns, and signals raised, queued, sent by this test
# and sent by a timer run their handlers on the alternate stack with the
# right siginfo (rsighand checks each).
. "$srcdir/tests/cr-lib.sh"

img=$tmp/h.zst
cr_start h0 CKPT_FILE="$img" "$TESTBIN/rsighand"
pid=$CR_PID
cr_wait_line "$tmp/h0.out" '^in handler$' "$pid"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
cr_restart_bg h1 "$img"
pid=$CR_PID
cr_wait_line "$tmp/h1.out" '^handler resumed$' "$pid"
cr_wait_line "$tmp/h1.out" '^send USR1$' "$pid"
kill -USR1 "$pid" || cr_fail "cannot send SIGUSR1 to $pid"
cr_wait_exit "$pid" 30
cr_expect_pass h1 "$CR_STATUS"
exit 0
