/*
 * rtimerpend GOFILE - a POSIX timer's signal pending at the checkpoint
 * comes back after restart with the timer's siginfo.  SIGUSR1 is blocked;
 * a one-shot timer (SIGEV_SIGNAL, SIGUSR1, value 4321) fires, so the
 * signal is pending.  Prints "ready" and waits for GOFILE.  Then SIGUSR1
 * is unblocked: the handler must run once, with si_code SI_TIMER and
 * si_value 4321, as it does without a checkpoint.  (Before, the restored
 * process got it from kill(2): SI_USER, no value.)  PASS or FAIL.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "realt.h"

static volatile int	got, code, value;

static void
on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got++;
	code = si->si_code;
	value = si->si_value.sival_int;
}

int
main(int argc, char **argv)
{
	struct sigevent sev;
	struct itimerspec once;
	struct sigaction sa;
	sigset_t usr1, pend;
	timer_t t;
	long ticks = 0;
	int i, f;

	if (argc != 2) {
		fprintf(stderr, "usage: rtimerpend GOFILE\n");
		return 2;
	}
	rt_init();
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR1;
	sev.sigev_value.sival_int = 4321;
	memset(&once, 0, sizeof(once));
	once.it_value.tv_nsec = 10000000;
	if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0 ||
	    timer_settime(t, 0, &once, NULL) != 0) {
		rt_fail("setup", "timer: %s", strerror(errno));
		return rt_finish();
	}
	for (i = 0; i < 500; i++) {
		sigpending(&pend);
		if (sigismember(&pend, SIGUSR1))
			break;
		usleep(10000);
	}
	if (!sigismember(&pend, SIGUSR1)) {
		rt_fail("setup", "the timer's signal is not pending");
		return rt_finish();
	}
	rt_say("ready");
	rt_wait_go(argv[1], &ticks);

	f = rt_failures;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	if (got != 1 || code != SI_TIMER || value != 4321)
		rt_fail("siginfo", "handler ran %d times, last with si_code %d "
		    "and value %d, want once with SI_TIMER (%d) and 4321",
		    got, code, value, SI_TIMER);
	rt_ok_since("siginfo", f);
	return rt_finish();
}
