#!/bin/sh
# t-rst-stream: restart walks the image while its workers already
# decompress the chunks walked so far; damage found late must still stop
# everything before the program runs.  An image of 48 MiB of mixed memory
# (bench-mem) is damaged in the frame and, separately, in the record of
# its last chunk (found only after the workers have placed all the others)
# and of a chunk half way.  Each time restart must exit 1 with one line on
# stderr naming that region and chunk, and the program must not run.  The
# program holds a FIFO at descriptor 7, which restart cannot bring back:
# its warning must come only after the image verified, so it must not add
# a line to a refusal.  The undamaged image restarts and its memory
# verifies (control), with that warning.
. "$srcdir/tests/cr-lib.sh"

mkfifo "$tmp/fifo" || cr_error "cannot make a FIFO"
cr_start orig CKPT_FILE="$tmp/img.zst" sh -c 'exec "$@" 7<>"$0"' \
    "$tmp/fifo" "$TESTBIN/bench-mem" 48 mix "$tmp/raw"
pid=$CR_PID
cr_wait_line "$tmp/orig.out" '^ready ' "$pid" 60
cr_checkpoint "$pid" "$tmp/img.zst"
cr_kill "$pid"
rm -f "$tmp/raw"

cr_restart control 60 "$tmp/img.zst"
grep -q '^verified$' "$tmp/control.out" ||
    cr_fail "the undamaged image does not restart and verify (exit" \
	"$CR_STATUS): this test would prove nothing"
grep -q "warning: fd 7 (.*fifo) cannot be restored" "$tmp/control.err" ||
    cr_fail "no warning for the FIFO at fd 7: this test would prove" \
	"nothing: $(cat "$tmp/control.err")"

# Every chunk (CHUNK or PAGES): region number, chunk number in the region,
# offset of its record, of its frame, and the frame's length (FORMAT.md's
# framing).
perl -e '
	open(my $f, "<", $ARGV[0]) or die "$ARGV[0]: $!\n";
	binmode $f;
	local $/;
	my $d = <$f>;
	my ($off, $reg, $ch) = (0, -1, 0);
	while ($off + 16 <= length $d) {
		my ($magic, $len, $type) = unpack("VVV", substr($d, $off, 12));
		die "no record at $off\n" unless $magic == 0x184d2a5c;
		my $end = $off + 8 + $len;
		if ($type == 5) {
			$reg++;
			$ch = 0;
		} elsif ($type == 6 || $type == 9) {
			my $stored = unpack("V", substr($d, $off + 32, 4));
			print "$reg $ch $off $end $stored\n";
			$ch++;
			$end += $stored;
		}
		$off = $end;
	}' "$tmp/img.zst" >"$tmp/chunks" || cr_error "cannot list the chunks"
nchunks=$(wc -l <"$tmp/chunks")
[ "$nchunks" -ge 40 ] ||
    cr_error "only $nchunks chunks: too few for the workers to be busy"
cr_say "$nchunks chunks"

nbad=0
# damaged LINE WHERE: damages the chunk of line LINE of the list, in its
# frame or its record, and expects restart to refuse naming that chunk.
damaged() {
	set -- "$1" "$2" $(sed -n "${1}p" "$tmp/chunks")
	case $2 in
	frame) at=$(($6 + $7 / 2)) ;;
	record) at=$(($5 + 40)) ;;	# in raw_hash: the record's checksum
	esac
	cp "$tmp/img.zst" "$tmp/bad.zst"
	cr_flip "$tmp/bad.zst" "$at" 0
	what="chunk $4 of region $3, $2 byte $at"
	cr_refused "$tmp/bad.zst"
	re="^restart: $tmp/bad.zst: region $3( [^:]*)?: checksum mismatch"
	if [ -z "$CR_WHY" ] &&
	    ! grep -Eq "$re at chunk $4\$" "$tmp/case.err"; then
		CR_WHY="not about that chunk: $(cat "$tmp/case.err")"
	fi
	if [ -n "$CR_WHY" ]; then
		nbad=$((nbad + 1))
		cr_say "NOT REFUSED: $what: $CR_WHY"
	else
		cr_say "refused: $what: $(cat "$tmp/case.err")"
	fi
}

damaged "$nchunks" frame
damaged "$nchunks" record
damaged $((nchunks / 2)) frame
damaged $((nchunks / 2)) record

[ "$nbad" -eq 0 ] || cr_fail "$nbad damaged images not refused as expected"
exit 0
