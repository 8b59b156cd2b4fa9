#!/bin/sh
# t-cr-stderr: libckpt writes its lines to the standard error the program
# started with, one line each, and into nothing else.
#  - A program started with fd 2 closed, that opens its own data file (as
#    fd 2, the lowest free), gets no libckpt line in it, even with
#    CKPT_VERBOSE=1; the checkpoint is still written.  libckpt used to
#    write "checkpoint written" into the user's file.
#  - A program that points fd 2 at a file of its own (not appending) gets
#    nothing in it either; one that sends stderr to a log it appends to
#    gets the line there, after its own.
#  - A newline in CKPT_FILE does not split the line; a 9000-byte
#    CKPT_SIGNAL value is cut so that the reason still shows.
#  - After restart, the lines go to restart's standard error.
# The programs (rstderr, hello) sleep in a system call, so their only
# child is the snapshot, and a finished snapshot (a zombie until the next
# checkpoint) says that its line, if any, was written.
. "$srcdir/tests/cr-lib.sh"

# snap_done PID: every child of PID (the snapshot) has finished.
snap_done() {
	for c in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
		[ "$(awk '{ print $3 }' "/proc/$c/stat" 2>/dev/null)" = Z ] ||
		    [ ! -e "/proc/$c" ] || return 1
	done
}
# checkpoint_done PID IMAGE: a checkpoint, and its snapshot gone
checkpoint_done() {
	cr_checkpoint "$1" "$2"
	i=0
	until snap_done "$1"; do
		i=$((i + 1))
		[ "$i" -le 400 ] || cr_fail "the snapshot of pid $1 did not end"
		sleep 0.05
	done
}

# 1. fd 2 closed at the start; the program's data file becomes fd 2
"$CR_RUN" env LD_PRELOAD="$LIBCKPT" CKPT_VERBOSE=1 \
    CKPT_FILE="$tmp/closed.zst" "$TESTBIN/rstderr" "$tmp/data1" open \
    >"$tmp/closed.out" 2>&- </dev/null &
pid=$!
cr_pids="$cr_pids $pid"
cr_wait_line "$tmp/closed.out" '^ready ' "$pid"
[ "$(cat "$tmp/closed.out")" = "ready 2" ] ||
    cr_error "the data file is not fd 2: $(cat "$tmp/closed.out")"
checkpoint_done "$pid" "$tmp/closed.zst"
cr_kill "$pid"
[ "$(cat "$tmp/data1")" = "user data" ] ||
    cr_fail "fd 2 closed at the start: libckpt wrote into the program's" \
	"file: $(cat "$tmp/data1")"
cr_say "fd 2 closed at the start: the program's file untouched"

# 2. fd 2 open, then pointed at a file of the program's: truncating, or
#    appending (a log)
for how in dup2 append; do
	: >"$tmp/data2"
	cr_start redir CKPT_VERBOSE=1 CKPT_FILE="$tmp/redir.zst" \
	    "$TESTBIN/rstderr" "$tmp/data2" $how
	pid=$CR_PID
	cr_wait_line "$tmp/redir.out" '^ready' "$pid"
	checkpoint_done "$pid" "$tmp/redir.zst"
	cr_kill "$pid"
	if [ $how = dup2 ]; then
		[ "$(cat "$tmp/data2")" = "user data" ] ||
		    cr_fail "fd 2 pointed at the program's file: libckpt" \
			"wrote into it: $(cat "$tmp/data2")"
	else
		[ "$(wc -l <"$tmp/data2")" -eq 2 ] &&
		    head -n 1 "$tmp/data2" | grep -qx "user data" &&
		    tail -n 1 "$tmp/data2" | grep -q "^libckpt: .*checkpoint written" ||
		    cr_fail "stderr sent to a log: not the program's line then" \
			"libckpt's: $(cat "$tmp/data2")"
	fi
	[ ! -s "$tmp/redir.err" ] ||
	    cr_fail "libckpt wrote to the stderr the program left:" \
		"$(cat "$tmp/redir.err")"
	cr_say "fd 2 made $how: $(tail -n 1 "$tmp/data2")"
done

# 3. a newline in the image's name; a 9000-byte bad value
mkdir "$tmp/nl"
nlimg="$tmp/nl/a
b.zst"
cr_start nl CKPT_VERBOSE=1 "CKPT_FILE=$nlimg" "$TESTBIN/hello" 500
pid=$CR_PID
cr_wait_line "$tmp/nl.out" '^count 2$' "$pid"
checkpoint_done "$pid" "$nlimg"
cr_kill "$pid"
[ "$(wc -l <"$tmp/nl.err")" -eq 1 ] &&
    grep -q "^libckpt: $tmp/nl/a?b.zst: checkpoint written: " "$tmp/nl.err" ||
    cr_fail "a newline in CKPT_FILE: not one line: $(cat "$tmp/nl.err")"
long=$(awk 'BEGIN { while (n++ < 9000) printf "x" }' </dev/null)
cr_start long "CKPT_SIGNAL=$long" "$TESTBIN/hello" 2
cr_wait_exit "$CR_PID"
[ "$(wc -l <"$tmp/long.err")" -eq 1 ] &&
    grep -q "^libckpt: CKPT_SIGNAL: xxx*\.\.\.: not a usable signal; using SIGUSR2$" \
    "$tmp/long.err" ||
    cr_fail "a 9000-byte CKPT_SIGNAL: the reason does not show:" \
	"$(tail -c 200 "$tmp/long.err")"
cr_say "long value: $(tail -c 60 "$tmp/long.err")"

# 4. after restart: restart's stderr
cr_start orig CKPT_VERBOSE=1 CKPT_FILE="$tmp/img.zst" "$TESTBIN/hello" 500
pid=$CR_PID
cr_wait_line "$tmp/orig.out" '^count 2$' "$pid"
checkpoint_done "$pid" "$tmp/img.zst"
cr_kill "$pid"
cr_restart_bg back "$tmp/img.zst"
rpid=$CR_PID
cr_wait_line "$tmp/back.out" '^count' "$rpid"
checkpoint_done "$rpid" "$tmp/img.zst"
cr_kill "$rpid"
grep -q "^libckpt: $tmp/img.zst: checkpoint written: " "$tmp/back.err" ||
    cr_fail "after restart, no line on restart's stderr: $(cat "$tmp/back.err")"
exit 0
