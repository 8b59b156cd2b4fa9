#!/bin/sh
# t-cr-clock: the C library works in the restored program - the vDSO
# clocks (CLOCK_REALTIME, CLOCK_MONOTONIC, gettimeofday, time), malloc and
# the break, a new thread, TLS, sched_getcpu, and getpid() returning
# restart's pid (see tests/clockmalloc.c).
. "$srcdir/tests/cr-lib.sh"

cr_start orig CKPT_FILE="$tmp/img.zst" "$TESTBIN/clockmalloc" "$tmp/go"
pid=$CR_PID
cr_wait_line "$tmp/orig.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$tmp/img.zst"
cr_kill "$pid"
sleep 1		# let the clocks move on

cr_restart_bg rst "$tmp/img.zst"
pid=$CR_PID
echo "$pid" >"$tmp/go.tmp"
mv "$tmp/go.tmp" "$tmp/go"
cr_wait_exit "$pid" 60
cr_expect_pass rst "$CR_STATUS"
cr_say "clocks, malloc, threads and getpid work after restart"
exit 0
