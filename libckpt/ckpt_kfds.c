/*
 * ckpt_kfds.c - descriptors of kernel objects: Unix socket pairs, epoll,
 * eventfd, timerfd and signalfd, and the locks held on files, captured
 * while every thread is stopped.
 *
 * Each is described by what the kernel shows of it: /proc/self/fdinfo/N
 * for epoll's interest list, eventfd's counter, timerfd's clock,
 * signalfd's mask and a file's locks, and the sock_diag netlink interface for the other end
 * of a Unix socket.  Unread bytes of a stream socket are copied with
 * MSG_PEEK, which leaves them where they are.  Lists and bytes go to the
 * fd set's extra area, in the arena; raw system calls only, as everywhere
 * in the signal handler.  Anything that cannot be read whole leaves the
 * descriptor a SOCKET without PEER or an OTHER: restart then makes it one
 * that fails on use, with a warning, rather than a wrong one.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <sys/timerfd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#include "ckpt.h"
#include "fmt_sys.h"

/* Bytes left in the extra area, and where they start. */
static uint8_t *
ckpt_extra(struct ckpt_fdset *set, size_t *room)
{
	*room = sizeof(set->extra) - set->extra_used;
	return set->extra + set->extra_used;
}

/*
 * /proc/self/fdinfo/N into buf; its length, or -1 if it could not be
 * read or did not fit (a truncated list would restore wrongly).
 */
static long
ckpt_fdinfo(int fd, char *buf, size_t cap)
{
	char path[48];
	long n;

	ckpt_utoa(ckpt_stpcpy(path, "/proc/self/fdinfo/", path + 48), fd,
	    path + 48);
	n = ckpt_slurp(path, buf, cap - 1);
	if (n < 0 || (size_t)n >= cap - 1)
		return -1;
	buf[n] = '\0';
	return n;
}

/* The text after "key" at the start of a line of s, blanks skipped. */
static const char *
ckpt_field(const char *s, const char *key)
{
	const char *p = s;

	while (*p != '\0') {
		if (ckpt_starts(p, key)) {
			p += strlen(key);
			while (*p == ' ' || *p == '\t')
				p++;
			return p;
		}
		while (*p != '\0' && *p != '\n')
			p++;
		if (*p == '\n')
			p++;
	}
	return NULL;
}

/* A hex number after key; -1 if the key or its digits are missing. */
static int
ckpt_field_hex(const char *s, const char *key, uint64_t *v)
{
	const char *p = ckpt_field(s, key);

	return p != NULL && ckpt_hex_digits(p, v) != p ? 0 : -1;
}

/* What follows blanks and then key (and blanks), or NULL. */
static const char *
ckpt_after(const char *p, const char *key)
{
	while (*p == ' ' || *p == '\t')
		p++;
	if (!ckpt_starts(p, key))
		return NULL;
	for (p += strlen(key); *p == ' ' || *p == '\t'; p++)
		;
	return p;
}

static int
ckpt_field_dec(const char *s, const char *key, long *v)
{
	const char *p = ckpt_field(s, key);

	return p != NULL && ckpt_dec(p, v) != NULL ? 0 : -1;
}

