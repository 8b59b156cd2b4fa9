/*
 * rprocself GOFILE - descriptors on the program's own /proc directory
 * come back on the restored process's: /proc/self/statm held open to
 * sample itself (read with pread), and /proc/self itself, for openat.
 * Prints "ready" and waits for GOFILE; then both must name the new pid's
 * files (/proc/self/status read through the directory says the new pid).
 * Before, restart reopened /proc/OLDPID/statm, and refused the image
 * because it was gone (or would have opened another process's).
 * PASS or FAIL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "realt.h"

static int	statm = -1, self = -1;

/* The Pid: line of the status file at dirfd self, or -1. */
static long
status_pid(void)
{
	char buf[4096], *p;
	int fd = openat(self, "status", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "\nPid:");
	return p == NULL ? -1 : strtol(p + 5, NULL, 10);
}

static void
check(void)
{
	char buf[256], link[64];
	ssize_t n;
	int f = rt_failures;

	n = pread(statm, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		rt_fail("statm", "pread: %s", n < 0 ? strerror(errno) :
		    "nothing");
	snprintf(link, sizeof(link), "/proc/self/fd/%d", statm);
	n = readlink(link, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	snprintf(link, sizeof(link), "/proc/%ld/statm", (long)getpid());
	if (strcmp(buf, link) != 0)
		rt_fail("statm", "names %s, want %s", buf, link);
	rt_ok_since("statm", f);

	f = rt_failures;
	if (status_pid() != (long)getpid())
		rt_fail("dir", "status through it says pid %ld, want %ld",
		    status_pid(), (long)getpid());
	rt_ok_since("dir", f);
}

static void
setup(const char *go __attribute__((unused)))
{
	statm = open("/proc/self/statm", O_RDONLY);
	self = open("/proc/self", O_RDONLY | O_DIRECTORY);
	if (statm < 0 || self < 0 || status_pid() != (long)getpid())
		rt_fail("setup", "/proc/self: %s", strerror(errno));
}

int
main(int argc, char **argv)
{
	return rt_run(argc, argv, setup, check);
}
