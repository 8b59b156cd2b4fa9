#!/bin/sh
# t-cr-addrlimit: a checkpoint under an address-space limit (ulimit -v)
# too small for libckpt's working reservation (1 GiB of address space,
# not of memory) is not written, with one line saying so ("checkpoint not
# written: cannot reserve ..."; it used to say only "cannot map working
# memory"); the program counts on unharmed and no file appears.
. "$srcdir/tests/cr-lib.sh"

img=$tmp/a.zst
(ulimit -v 600000 && exec "$CR_RUN" env LD_PRELOAD="$LIBCKPT" \
    CKPT_FILE="$img" "$TESTBIN/hello" 15) >"$tmp/a.out" 2>"$tmp/a.err" \
    </dev/null &
pid=$!
cr_pids="$cr_pids $pid"
cr_wait_line "$tmp/a.out" '^count 2$' "$pid"
kill -USR2 "$pid"
cr_wait_line "$tmp/a.err" '^libckpt: ' "$pid"
[ "$(cat "$tmp/a.err")" = "libckpt: checkpoint not written: cannot reserve 1 GiB of address space to work in: out of memory" ] ||
    cr_fail "libckpt said: $(cat "$tmp/a.err")"
cr_wait_exit "$pid" 30
[ "$CR_STATUS" -eq 0 ] && [ "$(tail -n 1 "$tmp/a.out")" = done ] ||
    cr_fail "the program did not count on to the end (exit $CR_STATUS)"
[ -z "$(ls -A "$tmp" | grep 'a\.zst')" ] ||
    cr_fail "a file appeared: $(ls -A "$tmp" | grep 'a\.zst')"
exit 0
