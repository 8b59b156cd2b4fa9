/*
 * rthreads GOFILE - a multi-threaded program keeps working across a
 * checkpoint taken while its threads run, and across a chain of them.
 *
 * Four workers go round after round, all in step:
 *   mutex     each adds its share to a shared total under a mutex;
 *   condvar   each in turn (0, 1, 2, 3, 0, ...) folds its number into a
 *             shared hash, waiting on a condition variable for its turn;
 *   barrier   a barrier ends the round; one worker sleeps 2 ms there, so
 *             the workers are often blocked in futex waits;
 *   TLS       each updates __thread variables (a running hash of its
 *             rounds, a 512-byte pattern) and keeps a pattern on its
 *             stack.
 * The main thread has TLS of its own.  Each time it sees its pid change
 * (it was restarted) it starts a "late" thread that adds to the total
 * under the mutex until the end: a thread born after a restart, which the
 * next checkpoint must catch too.
 *
 * Prints "ready" once the workers are under way, then "resumed pid N" and
 * "late thread K started" after each restart; once GOFILE exists it stops
 * everyone and checks that every worker did the same number of rounds R,
 * that the total and the turn hash are exactly what R rounds give, that
 * every thread's TLS and stack are intact and that new threads got fresh
 * TLS.  Prints "late threads N", the checks, then PASS or FAIL.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "realt.h"

#define NW		4
#define NLATE		8
#define TLS_ACC0	0x1234ULL
#define STACK_PAT	4096

static pthread_mutex_t	m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	cv = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t bar;
static int		turn;
static uint64_t		seq_hash;
static long		total;
static volatile int	stop_req;
static int		finishing;
static long		rounds_done[NW];
static volatile long	progress;
static long		late_n[NLATE];

static __thread int	tls_id = -1;
static __thread uint64_t tls_acc = TLS_ACC0;
static __thread long	tls_rounds;
static __thread unsigned char tls_buf[512];

/* Checks this thread's TLS and a pattern on its stack; name says whose. */
static void
check_tls(const char *name, int id, uint64_t seed, const unsigned char *stk,
    uint64_t stk_seed)
{
	size_t bad;

	if (tls_id != id)
		rt_fail("tls", "%s: tls_id %d, want %d", name, tls_id, id);
	bad = crt_check(tls_buf, 0, sizeof(tls_buf), seed);
	if (bad != sizeof(tls_buf))
		rt_fail("tls", "%s: TLS buffer differs at byte %zu", name,
		    bad);
	bad = crt_check(stk, 0, STACK_PAT, stk_seed);
	if (bad != STACK_PAT)
		rt_fail("stack", "%s: stack pattern differs at byte %zu", name,
		    bad);
}

static void
fresh_tls(const char *name)
{
	if (tls_id != -1 || tls_acc != TLS_ACC0 || tls_rounds != 0)
		rt_fail("tls", "%s: a new thread's TLS is not the initial "
		    "image (id %d acc %#llx)", name, tls_id,
		    (unsigned long long)tls_acc);
}

static void *
worker(void *arg)
{
	int i = (int)(intptr_t)arg, serial, last;
	unsigned char stk[STACK_PAT];
	uint64_t a;
	char name[32];
	long r, k;

	snprintf(name, sizeof(name), "worker %d", i);
	fresh_tls(name);
	tls_id = i;
	crt_fill(tls_buf, 0, sizeof(tls_buf), 1000 + i);
	crt_fill(stk, 0, sizeof(stk), 3000 + i);
	crt_escape(stk);
	for (r = 0;; r++) {
		pthread_mutex_lock(&m);
		total += i + 1;
		pthread_mutex_unlock(&m);
		tls_acc = crt_mix(tls_acc ^ (uint64_t)(r * NW + i));
		tls_rounds++;

		pthread_mutex_lock(&m);
		while (turn != i)
			pthread_cond_wait(&cv, &m);
		seq_hash = crt_mix(seq_hash ^ (uint64_t)i ^
		    ((uint64_t)r << 8));
		turn = (turn + 1) % NW;
		pthread_cond_broadcast(&cv);
		pthread_mutex_unlock(&m);

		serial = pthread_barrier_wait(&bar);
		if (serial == PTHREAD_BARRIER_SERIAL_THREAD) {
			struct timespec ts = { 0, 2000000 };

			nanosleep(&ts, NULL);
			finishing = stop_req;
			progress = r + 1;
		}
		pthread_barrier_wait(&bar);
		last = finishing;
		if (last)
			break;
	}
	rounds_done[i] = r + 1;
	crt_escape(stk);
	check_tls(name, i, 1000 + i, stk, 3000 + i);
	for (a = TLS_ACC0, k = 0; k < r + 1; k++)
		a = crt_mix(a ^ (uint64_t)(k * NW + i));
	if (tls_acc != a || tls_rounds != r + 1)
		rt_fail("tls", "%s: TLS running hash/rounds wrong after %ld "
		    "rounds (rounds %ld)", name, r + 1, tls_rounds);
	return NULL;
}

