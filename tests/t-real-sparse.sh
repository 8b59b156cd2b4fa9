#!/bin/sh
# t-real-sparse: memory touched one page per 2 MiB over 16 GiB, rewritten
# while the checkpoint is taken, is copied out before the fork (the
# verbose line says how much) and comes back as one instant; the copying
# leaves no mark behind (the region is not wipe-on-fork afterwards, a
# child forked after the checkpoint sees its pages) and leaves a mark the
# program made itself (rsparse.c).  Needs PAGEMAP_SCAN (Linux 6.7).
. "$srcdir/tests/cr-lib.sh"

img=$tmp/s.zst
cr_copied_live "$TESTBIN/rsparse" "$img"
cr_restart_bg s1 "$img"
cr_wait_exit "$CR_PID" 60
cr_expect_pass s1 "$CR_STATUS"
cr_say "$(grep '^pass' "$tmp/s1.out"), $(grep -o 'paused.*' "$tmp/s0.err")"
exit 0
