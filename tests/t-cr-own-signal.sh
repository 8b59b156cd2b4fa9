#!/bin/sh
# t-cr-own-signal: a program that takes the checkpoint signal for itself
# is told so, and libckpt no longer sends it.  python3 sets its own
# SIGUSR2 handler once running: libckpt says so in one line naming the
# signal, a SIGUSR2 sent then is the program's (its handler runs, no
# image), and CKPT_INTERVAL=1 no longer sends it SIGUSR2 every second
# (it used to: the program's handler ran once a second, and no checkpoint
# was ever written, without a word).  With CKPT_SIGNAL=USR1 the same
# program checkpoints on SIGUSR1 and libckpt says nothing.
# The same for signal 62, with which libckpt stops threads (the JDK's
# NIO takes it): a handler of the program's on it gets one line, and a
# checkpoint is refused at once, saying why (it used to wait 5 s for
# threads that would never stop); with CKPT_STOP_SIGNAL=61 the program
# is checkpointed and restarted.
# A program that takes SIGUSR2 and gives it back at once (rgiveback, as
# ruby does at start) gets no line, and libckpt's handler comes back with
# libckpt's flags, not the program's: a checkpoint does not end its
# blocking read with EINTR.
. "$srcdir/tests/cr-lib.sh"

command -v python3 >/dev/null 2>&1 || cr_skip "no python3"
prog='import os, signal, sys, time
got = 0
def h(s, f):
    global got
    got += 1
    print("got", got, flush=True)
signal.signal(int(sys.argv[1]) if len(sys.argv) > 1 else signal.SIGUSR2, h)
print("ready", flush=True)
while True:
    time.sleep(0.1)'

img=$tmp/o.zst
cr_start o0 CKPT_INTERVAL=1 CKPT_FILE="$img" python3 -c "$prog"
pid=$CR_PID
cr_wait_line "$tmp/o0.out" '^ready$' "$pid"
# an interval's checkpoint before python3 set its handler is fine: wait
# for its snapshot (python3's only child) to end, then forget its image
i=0
for c in $(cat "/proc/$pid/task/$pid/children" 2>/dev/null); do
	while [ -e "/proc/$c" ] &&
	    [ "$(awk '{ print $3 }' "/proc/$c/stat" 2>/dev/null)" != Z ] &&
	    [ "$i" -lt 200 ]; do
		i=$((i + 1))
		sleep 0.05
	done
done
rm -f "$img"
sleep 2.5		# two intervals and more
! grep -q '^got' "$tmp/o0.out" ||
    cr_fail "the interval timer sent the program SIGUSR2:" \
	"$(grep -c '^got' "$tmp/o0.out") times"
[ ! -e "$img" ] || cr_fail "an image was written on the program's signal"
kill -s USR2 "$pid"
cr_wait_line "$tmp/o0.out" '^got 1$' "$pid"
sleep 0.5
[ ! -e "$img" ] || cr_fail "SIGUSR2 wrote an image: it is the program's now"
cr_kill "$pid"
[ "$(wc -l <"$tmp/o0.err")" -eq 1 ] &&
    grep -q '^libckpt: SIGUSR2: the program set its own handler for it: no more checkpoints on it' "$tmp/o0.err" ||
    cr_fail "want one line saying SIGUSR2 is the program's, got:" \
	"$(head -n 3 "$tmp/o0.err")"
cr_say "$(cat "$tmp/o0.err")"

cr_start o1 CKPT_SIGNAL=USR1 CKPT_FILE="$img" python3 -c "$prog"
pid=$CR_PID
cr_wait_line "$tmp/o1.out" '^ready$' "$pid"
kill -s USR2 "$pid"
cr_wait_line "$tmp/o1.out" '^got 1$' "$pid"
cr_checkpoint "$pid" "$img" USR1
cr_kill "$pid"
[ ! -s "$tmp/o1.err" ] || cr_fail "CKPT_SIGNAL=USR1: stderr:" \
    "$(head -n 2 "$tmp/o1.err")"

cr_start o2 CKPT_FILE="$img" python3 -c "$prog" 62
pid=$CR_PID
cr_wait_line "$tmp/o2.out" '^ready$' "$pid"
rm -f "$img"
kill -s USR2 "$pid"
# at once, not after 5 s
cr_wait_line "$tmp/o2.err" 'checkpoint not written: signal 62: the program handles it' "$pid" 3
[ ! -e "$img" ] || cr_fail "signal 62 taken: an image was written"
cr_kill "$pid"
[ "$(wc -l <"$tmp/o2.err")" -eq 2 ] &&
    grep -q '^libckpt: signal 62: the program set its own handler for it, and libckpt stops threads with it' "$tmp/o2.err" ||
    cr_fail "want two lines about signal 62, got: $(head -n 3 "$tmp/o2.err")"
cr_say "$(cat "$tmp/o2.err")"

cr_start o3 CKPT_STOP_SIGNAL=61 CKPT_FILE="$img" python3 -c "$prog" 62
pid=$CR_PID
cr_wait_line "$tmp/o3.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
[ ! -s "$tmp/o3.err" ] || cr_fail "CKPT_STOP_SIGNAL=61: stderr:" \
    "$(head -n 2 "$tmp/o3.err")"
cr_restart_bg o4 "$img"
pid=$CR_PID
sleep 0.5
kill -s 62 "$pid"
cr_wait_line "$tmp/o4.out" '^got 1$' "$pid"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"

cr_start g0 CKPT_FILE="$img" "$TESTBIN/rgiveback"
pid=$CR_PID
cr_wait_line "$tmp/g0.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$img"
sleep 0.3
cr_alive "$pid" && ! grep -q '^read returned' "$tmp/g0.out" ||
    cr_fail "given back: $(tail -n 1 "$tmp/g0.out")"
cr_kill "$pid"
[ ! -s "$tmp/g0.err" ] ||
    cr_fail "given back at once: stderr: $(head -n 2 "$tmp/g0.err")"

# sigaction(SIGUSR2, &sa, &sa): the taking is seen all the same
cr_start s0 CKPT_INTERVAL=1 CKPT_FILE="$img" "$TESTBIN/rgiveback" swap
pid=$CR_PID
cr_wait_exit "$pid" 20
! grep -q '^got' "$tmp/s0.out" ||
    cr_fail "new and old action in one struct: the interval timer sent" \
	"the program SIGUSR2 ($(tail -n 1 "$tmp/s0.out"))"
grep -q '^libckpt: SIGUSR2: the program set its own handler for it' "$tmp/s0.err" ||
    cr_fail "new and old action in one struct: no line"
exit 0
