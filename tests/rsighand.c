/*
 * rsighand - a program's own signal handlers, its alternate signal
 * stack and its signal mask survive a checkpoint, including one taken
 * while a handler runs on that stack.
 *
 * Set up: a 64 KiB sigaltstack; SIGUSR1 (SA_SIGINFO|SA_ONSTACK, SIGTERM in
 * its sa_mask) and SIGALRM (SA_SIGINFO|SA_ONSTACK|SA_RESTART) handlers that
 * record where their stack is and what siginfo says; SIGHUP and SIGWINCH
 * blocked.  A raise(SIGUSR1) proves the set-up, then a timer's SIGALRM
 * enters the handler, which says "in handler" and waits there (on the
 * alternate stack, SIGALRM and SIGTERM blocked) until its pid changes:
 * the checkpoint happens inside it.
 *
 * After restart the handler checks it is still on the alternate stack
 * (sigaltstack says SS_ONSTACK), returns, and the program checks: the
 * mask is exactly what it was, the alternate stack is set and not in use,
 * both dispositions are as installed; raise(), sigqueue() (with a value),
 * a SIGUSR1 sent by the test (it prints "send USR1" and waits for it) and
 * a timer's SIGALRM each run their handler on the alternate stack with
 * the right siginfo.  PASS or FAIL.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "realt.h"

#define ALT_LEN	(64 * 1024)

static unsigned char alt[ALT_LEN] __attribute__((aligned(64)));
static volatile sig_atomic_t hits[65], hold;
static volatile int last_code, last_value, last_onalt, held_onalt;
static volatile int held_ss_onstack, held_done;
static volatile long held_pid;
static sigset_t before_mask;

static int
on_alt(const void *p)
{
	return (const unsigned char *)p >= alt &&
	    (const unsigned char *)p < alt + ALT_LEN;
}

static void
say_raw(const char *s)
{
	(void)!write(1, s, strlen(s));
}

static void
handler(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;
	volatile char here = 0;

	last_code = si->si_code;
	last_value = si->si_value.sival_int;
	last_onalt = on_alt((const void *)&here);
	if (sig == SIGALRM && hold) {
		long start = syscall(SYS_getpid), ticks = 0;
		stack_t ss;

		hold = 0;
		say_raw("in handler\n");
		while (syscall(SYS_getpid) == start && ++ticks < CRT_GO_TICKS)
			crt_tick();
		held_pid = syscall(SYS_getpid);
		held_onalt = on_alt((const void *)&here);
		if (sigaltstack(NULL, &ss) == 0)
			held_ss_onstack = (ss.ss_flags & SS_ONSTACK) != 0;
		say_raw("handler resumed\n");
		held_done = 1;
	}
	hits[sig]++;
	errno = saved;
}

static void
install(int sig, int flags, int extra_mask_sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	if (extra_mask_sig)
		sigaddset(&sa.sa_mask, extra_mask_sig);
	if (sigaction(sig, &sa, NULL) != 0) {
		rt_fail("setup", "sigaction: %s", strerror(errno));
		exit(rt_finish());
	}
}

static void
check_action(int sig, int flags, int extra_mask_sig)
{
	struct sigaction sa;

	if (sigaction(sig, NULL, &sa) != 0 || sa.sa_sigaction != handler ||
	    (sa.sa_flags & (SA_SIGINFO | SA_ONSTACK | SA_RESTART)) !=
	    (SA_SIGINFO | flags) ||
	    (extra_mask_sig && !sigismember(&sa.sa_mask, extra_mask_sig)))
		rt_fail("actions", "signal %d: handler %p flags %#x, want %p "
		    "%#x", sig, (void *)sa.sa_sigaction, (unsigned)sa.sa_flags,
		    (void *)handler, (unsigned)(SA_SIGINFO | flags));
}

static void
arm_timer(long ms)
{
	struct itimerval it = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

/* Waits for hits[sig] to pass n; 0 if it did. */
static int
wait_hit(int sig, int n)
{
	long ticks = 0;

	while (hits[sig] <= n && ++ticks < CRT_GO_TICKS)
		crt_tick();
	return hits[sig] > n ? 0 : -1;
}

