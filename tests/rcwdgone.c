/*
 * rcwdgone GOFILE - a program whose working directory was removed
 * (gone/, next to GOFILE, made, entered and removed) is restarted.  It
 * cannot go back there; restart must say so (t-real-cwd-gone.sh checks)
 * and the program runs on in restart's.  Prints "ready" and waits for
 * GOFILE; then PASS if it runs, with "cwd PATH" saying where it is.
 * Before, the image held no working directory at all and restart left
 * the program in its own without a word.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "realt.h"

int
main(int argc, char **argv)
{
	char dir[PATH_MAX], cwd[PATH_MAX];
	long ticks = 0;
	const char *slash;

	if (argc != 2) {
		fprintf(stderr, "usage: rcwdgone GOFILE\n");
		return 2;
	}
	rt_init();
	slash = strrchr(argv[1], '/');
	snprintf(dir, sizeof(dir), "%.*s/gone", slash == NULL ? 1 :
	    (int)(slash - argv[1]), slash == NULL ? "." : argv[1]);
	if (mkdir(dir, 0755) < 0 || chdir(dir) < 0 || rmdir(dir) < 0)
		rt_fail("setup", "%s: %s", dir, strerror(errno));
	if (rt_failures != 0)
		return rt_finish();
	rt_say("ready");
	rt_wait_go(argv[1], &ticks);
	rt_say("cwd %s", getcwd(cwd, sizeof(cwd)) != NULL ? cwd :
	    strerror(errno));
	return rt_finish();
}
