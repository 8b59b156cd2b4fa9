/*
 * rbeyond GOFILE - a file descriptor left past the end of its file (a
 * program that seeks ahead to write a sparse file, or a reader of a file
 * that shrank) comes back at that offset: sparse.dat, next to GOFILE, 2
 * bytes long, read-write at offset 10000.  Prints "ready" and waits for
 * GOFILE.  Then the offset must still be 10000 and a write there must
 * land at 10000.  Before, restart refused the image ("now shorter than
 * the saved offset") although the file had not changed since the
 * checkpoint.  PASS or FAIL.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "realt.h"

#define AHEAD	10000

static int	fd = -1;

static void
setup(const char *go)
{
	char path[PATH_MAX];
	const char *slash = strrchr(go, '/');
	int dirlen = slash == NULL ? 1 : (int)(slash - go);

	snprintf(path, sizeof(path), "%.*s/sparse.dat", dirlen,
	    slash == NULL ? "." : go);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "ab", 2) != 2 ||
	    lseek(fd, AHEAD, SEEK_SET) != AHEAD)
		rt_fail("setup", "%s: %s", path, strerror(errno));
}

static void
check(void)
{
	struct stat st;
	char c = 0;
	off_t at = lseek(fd, 0, SEEK_CUR);
	int f = rt_failures;

	if (at != AHEAD)
		rt_fail("offset", "%lld, want %d", (long long)at, AHEAD);
	if (write(fd, "z", 1) != 1 || fstat(fd, &st) < 0 ||
	    st.st_size != AHEAD + 1 || pread(fd, &c, 1, AHEAD) != 1 ||
	    c != 'z')
		rt_fail("write", "did not land at %d (size %lld)", AHEAD,
		    (long long)st.st_size);
	rt_ok_since("past the end", f);
}

int
main(int argc, char **argv)
{
	return rt_run(argc, argv, setup, check);
}
