#!/bin/sh
# t-rst-shrink: an image truncated while restart reads it gets exit 1 and
# one line, "restart: IMG: file shrank from N to M bytes while being read",
# and the program does not run.  restart reads the image's records through
# its mapping, and used to die of SIGBUS, without a word, when a page was
# no longer in the file (a user's cp or a new checkpoint over it, made in
# place); a cut found by the workers' reads was called damage.
#
# As in t-insp-shrink, the race is not raced: tests/insp-shrink.so,
# preloaded into restart, truncates the file right after restart mapped
# it, or when the first decompressor is made (after the structure and the
# regions were read, while the chunks are walked and staged).  Without the
# fix the cut at "map" dies of SIGBUS and the others name damage.  The
# same image, not cut, restarts under the shim (control).
. "$srcdir/tests/cr-lib.sh"


cr_start orig CKPT_FILE="$tmp/img.zst" "$TESTBIN/bench-mem" 8 text "$tmp/raw"
pid=$CR_PID
cr_wait_line "$tmp/orig.out" '^ready ' "$pid" 60
cr_checkpoint "$pid" "$tmp/img.zst"
cr_kill "$pid"
rm -f "$tmp/raw"
size=$(wc -c <"$tmp/img.zst")

cr_restart_preload "$TESTBIN/.libs/insp-shrink.so"

nbad=0
# shrinks AT TO: a fresh copy, cut to TO bytes at AT, restarted.
shrinks() {
	cp "$tmp/img.zst" "$tmp/cut.zst"
	INSP_SHRINK_FILE=$tmp/cut.zst INSP_SHRINK_TO=$2 INSP_SHRINK_AT=$1
	export INSP_SHRINK_FILE INSP_SHRINK_TO INSP_SHRINK_AT
	cr_refused "$tmp/cut.zst"
	unset INSP_SHRINK_FILE INSP_SHRINK_TO INSP_SHRINK_AT
	[ "$(wc -c <"$tmp/cut.zst")" -eq "$2" ] ||
	    cr_error "the shim did not cut the file at $1"
	want="restart: $tmp/cut.zst: file shrank from $size to $2 bytes while being read"
	if [ -z "$CR_WHY" ] && ! grep -qxF "$want" "$tmp/case.err"; then
		CR_WHY="not \"$want\": $(cat "$tmp/case.err")"
	fi
	if [ -n "$CR_WHY" ]; then
		nbad=$((nbad + 1))
		cr_say "NOT REFUSED AS SHRUNK: cut to $2 at $1: $CR_WHY"
	else
		cr_say "refused: cut to $2 at $1"
	fi
}

# the trailer and index gone before they are read: SIGBUS
shrinks map $((size / 2))
shrinks map 0
# only the last bytes gone: the rest of their page reads as zeros, which
# the reader takes for damage
shrinks map $((size - 10))
# the chunks gone while they are walked and decompressed
shrinks verify $((size / 2))
shrinks verify 4096

[ "$nbad" -eq 0 ] || cr_fail "$nbad cut images not refused as shrunk"

# not cut, the shim changes nothing
cr_restart control 60 "$tmp/img.zst"
[ "$CR_STATUS" -eq 0 ] && grep -q '^verified$' "$tmp/control.out" ||
    cr_fail "the image does not restart under the shim (exit $CR_STATUS):" \
	"this test would prove nothing"
exit 0
