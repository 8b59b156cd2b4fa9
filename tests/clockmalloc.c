/*
 * clockmalloc GOFILE - the C library still works after restart: clocks
 * (through the vDSO, whose vvar data restart must have moved back),
 * malloc and the break, threads, TLS, getpid.
 *
 * Before the checkpoint the program is single-threaded: it reads the clocks,
 * sets a TLS variable, prints "ready" and waits (at most 60 s of its own
 * sleeping) for GOFILE to exist.  GOFILE holds the pid the program must now
 * have (restart's: the restored program keeps it).  Then it checks:
 *   clock     CLOCK_REALTIME/MONOTONIC work, are not before the values
 *             read before the checkpoint, stay monotonic over many calls,
 *             and agree with the clock_gettime system call (a vDSO still
 *             reading the wrong vvar page would not);
 *   gtod      gettimeofday() and time() agree with CLOCK_REALTIME;
 *   malloc    malloc/calloc/realloc/free of many sizes, small to 8 MiB,
 *             patterns intact, and 32 MiB of small blocks to push the break;
 *   thread    pthread_create + join; the new thread has its own TLS;
 *   tls       the main thread's TLS variable kept its value (fs base);
 *   cpu       sched_getcpu() agrees with the CPU we are pinned to (glibc
 *             reads it from the rseq area, which the kernel must update);
 *   pid       getpid() and the raw system call equal GOFILE's pid.
 * Prints "ok NAME" or "FAIL: NAME: what" per check, then PASS or FAIL.
 */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "realt.h"

static __thread int tls_value = 7;

static int64_t
ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

static int
check_clocks(const struct timespec *real0, const struct timespec *mono0)
{
	struct timespec a, b, sys;
	char msg[160];
	int i, bad = rt_failures;

	if (clock_gettime(CLOCK_REALTIME, &a) != 0)
		rt_fail("clock", "%s", "clock_gettime(CLOCK_REALTIME) failed");
	else if (ns(&a) < ns(real0))
		rt_fail("clock", "%s", "CLOCK_REALTIME went back across restart");
	if (clock_gettime(CLOCK_MONOTONIC, &a) != 0)
		rt_fail("clock", "%s", "clock_gettime(CLOCK_MONOTONIC) failed");
	else if (ns(&a) < ns(mono0)) {
		snprintf(msg, sizeof(msg), "CLOCK_MONOTONIC %lld ns before "
		    "the checkpoint's", (long long)(ns(mono0) - ns(&a)));
		rt_fail("clock", "%s", msg);
	}
	for (i = 0; i < 100000; i++) {
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (ns(&b) < ns(&a)) {
			rt_fail("clock", "%s", "CLOCK_MONOTONIC went back");
			break;
		}
		a = b;
	}
	/* the vDSO against the kernel: within 100 ms of each other */
	clock_gettime(CLOCK_MONOTONIC, &a);
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &sys);
	if (llabs(ns(&sys) - ns(&a)) > 100000000) {
		snprintf(msg, sizeof(msg), "vDSO CLOCK_MONOTONIC %lld ns off "
		    "the system call's", (long long)(ns(&sys) - ns(&a)));
		rt_fail("clock", "%s", msg);
	}
	clock_gettime(CLOCK_REALTIME, &a);
	syscall(SYS_clock_gettime, CLOCK_REALTIME, &sys);
	if (llabs(ns(&sys) - ns(&a)) > 100000000) {
		snprintf(msg, sizeof(msg), "vDSO CLOCK_REALTIME %lld ns off "
		    "the system call's", (long long)(ns(&sys) - ns(&a)));
		rt_fail("clock", "%s", msg);
	}
	return rt_failures == bad;
}

