#!/bin/sh
# t-real-python: python3 running a loop that builds a large dict and
# sleeps, checkpointed mid-run, killed and restarted, prints exactly what
# an uninterrupted run prints (the whole output is compared).
. "$srcdir/tests/cr-lib.sh"
. "$srcdir/tests/real-lib.sh"

py=$(command -v python3 2>/dev/null) || cr_skip "no python3"
# the interpreter itself, not a wrapper script (pyenv shims are bash)
py=$("$py" -c 'import sys; print(sys.executable)' 2>/dev/null) &&
    [ -x "$py" ] || cr_skip "python3 does not say where it is"
real_interp python "$py" "$srcdir/tests/real-dict.py"
exit 0
