/*
 * rstack GOFILE MIB - the main stack grows after restart as it would have
 * grown before.  Prints "ready", waits for GOFILE, then recurses through
 * MIB MiB of stack (4 KiB frames, each written) and prints "deep MIB".
 * Past RLIMIT_STACK, or with a stack that cannot grow, it dies of SIGSEGV.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long
rs_deep(long n)
{
	volatile unsigned char frame[4096];

	memset((char *)frame, (int)(n & 0xff), sizeof(frame));
	return n == 0 ? 0 : rs_deep(n - 1) + frame[100] - (n & 0xff);
}

int
main(int argc, char **argv)
{
	long mib;

	if (argc != 3)
		return 2;
	mib = atol(argv[2]);
	printf("ready\n");
	fflush(stdout);
	while (access(argv[1], F_OK) != 0)
		usleep(20000);
	if (rs_deep(mib * 256) != 0)
		printf("FAIL: a frame changed\n");
	printf("deep %ld\n", mib);
	return 0;
}
