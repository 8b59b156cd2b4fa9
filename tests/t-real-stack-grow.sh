#!/bin/sh
# t-real-stack-grow: after restart the main stack grows as far as
# RLIMIT_STACK lets it, as it did before.  restart used to give it a fixed
# 8 MiB of plain memory below, whatever the limit: a program run with
# `ulimit -s 65536` died of SIGSEGV recursing 9 MiB deep after restart.
# With a 64 MiB limit the restored rstack recurses 24 MiB deep; with
# restart's limit at 8 MiB (the limit is restart's, which the program
# keeps) the same recursion dies of SIGSEGV, as it would have natively.
. "$srcdir/tests/cr-lib.sh"

ulimit -s 65536 2>/dev/null || cr_error "cannot set a 64 MiB stack limit"
img=$tmp/s.zst
cr_start s0 CKPT_FILE="$img" "$TESTBIN/rstack" "$tmp/go" 24
pid=$CR_PID
cr_wait_line "$tmp/s0.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
: >"$tmp/go"

cr_restart big 60 "$img"
[ "$CR_STATUS" -eq 0 ] && grep -qx "deep 24" "$tmp/big.out" &&
    ! grep -q FAIL "$tmp/big.out" ||
    cr_fail "with a 64 MiB limit the restored stack did not grow 24 MiB" \
	"(exit $CR_STATUS $(cr_sig_name "$CR_STATUS"))"
cr_say "64 MiB limit: $(cat "$tmp/big.out")"

ulimit -s 8192
cr_restart small 60 "$img"
[ "$CR_STATUS" -eq 139 ] && ! grep -q deep "$tmp/small.out" ||
    cr_fail "with an 8 MiB limit the restored stack grew 24 MiB" \
	"(exit $CR_STATUS)"
cr_say "8 MiB limit: died of SIGSEGV, as natively"
exit 0
