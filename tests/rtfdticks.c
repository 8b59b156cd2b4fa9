/*
 * rtfdticks GOFILE - a timerfd's expirations not yet read at the
 * checkpoint are there to read after restart: a one-shot timer that has
 * expired (disarmed, one expiration waiting) and a periodic one with a
 * long interval that has expired once (armed again for 30 s, one
 * expiration waiting).  Prints "ready" and waits for GOFILE.  Then each
 * must read 1 at once, and the periodic one must still have about 30 s
 * left; before, restart set the ticks and then armed the timer, which
 * the kernel takes as a new setting that drops them, so both reads found
 * nothing (EAGAIN).  PASS or FAIL.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/timerfd.h>

#include "realt.h"

static int	once, every;

static void
setup(const char *go __attribute__((unused)))
{
	struct itimerspec it = { { 0, 0 }, { 0, 1000000 } };

	once = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	every = timerfd_create(CLOCK_BOOTTIME, TFD_NONBLOCK);
	if (once < 0 || every < 0 || timerfd_settime(once, 0, &it, NULL) < 0)
		rt_fail("setup", "timerfd: %s", strerror(errno));
	it.it_interval.tv_sec = 30;
	if (timerfd_settime(every, 0, &it, NULL) < 0)
		rt_fail("setup", "timerfd: %s", strerror(errno));
	usleep(20000);		/* both have expired once */
}

/* One expiration waiting on fd, read without waiting for another. */
static void
check_one(const char *what, int fd)
{
	uint64_t v = 0;
	ssize_t n;

	n = read(fd, &v, 8);
	if (n != 8)
		rt_fail(what, "read: %s, want one expiration waiting",
		    n < 0 ? strerror(errno) : "short");
	else if (v != 1)
		rt_fail(what, "%llu expirations, want 1", (unsigned long long)v);
}

static void
check(void)
{
	struct itimerspec it;
	int f = rt_failures;

	check_one("one-shot", once);
	if (timerfd_gettime(once, &it) < 0 || it.it_value.tv_sec != 0 ||
	    it.it_value.tv_nsec != 0)
		rt_fail("one-shot", "armed again after restart");
	rt_ok_since("one-shot", f);

	f = rt_failures;
	check_one("periodic", every);
	if (timerfd_gettime(every, &it) < 0 || it.it_value.tv_sec < 10 ||
	    it.it_value.tv_sec > 30 || it.it_interval.tv_sec != 30)
		rt_fail("periodic", "%lld s left every %lld s, want about 30 "
		    "every 30", (long long)it.it_value.tv_sec,
		    (long long)it.it_interval.tv_sec);
	rt_ok_since("periodic", f);
}

int
main(int argc, char **argv)
{
	return rt_run(argc, argv, setup, check);
}
