#!/bin/sh
# t-cr-poll-interval: a poll timeout longer than CKPT_INTERVAL comes.
# libckpt makes a poll the checkpoint signal interrupted again; it made it
# again with its whole timeout, which the kernel does not count down, so
# each checkpoint started the timeout over and a poll for 4 s under
# CKPT_INTERVAL=1 never timed out.  Two threads (one takes the signal, the
# other is stopped) poll with a timeout; both must time out, in the
# checkpointed program and after restart.
. "$srcdir/tests/cr-lib.sh"

cr_start p0 CKPT_INTERVAL=1 CKPT_VERBOSE=1 CKPT_FILE="$tmp/p.zst" \
    "$TESTBIN/rsleeprem" 4 poll
pid=$CR_PID
cr_wait_line "$tmp/p0.out" '^ready$' "$pid"
cr_wait_exit "$pid" 30
[ "$CR_STATUS" -eq 0 ] && grep -q '^done$' "$tmp/p0.out" ||
    cr_fail "exit status $CR_STATUS $(cr_sig_name "$CR_STATUS")"
n=$(grep -c 'checkpoint written' "$tmp/p0.err")
[ "$n" -ge 2 ] || cr_fail "only $n interval checkpoints"
cr_say "two threads' polls timed out after $n interval checkpoints"

cr_start g0 CKPT_INTERVAL=1 CKPT_FILE="$tmp/g.zst" "$TESTBIN/rsleeprem" 6 poll
pid=$CR_PID
cr_wait_line "$tmp/g0.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$tmp/g.zst"
cr_kill "$pid"
cr_restart g1 40 "$tmp/g.zst"
[ "$CR_STATUS" -eq 0 ] && grep -q '^done$' "$tmp/g1.out" ||
    cr_fail "restored: exit status $CR_STATUS $(cr_sig_name "$CR_STATUS")"
cr_say "the restored threads' polls timed out"
exit 0
