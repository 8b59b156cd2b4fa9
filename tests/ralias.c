/*
 * ralias GOFILE - shared memory mapped at two addresses is still one
 * object after restart, a write through either mapping seen through the
 * other:
 *   big:   a 16 MiB memfd mapped twice, its descriptor kept: too large
 *          to be saved with the descriptor, it is made again from its
 *          mappings, and the descriptor sees what they hold;
 *   closed: a 64 KiB memfd mapped twice, its descriptor closed;
 *   anon:  shared anonymous memory, aliased with mremap (old size 0);
 *   part:  a memfd's second half mapped alone beside the whole.
 *   half:  a 12 MiB memfd of which only the first 4 MiB are mapped, its
 *          descriptor kept: made again from that mapping, the rest
 *          zeros (restart warns), the descriptor alive.
 * (Each came back as separate memory, and big's and half's descriptors
 * dead: the JVM's ZGC, which maps its heap memfd three times and grows it
 * through the descriptor, corrupted its heap, then died.)  Before the checkpoint each
 * gets a pattern; prints "ready" and waits for GOFILE; then checks the
 * patterns and the aliasing both ways.  PASS or FAIL.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "realt.h"

#define PG	4096UL

struct ra_pair {
	const char	*name;
	unsigned char	*a, *b;		/* b at a + shift */
	size_t		 len, shift;
};

static int	ra_fd[2] = { -1, -1 };	/* big's, half's */

static void *
ra_map_fd(const char *name, size_t size, size_t len, off_t off, int keep,
    unsigned char **second)
{
	int fd = memfd_create(name, MFD_CLOEXEC);
	void *p = MAP_FAILED, *q = MAP_FAILED;

	if (fd >= 0 && ftruncate(fd, (off_t)size) == 0) {
		p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		q = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		    off);
	}
	if (p == MAP_FAILED || q == MAP_FAILED)
		rt_fail("setup", "%s: %s", name, strerror(errno));
	if (fd >= 0 && !keep)
		close(fd);
	else if (fd >= 0)
		ra_fd[keep - 1] = fd;
	*second = q;
	return p;
}

static void
ra_fill(struct ra_pair *x)
{
	size_t i;

	for (i = 0; i < x->len; i += PG)
		x->a[x->shift + i] = (unsigned char)(i / PG * 7 + 1);
}

static void
ra_check(struct ra_pair *x)
{
	int f = rt_failures;
	size_t i;

	for (i = 0; i < x->len; i += PG)
		if (x->b[i] != (unsigned char)(i / PG * 7 + 1)) {
			rt_fail(x->name, "page %zu holds %u, want %u", i / PG,
			    x->b[i], (unsigned)(unsigned char)(i / PG * 7 + 1));
			break;
		}
	x->a[x->shift + PG + 5] = 0xa5;
	if (x->b[PG + 5] != 0xa5)
		rt_fail(x->name, "a write through the first mapping is not "
		    "seen through the second");
	x->b[2 * PG + 9] = 0x5a;
	if (x->a[x->shift + 2 * PG + 9] != 0x5a)
		rt_fail(x->name, "a write through the second mapping is not "
		    "seen through the first");
	rt_ok_since(x->name, f);
}

int
main(int argc, char **argv)
{
	struct ra_pair x[4];
	unsigned char *half, *half2, buf[8];
	long ticks = 0;
	void *anon;
	int i, f;

	if (argc != 2) {
		fprintf(stderr, "usage: ralias GOFILE\n");
		return 2;
	}
	rt_init();
	x[0] = (struct ra_pair){ "big", NULL, NULL, 16UL << 20, 0 };
	x[0].a = ra_map_fd("ralias-big", x[0].len, x[0].len, 0, 1, &x[0].b);
	/* the whole file's mapping goes, its first 4 MiB's stays */
	half2 = ra_map_fd("ralias-half", 12UL << 20, 4UL << 20, 0, 2, &half);
	munmap(half2, 12UL << 20);
	if (half != MAP_FAILED)
		memcpy(half + 100, "half", 4);
	x[1] = (struct ra_pair){ "closed", NULL, NULL, 64UL << 10, 0 };
	x[1].a = ra_map_fd("ralias-closed", x[1].len, x[1].len, 0, 0,
	    &x[1].b);
	x[2] = (struct ra_pair){ "anon", NULL, NULL, 1UL << 20, 0 };
	anon = mmap(NULL, x[2].len, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	x[2].a = anon;
	x[2].b = anon == MAP_FAILED ? MAP_FAILED : mremap(anon, 0, x[2].len,
	    MREMAP_MAYMOVE);
	if (anon == MAP_FAILED || x[2].b == MAP_FAILED) {
		rt_fail("setup", "anon: %s", strerror(errno));
		return rt_finish();
	}
	x[3] = (struct ra_pair){ "part", NULL, NULL, 256UL << 10, 256UL << 10 };
	x[3].a = ra_map_fd("ralias-part", 2 * x[3].len, x[3].len,
	    (off_t)x[3].shift, 0, &x[3].b);
	if (rt_failures != 0)
		return rt_finish();
	for (i = 0; i < 4; i++)
		ra_fill(&x[i]);
	rt_say("ready");
	rt_wait_go(argv[1], &ticks);
	for (i = 0; i < 4; i++)
		ra_check(&x[i]);
	/* the descriptors are alive, and one file with the mappings */
	f = rt_failures;
	memset(buf, 0, sizeof(buf));
	if (pread(ra_fd[0], buf, 1, 3 * PG) != 1 || buf[0] != x[0].a[3 * PG])
		rt_fail("big-fd", "pread: %s, %u against the mapping's %u",
		    strerror(errno), buf[0], x[0].a[3 * PG]);
	if (pwrite(ra_fd[0], "fd", 2, 5 * PG) != 2 ||
	    memcmp(x[0].b + 5 * PG, "fd", 2) != 0)
		rt_fail("big-fd", "a write through the descriptor is not "
		    "seen through the mapping");
	rt_ok_since("big-fd", f);
	f = rt_failures;
	memset(buf, 0, sizeof(buf));
	if (pread(ra_fd[1], buf, 4, 100) != 4 || memcmp(buf, "half", 4) != 0)
		rt_fail("half-fd", "pread: %s: \"%.4s\"", strerror(errno),
		    buf);
	if (pread(ra_fd[1], buf, 4, 8UL << 20) != 4 ||
	    memcmp(buf, "\0\0\0\0", 4) != 0)
		rt_fail("half-fd", "beyond the mapping: not zeros");
	if (lseek(ra_fd[1], 0, SEEK_END) != (off_t)(12UL << 20))
		rt_fail("half-fd", "size %lld", (long long)lseek(ra_fd[1], 0,
		    SEEK_END));
	rt_ok_since("half-fd", f);
	return rt_finish();
}
