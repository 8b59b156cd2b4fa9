#!/bin/sh
# t-real-dup: descriptors that shared one open file description (dup) share
# it again after restart: one offset for a log written through both, one
# flock (restart once refused to take it twice), one eventfd counter, and
# a copy of standard output that writes to restart's own.
. "$srcdir/tests/cr-lib.sh"

mkdir "$tmp/d"
cr_ready_go "$TESTBIN/rdup" "$tmp/d"
grep -q '^through the copy of stdout$' "$tmp/p1.out" ||
    cr_fail "the copy of stdout did not write to restart's output"
! grep -q 'through the copy' "$tmp/p0.out" ||
    cr_fail "the copy of stdout wrote to the first run's output file"
"$INSPECT" "$cr_img" | grep -q "shares fd 1's open file" ||
    cr_fail "ckpt-inspect does not show the copy of fd 1"
exit 0
