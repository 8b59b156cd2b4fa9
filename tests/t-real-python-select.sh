#!/bin/sh
# t-real-python-select: python3 running a selectors (epoll) event loop
# over a socket pair and a pipe, with bytes left unread from step to step,
# checkpointed mid-run, killed and restarted, prints exactly what an
# uninterrupted run prints.  Before format 1.3 its epoll descriptor and
# sockets failed on use after restart.
. "$srcdir/tests/cr-lib.sh"
. "$srcdir/tests/real-lib.sh"

py=$(command -v python3 2>/dev/null) || cr_skip "no python3"
# the interpreter itself, not a wrapper script (pyenv shims are bash)
py=$("$py" -c 'import sys; print(sys.executable)' 2>/dev/null) &&
    [ -x "$py" ] || cr_skip "python3 does not say where it is"
real_interp python-select "$py" "$srcdir/tests/real-select.py"
exit 0
