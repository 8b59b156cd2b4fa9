/*
 * rdeleted DIR GOFILE [big] - files deleted while open come back.
 *
 * In DIR: "a" is written with 100000 bytes of a pattern, opened twice
 * (read-write at offset 1234, read-only at offset 10) and deleted; a third
 * file is made unnamed from the start (O_TMPFILE, write-only, 13 bytes
 * written).  Prints "ready" and waits for GOFILE.  Then each descriptor
 * must have its contents, offset and access mode, still be unnamed (no
 * link, nothing new in DIR), and the two that were one file must still be
 * one: a write through one shows through the other.
 * With "big", only a 9 MiB deleted file (over what an image holds), open
 * read-only: restart must say it cannot be restored, and it must fail on
 * use.  PASS or FAIL.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "realt.h"

#define RD_LEN	100000

static unsigned char
rd_byte(long i)
{
	return (unsigned char)(i * 7 % 251);
}

static int
rd_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void
rd_check(const char *what, int fd, long off, int acc)
{
	struct stat st;
	long at = lseek(fd, 0, SEEK_CUR);
	int fl = fcntl(fd, F_GETFL);

	if (fstat(fd, &st) != 0)
		rt_fail(what, "fstat: %s", strerror(errno));
	else if (st.st_nlink != 0 || !S_ISREG(st.st_mode))
		rt_fail(what, "%ld links, mode %o: not an unnamed file",
		    (long)st.st_nlink, (unsigned)st.st_mode);
	if (at != off)
		rt_fail(what, "offset %ld, want %ld", at, off);
	if (fl < 0 || (fl & O_ACCMODE) != acc)
		rt_fail(what, "access mode %d, want %d", fl & O_ACCMODE, acc);
}

static int
rd_big(const char *dir, const char *go)
{
	static unsigned char buf[9 << 20];
	char path[4096];
	long ticks = 0;
	int fd, r;

	snprintf(path, sizeof(path), "%s/big", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf) ||
	    close(fd) != 0 || (fd = open(path, O_RDONLY)) < 0 ||
	    unlink(path) != 0) {
		rt_fail("setup", "%s: %s", path, strerror(errno));
		return rt_finish();
	}
	rt_say("ready");
	rt_wait_go(go, &ticks);
	r = (int)read(fd, buf, 1);
	if (r >= 0)
		rt_fail("big", "read gave %d, want an error", r);
	rt_ok_since("big", 0);
	return rt_finish();
}

int
main(int argc, char **argv)
{
	static unsigned char buf[RD_LEN];
	char path[4096];
	long ticks = 0, i;
	int a, b, c, f, n0;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: rdeleted DIR GOFILE [big]\n");
		return 2;
	}
	rt_init();
	if (argc == 4)
		return rd_big(argv[1], argv[2]);
	for (i = 0; i < RD_LEN; i++)
		buf[i] = rd_byte(i);
	snprintf(path, sizeof(path), "%s/a", argv[1]);
	a = open(path, O_RDWR | O_CREAT | O_TRUNC, 0640);
	if (a < 0 || write(a, buf, RD_LEN) != RD_LEN ||
	    lseek(a, 1234, SEEK_SET) != 1234 ||
	    (b = open(path, O_RDONLY)) < 0 || read(b, buf, 10) != 10 ||
	    unlink(path) != 0) {
		rt_fail("setup", "%s: %s", path, strerror(errno));
		return rt_finish();
	}
	c = open(argv[1], O_TMPFILE | O_WRONLY, 0600);
	if (c < 0 || write(c, "tmpfile data\n", 13) != 13) {
		rt_fail("setup", "O_TMPFILE in %s: %s", argv[1],
		    strerror(errno));
		return rt_finish();
	}
	n0 = rd_entries(argv[1]);
	rt_say("ready");
	rt_wait_go(argv[2], &ticks);

	f = rt_failures;
	rd_check("deleted-rw", a, 1234, O_RDWR);
	rd_check("deleted-ro", b, 10, O_RDONLY);
	rd_check("tmpfile", c, 13, O_WRONLY);
	if (pread(a, buf, RD_LEN, 0) != RD_LEN)
		rt_fail("contents", "short read: %s", strerror(errno));
	for (i = 0; i < RD_LEN; i++)
		if (buf[i] != rd_byte(i)) {
			rt_fail("contents", "byte %ld is %u, want %u", i,
			    buf[i], rd_byte(i));
			break;
		}
	if (pwrite(a, "XYZ", 3, 50000) != 3 || pread(b, buf, 3, 50000) != 3 ||
	    memcmp(buf, "XYZ", 3) != 0)
		rt_fail("shared", "a write through one descriptor does not "
		    "show through the other");
	if (write(c, "more\n", 5) != 5 || lseek(c, 0, SEEK_END) != 18)
		rt_fail("tmpfile", "cannot write on: %s", strerror(errno));
	if (rd_entries(argv[1]) != n0)
		rt_fail("unnamed", "%s has %d entries, had %d", argv[1],
		    rd_entries(argv[1]), n0);
	rt_ok_since("deleted", f);
	return rt_finish();
}
