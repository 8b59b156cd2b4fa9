/*
 * realt.h - what the issue-4 test programs (tests/r*.c) share, on top of
 * crt.h: reporting and noticing that the process was restarted.
 *
 * Each program prints "ok NAME" or "FAIL: NAME: what" per check and ends
 * with a line "PASS" (exit 0) or "FAIL" (exit 1), flushed line by line so
 * that a test sees every line even if the program dies right after.
 *
 * A program learns it was restarted when getpid() changes (the restored
 * process has restart's pid).  rt_resumed() says so once per new pid,
 * printing "resumed pid N", which the shell tests wait for.
 */
#ifndef CKPT_REALT_H
#define CKPT_REALT_H

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "crt.h"

static int rt_failures;
static pid_t rt_pid;

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

/* 1 once each time the pid changed since the last call (or rt_init). */
static __attribute__((unused)) int
rt_resumed(void)
{
	pid_t p = getpid();

	if (rt_pid == 0)
		rt_pid = p;
	if (p == rt_pid)
		return 0;
	rt_pid = p;
	rt_say("resumed pid %ld", (long)p);
	return 1;
}

static __attribute__((unused)) void
rt_init(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	rt_pid = getpid();
}

/*
 * Waits, tick by tick, for 'path' to exist, noticing restarts meanwhile.
 * Returns 0, or -1 after CRT_GO_TICKS ticks (counted, not timed: see
 * crt.h).
 */
static __attribute__((unused)) int
rt_wait_go(const char *path, long *ticks)
{
	for (;;) {
		rt_resumed();
		if (access(path, F_OK) == 0)
			return 0;
		if (++*ticks > CRT_GO_TICKS)
			return -1;
		crt_tick();
	}
}

#endif /* CKPT_REALT_H */
