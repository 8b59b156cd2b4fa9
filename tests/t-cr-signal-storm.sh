#!/bin/sh
# t-cr-signal-storm: a storm of checkpoint signals neither harms the
# program nor floods its stderr.  hello, with a slow snapshot
# (CKPT_LEVEL=19), gets 200 SIGUSR2s 5 ms apart.  A signal that comes
# while the previous snapshot is still being written is refused, but
# the line saying so comes at most once a second, counting the ones
# not reported (each used to get a line: thousands in a few seconds).
# The program counts on, and its last image verifies.
. "$srcdir/tests/cr-lib.sh"

img=$tmp/s.zst
cr_start s0 CKPT_LEVEL=19 CKPT_FILE="$img" "$TESTBIN/hello" 1000
pid=$CR_PID
cr_wait_line "$tmp/s0.out" '^count 2$' "$pid"
t0=$(date +%s)
i=0
while [ "$i" -lt 200 ]; do
	kill -s USR2 "$pid" || cr_fail "hello is gone after $i signals"
	sleep 0.005
	i=$((i + 1))
done
t1=$(date +%s)
n=$(sed -n 's/^count //p' "$tmp/s0.out" | tail -n 1)
cr_wait_line "$tmp/s0.out" "^count $((n + 3))\$" "$pid"
# a snapshot written (on a loaded host the first may take long), then
# time for the last one to end
i=0
while [ ! -s "$img" ] && [ "$i" -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -s "$img" ] || cr_fail "no image after 60 s"
sleep 2
cr_kill "$pid"

lines=$(grep -c 'checkpoint still being written; signal ignored' "$tmp/s0.err")
other=$(grep -vc 'checkpoint still being written; signal ignored' "$tmp/s0.err")
cr_say "200 signals in $((t1 - t0)) s: $lines lines," \
    "$(sed -n 's/.*(and \([0-9]*\) more.*/\1/p' "$tmp/s0.err" | tr '\n' ' ')"
[ "$other" -eq 0 ] || cr_fail "stderr: $(grep -v 'still being' "$tmp/s0.err" | head -n 2)"
[ "$lines" -ge 1 ] || cr_fail "no signal was refused: the snapshot was not slow"
[ "$lines" -le $((t1 - t0 + 2)) ] ||
    cr_fail "$lines lines in $((t1 - t0 + 1)) s: more than one a second"
[ "$lines" -eq 1 ] || grep -q 'signal ignored (and [0-9]* more since the last line)$' "$tmp/s0.err" ||
    cr_fail "the lines after the first do not count the signals not reported"
[ -z "$INSPECT" ] || "$INSPECT" --verify "$img" >/dev/null ||
    cr_fail "the last image does not verify"
exit 0
