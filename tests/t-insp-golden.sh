#!/bin/sh
# t-insp-golden: ckpt-inspect's text and JSON reports on mkimage's image
# must match tests/golden/ byte for byte.  Stored sizes depend on the
# libzstd that compressed the image, so a mismatch under a libzstd other
# than the one the golden files were made with is a skip, not a failure.
. "$srcdir/tests/insp-lib.sh"

make_image "$tmp/img.zst"
"$INSPECT" "$tmp/img.zst" >"$tmp/inspect.txt" || fail "ckpt-inspect exit $?"
"$INSPECT" --json "$tmp/img.zst" >"$tmp/inspect.json" ||
    fail "ckpt-inspect --json exit $?"

status=0
for f in inspect.txt inspect.json; do
	diff -u "$srcdir/tests/golden/$f" "$tmp/$f" || status=1
done
if [ "$status" -ne 0 ]; then
	want=$(cat "$srcdir/tests/golden/zstd-version")
	have=$("$TESTBIN/insp-zstd-version")
	if [ "$want" != "$have" ]; then
		echo "SKIP: golden files made with libzstd $want, this is $have"
		exit 77
	fi
	fail "output differs from tests/golden (libzstd $have)"
fi
