#!/bin/sh
# t-real-cwd-gone: a program whose working directory was removed is
# restarted in restart's, and restart says in one line that it cannot
# return to the old one, naming it (rcwdgone.c).  Before, the image held
# no working directory and restart said nothing.
. "$srcdir/tests/cr-lib.sh"

cr_ready_ckpt "$TESTBIN/rcwdgone"
cr_go_pass 'warning: cannot return to the working directory .*/gone \(deleted\)'
grep -q "working directory $tmp/gone (deleted)" "$tmp/p1.err" ||
    cr_fail "restart did not say the working directory is gone"
grep -q "^cwd $tmp\$" "$tmp/p1.out" ||
    cr_fail "the program is not in restart's working directory"
exit 0
