#!/bin/sh
# t-cr-sleep-interval: a sleep longer than CKPT_INTERVAL ends.  libckpt
# makes a blocking call the checkpoint signal interrupted again; it made
# a relative nanosleep again for its whole time, so each checkpoint
# started the sleep over and `CKPT_INTERVAL=1 sleep 3` never ended.  A
# sleep with a remainder pointer (coreutils sleep, glibc's sleep(3)) must
# go on for what it has left, one without (usleep(3)) must end too: in
# the thread that takes the signal and in a stopped one, in the
# checkpointed program and after restart.
. "$srcdir/tests/cr-lib.sh"

command -v sleep >/dev/null 2>&1 || cr_skip "no sleep(1)"

# sleep(1): one thread, the one that takes every interval's signal
cr_start s0 CKPT_INTERVAL=1 CKPT_VERBOSE=1 CKPT_FILE="$tmp/s.zst" sleep 4
pid=$CR_PID
cr_wait_exit "$pid" 30
[ "$CR_STATUS" -eq 0 ] ||
    cr_fail "sleep 4: exit status $CR_STATUS $(cr_sig_name "$CR_STATUS")"
n=$(grep -c 'checkpoint written' "$tmp/s0.err")
[ "$n" -ge 2 ] || cr_fail "sleep 4: only $n interval checkpoints"
cr_say "sleep 4 ended after $n interval checkpoints"

# two threads in sleep(3): one takes the signal, the other is stopped
cr_start r0 CKPT_INTERVAL=1 CKPT_VERBOSE=1 CKPT_FILE="$tmp/r.zst" \
    "$TESTBIN/rsleeprem" 4
pid=$CR_PID
cr_wait_line "$tmp/r0.out" '^ready$' "$pid"
cr_wait_exit "$pid" 30
[ "$CR_STATUS" -eq 0 ] && grep -q '^done$' "$tmp/r0.out" ||
    cr_fail "rsleeprem: exit status $CR_STATUS $(cr_sig_name "$CR_STATUS")"
n=$(grep -c 'checkpoint written' "$tmp/r0.err")
[ "$n" -ge 2 ] || cr_fail "rsleeprem: only $n interval checkpoints"
cr_say "two threads' sleep(3) ended after $n interval checkpoints"

# two threads in nanosleep with no remainder pointer, as usleep(3) calls it
cr_start n0 CKPT_INTERVAL=1 CKPT_VERBOSE=1 CKPT_FILE="$tmp/n.zst" \
    "$TESTBIN/rsleeprem" 4 nap
pid=$CR_PID
cr_wait_line "$tmp/n0.out" '^ready$' "$pid"
cr_wait_exit "$pid" 30
[ "$CR_STATUS" -eq 0 ] && grep -q '^done$' "$tmp/n0.out" ||
    cr_fail "rsleeprem nap: exit status $CR_STATUS" \
	"$(cr_sig_name "$CR_STATUS")"
n=$(grep -c 'checkpoint written' "$tmp/n0.err")
[ "$n" -ge 2 ] || cr_fail "rsleeprem nap: only $n interval checkpoints"
cr_say "two threads' nanosleep without a remainder ended after $n" \
    "interval checkpoints"

# after restart, still every interval: the restored sleeps end too
cr_start g0 CKPT_INTERVAL=1 CKPT_FILE="$tmp/g.zst" "$TESTBIN/rsleeprem" 6
pid=$CR_PID
cr_wait_line "$tmp/g0.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$tmp/g.zst"
cr_kill "$pid"
cr_restart g1 40 "$tmp/g.zst"
[ "$CR_STATUS" -eq 0 ] && grep -q '^done$' "$tmp/g1.out" ||
    cr_fail "restored rsleeprem: exit status $CR_STATUS" \
	"$(cr_sig_name "$CR_STATUS")"
cr_say "the restored threads' sleeps ended"
exit 0
