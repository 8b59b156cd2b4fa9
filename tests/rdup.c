/*
 * rdup DIR GOFILE - descriptors that share one open file description (dup)
 * share it again after restart.  Before the checkpoint:
 *  - DIR/log is opened once and dup'ed; "a1" is written through one and
 *    "b1" through the other, so both stand at offset 4;
 *  - DIR/lock is opened once, flock'ed exclusively and dup'ed;
 *  - an eventfd holding 5 is dup'ed;
 *  - standard output is dup'ed above 2 (as a program saving its stdout
 *    before a dup2 does).
 * Prints "ready" and waits for GOFILE.  Then:
 *  - "a2" and "b2" written through each in turn must follow each other:
 *    DIR/log reads "a1b1a2b2" (reopened apart, "b2" overwrote "a2");
 *  - a forked child's flock of its own open of DIR/lock fails, and after
 *    LOCK_UN through the copy, succeeds (apart: restart refused to take
 *    the second flock, or one lock stayed held);
 *  - 1 added through one eventfd reads back as 6 through the other;
 *  - "through the copy of stdout" written to the copy reaches the output
 *    restart was given.
 * PASS or FAIL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/wait.h>

#include "realt.h"

static int
open_in(const char *dir, const char *name, int flags)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return open(path, flags, 0600);
}

/* 0 if a process of its own can take an exclusive flock on DIR/lock. */
static int
kid_can_lock(const char *dir)
{
	pid_t kid = fork();
	int st;

	if (kid == 0) {
		int fd = open_in(dir, "lock", O_RDONLY);

		_exit(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0 ? 0 : 1);
	}
	if (kid < 0 || waitpid(kid, &st, 0) != kid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void
check_log(const char *dir, int a, int b)
{
	char buf[64];
	ssize_t n;
	int fd;

	if (write(a, "a2", 2) != 2 || write(b, "b2", 2) != 2) {
		rt_fail("offset", "write: %s", strerror(errno));
		return;
	}
	if (lseek(a, 0, SEEK_CUR) != 8 || lseek(b, 0, SEEK_CUR) != 8)
		rt_fail("offset", "offsets %lld and %lld, want 8 and 8",
		    (long long)lseek(a, 0, SEEK_CUR),
		    (long long)lseek(b, 0, SEEK_CUR));
	fd = open_in(dir, "log", O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	buf[n < 0 ? 0 : n] = '\0';
	if (strcmp(buf, "a1b1a2b2") != 0)
		rt_fail("offset", "the log reads \"%s\", want \"a1b1a2b2\"",
		    buf);
	if (fd >= 0)
		close(fd);
}

int
main(int argc, char **argv)
{
	long ticks = 0;
	uint64_t v = 1;
	int a, b, l, l2, e, e2, out, f;

	if (argc != 3) {
		fprintf(stderr, "usage: rdup DIR GOFILE\n");
		return 2;
	}
	rt_init();
	a = open_in(argv[1], "log", O_WRONLY | O_CREAT | O_TRUNC);
	l = open_in(argv[1], "lock", O_RDONLY | O_CREAT);
	e = eventfd(5, EFD_CLOEXEC);
	if (a < 0 || l < 0 || e < 0 || (b = dup(a)) < 0 ||
	    (l2 = dup(l)) < 0 || (e2 = dup(e)) < 0 ||
	    (out = fcntl(1, F_DUPFD, 10)) < 0 || write(a, "a1", 2) != 2 ||
	    write(b, "b1", 2) != 2 || flock(l, LOCK_EX) != 0) {
		rt_fail("setup", "%s", strerror(errno));
		return rt_finish();
	}
	rt_say("ready");
	rt_wait_go(argv[2], &ticks);

	f = rt_failures;
	check_log(argv[1], a, b);
	rt_ok_since("offset", f);

	f = rt_failures;
	if (kid_can_lock(argv[1]) != 1)
		rt_fail("flock", "another process could take the lock");
	else if (flock(l2, LOCK_UN) != 0 || kid_can_lock(argv[1]) != 0)
		rt_fail("flock", "unlocking through the copy left it locked");
	rt_ok_since("flock", f);

	f = rt_failures;
	if (write(e2, &v, sizeof(v)) != sizeof(v) ||
	    read(e, &v, sizeof(v)) != sizeof(v) || v != 6)
		rt_fail("eventfd", "read %llu through the original, want 6",
		    (unsigned long long)v);
	rt_ok_since("eventfd", f);

	f = rt_failures;
	if (dprintf(out, "through the copy of stdout\n") < 0)
		rt_fail("stdout", "%s", strerror(errno));
	rt_ok_since("stdout", f);
	return rt_finish();
}
