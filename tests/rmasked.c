/*
 * rmasked GOFILE - a worker thread that blocks every signal still lets the
 * process be checkpointed.
 *
 * The common design: main blocks everything (sigfillset plus
 * pthread_sigmask) before creating a worker, so the worker inherits a full
 * mask; main then unblocks only the trigger.  The worker counts in a loop.
 * After restart both threads must run on, and the worker's mask must still
 * block what it blocked (SIGINT, SIGUSR1, SIGTERM).  PASS or FAIL.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "realt.h"

static volatile long	 worker_ticks;
static volatile int	 worker_stop;
static sigset_t		 worker_mask;

static void *
worker(void *arg)
{
	pthread_sigmask(SIG_SETMASK, NULL, &worker_mask);
	while (!worker_stop) {
		worker_ticks++;
		usleep(1000);
	}
	pthread_sigmask(SIG_SETMASK, NULL, &worker_mask);
	return NULL;
}

int
main(int argc, char **argv)
{
	sigset_t all, trig;
	pthread_t t;
	long ticks = 0, before;

	if (argc != 2) {
		fprintf(stderr, "usage: rmasked GOFILE\n");
		return 2;
	}
	rt_init();
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	if (pthread_create(&t, NULL, worker, NULL) != 0) {
		rt_fail("setup", "pthread_create failed");
		return rt_finish();
	}
	sigemptyset(&trig);
	sigaddset(&trig, SIGUSR2);
	pthread_sigmask(SIG_UNBLOCK, &trig, NULL);
	while (worker_ticks < 10)
		usleep(1000);
	rt_say("ready");
	rt_wait_go(argv[1], &ticks);
	before = worker_ticks;
	usleep(200000);
	if (worker_ticks <= before)
		rt_fail("worker", "the worker does not run after restart");
	worker_stop = 1;
	pthread_join(t, NULL);
	if (!sigismember(&worker_mask, SIGINT) ||
	    !sigismember(&worker_mask, SIGUSR1) ||
	    !sigismember(&worker_mask, SIGTERM))
		rt_fail("mask", "the worker's signal mask lost signals");
	rt_ok_since("worker", 0);
	return rt_finish();
}
