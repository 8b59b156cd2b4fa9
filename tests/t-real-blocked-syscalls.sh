#!/bin/sh
# t-real-blocked-syscalls: threads stopped by the checkpoint inside
# sleep(), nanosleep(), read() of an empty pipe, pthread_cond_wait(), a raw
# futex wait and poll() resume correctly after restart: the sleepers finish
# their time, the reader gets the bytes written after restart, the waiters
# wake when told, and none of the calls ends with EINTR, neither in the
# program that was checkpointed nor in the restored one (rblocked checks
# each).  Before the checkpoint the test makes sure, from
# /proc/PID/task/*/syscall, that threads are blocked in clock_nanosleep
# (230, sleep and nanosleep) and poll (7): else it would prove nothing.
# Then the same for the thread that takes the checkpoint signal itself
# (rsleepmain: one thread, in nanosleep): its call is made again too, in
# the running program and after restart.
. "$srcdir/tests/cr-lib.sh"

# the system call numbers PID's threads are blocked in, sorted
blocked() {
	for t in /proc/"$1"/task/*; do
		read -r nr rest <"$t/syscall" 2>/dev/null && echo "$nr"
	done | sort -n | tr '\n' ' '
}

img=$tmp/b.zst
cr_start b0 CKPT_FILE="$img" "$TESTBIN/rblocked" "$tmp/go"
pid=$CR_PID
cr_wait_line "$tmp/b0.out" '^ready$' "$pid"
calls=$(blocked "$pid")
case " $calls" in
*" 7 "*" 230 230 "*) ;;
*) cr_error "rblocked's threads are in system calls $calls, not poll (7)" \
	"and two clock_nanosleep (230)" ;;
esac
# the program that was checkpointed runs on: its calls must not end early
cr_checkpoint "$pid" "$img"
: >"$tmp/go"
cr_wait_exit "$pid" 30
cr_expect_pass b0 "$CR_STATUS"
rm -f "$tmp/go"
cr_restart_bg b1 "$img"
pid=$CR_PID
cr_wait_line "$tmp/b1.out" "^resumed pid $pid\$" "$pid"
: >"$tmp/go"
cr_wait_exit "$pid" 30
cr_expect_pass b1 "$CR_STATUS"

img=$tmp/s.zst
cr_start s0 CKPT_FILE="$img" "$TESTBIN/rsleepmain"
pid=$CR_PID
cr_wait_line "$tmp/s0.out" '^ready$' "$pid"
sleep 0.5
[ "$(blocked "$pid")" = "230 " ] ||
    cr_error "rsleepmain is in system call $(blocked "$pid"), not 230"
cr_checkpoint "$pid" "$img"
cr_wait_exit "$pid" 30
cr_expect_pass s0 "$CR_STATUS"
cr_restart s1 30 "$img"
cr_expect_pass s1 "$CR_STATUS"
cr_say "blocked in $calls; $(grep '^interrupted' "$tmp/b1.out");" \
    "the signalled thread's nanosleep made again"
exit 0
