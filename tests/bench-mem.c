/*
 * bench-mem.c - the workload of make bench: a process holding SIZE MiB of
 * one memory mix, that can tell when it has been restarted.
 *
 * usage: bench-mem SIZE_MIB MIX RAWFILE
 *   MIX: random | text | ints | zeros | mix (a quarter of each) |
 *        sparse (SIZE MiB of text pages scattered one by one over a 64 GiB
 *        reservation: what matters is the memory used, not reserved)
 * It fills its memory, writes the same bytes to RAWFILE (so that zstd can
 * be timed on exactly them), prints "ready PID" and waits.  When it finds
 * itself under another pid (restart keeps restart's pid) it prints
 * "back NS" with CLOCK_REALTIME at that moment, checks its memory against
 * the hash it took before the checkpoint, prints "verified" or "CORRUPT"
 * and exits 0 or 1.  Every benchmark restart is checked this way.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

static uint64_t
bm_next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void
bm_fill(uint8_t *p, size_t n, const char *mix, uint64_t *x)
{
	static const char *const words[] = {
		"the ", "quick ", "brown ", "fox ", "jumps ", "over ", "a ",
		"lazy ", "dog; ", "checkpoint ", "restart ", "memory\n",
		"region ", "of ", "pages ", "and ", "zeros ", "42 ",
	};
	size_t i, o;

	if (strcmp(mix, "random") == 0) {
		for (i = 0; i + 8 <= n; i += 8) {
			uint64_t v = bm_next(x);

			memcpy(p + i, &v, 8);
		}
	} else if (strcmp(mix, "text") == 0) {
		for (o = 0; o < n; ) {
			const char *w = words[bm_next(x) % 18];
			size_t l = strlen(w);

			if (l > n - o)
				l = n - o;
			memcpy(p + o, w, l);
			o += l;
		}
	} else if (strcmp(mix, "ints") == 0) {
		for (i = 0; i + 4 <= n; i += 4) {
			uint32_t v = bm_next(x) % 1000;

			memcpy(p + i, &v, 4);
		}
	} else {	/* zeros: touched, so the kernel really holds them */
		memset(p, 0, n);
	}
}

static uint64_t
bm_hash(uint64_t h, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		uint64_t v;

		memcpy(&v, p + i, 8);
		h = (h ^ v) * 1099511628211ULL;
	}
	return h;
}

#define BM_PAGE		4096UL
#define BM_SPARSE	(64UL << 30)

/* Page k of the workload's memory. */
static uint8_t *
bm_page(uint8_t *p, size_t k, size_t stride)
{
	return p + k * stride;
}

int
main(int argc, char **argv)
{
	static const char *const quarters[] = { "random", "text", "ints",
	    "zeros" };
	size_t n, q, k, npages, stride = BM_PAGE, span;
	uint8_t *p;
	uint64_t x = 88172645463325252ULL, h = 1469598103934665603ULL, h2;
	volatile pid_t pid;
	int i, sparse;
	FILE *f;

	if (argc != 4 || atol(argv[1]) <= 0) {
		fprintf(stderr, "usage: bench-mem SIZE_MIB MIX RAWFILE\n");
		return 2;
	}
	n = (size_t)atol(argv[1]) << 20;
	npages = n / BM_PAGE;
	sparse = strcmp(argv[2], "sparse") == 0;
	span = n;
	if (sparse) {
		span = BM_SPARSE;
		stride = span / npages & ~(BM_PAGE - 1);
	}
	p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		perror("bench-mem: mmap");
		return 1;
	}
	if (strcmp(argv[2], "mix") == 0) {
		q = n / 4;
		for (i = 0; i < 4; i++)
			bm_fill(p + i * q, q, quarters[i], &x);
	} else if (sparse) {
		for (k = 0; k < npages; k++)
			bm_fill(bm_page(p, k, stride), BM_PAGE, "text", &x);
	} else
		bm_fill(p, n, argv[2], &x);
	f = fopen(argv[3], "wb");
	for (k = 0; k < npages; k++) {
		h = bm_hash(h, bm_page(p, k, stride), BM_PAGE);
		if (f != NULL && fwrite(bm_page(p, k, stride), 1, BM_PAGE, f)
		    != BM_PAGE)
			break;
	}
	if (f == NULL || k < npages || fclose(f) != 0) {
		perror(argv[3]);
		return 1;
	}
	pid = getpid();
	printf("ready %d\n", (int)pid);
	fflush(stdout);
	while (getpid() == pid)
		usleep(1000);
	{
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		printf("back %lld%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
		fflush(stdout);
	}
	h2 = 1469598103934665603ULL;
	for (k = 0; k < npages; k++)
		h2 = bm_hash(h2, bm_page(p, k, stride), BM_PAGE);
	if (h2 != h) {
		printf("CORRUPT\n");
		return 1;
	}
	printf("verified\n");
	return 0;
}
