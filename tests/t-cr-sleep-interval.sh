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
cr_sleeprem_interval r0 4
cr_say "two threads' sleep(3) ended after $CR_N interval checkpoints"

# two threads in nanosleep with no remainder pointer, as usleep(3) calls it
cr_sleeprem_interval n0 4 nap
cr_say "two threads' nanosleep without a remainder ended after $CR_N" \
    "interval checkpoints"

# after restart, still every interval: the restored sleeps end too
cr_sleeprem_restored g 6
cr_say "the restored threads' sleeps ended"
exit 0
