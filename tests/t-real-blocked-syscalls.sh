#!/bin/sh
# t-real-blocked-syscalls: threads stopped by the checkpoint inside
# sleep(), nanosleep(), read() of an empty pipe, pthread_cond_wait() and a
# raw futex wait resume correctly after restart: the sleepers finish their
# time, the reader gets the bytes written after restart, the waiters wake
# when told (rblocked checks each).
. "$srcdir/tests/cr-lib.sh"

img=$tmp/b.zst
cr_start b0 CKPT_FILE="$img" "$TESTBIN/rblocked" "$tmp/go"
pid=$CR_PID
cr_wait_line "$tmp/b0.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
cr_restart_bg b1 "$img"
pid=$CR_PID
cr_wait_line "$tmp/b1.out" "^resumed pid $pid\$" "$pid"
: >"$tmp/go"
cr_wait_exit "$pid" 30
cr_expect_pass b1 "$CR_STATUS"
cr_say "$(grep '^interrupted' "$tmp/b1.out")"
exit 0
