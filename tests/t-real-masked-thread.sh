#!/bin/sh
# t-real-masked-thread: a worker thread that blocks every signal (the usual
# "one signal-handling thread" design) neither prevents the checkpoint nor
# loses its mask.
. "$srcdir/tests/cr-lib.sh"

img=$tmp/m.zst
cr_start m0 CKPT_FILE="$img" "$TESTBIN/rmasked" "$tmp/go"
pid=$CR_PID
cr_wait_line "$tmp/m0.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
cr_restart_bg m1 "$img"
pid=$CR_PID
cr_wait_line "$tmp/m1.out" "^resumed pid $pid\$" "$pid"
: >"$tmp/go"
cr_wait_exit "$pid" 30
cr_expect_pass m1 "$CR_STATUS"
exit 0
