/*
 * rgiveback [swap] - takes the checkpoint signal and gives it back at once, as
 * ruby does at start (it sets its own SIGUSR2 handler and, finding one
 * there already, puts that back, with flags of its own: no SA_RESTART).
 * Then prints "ready" and blocks in read() on a pipe nobody writes to,
 * until killed.  If read() returns (a checkpoint that ended it with
 * EINTR), prints "read returned N: ERROR" and exits 1.
 * With "swap": takes SIGUSR2 for good with sigaction(SIGUSR2, &sa, &sa)
 * (new and old action in one struct, as glibc allows), prints "ready",
 * then "got N" each time its handler runs, for 3 s, and exits 0.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile int	rg_got;

static void
rg_handler(int sig)
{
	(void)sig;
	rg_got++;
}

int
main(int argc, char **argv)
{
	struct sigaction sa, old, back, *volatile alias;
	ssize_t n;
	int p[2], i, seen = 0;
	char c;

	if (argc > 1 && strcmp(argv[1], "swap") == 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = rg_handler;
		sa.sa_flags = SA_RESTART;
		/* one struct for both, hidden from the compiler's check */
		alias = &sa;
		sigaction(SIGUSR2, &sa, alias);
		printf("ready\n");
		fflush(stdout);
		for (i = 0; i < 30; i++) {
			usleep(100000);
			if (rg_got != seen) {
				seen = rg_got;
				printf("got %d\n", seen);
				fflush(stdout);
			}
		}
		return 0;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = rg_handler;
	if (sigaction(SIGUSR2, &sa, &old) != 0 || pipe(p) != 0) {
		perror("rgiveback");
		return 2;
	}
	back = old;
	back.sa_flags = SA_SIGINFO;		/* no SA_RESTART */
	sigemptyset(&back.sa_mask);
	sigaction(SIGUSR2, &back, NULL);
	printf("ready\n");
	fflush(stdout);
	n = read(p[0], &c, 1);
	printf("read returned %zd: %s\n", n, n < 0 ? strerror(errno) : "-");
	return 1;
}
