/*
 * rsigwait GOFILE - threads that wait for signals on a full set (the
 * one-signal-thread design of daemons) let the process be checkpointed,
 * never receive libckpt's stop signal, and still take their signals after
 * restart.
 *
 * main blocks every signal but SIGUSR2 (the trigger), then starts three
 * waiters, each on a full set less SIGUSR2:
 *   sigwait       sigwait(), forever;
 *   sigtimedwait  sigtimedwait() with a 50 ms timeout, looping on EAGAIN
 *                 and on EINTR, which a checkpoint causes as any handled
 *                 signal does (counted, reported at the end);
 *   signalfd      read() of a signalfd, which restart makes again with
 *                 its mask.
 * Each prints "NAME got N" for each signal it takes and fails on any but
 * SIGUSR1 (the stop signal, 62, above all).  main sends each a SIGUSR1
 * with pthread_kill and waits for it to be taken, says "ready" and counts,
 * one tick at a time, until GOFILE exists.  Then it checks it counted
 * after the last restart, and sends each waiter a SIGUSR1 again and waits
 * for it to take it.  PASS or FAIL.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "realt.h"

enum { W_SIGWAIT, W_TIMEDWAIT, W_SIGNALFD, NW };

static const char	*names[NW] = { "sigwait", "sigtimedwait", "signalfd" };
static sigset_t		 wait_set;
static volatile int	 got[NW];	/* SIGUSR1s taken */
static volatile long	 intr;		/* sigtimedwait EINTRs */
static pid_t		 first_pid;

static void
took(int w, int sig)
{
	if (sig != SIGUSR1) {
		rt_fail(names[w], "took signal %d", sig);
		return;
	}
	rt_say("%s got %d", names[w], sig);
	__atomic_add_fetch(&got[w], 1, __ATOMIC_RELEASE);
}

static void *
w_sigwait(void *arg)
{
	int sig, r;

	for (;;) {
		if ((r = sigwait(&wait_set, &sig)) != 0) {
			rt_fail(names[W_SIGWAIT], "%s", strerror(r));
			return NULL;
		}
		took(W_SIGWAIT, sig);
	}
}

static void *
w_timedwait(void *arg)
{
	struct timespec ts = { 0, 50000000 };
	siginfo_t si;
	int sig;

	for (;;) {
		sig = sigtimedwait(&wait_set, &si, &ts);
		if (sig > 0)
			took(W_TIMEDWAIT, sig);
		else if (errno == EINTR)
			intr++;
		else if (errno != EAGAIN) {
			rt_fail(names[W_TIMEDWAIT], "%s", strerror(errno));
			return NULL;
		}
	}
}

static void *
w_signalfd(void *arg)
{
	struct signalfd_siginfo si;
	int fd = *(int *)arg;
	ssize_t n;

	for (;;) {
		n = read(fd, &si, sizeof(si));
		if (n == (ssize_t)sizeof(si))
			took(W_SIGNALFD, (int)si.ssi_signo);
		else if (n < 0 && errno == EINTR)
			continue;
		else {
			rt_fail(names[W_SIGNALFD], "read returned %zd: %s", n,
			    n < 0 ? strerror(errno) : "short");
			return NULL;
		}
	}
}

/* Sends waiter w a SIGUSR1 and waits, bounded, for it to take it. */
static void
poke(pthread_t t, int w)
{
	int before = __atomic_load_n(&got[w], __ATOMIC_ACQUIRE), r;
	long ticks = 0;

	if ((r = pthread_kill(t, SIGUSR1)) != 0) {
		rt_fail(names[w], "pthread_kill: %s", strerror(r));
		return;
	}
	while (__atomic_load_n(&got[w], __ATOMIC_ACQUIRE) == before &&
	    ++ticks < CRT_GO_TICKS)
		crt_tick();
	if (ticks >= CRT_GO_TICKS)
		rt_fail(names[w], "did not take SIGUSR1");
}

int
main(int argc, char **argv)
{
	void *(*fn[NW])(void *) = { w_sigwait, w_timedwait, w_signalfd };
	pthread_t t[NW];
	long ticks = 0, count = 0, count_resumed = 0;
	int i, sfd, f;

	if (argc != 2) {
		fprintf(stderr, "usage: rsigwait GOFILE\n");
		return 2;
	}
	rt_init();
	first_pid = getpid();
	sigfillset(&wait_set);
	sigdelset(&wait_set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &wait_set, NULL);
	if ((sfd = signalfd(-1, &wait_set, SFD_CLOEXEC)) < 0) {
		rt_fail("setup", "signalfd: %s", strerror(errno));
		return rt_finish();
	}
	for (i = 0; i < NW; i++)
		if (pthread_create(&t[i], NULL, fn[i], &sfd) != 0) {
			rt_fail("setup", "pthread_create failed");
			return rt_finish();
		}
	for (i = 0; i < NW; i++)
		poke(t[i], i);
	if (rt_failures != 0)
		return rt_finish();
	rt_say("ready");
	for (;;) {
		if (crt_resumed())
			count_resumed = count;
		if (rt_go_step(argv[1], &ticks) != 0)
			break;
		count++;
	}

	f = rt_failures;
	if (getpid() == first_pid || count <= count_resumed)
		rt_fail("count", "main did not count after a restart");
	rt_ok_since("count", f);
	f = rt_failures;
	for (i = 0; i < NW; i++)
		poke(t[i], i);
	rt_ok_since("waiters", f);
	rt_say("sigtimedwait interrupted %ld times", intr);
	return rt_finish();
}
