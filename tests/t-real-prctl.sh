#!/bin/sh
# t-real-prctl: the prctl settings a program made (not dumpable,
# no_new_privs, child subreaper, parent-death signal, timer slack,
# personality), some of them per thread, come back after restart
# (rprctl.c).  Before, the restored process had restart's.
. "$srcdir/tests/cr-lib.sh"

cr_ready_go "$TESTBIN/rprctl"
exit 0
