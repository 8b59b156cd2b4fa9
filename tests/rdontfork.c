/*
 * rdontfork GOFILE - memory the program marked MADV_DONTFORK (V8, so
 * node, marks its whole heap so) is in the image all the same.
 *
 * Maps 1 MiB, fills it with its own bytes and marks it MADV_DONTFORK
 * (through libc's madvise, as V8 does); prints "ready" and waits for
 * GOFILE.  Then the region must hold its bytes (before libckpt saw it
 * through, the snapshot, a fork, had no such mapping: the image left it
 * out and the restored program died of SIGSEGV here).  PASS or FAIL.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "realt.h"

#define LEN	(1UL << 20)

int
main(int argc, char **argv)
{
	unsigned char *p;
	long ticks = 0;
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: rdontfork GOFILE\n");
		return 2;
	}
	rt_init();
	p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || madvise(p, LEN, MADV_DONTFORK) != 0) {
		rt_fail("setup", "mmap or madvise failed");
		return rt_finish();
	}
	for (i = 0; i < LEN; i++)
		p[i] = (unsigned char)(i * 7 + 3);
	rt_say("ready");
	rt_wait_go(argv[1], &ticks);
	for (i = 0; i < LEN; i++)
		if (p[i] != (unsigned char)(i * 7 + 3)) {
			rt_fail("dontfork", "byte %zu is %u", i, p[i]);
			break;
		}
	rt_ok_since("dontfork", 0);
	return rt_finish();
}
