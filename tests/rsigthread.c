/*
 * rsigthread GOFILE - the checkpoint trigger works whichever thread the
 * kernel delivers it to, even when the main thread blocks it.
 *
 * The main thread blocks SIGUSR2 (the trigger) with pthread_sigmask before
 * it starts three workers, which inherit the mask: workers A and B unblock
 * it, C keeps it blocked.  A SIGUSR2 sent to the process can then only be
 * taken by A or B, and one sent with tgkill to B only by B; either way a
 * thread other than the main one leads the checkpoint.
 *
 * The workers count, 1 ms apart.  At the start and after each restart
 * (once every worker has counted again) the program prints
 * "tids MAIN A B C" with the threads' current ids, for the test's tgkill.
 * Once GOFILE exists, it stops the workers and checks every thread's
 * signal mask is as set (SIGUSR2 blocked in main and C only, SIGUSR1 in
 * none) and each counted after the last restart.  PASS or FAIL.
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "realt.h"

#define NT	3

static volatile long	count[NT];
static volatile int	tid[NT];
static volatile int	stop_req;
static int		blocked_at_end[NT];
static const char	names[NT] = { 'A', 'B', 'C' };

static int
usr2_blocked(void)
{
	sigset_t cur;

	pthread_sigmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, SIGUSR2) + 2 * sigismember(&cur, SIGUSR1);
}

static void *
worker(void *arg)
{
	int i = (int)(intptr_t)arg;
	struct timespec ts = { 0, 1000000 };

	if (i != 2) {
		sigset_t s;

		sigemptyset(&s);
		sigaddset(&s, SIGUSR2);
		pthread_sigmask(SIG_UNBLOCK, &s, NULL);
	}
	while (!stop_req) {
		tid[i] = (int)syscall(SYS_gettid);
		count[i]++;
		nanosleep(&ts, NULL);
	}
	blocked_at_end[i] = usr2_blocked();
	return NULL;
}

/* Waits for every worker to count again, then prints their ids. */
static void
print_tids(void)
{
	long before[NT], ticks = 0;
	int i;

	for (i = 0; i < NT; i++)
		before[i] = count[i];
	for (i = 0; i < NT; i++)
		while (count[i] == before[i] && ++ticks < CRT_GO_TICKS)
			crt_tick();
	rt_say("tids %ld %d %d %d", (long)syscall(SYS_gettid), tid[0],
	    tid[1], tid[2]);
}

int
main(int argc, char **argv)
{
	pthread_t t[NT];
	sigset_t s;
	long ticks = 0, last[NT];
	int i, f;

	if (argc != 2) {
		fprintf(stderr, "usage: rsigthread GOFILE\n");
		return 2;
	}
	rt_init();
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	for (i = 0; i < NT; i++)
		if (pthread_create(&t[i], NULL, worker,
		    (void *)(intptr_t)i) != 0) {
			rt_fail("setup", "pthread_create failed");
			return rt_finish();
		}
	print_tids();
	rt_say("ready");
	for (i = 0; i < NT; i++)
		last[i] = count[i];
	for (;;) {
		if (crt_resumed()) {
			for (i = 0; i < NT; i++)
				last[i] = count[i];
			print_tids();
		}
		if (rt_go_step(argv[1], &ticks) != 0)
			break;
	}
	stop_req = 1;
	for (i = 0; i < NT; i++)
		pthread_join(t[i], NULL);

	f = rt_failures;
	if (usr2_blocked() != 1)
		rt_fail("mask", "main: SIGUSR2 %sblocked, SIGUSR1 %sblocked",
		    usr2_blocked() & 1 ? "" : "not ",
		    usr2_blocked() & 2 ? "" : "not ");
	for (i = 0; i < NT; i++)
		if (blocked_at_end[i] != (i == 2))
			rt_fail("mask", "worker %c: SIGUSR2 %sblocked, SIGUSR1 "
			    "%sblocked", names[i],
			    blocked_at_end[i] & 1 ? "" : "not ",
			    blocked_at_end[i] & 2 ? "" : "not ");
	rt_ok_since("mask", f);
	f = rt_failures;
	for (i = 0; i < NT; i++)
		if (count[i] <= last[i])
			rt_fail("run", "worker %c did not run after restart",
			    names[i]);
	rt_ok_since("run", f);
	return rt_finish();
}
