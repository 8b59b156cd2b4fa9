#!/bin/sh
# t-cr-damaged: restart refuses a damaged image before running anything.
# A real image (hello, checkpointed) gets single bit flips at many offsets
# (fixed ones in the header, the start, the end, and random ones) and is
# truncated at many lengths; non-images (empty, text, a plain zstd file, a
# directory, a missing file) are tried too.  Each time restart must exit
# with status exactly 1 (no crash signal, no timeout), print nothing on
# stdout (the program did not run) and exactly one line on stderr,
# "restart: FILE: what".  The undamaged image restarts fine (control).
. "$srcdir/tests/cr-lib.sh"

cr_start orig CKPT_FILE="$tmp/img.zst" "$TESTBIN/hello" 12
pid=$CR_PID
cr_wait_line "$tmp/orig.out" '^count 2$' "$pid"
cr_checkpoint "$pid" "$tmp/img.zst"
cr_kill "$pid"
size=$(wc -c <"$tmp/img.zst")

cr_restart control 30 "$tmp/img.zst"
[ "$CR_STATUS" -eq 0 ] && tail -n 1 "$tmp/control.out" | grep -q '^done$' ||
    cr_fail "the undamaged image does not restart (exit $CR_STATUS" \
	"$(cr_sig_name "$CR_STATUS")): this test would prove nothing"
rm -f "$tmp/control.out" "$tmp/control.err"

nbad=0
ncase=0
# refused FILE WHAT: restart FILE must fail cleanly.
refused() {
	ncase=$((ncase + 1))
	cr_refused "$1"
	if [ -n "$CR_WHY" ]; then
		nbad=$((nbad + 1))
		cr_say "NOT REFUSED: $2: $CR_WHY"
		head -n 3 "$tmp/case.err" | sed 's/^/    stderr: /'
	else
		cr_say "refused: $2: $(cut -c1-100 "$tmp/case.err")"
	fi
}

offsets="0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 20 24 28 32 40 48 56 64
    80 96 128 200 256 512 1024 4096"
offsets="$offsets $((size / 4)) $((size / 3)) $((size / 2)) $((size * 2 / 3))
    $((size * 3 / 4)) $((size - 64)) $((size - 40)) $((size - 32))
    $((size - 24)) $((size - 16)) $((size - 12)) $((size - 8)) $((size - 4))
    $((size - 2)) $((size - 1))"
for k in 1 2 3 4 5 6 7 8 9 10 11 12; do
	offsets="$offsets $(cr_random 0 $((size - 1)))"
done
bit=0
for off in $offsets; do
	[ "$off" -ge 0 ] && [ "$off" -lt "$size" ] || continue
	cp "$tmp/img.zst" "$tmp/flip.zst"
	cr_flip "$tmp/flip.zst" "$off" "$bit"
	refused "$tmp/flip.zst" "bit $bit flipped at offset $off of $size"
	bit=$(((bit + 3) % 8))
done

for len in 0 1 4 7 8 12 16 32 64 100 512 1000 4096 $((size / 2)) \
    $((size - 100)) $((size - 17)) $((size - 16)) $((size - 8)) \
    $((size - 1)) $(cr_random 1 $((size - 1))) $(cr_random 1 $((size - 1))); do
	[ "$len" -ge 0 ] && [ "$len" -lt "$size" ] || continue
	head -c "$len" "$tmp/img.zst" >"$tmp/trunc.zst"
	refused "$tmp/trunc.zst" "truncated to $len of $size bytes"
done

printf 'this is not a checkpoint image\n' >"$tmp/text.zst"
refused "$tmp/text.zst" "a text file"
printf 'count 1\ncount 2\n' | zstd -q -c >"$tmp/plain.zst" 2>/dev/null &&
    refused "$tmp/plain.zst" "a plain zstd file"
mkdir "$tmp/dir.zst"
refused "$tmp/dir.zst" "a directory"
refused "$tmp/missing.zst" "a missing file"
# the image with 4 kB of junk appended
{ cat "$tmp/img.zst"; head -c 4096 /dev/urandom; } >"$tmp/junk.zst"
refused "$tmp/junk.zst" "junk appended"

[ "$nbad" -eq 0 ] || cr_fail "$nbad of $ncase damaged files not refused" \
    "cleanly (see NOT REFUSED above)"
cr_say "all $ncase damaged files refused with status 1 and one line"
exit 0
