#!/bin/sh
# t-real-seccomp: a program under a seccomp filter is restarted without
# it (it cannot be read back), and libckpt says so in one line on
# restart's standard error (rseccomp.c).  Before, it said nothing.
. "$srcdir/tests/cr-lib.sh"

cr_ready_ckpt "$TESTBIN/rseccomp"
cr_go_pass '^libckpt: warning: the program.s seccomp filters are not restored'
[ "$(grep -c 'seccomp filters are not restored' "$tmp/p1.err")" -eq 1 ] ||
    cr_fail "no one line saying the seccomp filter is not restored"
exit 0
