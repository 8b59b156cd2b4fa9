/*
 * rshmgone GOFILE - shared memory whose file is gone and not held open is
 * shared memory again after restart: a page of an unlinked shm_open file,
 * a page of a memfd whose descriptor was closed, and a page of another
 * such memfd that is all zeros (not stored in the image), each mapped
 * MAP_SHARED once.  Prints "ready" and waits for GOFILE; then a child
 * forked after restart writes to each, and the program must see its
 * writes.  Before, they came back as private memory and the child's
 * writes were lost, without a word.  PASS or FAIL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "realt.h"

#define PG	4096

static char	*shm, *mfd, *zero;

/* A page of fd mapped shared; fd is closed. */
static char *
map_page(int fd, const char *what)
{
	char *p;

	if (fd < 0 || ftruncate(fd, PG) < 0) {
		rt_fail("setup", "%s: %s", what, strerror(errno));
		return NULL;
	}
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		rt_fail("setup", "%s: mmap: %s", what, strerror(errno));
		return NULL;
	}
	return p;
}

static void
setup(const char *go __attribute__((unused)))
{
	char name[64];

	snprintf(name, sizeof(name), "/ckpt-rshmgone-%ld", (long)getpid());
	shm = map_page(shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600),
	    "shm_open");
	shm_unlink(name);
	mfd = map_page(memfd_create("rshmgone", MFD_CLOEXEC), "memfd");
	zero = map_page(memfd_create("rshmgone-zero", MFD_CLOEXEC),
	    "memfd");
	if (shm != NULL && mfd != NULL) {
		strcpy(shm, "shm");
		strcpy(mfd, "memfd");
	}
}

static void
check(void)
{
	pid_t kid;
	int st = 0, f = rt_failures;

	if (strcmp(shm, "shm") != 0 || strcmp(mfd, "memfd") != 0 ||
	    zero[0] != 0)
		rt_fail("contents", "changed across the restart");
	kid = fork();
	if (kid == 0) {
		strcpy(shm, "kid shm");
		strcpy(mfd, "kid memfd");
		strcpy(zero, "kid zero");
		_exit(0);
	}
	if (kid < 0 || waitpid(kid, &st, 0) != kid || st != 0)
		rt_fail("fork", "the child did not run");
	if (strcmp(shm, "kid shm") != 0)
		rt_fail("shm_open", "the child's write is not seen: '%s'", shm);
	if (strcmp(mfd, "kid memfd") != 0)
		rt_fail("memfd", "the child's write is not seen: '%s'", mfd);
	if (strcmp(zero, "kid zero") != 0)
		rt_fail("zero memfd", "the child's write is not seen: '%s'",
		    zero);
	rt_ok_since("shared with a child", f);
}

int
main(int argc, char **argv)
{
	return rt_run(argc, argv, setup, check);
}
