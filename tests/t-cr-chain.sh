#!/bin/sh
# t-cr-chain: a restarted program can be checkpointed again, and that
# image restarted, generation after generation.  Three generations
# (checkpoint, kill, restart; checkpoint restart's pid, kill, restart; ...)
# of memstate - whose state is checked at the very end - and of hello,
# whose count must go on across every generation without a gap and end
# with "done".
. "$srcdir/tests/cr-lib.sh"

# ---- memstate: all state intact after three generations ----
cr_start m0 CKPT_FILE="$tmp/m.zst" "$TESTBIN/memstate" "$tmp/go"
pid=$CR_PID
cr_wait_line "$tmp/m0.out" '^ready$' "$pid"
for g in 1 2 3; do
	cr_checkpoint "$pid" "$tmp/m.zst"
	mv "$tmp/m.zst" "$tmp/m-gen$g.zst"
	cr_kill "$pid"
	cr_restart_bg "m$g" "$tmp/m-gen$g.zst"
	pid=$CR_PID
	cr_wait_line "$tmp/m$g.out" "^resumed pid $pid\$" "$pid"
done
: >"$tmp/go"
cr_wait_exit "$pid" 60
cr_expect_pass m3 "$CR_STATUS"
cr_say "memstate: state intact after 3 generations"

# ---- hello: the count continues across three generations ----
cr_start h0 CKPT_FILE="$tmp/h.zst" "$TESTBIN/hello" 60
pid=$CR_PID
cr_wait_line "$tmp/h0.out" '^count 3$' "$pid"
for g in 1 2 3; do
	cr_checkpoint "$pid" "$tmp/h.zst"
	mv "$tmp/h.zst" "$tmp/h-gen$g.zst"
	cr_kill "$pid"
	cr_counts "$tmp/h$((g - 1)).out"
	prev_last=$CR_LAST
	cr_restart_bg "h$g" "$tmp/h-gen$g.zst"
	pid=$CR_PID
	cr_wait_line "$tmp/h$g.out" '^count ' "$pid"
	cr_counts "$tmp/h$g.out"
	[ "$CR_FIRST" -le $((prev_last + 1)) ] ||
	    cr_fail "generation $g began at count $CR_FIRST, generation" \
		"$((g - 1)) had reached only $prev_last"
	cr_wait_line "$tmp/h$g.out" "^count $((CR_FIRST + 2))\$" "$pid"
done
cr_wait_exit "$pid" 30
cr_counts "$tmp/h3.out"
[ "$CR_STATUS" -eq 0 ] ||
    cr_fail "generation 3 exit status $CR_STATUS $(cr_sig_name "$CR_STATUS")"
[ "$CR_LAST" -eq 60 ] && [ "$CR_DONE" -eq 1 ] ||
    cr_fail "generation 3 stopped at count $CR_LAST (done=$CR_DONE)"
for g in 0 1 2 3; do
	[ ! -s "$tmp/h$g.err" ] ||
	    cr_fail "generation $g wrote to stderr: $(head -n 2 "$tmp/h$g.err")"
done
cr_say "hello: counted to 60 and done across 3 generations"
exit 0
