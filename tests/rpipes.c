/*
 * rpipes [--dup] GOFILE - pipes the process holds both ends of come back with
 * their unread bytes; pipes and sockets to another process, datagram
 * socket pairs with messages waiting and netlink sockets come back as
 * descriptors that fail on use.
 *
 * Before the checkpoint (descriptor numbers fixed):
 *   30/31  a pipe (read end O_NONBLOCK) holding 40000 unread bytes
 *   32/33  a pipe holding 1000 unread bytes; with --dup its read end
 *          is also dup'ed to 34 (as a shell's dup2 to stdin leaves it)
 *   35/36  an empty pipe, made 1 MiB large (F_SETPIPE_SZ)
 *   40     the read end of a pipe whose write end a child holds
 *   41     the write end of a pipe whose read end the child holds
 *   42     a stream socket whose peer the child holds
 *   43/45  a datagram socket pair, a message waiting at 43
 *   44     a netlink socket (an unconnected Unix or Internet socket is
 *          made again: see rsock.c)
 * The child dies with us (PR_SET_PDEATHSIG).  Prints "ready", waits for
 * GOFILE, then checks: 30 returns exactly the 40000 bytes and then EAGAIN
 * (still non-blocking), and the pipe still carries new bytes from 31; 32
 * (and 34, the same pipe) give exactly the 1000 bytes, once; 35/36 works
 * and is still 1 MiB large; on
 * each of 40-45 read and write fail with an error (neither end of file
 * nor success).  PASS or FAIL.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <sys/stat.h>
#include <unistd.h>

#include "realt.h"

#define BIG	40000
#define SMALL	1000

static void
at(int fd, int want)
{
	if (fd < 0 || (fd != want && dup2(fd, want) != want)) {
		rt_fail("setup", "cannot place fd %d: %s", want,
		    strerror(errno));
		exit(rt_finish());
	}
	if (fd != want)
		close(fd);
}

static void
make_pipe(int r, int w)
{
	int p[2];

	if (pipe(p) != 0) {
		rt_fail("setup", "pipe: %s", strerror(errno));
		exit(rt_finish());
	}
	/* move both out of the way first: pipe() may return r or w */
	p[0] = fcntl(p[0], F_DUPFD, 100);
	p[1] = fcntl(p[1], F_DUPFD, 100);
	at(p[0], r);
	at(p[1], w);
}

static void
fill(int fd, size_t len, uint64_t seed)
{
	static unsigned char b[BIG];

	crt_fill(b, 0, len, seed);
	if (write(fd, b, len) != (ssize_t)len) {
		rt_fail("setup", "cannot fill fd %d", fd);
		exit(rt_finish());
	}
}

static int
pending(int fd)
{
	int n = -1;

	if (ioctl(fd, FIONREAD, &n) != 0)
		return -1;
	return n;
}

/* Reads len bytes from fd (retrying short reads) and checks them. */
static void
drain(const char *what, int fd, size_t len, uint64_t seed)
{
	static unsigned char b[BIG + 1];
	size_t got = 0, bad;
	ssize_t n;

	while (got < len && (n = read(fd, b + got, len - got)) > 0)
		got += n;
	if (got != len) {
		rt_fail(what, "fd %d gave %zu bytes, want %zu", fd, got, len);
		return;
	}
	bad = crt_check(b, 0, len, seed);
	if (bad != len)
		rt_fail(what, "fd %d: byte %zu differs", fd, bad);
}

static void
fails(int fd)
{
	char c = 'x';
	ssize_t r, w;
	int re, we;

	errno = 0;
	r = read(fd, &c, 1);
	re = errno;
	errno = 0;
	w = write(fd, &c, 1);
	we = errno;
	if (r >= 0 || w >= 0)
		rt_fail("unrestorable", "fd %d: read %zd (%s), write %zd (%s): "
		    "want both to fail", fd, r, strerror(re), w,
		    strerror(we));
	else
		rt_say("fd %d: read: %s, write: %s", fd, strerror(re),
		    strerror(we));
}

