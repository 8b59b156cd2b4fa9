#!/bin/sh
# t-real-python-threads-max: python3 with 1030 threads, more than
# libckpt's 1024, is not checkpointed: one line on stderr says so and
# why, no image appears and the program runs on.  Once most of its
# threads have ended it is checkpointed, killed and restarted, and its
# remaining threads work.  The line used to be "too many threads",
# without the limit or that no checkpoint was written.
. "$srcdir/tests/cr-lib.sh"

py=$(command -v python3 2>/dev/null) || cr_skip "no python3"
# the interpreter itself, not a wrapper script (pyenv shims are bash)
py=$("$py" -c 'import sys; print(sys.executable)' 2>/dev/null) &&
    [ -x "$py" ] || cr_skip "python3 does not say where it is"

img=$tmp/p.zst
cr_start p0 CKPT_FILE="$img" "$py" "$srcdir/tests/real-threads-max.py" \
    "$tmp"
pid=$CR_PID
cr_wait_line "$tmp/p0.out" '^ready 1031$' "$pid" 60
kill -USR2 "$pid"
cr_wait_line "$tmp/p0.err" '^libckpt: ' "$pid"
grep -qx 'libckpt: checkpoint not written: more than 1024 threads' \
    "$tmp/p0.err" || cr_fail "not the line expected: $(head -n 2 \
    "$tmp/p0.err")"
[ ! -e "$img" ] || cr_fail "an image was written for 1031 threads"
cr_alive "$pid" || cr_fail "the program did not survive the refusal"
: >"$tmp/go1"
cr_wait_line "$tmp/p0.out" '^fewer 4$' "$pid" 60
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
[ "$(wc -l <"$tmp/p0.err")" -eq 1 ] ||
    cr_fail "more on stderr: $(tail -n 2 "$tmp/p0.err")"
cr_restart_bg p1 "$img"
pid=$CR_PID
cr_wait_line "$tmp/p1.out" "^resumed pid $pid\$" "$pid"
: >"$tmp/go2"
cr_wait_exit "$pid" 30
cr_expect_pass p1 "$CR_STATUS"
exit 0
