#!/bin/sh
# t-rst-stack-limit: restart under a small stack size limit.  Under
# `ulimit -s 32` restart overflowed its own stack and died of SIGSEGV,
# saying nothing.  With a soft limit of 32 KiB under a higher hard one,
# restart now raises its own soft limit while it works, and the program
# comes back and runs on, keeping the 32 KiB it was restarted under.
# With a hard limit of 64 KiB, restart refuses in one line and runs
# nothing.
. "$srcdir/tests/cr-lib.sh"

cr_ready_ckpt "$TESTBIN/rpending"
real=$RESTART
printf '#!/bin/sh\nulimit -S -s 32 && exec "%s" "$@"\n' "$real" \
    >"$tmp/restart-soft32"
printf '#!/bin/sh\nulimit -s 64 && exec "%s" "$@"\n' "$real" \
    >"$tmp/restart-hard64"
chmod +x "$tmp/restart-soft32" "$tmp/restart-hard64"

RESTART=$tmp/restart-hard64
"$CR_RUN" "$RESTART" "$cr_img" >"$tmp/h.out" 2>"$tmp/h.err" </dev/null
st=$?
[ "$st" -eq 1 ] || cr_fail "restart under a 64 KiB hard limit: exit $st," \
    "said: $(head -n 2 "$tmp/h.err")"
[ "$(wc -l <"$tmp/h.err")" -eq 1 ] &&
    grep -q "p.zst: a stack size limit of 64 KiB is too small: restart needs [0-9]* KiB (ulimit -s)$" "$tmp/h.err" ||
    cr_fail "restart under a 64 KiB hard limit said: $(cat "$tmp/h.err")"
[ ! -s "$tmp/h.out" ] || cr_fail "the program ran: $(head -n 2 "$tmp/h.out")"

RESTART=$tmp/restart-soft32
cr_restart_bg p1 "$cr_img"
cr_wait_line "$tmp/p1.out" "^resumed pid $CR_PID\$" "$CR_PID"
lim=$(awk '/^Max stack size/ { print $4 }' "/proc/$CR_PID/limits")
[ "$lim" = 32768 ] || cr_fail "the program's soft stack limit is $lim," \
    "not the 32768 it was restarted under"
: >"$tmp/go"
cr_wait_exit "$CR_PID" 30
cr_expect_pass p1 "$CR_STATUS" ""
RESTART=$real
exit 0
