#!/bin/sh
# t-real-pending: signals pending at the checkpoint (blocked, not yet
# delivered) are pending again after restart: one for the process
# (SIGUSR1) and two for one thread (SIGWINCH, SIGRTMIN+3), each for the
# same thread as before, each delivered once when unblocked.  The kernel
# forgets them with the process; before, the restored program found none.
. "$srcdir/tests/cr-lib.sh"

cr_ready_go "$TESTBIN/rpending"
exit 0
