#!/bin/sh
# t-rst-pages: restart refuses a real image whose PAGES record (format 2.0,
# scattered pages) is damaged in a way every checksum agrees with: the
# first page not at the chunk's offset, the list not increasing, the last
# page past its region, npages not what raw_len holds, bytes after the
# list, the record typed as CHUNK.  mkimage -R re-encodes the image with
# the damage (mkimage.h, MK_PB_*) and correct checksums.  Each time
# restart must exit 1 with one line naming the record, and the program
# must not run.  The image re-encoded without damage is byte for byte the
# original, and it restarts and its memory verifies (control).
. "$srcdir/tests/cr-lib.sh"

# 16 MiB one page per 2 MiB: every window of it is one PAGES chunk
cr_start orig CKPT_FILE="$tmp/img.zst" "$TESTBIN/bench-mem" 16 sparse \
    "$tmp/raw"
pid=$CR_PID
cr_wait_line "$tmp/orig.out" '^ready ' "$pid" 60
cr_checkpoint "$pid" "$tmp/img.zst"
cr_kill "$pid"
rm -f "$tmp/raw"

"$TESTBIN/mkimage" -R "$tmp/img.zst" -V 2.0 "$tmp/same.zst" ||
    cr_error "mkimage cannot re-encode the image"
cmp -s "$tmp/img.zst" "$tmp/same.zst" ||
    cr_fail "the image re-encoded without damage differs from it: the" \
	"damaged ones would prove nothing"
cr_restart control 60 "$tmp/same.zst"
[ "$CR_STATUS" -eq 0 ] && grep -q '^verified$' "$tmp/control.out" ||
    cr_fail "the re-encoded image does not restart and verify (exit" \
	"$CR_STATUS): this test would prove nothing"

nbad=0
# damaged HOW WANT: MK_PB_* number HOW must be refused with WANT.
damaged() {
	"$TESTBIN/mkimage" -R "$tmp/img.zst" -P "$1" "$tmp/bad.zst" ||
	    cr_error "mkimage -P $1 failed"
	cr_refused "$tmp/bad.zst"
	if [ -z "$CR_WHY" ] && ! grep -q "$2" "$tmp/case.err"; then
		CR_WHY="not \"$2\": $(cat "$tmp/case.err")"
	fi
	if [ -n "$CR_WHY" ]; then
		nbad=$((nbad + 1))
		cr_say "NOT REFUSED: damage $1: $CR_WHY"
	else
		cr_say "refused: damage $1: $(cat "$tmp/case.err")"
	fi
}

damaged 1 "pages record's page list at offset"
damaged 2 "pages record's page list at offset"
damaged 3 "pages record's page list at offset"
damaged 4 "pages record length at offset"
damaged 5 "pages record length at offset"
damaged 6 "chunk reserved field at offset"

[ "$nbad" -eq 0 ] || cr_fail "$nbad damaged images not refused as expected"
exit 0
