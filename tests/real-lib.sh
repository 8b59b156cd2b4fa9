# real-lib.sh - helpers for the issue-4 tests that run interpreters
# (t-real-python, t-real-perl), sourced after cr-lib.sh.

# real_same_output NAME REF FIRST RESTARTED [MIN]: a run that printed FIRST
# before it was killed and RESTARTED after restart must have printed REF
# in all: RESTARTED is the end of REF, and FIRST begins with the rest
# (FIRST may also hold lines printed after the checkpoint, before the
# kill: the restarted program prints them again).  Fails otherwise; also
# fails unless the checkpoint fell after line MIN (default 5) and before
# the last line, i.e. mid-run.
real_same_output() {
	rs_ref=$2 rs_a=$3 rs_b=$4 rs_min=${5:-5}
	rs_rl=$(wc -c <"$rs_ref")
	rs_bl=$(wc -c <"$rs_b")
	[ "$rs_bl" -gt 0 ] && [ "$rs_bl" -lt "$rs_rl" ] ||
	    cr_fail "$1: restarted output has $rs_bl bytes of $rs_rl"
	rs_k=$((rs_rl - rs_bl))
	tail -c "$rs_bl" "$rs_ref" | cmp -s - "$rs_b" ||
	    cr_fail "$1: restarted output is not the end of an" \
		"uninterrupted run's: $(tail -c "$rs_bl" "$rs_ref" |
		cmp - "$rs_b" 2>&1 | head -n 1)"
	head -c "$rs_k" "$rs_ref" >"$tmp/.rs_head"
	head -c "$rs_k" "$rs_a" | cmp -s - "$tmp/.rs_head" ||
	    cr_fail "$1: output before the checkpoint differs from an" \
		"uninterrupted run's"
	rs_lines=$(head -c "$rs_k" "$rs_ref" | wc -l)
	[ "$rs_lines" -ge "$rs_min" ] ||
	    cr_fail "$1: the checkpoint fell after only $rs_lines lines"
	case $(tail -c 1 "$tmp/.rs_head" | od -An -c | tr -d ' ') in
	'\n') ;;
	*) cr_fail "$1: the output is split mid-line at byte $rs_k" ;;
	esac
	cr_say "$1: $rs_lines lines before the checkpoint and" \
	    "$(wc -l <"$rs_b") after, as an uninterrupted run"
}

# real_interp NAME LABEL PROGRAM ARGS...: the whole t-real-python/perl
# scenario: an uninterrupted reference run, then a run under libckpt
# checkpointed after its 6th line, killed, restarted, and compared.
real_interp() {
	ri_n=$1
	shift
	timeout -k 5 120 "$CR_RUN" "$@" >"$tmp/ref.out" 2>"$tmp/ref.err" </dev/null ||
	    cr_error "the uninterrupted run failed: $(head -n 3 "$tmp/ref.err")"
	[ ! -s "$tmp/ref.err" ] ||
	    cr_error "the uninterrupted run wrote to stderr: $(head -n 3 "$tmp/ref.err")"
	grep -q '^done ' "$tmp/ref.out" || cr_error "the uninterrupted run did not finish"
	ri_img=$tmp/$ri_n.zst
	cr_start a CKPT_FILE="$ri_img" "$@"
	ri_pid=$CR_PID
	cr_wait_line "$tmp/a.out" '^step 5 ' "$ri_pid"
	cr_checkpoint "$ri_pid" "$ri_img"
	cr_kill "$ri_pid"
	[ ! -s "$tmp/a.err" ] || cr_fail "the run under libckpt wrote to" \
	    "stderr: $(head -n 3 "$tmp/a.err")"
	cr_restart_bg b "$ri_img"
	ri_pid=$CR_PID
	cr_wait_exit "$ri_pid" 120
	[ "$CR_STATUS" -eq 0 ] || cr_fail "the restarted run exited with" \
	    "$CR_STATUS $(cr_sig_name "$CR_STATUS")"
	[ ! -s "$tmp/b.err" ] || cr_fail "the restarted run wrote to" \
	    "stderr: $(head -n 3 "$tmp/b.err")"
	real_same_output "$ri_n" "$tmp/ref.out" "$tmp/a.out" "$tmp/b.out" 6
}
