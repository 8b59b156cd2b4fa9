/*
 * crt.h - helpers shared by the checkpoint/restart test programs (hello,
 * memstate, clockmalloc, mallocstorm).  Header-only, static functions.
 *
 * These programs follow CRIU's zdtm shape: set up state, say "ready", get
 * checkpointed, killed and restarted, then check every piece of state and
 * say PASS or FAIL.  The helpers below are what makes that work across a
 * restart:
 *  - crt_fill()/crt_hash(): a deterministic pattern and a hash of it, so
 *    the program can prove its memory came back byte for byte;
 *  - crt_resumed(): notices a change of pid (the restored process keeps
 *    restart's pid) and prints "resumed pid N" once per new pid, so a test
 *    knows the restored program is running before it signals it again;
 *  - crt_wait_go(), crt_go_step(): a bounded wait for the "go" file, whole
 *    (noticing restarts meanwhile) or one tick at a time;
 *  - crt_perms(): the protection string /proc/self/maps shows for an
 *    address, read with read(2) into static storage (no malloc, so it
 *    cannot disturb the heap or the break being checked).
 *
 * Every wait counts its own sleeps instead of reading a clock: the count is
 * restored with the image, so each restart of an image gets the same
 * budget however long ago the checkpoint was taken.
 */
#ifndef CKPT_CRT_H
#define CKPT_CRT_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CRT_FN		static __attribute__((unused))
#define CRT_TICK_NS	10000000L	/* 10 ms */
#define CRT_GO_TICKS	6000		/* 60 s of ticks, then give up */

/* Opaque use of a pointer: the compiler must assume *p is read and written. */
#define crt_escape(p)	__asm__ volatile ("" : : "r"(p) : "memory")

CRT_FN uint64_t
crt_mix(uint64_t x)
{
	/* splitmix64 finaliser: every word of the pattern is independent */
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Byte i of the pattern named by seed: random access, so realloc can extend. */
CRT_FN unsigned char
crt_pattern_byte(uint64_t seed, size_t i)
{
	return (unsigned char)(crt_mix(seed * 0x100000001b3ULL + i / 8) >>
	    (8 * (i % 8)));
}

CRT_FN void
crt_fill(void *p, size_t from, size_t to, uint64_t seed)
{
	unsigned char *b = p;
	size_t i = from;

	for (; i < to && i % 8 != 0; i++)
		b[i] = crt_pattern_byte(seed, i);
	for (; i + 8 <= to; i += 8) {
		uint64_t w = crt_mix(seed * 0x100000001b3ULL + i / 8);
		memcpy(b + i, &w, 8);
	}
	for (; i < to; i++)
		b[i] = crt_pattern_byte(seed, i);
}

/* Returns the first offset in [from, to) that breaks the pattern, or to. */
CRT_FN size_t
crt_check(const void *p, size_t from, size_t to, uint64_t seed)
{
	const unsigned char *b = p;
	size_t i = from;

	for (; i < to && i % 8 != 0; i++)
		if (b[i] != crt_pattern_byte(seed, i))
			return i;
	for (; i + 8 <= to; i += 8) {
		uint64_t w = crt_mix(seed * 0x100000001b3ULL + i / 8);

		if (memcmp(b + i, &w, 8) != 0)
			break;
	}
	for (; i < to; i++)
		if (b[i] != crt_pattern_byte(seed, i))
			return i;
	return to;
}

CRT_FN uint64_t
crt_hash(const void *p, size_t len)
{
	const unsigned char *b = p;
	uint64_t h = 0xcbf29ce484222325ULL ^ len, w;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, b + i, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
	}
	for (; i < len; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return crt_mix(h);
}

/* Sleeps one tick; a signal (the checkpoint) may cut it short. */
CRT_FN void
crt_tick(void)
{
	struct timespec ts = { 0, CRT_TICK_NS };

	nanosleep(&ts, NULL);
}

static pid_t crt_seen_pid;

/*
 * 1 once each time the pid changed since the last call (the first call
 * only notes it), printing "resumed pid N": the restored process has
 * restart's pid.
 */
CRT_FN int
crt_resumed(void)
{
	pid_t pid = getpid();

	if (crt_seen_pid == 0)
		crt_seen_pid = pid;
	if (pid == crt_seen_pid)
		return 0;
	crt_seen_pid = pid;
	printf("resumed pid %ld\n", (long)pid);
	fflush(stdout);
	return 1;
}

/*
 * One tick of the wait for 'path' to exist: 1 once it does, -1 after
 * CRT_GO_TICKS ticks (*ticks is the caller's budget counter), otherwise 0
 * after sleeping one tick.
 */
CRT_FN int
crt_go_step(const char *path, long *ticks)
{
	if (access(path, F_OK) == 0)
		return 1;
	if (++*ticks > CRT_GO_TICKS)
		return -1;
	crt_tick();
	return 0;
}

/* Waits for 'path' to exist, noticing restarts meanwhile.  Returns 0 when
 * it does, -1 after CRT_GO_TICKS ticks. */
CRT_FN int
crt_wait_go(const char *path, long *ticks)
{
	int r;

	do
		crt_resumed();
	while ((r = crt_go_step(path, ticks)) == 0);
	return r > 0 ? 0 : -1;
}

/*
 * Copies into perms[5] the permissions maps shows for the mapping that
 * holds addr.  Returns 0, or -1 if no mapping holds it (or maps could not
 * be read: perms is then "?").
 */
static char crt_maps_buf[1 << 20];

CRT_FN int
crt_perms(const void *addr, char perms[5])
{
	uintptr_t a = (uintptr_t)addr;
	size_t len = 0;
	ssize_t n;
	char *line, *nl;
	int fd;

	strcpy(perms, "?");
	fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (len < sizeof(crt_maps_buf) - 1 &&
	    (n = read(fd, crt_maps_buf + len, sizeof(crt_maps_buf) - 1 -
	    len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		len += (size_t)n;
	}
	close(fd);
	crt_maps_buf[len] = '\0';
	for (line = crt_maps_buf; *line != '\0'; line = nl + 1) {
		unsigned long lo, hi;
		char p[5];

		nl = strchr(line, '\n');
		if (nl == NULL)
			break;
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) == 3 &&
		    lo <= a && a < hi) {
			memcpy(perms, p, 5);
			return 0;
		}
	}
	strcpy(perms, "none");
	return -1;
}

#endif /* CKPT_CRT_H */
