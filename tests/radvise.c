/*
 * radvise GOFILE - what madvise and mlock said of memory comes back.
 *
 * Maps six regions of 256 KiB (the huge-page one 4 MiB, aligned to 2 MiB),
 * fills each with its own bytes and marks them: none (control),
 * MADV_HUGEPAGE, MADV_NOHUGEPAGE, MADV_DONTDUMP, MADV_WIPEONFORK and
 * mlock.  What the kernel accepted, as the VmFlags of /proc/self/smaps
 * show it, is noted before the checkpoint; prints "ready"
 * and waits for GOFILE.  Then each region must show exactly the same
 * advice flags (the control none) and hold its bytes (but the wipe-on-fork
 * one: the snapshot, a fork, sees it zeroed, as libckpt(7) says), and a
 * child forked now must find the wipe-on-fork region zeroed while the
 * parent keeps what it wrote there.  If the huge-page region had huge
 * pages before (AnonHugePages in smaps), it must have some after.  PASS
 * or FAIL.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "realt.h"

#define NREG	6
#define REGSZ	(256UL << 10)
#define HUGESZ	(4UL << 20)	/* region 1's size */
#define SLOT	(8UL << 20)	/* regions apart, so that none merge */

static const char *const names[NREG] = {
	"none", "hugepage", "nohugepage", "dontdump", "wipeonfork", "locked",
};
static const char *const marks[NREG] = { "", "hg", "nh", "dd", "wf", "lo" };

/*
 * The advice flags smaps shows for the region at 'at', as "hg nh ...", and
 * its AnonHugePages in kB.
 */
static int
flags_of(const char *at, char *out, size_t n, long *huge_kb)
{
	static const char *const all[] = { "hg", "nh", "dd", "wf", "lo",
	    "mg" };
	char line[4096], want[64];
	FILE *f = fopen("/proc/self/smaps", "r");
	int in = 0, found = 0;
	size_t i;

	if (f == NULL)
		return -1;
	*huge_kb = 0;
	snprintf(want, sizeof(want), "%lx-", (unsigned long)at);
	out[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, want, strlen(want)) == 0)
			in = 1;
		else if (in && strncmp(line, "AnonHugePages:", 14) == 0)
			*huge_kb = atol(line + 14);
		else if (in && strncmp(line, "VmFlags:", 8) == 0) {
			for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
				char tok[5];

				snprintf(tok, sizeof(tok), " %s", all[i]);
				if (strstr(line + 7, tok) != NULL) {
					strncat(out, all[i], n - strlen(out) - 1);
					strncat(out, " ", n - strlen(out) - 1);
				}
			}
			found = 1;
			break;
		}
	}
	fclose(f);
	return found ? 0 : -1;
}

int
main(int argc, char **argv)
{
	static char before[NREG][64];
	static long huge_before;
	char now[64];
	long ticks = 0, huge_kb;
	uint8_t *base, *r[NREG];
	size_t sz[NREG];
	size_t i, k;
	pid_t child;
	int st, f, rc;

	if (argc != 2) {
		fprintf(stderr, "usage: radvise GOFILE\n");
		return 2;
	}
	rt_init();
	base = mmap(NULL, (NREG + 1) * SLOT, PROT_NONE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED) {
		rt_fail("setup", "mmap: %s", strerror(errno));
		return rt_finish();
	}
	base = (uint8_t *)(((uintptr_t)base + SLOT - 1) & ~(SLOT - 1));
	for (i = 0; i < NREG; i++) {
		sz[i] = i == 1 ? HUGESZ : REGSZ;
		r[i] = mmap(base + i * SLOT, sz[i], PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (r[i] == MAP_FAILED) {
			rt_fail("setup", "mmap: %s", strerror(errno));
			return rt_finish();
		}
		/* advice first, so that the huge-page one gets them */
		if (i == 1 && madvise(r[1], HUGESZ, MADV_HUGEPAGE) != 0)
			rt_say("note: MADV_HUGEPAGE: %s", strerror(errno));
		for (k = 0; k < sz[i]; k++)
			r[i][k] = (uint8_t)(i * 37 + k % 251 + 1);
	}
	rc = 0;
	rc |= madvise(r[2], REGSZ, MADV_NOHUGEPAGE);
	rc |= madvise(r[3], REGSZ, MADV_DONTDUMP);
	rc |= madvise(r[4], REGSZ, MADV_WIPEONFORK);
	rc |= mlock(r[5], REGSZ);
	if (rc != 0)
		rt_say("note: the kernel refused some advice: %s",
		    strerror(errno));
	for (i = 0; i < NREG; i++) {
		if (flags_of((char *)r[i], before[i], sizeof(before[i]),
		    &huge_kb) < 0) {
			rt_fail("setup", "region %s not in smaps", names[i]);
			return rt_finish();
		}
		if (i == 1)
			huge_before = huge_kb;
		rt_say("%s: %s", names[i], before[i]);
	}
	rt_say("huge pages: %ld kB", huge_before);
	/*
	 * A kernel without huge pages refuses those marks, and a memory lock
	 * limit of 0 mlock: then there is nothing of them to restore.  Every
	 * kernel takes MADV_DONTDUMP and MADV_WIPEONFORK (Linux 4.14).
	 */
	for (i = 1; i < NREG; i++)
		if (strstr(before[i], marks[i]) == NULL) {
			if (i == 3 || i == 4)
				rt_fail("setup", "%s: smaps shows \"%s\", no "
				    "%s", names[i], before[i], marks[i]);
			else
				rt_say("note: %s not taken by this kernel",
				    names[i]);
		}
	if (before[0][0] != '\0')
		rt_fail("setup", "none: smaps shows \"%s\"", before[0]);
	if (rt_failures)
		return rt_finish();
	rt_say("ready");
	rt_wait_go(argv[1], &ticks);

	for (i = 0; i < NREG; i++) {
		f = rt_failures;
		if (flags_of((char *)r[i], now, sizeof(now), &huge_kb) < 0)
			rt_fail(names[i], "region not in smaps");
		else if (strcmp(now, before[i]) != 0)
			rt_fail(names[i], "advice \"%s\", was \"%s\"", now,
			    before[i]);
		/* huge pages if the kernel gave some before */
		if (i == 1 && huge_before > 0 && huge_kb == 0)
			rt_fail(names[i], "no huge pages (%ld kB before)",
			    huge_before);
		for (k = 0; i != 4 && k < sz[i]; k++)
			if (r[i][k] != (uint8_t)(i * 37 + k % 251 + 1)) {
				rt_fail(names[i], "byte %zu differs", k);
				break;
			}
		rt_ok_since(names[i], f);
	}

	/* wipe-on-fork still acts: a child sees zeros, we keep the bytes */
	f = rt_failures;
	memset(r[4], 0x5a, REGSZ);
	fflush(stdout);
	child = fork();
	if (child == 0) {
		for (k = 0; k < REGSZ; k++)
			if (r[4][k] != 0)
				_exit(1);
		_exit(0);
	}
	if (child < 0 || waitpid(child, &st, 0) != child)
		rt_fail("fork", "fork: %s", strerror(errno));
	else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		rt_fail("fork", "the child saw the wipe-on-fork region unwiped");
	if (r[4][0] != 0x5a || r[4][REGSZ - 1] != 0x5a)
		rt_fail("fork", "the parent lost the wipe-on-fork bytes");
	rt_ok_since("fork", f);
	return rt_finish();
}
