#!/bin/sh
# t-real-thread-churn: a program that creates and joins threads all the
# time is checkpointed every time it is asked.  glibc's exiting thread
# blocks every signal and may then wait for the stack-cache lock that a
# thread libckpt has already stopped (in pthread_create or pthread_join)
# holds: it can never stop, and libckpt waited 5 s, the program frozen,
# then abandoned the checkpoint ("a thread did not stop"), on the first or
# second signal most runs.  Now, when a thread that has not stopped
# blocks the stop signal, the stopped ones are let go for a moment and
# the stop is tried again.  tests/rchurn churn: eight checkpoints must all
# be written, and the last image must restart and count on.
. "$srcdir/tests/cr-lib.sh"

img=$tmp/c.zst
cr_start c0 CKPT_VERBOSE=1 CKPT_FILE="$img" "$TESTBIN/rchurn" churn 1000
pid=$CR_PID
cr_wait_line "$tmp/c0.out" '^count 2$' "$pid"
for r in 1 2 3 4 5 6 7 8; do
	cr_checkpoint "$pid" "$img"
	! grep -q abandoned "$tmp/c0.err" ||
	    cr_fail "checkpoint $r: $(grep abandoned "$tmp/c0.err")"
	sleep 0.2
done
# the last snapshot's line says it is done
i=0
while [ "$(grep -c 'checkpoint written' "$tmp/c0.err")" -lt 8 ] &&
    [ "$i" -lt 200 ]; do
	i=$((i + 1))
	sleep 0.05
done
n=$(grep -c 'checkpoint written' "$tmp/c0.err")
[ "$n" -eq 8 ] || cr_fail "$n of 8 checkpoints written: $(grep -v 'checkpoint written' "$tmp/c0.err" | head -n 2)"
cr_kill "$pid"
cr_say "8 checkpoints written; pauses:" \
    "$(sed -n 's/.*paused \([0-9.]*\) ms.*/\1/p' "$tmp/c0.err" | tr '\n' ' ')"

cr_restart_bg c1 "$img"
pid=$CR_PID
last=$(sed -n 's/^count //p' "$tmp/c0.out" | tail -n 1)
cr_wait_line "$tmp/c1.out" "^count $((last + 3))\$" "$pid"
cr_kill "$pid"
[ ! -s "$tmp/c1.err" ] ||
    cr_fail "the restarted program said: $(head -n 2 "$tmp/c1.err")"
exit 0
