#!/bin/sh
# t-cr-stderr-full: a standard error nobody reads never stops the program.
# The program's stderr is a pipe that is full (a pager stopped, a reader
# gone to sleep) and the program itself never writes there.  libckpt
# wrote its lines with a blocking write: the snapshot's "checkpoint
# written" line hung the snapshot for ever, the next signal's "still
# being written" line hung the program's own thread inside the handler,
# and every later checkpoint was refused.  Now a line that cannot go at
# once is dropped in the program; the snapshot waits for it 5 s at most.
# So: a checkpoint is written; a second signal while its snapshot waits
# leaves the program counting; once the snapshot has given up, a third
# signal writes a new image.
. "$srcdir/tests/cr-lib.sh"

command -v python3 >/dev/null 2>&1 || cr_skip "no python3"
mkfifo "$tmp/err" || cr_error "cannot make a FIFO"
exec 3<>"$tmp/err"		# both ends here; its read end is never read
# fill it without blocking, then make it blocking again (the file
# description is the program's stderr too)
python3 -c '
import fcntl, os
fl = fcntl.fcntl(3, fcntl.F_GETFL)
fcntl.fcntl(3, fcntl.F_SETFL, fl | os.O_NONBLOCK)
try:
    while True:
        os.write(3, b"x" * 4096)
except BlockingIOError:
    pass
fcntl.fcntl(3, fcntl.F_SETFL, fl)' || cr_error "cannot fill the FIFO"

img=$tmp/f.zst
"$CR_RUN" env LD_PRELOAD="$LIBCKPT" CKPT_VERBOSE=1 CKPT_FILE="$img" \
    "$TESTBIN/hello" 1000 >"$tmp/f.out" 2>&3 </dev/null &
pid=$!
cr_pids="$cr_pids $pid"
exec 3>&-
cr_wait_line "$tmp/f.out" '^count 2$' "$pid"

cr_checkpoint "$pid" "$img"
# a snapshot stuck on the FIFO would outlive the program: kill it at exit
snaps=$(cat "/proc/$pid/task/$pid/children" 2>/dev/null)
CR_ATEXIT='kill -9 $snaps 2>/dev/null'
kill -s USR2 "$pid"	# while the snapshot still tries to say it is done
n=$(sed -n 's/^count //p' "$tmp/f.out" | tail -n 1)
cr_wait_line "$tmp/f.out" "^count $((n + 5))\$" "$pid" 10
cr_say "the program counted on from $n after a signal it could not report"

sleep 5.5		# the snapshot gives its line up and ends
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
[ -n "$INSPECT" ] || exit 0
"$INSPECT" --verify "$img" >/dev/null || cr_fail "the last image does not verify"
exit 0
