/*
 * rmem GOFILE - the memory layouts of issue 4 survive: anonymous shared
 * memory, mremap-ed regions, holes punched by munmap, PROT_NONE guard
 * pages and reservations, and a huge, sparsely touched region.
 *
 *   shared    1 MiB MAP_SHARED|MAP_ANONYMOUS; after restart it must still
 *             be shared ("s" in /proc/self/maps) and a child forked after
 *             restart must see our bytes and we its writes
 *   mremap    64 KiB grown to 4 MiB and moved (MREMAP_FIXED) onto a
 *             reservation elsewhere, then the new part filled
 *             (an ASCII picture:  [a]....  ->  ....[a+++++++++++])
 *   hole      16 pages with pages 6-9 unmapped: [a a a a a a . . . . b b ...]
 *   guard     8 pages with pages 3-4 PROT_NONE in the middle, and a
 *             16 MiB PROT_NONE reservation
 *   huge      3 GiB MAP_NORESERVE (restart stages regions of 1 GiB
 *             or more differently), 64 KiB touched at 48 scattered
 *             offsets (3 MiB), one per 64 MiB, and between them 1152
 *             single pages and 288 pairs of pages (every third page of
 *             a stretch; some written with zeros, some only read); the
 *             rest must read as zero and restart must not have touched
 *             it (RSS stays small)
 * Each piece is filled with its own pattern and its hash printed
 * ("hash NAME 0x..."); "ready"; then after GOFILE each is checked against
 * its pattern, its hash, and its protection in /proc/self/maps.  PASS or
 * FAIL.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "realt.h"

#define PG		4096UL
#define MIB		(1024UL * 1024)
#define SHM_LEN		MIB
#define MR_OLD		(64 * 1024UL)
#define MR_NEW		(4 * MIB)
#define HUGE_SLOT	(64 * MIB)
#define HUGE_LEN	(HUGE_N * HUGE_SLOT)
#define HUGE_N		48
#define HUGE_CHUNK	(64 * 1024UL)
#define PAGES_N		32		/* single pages per slot */
#define RES_LEN		(16 * MIB)

static unsigned char *shm, *mr, *mr_old, *hole, *guard, *res, *huge;
static uint64_t h_shm, h_mr, h_hole1, h_hole2, h_guard1, h_guard2, h_huge;

static void *
map(size_t len, int prot, int flags)
{
	void *p = mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		rt_fail("setup", "mmap %zu: %s", len, strerror(errno));
		exit(rt_finish());
	}
	return p;
}

static size_t
huge_off(int i)
{
	/* scattered, page aligned, never overlapping: one per slot */
	return (size_t)i * HUGE_SLOT + (size_t)((i * 7919) % 2000) * PG;
}

/*
 * Page k of slot i's stretch of single pages, past its 64 KiB chunk: the
 * snapshot packs such scattered pages into shared windows.  Every fifth is
 * the first of a pair, the second to last is written with zeros, the last
 * only read.
 */
static size_t
page_off(int i, int k)
{
	return (size_t)i * HUGE_SLOT + 9 * MIB + (size_t)k * 3 * PG;
}

static size_t
page_len(int k)
{
	return k % 5 == 0 ? 2 * PG : PG;
}

static uint64_t
huge_hash(void)
{
	uint64_t h = 0;
	int i, k;

	for (i = 0; i < HUGE_N; i++) {
		h = crt_mix(h ^ crt_hash(huge + huge_off(i), HUGE_CHUNK));
		for (k = 0; k < PAGES_N; k++)
			h = crt_mix(h ^ crt_hash(huge + page_off(i, k),
			    page_len(k)));
	}
	return h;
}

static void
check_pattern(const char *what, const unsigned char *p, size_t from,
    size_t to, uint64_t seed)
{
	size_t bad = crt_check(p, from, to, seed);

	if (bad != to)
		rt_fail(what, "byte %zu of [%zu, %zu) differs", bad, from, to);
}

