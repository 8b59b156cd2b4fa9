#!/bin/sh
# t-cr-fullfs: a checkpoint onto a full filesystem fails cleanly.  In a
# private mount namespace, on a small tmpfs: the first checkpoint succeeds;
# the filesystem is then filled and the second fails.  The program must
# keep running (and counting), print exactly one "libckpt: " line, leave
# the previous image intact (same bytes; ckpt-inspect --verify passes; it
# restarts) and no temporary file behind; once space is freed, the next
# checkpoint succeeds.  Needs root and unshare -m; skipped otherwise.
if [ -z "${CR_FULLFS_NS:-}" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "t-cr-fullfs: SKIP: needs root to mount a tmpfs"
		exit 77
	fi
	if ! unshare -m --propagation private true 2>/dev/null; then
		echo "t-cr-fullfs: SKIP: unshare -m is not permitted here"
		exit 77
	fi
	CR_FULLFS_NS=1
	export CR_FULLFS_NS
	exec unshare -m --propagation private /bin/sh "$0" "$@"
fi
. "$srcdir/tests/cr-lib.sh"

fs=$tmp/fs
mkdir "$fs"
mount -t tmpfs -o size=16m,mode=0755 ckpt-test "$fs" 2>"$tmp/mount.msg" ||
    cr_skip "cannot mount a tmpfs: $(cat "$tmp/mount.msg")"
rm -f "$tmp/mount.msg"
CR_ATEXIT='umount -l "$fs" 2>/dev/null'
img=$fs/img.zst

cr_start prog CKPT_FILE="$img" "$TESTBIN/hello" 400
pid=$CR_PID
cr_wait_line "$tmp/prog.out" '^count 3$' "$pid"
cr_checkpoint "$pid" "$img"
cp "$img" "$tmp/saved.zst"
[ ! -s "$tmp/prog.err" ] ||
    cr_fail "first checkpoint complained: $(head -n 2 "$tmp/prog.err")"

# fill the filesystem to the last block
dd if=/dev/zero of="$fs/fill" bs=64k 2>/dev/null
dd if=/dev/zero of="$fs/fill2" bs=1 2>/dev/null
cr_say "filesystem full: $(df -k "$fs" | tail -n 1)"

kill -s USR2 "$pid" || cr_fail "pid $pid is gone"
cr_wait_line "$tmp/prog.err" '^libckpt: ' "$pid"
sleep 1		# anything more it has to say
cr_say "libckpt said: $(cat "$tmp/prog.err")"
[ "$(wc -l <"$tmp/prog.err")" -eq 1 ] ||
    cr_fail "$(wc -l <"$tmp/prog.err") lines on stderr, expected one"
cr_alive "$pid" || cr_fail "the program died after the failed checkpoint"
cr_counts "$tmp/prog.out"
cr_wait_line "$tmp/prog.out" "^count $((CR_LAST + 2))\$" "$pid"
cmp -s "$img" "$tmp/saved.zst" ||
    cr_fail "the previous image changed (or vanished) after the failure"
left=$(cd "$fs" && ls -A | grep -v -x -e img.zst -e fill -e fill2)
[ -z "$left" ] || cr_fail "left behind on the full filesystem: $left"
if [ -x "$INSPECT" ]; then
	"$INSPECT" --verify "$img" >"$tmp/verify.out" 2>&1 ||
	    cr_fail "ckpt-inspect --verify: $(tail -n 1 "$tmp/verify.out")"
	cr_say "ckpt-inspect --verify: the previous image is sound"
fi

cr_restart_bg rst "$img"
rpid=$CR_PID
cr_wait_line "$tmp/rst.out" '^count ' "$rpid"
cr_counts "$tmp/rst.out"
cr_wait_line "$tmp/rst.out" "^count $((CR_FIRST + 2))\$" "$rpid"
cr_kill "$rpid"
cr_say "the previous image restarts (counted from $CR_FIRST)"

rm -f "$fs/fill" "$fs/fill2"
cr_checkpoint "$pid" "$img"
[ "$(wc -l <"$tmp/prog.err")" -eq 1 ] ||
    cr_fail "the checkpoint after freeing space complained:" \
	"$(tail -n 1 "$tmp/prog.err")"
cr_kill "$pid"
cr_say "after freeing space the next checkpoint succeeds"
exit 0