static void *
late(void *arg)
{
	int k = (int)(intptr_t)arg;
	unsigned char stk[STACK_PAT];
	char name[32];

	snprintf(name, sizeof(name), "late thread %d", k);
	fresh_tls(name);
	tls_id = 100 + k;
	crt_fill(tls_buf, 0, sizeof(tls_buf), 2000 + k);
	crt_fill(stk, 0, sizeof(stk), 4000 + k);
	crt_escape(stk);
	rt_say("late thread %d started", k);
	while (!stop_req) {
		struct timespec ts = { 0, 1000000 };

		pthread_mutex_lock(&m);
		total += 1000;
		late_n[k]++;
		pthread_mutex_unlock(&m);
		nanosleep(&ts, NULL);
	}
	crt_escape(stk);
	check_tls(name, 100 + k, 2000 + k, stk, 4000 + k);
	return NULL;
}

int
main(int argc, char **argv)
{
	pthread_t w[NW], lt[NLATE];
	unsigned char stk[STACK_PAT];
	long ticks = 0, want, R, k;
	uint64_t h;
	int i, nlate = 0, f;

	if (argc != 2) {
		fprintf(stderr, "usage: rthreads GOFILE\n");
		return 2;
	}
	rt_init();
	tls_id = 99;
	crt_fill(tls_buf, 0, sizeof(tls_buf), 999);
	crt_fill(stk, 0, sizeof(stk), 5000);
	crt_escape(stk);
	pthread_barrier_init(&bar, NULL, NW);
	for (i = 0; i < NW; i++) {
		char name[16];

		if (pthread_create(&w[i], NULL, worker, (void *)(intptr_t)i)) {
			rt_fail("setup", "pthread_create failed");
			return rt_finish();
		}
		snprintf(name, sizeof(name), "worker-%d", i);
		pthread_setname_np(w[i], name);	/* names come back too */
	}
	while (progress < 20 && ++ticks < CRT_GO_TICKS)
		crt_tick();
	rt_say("ready");
	ticks = 0;
	for (;;) {
		if (crt_resumed() && nlate < NLATE) {
			if (pthread_create(&lt[nlate], NULL, late,
			    (void *)(intptr_t)nlate) != 0)
				rt_fail("late", "pthread_create after restart "
				    "failed");
			else
				nlate++;
		}
		if (rt_go_step(argv[1], &ticks) != 0)
			break;
	}
	stop_req = 1;
	for (i = 0; i < NW; i++)
		pthread_join(w[i], NULL);
	for (i = 0; i < nlate; i++)
		pthread_join(lt[i], NULL);
	rt_say("late threads %d", nlate);

	f = rt_failures;
	R = rounds_done[0];
	for (i = 1; i < NW; i++)
		if (rounds_done[i] != R)
			rt_fail("barrier", "worker %d did %ld rounds, worker 0 "
			    "%ld", i, rounds_done[i], R);
	rt_ok_since("barrier", f);
	f = rt_failures;
	for (want = 0, i = 0; i < NW; i++)
		want += R * (i + 1);
	for (k = 0; k < nlate; k++)
		want += 1000 * late_n[k];
	if (total != want)
		rt_fail("mutex", "total %ld, want %ld (R %ld)", total, want, R);
	rt_ok_since("mutex", f);
	f = rt_failures;
	for (h = 0, k = 0; k < R; k++)
		for (i = 0; i < NW; i++)
			h = crt_mix(h ^ (uint64_t)i ^ ((uint64_t)k << 8));
	if (h != seq_hash || turn != 0)
		rt_fail("condvar", "turn hash %#llx, want %#llx (turn %d)",
		    (unsigned long long)seq_hash, (unsigned long long)h, turn);
	rt_ok_since("condvar", f);
	f = rt_failures;
	crt_escape(stk);
	check_tls("main", 99, 999, stk, 5000);
	rt_ok_since("tls", f);
	rt_say("rounds %ld", R);
	return rt_finish();
}
