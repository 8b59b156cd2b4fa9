#!/bin/sh
# t-real-offset-beyond: a descriptor whose offset is past the end of its
# file, which has not changed since the checkpoint, comes back at that
# offset (rbeyond.c).  Before, restart refused the image as if the file
# had been truncated.
. "$srcdir/tests/cr-lib.sh"

cr_ready_go "$TESTBIN/rbeyond"
exit 0
