#!/bin/sh
# t-real-shm-gone: shared memory whose file is gone and not held open (an
# unlinked shm_open file, closed memfds, one all zeros) is shared with a
# child forked after restart (rshmgone.c).  Before, it came back private.
. "$srcdir/tests/cr-lib.sh"

cr_ready_go "$TESTBIN/rshmgone"
exit 0
