#!/bin/sh
# t-real-perl: perl running a loop that builds a large hash and sleeps,
# checkpointed mid-run, killed and restarted, prints exactly what an
# uninterrupted run prints (the whole output is compared).
. "$srcdir/tests/cr-lib.sh"
. "$srcdir/tests/real-lib.sh"

pl=$(command -v perl 2>/dev/null) || cr_skip "no perl"
"$pl" -MTime::HiRes -e 1 2>/dev/null || cr_skip "perl lacks Time::HiRes"
real_interp perl "$pl" "$srcdir/tests/real-dict.pl"
exit 0
