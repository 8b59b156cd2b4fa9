#!/bin/sh
# t-cr-noproc: a program whose checkpoint cannot see /proc (a container or
# chroot without it mounted) gets one line saying what could not be read,
# not a false one.  libckpt lists the threads to stop in /proc/self/task;
# a failure to open it was taken for "more than 1024 threads".  Run in a
# mount namespace whose /proc is unmounted (root only): the signal gets
# exactly one line naming /proc/self/task, the program counts on, and no
# image appears.
. "$srcdir/tests/cr-lib.sh"

if [ "$(id -u)" -ne 0 ] || ! unshare -m true 2>/dev/null; then
	cr_skip "needs root and unshare -m to hide /proc"
fi
img=$tmp/np.zst
unshare -m sh -c 'umount -l /proc && exec "$@"' sh "$CR_RUN" env \
    LD_PRELOAD="$LIBCKPT" CKPT_FILE="$img" "$TESTBIN/hello" 400 \
    >"$tmp/np.out" 2>"$tmp/np.err" </dev/null &
pid=$!
cr_pids="$cr_pids $pid"
cr_wait_line "$tmp/np.out" '^count 2$' "$pid"
kill -s USR2 "$pid" || cr_fail "pid $pid is gone"
cr_wait_line "$tmp/np.err" '^libckpt: ' "$pid"
n=$(sed -n 's/^count //p' "$tmp/np.out" | tail -n 1)
cr_wait_line "$tmp/np.out" "^count $((n + 3))\$" "$pid" 10
[ "$(wc -l <"$tmp/np.err")" -eq 1 ] ||
    cr_fail "$(wc -l <"$tmp/np.err") lines on stderr"
grep -q '^libckpt: checkpoint not written: .*/proc/self/task' \
    "$tmp/np.err" || cr_fail "the line does not name /proc/self/task:" \
	"$(cat "$tmp/np.err")"
[ ! -e "$img" ] || cr_fail "an image appeared"
cr_say "$(cat "$tmp/np.err")"
cr_kill "$pid"
exit 0