int
main(int argc, char **argv)
{
	struct stat a, b;
	int p4[2], p5[2], sp[2], dp[2], fl, n, f, fd;
	long ticks = 0;
	char c;
	pid_t child;
	int dup_read = 0;

	if (argc == 3 && strcmp(argv[1], "--dup") == 0) {
		dup_read = 1;
		argv++;
		argc--;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: rpipes [--dup] GOFILE\n");
		return 2;
	}
	rt_init();
	make_pipe(30, 31);
	fcntl(30, F_SETPIPE_SZ, 65536);
	fill(31, BIG, 11);
	fcntl(30, F_SETFL, fcntl(30, F_GETFL) | O_NONBLOCK);
	make_pipe(32, 33);
	fill(33, SMALL, 12);
	if (dup_read)
		at(dup(32), 34);
	make_pipe(35, 36);
	if (fcntl(35, F_SETPIPE_SZ, 1 << 20) != 1 << 20)
		rt_fail("setup", "F_SETPIPE_SZ 1 MiB: %s", strerror(errno));
	if (pipe(p4) != 0 || pipe(p5) != 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, sp) != 0 ||
	    socketpair(AF_UNIX, SOCK_DGRAM, 0, dp) != 0) {
		rt_fail("setup", "pipe/socketpair: %s", strerror(errno));
		return rt_finish();
	}
	child = fork();
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(0);
		close(p4[0]);
		close(p5[1]);
		(void)!write(p4[1], "from the child", 14);
		for (;;)
			pause();
	}
	if (child < 0) {
		rt_fail("setup", "fork: %s", strerror(errno));
		return rt_finish();
	}
	close(p4[1]);
	close(p5[0]);
	at(fcntl(p4[0], F_DUPFD, 100), 40);
	close(p4[0]);
	at(fcntl(p5[1], F_DUPFD, 100), 41);
	close(p5[1]);
	at(fcntl(sp[0], F_DUPFD, 100), 42);
	close(sp[0]);
	close(sp[1]);		/* the child's now */
	at(fcntl(dp[0], F_DUPFD, 100), 43);
	close(dp[0]);
	at(fcntl(dp[1], F_DUPFD, 100), 45);
	close(dp[1]);
	at(fcntl(socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE), F_DUPFD, 100),
	    44);
	if (write(45, "a datagram", 10) != 10)
		rt_fail("setup", "socketpair write: %s", strerror(errno));
	for (fd = 3; fd < 30; fd++)
		close(fd);
	rt_say("ready");
	rt_wait_go(argv[1], &ticks);

	f = rt_failures;
	if ((n = pending(30)) != BIG)
		rt_fail("pipe", "fd 30 holds %d bytes, want %d", n, BIG);
	drain("pipe", 30, BIG, 11);
	fl = fcntl(30, F_GETFL);
	if (fl < 0 || !(fl & O_NONBLOCK))
		rt_fail("pipe", "fd 30 lost O_NONBLOCK");
	else if (read(30, &c, 1) != -1 || errno != EAGAIN)
		rt_fail("pipe", "fd 30 has more than the saved bytes");
	if (write(31, "0123456789", 10) != 10 ||
	    read(30, &c, 1) != 1 || c != '0')
		rt_fail("pipe", "fds 31 -> 30 no longer one pipe");
	rt_ok_since("pipe", f);

	f = rt_failures;
	if (dup_read && (fstat(32, &a) != 0 || fstat(34, &b) != 0 ||
	    a.st_ino != b.st_ino || !S_ISFIFO(a.st_mode)))
		rt_fail("pipe2", "fds 32 and 34 are not the same pipe");
	if ((n = pending(32)) != SMALL)
		rt_fail("pipe2", "the pipe of fd 32%s holds %d bytes, want %d",
		    dup_read ? " (and 34)" : "", n, SMALL);
	drain("pipe2", dup_read ? 34 : 32, SMALL, 12);
	if ((n = pending(32)) != 0)
		rt_fail("pipe2", "%d bytes left after the %d saved ones", n,
		    SMALL);
	rt_ok_since("pipe2", f);

	f = rt_failures;
	if (pending(35) != 0 || write(36, "z", 1) != 1 ||
	    read(35, &c, 1) != 1 || c != 'z')
		rt_fail("pipe-empty", "fds 35/36 are not an empty pipe");
	if ((n = fcntl(35, F_GETPIPE_SZ)) != 1 << 20)
		rt_fail("pipe-empty", "fds 35/36 hold %d bytes, want 1 MiB", n);
	rt_ok_since("pipe-empty", f);

	f = rt_failures;
	for (fd = 40; fd <= 45; fd++)
		fails(fd);
	rt_ok_since("unrestorable", f);
	return rt_finish();
}
