/*
 * hello - the demo counter: prints "count N" every 0.2 s, N from 1 to the
 * limit given as argv[1] (default 50), then "done".
 *
 * Each line is flushed as soon as it is printed, so the output file shows
 * exactly how far the program got: after a checkpoint, kill and restart the
 * restored program's first line is the next count (or, if the checkpoint
 * landed between printf and the end of the write, the one in flight again).
 *
 * The pause sleeps until an absolute CLOCK_MONOTONIC deadline and simply
 * sleeps again when a signal (the checkpoint) interrupts it: the monotonic
 * clock is the machine's, so the deadline still means the same after a
 * restart, and there is no kernel restart block to lose.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void
pause_ms(long ms)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) ==
	    EINTR)
		continue;
}

int
main(int argc, char **argv)
{
	long limit = 50, n;
	char *end;

	if (argc > 2) {
		fprintf(stderr, "usage: hello [limit]\n");
		return 2;
	}
	if (argc == 2) {
		errno = 0;
		limit = strtol(argv[1], &end, 10);
		if (errno != 0 || end == argv[1] || *end != '\0' || limit < 0) {
			fprintf(stderr, "hello: %s: not a count\n", argv[1]);
			return 2;
		}
	}
	for (n = 1; n <= limit; n++) {
		printf("count %ld\n", n);
		fflush(stdout);
		pause_ms(200);
	}
	printf("done\n");
	fflush(stdout);
	return 0;
}
