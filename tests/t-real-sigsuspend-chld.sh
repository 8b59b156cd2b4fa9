#!/bin/sh
# t-real-sigsuspend-chld: a SIGCHLD that arrives while the checkpoint
# handler runs ends the sigsuspend the checkpoint interrupted; after
# restart, which does not replay it (it came after the checkpoint's
# instant), the next SIGCHLD does (tests/rsuspend.c has the details).  timeout(1) under
# libckpt, checkpointed as its child exited, used to sleep until its time
# limit: the SIGCHLD was taken inside libckpt's handler, and the
# sigsuspend libckpt then made again waited for it.
. "$srcdir/tests/cr-lib.sh"

img=$tmp/s.zst
cr_start s0 CKPT_FILE="$img" "$TESTBIN/rsuspend" "$tmp"
pid=$CR_PID
cr_wait_line "$tmp/s0.out" '^ready slow [0-9]+$' "$pid"
slow=$(sed -n 's/^ready slow //p' "$tmp/s0.out")
# in_sigsuspend PID WHO: waits until PID's main thread is in its
# sigsuspend (rt_sigsuspend is system call 130)
in_sigsuspend() {
	i=0
	until [ "$(cut -d' ' -f1 "/proc/$1/task/$1/syscall" 2>/dev/null)" = 130 ]
	do
		i=$((i + 1))
		[ "$i" -le 400 ] || cr_fail "$2 never waited in sigsuspend"
		sleep 0.05
	done
}

# main must be in its sigsuspend when signalled
in_sigsuspend "$pid" main
rm -f "$img"
kill -USR2 "$pid" || cr_fail "cannot signal $pid"
# libckpt's stop signal (62, bit 61) pending for slow: main is in the
# checkpoint handler, waiting for slow to stop
i=0
until grep -Eq '^SigPnd:[[:space:]]*[2367abef][0-9a-f]{15}$' \
    "/proc/$pid/task/$slow/status" 2>/dev/null
do
	i=$((i + 1))
	[ "$i" -le 80 ] || cr_fail "no stop signal pending for thread $slow"
	sleep 0.05
done
"$TESTBIN/real-tgkill" "$pid" "$pid" 17 || cr_fail "cannot send SIGCHLD"
: >"$tmp/unblock"
cr_wait_file "$img" "$pid"
cr_wait_line "$tmp/s0.out" "^woke pid $pid\$" "$pid"
cr_kill "$pid"
cr_quiet s0
! grep -q '^FAIL' "$tmp/s0.out" ||
    cr_fail "before restart: $(grep '^FAIL' "$tmp/s0.out" | head -n 3)"
# the SIGCHLD came after the checkpoint's instant, so the image does not
# hold it: the restored main waits in its sigsuspend again, and wakes for
# the next one
cr_restart_bg s1 "$img"
pid=$CR_PID
in_sigsuspend "$pid" "the restored main"
! grep -q '^woke' "$tmp/s1.out" ||
    cr_fail "the restored main woke for a signal it had taken"
"$TESTBIN/real-tgkill" "$pid" "$pid" 17 || cr_fail "cannot send SIGCHLD"
cr_wait_line "$tmp/s1.out" "^woke pid $pid\$" "$pid"
: >"$tmp/go"
cr_wait_exit "$pid" 30
cr_expect_pass s1 "$CR_STATUS"
exit 0
