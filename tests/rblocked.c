/*
 * rblocked GOFILE - threads blocked in system calls when the checkpoint
 * comes resume correctly after restart, and the checkpoint does not end
 * their calls early.
 *
 * Six threads block, each in one kind of call, and the checkpoint stops
 * them there (the main thread takes the checkpoint signal):
 *   sleep      sleep(5), which the stop signal used to end early with the
 *              seconds left: libckpt now makes the call again;
 *   nanosleep  nanosleep(5 s) with the remainder, looping on EINTR;
 *   read       read() of an empty pipe whose both ends the process holds
 *              (restarted by SA_RESTART); main writes a message into it
 *              only after restart;
 *   condvar    pthread_cond_wait() for a flag main sets after restart;
 *   futex      a raw FUTEX_WAIT on a word main changes and wakes after
 *              restart;
 *   poll       poll() with no timeout on another empty pipe, which any
 *              handler used to end with EINTR; main writes into it after
 *              restart.
 * Prints "ready" once every thread is about to block (and 200 ms later),
 * then waits for GOFILE; then wakes the read, condvar, futex and poll
 * threads, joins all six and checks: each sleeper slept its whole time,
 * no call was ended by EINTR (the test checks beforehand, in
 * /proc/PID/task/TID/syscall, that they were blocked in them), the reader
 * read exactly the message, the waiters saw their flags, poll saw input.
 * PASS or FAIL.
 */
#include <errno.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "realt.h"

#define MSG	"written after restart"

#define NT	6

static volatile int	about[NT];
static int		pfd[2], qfd[2];
static pthread_mutex_t	m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	cv = PTHREAD_COND_INITIALIZER;
static int		cond_flag;
static int		futex_word;

static int		sleep_intr, nano_intr, read_intr, futex_intr, poll_intr;
static int		poll_got = -2;
static unsigned		sleep_left = 99;
static char		read_buf[64];
static ssize_t		read_len = -2;
static int		read_errno;
static int		cond_seen, futex_seen;

static void *
t_sleep(void *arg)
{
	unsigned left = 5;

	about[0] = 1;
	while ((left = sleep(left)) > 0)
		sleep_intr++;
	sleep_left = left;
	return NULL;
}

static void *
t_nanosleep(void *arg)
{
	struct timespec req = { 5, 0 };

	about[1] = 1;
	while (nanosleep(&req, &req) != 0)
		if (errno == EINTR)
			nano_intr++;
		else
			break;
	return NULL;
}

static void *
t_read(void *arg)
{
	ssize_t n;

	about[2] = 1;
	while ((n = read(pfd[0], read_buf, sizeof(read_buf) - 1)) < 0 &&
	    errno == EINTR)
		read_intr++;
	read_errno = n < 0 ? errno : 0;
	read_len = n;
	return NULL;
}

static void *
t_cond(void *arg)
{
	pthread_mutex_lock(&m);
	about[3] = 1;
	while (!cond_flag)
		pthread_cond_wait(&cv, &m);
	cond_seen = cond_flag;
	pthread_mutex_unlock(&m);
	return NULL;
}

static void *
t_futex(void *arg)
{
	about[4] = 1;
	while (__atomic_load_n(&futex_word, __ATOMIC_ACQUIRE) == 0)
		if (syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 0,
		    NULL, NULL, 0) != 0 && errno == EINTR)
			futex_intr++;
	futex_seen = futex_word;
	return NULL;
}

static void *
t_poll(void *arg)
{
	struct pollfd p = { .fd = qfd[0], .events = POLLIN };
	int n;

	about[5] = 1;
	while ((n = poll(&p, 1, -1)) < 0 && errno == EINTR)
		poll_intr++;
	poll_got = n;
	return NULL;
}

int
main(int argc, char **argv)
{
	void *(*fn[NT])(void *) = { t_sleep, t_nanosleep, t_read, t_cond,
	    t_futex, t_poll };
	pthread_t t[NT];
	struct timespec ts = { 0, 200000000 };
	long ticks = 0;
	int i, f;

	if (argc != 2) {
		fprintf(stderr, "usage: rblocked GOFILE\n");
		return 2;
	}
	rt_init();
	if (pipe(pfd) != 0 || pipe(qfd) != 0) {
		rt_fail("setup", "pipe: %s", strerror(errno));
		return rt_finish();
	}
	for (i = 0; i < NT; i++)
		if (pthread_create(&t[i], NULL, fn[i], NULL) != 0) {
			rt_fail("setup", "pthread_create failed");
			return rt_finish();
		}
	for (i = 0; i < NT; i++)
		while (!about[i] && ++ticks < CRT_GO_TICKS)
			crt_tick();
	nanosleep(&ts, NULL);
	rt_say("ready");
	ticks = 0;
	rt_wait_go(argv[1], &ticks);

	if (write(pfd[1], MSG, strlen(MSG)) != (ssize_t)strlen(MSG))
		rt_fail("read", "cannot write to the pipe: %s",
		    strerror(errno));
	pthread_mutex_lock(&m);
	cond_flag = 7;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&m);
	__atomic_store_n(&futex_word, 9, __ATOMIC_RELEASE);
	syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	if (write(qfd[1], "p", 1) != 1)
		rt_fail("poll", "cannot write to the pipe: %s",
		    strerror(errno));
	for (i = 0; i < NT; i++)
		pthread_join(t[i], NULL);

	f = rt_failures;
	if (sleep_intr != 0)
		rt_fail("sleep", "sleep() ended early %d times", sleep_intr);
	if (sleep_left != 0)
		rt_fail("sleep", "%u seconds left", sleep_left);
	rt_ok_since("sleep", f);
	f = rt_failures;
	if (nano_intr != 0)
		rt_fail("nanosleep", "nanosleep() ended with EINTR %d times",
		    nano_intr);
	rt_ok_since("nanosleep", f);
	f = rt_failures;
	if (poll_intr != 0 || poll_got != 1)
		rt_fail("poll", "poll() ended with EINTR %d times, then "
		    "returned %d", poll_intr, poll_got);
	rt_ok_since("poll", f);
	f = rt_failures;
	if (read_len != (ssize_t)strlen(MSG) ||
	    memcmp(read_buf, MSG, strlen(MSG)) != 0)
		rt_fail("read", "read returned %zd (%s), \"%.*s\"", read_len,
		    strerror(read_errno), read_len > 0 ? (int)read_len : 0,
		    read_buf);
	rt_ok_since("read", f);
	f = rt_failures;
	if (cond_seen != 7)
		rt_fail("condvar", "woke seeing flag %d", cond_seen);
	rt_ok_since("condvar", f);
	f = rt_failures;
	if (futex_seen != 9)
		rt_fail("futex", "woke seeing word %d", futex_seen);
	rt_ok_since("futex", f);
	rt_say("interrupted: sleep %d nanosleep %d read %d futex %d poll %d",
	    sleep_intr, nano_intr, read_intr, futex_intr, poll_intr);
	return rt_finish();
}
