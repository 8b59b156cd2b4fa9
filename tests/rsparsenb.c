/*
 * rsparsenb LIVEFILE - the buffer libckpt copies scattered memory into
 * (ckpt_stage.c) lands in a hole just below a mapping of the program's
 * that starts 64 KiB past a 2 MiB boundary; the helper thread that faults
 * the buffer in must not touch that mapping:
 *
 *   sparse   16 GiB MAP_NORESERVE, one page written in each of the first
 *            4106 2 MiB blocks (16 MiB and 40 KiB to copy: the helper
 *            runs, and the copy ends 40 KiB into a huge page), and a
 *            guard page (MADV_GUARD_INSTALL, Linux 6.13) beside one of
 *            them, which the copy must not read: it would kill the program
 *   hole     96 MiB, above a guard, where the buffer fits and the working
 *            memory (1 GiB) does not
 *   above    private anonymous, never touched, from 64 KiB past a 2 MiB
 *            boundary
 *
 * Says "ready", waits until LIVEFILE exists (the test creates it once the
 * image is written), then checks that no page of "above" is resident and
 * that the sparse pages are there.  PASS or FAIL.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "realt.h"

#define MIB		(1024UL * 1024)
#define SLOT		(2 * MIB)
#define SPARSE_N	4106
#define MADV_GUARD	102		/* MADV_GUARD_INSTALL */

int
main(int argc, char **argv)
{
	unsigned char *sparse, *a, *above, v[SLOT / 4096];
	uintptr_t at;
	size_t k, n;
	int f;

	if (argc != 2) {
		fprintf(stderr, "usage: rsparsenb LIVEFILE\n");
		return 2;
	}
	rt_init();
	sparse = mmap(NULL, 8192 * SLOT, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	a = mmap(NULL, 200 * MIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
	    0);
	if (sparse == MAP_FAILED || a == MAP_FAILED) {
		rt_fail("setup", "mmap: %s", strerror(errno));
		return rt_finish();
	}
	for (k = 0; k < SPARSE_N; k++)
		memset(sparse + k * SLOT, (int)(k % 251) + 1, 4096);
	if (madvise(sparse + 7 * SLOT + 4096, 4096, MADV_GUARD) != 0 &&
	    errno != EINVAL) {
		rt_fail("setup", "MADV_GUARD_INSTALL: %s", strerror(errno));
		return rt_finish();
	}
	at = (((uintptr_t)a + SLOT - 1) & ~(SLOT - 1)) + 100 * MIB + 65536;
	above = mmap((void *)at, (uintptr_t)a + 200 * MIB - at, PROT_READ |
	    PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (above == MAP_FAILED || munmap(a + 4 * MIB, at - (uintptr_t)a -
	    4 * MIB) != 0) {
		rt_fail("setup", "mmap: %s", strerror(errno));
		return rt_finish();
	}
	rt_say("ready");
	while (access(argv[1], F_OK) != 0)
		usleep(1000);
	f = rt_failures;
	if (mincore(above, SLOT, v) != 0)
		rt_fail("above", "mincore: %s", strerror(errno));
	for (k = 0, n = 0; k < sizeof(v); k++)
		n += v[k] & 1;
	if (n != 0)
		rt_fail("above", "%zu pages of a mapping never touched are"
		    " resident after the checkpoint", n);
	rt_ok_since("above", f);
	f = rt_failures;
	for (k = 0; k < SPARSE_N; k++)
		if (sparse[k * SLOT] != (unsigned char)(k % 251 + 1) ||
		    sparse[k * SLOT + 4095] != (unsigned char)(k % 251 + 1)) {
			rt_fail("sparse", "page %zu differs", k);
			break;
		}
	rt_ok_since("sparse", f);
	return rt_finish();
}
