#!/bin/sh
# t-real-sparse-neighbour: the buffer scattered pages are copied into may
# land just below a mapping of the program's that does not start on a
# 2 MiB boundary; faulting the buffer in must not populate that mapping
# (rsparsenb.c).  Needs PAGEMAP_SCAN (Linux 6.7) and two CPUs to fail.
. "$srcdir/tests/cr-lib.sh"

img=$tmp/n.zst
cr_start s0 CKPT_FILE="$img" CKPT_VERBOSE=1 "$TESTBIN/rsparsenb" "$tmp/live"
pid=$CR_PID
cr_wait_line "$tmp/s0.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$img"
cr_wait_line "$tmp/s0.err" 'checkpoint written' "$pid"
grep -q ' MiB of scattered pages copied before the fork' "$tmp/s0.err" ||
    cr_fail "the scattered pages were not copied out: $(cat "$tmp/s0.err")"
: >"$tmp/live"
cr_wait_exit "$pid" 60
cr_expect_pass s0 "$CR_STATUS" 'checkpoint written'
exit 0
