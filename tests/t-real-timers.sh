#!/bin/sh
# t-real-timers: the process's timers come back: setitimer's, and
# timer_create's signalling the process, signalling one thread, or silent,
# each under its old timer_t with the time it had left.  The kernel drops
# them with the process; before, the restored program's alarms never came.
. "$srcdir/tests/cr-lib.sh"

cr_ready_go "$TESTBIN/rtimers"
exit 0
