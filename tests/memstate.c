/*
 * memstate GOFILE - every kind of memory a program has, hashed before the
 * checkpoint and checked after restart.
 *
 * Set up (each filled with its own deterministic pattern):
 *   heap      malloc of 16 B, 1000 B, 100 kB (brk heap), 200 kB and 3 MiB
 *             (both above the mmap threshold: their own mappings)
 *   large     an 8 MiB anonymous mapping
 *   holes     16 pages with pages 4-7 and 11 unmapped:
 *               [a a a a . . . . b b b . c c c c]
 *             the holes must still be unmapped after restart
 *   ro        64 kB, mprotect(PROT_READ) after filling
 *   guard     4 pages filled, then mprotect(PROT_NONE): the contents must
 *             come back although the program cannot read them while
 *             checkpointed (we mprotect them readable again to check)
 *   zeros     4 MiB, half its pages touched with zeros, half never touched
 *   data      a 64 kB initialised global (.data)
 *   bss       a 1 MiB global (.bss), three quarters filled, the rest zero
 *   stack     a 512 kB array in main's frame
 * and the state around the memory:
 *   fpu       rounding mode and MXCSR (set to non-default values)
 *   signals   a SIGINT handler, SIGTERM ignored, SIGQUIT blocked
 *   brk       sbrk(0)
 *   maps      the protection of every region, from /proc/self/maps
 *
 * Prints "hash NAME 0x... PERMS" for each piece, then "ready", then waits
 * (at most 60 s of its own sleeping) for GOFILE to exist.  Then it checks
 * everything, prints "ok NAME" or "FAIL: NAME: what" per piece, and
 * finally "PASS" (exit 0) or "FAIL" (exit 1).
 *
 * The same image may be restarted many times (t-cr-restart20): once
 * GOFILE exists, each restored copy checks and exits on its own.
 */
#include <fenv.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xmmintrin.h>

#include "realt.h"

#define PAGE		4096UL
#define NPIECES		20
#define STACK_LEN	(512UL * 1024)

struct piece {
	const char	*name;
	unsigned char	*p;
	size_t		 len;
	uint64_t	 hash;
	char		 perms[5];
};

static struct piece pieces[NPIECES];
static int npieces;

/* .data: must be initialised with something non-zero to land there */
static unsigned char data_arr[64 * 1024] = { 1, 2, 3, 4, 5 };
/* .bss */
static unsigned char bss_arr[1024 * 1024];

static unsigned char *holes;		/* 16 pages, some unmapped */
static unsigned char *guard;		/* PROT_NONE while checkpointed */
static void *brk_before;
static unsigned int mxcsr_before;
static volatile sig_atomic_t sigint_seen;
static struct sigaction sigint_before, sigterm_before;

static void
on_sigint(int sig)
{
	(void)sig;
	sigint_seen++;
}

static void *
map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("memstate: mmap");
		exit(1);
	}
	return p;
}

static unsigned char *
xmalloc(size_t len)
{
	unsigned char *p = malloc(len);

	if (p == NULL) {
		perror("memstate: malloc");
		exit(1);
	}
	return p;
}

/* Adds a piece; fill says whether to pattern it (zeros are left alone). */
static void
add(const char *name, void *p, size_t len, int fill)
{
	struct piece *pc = &pieces[npieces];

	if (npieces == NPIECES) {
		fprintf(stderr, "memstate: too many pieces\n");
		exit(1);
	}
	pc->name = name;
	pc->p = p;
	pc->len = len;
	if (fill)
		crt_fill(p, 0, len, 0x1000 + (uint64_t)npieces);
	npieces++;
}

static void
record(void)
{
	int i;

	for (i = 0; i < npieces; i++) {
		struct piece *pc = &pieces[i];

		crt_escape(pc->p);
		pc->hash = crt_hash(pc->p, pc->len);
		crt_perms(pc->p, pc->perms);
	}
}

