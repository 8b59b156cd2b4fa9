#!/bin/sh
# t-real-locks: a program's file locks (flock, a POSIX record lock, an
# open-file-description lock) are held again after restart, as another
# process sees them, also behind 100 other open files (libckpt finds locks
# past its 64th file through /proc/locks); and restart refuses, with one
# line and nothing run, while another process holds a lock the program
# needs.
. "$srcdir/tests/cr-lib.sh"

command -v flock >/dev/null 2>&1 || cr_skip "no flock(1)"
mkdir "$tmp/d"
cr_ready_ckpt "$TESTBIN/rlocks" "$tmp/d"

# someone else takes the flock first: restart must refuse
# (flock(1) runs the command as its child, which holds the lock too)
flock -n "$tmp/d/a" sh -c 'echo $$ >"$1"; exec sleep 30' sh "$tmp/sleeper" &
holder=$!
i=0
while [ ! -s "$tmp/sleeper" ] && [ "$i" -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
[ -s "$tmp/sleeper" ] || cr_error "flock(1) did not take the lock"
"$RESTART" "$cr_img" >"$tmp/r.out" 2>"$tmp/r.err" </dev/null
st=$?
kill "$(cat "$tmp/sleeper")" "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
[ "$st" -eq 1 ] || cr_fail "restart with the lock held elsewhere: exit $st"
[ "$(wc -l <"$tmp/r.err")" -eq 1 ] &&
    grep -q "fd [0-9]*: $tmp/d/a: cannot take its flock again: another process holds the file locked" "$tmp/r.err" ||
    cr_fail "restart with the lock held elsewhere said: $(cat "$tmp/r.err")"
[ ! -s "$tmp/r.out" ] || cr_fail "the program ran: $(head -n 2 "$tmp/r.out")"

cr_go_pass

# behind 100 files
rm -rf "$tmp/d" "$tmp/go"
mkdir "$tmp/d"
cr_ready_ckpt RLOCKS_PAD=100 "$TESTBIN/rlocks" "$tmp/d"
cr_go_pass
exit 0