static void
ckpt_put_le(uint8_t *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/*
 * The interest list, one line per watched descriptor:
 *   tfd:        4 events: 80000019 data:                4  pos:0 ino:2f038d sdev:9
 * read into the extra area and rewritten there, in place, as 24-byte
 * entries (each line is longer than its entry, so writing never overtakes
 * reading).
 */
static int
ckpt_capture_epoll(struct ckpt_fdset *set, struct ckpt_fdinfo *d)
{
	size_t room;
	uint8_t *out = ckpt_extra(set, &room), *e = out;
	const char *p = (const char *)out, *q;
	uint64_t events, data, ino;
	long tfd;

	if (ckpt_fdinfo(d->f.fd, (char *)out, room) < 0)
		return -1;
	while ((p = ckpt_field(p, "tfd:")) != NULL) {
		if ((q = ckpt_dec(p, &tfd)) == NULL ||
		    (q = ckpt_after(q, "events:")) == NULL ||
		    (p = ckpt_hex_digits(q, &events)) == q ||
		    (q = ckpt_after(p, "data:")) == NULL ||
		    (p = ckpt_hex_digits(q, &data)) == q)
			return -1;
		while (*p != '\0' && *p != '\n' && !ckpt_starts(p, "ino:"))
			p++;
		if (!ckpt_starts(p, "ino:") ||
		    (q = ckpt_hex_digits(p + 4, &ino)) == p + 4)
			return -1;
		ckpt_put_le(e, (uint64_t)tfd, 4);
		ckpt_put_le(e + 4, events, 4);
		ckpt_put_le(e + 8, data, 8);
		ckpt_put_le(e + 16, ino, 8);
		e += FMT_EPOLL_ENTRY;
		p = q;
	}
	d->f.data.p = out;
	d->f.data.len = (size_t)(e - out);
	d->f.present |= FMT_F_DATA;
	set->extra_used += (d->f.data.len + 7) & ~(size_t)7;
	return 0;
}

/*
 * The watches, one line each:
 *   inotify wd:1 ino:2f038d sdev:fd00001 mask:2 ignored_mask:0 ...
 * read into the upper half of the extra area room and written below it as
 * FMT_INOTIFY_HEAD-byte entries with the paths ckpt_inotify.c noted; a
 * watch whose path is unknown (added by a raw system call) has none.
 */
static int
ckpt_capture_inotify(struct ckpt_fdset *set, struct ckpt_fdinfo *d)
{
	size_t room, len;
	uint8_t *out = ckpt_extra(set, &room), *e = out;
	char *buf = (char *)out + room / 2;
	const char *p, *q;
	const struct ckpt_watch *w;
	uint64_t wd, ino, sdev, mask, dev;

	if (room < 8192 || ckpt_fdinfo(d->f.fd, buf, room - room / 2) < 0)
		return -1;
	for (p = buf; (p = ckpt_field(p, "inotify wd:")) != NULL; p = q) {
		if ((q = ckpt_hex_digits(p, &wd)) == p ||
		    (p = ckpt_after(q, "ino:")) == NULL ||
		    (q = ckpt_hex_digits(p, &ino)) == p ||
		    (p = ckpt_after(q, "sdev:")) == NULL ||
		    (q = ckpt_hex_digits(p, &sdev)) == p ||
		    (p = ckpt_after(q, "mask:")) == NULL ||
		    (q = ckpt_hex_digits(p, &mask)) == p)
			return -1;
		/* the kernel's dev_t (major << 20 | minor) as stat's */
		dev = makedev(sdev >> 20, sdev & 0xfffff);
		w = ckpt_watch_find(d->f.fd, (int)wd, dev, ino);
		len = w != NULL ? w->len : 0;
		if (e + FMT_INOTIFY_HEAD + ((len + 7) & ~(size_t)7) >
		    (uint8_t *)buf)
			return -1;
		ckpt_put_le(e, wd, 4);
		ckpt_put_le(e + 4, mask, 4);
		ckpt_put_le(e + 8, ino, 8);
		ckpt_put_le(e + 16, dev, 8);
		ckpt_put_le(e + 24, len, 4);
		ckpt_put_le(e + 28, 0, 4);
		e += FMT_INOTIFY_HEAD;
		if (len > 0)
			memcpy(e, w->path, len);
		memset(e + len, 0, ((len + 7) & ~(size_t)7) - len);
		e += (len + 7) & ~(size_t)7;
	}
	d->f.data.p = out;
	d->f.data.len = (size_t)(e - out);
	d->f.present |= FMT_F_DATA;
	set->extra_used += d->f.data.len;
	return 0;
}

static int
ckpt_capture_counters(struct ckpt_fdset *set, struct ckpt_fdinfo *d)
{
	size_t room;
	char *buf = (char *)ckpt_extra(set, &room);
	uint64_t v = 0;
	long clock, ticks, sem = 0;
	struct itimerspec it;

	if (room < 512 || ckpt_fdinfo(d->f.fd, buf, 512) < 0)
		return -1;
	switch (d->f.kind) {
	case FMT_FD_EVENTFD:
		if (ckpt_field_hex(buf, "eventfd-count:", &v) < 0)
			return -1;
		/* kernels before 6.7 do not say; a semaphore then loses it */
		ckpt_field_dec(buf, "eventfd-semaphore:", &sem);
		d->f.state[0] = v;
		d->f.state[1] = sem != 0;
		break;
	case FMT_FD_TIMERFD:
		if (ckpt_field_dec(buf, "clockid:", &clock) < 0 ||
		    ckpt_field_dec(buf, "ticks:", &ticks) < 0 ||
		    sys_call2(SYS_timerfd_gettime, d->f.fd, (long)&it) < 0)
			return -1;
		d->f.state[0] = (uint64_t)clock;
		d->f.state[1] = it.it_value.tv_sec * 1000000000ULL +
		    it.it_value.tv_nsec;
		d->f.state[2] = it.it_interval.tv_sec * 1000000000ULL +
		    it.it_interval.tv_nsec;
		d->f.state[3] = (uint64_t)ticks;
		break;
	case FMT_FD_SIGNALFD:
		if (ckpt_field_hex(buf, "sigmask:", &v) < 0)
			return -1;
		d->f.state[0] = v;
		break;
	}
	d->f.present |= FMT_F_STATE;
	return 0;
}

/* ---- file locks -------------------------------------------------------- */

/*
 * Which files may hold locks.  The first CKPT_LOCK_DIRECT files have their
 * fdinfo read (20 us a file); past them, /proc/locks is read once, and
 * only the files it names have theirs read (0.2 s of pause for 10000 files
 * otherwise).  /proc/locks is not read for fewer files: reading it takes
 * the kernel's file_rwsem for writing, which waits for an RCU grace
 * period when nobody took it lately: 15-19 ms here, most of a small
 * program's pause.  ckpt_nlock_ino -1: unknown, read every file's.
 */
#define CKPT_LOCK_DIRECT	64
#define CKPT_LOCK_INOS	4096
static uint64_t	ckpt_lock_ino[CKPT_LOCK_INOS];
static int	ckpt_nlock_ino = -1;
static int	ckpt_lock_files;

static void
ckpt_read_lock_inos(struct ckpt_fdset *set)
{
	size_t room;
	char *buf = (char *)ckpt_extra(set, &room);
	const char *p;
	long n, ino;
	int colons;

	ckpt_nlock_ino = -1;
	if (room < 2 || (n = ckpt_slurp("/proc/locks", buf, room - 1)) < 0 ||
	    (size_t)n >= room - 1)
		return;
	buf[n] = '\0';
	ckpt_nlock_ino = 0;
	/* "1: POSIX  ADVISORY  WRITE 17941 fe:00:1057291 5 14": the word
	 * with two colons ends in the inode */
	for (p = buf; *p != '\0'; p++) {
		if (*p != ':' || p[1] == ' ')
			continue;
		for (colons = 0; *p != ' ' && *p != '\n' && *p != '\0'; p++)
			colons += *p == ':';
		if (colons != 2)
			continue;
		while (p[-1] != ':')
			p--;
		if (ckpt_dec(p, &ino) == NULL)
			continue;
		if (ckpt_nlock_ino == CKPT_LOCK_INOS) {
			ckpt_nlock_ino = -1;
			return;
		}
		ckpt_lock_ino[ckpt_nlock_ino++] = (uint64_t)ino;
		while (*p != '\n' && *p != '\0')
			p++;
		if (*p == '\0')
			break;
	}
}

static int
ckpt_maybe_locked(struct ckpt_fdset *set, uint64_t ino)
{
	int i;

	if (ckpt_lock_files < CKPT_LOCK_DIRECT) {
		ckpt_lock_files++;
		return 1;
	}
	if (ckpt_lock_files++ == CKPT_LOCK_DIRECT)
		ckpt_read_lock_inos(set);
	if (ckpt_nlock_ino < 0)
		return 1;
	for (i = 0; i < ckpt_nlock_ino; i++)
		if (ckpt_lock_ino[i] == ino)
			return 1;
	return 0;
}

/*
 * The locks held through a file's descriptor, from its fdinfo lines
 *   lock:	1: POSIX  ADVISORY  WRITE 17941 fe:00:1057291 5 14
 * (waiters, "1: -> FLOCK ...", and leases are left out), rewritten in
 * place as FMT_LOCK_ENTRY entries.  Without any, nothing is kept.
 */
static void
ckpt_capture_locks(struct ckpt_fdset *set, struct ckpt_fdinfo *d)
{
	size_t room;
	uint8_t *out = ckpt_extra(set, &room), *e = out;
	const char *p = (const char *)out, *q;
	uint32_t kind, type;
	uint64_t start, end;
	long v;
	int i;

	if (!ckpt_maybe_locked(set, d->f.ino) ||
	    ckpt_fdinfo(d->f.fd, (char *)out, room) < 0)
		return;
	while ((p = ckpt_field(p, "lock:")) != NULL) {
		/* "1: KIND  ADVISORY  TYPE pid dev:ino start end" */
		while (*p != '\0' && *p != '\n' && *p != ' ')
			p++;
		q = ckpt_after(p, "");
		kind = ckpt_starts(q, "FLOCK ") ? FMT_LOCK_FLOCK :
		    ckpt_starts(q, "POSIX ") ? FMT_LOCK_POSIX :
		    ckpt_starts(q, "OFDLCK ") ? FMT_LOCK_OFD : 0;
		for (i = 0; i < 2 && q != NULL; i++) {
			while (*q != '\0' && *q != '\n' && *q != ' ')
				q++;
			q = ckpt_after(q, "");
		}
		if (kind == 0 || q == NULL)
			continue;	/* a lease, a waiter: not ours to keep */
		type = ckpt_starts(q, "READ ") ? 1 : ckpt_starts(q, "WRITE ") ?
		    2 : 0;
		/* skip the type, the pid and the device:inode */
		for (i = 0; i < 3 && q != NULL; i++) {
			while (*q != '\0' && *q != '\n' && *q != ' ')
				q++;
			q = ckpt_after(q, "");
		}
		if (type == 0 || q == NULL || (q = ckpt_dec(q, &v)) == NULL)
			continue;
		start = (uint64_t)v;
		q = ckpt_after(q, "");
		if (q != NULL && ckpt_starts(q, "EOF"))
			end = UINT64_MAX;
		else if (q == NULL || ckpt_dec(q, &v) == NULL)
			continue;
		else
			end = (uint64_t)v;
		ckpt_put_le(e, kind, 4);
		ckpt_put_le(e + 4, type, 4);
		ckpt_put_le(e + 8, kind == FMT_LOCK_FLOCK ? 0 : start, 8);
		ckpt_put_le(e + 16, kind == FMT_LOCK_FLOCK ? 0 : end, 8);
		e += FMT_LOCK_ENTRY;
	}
	if (e == out)
		return;
	d->f.locks.p = out;
	d->f.locks.len = (size_t)(e - out);
	d->f.present |= FMT_F_LOCKS;
	set->extra_used += (d->f.locks.len + 7) & ~(size_t)7;
}

/* ---- Unix socket pairs ------------------------------------------------- */

/*
 * The inode of the socket at the other end of Unix socket ino, asked of
 * sock_diag through nl (a NETLINK_SOCK_DIAG socket); 0 if it has none or
 * the kernel does not say.
 */
static uint64_t
ckpt_unix_peer(int nl, uint64_t ino)
{
	struct {
		struct nlmsghdr		h;
		struct unix_diag_req	r;
	} req;
	union {
		struct nlmsghdr		h;
		uint8_t			b[1024];
	} ans;
	struct unix_diag_msg *m;
	struct nlattr *a;
	long n, off;
	uint32_t peer;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.h.nlmsg_flags = NLM_F_REQUEST;
	req.h.nlmsg_seq = (uint32_t)ino;
	req.r.sdiag_family = AF_UNIX;
	req.r.udiag_states = ~0U;
	req.r.udiag_ino = (uint32_t)ino;
	req.r.udiag_show = UDIAG_SHOW_PEER;
	req.r.udiag_cookie[0] = req.r.udiag_cookie[1] = ~0U;
	if (sys_call6(SYS_sendto, nl, (long)&req, sizeof(req), 0, 0, 0) !=
	    (long)sizeof(req))
		return 0;
	/* sock_diag answers within the sendto: never wait for more */
	n = sys_call6(SYS_recvfrom, nl, (long)&ans, sizeof(ans), MSG_DONTWAIT,
	    0, 0);
	if (n < (long)(sizeof(struct nlmsghdr) + sizeof(*m)) ||
	    ans.h.nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    ans.h.nlmsg_len > (uint32_t)n)
		return 0;
	m = (struct unix_diag_msg *)NLMSG_DATA(&ans.h);
	if (m->udiag_ino != (uint32_t)ino)
		return 0;
	off = NLMSG_LENGTH(sizeof(*m));
	while (off + (long)sizeof(*a) <= (long)ans.h.nlmsg_len) {
		a = (struct nlattr *)(ans.b + off);
		if (a->nla_len < sizeof(*a) || off + a->nla_len >
		    ans.h.nlmsg_len)
			break;
		if (a->nla_type == UNIX_DIAG_PEER && a->nla_len >=
		    sizeof(*a) + 4) {
			memcpy(&peer, (uint8_t *)a + sizeof(*a), 4);
			return peer;
		}
		off += NLA_ALIGN(a->nla_len);
	}
	return 0;
}

/* The netlink socket, open during a capture (-1 if it cannot be). */
static int	ckpt_nl = -1;

/*
 * A Unix socket connected to a peer: PEER names the peer and the type;
 * a stream socket's unread bytes are copied into DATA.  Datagrams waiting
 * could not be copied with their boundaries, nor bytes behind a peek
 * offset the program set (SO_PEEK_OFF) without moving it, so such a
 * socket stays a plain SOCKET (not restored).
 */
static void
ckpt_capture_socket(struct ckpt_fdset *set, struct ckpt_fdinfo *d)
{
	int domain = 0, type = 0, inq = 0, peek_off = -1;
	unsigned len = sizeof(int);
	size_t room;
	uint8_t *buf;
	uint64_t peer;
	long n;

	if (sys_call5(SYS_getsockopt, d->f.fd, SOL_SOCKET, SO_DOMAIN,
	    (long)&domain, (long)&len) < 0 || domain != AF_UNIX)
		return;
	len = sizeof(int);
	if (sys_call5(SYS_getsockopt, d->f.fd, SOL_SOCKET, SO_TYPE,
	    (long)&type, (long)&len) < 0)
		return;
	if (ckpt_nl < 0 || (peer = ckpt_unix_peer(ckpt_nl, d->f.ino)) == 0)
		return;
	if (sys_call3(SYS_ioctl, d->f.fd, FIONREAD, (long)&inq) < 0)
		return;
	if (inq > 0) {
		buf = ckpt_extra(set, &room);
		/* a peek would move the program's own peek offset */
		len = sizeof(int);
		if (sys_call5(SYS_getsockopt, d->f.fd, SOL_SOCKET, SO_PEEK_OFF,
		    (long)&peek_off, (long)&len) == 0 && peek_off >= 0)
			return;
		if (type != SOCK_STREAM || (size_t)inq > room)
			return;
		n = sys_call6(SYS_recvfrom, d->f.fd, (long)buf, inq,
		    MSG_PEEK | MSG_DONTWAIT, 0, 0);
		if (n != inq)
			return;		/* stopped short: passed fds, ... */
		d->f.data.p = buf;
		d->f.data.len = (size_t)n;
		d->f.present |= FMT_F_DATA;
		set->extra_used += ((size_t)n + 7) & ~(size_t)7;
	}
	d->f.peer = peer;
	d->f.sock_type = (uint32_t)type;
	d->f.present |= FMT_F_PEER;
}

/* The kind of an anonymous-inode descriptor, from its link's name. */
uint32_t
ckpt_kfds_kind(const char *path)
{
	if (strcmp(path, "anon_inode:[eventpoll]") == 0)
		return FMT_FD_EPOLL;
	if (strcmp(path, "anon_inode:[eventfd]") == 0)
		return FMT_FD_EVENTFD;
	if (strcmp(path, "anon_inode:[timerfd]") == 0)
		return FMT_FD_TIMERFD;
	if (strcmp(path, "anon_inode:[signalfd]") == 0)
		return FMT_FD_SIGNALFD;
	if (strcmp(path, "anon_inode:inotify") == 0)
		return FMT_FD_INOTIFY;
	return FMT_FD_OTHER;
}

static int
ckpt_sockopt(int fd, int level, int name)
{
	unsigned len = sizeof(int);
	int v = 0;

	if (sys_call5(SYS_getsockopt, fd, level, name, (long)&v,
	    (long)&len) < 0)
		return -1;
	return v;
}

/* An address from getsockname or getpeername into the extra area, as one
 * of d's fields; 0, or -1 if there is none (not bound, not connected). */
static int
ckpt_sock_addr(struct ckpt_fdset *set, struct ckpt_fdinfo *d, long call,
    struct fmt_bytes *out)
{
	size_t room;
	uint8_t *buf = ckpt_extra(set, &room);
	unsigned len = 128;	/* sizeof(struct sockaddr_storage) */

	if (room < 128 || sys_call3(call, d->f.fd, (long)buf,
	    (long)&len) < 0 || len > 128 || len <= sizeof(sa_family_t))
		return -1;	/* an unnamed Unix socket: the family only */
	if (((struct sockaddr *)buf)->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)buf;

		if (call == SYS_getsockname && in->sin_port == 0)
			return -1;
	} else if (((struct sockaddr *)buf)->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)buf;

		if (call == SYS_getsockname && in6->sin6_port == 0)
			return -1;
	}
	out->p = buf;
	out->len = len;
	set->extra_used += (len + 7) & ~(size_t)7;
	return 0;
}

