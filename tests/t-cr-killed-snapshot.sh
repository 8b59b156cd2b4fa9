#!/bin/sh
# t-cr-killed-snapshot: a snapshot killed while it writes (SIGKILL, as the
# OOM killer sends) loses nothing and leaves nothing behind for long.
#  1. The old image stays byte for byte; the temporary file it left
#     (.img.zst.tmp.PID) is there.  The next checkpoint of that program
#     says in one line that the previous one was not written, names the
#     signal, writes its image and leaves no temporary file.
#  2. A temporary file left by a program that is gone (another pid) is
#     removed by the next checkpoint of a new program with the same
#     CKPT_FILE.  It used to stay for ever.
#  3. A temporary file being written by a live snapshot (of another
#     program with the same CKPT_FILE, slowed by CKPT_LEVEL=19) is left
#     alone: that snapshot renames it into place.
. "$srcdir/tests/cr-lib.sh"

img=$tmp/img.zst

# snapshot_of PID: the pid of PID's running snapshot, once its temporary
# file is there; empty if it did not show within 20 s.
snapshot_of() {
	i=0
	while [ "$i" -lt 400 ]; do
		for c in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
			[ "$(awk '{ print $3 }' "/proc/$c/stat" 2>/dev/null)" != Z ] &&
			    [ -e "$tmp/.img.zst.tmp.$1" ] && { echo "$c"; return; }
		done
		i=$((i + 1))
		sleep 0.05
	done
}
# tmps: the temporary files beside the image
tmps() {
	ls -A "$tmp" | grep '^\.img\.zst\.tmp\.' || true
}

# 1. killed mid-write; the same program checkpoints again
cr_start one CKPT_VERBOSE=1 CKPT_LEVEL=19 CKPT_FILE="$img" \
    "$TESTBIN/bench-mem" 16 text "$tmp/raw"
pid=$CR_PID
cr_wait_line "$tmp/one.out" '^ready ' "$pid" 60
# an earlier image (only an image or an empty file is ever replaced)
cp "$srcdir/tests/corpus/small.zst" "$img" || cr_error "cannot copy an image"
kill -USR2 "$pid"
snap=$(snapshot_of "$pid")
[ -n "$snap" ] || cr_error "no snapshot writing a temporary file"
kill -9 "$snap"
cr_say "killed snapshot $snap of pid $pid"
sleep 0.5
cmp -s "$srcdir/tests/corpus/small.zst" "$img" ||
    cr_fail "the old image changed when its snapshot was killed"
[ "$(tmps)" = ".img.zst.tmp.$pid" ] ||
    cr_error "no temporary file left to clean up: $(tmps)"
cr_alive "$pid" || cr_fail "the program died with its snapshot"
: >"$tmp/one.err"
CKPT_LEVEL=1 cr_checkpoint "$pid" "$img"
cr_wait_line "$tmp/one.err" 'checkpoint written' "$pid"
grep -qx "libckpt: $img: previous checkpoint not written: its snapshot was killed by signal 9" \
    "$tmp/one.err" ||
    cr_fail "the next checkpoint does not say the previous one was not" \
	"written: $(cat "$tmp/one.err")"
[ "$(wc -l <"$tmp/one.err")" -eq 2 ] ||
    cr_fail "more than that line and the checkpoint's: $(cat "$tmp/one.err")"
[ -z "$(tmps)" ] || cr_fail "a temporary file is left: $(tmps)"
cr_kill "$pid"

# 2. killed with its program; a new program checkpoints to the same file
cr_start two CKPT_LEVEL=19 CKPT_FILE="$img" "$TESTBIN/bench-mem" 16 text \
    "$tmp/raw"
pid=$CR_PID
cr_wait_line "$tmp/two.out" '^ready ' "$pid" 60
kill -USR2 "$pid"
snap=$(snapshot_of "$pid")
[ -n "$snap" ] || cr_error "no snapshot writing a temporary file"
kill -9 "$snap" "$pid"
cr_wait_exit "$pid" 10
sleep 0.5
[ "$(tmps)" = ".img.zst.tmp.$pid" ] ||
    cr_error "no temporary file left to clean up: $(tmps)"
cr_start new CKPT_FILE="$img" "$TESTBIN/hello" 500
pid=$CR_PID
cr_wait_line "$tmp/new.out" '^count 2$' "$pid"
cr_checkpoint "$pid" "$img"
i=0
while [ -n "$(tmps)" ] && [ "$i" -lt 100 ]; do
	i=$((i + 1))
	sleep 0.05
done
[ -z "$(tmps)" ] ||
    cr_fail "a dead program's temporary file is still there: $(tmps)"
cr_kill "$pid"

# 3. a slow snapshot writing; another program checkpoints meanwhile
rm -f "$img"
cr_start slow CKPT_VERBOSE=1 CKPT_LEVEL=19 CKPT_FILE="$img" \
    "$TESTBIN/bench-mem" 16 text "$tmp/raw"
slow=$CR_PID
cr_wait_line "$tmp/slow.out" '^ready ' "$slow" 60
cr_start fast CKPT_VERBOSE=1 CKPT_FILE="$img" "$TESTBIN/hello" 500
fast=$CR_PID
cr_wait_line "$tmp/fast.out" '^count 2$' "$fast"
kill -USR2 "$slow"
snap=$(snapshot_of "$slow")
[ -n "$snap" ] || cr_error "no snapshot writing a temporary file"
kill -USR2 "$fast"
cr_wait_line "$tmp/fast.err" 'checkpoint written' "$fast"
cr_alive "$snap" ||
    cr_error "the slow snapshot ended before the fast one: this proves" \
	"nothing"
cr_wait_line "$tmp/slow.err" 'checkpoint written|libckpt' "$slow" 120
grep -q "^libckpt: $img: checkpoint written" "$tmp/slow.err" ||
    cr_fail "a live snapshot's temporary file was removed: $(cat "$tmp/slow.err")"
[ -z "$(tmps)" ] || cr_fail "a temporary file is left: $(tmps)"
"$INSPECT" "$img" | grep -q "bench-mem" ||
    cr_fail "the image is not the slow program's"
cr_kill "$slow"
cr_kill "$fast"
exit 0
