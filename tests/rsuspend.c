/*
 * rsuspend DIR - a SIGCHLD that arrives while the checkpoint handler runs
 * must still end the sigsuspend the checkpoint interrupted, as timeout(1)
 * needs: it waits for its child in exactly this loop.
 *
 * main blocks SIGCHLD, handles it (empty sa_mask: the handler only sets
 * a flag) and waits in "while (!got) sigsuspend(without SIGCHLD)".  A
 * second thread, "slow", blocks every signal with a raw rt_sigprocmask,
 * which libckpt cannot see, so a checkpoint cannot finish until it
 * unblocks the stop signal, which it does once DIR/unblock exists.  main
 * says "ready slow TID".  The test sees main in rt_sigsuspend, triggers a
 * checkpoint, sees the stop signal pending for slow (main is then in
 * libckpt's handler, waiting for it), sends main a
 * SIGCHLD, and creates DIR/unblock.  main must then leave its loop and
 * say "woke pid N"; so must the restarted process, from the same image,
 * once the test sends it a SIGCHLD of its own (the first came after the
 * checkpoint's instant: the image does not hold it).
 * Then it waits for DIR/go and says PASS.
 *
 * Before, libckpt's handler left SIGCHLD unblocked: the program's handler
 * ran nested inside it, and the sigsuspend that libckpt then made again
 * waited for a SIGCHLD already taken: main never woke.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "realt.h"

#define STOP_SIG	62

static const char	*dir;
static volatile sig_atomic_t got;
static volatile long	 slow_tid;

static void
on_chld(int sig)
{
	(void)sig;
	got = 1;
}

static int
raw_mask(int how, const sigset_t *set)
{
	/* the kernel's sigset is 8 bytes */
	return (int)syscall(SYS_rt_sigprocmask, how, set, NULL, 8);
}

static void
path_in_dir(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

static void *
slow(void *arg)
{
	char unblock[4096], go[4096];
	sigset_t all, stop;
	long ticks = 0;

	(void)arg;
	path_in_dir(unblock, sizeof(unblock), "unblock");
	path_in_dir(go, sizeof(go), "go");
	sigfillset(&all);
	sigaddset(&all, STOP_SIG);
	if (raw_mask(SIG_BLOCK, &all) < 0)
		rt_fail("slow", "rt_sigprocmask: %s", strerror(errno));
	__atomic_store_n(&slow_tid, (long)syscall(SYS_gettid),
	    __ATOMIC_RELEASE);
	if (crt_wait_go(unblock, &ticks) < 0) {
		rt_fail("slow", "no %s", unblock);
		return NULL;
	}
	sigemptyset(&stop);
	sigaddset(&stop, STOP_SIG);
	raw_mask(SIG_UNBLOCK, &stop);
	ticks = 0;
	while (crt_go_step(go, &ticks) == 0)
		;
	return NULL;
}

int
main(int argc, char **argv)
{
	char go[4096];
	struct sigaction sa;
	sigset_t chld, wait_mask;
	pthread_t t;
	long ticks = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: rsuspend DIR\n");
		return 2;
	}
	dir = argv[1];
	rt_init();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_chld;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &wait_mask);
	sigdelset(&wait_mask, SIGCHLD);
	if (pthread_create(&t, NULL, slow, NULL) != 0) {
		rt_fail("main", "pthread_create");
		return rt_finish();
	}
	while (!__atomic_load_n(&slow_tid, __ATOMIC_ACQUIRE))
		crt_tick();
	rt_say("ready slow %ld", slow_tid);
	while (!got)
		sigsuspend(&wait_mask);
	rt_say("woke pid %ld", (long)getpid());
	path_in_dir(go, sizeof(go), "go");
	if (crt_wait_go(go, &ticks) < 0)
		rt_fail("main", "no %s", go);
	pthread_join(t, NULL);
	return rt_finish();
}
