#!/bin/sh
# t-insp-not-ckpt: files that are not ckpt images - text, empty, binary
# noise, a plain zstd stream, a truncated image, a directory - each get
# exit 1 and exactly one line on stderr, in every mode.
. "$srcdir/tests/insp-lib.sh"

cd "$tmp"
printf 'just some text\nover two lines\n' >text.txt
: >empty
awk 'BEGIN { for (i = 0; i < 5000; i++) printf "%c", (i * 7919) % 251 + 1 }' \
    </dev/null >noise.bin
make_image img.zst
head -c "$(($(wc -c <img.zst) / 2))" img.zst >half.zst
head -c 7 img.zst >seven.zst
mkdir dir.zst
files="text.txt empty noise.bin half.zst seven.zst dir.zst"
if command -v zstd >/dev/null 2>&1; then
	zstd -q -c text.txt >plain.zst
	files="$files plain.zst"
fi
for f in $files; do
	fails_cleanly "$f" "$f"
	fails_cleanly "$f" --json "$f"
	fails_cleanly "$f" --verify "$f"
done
