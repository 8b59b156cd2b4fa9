#!/bin/sh
# t-real-sigwait: threads that wait for signals on a full set, in
# sigwait(), sigtimedwait() and the read of a signalfd, neither receive
# libckpt's stop signal (62) nor keep the checkpoint from being taken, and
# all three still take their signals after restart (rsigwait checks; the
# signalfd is made again with its mask).
# Five checkpoints in a row: a signalfd reader takes the stop signal only
# when it wins a race with the handler, so without libckpt's signalfd
# wrapper some runs catch it, not all.
. "$srcdir/tests/cr-lib.sh"

img=$tmp/w.zst
cr_start w0 CKPT_FILE="$img" "$TESTBIN/rsigwait" "$tmp/go"
pid=$CR_PID
cr_wait_line "$tmp/w0.out" '^ready$' "$pid"
for i in 1 2 3 4 5; do
	cr_checkpoint "$pid" "$img"
done
"$INSPECT" --verify "$img" >"$tmp/verify.out" 2>&1 ||
    cr_fail "ckpt-inspect --verify: $(tail -n 2 "$tmp/verify.out")"
cr_kill "$pid"
cr_quiet w0
! grep -q '^FAIL' "$tmp/w0.out" ||
    cr_fail "before restart: $(grep '^FAIL' "$tmp/w0.out" | head -n 3)"
cr_restart_bg w1 "$img"
pid=$CR_PID
cr_wait_line "$tmp/w1.out" "^resumed pid $pid\$" "$pid"
: >"$tmp/go"
cr_wait_exit "$pid" 60
cr_expect_pass w1 "$CR_STATUS"
cr_say "$(grep '^sigtimedwait interrupted' "$tmp/w1.out")"
exit 0
