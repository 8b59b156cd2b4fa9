/*
 * rsock DIR GOFILE - sockets restart can make alone come back: listening,
 * bound, connected datagram and idle ones.  Before the checkpoint:
 *   40  a TCP socket listening on 127.0.0.1 (an ephemeral port) with
 *       SO_REUSEADDR, as servers set it, that accepted a connection and
 *       closed it first, so the port has a TIME_WAIT the restarted bind
 *       must get past (without SO_REUSEADDR no bind could, restarted or
 *       not, until the TIME_WAIT ends)
 *   41  a TCP socket listening on [::1] with IPV6_V6ONLY and without
 *       SO_REUSEADDR (if the machine has IPv6 loopback; else a second one
 *       on 127.0.0.1)
 *   42  a UDP socket bound to 127.0.0.1 and connected to 43
 *   43  a UDP socket bound to 127.0.0.1
 *   44  a Unix stream socket listening on DIR/sock
 *   45  a TCP socket never bound nor connected
 * Prints "ready" and waits for GOFILE.  Then each must be what it was:
 * the same address and options, a client connects to 40, 41 and 44 and is
 * accepted, a datagram goes each way between 42 and 43, and 45 is an idle
 * TCP socket.  PASS or FAIL.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "realt.h"

static int
at(int fd, int want)
{
	if (fd < 0 || dup2(fd, want) != want) {
		rt_fail("setup", "fd %d: %s", want, strerror(errno));
		return -1;
	}
	close(fd);
	return want;
}

static int
opt(int fd, int level, int name)
{
	socklen_t len = sizeof(int);
	int v = -1;

	getsockopt(fd, level, name, &v, &len);
	return v;
}

static socklen_t
name_of(int fd, struct sockaddr_storage *ss)
{
	socklen_t len = sizeof(*ss);

	memset(ss, 0, sizeof(*ss));
	return getsockname(fd, (struct sockaddr *)ss, &len) == 0 ? len : 0;
}

static int
listener(int family, const char *ip, int v6only, int reuse)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in = (void *)&ss;
	struct sockaddr_in6 *in6 = (void *)&ss;
	int fd = socket(family, SOCK_STREAM, 0);

	if (reuse)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof(reuse));

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET)
		inet_pton(AF_INET, ip, &in->sin_addr);
	else {
		inet_pton(AF_INET6, ip, &in6->sin6_addr);
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only,
		    sizeof(v6only));
	}
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, family == AF_INET ?
	    sizeof(*in) : sizeof(*in6)) != 0 || listen(fd, 8) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* A client connects to the listener fd, is accepted and one byte goes
 * through; 0 or -1. */
static int
serve_one(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = name_of(fd, &ss);
	int c = socket(ss.ss_family, SOCK_STREAM, 0), a = -1, rc = -1;
	char b = 0;

	if (len > 0 && c >= 0 && connect(c, (struct sockaddr *)&ss,
	    len) == 0 && (a = accept(fd, NULL, NULL)) >= 0 &&
	    write(c, "k", 1) == 1 && read(a, &b, 1) == 1 && b == 'k')
		rc = 0;
	if (a >= 0)
		close(a);
	if (c >= 0)
		close(c);
	return rc;
}

static int
udp_bound(void)
{
	struct sockaddr_in in;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&in, sizeof(in)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
unix_listener(const char *path)
{
	struct sockaddr_un un;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	snprintf(un.sun_path, sizeof(un.sun_path), "%s", path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&un, sizeof(un)) != 0 ||
	    listen(fd, 8) != 0)
		return -1;
	return fd;
}

/* A connection accepted on fd and closed by the server first, leaving
 * the listening port a TIME_WAIT. */
static void
time_wait(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = name_of(fd, &ss);
	int c = socket(ss.ss_family, SOCK_STREAM, 0), a;
	char b;

	if (c < 0 || connect(c, (struct sockaddr *)&ss, len) != 0 ||
	    (a = accept(fd, NULL, NULL)) < 0) {
		rt_fail("setup", "time_wait: %s", strerror(errno));
		return;
	}
	close(a);
	if (read(c, &b, 1) != 0)
		rt_fail("setup", "time_wait: no end of file");
	close(c);
}

