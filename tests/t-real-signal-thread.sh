#!/bin/sh
# t-real-signal-thread: the checkpoint trigger is taken by a thread other
# than the main one and still checkpoints the whole process.  rsigthread's
# main thread (and worker C) block SIGUSR2; generation 1 is triggered by a
# SIGUSR2 to the process (the kernel must give it to worker A or B),
# generation 2, of the restarted process, by a tgkill to worker B alone.
# After the second restart every thread runs and has its own signal mask.
. "$srcdir/tests/cr-lib.sh"

img=$tmp/s.zst
cr_start s0 CKPT_FILE="$img" "$TESTBIN/rsigthread" "$tmp/go"
pid=$CR_PID
cr_wait_line "$tmp/s0.out" '^ready$' "$pid"

# generation 1: to the process; only A or B can take it
cr_checkpoint "$pid" "$img"
mv "$img" "$tmp/gen1.zst"
cr_kill "$pid"
cr_restart_bg s1 "$tmp/gen1.zst"
pid=$CR_PID
cr_wait_line "$tmp/s1.out" "^resumed pid $pid\$" "$pid"
cr_wait_line "$tmp/s1.out" "^tids $pid " "$pid"

# generation 2: to worker B alone
set -- $(grep "^tids $pid " "$tmp/s1.out")
tid_b=$4
[ -n "$tid_b" ] && [ "$tid_b" != "$pid" ] ||
    cr_fail "no tid for worker B in: $(grep '^tids' "$tmp/s1.out")"
rm -f "$img"
"$TESTBIN/real-tgkill" "$pid" "$tid_b" 12 ||
    cr_fail "cannot tgkill worker B ($tid_b) of $pid"
cr_wait_file "$img" "$pid"
cr_say "pid $pid checkpointed through thread $tid_b"
mv "$img" "$tmp/gen2.zst"
cr_kill "$pid"
cr_restart_bg s2 "$tmp/gen2.zst"
pid=$CR_PID
cr_wait_line "$tmp/s2.out" "^tids $pid " "$pid"
: >"$tmp/go"
cr_wait_exit "$pid" 30
cr_expect_pass s2 "$CR_STATUS"
exit 0
