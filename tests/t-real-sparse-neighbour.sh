#!/bin/sh
# t-real-sparse-neighbour: scattered pages are copied out before the fork
# beside what is not theirs to touch (rsparsenb.c): a guard page among
# them must not be read (the program would die), and the buffer, which may
# land just below a mapping of the program's that does not start on a
# 2 MiB boundary, must not populate that mapping when it is faulted in
# (two CPUs needed to fail).  Needs PAGEMAP_SCAN with PAGE_IS_GUARD
# (Linux 6.15) or a kernel without guard pages (before 6.13).
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
