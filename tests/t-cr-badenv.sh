#!/bin/sh
# t-cr-badenv: bad settings are reported and ignored.  CKPT_SIGNAL=SIGFOO,
# CKPT_SIGNAL=999, CKPT_LEVEL=abc, CKPT_LEVEL=99, CKPT_INTERVAL=-3,
# CKPT_VERBOSE=2, CKPT_VERBOSE=yes, an empty CKPT_FILE, CKPT_LEVEL,
# CKPT_INTERVAL, CKPT_VERBOSE or CKPT_STOP_SIGNAL, CKPT_STOP_SIGNAL=12 (not
# a real-time signal), and numbers with a
# leading blank or plus (CKPT_SIGNAL=" 10", CKPT_LEVEL=+3) each get exactly one
# line on stderr naming the variable; the program runs on unharmed, takes
# no checkpoint by itself (the default interval is none), and the default
# signal, SIGUSR2, still writes the default image ckpt-hello-PID.zst.
. "$srcdir/tests/cr-lib.sh"

n=0
for setting in CKPT_SIGNAL=SIGFOO CKPT_SIGNAL=999 CKPT_LEVEL=abc \
    CKPT_LEVEL=99 CKPT_INTERVAL=-3 CKPT_VERBOSE=2 CKPT_VERBOSE=yes \
    CKPT_FILE= CKPT_LEVEL= CKPT_INTERVAL= CKPT_VERBOSE= "CKPT_SIGNAL= 10" \
    CKPT_LEVEL=+3 "CKPT_INTERVAL= 1" CKPT_STOP_SIGNAL=12 CKPT_STOP_SIGNAL=; do
	n=$((n + 1))
	var=${setting%%=*}
	cr_start "bad$n" "$setting" "$TESTBIN/hello" 200
	pid=$CR_PID
	cr_wait_line "$tmp/bad$n.out" '^count 4$' "$pid"
	err=$tmp/bad$n.err
	[ "$(wc -l <"$err")" -eq 1 ] ||
	    cr_fail "$setting: $(wc -l <"$err") lines on stderr, expected one"
	grep -q "$var" "$err" ||
	    cr_fail "$setting: the message does not name $var: $(cat "$err")"
	cr_say "$setting: $(cat "$err")"
	for f in "$tmp"/ckpt-*.zst "$tmp"/.ckpt-*; do
		[ ! -e "$f" ] ||
		    cr_fail "$setting: ${f##*/} appeared without a signal"
	done
	cr_checkpoint "$pid" "$tmp/ckpt-hello-$pid.zst" USR2
	cr_kill "$pid"
	rm -f "$tmp/ckpt-hello-$pid.zst"
	[ "$(wc -l <"$err")" -eq 1 ] ||
	    cr_fail "$setting: more on stderr after the checkpoint:" \
		"$(tail -n 1 "$err")"
done
exit 0
