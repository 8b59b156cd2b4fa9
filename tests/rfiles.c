/*
 * rfiles DIR - copies DIR/in.dat into DIR/out.dat through open
 * descriptors, and is checkpointed mid-copy.
 *
 * Descriptors, at fixed numbers:
 *   10  in.dat   O_RDONLY            read chunk by chunk
 *   11  out.dat  O_RDWR|O_CREAT|O_TRUNC   written chunk by chunk
 *   12  log.txt  O_WRONLY|O_APPEND   one line per chunk
 *   13  in.dat   O_RDONLY, close-on-exec, left at offset 12345
 *   14  DIR      O_RDONLY|O_DIRECTORY
 *   20  /dev/null O_RDWR
 * The first half is copied at once, then "ready" is printed and the rest
 * goes 4 KiB every 2 ms; at three quarters the program waits (at most 60 s
 * of its own sleeping) until its pid changes, so the checkpoint falls
 * mid-copy.  When it sees the new pid ("resumed pid N at offset X") it
 * checks, right there, every descriptor: number, access mode, append and
 * close-on-exec flags, offsets (10 and 11 at X, 13 at 12345), that out.dat
 * holds in.dat's first X bytes, that 14 is DIR (openat works through it),
 * that a write to 12 lands at the end of the file, that 20 is /dev/null.
 * Then it finishes the copy and prints the checks and PASS or FAIL; the
 * test compares the two files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "realt.h"

#define CHUNK	4096

static const char *dir;
static char in_path[4096], out_path[4096], log_path[4096];

static void
at(int fd, const char *path, int flags)
{
	int t = open(path, flags, 0644);

	if (t < 0 || (t != fd && dup2(t, fd) != fd)) {
		rt_fail("setup", "%s: %s", path, strerror(errno));
		exit(rt_finish());
	}
	if (t != fd)
		close(t);
	if (flags & O_CLOEXEC)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static void
check_fd(int fd, int accmode, int append, int cloexec, off_t off)
{
	int fl = fcntl(fd, F_GETFL), fdfl = fcntl(fd, F_GETFD);
	off_t cur;

	if (fl < 0 || fdfl < 0) {
		rt_fail("fds", "fd %d is not open: %s", fd, strerror(errno));
		return;
	}
	if ((fl & O_ACCMODE) != accmode)
		rt_fail("fds", "fd %d: access mode %d, want %d", fd,
		    fl & O_ACCMODE, accmode);
	if (!!(fl & O_APPEND) != append)
		rt_fail("fds", "fd %d: O_APPEND %s", fd, append ? "lost" :
		    "appeared");
	if (!!(fdfl & FD_CLOEXEC) != cloexec)
		rt_fail("fds", "fd %d: FD_CLOEXEC %s", fd, cloexec ? "lost" :
		    "appeared");
	if (off >= 0 && (cur = lseek(fd, 0, SEEK_CUR)) != off)
		rt_fail("fds", "fd %d: offset %lld, want %lld", fd,
		    (long long)cur, (long long)off);
}

static void
check_after_restart(off_t x)
{
	static char a[CHUNK], b[CHUNK];
	struct stat st, st2;
	off_t o;
	int f = rt_failures, t;

	check_fd(10, O_RDONLY, 0, 0, x);
	check_fd(11, O_RDWR, 0, 0, x);
	check_fd(12, O_WRONLY, 1, 0, -1);
	check_fd(13, O_RDONLY, 0, 1, 12345);
	check_fd(14, O_RDONLY, 0, 0, -1);
	check_fd(20, O_RDWR, 0, 0, -1);
	rt_ok_since("fds", f);

	f = rt_failures;
	for (o = 0; o < x; o += CHUNK) {
		size_t n = x - o < CHUNK ? x - o : CHUNK;

		if (pread(10, a, n, o) != (ssize_t)n ||
		    pread(11, b, n, o) != (ssize_t)n || memcmp(a, b, n) != 0) {
			rt_fail("content", "out.dat differs from in.dat in "
			    "the %zu bytes at %lld", n, (long long)o);
			break;
		}
	}
	rt_ok_since("content", f);

	f = rt_failures;
	if (fstat(14, &st) != 0 || stat(dir, &st2) != 0 ||
	    !S_ISDIR(st.st_mode) || st.st_ino != st2.st_ino)
		rt_fail("dirfd", "fd 14 is not %s", dir);
	t = openat(14, "in.dat", O_RDONLY);
	if (t < 0 || fstat(t, &st) != 0 || fstat(10, &st2) != 0 ||
	    st.st_ino != st2.st_ino)
		rt_fail("dirfd", "openat(14, \"in.dat\") is not fd 10's file");
	if (t >= 0)
		close(t);
	rt_ok_since("dirfd", f);

	f = rt_failures;
	t = open(log_path, O_RDONLY);
	if (t < 0 || fstat(12, &st) != 0 || write(12, "resumed\n", 8) != 8 ||
	    fstat(12, &st2) != 0 || st2.st_size != st.st_size + 8 ||
	    pread(t, a, 8, st.st_size) != 8 || memcmp(a, "resumed\n", 8) != 0)
		rt_fail("append", "a write to fd 12 did not land at the end "
		    "of log.txt");
	if (t >= 0)
		close(t);
	rt_ok_since("append", f);

	f = rt_failures;
	if (read(20, a, 1) != 0 || write(20, "x", 1) != 1)
		rt_fail("devnull", "fd 20 does not act as /dev/null");
	rt_ok_since("devnull", f);
}

int
main(int argc, char **argv)
{
	static char buf[CHUNK];
	struct timespec pace = { 0, 2000000 };
	struct stat st;
	long chunk = 0, nchunks, ticks = 0;
	off_t pos = 0;
	ssize_t n;
	int resumed = 0, said = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: rfiles DIR\n");
		return 2;
	}
	rt_init();
	dir = argv[1];
	snprintf(in_path, sizeof(in_path), "%s/in.dat", dir);
	snprintf(out_path, sizeof(out_path), "%s/out.dat", dir);
	snprintf(log_path, sizeof(log_path), "%s/log.txt", dir);
	at(10, in_path, O_RDONLY);
	at(11, out_path, O_RDWR | O_CREAT | O_TRUNC);
	at(12, log_path, O_WRONLY | O_APPEND | O_CREAT);
	at(13, in_path, O_RDONLY | O_CLOEXEC);
	at(14, dir, O_RDONLY | O_DIRECTORY);
	at(20, "/dev/null", O_RDWR);
	lseek(13, 12345, SEEK_SET);
	if (fstat(10, &st) != 0 || st.st_size < 16 * CHUNK) {
		rt_fail("setup", "in.dat missing or shorter than 64 KiB");
		return rt_finish();
	}
	nchunks = (st.st_size + CHUNK - 1) / CHUNK;

	for (;;) {
		if (chunk == nchunks / 2 && !said) {
			said = 1;
			rt_say("ready");
		}
		if (chunk >= nchunks / 2)
			nanosleep(&pace, NULL);
		while (chunk >= nchunks * 3 / 4 && !resumed &&
		    getpid() == crt_seen_pid && ++ticks < CRT_GO_TICKS)
			crt_tick();
		if (!resumed && crt_resumed()) {
			resumed = 1;
			rt_say("at offset %lld (chunk %ld of %ld)",
			    (long long)pos, chunk, nchunks);
			check_after_restart(pos);
		}
		n = read(10, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rt_fail("copy", "read: %s", strerror(errno));
			break;
		}
		if (n == 0)
			break;
		if (write(11, buf, n) != n) {
			rt_fail("copy", "write: %s", strerror(errno));
			break;
		}
		pos += n;
		dprintf(12, "chunk %ld\n", chunk++);
	}
	if (!resumed)
		rt_fail("copy", "the copy ended before any restart");
	if (lseek(11, 0, SEEK_CUR) != st.st_size)
		rt_fail("copy", "out.dat offset %lld at the end, want %lld",
		    (long long)lseek(11, 0, SEEK_CUR), (long long)st.st_size);
	if (close(11) != 0)
		rt_fail("copy", "close: %s", strerror(errno));
	rt_say("copied %lld bytes", (long long)pos);
	return rt_finish();
}
