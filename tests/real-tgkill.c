/*
 * real-tgkill PID TID SIGNAL - sends SIGNAL (a number) to thread TID of
 * process PID alone, as kill(1) cannot: the checkpoint trigger must work
 * whichever thread it reaches.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

int
main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: real-tgkill PID TID SIGNAL\n");
		return 2;
	}
	if (syscall(SYS_tgkill, atoi(argv[1]), atoi(argv[2]),
	    atoi(argv[3])) != 0) {
		fprintf(stderr, "real-tgkill: %s %s: %s\n", argv[1], argv[2],
		    strerror(errno));
		return 1;
	}
	return 0;
}
