#!/bin/sh
# t-real-fdlimit: libckpt and a program's open-file limit.
#  - A program that holds every descriptor its soft limit allows (200)
#    must still be checkpointed (the leader needs descriptors of its own
#    to list threads and descriptors; it raises the soft limit within the
#    hard one until the fork) and restarted with all of them.
#  - A program with more descriptors than an image may hold (16384) must
#    get no image and one line saying so, and run on unharmed: an image
#    without some of them would bring it back with descriptors missing.
#  - A program of descriptors 0-2 only restarts under a hard limit of 32.
. "$srcdir/tests/cr-lib.sh"

yes 0123456789 | tr -d '\n' | head -c 100000 >"$tmp/data"
[ -s "$tmp/data" ] || cr_error "cannot write $tmp/data"

# at the limit: descriptors 0-199 all open
img=$tmp/a.zst
(ulimit -Sn 200 && exec "$CR_RUN" env LD_PRELOAD="$LIBCKPT" \
    CKPT_FILE="$img" "$TESTBIN/rfdmany" "$tmp/data" 195 199 "$tmp/go") \
    >"$tmp/a0.out" 2>"$tmp/a0.err" </dev/null &
pid=$!
cr_pids="$cr_pids $pid"
cr_wait_line "$tmp/a0.out" '^ready$' "$pid"
n=$(ls /proc/"$pid"/fd | wc -l)
[ "$n" -eq 200 ] || cr_error "rfdmany holds $n descriptors, not 200"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
cr_quiet a0
: >"$tmp/go"
st=0
(ulimit -Sn 200 && exec timeout -k 5 60 "$CR_RUN" "$RESTART" "$img") \
    >"$tmp/a1.out" 2>"$tmp/a1.err" </dev/null || st=$?
cr_expect_pass a1 "$st"
rm -f "$tmp/go"

# a low hard limit (ulimit -n 32) and an image of fds 0-2 only: restart
# used to ask for 83 descriptors and refuse it
img=$tmp/h.zst
cr_start h0 CKPT_FILE="$img" "$TESTBIN/hello" 10
pid=$CR_PID
cr_wait_line "$tmp/h0.out" '^count 2$' "$pid"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
st=0
(ulimit -n 32 && exec timeout -k 5 60 "$CR_RUN" "$RESTART" "$img") \
    >"$tmp/h1.out" 2>"$tmp/h1.err" </dev/null || st=$?
[ "$st" -eq 0 ] && [ "$(tail -n 1 "$tmp/h1.out")" = done ] ||
    cr_fail "restart under ulimit -n 32: exit $st: $(head -n 1 "$tmp/h1.err")"

# over the image's limit: refused, the program runs on
if [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt 17000 ]; then
	cr_say "checkpointed at its limit of 200 and restarted; hard limit" \
	    "$(ulimit -Hn): more than 16384 descriptors not tried"
	exit 0
fi
img=$tmp/b.zst
(ulimit -Sn 17000 && exec "$CR_RUN" env LD_PRELOAD="$LIBCKPT" \
    CKPT_FILE="$img" "$TESTBIN/rfdmany" "$tmp/data" 16400 16500 \
    "$tmp/go") >"$tmp/b0.out" 2>"$tmp/b0.err" </dev/null &
pid=$!
cr_pids="$cr_pids $pid"
cr_wait_line "$tmp/b0.out" '^ready$' "$pid"
kill -USR2 "$pid"
cr_wait_line "$tmp/b0.err" '^libckpt: ' "$pid"
sleep 1
[ ! -e "$img" ] || cr_fail "an image was written without all descriptors"
ls "$tmp" | grep -q '^b\.zst\.' && cr_fail "a temporary image was left:" \
    "$(ls "$tmp" | grep '^b\.zst\.')"
[ "$(cat "$tmp/b0.err")" = "libckpt: checkpoint not written: more than 16384 open descriptors" ] ||
    cr_fail "libckpt said: $(cat "$tmp/b0.err")"
: >"$tmp/go"
cr_wait_exit "$pid" 30
tail -n 1 "$tmp/b0.out" | grep -q '^PASS$' && [ "$CR_STATUS" -eq 0 ] ||
    cr_fail "the program after the refused checkpoint: exit $CR_STATUS," \
	"$(grep FAIL "$tmp/b0.out" | head -n 2)"
cr_say "checkpointed at its limit of 200 and restarted;" \
    "16402 descriptors refused in one line"
exit 0
