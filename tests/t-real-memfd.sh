#!/bin/sh
# t-real-memfd: a memfd held open and mapped shared comes back as one file
# behind both the descriptor and the mapping (rmemfd.c).
. "$srcdir/tests/cr-lib.sh"

cr_ready_go "$TESTBIN/rmemfd"
exit 0
