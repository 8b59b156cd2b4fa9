#!/bin/sh
# t-real-pipes-dup: a pipe whose read end the process holds twice (dup'ed,
# as a shell's dup2 onto stdin leaves it) comes back with its unread
# bytes once, not once per read descriptor.  Otherwise as t-real-pipes.
. "$srcdir/tests/cr-lib.sh"

img=$tmp/p.zst
cr_start p0 CKPT_FILE="$img" "$TESTBIN/rpipes" --dup "$tmp/go"
pid=$CR_PID
cr_wait_line "$tmp/p0.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
cr_restart_bg p1 "$img"
pid=$CR_PID
cr_wait_line "$tmp/p1.out" "^resumed pid $pid\$" "$pid"
: >"$tmp/go"
cr_wait_exit "$pid" 30
cr_expect_pass p1 "$CR_STATUS" \
    "^restart: $img: warning: fd 4[0-5] \((pipe|socket):\[[0-9]+\]\) cannot be restored; it now fails on use\$"
exit 0
