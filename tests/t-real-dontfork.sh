#!/bin/sh
# t-real-dontfork: a region the program marked MADV_DONTFORK comes back
# with its contents (node's V8 heap is marked so), and the running
# program keeps its mark after the checkpoint.
. "$srcdir/tests/cr-lib.sh"

img=$tmp/d.zst
cr_start d0 CKPT_FILE="$img" "$TESTBIN/rdontfork" "$tmp/go"
pid=$CR_PID
cr_wait_line "$tmp/d0.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$img"
grep -q ' dc' "/proc/$pid/smaps" ||
    cr_fail "the program lost its MADV_DONTFORK mark at the checkpoint"
cr_kill "$pid"
cr_img=$img
cr_go_pass
exit 0
