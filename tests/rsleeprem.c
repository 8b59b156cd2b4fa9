/*
 * rsleeprem - two threads, each in sleep(3), which asks nanosleep for
 * the remainder: the main thread and a second one, so that a checkpoint
 * finds one as the thread that takes the signal and the other as a
 * stopped thread.  Prints "ready", sleeps SECS seconds (argv[1]) in both
 * threads at once, then "done" once both have returned with nothing
 * left.  A checkpoint must let each sleep go on for what it has left,
 * not start it again: CKPT_INTERVAL shorter than the sleep would
 * otherwise keep it from ever ending.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static unsigned int	secs;

static void *
rs_sleeper(void *arg)
{
	(void)arg;
	return (void *)(unsigned long)sleep(secs);
}

int
main(int argc, char **argv)
{
	pthread_t t;
	void *left;
	unsigned int mine;

	secs = argc > 1 ? (unsigned int)atoi(argv[1]) : 3;
	if (pthread_create(&t, NULL, rs_sleeper, NULL) != 0) {
		printf("FAIL pthread_create\n");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	mine = sleep(secs);
	pthread_join(t, &left);
	if (mine != 0 || left != NULL) {
		printf("FAIL sleep ended early: %u and %lu s left\n", mine,
		    (unsigned long)left);
		return 1;
	}
	printf("done\n");
	return 0;
}
