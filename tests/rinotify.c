/*
 * rinotify DIR GOFILE - an inotify descriptor comes back with its watches
 * under their old numbers.  Before the checkpoint it watches DIR/a for
 * IN_MODIFY (wd 1), DIR/b (wd 2, removed again, so the numbers have a
 * gap), DIR/sub for IN_CREATE (wd 3), "c" relative to DIR, the working
 * directory then, for IN_MODIFY (wd 4; the program then moves to /), and
 * DIR/gone (wd 5), which the test removes before restart.  Prints "ready"
 * and waits for GOFILE.  Then it writes DIR/a, creates DIR/sub/new and
 * writes DIR/c, and must read exactly IN_MODIFY on 1, IN_CREATE "new" on 3
 * and IN_MODIFY on 4 (no IN_IGNORED from restart's own passing over of
 * the gap); a new watch gets 6, as it would have.  PASS or FAIL.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "realt.h"

static void
touch(const char *dir, const char *name)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600)) < 0 ||
	    write(fd, "x", 1) != 1)
		rt_fail("touch", "%s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

static int
watch(int fd, const char *dir, const char *name, uint32_t mask)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return inotify_add_watch(fd, path, mask);
}

/* Reads events until the three expected have come or none comes for a
 * while; each one read is checked against the next expected. */
static void
check_events(int fd)
{
	static const struct {
		int		 wd;
		uint32_t	 mask;
		const char	*name;
	} want[] = {
		{ 1, IN_MODIFY, "" }, { 3, IN_CREATE, "new" },
		{ 4, IN_MODIFY, "" },
	};
	char buf[4096] __attribute__((aligned(8)));
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t k = 0;
	ssize_t n, off;

	while (k < 3 && poll(&p, 1, 10000) == 1) {
		if ((n = read(fd, buf, sizeof(buf))) <= 0)
			break;
		for (off = 0; off < n; ) {
			struct inotify_event *e = (void *)(buf + off);
			const char *name = e->len ? e->name : "";

			if (k >= 3 || e->wd != want[k].wd ||
			    e->mask != want[k].mask ||
			    strcmp(name, want[k].name) != 0)
				rt_fail("events", "got wd %d mask %#x \"%s\" as "
				    "event %zu", e->wd, e->mask, name, k + 1);
			k++;
			off += (ssize_t)sizeof(*e) + e->len;
		}
	}
	if (k < 3)
		rt_fail("events", "%zu of the 3 events came", k);
}

int
main(int argc, char **argv)
{
	char sub[4096];
	long ticks = 0;
	int fd, wd[5], f;

	if (argc != 3) {
		fprintf(stderr, "usage: rinotify DIR GOFILE\n");
		return 2;
	}
	rt_init();
	snprintf(sub, sizeof(sub), "%s/sub", argv[1]);
	touch(argv[1], "a");
	touch(argv[1], "b");
	touch(argv[1], "c");
	touch(argv[1], "gone");
	fd = inotify_init1(IN_CLOEXEC);
	if (fd < 0 || mkdir(sub, 0700) != 0) {
		rt_fail("setup", "%s", strerror(errno));
		return rt_finish();
	}
	wd[0] = watch(fd, argv[1], "a", IN_MODIFY);
	wd[1] = watch(fd, argv[1], "b", IN_MODIFY);
	inotify_rm_watch(fd, wd[1]);
	wd[2] = inotify_add_watch(fd, sub, IN_CREATE);
	if (chdir(argv[1]) != 0 || (wd[3] = inotify_add_watch(fd, "c",
	    IN_MODIFY)) < 0 || chdir("/") != 0)
		wd[3] = -1;
	wd[4] = watch(fd, argv[1], "gone", IN_MODIFY);
	{
		/* the removal's IN_IGNORED, read before the checkpoint */
		char buf[256];

		if (read(fd, buf, sizeof(buf)) <= 0)
			rt_fail("setup", "no IN_IGNORED: %s", strerror(errno));
	}
	if (wd[0] != 1 || wd[1] != 2 || wd[2] != 3 || wd[3] != 4 ||
	    wd[4] != 5) {
		rt_fail("setup", "watches %d %d %d %d %d", wd[0], wd[1], wd[2],
		    wd[3], wd[4]);
		return rt_finish();
	}
	rt_say("ready");
	rt_wait_go(argv[2], &ticks);

	f = rt_failures;
	touch(argv[1], "a");
	touch(sub, "new");
	touch(argv[1], "c");
	check_events(fd);
	rt_ok_since("events", f);

	f = rt_failures;
	if ((wd[1] = watch(fd, argv[1], "b", IN_MODIFY)) != 6)
		rt_fail("numbers", "a new watch got %d, want 6", wd[1]);
	rt_ok_since("numbers", f);
	return rt_finish();
}
