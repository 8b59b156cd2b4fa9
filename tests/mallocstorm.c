/*
 * mallocstorm ITERATIONS - a program that lives inside malloc, free,
 * realloc and stdio, so that a checkpoint signal lands inside them.
 *
 * State (all in globals, so it is in the image):
 *   slot[]    NSLOT blocks, each filled with the pattern of its own seed;
 *             operations allocate, free, grow and shrink them (realloc
 *             keeps the prefix, the new tail gets the same pattern);
 *   sum       a running checksum of (seed, length) of every live block,
 *             updated on every operation and recomputed at the end;
 *   memstream an open_memstream FILE written with fprintf; its expected
 *             length is tracked and compared whenever it is closed;
 *   lines     snprintf'd into a buffer and parsed back.
 * Every 1/20th of the run prints "progress N" (stdout, flushed).  At the
 * end it checks every block against its pattern and the checksum and
 * prints PASS (exit 0) or "FAIL: what" (exit 1).
 *
 * Deterministic from its seed: a restored copy continues exactly where
 * the image was taken and must reach the same PASS.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crt.h"

#define NSLOT		1024
#define STREAM_LINES	500

struct slot {
	unsigned char	*p;
	size_t		 len;
	uint64_t	 seed;
};

static struct slot slot[NSLOT];
static uint64_t rng = 0x5eed;
static uint64_t sum;
static long nlive;

static FILE *ms;
static char *ms_buf;
static size_t ms_len;
static size_t ms_expect;
static int ms_lines;

static uint64_t
next(void)
{
	rng = crt_mix(rng);
	return rng;
}

static uint64_t
slot_sum(const struct slot *s)
{
	return s->p == NULL ? 0 : crt_mix(s->seed ^ (uint64_t)s->len << 20);
}

static void
die(const char *what, long i)
{
	printf("FAIL: %s (iteration %ld)\n", what, i);
	fflush(stdout);
	exit(1);
}

/* Sizes: mostly small, some medium, a few above the mmap threshold. */
static size_t
pick_size(void)
{
	uint64_t r = next();

	switch (r % 32) {
	case 0:
		return 128 * 1024 + (r >> 8) % (256 * 1024);
	case 1: case 2: case 3: case 4: case 5:
		return 1 + (r >> 8) % 65536;
	default:
		return 1 + (r >> 8) % 512;
	}
}

static void
verify_slot(const struct slot *s, long i)
{
	if (s->p != NULL && crt_check(s->p, 0, s->len, s->seed) != s->len)
		die("a block lost its pattern", i);
}

static void
stream_open(long i)
{
	ms = open_memstream(&ms_buf, &ms_len);
	if (ms == NULL)
		die("open_memstream failed", i);
	ms_expect = 0;
	ms_lines = 0;
}

static void
stream_close(long i)
{
	if (fclose(ms) != 0)
		die("fclose(memstream) failed", i);
	ms = NULL;
	if (ms_len != ms_expect || strlen(ms_buf) != ms_expect)
		die("memstream length wrong", i);
	free(ms_buf);
	ms_buf = NULL;
}

static void
step(long i)
{
	struct slot *s = &slot[next() % NSLOT];
	uint64_t r = next();
	char line[128];
	unsigned long a, b;
	int n;

	switch (r % 8) {
	case 0: case 1: case 2:	/* allocate, or free and reallocate */
		if (s->p != NULL) {
			sum -= slot_sum(s);
			free(s->p);
			nlive--;
		}
		s->len = pick_size();
		s->seed = next();
		s->p = (r & 8) ? calloc(1, s->len) : malloc(s->len);
		if (s->p == NULL)
			die("malloc failed", i);
		crt_fill(s->p, 0, s->len, s->seed);
		sum += slot_sum(s);
		nlive++;
		break;
	case 3:			/* free */
		if (s->p != NULL) {
			verify_slot(s, i);
			sum -= slot_sum(s);
			free(s->p);
			s->p = NULL;
			nlive--;
		}
		break;
	case 4: {		/* realloc: grow or shrink */
		size_t nlen = pick_size();
		unsigned char *p;

		if (s->p == NULL)
			break;
		sum -= slot_sum(s);
		p = realloc(s->p, nlen);
		if (p == NULL)
			die("realloc failed", i);
		if (nlen > s->len)
			crt_fill(p, s->len, nlen, s->seed);
		s->p = p;
		s->len = nlen;
		sum += slot_sum(s);
		verify_slot(s, i);
		break;
	}
	case 5:			/* snprintf and parse back */
		a = (unsigned long)next();
		b = (unsigned long)i;
		n = snprintf(line, sizeof(line), "%lu %#lx %s %.3f", a, b,
		    s->p ? "live" : "free", (double)(a % 100000) / 7.0);
		if (n <= 0 || (size_t)n >= sizeof(line))
			die("snprintf failed", i);
		if (sscanf(line, "%lu %lx", &a, &b) != 2 || b != (unsigned long)i)
			die("snprintf/sscanf round trip", i);
		break;
	default:		/* fprintf to the memstream */
		n = fprintf(ms, "%ld %016llx %zu\n", i,
		    (unsigned long long)s->seed, s->len);
		if (n < 0)
			die("fprintf failed", i);
		ms_expect += (size_t)n;
		if (++ms_lines == STREAM_LINES) {
			stream_close(i);
			stream_open(i);
		}
		break;
	}
}

int
main(int argc, char **argv)
{
	static long i, iters;
	uint64_t check = 0;
	long live = 0;
	int k;

	if (argc != 2 || (iters = strtol(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: mallocstorm ITERATIONS\n");
		return 2;
	}
	stream_open(0);
	for (i = 0; i < iters; i++) {
		step(i);
		if ((i + 1) % (iters / 20 + 1) == 0) {
			printf("progress %ld\n", i + 1);
			fflush(stdout);
		}
	}
	stream_close(i);
	for (k = 0; k < NSLOT; k++) {
		verify_slot(&slot[k], i);
		check += slot_sum(&slot[k]);
		live += slot[k].p != NULL;
	}
	if (check != sum || live != nlive)
		die("running checksum disagrees with the blocks", i);
	printf("PASS %ld iterations, %ld blocks live\n", iters, live);
	return 0;
}
