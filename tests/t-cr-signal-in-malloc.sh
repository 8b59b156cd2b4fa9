#!/bin/sh
# t-cr-signal-in-malloc: checkpoints that land inside malloc, free, realloc
# and stdio.  mallocstorm spends its life there; it gets ten checkpoints at
# short random intervals, then a burst of three signals sent back to back.
# It must run on to PASS (its blocks, running checksum and memstream
# intact), and the last images must restart and reach PASS too.
. "$srcdir/tests/cr-lib.sh"

cr_start orig CKPT_FILE="$tmp/img.zst" "$TESTBIN/mallocstorm" 5000000
pid=$CR_PID
cr_wait_line "$tmp/orig.out" '^progress ' "$pid"
i=1
while [ "$i" -le 10 ]; do
	sleep "0.$(cr_random 100 400)"
	cr_checkpoint "$pid" "$tmp/img.zst"
	mv "$tmp/img.zst" "$tmp/round.zst"
	i=$((i + 1))
done
cr_say "ten checkpoints taken; now a burst of three signals"
kill -s USR2 "$pid" && kill -s USR2 "$pid" && kill -s USR2 "$pid" ||
    cr_fail "pid $pid is gone during the burst"
cr_wait_file "$tmp/img.zst" "$pid"
grep -q '^PASS' "$tmp/orig.out" &&
    cr_error "mallocstorm finished before the checkpoints were done:" \
	"give it more iterations"
cr_wait_exit "$pid" 180
cr_expect_pass orig "$CR_STATUS"
cr_say "the checkpointed program: $(tail -n 1 "$tmp/orig.out")"

for img in round img; do
	cr_restart "rst-$img" 180 "$tmp/$img.zst"
	cr_expect_pass "rst-$img" "$CR_STATUS"
	cr_say "restored from $img.zst: $(tail -n 1 "$tmp/rst-$img.out")"
done
exit 0
