#!/bin/sh
# t-real-fdmany: a program with many descriptors, one of them near its
# open-file limit, and /dev/null.  restart prepares every descriptor above
# the highest the image uses, so it needs about twice that many; it used
# to fail under the same soft limit as the program's with exit status 1
# and no message.  Now:
#  - under the program's own soft limit (ulimit -Sn 1100, descriptors up
#    to 1050) restart raises its soft limit within the hard one; the
#    program must find all 521 descriptors at their offsets and /dev/null
#    writable, with nothing on restart's stderr;
#  - under a hard limit too low for that (ulimit -Hn 1200) restart must
#    refuse in one line naming the limit, and the program must not run;
#  - as root, in a mount namespace whose /dev is a fresh tmpfs: a new
#    /dev/null node (another inode, as after a reboot or in a container)
#    is accepted, a regular file in its place is refused.
. "$srcdir/tests/cr-lib.sh"

img=$tmp/f.zst
yes 0123456789 | tr -d '\n' | head -c 100000 >"$tmp/data"
[ -s "$tmp/data" ] || cr_error "cannot write $tmp/data"
[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 2000 ] ||
    cr_error "hard open-file limit $(ulimit -Hn) below 2000"
ulimit -Sn 1100 || cr_error "cannot set ulimit -Sn 1100"

cr_start f0 CKPT_FILE="$img" "$TESTBIN/rfdmany" "$tmp/data" 520 1050 \
    "$tmp/go"
pid=$CR_PID
cr_wait_line "$tmp/f0.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
cr_quiet f0

# hard limit too low: refused in one line, the program does not run
st=0
(ulimit -Hn 1200 && timeout -k 5 30 "$CR_RUN" "$RESTART" "$img") \
    >"$tmp/low.out" 2>"$tmp/low.err" </dev/null || st=$?
[ "$st" -eq 1 ] || cr_fail "restart under ulimit -Hn 1200: exit $st"
[ ! -s "$tmp/low.out" ] ||
    cr_fail "the program ran under ulimit -Hn 1200: $(head -n 1 "$tmp/low.out")"
[ "$(wc -l <"$tmp/low.err")" -eq 1 ] &&
    grep -q "^restart: $img: .*hard limit of 1200" "$tmp/low.err" ||
    cr_fail "restart under ulimit -Hn 1200 said: $(cat "$tmp/low.err")"

# the program's own soft limit: restart makes room
: >"$tmp/go"
st=0
timeout -k 5 60 "$CR_RUN" "$RESTART" "$img" >"$tmp/f1.out" \
    2>"$tmp/f1.err" </dev/null || st=$?
cr_expect_pass f1 "$st"
[ ! -s "$tmp/f1.err" ] || cr_fail "restart said: $(head -n 2 "$tmp/f1.err")"

st=0
if [ "$(id -u)" -ne 0 ] || ! unshare -m true 2>/dev/null; then
	cr_say "not root: a replaced /dev/null not tried"
	exit 0
fi
unshare -m sh -c 'mount -t tmpfs none /dev && mknod -m 666 /dev/null c 1 3 &&
    exec timeout -k 5 60 "$0" "$@"' "$CR_RUN" "$RESTART" "$img" \
    >"$tmp/f2.out" 2>"$tmp/f2.err" </dev/null || st=$?
cr_expect_pass f2 "$st"
st=0
unshare -m sh -c 'mount -t tmpfs none /dev && : >/dev/null &&
    exec timeout -k 5 60 "$0" "$@"' "$CR_RUN" "$RESTART" "$img" \
    >"$tmp/f3.out" 2>"$tmp/f3.err" </dev/null || st=$?
[ "$st" -eq 1 ] && [ ! -s "$tmp/f3.out" ] &&
    grep -q "/dev/null is no longer a character device" "$tmp/f3.err" ||
    cr_fail "/dev/null a regular file: exit $st," \
	"$(head -n 1 "$tmp/f3.out") $(cat "$tmp/f3.err")"
cr_say "521 descriptors up to 1050 restored under ulimit -Sn 1100;" \
    "refused under -Hn 1200; a new /dev/null node accepted"
exit 0
