#!/bin/sh
# t-cr-levels: checkpoints at the compression levels a user may choose
# (CKPT_LEVEL) all restart.  Every worker's zstd context is a static one,
# sized when the snapshot starts for the level's parameters on chunks of at
# most 1 MiB (fmt_cctx_size): a context too small fails every chunk, and
# one sized for inputs of any length does not fit at level 22 (649 MiB).
# hello runs once per level -5, 1, 3 and 22; each image must verify,
# restart and count on to "done" with nothing on stderr, and level 22 must
# store fewer bytes than level -5 (the level is applied).
. "$srcdir/tests/cr-lib.sh"

levels="-5 1 3 22"
tag() { echo "$1" | tr - m; }	# a name for shell variables
# 100 counts, 20 s: time for a level 22 checkpoint on a loaded machine
for l in $levels; do
	cr_start "orig$l" CKPT_LEVEL="$l" CKPT_FILE="$tmp/l$l.zst" \
	    "$TESTBIN/hello" 100
	eval "pid$(tag "$l")=\$CR_PID"
done
for l in $levels; do
	eval "pid=\$pid$(tag "$l")"
	cr_wait_line "$tmp/orig$l.out" '^count 3$' "$pid"
	cr_checkpoint "$pid" "$tmp/l$l.zst"
	cr_kill "$pid"
	cr_quiet "orig$l"
	"$INSPECT" --verify "$tmp/l$l.zst" >"$tmp/verify$l.out" 2>&1 ||
	    cr_fail "level $l: ckpt-inspect --verify:" \
		"$(tail -n 1 "$tmp/verify$l.out")"
done
for l in $levels; do	# side by side: each counts on for about 20 s
	cr_restart_bg "rst$l" "$tmp/l$l.zst"
	eval "pid$(tag "$l")=\$CR_PID"
done
for l in $levels; do
	eval "pid=\$pid$(tag "$l")"
	cr_wait_exit "$pid" 60
	cr_counts "$tmp/rst$l.out"
	[ "$CR_STATUS" -eq 0 ] && [ "$CR_LAST" -eq 100 ] &&
	    [ "$CR_DONE" -eq 1 ] ||
	    cr_fail "level $l: restored program stopped at count $CR_LAST" \
		"(done=$CR_DONE, exit $CR_STATUS)"
	cr_quiet "rst$l"
done
stored() {
	"$INSPECT" --json "$tmp/l$1.zst" |
	    sed -n '/"totals"/,$s/^    "stored_bytes": \([0-9]*\),*$/\1/p'
}
lo=$(stored -5) hi=$(stored 22)
[ -n "$lo" ] && [ -n "$hi" ] || cr_error "no stored_bytes in the JSON"
[ "$hi" -lt "$lo" ] ||
    cr_fail "level 22 stored $hi bytes, level -5 $lo: the level is ignored"
cr_say "levels $levels restarted; stored bytes: level -5 $lo, level 22 $hi"
exit 0
