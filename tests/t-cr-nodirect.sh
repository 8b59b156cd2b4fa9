#!/bin/sh
# t-cr-nodirect: on a filesystem that refuses O_DIRECT, the snapshot falls
# back to ordinary writes.  hello runs under "without o_direct" (a seccomp
# filter that makes every O_DIRECT open fail with EINVAL, as such a
# filesystem does); the checkpoint must still be written whole
# (ckpt-inspect --verify passes), the program must keep running, and the
# image must restart and count on to "done".
. "$srcdir/tests/cr-lib.sh"

img=$tmp/nd.zst
cr_start orig CKPT_FILE="$img" "$TESTBIN/without" o_direct \
    "$TESTBIN/hello" 30
pid=$CR_PID
cr_wait_line "$tmp/orig.out" '^count 5$' "$pid"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
cr_quiet orig
"$INSPECT" --verify "$img" >"$tmp/verify.out" 2>&1 ||
    cr_fail "ckpt-inspect --verify: $(tail -n 1 "$tmp/verify.out")"
cr_restart rst 30 "$img"
cr_counts "$tmp/rst.out"
[ "$CR_STATUS" -eq 0 ] && [ "$CR_LAST" -eq 30 ] && [ "$CR_DONE" -eq 1 ] ||
    cr_fail "restored program stopped at count $CR_LAST (done=$CR_DONE," \
	"exit $CR_STATUS)"
cr_say "image written without O_DIRECT and restarted: counts" \
    "$CR_FIRST..$CR_LAST"
exit 0