static int
check_gtod(void)
{
	struct timeval tv;
	struct timespec ts;
	time_t t;
	int bad = rt_failures;

	if (gettimeofday(&tv, NULL) != 0) {
		rt_fail("gtod", "%s", "gettimeofday failed");
		return 0;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	t = time(NULL);
	if (llabs((long long)ts.tv_sec - (long long)tv.tv_sec) > 1)
		rt_fail("gtod", "%s", "gettimeofday disagrees with CLOCK_REALTIME");
	if (llabs((long long)t - (long long)ts.tv_sec) > 1)
		rt_fail("gtod", "%s", "time() disagrees with CLOCK_REALTIME");
	return rt_failures == bad;
}

#define NBLK	128

static int
check_malloc(void)
{
	static unsigned char *blk[NBLK];
	static size_t len[NBLK];
	uint64_t r = 12345;
	char msg[160];
	int i, round, bad = rt_failures;

	for (round = 0; round < 3 && rt_failures == bad; round++) {
		for (i = 0; i < NBLK; i++) {
			r = crt_mix(r);
			/* log-uniform sizes: 1 B .. 8 MiB */
			len[i] = 1 + (r >> 11) % ((size_t)1 << (r % 24));
			blk[i] = (i % 7 == 0) ? calloc(1, len[i]) :
			    malloc(len[i]);
			if (blk[i] == NULL) {
				snprintf(msg, sizeof(msg), "malloc(%zu) "
				    "failed", len[i]);
				rt_fail("malloc", "%s", msg);
				return 0;
			}
			if (i % 7 == 0) {
				size_t j;

				for (j = 0; j < len[i]; j++)
					if (blk[i][j] != 0)
						break;
				if (j != len[i]) {
					rt_fail("malloc", "%s", "calloc not zeroed");
					return 0;
				}
			}
			crt_fill(blk[i], 0, len[i], (uint64_t)i + round);
		}
		for (i = 0; i < NBLK; i += 3) {	/* grow a third */
			unsigned char *p = realloc(blk[i], len[i] * 2 + 100);

			if (p == NULL) {
				rt_fail("malloc", "%s", "realloc failed");
				return 0;
			}
			blk[i] = p;
			crt_fill(p, len[i], len[i] * 2 + 100,
			    (uint64_t)i + round);
			len[i] = len[i] * 2 + 100;
		}
		for (i = 0; i < NBLK; i++) {
			if (crt_check(blk[i], 0, len[i], (uint64_t)i + round) !=
			    len[i]) {
				snprintf(msg, sizeof(msg), "block %d (%zu "
				    "bytes) corrupted", i, len[i]);
				rt_fail("malloc", "%s", msg);
			}
			free(blk[i]);
		}
	}
	/* 32 MiB of 4 kB blocks: the brk heap must grow from where it was */
	{
		static void *small[8192];

		for (i = 0; i < 8192; i++) {
			small[i] = malloc(4000);
			if (small[i] == NULL) {
				rt_fail("malloc", "%s", "small malloc failed");
				break;
			}
			memset(small[i], i & 0xff, 4000);
		}
		while (--i >= 0) {
			if (((unsigned char *)small[i])[3999] != (i & 0xff))
				rt_fail("malloc", "%s", "small block corrupted");
			free(small[i]);
		}
	}
	return rt_failures == bad;
}

static void *
thread_main(void *arg)
{
	/* a fresh thread sees the initial TLS value, not main's */
	static char result[64];

	snprintf(result, sizeof(result), "%d %ld", tls_value,
	    (long)(intptr_t)arg * 2);
	return result;
}

static int
check_thread(void)
{
	pthread_t t;
	void *res;
	int e;
	char msg[160];

	e = pthread_create(&t, NULL, thread_main, (void *)(intptr_t)21);
	if (e != 0) {
		snprintf(msg, sizeof(msg), "pthread_create: %s", strerror(e));
		rt_fail("thread", "%s", msg);
		return 0;
	}
	e = pthread_join(t, &res);
	if (e != 0) {
		snprintf(msg, sizeof(msg), "pthread_join: %s", strerror(e));
		rt_fail("thread", "%s", msg);
		return 0;
	}
	if (strcmp(res, "7 42") != 0) {
		snprintf(msg, sizeof(msg), "thread said \"%.40s\", expected "
		    "\"7 42\"", (char *)res);
		rt_fail("thread", "%s", msg);
		return 0;
	}
	return 1;
}

static int
check_cpu(void)
{
	cpu_set_t allowed, one;
	char msg[160];
	int cpu, n = 0, bad = rt_failures;

	if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0)
		return 1;	/* nothing we can check */
	for (cpu = 0; cpu < CPU_SETSIZE && n < 8; cpu++) {
		int got;
		unsigned int real;

		if (!CPU_ISSET(cpu, &allowed))
			continue;
		n++;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (sched_setaffinity(0, sizeof(one), &one) != 0)
			continue;
		got = sched_getcpu();
		if (syscall(SYS_getcpu, &real, NULL, NULL) == 0 &&
		    (int)real == cpu && got != cpu) {
			snprintf(msg, sizeof(msg), "pinned to CPU %d, "
			    "sched_getcpu() says %d", cpu, got);
			rt_fail("cpu", "%s", msg);
		}
	}
	sched_setaffinity(0, sizeof(allowed), &allowed);
	return rt_failures == bad;
}

int
main(int argc, char **argv)
{
	static long ticks;
	struct timespec real0, mono0;
	char buf[64], msg[160];
	long want = 0;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: clockmalloc GOFILE\n");
		return 2;
	}
	clock_gettime(CLOCK_REALTIME, &real0);
	clock_gettime(CLOCK_MONOTONIC, &mono0);
	tls_value = 1234;
	printf("ready\n");
	fflush(stdout);

	if (crt_wait_go(argv[1], &ticks) != 0) {
		printf("FAIL: timed out waiting for %s\n", argv[1]);
		return 1;
	}
	f = fopen(argv[1], "r");
	if (f == NULL || fgets(buf, sizeof(buf), f) == NULL ||
	    sscanf(buf, "%ld", &want) != 1) {
		printf("FAIL: %s: no pid in it\n", argv[1]);
		return 1;
	}
	fclose(f);

	if (check_clocks(&real0, &mono0))
		rt_say("ok %s", "clock");
	if (check_gtod())
		rt_say("ok %s", "gtod");
	if (check_malloc())
		rt_say("ok %s", "malloc");
	if (check_thread())
		rt_say("ok %s", "thread");
	if (tls_value != 1234) {
		snprintf(msg, sizeof(msg), "TLS value %d, was 1234", tls_value);
		rt_fail("tls", "%s", msg);
	} else
		rt_say("ok %s", "tls");
	if (check_cpu())
		rt_say("ok %s", "cpu");
	if (getpid() != want || syscall(SYS_getpid) != want) {
		snprintf(msg, sizeof(msg), "getpid() %ld, raw %ld, expected "
		    "%ld", (long)getpid(), (long)syscall(SYS_getpid), want);
		rt_fail("pid", "%s", msg);
	} else
		rt_say("ok %s", "pid");
	return rt_finish();
}
