#!/bin/sh
# t-real-stdout-file: a program writing its standard output to a file
# (prog > out), restarted with that same file opened without truncating
# (restart IMG 1<> out), goes on writing where it was: out ends up
# exactly what an uninterrupted run writes.  restart used to leave its fd
# 1 at 0, so the restored program wrote over the start of its output.
# The lines written after the checkpoint, before the kill, are written
# again over themselves.  Also: restart IMG > out (truncated) is left at
# its start, as the user asked.
. "$srcdir/tests/cr-lib.sh"

cr_img=$tmp/p.zst
loop='i=0; while [ $i -lt 300 ]; do i=$((i + 1)); echo "line $i"; sleep 0.01; done'
seq 1 300 | sed 's/^/line /' >"$tmp/want"
"$CR_RUN" env LD_PRELOAD="$LIBCKPT" CKPT_FILE="$cr_img" sh -c "$loop" \
    >"$tmp/out" 2>"$tmp/p0.err" </dev/null &
CR_PID=$!
cr_pids="$cr_pids $CR_PID"
cr_wait_line "$tmp/out" '^line 20$' "$CR_PID"
cr_checkpoint "$CR_PID" "$cr_img"
cr_wait_line "$tmp/out" '^line 60$' "$CR_PID"
cr_kill "$CR_PID"
cr_quiet p0

"$RESTART" "$cr_img" 1<>"$tmp/out" 2>"$tmp/p1.err" </dev/null
st=$?
[ "$st" -eq 0 ] || cr_fail "restart: exit $st: $(head -n 2 "$tmp/p1.err")"
[ ! -s "$tmp/p1.err" ] || cr_fail "restart said: $(head -n 2 "$tmp/p1.err")"
cmp -s "$tmp/want" "$tmp/out" ||
    cr_fail "restart IMG 1<> out: out is not the uninterrupted output:" \
	"$(head -n 2 "$tmp/out" | tr '\n' ' ')... $(wc -l <"$tmp/out") lines"

# truncated by the user: the program writes from the start of it
"$RESTART" "$cr_img" >"$tmp/out" 2>"$tmp/p2.err" </dev/null ||
    cr_fail "restart IMG > out: exit $?: $(head -n 2 "$tmp/p2.err")"
first=$(sed -n '1s/^line //p' "$tmp/out")
[ -n "$first" ] && [ "$first" -gt 20 ] && [ "$(head -c 1 "$tmp/out")" = l ] ||
    cr_fail "restart IMG > out: out does not begin with the restored" \
	"program's first line"
exit 0
