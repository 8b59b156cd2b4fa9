#!/bin/sh
# t-cr-interval: CKPT_INTERVAL=1 checkpoints by itself, again and again,
# with no signal sent; the program runs on and the image restarts.
. "$srcdir/tests/cr-lib.sh"

cr_start prog CKPT_INTERVAL=1 CKPT_FILE="$tmp/img.zst" "$TESTBIN/hello" 300
pid=$CR_PID
cr_wait_file "$tmp/img.zst" "$pid" 20
cr_counts "$tmp/prog.out"
cr_say "first automatic image by count $CR_LAST"
rm -f "$tmp/img.zst"
cr_wait_file "$tmp/img.zst" "$pid" 20
cr_say "and a second one"
cr_alive "$pid" || cr_fail "the program died"
cr_quiet prog
cp "$tmp/img.zst" "$tmp/last.zst"
cr_kill "$pid"

cr_restart_bg rst "$tmp/last.zst"
rpid=$CR_PID
cr_wait_line "$tmp/rst.out" '^count ' "$rpid"
cr_counts "$tmp/rst.out"
cr_wait_line "$tmp/rst.out" "^count $((CR_FIRST + 2))\$" "$rpid"
cr_kill "$rpid"
cr_say "the automatic image restarts"
exit 0
