/*
 * rnodump GOFILE - a program that made itself not dumpable
 * (PR_SET_DUMPABLE 0, as ssh-agent and gpg-agent do, to keep others out
 * of its memory) is checkpointed and restarted, run by a user other than
 * root (t-real-nodump.sh).  Its /proc files are then root's, and the
 * snapshot used to be refused its own memory ("cannot read own memory:
 * permission denied"): no image was ever written.  Fills 4 MiB with a
 * pattern, prints "ready" and waits for GOFILE; then the pattern must be
 * whole and the program still not dumpable (so the test's second
 * checkpoint, of the restored program, is of one not dumpable too).
 * PASS or FAIL.
 */
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#include "realt.h"

#define BIG	(4U << 20)

static unsigned char	big[BIG];

static void
check(void)
{
	size_t i;
	int f = rt_failures;

	for (i = 0; i < BIG; i++)
		if (big[i] != (unsigned char)(i * 7 + i / 4096)) {
			rt_fail("memory", "byte %zu changed", i);
			break;
		}
	rt_ok_since("memory", f);
	f = rt_failures;
	if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0)
		rt_fail("dumpable", "dumpable again after restart");
	rt_ok_since("not dumpable", f);
}

static void
setup(const char *go __attribute__((unused)))
{
	size_t i;

	for (i = 0; i < BIG; i++)
		big[i] = (unsigned char)(i * 7 + i / 4096);
	if (prctl(PR_SET_DUMPABLE, 0) != 0)
		rt_fail("setup", "PR_SET_DUMPABLE");
}

int
main(int argc, char **argv)
{
	return rt_run(argc, argv, setup, check);
}
