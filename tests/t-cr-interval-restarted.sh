#!/bin/sh
# t-cr-interval-restarted: a restored program goes on checkpointing by
# itself.  The interval timer is kernel state that a new process does not
# inherit; a program started with CKPT_INTERVAL=1 and restarted from its
# image must still write a fresh image every second, or a crash after the
# restart would lose everything since.
. "$srcdir/tests/cr-lib.sh"

cr_start prog CKPT_INTERVAL=1 CKPT_FILE="$tmp/img.zst" "$TESTBIN/hello" 300
pid=$CR_PID
cr_wait_file "$tmp/img.zst" "$pid" 20
mv "$tmp/img.zst" "$tmp/first.zst"
cr_kill "$pid"
rm -f "$tmp/img.zst"

cr_restart_bg rst "$tmp/first.zst"
rpid=$CR_PID
cr_wait_line "$tmp/rst.out" '^count ' "$rpid"
cr_wait_file "$tmp/img.zst" "$rpid" 20
cr_say "the restored program wrote a new image by itself"
cr_alive "$rpid" || cr_fail "the restored program died"
cr_kill "$rpid"
exit 0
