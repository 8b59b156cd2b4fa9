#!/bin/sh
# t-real-proc-self: descriptors on the program's own /proc/PID files and
# directory come back on the restored process's (rprocself.c).  Before,
# restart looked for the old pid's and refused the image.
. "$srcdir/tests/cr-lib.sh"

cr_ready_go "$TESTBIN/rprocself"
exit 0