static void
check_udp(void)
{
	struct sockaddr_storage a42, a43, from;
	socklen_t len = sizeof(from);
	char b[8] = "";

	if (name_of(42, &a42) == 0 || name_of(43, &a43) == 0)
		rt_fail("udp", "getsockname: %s", strerror(errno));
	if (write(42, "to43", 4) != 4 || recvfrom(43, b, sizeof(b), 0,
	    (struct sockaddr *)&from, &len) != 4 || memcmp(b, "to43", 4) != 0 ||
	    memcmp(&((struct sockaddr_in *)&from)->sin_port,
	    &((struct sockaddr_in *)&a42)->sin_port, 2) != 0)
		rt_fail("udp", "42 -> 43: %s", strerror(errno));
	if (sendto(43, "to42", 4, 0, (struct sockaddr *)&a42,
	    sizeof(struct sockaddr_in)) != 4 || read(42, b, sizeof(b)) != 4 ||
	    memcmp(b, "to42", 4) != 0)
		rt_fail("udp", "43 -> 42: %s", strerror(errno));
}

int
main(int argc, char **argv)
{
	struct sockaddr_storage before[6], now;
	char path[108];
	long ticks = 0;
	int fd, f, six;

	if (argc != 3) {
		fprintf(stderr, "usage: rsock DIR GOFILE\n");
		return 2;
	}
	rt_init();
	snprintf(path, sizeof(path), "%s/sock", argv[1]);
	at(listener(AF_INET, "127.0.0.1", 0, 1), 40);
	six = (fd = listener(AF_INET6, "::1", 1, 0)) >= 0;
	at(six ? fd : listener(AF_INET, "127.0.0.1", 0, 0), 41);
	at(udp_bound(), 42);
	at(udp_bound(), 43);
	name_of(43, &now);
	if (connect(42, (struct sockaddr *)&now, sizeof(struct sockaddr_in)))
		rt_fail("setup", "connect 42: %s", strerror(errno));
	at(unix_listener(path), 44);
	at(socket(AF_INET, SOCK_STREAM, 0), 45);
	time_wait(40);
	for (fd = 40; fd <= 45; fd++)
		name_of(fd, &before[fd - 40]);
	if (rt_failures)
		return rt_finish();
	rt_say("ready");
	rt_wait_go(argv[2], &ticks);

	f = rt_failures;
	for (fd = 40; fd <= 45; fd++)
		if (name_of(fd, &now) == 0 || memcmp(&now, &before[fd - 40],
		    sizeof(now)) != 0)
			rt_fail("address", "fd %d is not bound where it was",
			    fd);
	rt_ok_since("address", f);

	f = rt_failures;
	if (opt(40, SOL_SOCKET, SO_ACCEPTCONN) != 1 ||
	    opt(40, SOL_SOCKET, SO_REUSEADDR) != 1 || serve_one(40) != 0)
		rt_fail("tcp", "fd 40 does not listen as it did");
	if (opt(41, SOL_SOCKET, SO_ACCEPTCONN) != 1 || serve_one(41) != 0 ||
	    opt(41, SOL_SOCKET, SO_REUSEADDR) != 0 ||
	    (six && opt(41, IPPROTO_IPV6, IPV6_V6ONLY) != 1))
		rt_fail("tcp", "fd 41 does not listen as it did");
	if (opt(44, SOL_SOCKET, SO_ACCEPTCONN) != 1 || serve_one(44) != 0)
		rt_fail("unix", "fd 44 does not listen on %s", path);
	rt_ok_since("listen", f);

	f = rt_failures;
	check_udp();
	rt_ok_since("udp", f);

	f = rt_failures;
	if (opt(45, SOL_SOCKET, SO_DOMAIN) != AF_INET ||
	    opt(45, SOL_SOCKET, SO_TYPE) != SOCK_STREAM ||
	    opt(45, SOL_SOCKET, SO_ACCEPTCONN) != 0)
		rt_fail("idle", "fd 45 is not an idle TCP socket");
	rt_ok_since("idle", f);
	return rt_finish();
}
