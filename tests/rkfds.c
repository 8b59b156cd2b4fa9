/*
 * rkfds GOFILE - kernel-object descriptors work again after restart: a
 * Unix socket pair with unread bytes both ways, an eventfd holding a
 * count (and a semaphore one), a periodic timerfd, a signalfd, and an
 * epoll descriptor watching some of them, edge-triggered and not, with
 * its user data.  Prints "ready" and waits for GOFILE.  Then each must
 * hold what it held and behave as before; before, every one of them
 * failed on use after restart.  PASS or FAIL.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>

#include "realt.h"

#define TAG_SOCK	0x5050505050ULL
#define TAG_EVENT	0x7e7e7e7e7eULL
#define TAG_TIMER	0x1111222233ULL

static int	sp[2], ev, evsem, tfd, sfd, ep;

static void
setup(void)
{
	struct itimerspec it = { { 0, 20000000 }, { 0, 20000000 } };
	struct epoll_event e;
	sigset_t m;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sp) < 0)
		rt_fail("setup", "socketpair: %s", strerror(errno));
	/* queued both ways, in two writes each, not yet read */
	if (write(sp[0], "to one ", 7) != 7 || write(sp[0], "end", 3) != 3 ||
	    write(sp[1], "back", 4) != 4)
		rt_fail("setup", "socket write");
	ev = eventfd(41, EFD_NONBLOCK);
	evsem = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	if (ev < 0 || evsem < 0 || tfd < 0 ||
	    timerfd_settime(tfd, 0, &it, NULL) < 0)
		rt_fail("setup", "eventfd/timerfd: %s", strerror(errno));
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigprocmask(SIG_BLOCK, &m, NULL);
	sfd = signalfd(-1, &m, SFD_NONBLOCK);
	ep = epoll_create1(0);
	if (sfd < 0 || ep < 0)
		rt_fail("setup", "signalfd/epoll: %s", strerror(errno));
	e.events = EPOLLIN | EPOLLET;
	e.data.u64 = TAG_SOCK;
	epoll_ctl(ep, EPOLL_CTL_ADD, sp[1], &e);
	e.events = EPOLLIN;
	e.data.u64 = TAG_EVENT;
	epoll_ctl(ep, EPOLL_CTL_ADD, ev, &e);
	e.data.u64 = TAG_TIMER;
	epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &e);
}

/* The tags epoll reports within 2 s, as bits: 1 socket, 2 event, 4 timer. */
static int
ready_tags(void)
{
	struct epoll_event e[8];
	int n, i, bits = 0;

	n = epoll_wait(ep, e, 8, 2000);
	if (n < 0)
		rt_fail("epoll", "epoll_wait: %s", strerror(errno));
	for (i = 0; i < n; i++)
		bits |= e[i].data.u64 == TAG_SOCK ? 1 :
		    e[i].data.u64 == TAG_EVENT ? 2 :
		    e[i].data.u64 == TAG_TIMER ? 4 : 8;
	return bits;
}

static void
check(void)
{
	struct signalfd_siginfo si;
	struct epoll_event e;
	char buf[64];
	uint64_t v = 0;
	int bits, f = rt_failures;
	ssize_t n;

	bits = ready_tags();
	if (bits != 7)
		rt_fail("epoll", "ready tags %#x, want 0x7 (socket, eventfd, "
		    "timerfd, with their data)", bits);
	/* edge-triggered: the socket, not read, is not reported again */
	if ((ready_tags() & 1) != 0)
		rt_fail("epoll", "the edge-triggered socket came again");
	e.events = EPOLLIN;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, sp[1], &e) != -1 || errno != EEXIST)
		rt_fail("epoll", "the socket is not in the interest list");
	rt_ok_since("epoll", f);

	f = rt_failures;
	n = read(sp[1], buf, sizeof(buf));
	if (n != 10 || memcmp(buf, "to one end", 10) != 0)
		rt_fail("socketpair", "read %zd bytes '%.*s', want 'to one end'",
		    n, n > 0 ? (int)n : 0, buf);
	n = read(sp[0], buf, sizeof(buf));
	if (n != 4 || memcmp(buf, "back", 4) != 0)
		rt_fail("socketpair", "read %zd bytes back, want 'back'", n);
	if (write(sp[1], "again", 5) != 5 || read(sp[0], buf, 5) != 5 ||
	    memcmp(buf, "again", 5) != 0)
		rt_fail("socketpair", "the ends are not connected");
	if ((fcntl(sp[0], F_GETFL) & O_NONBLOCK) == 0)
		rt_fail("socketpair", "O_NONBLOCK lost");
	rt_ok_since("socketpair", f);

	f = rt_failures;
	if (read(ev, &v, 8) != 8 || v != 41)
		rt_fail("eventfd", "count %llu, want 41", (unsigned long long)v);
	if (read(evsem, &v, 8) != 8 || v != 1 || read(evsem, &v, 8) != 8 ||
	    read(evsem, &v, 8) != 8 || read(evsem, &v, 8) != -1)
		rt_fail("eventfd", "the semaphore does not count 3 down by 1");
	rt_ok_since("eventfd", f);

	f = rt_failures;
	usleep(50000);
	if (read(tfd, &v, 8) != 8 || v < 1)
		rt_fail("timerfd", "no expirations read");
	usleep(50000);
	if (read(tfd, &v, 8) != 8 || v < 1)
		rt_fail("timerfd", "the timer no longer repeats");
	rt_ok_since("timerfd", f);

	f = rt_failures;
	kill(getpid(), SIGUSR1);
	if (read(sfd, &si, sizeof(si)) != (ssize_t)sizeof(si) ||
	    si.ssi_signo != SIGUSR1)
		rt_fail("signalfd", "SIGUSR1 not read from the signalfd");
	rt_ok_since("signalfd", f);
}

int
main(int argc, char **argv)
{
	long ticks = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: rkfds GOFILE\n");
		return 2;
	}
	rt_init();
	setup();
	if (rt_failures != 0)
		return rt_finish();
	usleep(50000);		/* the timer has expirations waiting */
	rt_say("ready");
	rt_wait_go(argv[1], &ticks);
	check();
	return rt_finish();
}
