#!/bin/sh
# t-real-kfds: descriptors of kernel objects come back working: a Unix
# socket pair with unread bytes both ways, eventfds (one a semaphore), a
# periodic timerfd, a signalfd, and an epoll descriptor watching them with
# its flags and user data.  Before, each failed on use after restart.
. "$srcdir/tests/cr-lib.sh"

cr_ready_go "$TESTBIN/rkfds"
exit 0
