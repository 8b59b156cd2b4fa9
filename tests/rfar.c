/*
 * rfar GOFILE - pages far apart in one region come back where they were.
 * One 17 TiB MAP_NORESERVE region holds, from its start, page A, a page
 * written with zeros, pages C and D, and 16.5 TiB further page E.  The
 * snapshot puts all five in one window (ckpt_write.c), and E is more than
 * 2^32 pages from A, so the window cannot be one PAGES chunk: it must be
 * stored as chunks of its own runs, from the pages as they were read.
 * Says "ready"; after GOFILE checks each page's pattern, and that the
 * zero page reads as zeros.  PASS or FAIL.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "realt.h"

#define PG		4096UL
#define TIB		(1024UL * 1024 * 1024 * 1024)
#define REGION		(17 * TIB)
#define FAR		(16 * TIB + TIB / 2)

static const size_t offs[] = { 0, 2 * PG, 3 * PG, FAR };

static void
fill(unsigned char *p, int tag)
{
	size_t i;

	for (i = 0; i < PG; i++)
		p[i] = (unsigned char)(tag * 37 + i * 7 + i / 251);
}

static int
same(const unsigned char *p, int tag)
{
	unsigned char want[PG];

	fill(want, tag);
	return memcmp(p, want, PG) == 0;
}

int
main(int argc, char **argv)
{
	unsigned char *r;
	long ticks = 0;
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: rfar GOFILE\n");
		return 2;
	}
	rt_init();
	r = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r == MAP_FAILED) {
		rt_fail("setup", "mmap of 17 TiB: %s", strerror(errno));
		return rt_finish();
	}
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
		fill(r + offs[i], (int)i + 1);
	memset(r + PG, 0, PG);		/* populated, all zeros */
	rt_say("ready");
	rt_wait_go(argv[1], &ticks);
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
		if (!same(r + offs[i], (int)i + 1))
			rt_fail("far", "the page at %zu GiB + %zu KiB does not "
			    "hold its pattern", offs[i] >> 30,
			    (offs[i] & ((1UL << 30) - 1)) >> 10);
	for (i = 0; i < PG; i++)
		if (r[PG + i] != 0) {
			rt_fail("far", "the zero page holds %#x at %zu",
			    r[PG + i], i);
			break;
		}
	return rt_finish();
}
