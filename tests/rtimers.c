/*
 * rtimers GOFILE - the process's timers tick again after restart.
 *
 * Sets up an interval timer (setitimer ITIMER_REAL, 20 ms, SIGALRM), a
 * POSIX timer signalling the process (SIGUSR1 with a value, 20 ms), one
 * signalling one worker thread alone (SIGEV_THREAD_ID, SIGRTMIN+1, 20 ms)
 * and one that notifies nobody, armed for 1000 s.  Prints "ready" and
 * waits for GOFILE.  Then
 * each periodic timer must fire again within 2 s (with its value), and the
 * quiet timer must still exist under its timer_t with most of its 1000 s
 * left.  Before, the restored process had no timers at all.  PASS or FAIL.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "realt.h"

static volatile int	got_alrm, got_usr1, bad_value, got_thread;

static void
on_alrm(int sig)
{
	(void)sig;
	got_alrm++;
}

static void
on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (si->si_value.sival_int != 1234)
		bad_value++;
	got_usr1++;
}

static volatile pid_t	worker_tid;
static __thread int	is_worker;	/* tids change with restart */

static void
on_thread(int sig)
{
	(void)sig;
	if (is_worker)
		got_thread++;
}

static void *
worker(void *arg)
{
	(void)arg;
	is_worker = 1;
	worker_tid = gettid();
	for (;;)
		pause();
	return NULL;
}

/* Waits up to 2 s, in 10 ms steps, for all three counts to move. */
static void
wait_ticks(int a, int u, int t)
{
	struct timespec ts = { 0, 10000000 };
	int i;

	for (i = 0; i < 200; i++) {
		if (got_alrm > a && got_usr1 > u && got_thread > t)
			return;
		nanosleep(&ts, NULL);
	}
}

int
main(int argc, char **argv)
{
	struct itimerval iv = { { 0, 20000 }, { 0, 20000 } };
	struct itimerspec per = { { 0, 20000000 }, { 0, 20000000 } };
	struct itimerspec quiet = { { 0, 0 }, { 1000, 0 } }, left;
	struct sigevent sev;
	struct sigaction sa;
	timer_t tsig, tthr, tnone;
	pthread_t wt;
	long ticks = 0;
	int a, u, t, f;

	if (argc != 2) {
		fprintf(stderr, "usage: rtimers GOFILE\n");
		return 2;
	}
	rt_init();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alrm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_RESTART | SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR1;
	sev.sigev_value.sival_int = 1234;
	if (timer_create(CLOCK_MONOTONIC, &sev, &tsig) != 0)
		rt_fail("setup", "timer_create SIGEV_SIGNAL");
	sa.sa_handler = on_thread;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGRTMIN + 1, &sa, NULL);
	if (pthread_create(&wt, NULL, worker, NULL) != 0)
		rt_fail("setup", "pthread_create");
	while (worker_tid == 0)
		usleep(1000);
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGRTMIN + 1;
	sev._sigev_un._tid = worker_tid;
	if (timer_create(CLOCK_REALTIME, &sev, &tthr) != 0)
		rt_fail("setup", "timer_create SIGEV_THREAD_ID");
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_NONE;
	if (timer_create(CLOCK_BOOTTIME, &sev, &tnone) != 0)
		rt_fail("setup", "timer_create SIGEV_NONE");
	if (rt_failures != 0)
		return rt_finish();
	setitimer(ITIMER_REAL, &iv, NULL);
	timer_settime(tsig, 0, &per, NULL);
	timer_settime(tthr, 0, &per, NULL);
	timer_settime(tnone, 0, &quiet, NULL);
	wait_ticks(0, 0, 0);
	if (got_alrm == 0 || got_usr1 == 0 || got_thread == 0)
		rt_fail("setup", "timers did not fire before the checkpoint");
	rt_say("ready");
	rt_wait_go(argv[1], &ticks);

	f = rt_failures;
	a = got_alrm;
	u = got_usr1;
	t = got_thread;
	wait_ticks(a, u, t);
	if (got_alrm == a)
		rt_fail("itimer", "SIGALRM from setitimer no longer comes");
	if (got_usr1 == u)
		rt_fail("posix-signal", "the SIGEV_SIGNAL timer no longer fires");
	if (bad_value != 0)
		rt_fail("posix-signal", "%d signals came without the timer's "
		    "value", (int)bad_value);
	if (got_thread == t)
		rt_fail("posix-thread-id", "the SIGEV_THREAD_ID timer no longer signals its thread");
	if (timer_gettime(tnone, &left) != 0)
		rt_fail("posix-none", "timer_gettime: %s", strerror(errno));
	else if (left.it_value.tv_sec < 900 || left.it_value.tv_sec > 1000)
		rt_fail("posix-none", "%ld s left, want 900-1000",
		    (long)left.it_value.tv_sec);
	rt_ok_since("timers", f);
	return rt_finish();
}
