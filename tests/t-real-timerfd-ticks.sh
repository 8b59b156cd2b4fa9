#!/bin/sh
# t-real-timerfd-ticks: a timerfd's expirations not yet read at the
# checkpoint can be read after restart, from a disarmed one-shot timer and
# from a periodic one armed again (rtfdticks.c).  Before, arming the
# timer after setting its ticks dropped them.
. "$srcdir/tests/cr-lib.sh"

cr_ready_go "$TESTBIN/rtfdticks"
exit 0
