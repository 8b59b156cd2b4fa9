#!/bin/sh
# t-cr-restart20: one image restarts correctly every time.  A memstate
# image is restarted 20 times (address-space randomisation puts restart
# somewhere else each time); every restored copy must find all its memory
# and state intact and say PASS.  The go file exists before the first
# restart, so each copy checks and exits on its own.
. "$srcdir/tests/cr-lib.sh"

cr_start orig CKPT_FILE="$tmp/img.zst" "$TESTBIN/memstate" "$tmp/go"
pid=$CR_PID
cr_wait_line "$tmp/orig.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$tmp/img.zst"
cr_kill "$pid"
: >"$tmp/go"

bad=
i=1
while [ "$i" -le 20 ]; do
	st=0
	timeout -k 5 60 "$CR_RUN" "$RESTART" "$tmp/img.zst" >"$tmp/r$i.out" \
	    2>"$tmp/r$i.err" </dev/null || st=$?
	if [ "$st" -eq 0 ] && tail -n 1 "$tmp/r$i.out" | grep -q '^PASS$' &&
	    [ ! -s "$tmp/r$i.err" ]; then
		rm -f "$tmp/r$i.out" "$tmp/r$i.err"
	else
		why="exit $st $(cr_sig_name "$st")"
		[ "$st" -ne 124 ] || why="timed out"
		f=$(grep -m 1 '^FAIL' "$tmp/r$i.out" 2>/dev/null)
		cr_say "restart $i: $why ${f:-}"
		bad="$bad $i"
	fi
	i=$((i + 1))
done
[ -z "$bad" ] || cr_fail "restarts$bad of 20 failed"
cr_say "20 of 20 restarts passed"
exit 0
