#!/bin/sh
# t-real-pipes: pipes whose both ends the process holds come back with
# their unread bytes intact (40000 bytes, a non-blocking read end; 1000
# bytes; an empty pipe), while a pipe to another process (either end), a
# socket to another process, a datagram socket pair with a message waiting
# (both ends) and a netlink socket come back as descriptors on which
# read and write fail.  ckpt-inspect lists exactly those six as not
# restorable and restart warns about exactly those six, and nothing else.
. "$srcdir/tests/cr-lib.sh"

img=$tmp/p.zst
cr_start p0 CKPT_FILE="$img" "$TESTBIN/rpipes" "$tmp/go"
pid=$CR_PID
cr_wait_line "$tmp/p0.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"

if [ -n "$INSPECT" ]; then
	"$INSPECT" "$img" >"$tmp/inspect.out" 2>&1 ||
	    cr_fail "ckpt-inspect $img failed"
	got=$(sed -n 's/^\([0-9][0-9]*\) .*(not restorable)$/\1/p' \
	    "$tmp/inspect.out" | tr '\n' ' ')
	[ "$got" = "40 41 42 43 44 45 " ] ||
	    cr_fail "ckpt-inspect lists as not restorable: '$got'," \
		"want '40 41 42 43 44 45 '"
	# with the end it is
	for fe in 30:read 31:write 32:read 33:write 35:read 36:write; do
		fd=${fe%:*} end=${fe#*:}
		grep -q "^$fd  *pipe .*pipe:\[[0-9]*\], $end end\$" \
		    "$tmp/inspect.out" ||
		    cr_fail "ckpt-inspect does not list fd $fd as a" \
			"restorable pipe's $end end"
	done
fi

cr_restart_bg p1 "$img"
pid=$CR_PID
cr_wait_line "$tmp/p1.out" "^resumed pid $pid\$" "$pid"
: >"$tmp/go"
cr_wait_exit "$pid" 30
warn="^restart: $img: warning: fd (4[0-5]) \((pipe|socket):\[[0-9]+\]\) cannot be restored; it now fails on use\$"
cr_expect_pass p1 "$CR_STATUS" "$warn"
got=$(grep -E "$warn" "$tmp/p1.err" |
    sed 's/.*warning: fd \([0-9]*\) .*/\1/' | tr '\n' ' ')
[ "$got" = "40 41 42 43 44 45 " ] ||
    cr_fail "restart warned about fds '$got', want '40 41 42 43 44 45 '"

# restart --verbose names every descriptor it makes, both ends of a pipe
cr_restart_bg p2 --verbose "$img"
cr_wait_exit "$CR_PID" 30
[ "$CR_STATUS" -eq 0 ] ||
    cr_fail "restart --verbose: exit $CR_STATUS: $(tail -n 1 "$tmp/p2.err")"
got=$(sed -n 's/^restart: \[[0-9.]*\] fd \([0-9]*\): .*/\1/p' "$tmp/p2.err" |
    sort -n | tr '\n' ' ')
want=$(sed -n '/^file descriptors:/,$ s/^\([0-9][0-9]*\)  .*/\1/p' \
    "$tmp/inspect.out" |
    awk '$1 > 2' | sort -n | tr '\n' ' ')
[ -n "$INSPECT" ] || want=$got
[ "$got" = "$want" ] ||
    cr_fail "restart --verbose lists fds '$got', want '$want'"
cr_say "restart --verbose lists fds $got"
exit 0
