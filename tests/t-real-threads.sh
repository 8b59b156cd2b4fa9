#!/bin/sh
# t-real-threads: threads, a mutex, a condition variable, a barrier and
# thread-local variables survive a checkpoint taken while four workers run,
# and a chain of two: the restarted process (with a thread created after
# the restart) is checkpointed again, killed and restarted again, and
# starts one more thread.  rthreads then checks every worker did the same
# rounds, the totals, the turn order, every thread's TLS and stack.  The
# thread names (the program's, and the workers' pthread_setname_np ones)
# must come back too, not "restart": pgrep -x and top go by them.
. "$srcdir/tests/cr-lib.sh"

# the names PID's threads go by, sorted, each once, on one line
names() {
	cat /proc/"$1"/task/*/comm 2>/dev/null | sort -u | tr '\n' ' '
}

img=$tmp/t.zst
cr_start t0 CKPT_FILE="$img" "$TESTBIN/rthreads" "$tmp/go"
pid=$CR_PID
cr_wait_line "$tmp/t0.out" '^ready$' "$pid"
want=$(names "$pid")
case $want in
*worker-3*) ;;
*) cr_error "thread names before the checkpoint: $want" ;;
esac
for g in 1 2; do
	cr_checkpoint "$pid" "$img"
	mv "$img" "$tmp/gen$g.zst"
	cr_kill "$pid"
	cr_restart_bg "t$g" "$tmp/gen$g.zst"
	pid=$CR_PID
	cr_wait_line "$tmp/t$g.out" "^resumed pid $pid\$" "$pid"
	cr_wait_line "$tmp/t$g.out" "^late thread $((g - 1)) started\$" "$pid"
	[ "$(cat /proc/"$pid"/comm)" = rthreads ] ||
	    cr_fail "generation $g is named $(cat /proc/"$pid"/comm)"
	got=$(names "$pid")
	[ "$got" = "$want" ] ||
	    cr_fail "generation $g's thread names: $got; want $want"
done
if [ -n "$INSPECT" ]; then
	n=$("$INSPECT" "$tmp/gen2.zst" | sed -n 's/^threads: *//p')
	# main, four workers, the late thread born after the first restart
	[ "$n" = 6 ] || cr_fail "gen2.zst holds $n threads, want 6"
fi
: >"$tmp/go"
cr_wait_exit "$pid" 60
cr_expect_pass t2 "$CR_STATUS"
grep -q '^late threads 2$' "$tmp/t2.out" ||
    cr_fail "expected 2 threads created after restarts"
cr_say "$(grep '^rounds' "$tmp/t2.out"), 2 generations, 2 late threads"
exit 0
