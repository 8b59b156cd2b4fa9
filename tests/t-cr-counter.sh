#!/bin/sh
# t-cr-counter: the counter round trip.  hello is checkpointed after a few
# counts (default signal, default image name ckpt-hello-PID.zst in the
# directory it started in), killed and restarted: the restored program
# goes on from the next count - no gap, and no repeat beyond what the
# original printed between the snapshot and the kill - and ends with "done",
# exit status 0, on restart's stdout.
. "$srcdir/tests/cr-lib.sh"

cr_start orig "$TESTBIN/hello" 30
pid=$CR_PID
cr_wait_line "$tmp/orig.out" '^count 5$' "$pid"
img=$tmp/ckpt-hello-$pid.zst
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
cr_quiet orig
cr_counts "$tmp/orig.out"
[ "$CR_FIRST" -eq 1 ] || cr_fail "orig.out starts at count $CR_FIRST"
orig_last=$CR_LAST

cr_restart rst 30 "$img"
cr_counts "$tmp/rst.out"
cr_say "original printed 1..$orig_last, restored $CR_FIRST..$CR_LAST," \
    "exit $CR_STATUS"
[ "$CR_STATUS" -eq 0 ] ||
    cr_fail "restart exit status $CR_STATUS $(cr_sig_name "$CR_STATUS")"
[ "$CR_FIRST" -ge 6 ] ||
    cr_fail "restored program began at count $CR_FIRST, but count 5 was" \
	"printed before the checkpoint signal"
[ "$CR_FIRST" -le $((orig_last + 1)) ] ||
    cr_fail "restored program began at count $CR_FIRST: counts" \
	"$((orig_last + 1))..$((CR_FIRST - 1)) were skipped"
[ "$CR_LAST" -eq 30 ] && [ "$CR_DONE" -eq 1 ] ||
    cr_fail "restored program stopped at count $CR_LAST (done=$CR_DONE)"
[ ! -s "$tmp/rst.err" ] ||
    cr_fail "restart wrote to stderr: $(head -n 2 "$tmp/rst.err")"
exit 0
