#!/bin/sh
# t-real-far: pages of one window that lie more than 2^32 pages apart (in
# a 17 TiB reservation) cannot share a PAGES chunk; they come back where
# they were, with the right contents, the pages between them included
# (rfar.c checks each).  Needs PAGEMAP_SCAN (Linux 6.7): without it the
# snapshot would read 17 TiB a window at a time.
. "$srcdir/tests/cr-lib.sh"

img=$tmp/f.zst
cr_start f0 CKPT_FILE="$img" "$TESTBIN/rfar" "$tmp/go"
pid=$CR_PID
cr_wait_line "$tmp/f0.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
cr_restart_bg f1 "$img"
pid=$CR_PID
cr_wait_line "$tmp/f1.out" "^resumed pid $pid\$" "$pid"
: >"$tmp/go"
cr_wait_exit "$pid" 60
cr_expect_pass f1 "$CR_STATUS"
exit 0
