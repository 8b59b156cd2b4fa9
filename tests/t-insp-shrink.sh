#!/bin/sh
# t-insp-shrink: an image truncated while ckpt-inspect has it mapped gets
# exit 1 and one line, "ckpt-inspect: IMG: file shrank from N to M bytes
# while being read", in every mode; ckpt-inspect used to die of SIGBUS
# (exit 135) reading a page the file no longer had.
#
# The user's race - truncate a 300 MB image 50 ms after starting
# --verify - kills it three runs in four; on mkimage's small image it
# would finish before any truncate could land, and a large image makes
# a test slow and still at the mercy of the scheduler (a run that reads
# the file before the truncate passes, bug or not).  So the race is not
# raced: tests/insp-shrink.so, preloaded, truncates the file from inside
# ckpt-inspect at a fixed point - right after it mapped the file, or when
# --verify creates its zstd context after the structure validated - and
# every run meets the shrink at the same place.  Without the fix each of
# the cases below dies of SIGBUS or (cut within the last page, read as
# zeros) names damage instead of the shrink.
. "$srcdir/tests/insp-lib.sh"

shim="$TESTBIN/.libs/insp-shrink.so"
[ -f "$shim" ] || hard_error "$shim not built"
cd "$tmp"
make_image img.zst
size=$(wc -c <img.zst)

# Only ckpt-inspect gets the shim: grep or wc mapping a file must not
# trigger it.
cat >shrinking <<EOS
#!/bin/sh
LD_PRELOAD='$shim' exec '$INSPECT' "\$@"
EOS
chmod +x shrinking

# shrinks AT TO MODE: a fresh copy, cut to TO bytes at AT, inspected.
shrinks() {
	cp img.zst cut.zst
	echo "cut to $2 bytes at $1:"
	INSP_SHRINK_FILE=cut.zst INSP_SHRINK_TO=$2 INSP_SHRINK_AT=$1
	export INSP_SHRINK_FILE INSP_SHRINK_TO INSP_SHRINK_AT
	# shellcheck disable=SC2086
	INSPECT=./shrinking fails_cleanly cut.zst $3 cut.zst
	unset INSP_SHRINK_FILE INSP_SHRINK_TO INSP_SHRINK_AT
	[ "$(wc -c <cut.zst)" -eq "$2" ] ||
	    hard_error "the shim did not cut the file at $1"
	grep -qx "ckpt-inspect: cut.zst: file shrank from $size to $2 bytes while being read" \
	    "$tmp/err" || fail "cut at $1 to $2 ($3): message does not say it shrank"
}

for mode in "" --json --verify; do
	# the trailer and index gone: SIGBUS while validating
	shrinks map $((size / 2)) "$mode"
	shrinks map 0 "$mode"
	# only the last bytes gone: the rest of their page reads as zeros,
	# which the library takes for damage
	shrinks map $((size - 10)) "$mode"
done
# the chunks gone after the structure validated: SIGBUS decompressing
shrinks verify $((size / 2)) --verify
shrinks verify 4096 --verify

# Unshrunk, the shim changes nothing.
./shrinking --verify img.zst >out || fail "intact image under the shim: exit $?"
