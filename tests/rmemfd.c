/*
 * rmemfd GOFILE - a memfd the program holds open and has mapped shared is
 * one file again after restart: bytes written through the mapping are
 * read through the descriptor and the other way round.  Before the
 * checkpoint "mapped" is written at page 0 through the mapping and "file"
 * at page 1 through the descriptor; prints "ready" and waits for GOFILE.
 * Then both must still be seen both ways, and new writes each way too.
 * (Before, the mapping came back as anonymous shared memory apart from
 * the recreated file.)  PASS or FAIL.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "realt.h"

#define PG	4096

static void
both_ways(int fd, const char *m, const char *what, off_t at)
{
	char buf[16];
	size_t n = strlen(what);

	memset(buf, 0, sizeof(buf));
	if (pread(fd, buf, n, at) != (ssize_t)n || memcmp(buf, what, n) != 0)
		rt_fail("alias", "the file has \"%.*s\" at %lld, want \"%s\"",
		    (int)n, buf, (long long)at, what);
	if (memcmp(m + at, what, n) != 0)
		rt_fail("alias", "the mapping has \"%.*s\" at %lld, want "
		    "\"%s\"", (int)n, m + at, (long long)at, what);
}

int
main(int argc, char **argv)
{
	long ticks = 0;
	char *m;
	int fd, f;

	if (argc != 2) {
		fprintf(stderr, "usage: rmemfd GOFILE\n");
		return 2;
	}
	rt_init();
	fd = memfd_create("rmemfd", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, 2 * PG) != 0 ||
	    (m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
	    0)) == MAP_FAILED) {
		rt_fail("setup", "%s", strerror(errno));
		return rt_finish();
	}
	memcpy(m, "mapped", 6);
	if (pwrite(fd, "file", 4, PG) != 4)
		rt_fail("setup", "pwrite: %s", strerror(errno));
	rt_say("ready");
	rt_wait_go(argv[1], &ticks);

	f = rt_failures;
	both_ways(fd, m, "mapped", 0);
	both_ways(fd, m, "file", PG);
	memcpy(m + 100, "later-m", 7);
	if (pwrite(fd, "later-f", 7, PG + 100) != 7)
		rt_fail("alias", "pwrite: %s", strerror(errno));
	both_ways(fd, m, "later-m", 100);
	both_ways(fd, m, "later-f", PG + 100);
	rt_ok_since("alias", f);
	return rt_finish();
}
