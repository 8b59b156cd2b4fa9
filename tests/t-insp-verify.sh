#!/bin/sh
# t-insp-verify: --verify passes an intact image (exit 0, one OK line, also
# for a file named with a newline and an escape character, shown as '?') and
# rejects copies with one byte flipped - at the start, the middle, the end
# and places between - with exit 1 and one line naming what is damaged.
# The plain report must refuse them the same way: it never prints a
# damaged image.
. "$srcdir/tests/insp-lib.sh"

make_image "$tmp/img.zst"
cd "$tmp"
"$INSPECT" --verify img.zst >out || fail "intact image: exit $?"
cat out
grep -Eq '^img\.zst: OK \([0-9]+ regions, [0-9]+ chunks verified\)$' out ||
    fail "intact image: unexpected output"

# The OK line is one line, as a refusal is, whatever the name holds: a
# newline and an escape character in it show as '?'.
odd="im
g$(printf '\033')[1m.zst"
cp img.zst "$odd"
"$INSPECT" --verify "$odd" >out || fail "intact image, odd name: exit $?"
[ "$(wc -l <out)" -eq 1 ] || fail "odd name: $(wc -l <out) lines, want 1"
grep -Eq '^im\?g\?\[1m\.zst: OK \(' out ||
    fail "odd name: unexpected output: $(cat -v out)"
rm -f "$odd"

size=$(wc -c <img.zst)
for at in 0 1 $((size / 4)) $((size / 3)) $((size / 2)) $((size * 2 / 3)) \
    $((size * 3 / 4)) $((size - 2)) $((size - 1)); do
	cp img.zst bad.zst
	flip bad.zst "$at"
	echo "byte $at of $size flipped:"
	fails_cleanly bad.zst --verify bad.zst
	fails_cleanly bad.zst bad.zst
	fails_cleanly bad.zst --json bad.zst
done

# The middle of this image is memory contents: the message must say which
# region and which chunk.
cp img.zst bad.zst
flip bad.zst $((size / 2))
"$INSPECT" --verify bad.zst 2>&1 |
    grep -Eq '^ckpt-inspect: bad\.zst: region [0-9]+.*chunk [0-9]+' ||
    fail "middle flip: message does not name a region and a chunk"
