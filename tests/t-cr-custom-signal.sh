#!/bin/sh
# t-cr-custom-signal: CKPT_SIGNAL chooses the trigger, by name with or
# without "SIG", or by number (a real-time one included).  Each form takes
# a checkpoint on its own signal with nothing on stderr; the restored
# program still answers the custom signal.
. "$srcdir/tests/cr-lib.sh"

n=0
for pair in SIGUSR1:USR1 USR1:USR1 10:USR1 37:37; do
	n=$((n + 1))
	setting=${pair%%:*} sig=${pair#*:}
	cr_start "c$n" CKPT_SIGNAL="$setting" CKPT_FILE="$tmp/c$n.zst" \
	    "$TESTBIN/hello" 200
	pid=$CR_PID
	cr_wait_line "$tmp/c$n.out" '^count 3$' "$pid"
	cr_checkpoint "$pid" "$tmp/c$n.zst" "$sig"
	[ ! -s "$tmp/c$n.err" ] || cr_fail "CKPT_SIGNAL=$setting: stderr:" \
	    "$(head -n 2 "$tmp/c$n.err")"
	cr_kill "$pid"
	cr_say "CKPT_SIGNAL=$setting: checkpointed by signal $sig"
done

cr_restart_bg rst "$tmp/c1.zst"
rpid=$CR_PID
cr_wait_line "$tmp/rst.out" '^count ' "$rpid"
cr_checkpoint "$rpid" "$tmp/c1.zst" USR1
cr_kill "$rpid"
[ ! -s "$tmp/rst.err" ] ||
    cr_fail "restored program: stderr: $(head -n 2 "$tmp/rst.err")"
cr_say "the restored program still checkpoints on SIGUSR1"
exit 0
