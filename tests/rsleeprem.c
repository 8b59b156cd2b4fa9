/*
 * rsleeprem - two threads, each in sleep(3), which asks nanosleep for
 * the remainder, or with "nap" after SECS in nanosleep(2) with none, or
 * with "poll", "epoll" or "sigtimedwait" in poll(2), epoll_wait(2) or
 * sigtimedwait(2) with a timeout and nothing to wait for: the main thread and a second one, so that a
 * checkpoint finds one as the thread that takes the signal and the other
 * as a stopped thread.  Prints "ready", waits SECS seconds (argv[1]) in
 * both threads at once, then "done" once both have returned with nothing
 * left (the others: timed out).  A checkpoint must let each wait go on for what
 * it has left, not start it again every time: CKPT_INTERVAL shorter than
 * the wait would otherwise keep it from ever ending.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>

static unsigned int	secs;
static int		use_poll;	/* 1 poll, 2 epoll_wait, 3 sigtimedwait,
					   4 nanosleep */

/* What is left when the wait ends: 0 if it ran its whole time. */
static unsigned int
rs_wait(void)
{
	struct epoll_event ev;
	int ep, n;

	if (use_poll == 1)
		return poll(NULL, 0, (int)secs * 1000) == 0 ? 0 : 1;
	if (use_poll == 2) {
		if ((ep = epoll_create1(0)) < 0)
			return 1;
		n = epoll_wait(ep, &ev, 1, (int)secs * 1000);
		close(ep);
		return n == 0 ? 0 : 1;
	}
	if (use_poll == 4) {
		struct timespec ts = { secs, 0 };

		return nanosleep(&ts, NULL) == 0 ? 0 : 1;
	}
	if (use_poll == 3) {
		struct timespec ts = { secs, 0 };
		sigset_t set;

		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		n = sigtimedwait(&set, NULL, &ts);
		return n < 0 && errno == EAGAIN ? 0 : 1;
	}
	return sleep(secs);
}

static void *
rs_sleeper(void *arg)
{
	(void)arg;
	return (void *)(unsigned long)rs_wait();
}

int
main(int argc, char **argv)
{
	pthread_t t;
	void *left;
	unsigned int mine;

	secs = argc > 1 ? (unsigned int)atoi(argv[1]) : 3;
	if (argc > 2)
		use_poll = strcmp(argv[2], "poll") == 0 ? 1 :
		    strcmp(argv[2], "epoll") == 0 ? 2 :
		    strcmp(argv[2], "sigtimedwait") == 0 ? 3 :
		    strcmp(argv[2], "nap") == 0 ? 4 : 0;
	if (use_poll == 3) {
		sigset_t set;

		/* blocked before the thread starts: it inherits the mask */
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigprocmask(SIG_BLOCK, &set, NULL);
	}
	if (pthread_create(&t, NULL, rs_sleeper, NULL) != 0) {
		printf("FAIL pthread_create\n");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	mine = rs_wait();
	pthread_join(t, &left);
	if (mine != 0 || left != NULL) {
		printf("FAIL wait ended early: %u and %lu left\n", mine,
		    (unsigned long)left);
		return 1;
	}
	printf("done\n");
	return 0;
}