/*
 * What restart needs to make a socket again that it can make alone: its
 * domain, type, protocol and options, the address it is bound to and, for
 * a datagram socket, the one it is connected to.  Only for Internet and
 * Unix sockets; a connected stream socket (a TCP connection, a Unix
 * socket to another process) has a peer no new socket can have, and gets
 * no STATE.
 */
static void
ckpt_capture_sockstate(struct ckpt_fdset *set, struct ckpt_fdinfo *d)
{
	int fd = d->f.fd, domain, type, proto, listen;
	uint64_t bits = 0;
	uint8_t any[128];
	unsigned any_len = sizeof(any);

	/* a server's connections are most of its sockets: they cost the
	 * pause three calls each */
	domain = ckpt_sockopt(fd, SOL_SOCKET, SO_DOMAIN);
	type = ckpt_sockopt(fd, SOL_SOCKET, SO_TYPE);
	if ((domain != AF_INET && domain != AF_INET6 && domain != AF_UNIX) ||
	    type < 0)
		return;
	if (type != SOCK_DGRAM) {
		if (sys_call3(SYS_getpeername, fd, (long)any,
		    (long)&any_len) == 0)
			return;		/* a connected stream */
	} else if (ckpt_sock_addr(set, d, SYS_getpeername,
	    &d->f.peer_addr) == 0) {
		bits |= FMT_SK_CONNECTED;
		d->f.present |= FMT_F_PEER_ADDR;
	} else if (sys_call3(SYS_getpeername, fd, (long)any,
	    (long)&any_len) == 0)
		return;		/* connected to an unnamed socket */
	proto = ckpt_sockopt(fd, SOL_SOCKET, SO_PROTOCOL);
	listen = ckpt_sockopt(fd, SOL_SOCKET, SO_ACCEPTCONN);
	if (proto < 0 || listen < 0)
		return;
	if (ckpt_sock_addr(set, d, SYS_getsockname, &d->f.addr) == 0) {
		bits |= FMT_SK_BOUND;
		d->f.present |= FMT_F_ADDR;
	}
	bits |= listen > 0 ? FMT_SK_LISTEN : 0;
	bits |= ckpt_sockopt(fd, SOL_SOCKET, SO_REUSEADDR) > 0 ?
	    FMT_SK_REUSEADDR : 0;
	bits |= ckpt_sockopt(fd, SOL_SOCKET, SO_REUSEPORT) > 0 ?
	    FMT_SK_REUSEPORT : 0;
	bits |= ckpt_sockopt(fd, SOL_SOCKET, SO_KEEPALIVE) > 0 ?
	    FMT_SK_KEEPALIVE : 0;
	bits |= ckpt_sockopt(fd, SOL_SOCKET, SO_BROADCAST) > 0 ?
	    FMT_SK_BROADCAST : 0;
	if (domain == AF_INET6 && ckpt_sockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY) > 0)
		bits |= FMT_SK_V6ONLY;
	if (domain != AF_UNIX && type == SOCK_STREAM &&
	    ckpt_sockopt(fd, IPPROTO_TCP, TCP_NODELAY) > 0)
		bits |= FMT_SK_NODELAY;
	d->f.state[0] = (uint64_t)domain;
	d->f.state[1] = (uint64_t)type;
	d->f.state[2] = (uint64_t)proto;
	d->f.state[3] = bits;
	d->f.present |= FMT_F_STATE;
}

