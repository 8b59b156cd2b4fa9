#!/bin/sh
# t-real-far: pages of one window that lie more than 2^32 pages apart (in
# a 17 TiB reservation) cannot share a PAGES chunk; they come back where
# they were, with the right contents, the pages between them included
# (rfar.c checks each).  Needs PAGEMAP_SCAN (Linux 6.7): without it the
# snapshot would read 17 TiB a window at a time.
. "$srcdir/tests/cr-lib.sh"

cr_ready_go "$TESTBIN/rfar"
exit 0
