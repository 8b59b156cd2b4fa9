#!/bin/sh
# t-cr-bash: a bash script under libckpt obeys its CKPT_* settings.  bash
# has getenv and putenv of its own, and its putenv, called from libckpt's
# constructor before bash's main, hid the environment from its getenv:
# CKPT_SIGNAL, CKPT_FILE and CKPT_INTERVAL were silently ignored.  Here the
# script's loop is checkpointed by its own signal (USR1) to its own
# CKPT_FILE, restarted, and counts on to the end.
. "$srcdir/tests/cr-lib.sh"

command -v bash >/dev/null 2>&1 || cr_skip "no bash"
script='i=0
while [ $i -le 60 ]; do
	echo "count $i"
	i=$((i + 1))
	sleep 0.05
done
echo done'

cr_start b0 CKPT_SIGNAL=USR1 CKPT_FILE="$tmp/b.zst" CKPT_VERBOSE=1 \
    bash -c "$script"
pid=$CR_PID
cr_wait_line "$tmp/b0.out" '^count 3$' "$pid"
cr_checkpoint "$pid" "$tmp/b.zst" USR1
cr_wait_line "$tmp/b0.err" 'checkpoint written' "$pid"
cr_kill "$pid"
cr_counts "$tmp/b0.out"
prev_last=$CR_LAST
cr_say "bash checkpointed by SIGUSR1 to its CKPT_FILE"

cr_restart b1 60 "$tmp/b.zst"
[ "$CR_STATUS" -eq 0 ] ||
    cr_fail "restored script: exit status $CR_STATUS" \
	"$(cr_sig_name "$CR_STATUS")"
cr_counts "$tmp/b1.out"
[ "$CR_FIRST" -le $((prev_last + 1)) ] ||
    cr_fail "the restored script began at count $CR_FIRST, the original" \
	"had reached only $prev_last"
[ "$CR_LAST" -eq 60 ] && [ "$CR_DONE" -eq 1 ] ||
    cr_fail "the restored script stopped at count $CR_LAST (done=$CR_DONE)"
cr_say "the restored script counted from $CR_FIRST to 60 and done"
exit 0
