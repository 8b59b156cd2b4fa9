/*
 * rcwd DIR GOFILE - the working directory and the umask come back.
 *
 * Changes into DIR, sets the umask to 027 and creates DIR/here; prints
 * "ready" and waits for GOFILE (restart runs from another directory with
 * another umask).  Then checks getcwd() is DIR, "here" opens by its
 * relative name, umask() is 027 and a file created with mode 0666 gets
 * 0640.  PASS or FAIL.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "realt.h"

int
main(int argc, char **argv)
{
	static char want[PATH_MAX], got[PATH_MAX];
	struct stat st;
	long ticks = 0;
	mode_t old;
	int fd, f;

	if (argc != 3) {
		fprintf(stderr, "usage: rcwd DIR GOFILE\n");
		return 2;
	}
	rt_init();
	if (chdir(argv[1]) != 0 || getcwd(want, sizeof(want)) == NULL) {
		rt_fail("setup", "%s: %s", argv[1], strerror(errno));
		return rt_finish();
	}
	umask(027);
	fd = open("here", O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0) {
		rt_fail("setup", "here: %s", strerror(errno));
		return rt_finish();
	}
	close(fd);
	rt_say("ready");
	rt_wait_go(argv[2], &ticks);

	f = rt_failures;
	if (getcwd(got, sizeof(got)) == NULL)
		rt_fail("cwd", "getcwd: %s", strerror(errno));
	else if (strcmp(got, want) != 0)
		rt_fail("cwd", "working directory %s, want %s", got, want);
	fd = open("here", O_RDONLY);
	if (fd < 0)
		rt_fail("cwd", "here: %s", strerror(errno));
	else
		close(fd);
	rt_ok_since("cwd", f);

	f = rt_failures;
	old = umask(022);
	umask(old);
	if (old != 027)
		rt_fail("umask", "umask %03o, want 027", (unsigned)old);
	unlink("new");
	fd = open("new", O_WRONLY | O_CREAT | O_EXCL, 0666);
	if (fd < 0 || fstat(fd, &st) != 0)
		rt_fail("umask", "new: %s", strerror(errno));
	else if ((st.st_mode & 0777) != 0640)
		rt_fail("umask", "a file created 0666 got %03o, want 640",
		    (unsigned)(st.st_mode & 0777));
	if (fd >= 0)
		close(fd);
	rt_ok_since("umask", f);
	return rt_finish();
}
