#!/bin/sh
# t-cr-blocked-start: a program started with every signal blocked (its
# parent blocked them before it forked and executed it, as some
# supervisors do) is checkpointed all the same.  libckpt installed its
# handlers but left the inherited mask alone, so the checkpoint signal
# stayed pending for ever: no image and not a word.  Now libckpt unblocks
# its own two signals (the trigger and its stop signal) at start, and
# only those: SIGTERM, which the program did not unblock, stays blocked.
. "$srcdir/tests/cr-lib.sh"

command -v python3 >/dev/null 2>&1 || cr_skip "no python3"
block='import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
os.execv(sys.argv[1], sys.argv[1:])'

img=$tmp/b.zst
cr_start b0 CKPT_FILE="$img" python3 -c "$block" "$TESTBIN/hello" 500
pid=$CR_PID
cr_wait_line "$tmp/b0.out" '^count 2$' "$pid"
blk=$(sed -n 's/^SigBlk:[[:space:]]*//p' "/proc/$pid/status")
# SIGUSR2 is 12 and SIGTERM 15: bits 11 and 14, in the last 4 hex digits
# (the whole mask overflows the shell's arithmetic)
blk=${blk#"${blk%????}"}
[ $((0x$blk >> 14 & 1)) -eq 1 ] ||
    cr_fail "SIGTERM is no longer blocked (SigBlk $blk)"
[ $((0x$blk >> 11 & 1)) -eq 0 ] ||
    cr_fail "SIGUSR2, the checkpoint signal, is still blocked (SigBlk $blk)"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
[ ! -s "$tmp/b0.err" ] || cr_fail "stderr: $(head -n 2 "$tmp/b0.err")"

cr_restart_bg b1 "$img"
pid=$CR_PID
last=$(sed -n 's/^count //p' "$tmp/b0.out" | tail -n 1)
cr_wait_line "$tmp/b1.out" "^count $((last + 2))\$" "$pid"
cr_kill "$pid"
exit 0
