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
	cr_start "$how" CKPT_INTERVAL=1 CKPT_VERBOSE=1 \
	    CKPT_FILE="$tmp/$how.zst" "$TESTBIN/rsleeprem" 4 "$how"
	pid=$CR_PID
	cr_wait_line "$tmp/$how.out" '^ready$' "$pid"
	cr_wait_exit "$pid" 30
	[ "$CR_STATUS" -eq 0 ] && grep -q '^done$' "$tmp/$how.out" ||
	    cr_fail "$how: exit status $CR_STATUS" \
		"$(cr_sig_name "$CR_STATUS")"
	n=$(grep -c 'checkpoint written' "$tmp/$how.err")
	[ "$n" -ge 2 ] || cr_fail "$how: only $n interval checkpoints"
	cr_say "$how: both threads timed out after $n interval checkpoints"

	cr_start "g$how" CKPT_INTERVAL=1 CKPT_FILE="$tmp/g.zst" \
	    "$TESTBIN/rsleeprem" 6 "$how"
	pid=$CR_PID
	cr_wait_line "$tmp/g$how.out" '^ready$' "$pid"
	cr_checkpoint "$pid" "$tmp/g.zst"
	cr_kill "$pid"
	cr_restart "r$how" 40 "$tmp/g.zst"
	[ "$CR_STATUS" -eq 0 ] && grep -q '^done$' "$tmp/r$how.out" ||
	    cr_fail "$how: restored: exit status $CR_STATUS" \
		"$(cr_sig_name "$CR_STATUS")"
	cr_say "$how: the restored threads timed out"
done
exit 0
