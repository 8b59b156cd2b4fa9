#!/bin/sh
# t-real-python-itimer: python3 with a periodic setitimer(ITIMER_REAL)
# whose SIGALRM is blocked and pending at the checkpoint is restarted
# with the timer still running: it takes the pending SIGALRM, then the
# next one, and getitimer shows the period.  The kernel arms such a timer
# again only when its SIGALRM is taken, so getitimer said 0 left, and
# libckpt, taking 0 for "disarmed", did not arm it after restart.
. "$srcdir/tests/cr-lib.sh"

py=$(command -v python3 2>/dev/null) || cr_skip "no python3"
# the interpreter itself, not a wrapper script (pyenv shims are bash)
py=$("$py" -c 'import sys; print(sys.executable)' 2>/dev/null) &&
    [ -x "$py" ] || cr_skip "python3 does not say where it is"

img=$tmp/p.zst
cr_start p0 CKPT_FILE="$img" "$py" "$srcdir/tests/real-itimer.py"
pid=$CR_PID
cr_wait_line "$tmp/p0.out" '^ready ' "$pid"
cr_say "before the checkpoint: $(head -n 1 "$tmp/p0.out")"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
cr_quiet p0
cr_restart_bg p1 "$img"
pid=$CR_PID
cr_wait_exit "$pid" 60
cr_expect_pass p1 "$CR_STATUS"
cr_say "after restart: $(grep '^took' "$tmp/p1.out")"
exit 0
