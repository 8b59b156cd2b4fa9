/*
 * rsparse LIVEFILE - memory touched a page here and there over a large
 * reservation, which libckpt copies out before the fork (ckpt_stage.c)
 * rather than have the fork copy a page table for every page:
 *
 *   sparse   16 GiB MAP_NORESERVE, one page in each 2 MiB: every 11th
 *            only read (the shared zero page), every 13th written with
 *            zeros, the others written again and again, pass after pass,
 *            each with its pass number, its index and a pattern of both
 *   wiped    256 MiB the same way, written once, then marked
 *            MADV_WIPEONFORK by the program: libckpt must leave its mark
 *
 * Says "ready", then rewrites the sparse pages, checking its pid between
 * pages, until LIVEFILE exists (the test creates it once the image is
 * written) or it finds itself restarted.
 *  - In the process that was checkpointed: the sparse region must not be
 *    wipe-on-fork ("wf" in /proc/self/smaps), the wiped one must be, and a
 *    child forked now must see the sparse pages.
 *  - In the restored process: the pages must be one instant of the
 *    rewriting (pass G up to some page, pass G - 1 after it), the zero
 *    pages zero, the marks as before, and a forked child sees the pages.
 * PASS or FAIL.
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
#define SLOT		(2 * MIB)
#define SPARSE_N	8192		/* 16 GiB */
#define WIPED_N		128		/* 256 MiB */

static unsigned char *sparse, *wiped;

static unsigned char *
page(unsigned char *base, size_t k)
{
	/* one page per 2 MiB, at a different place in each */
	return base + k * SLOT + (k * 13 % 512) * PG;
}

static int
mutable(size_t k)
{
	return k % 11 != 0 && k % 13 != 0;
}

static uint64_t
seed(uint64_t gen, size_t k)
{
	return gen * 1000003 + k;
}

static void
write_page(unsigned char *p, uint64_t gen, size_t k)
{
	memcpy(p, &gen, 8);
	memcpy(p + 8, &k, 8);
	crt_fill(p, 16, PG, seed(gen, k));
}

/* The pass number a written page holds, or 0 with a FAIL line. */
static uint64_t
read_page(const char *what, const unsigned char *p, size_t k)
{
	uint64_t gen, kk;
	size_t bad;

	memcpy(&gen, p, 8);
	memcpy(&kk, p + 8, 8);
	if (gen == 0 || kk != k) {
		rt_fail(what, "page %zu holds pass %llu, index %llu", k,
		    (unsigned long long)gen, (unsigned long long)kk);
		return 0;
	}
	if ((bad = crt_check(p, 16, PG, seed(gen, k))) != PG) {
		rt_fail(what, "page %zu, pass %llu: byte %zu differs", k,
		    (unsigned long long)gen, bad);
		return 0;
	}
	return gen;
}

static int
zero_page(const unsigned char *p)
{
	size_t i;

	for (i = 0; i < PG; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/* Whether the mapping holding addr has VmFlag "wf"; -1 if not found. */
static int
wipe_on_fork(const void *addr)
{
	uintptr_t a = (uintptr_t)addr, lo, hi;
	char line[1024];
	int in = 0, r = -1;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			in = a >= lo && a < hi;
		else if (in && strncmp(line, "VmFlags:", 8) == 0) {
			r = strstr(line, " wf") != NULL;
			break;
		}
	}
	fclose(f);
	return r;
}

static void
check_marks(void)
{
	int f = rt_failures;

	if (wipe_on_fork(sparse) != 0)
		rt_fail("marks", "the sparse region is wipe-on-fork (%d)",
		    wipe_on_fork(sparse));
	if (wipe_on_fork(wiped) != 1)
		rt_fail("marks", "the wiped region is not wipe-on-fork (%d)",
		    wipe_on_fork(wiped));
	rt_ok_since("marks", f);
}

/* The zero pages are zero, and every written page is whole; returns the
 * pass each holds in gens[]. */
static void
check_pages(const char *what, uint64_t *gens)
{
	size_t k;

	for (k = 0; k < SPARSE_N; k++) {
		gens[k] = 0;
		if (mutable(k))
			gens[k] = read_page(what, page(sparse, k), k);
		else if (!zero_page(page(sparse, k)))
			rt_fail(what, "page %zu is not zero", k);
	}
}

/* A child forked now sees the sparse pages. */
static void
check_child(void)
{
	static uint64_t gens[SPARSE_N];
	int st = 0, f = rt_failures;
	pid_t c = fork();

	if (c == 0) {
		check_pages("child", gens);
		_exit(rt_failures == f ? 0 : 1);
	}
	if (c < 0 || waitpid(c, &st, 0) != c || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		rt_fail("child", "a child forked now does not see the pages"
		    " (status %#x)", st);
	rt_ok_since("child", f);
}

/* The pages are one instant of the rewriting. */
static void
check_instant(void)
{
	static uint64_t gens[SPARSE_N];
	uint64_t top = 0;
	size_t k, drops = 0, prev = 0;
	int f = rt_failures;

	check_pages("instant", gens);
	for (k = 0; k < SPARSE_N; k++)
		if (gens[k] > top)
			top = gens[k];
	for (k = 0; k < SPARSE_N; k++) {
		if (!mutable(k) || gens[k] == 0)
			continue;
		if (gens[k] + 1 < top)
			rt_fail("instant", "page %zu holds pass %llu, another"
			    " %llu", k, (unsigned long long)gens[k],
			    (unsigned long long)top);
		if (prev != 0 && gens[k] != gens[prev])
			drops++;
		prev = k;
	}
	if (drops > 1)
		rt_fail("instant", "the pass changes %zu times along the pages",
		    drops);
	rt_ok_since("instant", f);
	rt_say("pass %llu", (unsigned long long)top);
}

static unsigned char *
map(size_t n)
{
	void *p = mmap(NULL, n * SLOT, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		rt_fail("setup", "mmap: %s", strerror(errno));
		exit(rt_finish());
	}
	return p;
}

int
main(int argc, char **argv)
{
	pid_t pid0;
	uint64_t gen;
	size_t k;

	if (argc != 2) {
		fprintf(stderr, "usage: rsparse LIVEFILE\n");
		return 2;
	}
	rt_init();
	sparse = map(SPARSE_N);
	wiped = map(WIPED_N);
	for (k = 0; k < SPARSE_N; k++)
		if (k % 11 == 0)
			crt_escape(*(volatile unsigned char *)page(sparse, k));
		else if (k % 13 == 0)
			memset(page(sparse, k), 0, PG);
		else
			write_page(page(sparse, k), 1, k);
	for (k = 0; k < WIPED_N; k++)
		write_page(page(wiped, k), 1, k);
	if (madvise(wiped, WIPED_N * SLOT, MADV_WIPEONFORK) != 0) {
		rt_fail("setup", "MADV_WIPEONFORK: %s", strerror(errno));
		return rt_finish();
	}
	pid0 = getpid();
	rt_say("ready");
	for (gen = 2;; gen++) {
		for (k = 0; k < SPARSE_N; k++) {
			if (getpid() != pid0)
				goto restored;
			if (mutable(k))
				write_page(page(sparse, k), gen, k);
		}
		if (access(argv[1], F_OK) == 0)
			break;
	}
	/* the process that was checkpointed */
	check_marks();
	check_child();
	return rt_finish();
restored:
	crt_resumed();
	check_instant();
	check_marks();
	check_child();
	return rt_finish();
}
