#!/bin/sh
# t-real-pending-groups: t-real-pending in a process that belongs to 1000
# groups, whose Groups line puts SigPnd and ShdPnd 7 KB into
# /proc/thread-self/status.  libckpt read the file into 2 KiB, so such a
# process lost its pending signals at restart, and its stop retry never
# saw a thread block the stop signal.  Needs root (setgroups).
. "$srcdir/tests/cr-lib.sh"

groups=$(seq -s, 10000 10999)
setpriv --groups "$groups" true 2>/dev/null ||
    cr_skip "setpriv --groups needs root here"
cr_ready_go setpriv --groups "$groups" "$TESTBIN/rpending"
exit 0
