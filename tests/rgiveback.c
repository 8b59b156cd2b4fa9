/*
 * rgiveback - takes the checkpoint signal and gives it back at once, as
 * ruby does at start (it sets its own SIGUSR2 handler and, finding one
 * there already, puts that back, with flags of its own: no SA_RESTART).
 * Then prints "ready" and blocks in read() on a pipe nobody writes to,
 * until killed.  If read() returns (a checkpoint that ended it with
 * EINTR), prints "read returned N: ERROR" and exits 1.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void
rg_handler(int sig)
{
	(void)sig;
}

int
main(void)
{
	struct sigaction sa, old, back;
	ssize_t n;
	int p[2];
	char c;

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