static void
show(void)
{
	int i;

	for (i = 0; i < npieces; i++)
		printf("hash %s 0x%016llx %s\n", pieces[i].name,
		    (unsigned long long)pieces[i].hash, pieces[i].perms);
}

static void
setup_maps(void)
{
	unsigned char *p;

	add("heap-16", xmalloc(16), 16, 1);
	add("heap-1000", xmalloc(1000), 1000, 1);
	add("heap-100k", xmalloc(100000), 100000, 1);
	add("heap-200k", xmalloc(200000), 200000, 1);
	add("heap-3m", xmalloc(3 * 1024 * 1024 + 17), 3 * 1024 * 1024 + 17, 1);
	add("large", map(8UL << 20), 8UL << 20, 1);

	p = map(64 * 1024);
	add("ro", p, 64 * 1024, 1);
	if (mprotect(p, 64 * 1024, PROT_READ) != 0) {
		perror("memstate: mprotect ro");
		exit(1);
	}

	guard = map(4 * PAGE);
	add("guard", guard, 4 * PAGE, 1);

	p = map(4UL << 20);
	for (size_t off = 0; off < (4UL << 20); off += 2 * PAGE)
		p[off] = 0;	/* populate every other page with zeros */
	add("zeros", p, 4UL << 20, 0);

	add("data", data_arr, sizeof(data_arr), 1);
	add("bss", bss_arr, sizeof(bss_arr) * 3 / 4, 1);
	add("bss-zero", bss_arr + sizeof(bss_arr) * 3 / 4,
	    sizeof(bss_arr) / 4, 0);

	/* holes last, so that nothing we map afterwards can fall into them */
	holes = map(16 * PAGE);
	add("holes-a", holes, 4 * PAGE, 1);
	add("holes-b", holes + 8 * PAGE, 3 * PAGE, 1);
	add("holes-c", holes + 12 * PAGE, 4 * PAGE, 1);
	if (munmap(holes + 4 * PAGE, 4 * PAGE) != 0 ||
	    munmap(holes + 11 * PAGE, PAGE) != 0) {
		perror("memstate: munmap");
		exit(1);
	}
}

static void
setup_signals(void)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGHUP);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, NULL, &sigint_before);
	sigaction(SIGTERM, NULL, &sigterm_before);
	sigemptyset(&set);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

/* Protections first: the guard is made readable below to hash it. */
static void
check_maps(void)
{
	char now[5], msg[128];
	int i;

	for (i = 0; i < npieces; i++) {
		struct piece *pc = &pieces[i];

		crt_perms(pc->p, now);
		if (strcmp(now, pc->perms) != 0) {
			snprintf(msg, sizeof(msg), "protection %s, was %s",
			    now, pc->perms);
			rt_fail(pc->name, "%s", msg);
		}
	}
	for (i = 4; i < 12; i++) {
		if (i == 8)
			i = 11;
		if (crt_perms(holes + i * PAGE, now) == 0) {
			snprintf(msg, sizeof(msg), "page %d of 16 is mapped "
			    "(%s), was a hole", i, now);
			rt_fail("holes", "%s", msg);
		}
	}
}

static void
check_memory(void)
{
	char msg[128];
	int i;

	if (mprotect(guard, 4 * PAGE, PROT_READ) != 0)
		rt_fail("guard", "%s", "mprotect(PROT_READ) failed");
	for (i = 0; i < npieces; i++) {
		struct piece *pc = &pieces[i];
		uint64_t h;

		crt_escape(pc->p);
		h = crt_hash(pc->p, pc->len);
		if (h != pc->hash) {
			snprintf(msg, sizeof(msg), "hash 0x%016llx, was "
			    "0x%016llx", (unsigned long long)h,
			    (unsigned long long)pc->hash);
			rt_fail(pc->name, "%s", msg);
		} else
			printf("ok %s\n", pc->name);
	}
	for (i = 0; i < npieces; i++) {
		if (strncmp(pieces[i].name, "zeros", 5) != 0 &&
		    strcmp(pieces[i].name, "bss-zero") != 0)
			continue;
		for (size_t j = 0; j < pieces[i].len; j++)
			if (pieces[i].p[j] != 0) {
				snprintf(msg, sizeof(msg), "byte %zu is 0x%02x",
				    j, pieces[i].p[j]);
				rt_fail(pieces[i].name, "%s", msg);
				break;
			}
	}
}

