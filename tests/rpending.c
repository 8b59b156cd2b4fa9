/*
 * rpending GOFILE - signals pending at the checkpoint are pending again
 * after restart.
 *
 * Every thread blocks SIGUSR1 and SIGRTMIN+3; the program sends itself
 * SIGUSR1 (pending for the process) and sends its worker thread SIGWINCH,
 * which the worker blocks, and SIGRTMIN+3 (both pending for that thread
 * alone).  Prints "ready" and waits for GOFILE.  Then sigpending() must
 * still show SIGUSR1 in main, and SIGUSR1, SIGWINCH and SIGRTMIN+3 in the
 * worker, not SIGWINCH in main; unblocking them must run each handler once
 * (the thread-directed ones in the worker).  PASS or FAIL.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "realt.h"

static volatile sig_atomic_t	got_usr1, got_winch, got_rt;
static pthread_t		worker, main_thread;
static volatile int		worker_ready, go, worker_done;

static void
on_sig(int sig)
{
	if (sig == SIGUSR1)
		got_usr1++;
	else if (sig == SIGWINCH && pthread_equal(pthread_self(), worker))
		got_winch++;
	else if (sig == SIGRTMIN + 3 && pthread_equal(pthread_self(), worker))
		got_rt++;
}

static void *
work(void *arg)
{
	sigset_t set, p;

	sigemptyset(&set);
	sigaddset(&set, SIGWINCH);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	worker_ready = 1;
	while (!go)
		usleep(10000);
	sigpending(&p);
	if (!sigismember(&p, SIGWINCH) || !sigismember(&p, SIGRTMIN + 3))
		rt_fail("thread", "SIGWINCH %d, SIGRTMIN+3 %d no longer "
		    "pending for the worker", sigismember(&p, SIGWINCH),
		    sigismember(&p, SIGRTMIN + 3));
	if (!sigismember(&p, SIGUSR1))
		rt_fail("process", "SIGUSR1 not pending (worker)");
	sigaddset(&set, SIGRTMIN + 3);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	worker_done = 1;
	return NULL;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t set, p;
	long ticks = 0;
	int i, f;

	if (argc != 2) {
		fprintf(stderr, "usage: rpending GOFILE\n");
		return 2;
	}
	rt_init();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGWINCH, &sa, NULL);
	sigaction(SIGRTMIN + 3, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGRTMIN + 3);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	main_thread = pthread_self();
	if (pthread_create(&worker, NULL, work, NULL) != 0) {
		rt_fail("setup", "pthread_create failed");
		return rt_finish();
	}
	while (!worker_ready)
		usleep(1000);
	kill(getpid(), SIGUSR1);
	pthread_kill(worker, SIGWINCH);
	pthread_kill(worker, SIGRTMIN + 3);
	rt_say("ready");
	rt_wait_go(argv[1], &ticks);

	f = rt_failures;
	sigpending(&p);
	if (!sigismember(&p, SIGUSR1))
		rt_fail("process", "SIGUSR1 no longer pending");
	if (sigismember(&p, SIGWINCH))
		rt_fail("thread", "the worker's SIGWINCH is pending in main");
	go = 1;
	for (i = 0; i < 500 && !worker_done; i++)
		usleep(10000);
	pthread_join(worker, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	if (got_usr1 != 1 || got_winch != 1 || got_rt != 1)
		rt_fail("delivered", "handlers ran: SIGUSR1 %d, SIGWINCH %d, "
		    "SIGRTMIN+3 %d times, want 1 each", (int)got_usr1,
		    (int)got_winch, (int)got_rt);
	rt_ok_since("pending", f);
	return rt_finish();
}
