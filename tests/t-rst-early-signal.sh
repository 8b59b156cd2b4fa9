#!/bin/sh
# t-rst-early-signal: a signal that reaches restart before the program is
# back belongs to the program.  The program's checkpoint signal (SIGUSR2),
# sent while restart reads the image, used to kill restart (exit 140, no
# word): it had SIGUSR2's default action until the hand-over.  Now it
# waits, and the restored program takes it: it runs on and writes a new
# checkpoint.  A signal the program left at its default (SIGTERM) still
# ends restart at once, before the hand-over, as it would have ended the
# program.  The signals are sent
# from inside restart at fixed moments by the insp-shrink shim: right
# after the image is mapped, and when the first decompressor is made.
# The same with a program of four threads (rchurn idle), three times
# each: the held signal could reach a thread let go while the main thread
# still led the return from restart, which took it for a checkpoint in
# progress and dropped it, 4 times in 10.
# Last, the other way round: a signal the original took while a
# checkpoint was being made (the second of two sent 10 ms apart to 201
# threads, whose stop takes a while; the race is won about one round in
# three) is
# the original's alone; libckpt noted it in memory to send again, the
# snapshot copied the note, and every restart of that image wrote a
# checkpoint nobody asked for.
. "$srcdir/tests/cr-lib.sh"

img=$tmp/img.zst
usr2=12 term=15		# x86_64 Linux, the only platform ckpt runs on

# usr2_at NAME PROGRAM [ARG ...]: checkpoints PROGRAM into NAME.zst, then
# restarts that image with SIGUSR2 sent at each moment, ROUNDS times.
usr2_at() {
	name=$1
	shift
	cr_start "$name" CKPT_VERBOSE=1 CKPT_FILE="$img" "$@"
	pid=$CR_PID
	cr_wait_line "$tmp/$name.out" '^count 2$' "$pid"
	cr_checkpoint "$pid" "$img"
	cr_kill "$pid"
	cp "$img" "$tmp/$name.zst"
	for at in map verify; do
		r=0
		while [ "$r" -lt "$rounds" ]; do
			r=$((r + 1))
			run=$name-$at-$r
			cp "$tmp/$name.zst" "$tmp/r.zst"
			rm -f "$img"
			INSP_KILL_AT=$at INSP_KILL_SIG=$usr2
			export INSP_KILL_AT INSP_KILL_SIG
			cr_restart_bg "$run" "$tmp/r.zst"
			unset INSP_KILL_AT INSP_KILL_SIG
			pid=$CR_PID
			cr_wait_line "$tmp/$run.out" '^count' "$pid"
			# the signal, held, is the restored program's trigger
			cr_wait_file "$img" "$pid" 10
			cr_wait_line "$tmp/$run.err" 'checkpoint written' "$pid"
			cr_alive "$pid" ||
			    cr_fail "$run: SIGUSR2 at $at: the program is gone"
			cr_kill "$pid"
			"$INSPECT" --verify "$img" >/dev/null ||
			    cr_fail "$run: the new image does not verify"
		done
		cr_say "$name: SIGUSR2 at $at: the restored program" \
		    "checkpointed, $rounds of $rounds"
	done
}

cr_restart_preload "$TESTBIN/.libs/insp-shrink.so"
rounds=1
usr2_at hello "$TESTBIN/hello" 500
rounds=3
usr2_at idle "$TESTBIN/rchurn" idle 500
cp "$tmp/hello.zst" "$tmp/saved.zst"

cp "$tmp/saved.zst" "$tmp/r.zst"
CR_STATUS=0
INSP_KILL_AT=verify INSP_KILL_SIG=$term timeout -k 5 30 "$CR_RUN" "$RESTART" \
    --verbose "$tmp/r.zst" >"$tmp/term.out" 2>"$tmp/term.err" </dev/null ||
    CR_STATUS=$?
[ "$CR_STATUS" -eq $((128 + term)) ] && [ ! -s "$tmp/term.out" ] &&
    ! grep -q 'handing over' "$tmp/term.err" ||
    cr_fail "SIGTERM (left at its default) did not end restart before the" \
	"hand-over: exit $CR_STATUS, $(grep 'handing over' "$tmp/term.err")"
img=$tmp/two.zst
for r in 1 2 3; do
	cr_start "two-$r" CKPT_VERBOSE=1 CKPT_FILE="$img" "$TESTBIN/rchurn" \
	    idle 500 200
	pid=$CR_PID
	cr_wait_line "$tmp/two-$r.out" '^count 2$' "$pid"
	kill -s USR2 "$pid"
	sleep 0.01	# while the first one stops the 201 threads
	kill -s USR2 "$pid"
	cr_wait_line "$tmp/two-$r.err" 'checkpoint written' "$pid"
	sleep 1
	cr_kill "$pid"
	cp "$img" "$tmp/two-saved.zst"
	cr_restart_bg "two-back-$r" "$img"
	pid=$CR_PID
	cr_wait_line "$tmp/two-back-$r.out" '^count' "$pid"
	sleep 1.5
	cr_kill "$pid"
	! grep -q 'checkpoint written' "$tmp/two-back-$r.err" &&
	    cmp -s "$img" "$tmp/two-saved.zst" ||
	    cr_fail "round $r: the restart of an image taken during a" \
		"second signal wrote a checkpoint by itself"
done
cr_say "images taken during a second signal restart without one"
exit 0