/* Fills in what restart needs to rebuild d, or makes it not restorable. */
void
ckpt_kfds_capture(struct ckpt_fdset *set, struct ckpt_fdinfo *d)
{
	switch (d->f.kind) {
	case FMT_FD_FILE:
	case FMT_FD_DIR:
		ckpt_capture_locks(set, d);
		break;
	case FMT_FD_SOCKET:
		ckpt_capture_socket(set, d);
		ckpt_capture_sockstate(set, d);
		break;
	case FMT_FD_EPOLL:
		if (ckpt_capture_epoll(set, d) < 0) {
			d->f.present &= ~(uint32_t)FMT_F_DATA;
			d->f.kind = FMT_FD_OTHER;
		}
		break;
	case FMT_FD_INOTIFY:
		if (ckpt_capture_inotify(set, d) < 0) {
			d->f.present &= ~(uint32_t)FMT_F_DATA;
			d->f.kind = FMT_FD_OTHER;
		}
		break;
	case FMT_FD_EVENTFD:
	case FMT_FD_TIMERFD:
	case FMT_FD_SIGNALFD:
		if (ckpt_capture_counters(set, d) < 0)
			d->f.kind = FMT_FD_OTHER;
		break;
	}
}

/*
 * Before the capture: no file looked at for locks yet, and the netlink
 * socket, opened first so that the listing of /proc/self/fd can leave it
 * out.  Its number, or -1.
 */
int
ckpt_kfds_begin(void)
{
	ckpt_lock_files = 0;
	ckpt_nlock_ino = -1;
	ckpt_nl = (int)sys_call3(SYS_socket, AF_NETLINK, SOCK_DGRAM |
	    SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	return ckpt_nl < 0 ? -1 : ckpt_nl;
}

/* After the capture: the netlink socket is not the program's. */
void
ckpt_kfds_done(void)
{
	if (ckpt_nl >= 0)
		sys_close(ckpt_nl);
	ckpt_nl = -1;
}
