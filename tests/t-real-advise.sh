#!/bin/sh
# t-real-advise: regions marked with madvise (hugepage, nohugepage,
# dontdump, wipeonfork) and mlock come back marked the same, as
# /proc/self/smaps shows it, and an unmarked region stays unmarked; the
# huge-page region has huge pages again if it had them; the wipe-on-fork
# region still wipes in a child forked after restart.
. "$srcdir/tests/cr-lib.sh"

img=$tmp/a.zst
cr_start a0 CKPT_FILE="$img" "$TESTBIN/radvise" "$tmp/go"
pid=$CR_PID
cr_wait_line "$tmp/a0.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
"$INSPECT" "$img" >"$tmp/inspect.txt" || cr_fail "ckpt-inspect exit $?"
# the marks every kernel takes (radvise notes the others it did not)
grep -q '(dontdump)' "$tmp/inspect.txt" &&
    grep -q '(wipeonfork)' "$tmp/inspect.txt" ||
    cr_fail "ckpt-inspect does not show the advice: $(cat "$tmp/inspect.txt")"
cr_restart_bg a1 "$img"
pid=$CR_PID
cr_wait_line "$tmp/a1.out" "^resumed pid $pid\$" "$pid"
: >"$tmp/go"
cr_wait_exit "$pid" 30
cr_expect_pass a1 "$CR_STATUS"
exit 0
