/*
 * rlocks DIR GOFILE - the locks a program holds on its files are held
 * again after restart: an exclusive flock on DIR/a, a POSIX write lock on
 * bytes 5-14 of DIR/b and an open-file-description read lock on the whole
 * of DIR/c (fcntl F_OFD_SETLK).  Prints "ready" and waits for GOFILE.
 * Then a forked child, a process of its own, must find each of them held:
 * flock on its own open of DIR/a fails, F_GETLK on DIR/b reports a write
 * lock at 5-14 held by the restored process, and a write lock on DIR/c is
 * refused while a read lock is granted.  Before, the restored process held
 * no lock at all.  PASS or FAIL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/wait.h>

#include "realt.h"

static int
open_in(const char *dir, const char *name, int flags)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return open(path, flags | O_CREAT, 0600);
}

static int
range_lock(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = start;
	fl.l_len = len;
	return fcntl(fd, cmd, &fl);
}

/* In a child: 0 if every lock is seen held by pid 'holder'. */
static int
child_checks(const char *dir, pid_t holder)
{
	struct flock fl;
	int a, b, c, bad = 0;

	a = open_in(dir, "a", O_RDWR);
	b = open_in(dir, "b", O_RDWR);
	c = open_in(dir, "c", O_RDWR);
	if (flock(a, LOCK_EX | LOCK_NB) == 0 || errno != EWOULDBLOCK) {
		printf("FAIL: flock: a is not locked\n");
		bad = 1;
	}
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = 0;
	fl.l_len = 0;
	if (fcntl(b, F_GETLK, &fl) != 0 || fl.l_type != F_WRLCK ||
	    fl.l_start != 5 || fl.l_len != 10 || fl.l_pid != holder) {
		printf("FAIL: posix: b shows type %d at %lld+%lld pid %d, "
		    "want a write lock at 5+10 held by %d\n", fl.l_type,
		    (long long)fl.l_start, (long long)fl.l_len, (int)fl.l_pid,
		    (int)holder);
		bad = 1;
	}
	if (range_lock(c, F_OFD_SETLK, F_WRLCK, 0, 0) == 0 ||
	    range_lock(c, F_OFD_SETLK, F_RDLCK, 0, 0) != 0) {
		printf("FAIL: ofd: c is not read-locked\n");
		bad = 1;
	}
	fflush(stdout);
	return bad;
}

int
main(int argc, char **argv)
{
	const char *pad = getenv("RLOCKS_PAD");
	char name[32];
	long ticks = 0, i, npad = pad != NULL ? atol(pad) : 0;
	pid_t kid;
	int a, b, c, st, f;

	if (argc != 3) {
		fprintf(stderr, "usage: rlocks DIR GOFILE\n");
		return 2;
	}
	rt_init();
	for (i = 0; i < npad; i++) {
		snprintf(name, sizeof(name), "p%ld", i);
		if (open_in(argv[1], name, O_RDWR) < 0) {
			rt_fail("setup", "%s: %s", name, strerror(errno));
			return rt_finish();
		}
	}
	a = open_in(argv[1], "a", O_RDWR);
	b = open_in(argv[1], "b", O_RDWR);
	c = open_in(argv[1], "c", O_RDONLY);
	if (a < 0 || b < 0 || c < 0 || flock(a, LOCK_EX) != 0 ||
	    range_lock(b, F_SETLK, F_WRLCK, 5, 10) != 0 ||
	    range_lock(c, F_OFD_SETLK, F_RDLCK, 0, 0) != 0) {
		rt_fail("setup", "%s", strerror(errno));
		return rt_finish();
	}
	rt_say("ready");
	rt_wait_go(argv[2], &ticks);

	f = rt_failures;
	kid = fork();
	if (kid == 0)
		_exit(child_checks(argv[1], getppid()));
	if (kid < 0 || waitpid(kid, &st, 0) != kid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		rt_fail("locks", "a process of its own does not see the locks "
		    "held");
	rt_ok_since("locks", f);
	return rt_finish();
}
