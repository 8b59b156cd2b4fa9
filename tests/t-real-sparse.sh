#!/bin/sh
# t-real-sparse: memory touched one page per 2 MiB over 16 GiB, rewritten
# while the checkpoint is taken, is copied out before the fork (the
# verbose line says how much) and comes back as one instant; the copying
# leaves no mark behind (the region is not wipe-on-fork afterwards, a
# child forked after the checkpoint sees its pages) and leaves a mark the
# program made itself (rsparse.c).  Needs PAGEMAP_SCAN (Linux 6.7).
. "$srcdir/tests/cr-lib.sh"

img=$tmp/s.zst
cr_start s0 CKPT_FILE="$img" CKPT_VERBOSE=1 "$TESTBIN/rsparse" "$tmp/live"
pid=$CR_PID
cr_wait_line "$tmp/s0.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$img"
cr_wait_line "$tmp/s0.err" 'checkpoint written' "$pid"
grep -q ' MiB of scattered pages copied before the fork' "$tmp/s0.err" ||
    cr_fail "the scattered pages were not copied out: $(cat "$tmp/s0.err")"
: >"$tmp/live"
cr_wait_exit "$pid" 60
cr_expect_pass s0 "$CR_STATUS" 'checkpoint written'
cr_restart_bg s1 "$img"
cr_wait_exit "$CR_PID" 60
cr_expect_pass s1 "$CR_STATUS"
cr_say "$(grep '^pass' "$tmp/s1.out"), $(grep -o 'paused.*' "$tmp/s0.err")"
exit 0
