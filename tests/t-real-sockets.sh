#!/bin/sh
# t-real-sockets: listening, bound, connected datagram and idle Internet
# and Unix sockets come back as they were (rsock.c), past a TIME_WAIT on
# the listening port and a stale Unix socket file; while the restored
# program still holds those addresses, a second restart of the image warns
# for each, naming the address, and runs on without them.
. "$srcdir/tests/cr-lib.sh"

mkdir "$tmp/d"
cr_ready_ckpt "$TESTBIN/rsock" "$tmp/d"
[ -S "$tmp/d/sock" ] || cr_error "no stale socket file left by the kill"
"$INSPECT" "$cr_img" | grep -q "tcp 127.0.0.1:[0-9]* listening" ||
    cr_fail "ckpt-inspect does not show the listening socket"

cr_restart_bg p1 "$cr_img"
first=$CR_PID
cr_wait_line "$tmp/p1.out" "^resumed pid $first\$" "$first"
cr_restart_bg p2 "$cr_img"
cr_wait_line "$tmp/p2.out" "^resumed pid $CR_PID\$" "$CR_PID"
cr_kill "$CR_PID"
for fd in 40 41 42 43; do
	grep -Eq "^restart: $cr_img: warning: fd $fd \\(socket:\\[[0-9]+\\]\\) cannot be restored \\(bind (127\\.0\\.0\\.1|\\[::1\\]):[0-9]+: Address already in use\\); it now fails on use\$" "$tmp/p2.err" ||
	    cr_fail "no warning for fd $fd in use: $(cat "$tmp/p2.err")"
done
grep -q "warning: fd 44 (socket:\[[0-9]*\]) cannot be restored (bind $tmp/d/sock: Address already in use)" "$tmp/p2.err" ||
    cr_fail "no warning for the Unix socket in use: $(cat "$tmp/p2.err")"

CR_PID=$first
: >"$tmp/go"
cr_wait_exit "$CR_PID" 30
cr_expect_pass p1 "$CR_STATUS"
exit 0