static void
check_state(void)
{
	struct sigaction sa;
	sigset_t set;
	char msg[128];

	if (fegetround() != FE_UPWARD)
		rt_fail("fpu", "%s", "rounding mode lost");
	if (_mm_getcsr() != mxcsr_before) {
		snprintf(msg, sizeof(msg), "MXCSR 0x%x, was 0x%x",
		    _mm_getcsr(), mxcsr_before);
		rt_fail("fpu", "%s", msg);
	}
	sigaction(SIGINT, NULL, &sa);
	if (sa.sa_handler != sigint_before.sa_handler ||
	    sa.sa_flags != sigint_before.sa_flags ||
	    !sigismember(&sa.sa_mask, SIGHUP))
		rt_fail("signals", "%s", "SIGINT disposition changed");
	sigaction(SIGTERM, NULL, &sa);
	if (sa.sa_handler != SIG_IGN)
		rt_fail("signals", "%s", "SIGTERM no longer ignored");
	sigprocmask(SIG_BLOCK, NULL, &set);
	if (!sigismember(&set, SIGQUIT))
		rt_fail("signals", "%s", "SIGQUIT no longer blocked");
	if (sigismember(&set, SIGINT) || sigismember(&set, SIGUSR2) ||
	    sigismember(&set, SIGUSR1))
		rt_fail("signals", "%s", "an unexpected signal is blocked");
	raise(SIGINT);
	if (sigint_seen != 1) {
		snprintf(msg, sizeof(msg), "SIGINT handler ran %d times",
		    (int)sigint_seen);
		rt_fail("signals", "%s", msg);
	}
}

int
main(int argc, char **argv)
{
	unsigned char stack_arr[STACK_LEN];
	static long ticks;
	void *brk_now;

	if (argc != 2) {
		fprintf(stderr, "usage: memstate GOFILE\n");
		return 2;
	}
	setup_maps();
	add("stack", stack_arr, sizeof(stack_arr), 1);
	setup_signals();
	fesetround(FE_UPWARD);
	mxcsr_before = _mm_getcsr();
	record();
	for (int i = 0; i < npieces; i++)
		if ((strcmp(pieces[i].name, "ro") == 0 &&
		    strcmp(pieces[i].perms, "r--p") != 0) ||
		    (strcmp(pieces[i].name, "guard") == 0 &&
		    strcmp(pieces[i].perms, "rw-p") != 0)) {
			fprintf(stderr, "memstate: setup: %s is %s\n",
			    pieces[i].name, pieces[i].perms);
			return 1;
		}
	if (mprotect(guard, 4 * PAGE, PROT_NONE) != 0) {
		perror("memstate: mprotect guard");
		return 1;
	}
	for (int i = 0; i < npieces; i++)	/* the guard, as it is now */
		if (pieces[i].p == guard)
			crt_perms(guard, pieces[i].perms);
	show();
	printf("ready\n");
	fflush(stdout);
	brk_before = sbrk(0);

	if (crt_wait_go(argv[1], &ticks) != 0) {
		printf("FAIL: timed out waiting for %s\n", argv[1]);
		return 1;
	}

	/* the break first: nothing below may have moved it yet */
	brk_now = sbrk(0);
	if (brk_now != brk_before) {
		char msg[128];

		snprintf(msg, sizeof(msg), "sbrk(0) %p, was %p", brk_now,
		    brk_before);
		rt_fail("brk", "%s", msg);
	}
	check_maps();
	check_memory();
	check_state();
	crt_escape(stack_arr);
	return rt_finish();
}
