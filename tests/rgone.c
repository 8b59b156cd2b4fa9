/*
 * rgone ROUNDS - threads that exit while a checkpoint stops them.  Each
 * round a thread blocks every signal with a raw system call (as glibc
 * does in a thread that is exiting; libckpt's wrappers would keep its stop
 * signal open), prints "blocked R", sleeps 300 ms and exits; the main
 * thread joins it and prints "round R".  After ROUNDS rounds: "done".
 * A checkpoint that finds such a thread cannot stop it; the thread is
 * soon gone, and the checkpoint must go on without it.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

static void *
rg_thread(void *arg)
{
	unsigned long all = ~0UL;
	struct timespec t = { 0, 300 * 1000000L };

	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, NULL, sizeof(all));
	printf("blocked %d\n", (int)(long)arg);
	fflush(stdout);
	while (nanosleep(&t, &t) != 0)
		;
	return NULL;
}

int
main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 10, r;
	pthread_t t;

	for (r = 1; r <= rounds; r++) {
		if (pthread_create(&t, NULL, rg_thread, (void *)(long)r) != 0 ||
		    pthread_join(t, NULL) != 0) {
			printf("FAIL: round %d\n", r);
			return 1;
		}
		printf("round %d\n", r);
		fflush(stdout);
	}
	printf("done\n");
	return 0;
}
