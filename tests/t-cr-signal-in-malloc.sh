#!/bin/sh
# t-cr-signal-in-malloc: checkpoints that land inside malloc, free, realloc
# and stdio.  mallocstorm spends its life there; it gets ten checkpoints at
# short random intervals, then a burst of three signals sent back to back.
# It must run on to PASS (its blocks, running checksum and memstream
# intact; during the burst libckpt may refuse a signal that arrives while
# the previous snapshot is still being written, with one line each), and
# the last images must restart and reach PASS too.
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
[ ! -s "$tmp/orig.err" ] ||
    cr_fail "libckpt complained: $(head -n 2 "$tmp/orig.err")"
cr_say "ten checkpoints taken; now a burst of three signals"
kill -s USR2 "$pid" && kill -s USR2 "$pid" && kill -s USR2 "$pid" ||
    cr_fail "pid $pid is gone during the burst"
cr_wait_file "$tmp/img.zst" "$pid"
grep -q '^PASS' "$tmp/orig.out" &&
    cr_error "mallocstorm finished before the checkpoints were done:" \
	"give it more iterations"
cr_wait_exit "$pid" 180
# a signal that arrives while the previous snapshot is still being written
# may be refused, with one line each: at most two of the burst
[ "$(wc -l <"$tmp/orig.err")" -le 2 ] ||
    cr_fail "$(wc -l <"$tmp/orig.err") lines on stderr for a burst of three"
[ ! -s "$tmp/orig.err" ] || cr_say "burst: $(sort "$tmp/orig.err" | uniq -c)"
cr_expect_pass orig "$CR_STATUS" '^libckpt: '
cr_say "the checkpointed program: $(tail -n 1 "$tmp/orig.out")"

for img in round img; do
	cr_restart "rst-$img" 180 "$tmp/$img.zst"
	cr_expect_pass "rst-$img" "$CR_STATUS"
	cr_say "restored from $img.zst: $(tail -n 1 "$tmp/rst-$img.out")"
done
exit 0