static void
check_perms(const char *what, const void *p, const char *want)
{
	char perms[5];

	crt_perms(p, perms);
	if (strcmp(perms, want) != 0)
		rt_fail(what, "%p is %s in /proc/self/maps, want %s", p, perms,
		    want);
}

static void
check_hash(const char *what, uint64_t got, uint64_t want)
{
	if (got != want)
		rt_fail(what, "hash %#llx, was %#llx", (unsigned long long)got,
		    (unsigned long long)want);
}

static void
setup(void)
{
	int i, k;

	shm = map(SHM_LEN, PROT_READ | PROT_WRITE, MAP_SHARED);
	crt_fill(shm, 0, SHM_LEN, 21);
	h_shm = crt_hash(shm, SHM_LEN);

	mr_old = map(MR_OLD, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	crt_fill(mr_old, 0, MR_OLD, 23);
	res = map(MR_NEW, PROT_NONE, MAP_PRIVATE | MAP_NORESERVE);
	mr = mremap(mr_old, MR_OLD, MR_NEW, MREMAP_MAYMOVE | MREMAP_FIXED,
	    res);
	if (mr == MAP_FAILED || mr == mr_old) {
		rt_fail("setup", "mremap: %s", strerror(errno));
		exit(rt_finish());
	}
	crt_fill(mr, MR_OLD, MR_NEW, 23);
	h_mr = crt_hash(mr, MR_NEW);

	hole = map(16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	crt_fill(hole, 0, 16 * PG, 24);
	munmap(hole + 6 * PG, 4 * PG);
	h_hole1 = crt_hash(hole, 6 * PG);
	h_hole2 = crt_hash(hole + 10 * PG, 6 * PG);

	guard = map(8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	crt_fill(guard, 0, 8 * PG, 25);
	h_guard1 = crt_hash(guard, 3 * PG);
	h_guard2 = crt_hash(guard + 5 * PG, 3 * PG);
	mprotect(guard + 3 * PG, 2 * PG, PROT_NONE);
	res = map(RES_LEN, PROT_NONE, MAP_PRIVATE | MAP_NORESERVE);

	huge = map(HUGE_LEN, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_NORESERVE);
	for (i = 0; i < HUGE_N; i++) {
		crt_fill(huge + huge_off(i), 0, HUGE_CHUNK, 100 + i);
		for (k = 0; k < PAGES_N - 2; k++)
			crt_fill(huge + page_off(i, k), 0, page_len(k),
			    1000 + i * PAGES_N + k);
		memset(huge + page_off(i, PAGES_N - 2), 0, PG);
		(void)*(volatile unsigned char *)(huge + page_off(i,
		    PAGES_N - 1));
	}
	h_huge = huge_hash();

	rt_say("hash shared %#llx", (unsigned long long)h_shm);
	rt_say("hash mremap %#llx", (unsigned long long)h_mr);
	rt_say("hash hole %#llx %#llx", (unsigned long long)h_hole1,
	    (unsigned long long)h_hole2);
	rt_say("hash guard %#llx %#llx", (unsigned long long)h_guard1,
	    (unsigned long long)h_guard2);
	rt_say("hash huge %#llx", (unsigned long long)h_huge);
}

static void
check_shared(void)
{
	pid_t c;
	int st = 0, f = rt_failures;

	check_perms("shared", shm, "rw-s");
	check_hash("shared", crt_hash(shm, SHM_LEN), h_shm);
	check_pattern("shared", shm, 0, SHM_LEN, 21);
	c = fork();
	if (c == 0) {
		/* the child checks our bytes, then writes its own */
		if (crt_check(shm, 0, SHM_LEN, 21) != SHM_LEN)
			_exit(3);
		crt_fill(shm, 0, 64 * 1024, 22);
		_exit(0);
	}
	if (c < 0 || waitpid(c, &st, 0) != c || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		rt_fail("shared", "the child forked after restart saw other "
		    "bytes (status %#x)", st);
	check_pattern("shared", shm, 0, 64 * 1024, 22);
	check_pattern("shared", shm, 64 * 1024, SHM_LEN, 21);
	rt_ok_since("shared", f);
}

/* The page at offset off of the huge region reads as zero. */
static void
check_zero(size_t off)
{
	size_t i;

	for (i = 0; i < PG; i++)
		if (huge[off + i] != 0) {
			rt_fail("huge", "untouched byte at offset %zu is %d",
			    off + i, huge[off + i]);
			return;
		}
}

static long
rss_kib(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

int
main(int argc, char **argv)
{
	long ticks = 0, rss;
	size_t i;
	int f, k, j;

	if (argc != 2) {
		fprintf(stderr, "usage: rmem GOFILE\n");
		return 2;
	}
	rt_init();
	setup();
	rt_say("ready");
	rt_wait_go(argv[1], &ticks);

	/* before anything touches the huge region */
	rss = rss_kib();
	check_shared();

	f = rt_failures;
	check_perms("mremap", mr, "rw-p");
	check_perms("mremap", mr + MR_NEW - 1, "rw-p");
	check_hash("mremap", crt_hash(mr, MR_NEW), h_mr);
	check_pattern("mremap", mr, 0, MR_NEW, 23);
	rt_ok_since("mremap", f);

	f = rt_failures;
	for (i = 0; i < 16; i++)
		check_perms("hole", hole + i * PG, i >= 6 && i < 10 ? "none" :
		    "rw-p");
	check_hash("hole", crt_hash(hole, 6 * PG), h_hole1);
	check_hash("hole", crt_hash(hole + 10 * PG, 6 * PG), h_hole2);
	check_pattern("hole", hole, 0, 6 * PG, 24);
	check_pattern("hole", hole, 10 * PG, 16 * PG, 24);
	rt_ok_since("hole", f);

	f = rt_failures;
	for (i = 0; i < 8; i++)
		check_perms("guard", guard + i * PG, i == 3 || i == 4 ?
		    "---p" : "rw-p");
	check_perms("guard", res, "---p");
	check_perms("guard", res + RES_LEN / 2, "---p");
	check_perms("guard", res + RES_LEN - 1, "---p");
	check_hash("guard", crt_hash(guard, 3 * PG), h_guard1);
	check_hash("guard", crt_hash(guard + 5 * PG, 3 * PG), h_guard2);
	if (mprotect(guard + 3 * PG, 2 * PG, PROT_READ) != 0)
		rt_fail("guard", "mprotect: %s", strerror(errno));
	else
		check_pattern("guard", guard, 0, 8 * PG, 25);
	rt_ok_since("guard", f);

	f = rt_failures;
	if (rss > 256 * 1024)
		rt_fail("huge", "RSS %ld KiB after restart: the untouched "
		    "part of the 3 GiB region was filled in", rss);
	check_perms("huge", huge, "rw-p");
	check_perms("huge", huge + HUGE_LEN - 1, "rw-p");
	check_hash("huge", huge_hash(), h_huge);
	for (k = 0; k < HUGE_N; k++) {
		check_pattern("huge", huge + huge_off(k), 0, HUGE_CHUNK,
		    100 + k);
		/* the page after a touched chunk reads as zero */
		check_zero(huge_off(k) + HUGE_CHUNK);
		for (j = 0; j < PAGES_N - 2; j++) {
			check_pattern("huge", huge + page_off(k, j), 0,
			    page_len(j), 1000 + k * PAGES_N + j);
			check_zero(page_off(k, j) + page_len(j));
		}
		check_zero(page_off(k, PAGES_N - 2));
		check_zero(page_off(k, PAGES_N - 1));
	}
	rt_ok_since("huge", f);
	rt_say("rss %ld KiB", rss);
	return rt_finish();
}
