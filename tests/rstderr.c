/*
 * rstderr FILE HOW - a program that writes to a file of its own through
 * fd 2, for t-cr-stderr:
 *   open    FILE opened (written, truncated) as the lowest free descriptor:
 *           fd 2 when the program was started with it closed
 *   dup2    FILE opened the same way, then made fd 2 (stderr sent to a
 *           file of the program's)
 *   append  FILE opened to append, then made fd 2 (stderr sent to a log)
 * Writes "user data\n" through it, prints "ready FD" (the descriptor it
 * wrote through) and sleeps until killed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	int fd, flags = O_WRONLY | O_CREAT;

	if (argc != 3) {
		fprintf(stderr, "usage: rstderr FILE open|dup2|append\n");
		return 2;
	}
	flags |= strcmp(argv[2], "append") == 0 ? O_APPEND : O_TRUNC;
	if ((fd = open(argv[1], flags, 0644)) < 0) {
		perror(argv[1]);
		return 1;
	}
	if (strcmp(argv[2], "open") != 0) {
		if (dup2(fd, 2) < 0)
			return 1;
		close(fd);
		fd = 2;
	}
	if (write(fd, "user data\n", 10) != 10)
		return 1;
	printf("ready %d\n", fd);
	fflush(stdout);
	for (;;)
		pause();
}
