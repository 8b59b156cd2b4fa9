#!/bin/sh
# t-cr-poll-interval: a poll, epoll_wait or sigtimedwait timeout longer
# than CKPT_INTERVAL comes.  libckpt makes a call the checkpoint signal
# interrupted again; it made these again with their whole timeout, which
# the kernel does not count down, so each checkpoint started the timeout
# over and a wait of 4 s under CKPT_INTERVAL=1 never timed out.  Two threads (one takes the signal, the other is stopped)
# wait with a timeout; both must time out, in the checkpointed program
# and after restart.
. "$srcdir/tests/cr-lib.sh"

for how in poll epoll sigtimedwait; do
	cr_sleeprem_interval "$how" 4 "$how"
	cr_say "$how: both threads timed out after $CR_N interval checkpoints"
	cr_sleeprem_restored "g$how" 6 "$how"
	cr_say "$how: the restored threads timed out"
done
exit 0
