#!/bin/sh
# t-real-stdin-closed-copy: a program that kept a copy of its standard
# input (exec 5<&0), restarted with restart's own descriptor 0 closed
# (restart IMG 0<&-), finds that copy failing on use, as 0 itself is
# closed.  restart used to copy whatever it had opened at 0 by then: the
# image, so the program read its own image as input.
. "$srcdir/tests/cr-lib.sh"

cr_img=$tmp/p.zst
go=$tmp/go
cr_start p0 CKPT_FILE="$cr_img" sh -c 'exec 5<&0; echo ready
while [ ! -e "$1" ]; do :; done
if read l <&5; then echo "read: $l"; else echo "no input"; fi' sh "$go"
cr_wait_line "$tmp/p0.out" '^ready$' "$CR_PID"
cr_checkpoint "$CR_PID" "$cr_img"
cr_kill "$CR_PID"
cr_quiet p0

: >"$go"
"$CR_RUN" "$RESTART" "$cr_img" >"$tmp/p1.out" 2>"$tmp/p1.err" 0<&- &
CR_PID=$!
cr_pids="$cr_pids $CR_PID"
cr_wait_exit "$CR_PID" 60
grep -q '^no input$' "$tmp/p1.out" ||
    cr_fail "the copy of a closed stdin gave input: $(head -c 80 \
	"$tmp/p1.out" | tr -c '[:print:]\n' '?')"
exit 0
