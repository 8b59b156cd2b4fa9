/*
 * rsleepmain - one thread, asleep in nanosleep() when the checkpoint
 * signal arrives: the thread that takes the signal, which nobody can look
 * at beforehand.  Prints "ready", then sleeps 3 s once, without a
 * remainder and without retrying: the call must not end early with EINTR,
 * neither in the program that was checkpointed nor after restart (where
 * the call is made again).  PASS or FAIL.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "realt.h"

int
main(void)
{
	struct timespec t = { 3, 0 };

	rt_init();
	rt_say("ready");
	if (nanosleep(&t, NULL) != 0)
		rt_fail("nanosleep", "ended early: %s", strerror(errno));
	else
		rt_ok_since("nanosleep", 0);
	return rt_finish();
}