static void
expect(const char *how, int sig, int n, int code, int value)
{
	if (wait_hit(sig, n) != 0) {
		rt_fail("deliver", "%s: the handler never ran", how);
		return;
	}
	if (!last_onalt)
		rt_fail("deliver", "%s: the handler ran off the alternate "
		    "stack", how);
	if (last_code != code)
		rt_fail("deliver", "%s: si_code %d, want %d", how, last_code,
		    code);
	if (value >= 0 && last_value != value)
		rt_fail("deliver", "%s: si_value %d, want %d", how, last_value,
		    value);
}

int
main(int argc, char **argv)
{
	union sigval v;
	stack_t ss;
	sigset_t s, cur;
	long ticks = 0;
	int i, f, n;

	if (argc != 1) {
		fprintf(stderr, "usage: rsighand\n");
		return 2;
	}
	rt_init();
	ss.ss_sp = alt;
	ss.ss_size = ALT_LEN;
	ss.ss_flags = 0;
	if (sigaltstack(&ss, NULL) != 0) {
		rt_fail("setup", "sigaltstack: %s", strerror(errno));
		return rt_finish();
	}
	install(SIGUSR1, SA_ONSTACK, SIGTERM);
	install(SIGALRM, SA_ONSTACK | SA_RESTART, 0);
	sigemptyset(&s);
	sigaddset(&s, SIGHUP);
	sigaddset(&s, SIGWINCH);
	sigprocmask(SIG_BLOCK, &s, NULL);
	sigprocmask(SIG_BLOCK, NULL, &before_mask);
	raise(SIGUSR1);
	expect("raise before the checkpoint", SIGUSR1, 0, SI_TKILL, -1);
	if (rt_failures != 0)
		return rt_finish();

	hold = 1;
	arm_timer(50);
	/* the handler prints "in handler" and holds until restarted */
	while (!held_done && ++ticks < CRT_GO_TICKS)
		crt_tick();
	crt_resumed();

	f = rt_failures;
	if (!held_done || held_pid != getpid())
		rt_fail("held", "the handler did not come back in this "
		    "process");
	if (!held_onalt)
		rt_fail("held", "after restart the handler was no longer on "
		    "the alternate stack");
	if (!held_ss_onstack)
		rt_fail("held", "inside the handler after restart, "
		    "sigaltstack() did not say SS_ONSTACK");
	rt_ok_since("held", f);

	f = rt_failures;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	for (i = 1; i < 65; i++) {
		if (i == 32 || i == 33)
			continue;
		if (sigismember(&cur, i) != sigismember(&before_mask, i))
			rt_fail("mask", "signal %d is %sblocked, was %sblocked",
			    i, sigismember(&cur, i) ? "" : "not ",
			    sigismember(&before_mask, i) ? "" : "not ");
	}
	if (!sigismember(&cur, SIGHUP) || !sigismember(&cur, SIGWINCH))
		rt_fail("mask", "SIGHUP/SIGWINCH no longer blocked");
	rt_ok_since("mask", f);

	f = rt_failures;
	if (sigaltstack(NULL, &ss) != 0 || ss.ss_sp != alt ||
	    ss.ss_size != ALT_LEN || ss.ss_flags != 0)
		rt_fail("altstack", "sigaltstack says sp %p size %zu flags %#x,"
		    " want %p %d 0", ss.ss_sp, ss.ss_size,
		    (unsigned)ss.ss_flags, (void *)alt, ALT_LEN);
	rt_ok_since("altstack", f);

	f = rt_failures;
	check_action(SIGUSR1, SA_ONSTACK, SIGTERM);
	check_action(SIGALRM, SA_ONSTACK | SA_RESTART, 0);
	rt_ok_since("actions", f);

	f = rt_failures;
	n = hits[SIGUSR1];
	raise(SIGUSR1);
	expect("raise", SIGUSR1, n, SI_TKILL, -1);
	n = hits[SIGUSR1];
	v.sival_int = 4242;
	sigqueue(getpid(), SIGUSR1, v);
	expect("sigqueue", SIGUSR1, n, SI_QUEUE, 4242);
	n = hits[SIGUSR1];
	rt_say("send USR1");
	expect("kill from the test", SIGUSR1, n, SI_USER, -1);
	n = hits[SIGALRM];
	arm_timer(20);
	expect("timer", SIGALRM, n, SI_KERNEL, -1);
	rt_ok_since("deliver", f);
	return rt_finish();
}
