#!/bin/sh
# t-insp-not-ckpt: files that are not ckpt images - text, empty, binary
# noise, a plain zstd stream, a truncated image, a directory, a FIFO with
# no writer (which must not hang), /proc/self/maps - each get
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
# a FIFO no one writes to: refused at once, not waited on for a writer
mkfifo fifo.zst
printf '#!/bin/sh\nexec timeout 10 "%s" "$@"\n' "$INSPECT" >inspect10
chmod +x inspect10
INSPECT=$tmp/inspect10
files="$files fifo.zst"
for f in $files; do
	fails_cleanly "$f" "$f"
	fails_cleanly "$f" --json "$f"
	fails_cleanly "$f" --verify "$f"
done
grep -qx "ckpt-inspect: fifo.zst: empty, not a ckpt image" "$tmp/err" ||
    fail "a FIFO without a writer: $(cat "$tmp/err")"
fails_cleanly empty empty
grep -qx "ckpt-inspect: empty: empty, not a ckpt image" "$tmp/err" ||
    fail "an empty file: $(cat "$tmp/err")"
# a file in /proc has contents but a size of 0: read, not called empty
fails_cleanly /proc/self/maps /proc/self/maps
grep -qx "ckpt-inspect: /proc/self/maps: not a ckpt image" "$tmp/err" ||
    fail "/proc/self/maps: $(cat "$tmp/err")"
