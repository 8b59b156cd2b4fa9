#!/bin/sh
# t-real-thread-gone: a thread that exits while the checkpoint stops it
# does not cost the checkpoint.  glibc blocks every signal in a thread on
# its way out, so such a thread never takes libckpt's stop signal; libckpt
# waited for it the full 5 s and abandoned the checkpoint ("a thread did
# not stop"), about one checkpoint in twenty of a program that creates and
# joins threads all the time.  tests/rgone makes the race certain: each
# round's thread blocks every signal, then lives 300 ms.  Three
# checkpoints taken while such a thread lives must each be written (not
# abandoned), and the image, taken without that thread, must restart and
# run to the end.
. "$srcdir/tests/cr-lib.sh"

img=$tmp/g.zst
cr_start g0 CKPT_VERBOSE=1 CKPT_FILE="$img" "$TESTBIN/rgone" 14
pid=$CR_PID
for r in 2 4 6; do
	cr_wait_line "$tmp/g0.out" "^blocked $r\$" "$pid"
	n=$(grep -c 'checkpoint written' "$tmp/g0.err")
	cr_checkpoint "$pid" "$img"
	cr_wait_line "$tmp/g0.err" 'checkpoint written|abandoned' "$pid"
	i=0
	while [ "$(grep -c 'checkpoint written\|abandoned' "$tmp/g0.err")" -le "$n" ] &&
	    [ "$i" -lt 200 ]; do
		i=$((i + 1))
		sleep 0.05
	done
	! grep -q abandoned "$tmp/g0.err" ||
	    cr_fail "a checkpoint was abandoned: $(grep abandoned "$tmp/g0.err")"
	cr_wait_line "$tmp/g0.out" "^round $r\$" "$pid"
done
cr_kill "$pid"
last=$(sed -n 's/^round //p' "$tmp/g0.out" | tail -n 1)
cr_say "checkpointed 3 times, killed after round $last"

cr_restart_bg g1 "$img"
pid=$CR_PID
cr_wait_exit "$pid" 30
[ "$CR_STATUS" -eq 0 ] && [ "$(tail -n 1 "$tmp/g1.out")" = done ] ||
    cr_fail "the restarted program did not finish (exit $CR_STATUS)"
grep -q "^round 14\$" "$tmp/g1.out" && ! grep -q FAIL "$tmp/g1.out" ||
    cr_fail "the restarted program did not run its rounds to the end"
exit 0
