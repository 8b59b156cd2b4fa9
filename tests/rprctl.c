/*
 * rprctl GOFILE - the prctl settings a program made come back after
 * restart: not dumpable, no_new_privs, child subreaper, huge pages off
 * (PR_SET_THP_DISABLE), a parent-death signal, a timer slack and a
 * personality flag (READ_IMPLIES_EXEC), and a second thread's own timer
 * slack and parent-death signal.  Prints
 * "ready" and waits for GOFILE; then each must be as it was.  Before,
 * the restored process had restart's: a program that had locked itself
 * down (not dumpable, no_new_privs) was silently opened up again.
 * PASS or FAIL.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>

#include "realt.h"

#define SLACK_MAIN	123456
#define SLACK_THREAD	654321

static int		persona0;
static volatile int	t_state;	/* 1 set up, 2 go, 3 checked */
static pthread_t	th;

/* The prctl settings a thread must have: fails with what differs. */
static void
check_thread(const char *who, long slack, int deathsig)
{
	int sig = 0;
	long s = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);

	if (s != slack)
		rt_fail(who, "timer slack %ld ns, want %ld", s, slack);
	if (prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0) != 0 || sig != deathsig)
		rt_fail(who, "parent-death signal %d, want %d", sig, deathsig);
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		rt_fail(who, "no_new_privs lost");
	if (personality(0xffffffff) != (persona0 | READ_IMPLIES_EXEC))
		rt_fail(who, "personality %#x, want %#x",
		    personality(0xffffffff), persona0 | READ_IMPLIES_EXEC);
}

static void *
thread_main(void *arg)
{
	int f;

	(void)arg;
	prctl(PR_SET_TIMERSLACK, SLACK_THREAD, 0, 0, 0);
	prctl(PR_SET_PDEATHSIG, SIGHUP, 0, 0, 0);
	__atomic_store_n(&t_state, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&t_state, __ATOMIC_ACQUIRE) != 2)
		crt_tick();
	f = rt_failures;
	check_thread("thread", SLACK_THREAD, SIGHUP);
	rt_ok_since("thread", f);
	__atomic_store_n(&t_state, 3, __ATOMIC_RELEASE);
	return NULL;
}

static void
setup(const char *go __attribute__((unused)))
{
	persona0 = personality(0xffffffff);
	if (personality(persona0 | READ_IMPLIES_EXEC) < 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0 ||
	    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0) != 0 ||
	    prctl(PR_SET_TIMERSLACK, SLACK_MAIN, 0, 0, 0) != 0 ||
	    prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) != 0)
		rt_fail("setup", "prctl: %s", strerror(errno));
	if (pthread_create(&th, NULL, thread_main, NULL) != 0)
		rt_fail("setup", "pthread_create");
	while (__atomic_load_n(&t_state, __ATOMIC_ACQUIRE) != 1)
		crt_tick();
}

static void
check(void)
{
	int f = rt_failures, v = 0;

	check_thread("main", SLACK_MAIN, SIGTERM);
	if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0)
		rt_fail("main", "dumpable again");
	if (prctl(PR_GET_CHILD_SUBREAPER, &v, 0, 0, 0) != 0 || v != 1)
		rt_fail("main", "no longer a child subreaper");
	if (prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) != 1)
		rt_fail("main", "transparent huge pages no longer off");
	rt_ok_since("main", f);
	__atomic_store_n(&t_state, 2, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
}

int
main(int argc, char **argv)
{
	return rt_run(argc, argv, setup, check);
}
