/*
 * cr-run PROGRAM [ARG ...] - runs PROGRAM (searched in PATH) with only
 * file descriptors 0, 1 and 2 open, in this same process.
 *
 * The checkpoint/restart tests start every program and every restart
 * through it, so that the image holds exactly the descriptors the test
 * gave the program: descriptors leaked by whatever runs `make check`
 * (a CI runner's pipe, a terminal's socket) would otherwise be saved and
 * reported by restart as not restorable.  It execs, so the pid a test gets
 * from "$!" is the program's own; POSIX sh cannot close descriptors above
 * 9 itself.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void
close_from_3(void)
{
	DIR *d;
	struct dirent *e;
	int dfd;

#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
		return;
#endif
	/* older kernels: close what /proc/self/fd lists */
	d = opendir("/proc/self/fd");
	if (d == NULL) {
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
		return;
	}
	dfd = dirfd(d);
	while ((e = readdir(d)) != NULL) {
		int fd = atoi(e->d_name);

		if (fd >= 3 && fd != dfd)
			close(fd);
	}
	closedir(d);
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: cr-run PROGRAM [ARG ...]\n");
		return 2;
	}
	close_from_3();
	execvp(argv[1], argv + 1);
	fprintf(stderr, "cr-run: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
