#!/bin/sh
# t-real-sparse-neighbour: scattered pages are copied out before the fork
# beside what is not theirs to touch (rsparsenb.c): a guard page among
# them must not be read (the program would die), and the buffer, which may
# land just below a mapping of the program's that does not start on a
# 2 MiB boundary, must not populate that mapping when it is faulted in
# (two CPUs needed to fail).  Needs PAGEMAP_SCAN with PAGE_IS_GUARD
# (Linux 6.15) or a kernel without guard pages (before 6.13).
. "$srcdir/tests/cr-lib.sh"

cr_copied_live "$TESTBIN/rsparsenb" "$tmp/n.zst"
exit 0
