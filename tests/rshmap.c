/*
 * rshmap DIR GOFILE - a file mapped MAP_SHARED is the file again after
 * restart.  Before the checkpoint, DIR/data (3 pages of 'd') is mapped
 * shared read-write and "before" written at the start of page 0 through
 * the mapping; DIR/gone (1 page of 'g') is mapped shared read-only.  Prints
 * "ready" and waits for GOFILE; the test meanwhile writes "outside" at
 * the start of page 2 of DIR/data with dd and removes DIR/gone.  Then:
 *  - "after" written through the mapping at page 1 reaches the file
 *    (pread sees it; before, the mapping was anonymous memory);
 *  - the mapping shows "outside" (it is the file, not the saved bytes)
 *    and still "before";
 *  - /proc/self/maps names DIR/data at the mapping's address;
 *  - DIR/gone's mapping still reads its 'g's (its saved contents; restart
 *    warns that it is no longer shared with the file).
 * PASS or FAIL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "realt.h"

#define PG	4096

static int
make_file(const char *dir, const char *name, int c, int pages, char *path)
{
	char buf[PG];
	int fd, i;

	snprintf(path, 4096, "%s/%s", dir, name);
	if ((fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600)) < 0)
		return -1;
	memset(buf, c, sizeof(buf));
	for (i = 0; i < pages; i++)
		if (write(fd, buf, PG) != PG)
			return -1;
	return fd;
}

/* Whether /proc/self/maps shows 'path' for the mapping at addr (a
 * newline in it shown as the kernel shows it, \012). */
static int
maps_names(const void *addr, const char *path)
{
	char line[8192], want[64], shown[4 * 4096];
	FILE *f = fopen("/proc/self/maps", "r");
	size_t o = 0;
	int found = 0;

	if (f == NULL)
		return 0;
	for (; *path != '\0' && o < sizeof(shown) - 5; path++)
		if (*path == '\n') {
			memcpy(shown + o, "\\012", 4);
			o += 4;
		} else
			shown[o++] = *path;
	shown[o] = '\0';
	snprintf(want, sizeof(want), "%lx-", (unsigned long)addr);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, want, strlen(want)) == 0 &&
		    strstr(line, shown) != NULL)
			found = 1;
	fclose(f);
	return found;
}

int
main(int argc, char **argv)
{
	static char data[4096], gone[4096];
	char buf[16];
	long ticks = 0;
	char *m, *g;
	int fd, gfd, i, f;

	if (argc != 3) {
		fprintf(stderr, "usage: rshmap DIR GOFILE\n");
		return 2;
	}
	rt_init();
	fd = make_file(argv[1], "data", 'd', 3, data);
	gfd = make_file(argv[1], "gone", 'g', 1, gone);
	m = fd < 0 ? MAP_FAILED : mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
	    MAP_SHARED, fd, 0);
	g = gfd < 0 ? MAP_FAILED : mmap(NULL, PG, PROT_READ, MAP_SHARED, gfd,
	    0);
	if (m == MAP_FAILED || g == MAP_FAILED) {
		rt_fail("setup", "%s", strerror(errno));
		return rt_finish();
	}
	close(fd);
	close(gfd);
	memcpy(m, "before", 6);
	rt_say("ready");
	rt_wait_go(argv[2], &ticks);

	f = rt_failures;
	memcpy(m + PG, "after", 5);
	msync(m, 3 * PG, MS_SYNC);
	fd = open(data, O_RDONLY);
	memset(buf, 0, sizeof(buf));
	if (fd < 0 || pread(fd, buf, 5, PG) != 5 ||
	    memcmp(buf, "after", 5) != 0)
		rt_fail("write", "the file has \"%.5s\" at page 1, want "
		    "\"after\"", buf);
	if (memcmp(m + 2 * PG, "outside", 7) != 0)
		rt_fail("read", "the mapping has \"%.7s\" at page 2, want "
		    "\"outside\"", m + 2 * PG);
	if (memcmp(m, "before", 6) != 0 || m[6] != 'd')
		rt_fail("read", "the mapping has \"%.7s\" at page 0", m);
	if (!maps_names(m, data))
		rt_fail("maps", "/proc/self/maps does not name %s", data);
	rt_ok_since("shared file", f);

	f = rt_failures;
	for (i = 0; i < PG; i++)
		if (g[i] != 'g') {
			rt_fail("gone", "byte %d of the lost file's mapping is "
			    "%d", i, g[i]);
			break;
		}
	rt_ok_since("gone", f);
	return rt_finish();
}
