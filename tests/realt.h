/*
 * realt.h - what the issue-4 test programs (tests/r*.c) share, on top of
 * crt.h: reporting and noticing that the process was restarted.
 * memstate and clockmalloc use its reporting too.
 *
 * Each program prints "ok NAME" or "FAIL: NAME: what" per check and ends
 * with a line "PASS" (exit 0) or "FAIL" (exit 1), flushed line by line so
 * that a test sees every line even if the program dies right after.
 *
 * A program learns it was restarted when getpid() changes (the restored
 * process has restart's pid).  crt_resumed() (crt.h) says so once per new
 * pid, printing "resumed pid N", which the shell tests wait for.
 */
#ifndef CKPT_REALT_H
#define CKPT_REALT_H

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "crt.h"

static int rt_failures;

static __attribute__((unused, format(printf, 2, 3))) void
rt_fail(const char *what, const char *fmt, ...)
{
	va_list ap;

	printf("FAIL: %s: ", what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	__atomic_add_fetch(&rt_failures, 1, __ATOMIC_RELAXED);
}

static __attribute__((unused, format(printf, 1, 2))) void
rt_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* "ok NAME" if no failure was reported since 'before'. */
static __attribute__((unused)) void
rt_ok_since(const char *what, int before)
{
	if (rt_failures == before)
		rt_say("ok %s", what);
}

static __attribute__((unused)) int
rt_finish(void)
{
	rt_say(rt_failures == 0 ? "PASS" : "FAIL");
	return rt_failures == 0 ? 0 : 1;
}

static __attribute__((unused)) void
rt_init(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	crt_resumed();			/* notes the pid we start with */
}

/* One tick of rt_wait_go, for loops that do more between ticks: nonzero
 * once 'path' exists or the wait gave up (with one FAIL line). */
static __attribute__((unused)) int
rt_go_step(const char *path, long *ticks)
{
	int r = crt_go_step(path, ticks);

	if (r < 0)
		rt_fail("go", "%s did not appear", path);
	return r;
}

/* Waits, tick by tick, for 'path' to exist, noticing restarts meanwhile;
 * one FAIL line if it never does (ticks are counted, not timed: see
 * crt.h). */
static __attribute__((unused)) void
rt_wait_go(const char *path, long *ticks)
{
	do
		crt_resumed();
	while (rt_go_step(path, ticks) == 0);
}

/*
 * The whole run of a program NAME GOFILE: setup(GOFILE), then, if it
 * failed nothing, "ready", the wait for GOFILE and check(); the exit
 * status of rt_finish.
 */
static __attribute__((unused)) int
rt_run(int argc, char **argv, void (*setup)(const char *go),
    void (*check)(void))
{
	long ticks = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s GOFILE\n", argv[0]);
		return 2;
	}
	rt_init();
	setup(argv[1]);
	if (rt_failures != 0)
		return rt_finish();
	rt_say("ready");
	rt_wait_go(argv[1], &ticks);
	check();
	return rt_finish();
}

#endif /* CKPT_REALT_H */
