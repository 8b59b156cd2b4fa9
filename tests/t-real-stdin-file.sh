#!/bin/sh
# t-real-stdin-file: a program reading its standard input from a file
# (prog < in), restarted with that same file as input (restart IMG < in),
# goes on from where it was instead of reading its input again: restart
# moves its own descriptor 0 to the saved offset when it is the same file.
. "$srcdir/tests/cr-lib.sh"

seq 1 300 >"$tmp/in"
cr_img=$tmp/p.zst
# sh's read takes a byte at a time, so the offset is where the loop is
"$CR_RUN" env LD_PRELOAD="$LIBCKPT" CKPT_FILE="$cr_img" sh -c \
    'while read l; do echo "got $l"; sleep 0.01; done' \
    <"$tmp/in" >"$tmp/p0.out" 2>"$tmp/p0.err" &
CR_PID=$!
cr_pids="$cr_pids $CR_PID"
cr_wait_line "$tmp/p0.out" '^got 20$' "$CR_PID"
cr_checkpoint "$CR_PID" "$cr_img"
cr_kill "$CR_PID"
cr_quiet p0

"$RESTART" "$cr_img" <"$tmp/in" >"$tmp/p1.out" 2>"$tmp/p1.err"
st=$?
[ "$st" -eq 0 ] || cr_fail "restart: exit $st: $(head -n 2 "$tmp/p1.err")"
[ ! -s "$tmp/p1.err" ] || cr_fail "restart said: $(head -n 2 "$tmp/p1.err")"
first=$(sed -n '1s/^got //p' "$tmp/p1.out")
[ -n "$first" ] && [ "$first" -gt 20 ] ||
    cr_fail "the restored loop began at '$first': it read its input again"
seq "$first" 300 | sed 's/^/got /' | cmp -s - "$tmp/p1.out" ||
    cr_fail "the restored loop did not read on from $first to 300"
grep -q "^got $((first - 1))\$" "$tmp/p0.out" ||
    cr_fail "the restored loop skipped input: it began at $first"
exit 0
