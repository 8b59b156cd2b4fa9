#!/bin/sh
# t-cr-stderr-gone: a standard error whose reader is gone never ends the
# program.  The program's stderr is a pipe nobody holds the read end of
# any more (2> >(logger), the logger dead), and the program never writes
# there itself.  libckpt's lines got SIGPIPE for an answer: the line for
# a bad CKPT_SIGNAL killed the program as it started.  Now SIGPIPE is
# blocked around libckpt's write and the one it raised taken back.  So:
# with CKPT_SIGNAL=FOO and CKPT_VERBOSE=1, the program counts on, is
# checkpointed by the default signal (the snapshot's "written" line also
# goes nowhere), counts on after it, and the image verifies.
. "$srcdir/tests/cr-lib.sh"

mkfifo "$tmp/err" || cr_error "cannot make a FIFO"
exec 3<>"$tmp/err"	# a reader for a moment, so that the next open goes on
exec 4>"$tmp/err"
exec 3>&-		# the only reader gone: a write to 4 raises SIGPIPE

img=$tmp/f.zst
"$CR_RUN" env LD_PRELOAD="$LIBCKPT" CKPT_SIGNAL=FOO CKPT_VERBOSE=1 \
    CKPT_FILE="$img" "$TESTBIN/hello" 1000 >"$tmp/f.out" 2>&4 </dev/null &
pid=$!
cr_pids="$cr_pids $pid"
exec 4>&-
cr_wait_line "$tmp/f.out" '^count 3$' "$pid"
cr_say "the program counts on after its line for CKPT_SIGNAL=FOO"

cr_checkpoint "$pid" "$img"
n=$(sed -n 's/^count //p' "$tmp/f.out" | tail -n 1)
cr_wait_line "$tmp/f.out" "^count $((n + 3))\$" "$pid" 10
cr_say "the program counted on from $n after its checkpoint"
cr_kill "$pid"
[ -n "$INSPECT" ] || exit 0
"$INSPECT" --verify "$img" >/dev/null || cr_fail "the image does not verify"
exit 0
