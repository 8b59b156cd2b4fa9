/*
 * kids PROGRAM [ARG ...] - a parent with children: forks one child that
 * only waits for signals (a copy of this program, no exec) and one that
 * execs PROGRAM, then prints "kids FORKED EXECED" with their pids.  On
 * SIGUSR1 it does it again, so a test can have a restored parent make
 * children too; on SIGHUP it execs PROGRAM itself, in its own process.
 * It runs until killed and never waits for its children.
 *
 * The parent is what CKPT_FILE and CKPT_INTERVAL were given to; the
 * children, under libckpt by inheritance, are not (t-cr-children).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t	again, become;

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		again = 1;
	else
		become = 1;
}

static void
spawn(char **argv)
{
	pid_t forked, execed;

	fflush(stdout);
	forked = fork();
	if (forked == 0) {
		for (;;)
			pause();
	}
	execed = fork();
	if (execed == 0) {
		execv(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	if (forked < 0 || execed < 0) {
		perror("kids: fork");
		return;
	}
	printf("kids %ld %ld\n", (long)forked, (long)execed);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	struct timespec t = { 0, 50000000L };

	if (argc < 2) {
		fprintf(stderr, "usage: kids program [arg ...]\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	spawn(argv + 1);
	for (;;) {
		nanosleep(&t, NULL);
		if (again) {
			again = 0;
			spawn(argv + 1);
		}
		if (become) {
			fflush(stdout);
			execv(argv[1], argv + 1);
			perror(argv[1]);
			return 127;
		}
	}
}
