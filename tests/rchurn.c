/*
 * rchurn MODE [LIMIT [N]] - a counter with other threads at work: prints
 * "count N" every 0.2 s, N from 1 to LIMIT (default 500), then "done".
 *   idle:  N more threads (default 3), asleep.  After a restart the checkpoint
 *          signal held through it may reach one of them while the main
 *          thread still leads the return (t-rst-early-signal).
 *   churn: two threads that start eight short-lived threads and join
 *          them, over and over, and one that starts a detached thread
 *          every 100 us.  glibc's exiting thread blocks every signal,
 *          then may wait for the stack-cache lock a thread stopped in
 *          pthread_create or pthread_join holds (t-real-thread-churn).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void *
rc_short(void *arg)
{
	char b[2000];

	memset(b, 1, sizeof(b));
	__asm__ volatile("" : : "r"(b) : "memory");	/* touch its stack */
	return arg;
}

static void *
rc_joiner(void *arg)
{
	pthread_t t[8];
	int i, n;

	(void)arg;
	for (;;) {
		for (n = 0; n < 8; n++)
			if (pthread_create(&t[n], NULL, rc_short, NULL) != 0)
				break;
		for (i = 0; i < n; i++)
			pthread_join(t[i], NULL);
	}
	return NULL;
}

static void *
rc_detacher(void *arg)
{
	pthread_attr_t at;
	pthread_t t;

	(void)arg;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	for (;;) {
		pthread_create(&t, &at, rc_short, NULL);
		usleep(100);
	}
	return NULL;
}

static void *
rc_sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void
rc_start(void *(*fn)(void *))
{
	pthread_t t;
	int rc;

	if ((rc = pthread_create(&t, NULL, fn, NULL)) != 0) {
		fprintf(stderr, "rchurn: pthread_create: %s\n", strerror(rc));
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	long limit = argc > 2 ? atol(argv[2]) : 500, n;
	int sleepers = argc > 3 ? atoi(argv[3]) : 3;
	struct timespec t;
	int i;

	if (argc < 2 || (strcmp(argv[1], "idle") != 0 &&
	    strcmp(argv[1], "churn") != 0)) {
		fprintf(stderr, "usage: rchurn idle|churn [limit [n]]\n");
		return 2;
	}
	if (strcmp(argv[1], "idle") == 0) {
		for (i = 0; i < sleepers; i++)
			rc_start(rc_sleeper);
	} else {
		rc_start(rc_joiner);
		rc_start(rc_joiner);
		rc_start(rc_detacher);
	}
	clock_gettime(CLOCK_MONOTONIC, &t);
	for (n = 1; n <= limit; n++) {
		printf("count %ld\n", n);
		fflush(stdout);
		/* to an absolute deadline, again after an interruption */
		t.tv_nsec += 200 * 1000000L;
		if (t.tv_nsec >= 1000000000L) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000L;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t,
		    NULL) == EINTR)
			continue;
	}
	printf("done\n");
	fflush(stdout);
	return 0;
}
