#!/bin/sh
# t-real-timer-pending: a POSIX timer's signal, blocked and pending at the
# checkpoint, comes back after restart with the timer's siginfo (SI_TIMER
# and its value), not as a plain kill (rtimerpend.c).
. "$srcdir/tests/cr-lib.sh"

cr_ready_go "$TESTBIN/rtimerpend"
exit 0
