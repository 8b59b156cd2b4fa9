/*
 * insp-shrink.c - preloaded into ckpt-inspect by t-insp-shrink: truncates
 * the image at a chosen moment while ckpt-inspect has it mapped, so that
 * the race a user hits by truncating a file under it happens on every
 * run, at the same place (built as a libtool module,
 * tests/.libs/insp-shrink.so).
 *
 *   INSP_SHRINK_FILE=PATH  the file to truncate
 *   INSP_SHRINK_TO=N       its new size in bytes
 *   INSP_SHRINK_AT=map     right after the first read-only file mapping,
 *                          before any of it is read: the reader finds the
 *                          file's end gone while it validates
 *          AT=verify       when --verify asks for its zstd context, after
 *                          the structure validated, before any chunk is
 *                          decompressed
 *
 *
 * For restart's tests it can instead send the process a signal at the same
 * moments (t-rst-early-signal):
 *
 *   INSP_KILL_AT=map|verify  when
 *   INSP_KILL_SIG=N          the signal, sent to the whole process
 *
 * Only once per process; without the variables it does nothing.  The
 * hooks are the program's own calls (glibc's malloc maps memory through
 * its internal alias, not through this mmap).
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/types.h>

#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ZSTD_DCtx_s;

void		*mmap(void *addr, size_t len, int prot, int flags, int fd,
		    off_t off);
struct ZSTD_DCtx_s *ZSTD_createDCtx(void);

static int	 shrink_done, kill_done;

/* Sends INSP_KILL_SIG to this process if this is the moment INSP_KILL_AT
 * names. */
static void
kill_at(const char *when)
{
	const char *at = getenv("INSP_KILL_AT");
	const char *sig = getenv("INSP_KILL_SIG");

	if (kill_done || at == NULL || sig == NULL || strcmp(at, when) != 0)
		return;
	kill_done = 1;
	if (kill(getpid(), atoi(sig)) != 0) {
		perror("insp-shrink: kill");
		_exit(99);
	}
}

/* Truncates INSP_SHRINK_FILE if this is the moment INSP_SHRINK_AT names. */
static void
shrink_at(const char *when)
{
	const char *at = getenv("INSP_SHRINK_AT");
	const char *path = getenv("INSP_SHRINK_FILE");
	const char *to = getenv("INSP_SHRINK_TO");

	if (shrink_done || at == NULL || path == NULL || to == NULL ||
	    strcmp(at, when) != 0)
		return;
	shrink_done = 1;
	if (truncate(path, (off_t)strtoll(to, NULL, 10)) != 0) {
		/* the test cannot stage its race: a hard error */
		perror("insp-shrink: truncate");
		_exit(99);
	}
}

void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	void *(*real)(void *, size_t, int, int, int, off_t);
	void *p;

	real = (void *(*)(void *, size_t, int, int, int, off_t))
	    dlsym(RTLD_NEXT, "mmap");
	if (real == NULL)
		_exit(99);
	p = real(addr, len, prot, flags, fd, off);
	if (p != MAP_FAILED && fd >= 0 && prot == PROT_READ) {
		shrink_at("map");
		kill_at("map");
	}
	return p;
}

struct ZSTD_DCtx_s *
ZSTD_createDCtx(void)
{
	struct ZSTD_DCtx_s *(*real)(void);

	real = (struct ZSTD_DCtx_s *(*)(void))dlsym(RTLD_NEXT,
	    "ZSTD_createDCtx");
	if (real == NULL)
		_exit(99);
	shrink_at("verify");
	kill_at("verify");
	return real();
}
