/*
 * rst_kfds.c - descriptors of kernel objects, made again: Unix socket
 * pairs, eventfd, timerfd, signalfd and epoll; and the locks a program
 * held on its files, taken again.
 *
 * Each is a new object with the saved state, prepared above the image's
 * numbers like every other descriptor (rst_fds.c).  An epoll descriptor
 * is made empty there; its interest list names descriptors by number, so
 * it is filled in only once every descriptor is at its own number
 * (rst_fds_epoll, at the end of rst_fds_install).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#ifndef TFD_IOC_SET_TICKS
#define TFD_IOC_SET_TICKS	_IOW('T', 0, uint64_t)	/* linux/timerfd.h */
#endif

#include "rst.h"

/* A record of one end of a socket pair, with the end's inode. */
static int
rst_is_end(const struct rst_fd *d, uint64_t ino)
{
	const struct fmt_fd *g = d->f;

	return g->kind == FMT_FD_SOCKET && (g->present & FMT_F_PEER) &&
	    (g->present & FMT_F_STAT) && g->ino == ino && RST_FD_OWN(d);
}

/* Sends the bytes queued at one end again, from the other end. */
static int
rst_refill(const char *img, const struct fmt_fd *g, int from)
{
	size_t done = 0;
	int sz;

	if (!(g->present & FMT_F_DATA) || g->data.len == 0)
		return 0;
	/* the sender's buffer holds them in flight: make room, as before */
	sz = g->data.len > (1U << 30) ? 1 << 30 : (int)g->data.len * 2;
	setsockopt(from, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	while (done < g->data.len) {
		ssize_t n = send(from, g->data.p + done, g->data.len - done,
		    MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n <= 0) {
			rst_say(img, "fd %d: cannot refill the socket pair: %s",
			    g->fd, n < 0 ? strerror(errno) : "short write");
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

/*
 * Both ends of a Unix socket pair that the process held, refilled with
 * their unread bytes; every record of either end gets a copy.  0, or 1 if
 * the other end is not the process's (the caller makes a placeholder),
 * or -1.
 */
int
rst_open_sockpair(const char *img, struct rst_fd *fds, uint32_t n,
    uint32_t i, int floor)
{
	const struct fmt_fd *f = fds[i].f;
	uint64_t mine = f->ino, peer = f->peer;
	int sp[2], rc = 0;
	uint32_t j, found = 0;

	if (!rst_is_end(&fds[i], mine))
		return 1;
	for (j = 0; j < n && !found; j++)
		found = rst_is_end(&fds[j], peer) && fds[j].f->peer == mine;
	if (!found)
		return 1;
	if (socketpair(AF_UNIX, (int)f->sock_type | SOCK_CLOEXEC, 0, sp) < 0) {
		rst_say(img, "fd %d: socketpair: %s", f->fd, strerror(errno));
		return -1;
	}
	/* a pair's bytes are stored once per end, in its first record */
	for (j = 0; j < n && rc == 0; j++)
		if (rst_is_end(&fds[j], mine) && (fds[j].f->present &
		    FMT_F_DATA)) {
			rc = rst_refill(img, fds[j].f, sp[1]);
			break;
		}
	for (j = 0; j < n && rc == 0; j++)
		if (rst_is_end(&fds[j], peer) && (fds[j].f->present &
		    FMT_F_DATA)) {
			rc = rst_refill(img, fds[j].f, sp[0]);
			break;
		}
	sp[0] = rst_lift(sp[0], floor);
	sp[1] = rst_lift(sp[1], floor);
	if (rc == 0 && (sp[0] < 0 || sp[1] < 0)) {
		rst_say(img, "fd %d: no descriptor free above %d: %s", f->fd,
		    floor - 1, strerror(errno));
		rc = -1;
	}
	for (j = 0; j < n && rc == 0; j++)
		if (rst_is_end(&fds[j], mine) || rst_is_end(&fds[j], peer))
			fds[j].prepared = fcntl(fds[j].f->ino == mine ? sp[0] :
			    sp[1], F_DUPFD_CLOEXEC, floor);
	close(sp[0]);
	close(sp[1]);
	return rc;
}

static int
rst_open_timerfd(const char *img, const struct fmt_fd *f)
{
	struct itimerspec it;
	uint64_t ticks = f->state[3];
	int fd = timerfd_create((int)f->state[0], TFD_CLOEXEC);

	if (fd < 0) {
		rst_say(img, "fd %d: timerfd on clock %lld: %s", f->fd,
		    (long long)f->state[0], strerror(errno));
		return -1;
	}
	it.it_value.tv_sec = (time_t)(f->state[1] / 1000000000);
	it.it_value.tv_nsec = (long)(f->state[1] % 1000000000);
	it.it_interval.tv_sec = (time_t)(f->state[2] / 1000000000);
	it.it_interval.tv_nsec = (long)(f->state[2] % 1000000000);
	if (timerfd_settime(fd, 0, &it, NULL) < 0) {
		rst_say(img, "fd %d: cannot arm the timerfd: %s", f->fd,
		    strerror(errno));
		close(fd);
		return -1;
	}
	/*
	 * Expirations not yet read come back as they were where the kernel
	 * allows it (TFD_IOC_SET_TICKS), after arming: timerfd_settime
	 * zeroes the count.  Elsewhere a disarmed timer expires at once, so
	 * that a reader still finds at least one.
	 */
	if (ticks > 0 && ioctl(fd, TFD_IOC_SET_TICKS, &ticks) < 0 &&
	    it.it_value.tv_sec == 0 && it.it_value.tv_nsec == 0) {
		it.it_value.tv_nsec = 1;
		if (timerfd_settime(fd, 0, &it, NULL) < 0) {
			rst_say(img, "fd %d: cannot arm the timerfd: %s",
			    f->fd, strerror(errno));
			close(fd);
			return -1;
		}
	}
	return fd;
}

/*
 * A new eventfd, timerfd, signalfd or (empty) epoll descriptor with the
 * saved state, lifted above floor; -2 if the record lacks its state (the
 * caller makes a placeholder), -1 on an error, said.
 */
int
rst_open_kobj(const char *img, const struct fmt_fd *f, int floor)
{
	uint64_t mask;
	int fd = -1;

	if (f->kind != FMT_FD_EPOLL && !(f->present & FMT_F_STATE))
		return -2;
	if (f->kind == FMT_FD_EPOLL && (!(f->present & FMT_F_DATA) ||
	    f->data.len % FMT_EPOLL_ENTRY != 0))
		return -2;
	switch (f->kind) {
	case FMT_FD_EPOLL:
		fd = epoll_create1(EPOLL_CLOEXEC);
		break;
	case FMT_FD_EVENTFD:
		fd = eventfd(0, EFD_CLOEXEC | (f->state[1] ? EFD_SEMAPHORE :
		    0));
		if (fd >= 0 && f->state[0] > 0 &&
		    write(fd, &f->state[0], 8) != 8) {
			rst_say(img, "fd %d: cannot set the eventfd's counter "
			    "to %llu: %s", f->fd,
			    (unsigned long long)f->state[0], strerror(errno));
			close(fd);
			return -1;
		}
		break;
	case FMT_FD_TIMERFD:
		if ((fd = rst_open_timerfd(img, f)) < 0)
			return -1;
		break;
	case FMT_FD_SIGNALFD:
		mask = f->state[0];
		fd = (int)syscall(SYS_signalfd4, -1, &mask, sizeof(mask),
		    SFD_CLOEXEC);
		break;
	}
	if (fd < 0) {
		rst_say(img, "fd %d: %s", f->fd, strerror(errno));
		return -1;
	}
	if ((fd = rst_lift(fd, floor)) < 0)
		rst_say(img, "fd %d: no descriptor free above %d: %s", f->fd,
		    floor - 1, strerror(errno));
	return fd;
}

static uint64_t
rst_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

/* The image's record of descriptor number fd, or NULL. */
static const struct rst_fd *
rst_record_of(const struct fmt_image *img, const struct rst_fd *fds, int fd)
{
	uint32_t i;

	for (i = 0; i < img->nfds; i++)
		if (fds[i].f->fd == fd)
			return &fds[i];
	return NULL;
}

/*
 * Fills each epoll descriptor, now at its own number, with its interest
 * list.  An entry whose descriptor number now names another file (the
 * program closed the one it added and the number was reused) is left
 * out, with a warning.  Descriptors 0-2 are restart's own, which stand
 * for the program's: they are watched again whatever they are.
 */
void
rst_fds_epoll(const char *img_path, const struct fmt_image *img,
    const struct rst_fd *fds)
{
	const struct rst_fd *t;
	struct epoll_event ev;
	uint32_t i;
	size_t k;

	for (i = 0; i < img->nfds; i++) {
		const struct fmt_fd *f = fds[i].f;

		if (f->kind != FMT_FD_EPOLL || fds[i].prepared < 0 ||
		    fds[i].dead || (f->present & FMT_F_SHARE))
			continue;
		for (k = 0; k + FMT_EPOLL_ENTRY <= f->data.len;
		    k += FMT_EPOLL_ENTRY) {
			const uint8_t *e = f->data.p + k;
			int tfd = (int)rst_le(e, 4);

			ev.events = (uint32_t)rst_le(e + 4, 4);
			ev.data.u64 = rst_le(e + 8, 8);
			t = rst_record_of(img, fds, tfd);
			if (tfd > 2 && (t == NULL ||
			    !(t->f->present & FMT_F_STAT) ||
			    t->f->ino != rst_le(e + 16, 8))) {
				rst_say(img_path, "warning: fd %d (epoll): "
				    "fd %d is no longer what it watched; "
				    "left out", f->fd, tfd);
				continue;
			}
			if (epoll_ctl(f->fd, EPOLL_CTL_ADD, tfd, &ev) < 0)
				rst_say(img_path, "warning: fd %d (epoll): "
				    "cannot watch fd %d again: %s", f->fd,
				    tfd, strerror(errno));
		}
	}
}

/* ---- sockets that restart makes alone ---------------------------------- */

/*
 * A Unix socket path left behind by the program: its socket died with it,
 * and the file is removed for bind to make it again.  A path some socket
 * is still bound to (/proc/net/unix lists it), or that is not a socket,
 * is kept, and bind fails.  Connecting to find out would leave a live
 * server a connection to accept.
 */
static void
rst_unix_stale(const struct sockaddr_storage *ss)
{
	const struct sockaddr_un *un = (const void *)ss;
	char path[sizeof(un->sun_path) + 1], *line = NULL;
	size_t cap = 0, plen;
	ssize_t n;
	struct stat st;
	FILE *f;
	int bound = 0;

	memcpy(path, un->sun_path, sizeof(un->sun_path));
	path[sizeof(un->sun_path)] = '\0';
	plen = strlen(path);
	if (plen == 0 || lstat(path, &st) != 0 || !S_ISSOCK(st.st_mode) ||
	    (f = fopen("/proc/net/unix", "re")) == NULL)
		return;
	while (!bound && (n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		bound = (size_t)n > plen && line[n - plen - 1] == ' ' &&
		    strcmp(line + n - plen, path) == 0;
	}
	free(line);
	fclose(f);
	if (!bound)
		unlink(path);
}

/* A saved address into ss, if it is a whole one of the family; its
 * length, or 0. */
static socklen_t
rst_sockaddr(const struct fmt_bytes *b, uint64_t family,
    struct sockaddr_storage *ss)
{
	const struct sockaddr_un *un = (const void *)ss;
	size_t min = family == AF_INET ? sizeof(struct sockaddr_in) :
	    family == AF_INET6 ? sizeof(struct sockaddr_in6) :
	    offsetof(struct sockaddr_un, sun_path) + 1;

	memset(ss, 0, sizeof(*ss));
	if (b->len < min || b->len > sizeof(struct sockaddr_un))
		return 0;
	memcpy(ss, b->p, b->len);
	if (ss->ss_family != family)
		return 0;
	/* a path relative to the program's old directory is not followed */
	if (family == AF_UNIX && un->sun_path[0] != '\0' &&
	    un->sun_path[0] != '/')
		return 0;
	return (socklen_t)b->len;
}

static int
rst_setopt(int fd, int level, int name, int on)
{
	return setsockopt(fd, level, name, &on, sizeof(on));
}

/*
 * An Internet or Unix socket made again from its STATE: a listening
 * socket bound to its address and listening, a datagram socket bound and
 * connected as it was, an idle socket as new.  Connections waiting to be
 * accepted and datagrams waiting to be read died with the program.  Its
 * descriptor, or -2 with d->why saying why not (the address is in use:
 * the program still runs, say).
 */
int
rst_open_socket(struct rst_fd *d, int floor)
{
	const struct fmt_fd *f = d->f;
	uint64_t bits = f->state[3], domain = f->state[0];
	struct sockaddr_storage me, peer, *at = NULL;
	socklen_t me_len = 0, peer_len = 0, at_len = 0;
	char why[512], a[FMT_SOCKADDR_STR];
	const char *step = "socket";
	int fd, e;

	if (!(f->present & FMT_F_STATE) || (domain != AF_INET &&
	    domain != AF_INET6 && domain != AF_UNIX) ||
	    f->state[1] > INT32_MAX || f->state[2] > INT32_MAX)
		return -2;
	if (((bits & FMT_SK_BOUND) && (me_len = rst_sockaddr(&f->addr, domain,
	    &me)) == 0) || ((bits & FMT_SK_CONNECTED) && (peer_len =
	    rst_sockaddr(&f->peer_addr, domain, &peer)) == 0))
		return -2;
	fd = socket((int)domain, (int)f->state[1] | SOCK_CLOEXEC,
	    (int)f->state[2]);
	if (fd < 0)
		goto fail;
	step = "options";
	/* in use by connections of the dead program's (TIME_WAIT): reuse
	 * the address to bind, then set the program's own choice back; any
	 * other socket the program set it on has it again */
	if (((((bits & FMT_SK_LISTEN) && domain != AF_UNIX) ||
	    (bits & FMT_SK_REUSEADDR)) &&
	    rst_setopt(fd, SOL_SOCKET, SO_REUSEADDR, 1) < 0) ||
	    ((bits & FMT_SK_REUSEPORT) &&
	    rst_setopt(fd, SOL_SOCKET, SO_REUSEPORT, 1) < 0) ||
	    ((bits & FMT_SK_KEEPALIVE) &&
	    rst_setopt(fd, SOL_SOCKET, SO_KEEPALIVE, 1) < 0) ||
	    ((bits & FMT_SK_BROADCAST) &&
	    rst_setopt(fd, SOL_SOCKET, SO_BROADCAST, 1) < 0) ||
	    (domain == AF_INET6 && rst_setopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
	    (bits & FMT_SK_V6ONLY) != 0) < 0) ||
	    ((bits & FMT_SK_NODELAY) &&
	    rst_setopt(fd, IPPROTO_TCP, TCP_NODELAY, 1) < 0))
		goto fail;
	if (bits & FMT_SK_BOUND) {
		step = "bind";
		at = &me;
		at_len = me_len;
		if (domain == AF_UNIX)
			rst_unix_stale(&me);
		if (bind(fd, (struct sockaddr *)&me, me_len) < 0)
			goto fail;
	}
	if (bits & FMT_SK_LISTEN) {
		step = "listen";
		if (listen(fd, SOMAXCONN) < 0)
			goto fail;
		if (domain != AF_UNIX && !(bits & FMT_SK_REUSEADDR))
			rst_setopt(fd, SOL_SOCKET, SO_REUSEADDR, 0);
	}
	if (bits & FMT_SK_CONNECTED) {
		step = "connect";
		at = &peer;
		at_len = peer_len;
		if (connect(fd, (struct sockaddr *)&peer, peer_len) < 0)
			goto fail;
	}
	return rst_lift(fd, floor);
fail:
	if (at != NULL) {
		struct fmt_bytes b = { at, at_len };

		e = errno;
		fmt_sockaddr_str(&b, a, sizeof(a));
		snprintf(why, sizeof(why), "%s %s: %s", step, a, strerror(e));
	}
	else
		snprintf(why, sizeof(why), "%s: %s", step, strerror(errno));
	if (fd >= 0)
		close(fd);
	d->why = strdup(why);
	return -2;
}

/* ---- inotify ----------------------------------------------------------- */

struct rst_watch {
	uint32_t	 wd, mask, len;
	uint64_t	 ino, dev;
	const char	*path;
};

static int
rst_cmp_watch(const void *a, const void *b)
{
	const struct rst_watch *x = a, *y = b;

	return x->wd < y->wd ? -1 : x->wd > y->wd;
}

/* The watches in DATA, in wd order; their number, or -1 if malformed. */
static long
rst_watches(const struct fmt_fd *f, struct rst_watch **out)
{
	const uint8_t *p = f->data.p, *end = p + f->data.len;
	struct rst_watch *w;
	size_t n = 0, cap = f->data.len / FMT_INOTIFY_HEAD + 1;

	if ((w = calloc(cap, sizeof(*w))) == NULL)
		return -1;
	while (p < end) {
		uint64_t pad;

		if ((size_t)(end - p) < FMT_INOTIFY_HEAD)
			goto bad;
		w[n].wd = (uint32_t)rst_le(p, 4);
		w[n].mask = (uint32_t)rst_le(p + 4, 4);
		w[n].ino = rst_le(p + 8, 8);
		w[n].dev = rst_le(p + 16, 8);
		w[n].len = (uint32_t)rst_le(p + 24, 4);
		pad = ((uint64_t)w[n].len + 7) & ~(uint64_t)7;
		p += FMT_INOTIFY_HEAD;
		if (w[n].wd == 0 || w[n].wd > INT32_MAX ||
		    pad > (uint64_t)(end - p) || w[n].len >= 4096 ||
		    memchr(p, '\0', w[n].len) != NULL)
			goto bad;
		w[n].path = (const char *)p;
		p += pad;
		n++;
	}
	qsort(w, n, sizeof(*w), rst_cmp_watch);
	*out = w;
	return (long)n;
bad:
	free(w);
	return -1;
}

/*
 * Whether path names the watched inode; *nofollow says whether not through a
 * last symbolic link (the watch's IN_DONT_FOLLOW is not shown by the
 * kernel, so both are tried).
 */
static int
rst_watch_same(const struct rst_watch *w, const char *path, int *nofollow)
{
	struct stat st;

	*nofollow = 0;
	if (stat(path, &st) == 0 && st.st_ino == w->ino &&
	    st.st_dev == w->dev)
		return 1;
	*nofollow = 1;
	return lstat(path, &st) == 0 && st.st_ino == w->ino &&
	    st.st_dev == w->dev;
}

/*
 * An inotify descriptor with its watches under their old numbers.  The
 * kernel numbers a descriptor's watches upwards from 1, never reusing one
 * until it wraps, so a number the program had removed is passed over by
 * adding and removing a watch on a memfd of restart's own, which no
 * program's path names; so is the number of a watch whose file is gone or
 * was replaced, or whose path libckpt did not see added, counted in
 * d->lost for one warning.  The IN_IGNORED events those removals queue
 * are read off before the program runs; events queued and unread at the
 * checkpoint are lost.  Its descriptor, -2 for a placeholder (malformed
 * data), or -1 with one line.
 */
int
rst_open_inotify(const char *img, struct rst_fd *d, int floor)
{
	const struct fmt_fd *f = d->f;
	struct rst_watch *w;
	char path[4096], skip[64], drain[4096];
	uint32_t next = 1;
	long n, i;
	int fd, mfd, nofollow, got;

	if (!(f->present & FMT_F_DATA) || (n = rst_watches(f, &w)) < 0)
		return -2;
	fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	mfd = memfd_create("ckpt-inotify", MFD_CLOEXEC);
	if (fd < 0 || mfd < 0) {
		rst_say(img, "fd %d: inotify: %s", f->fd, strerror(errno));
		goto fail;
	}
	snprintf(skip, sizeof(skip), "/proc/self/fd/%d", mfd);
	for (i = 0; i < n; i++) {
		if (i > 0 && w[i].wd == w[i - 1].wd)
			continue;	/* a damaged list: once */
		/* up to 2^20 numbers passed over; beyond, the rest are lost */
		while (next < w[i].wd && w[i].wd - next < (1U << 20)) {
			if ((got = inotify_add_watch(fd, skip, IN_ATTRIB)) < 0)
				break;
			inotify_rm_watch(fd, got);
			next = (uint32_t)got + 1;
		}
		got = -1;
		if (next == w[i].wd && w[i].len > 0) {
			memcpy(path, w[i].path, w[i].len);
			path[w[i].len] = '\0';
			if (rst_watch_same(&w[i], path, &nofollow))
				got = inotify_add_watch(fd, path, w[i].mask |
				    (nofollow ? IN_DONT_FOLLOW : 0));
		}
		if (got < 0 && next == w[i].wd &&
		    (got = inotify_add_watch(fd, skip, IN_ATTRIB)) >= 0) {
			inotify_rm_watch(fd, got);
			got = -1;
			next++;
		} else if (got >= 0)
			next = (uint32_t)got + 1;
		if (got != (int)w[i].wd)
			d->lost++;
	}
	while (read(fd, drain, sizeof(drain)) > 0)
		;
	close(mfd);
	free(w);
	if ((fd = rst_lift(fd, floor)) < 0)
		rst_say(img, "fd %d: no descriptor free above %d: %s", f->fd,
		    floor - 1, strerror(errno));
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	if (mfd >= 0)
		close(mfd);
	free(w);
	return -1;
}

/* ---- file locks -------------------------------------------------------- */

static const char *
rst_lock_name(uint32_t kind)
{
	return kind == FMT_LOCK_FLOCK ? "flock" : kind == FMT_LOCK_POSIX ?
	    "POSIX record lock" : "record lock";
}

/*
 * Takes again, through fd, the locks the image says f held: in the first
 * pass (late = 0, on the prepared descriptor) the flock and open-file-
 * description locks, which belong to the descriptor, and only a check
 * that no other process holds what the POSIX locks need; in the second
 * (late = 1, at f's own number once the prepared copies are closed, since
 * closing any descriptor of a file drops the process's POSIX locks on it)
 * the POSIX locks.  0, or -1 with one line: another process holds a
 * conflicting lock, and the program would go on without its own.
 */
int
rst_locks_take(const char *img, const struct fmt_fd *f, int fd, int late)
{
	char path[4096];
	struct flock fl;
	size_t k;
	int rc;

	if (!(f->present & FMT_F_LOCKS))
		return 0;
	for (k = 0; k + FMT_LOCK_ENTRY <= f->locks.len; k += FMT_LOCK_ENTRY) {
		const uint8_t *e = f->locks.p + k;
		uint32_t kind = (uint32_t)rst_le(e, 4);
		int write = rst_le(e + 4, 4) == 2;
		uint64_t start = rst_le(e + 8, 8), end = rst_le(e + 16, 8);

		if (kind == FMT_LOCK_FLOCK) {
			if (late)
				continue;
			rc = flock(fd, (write ? LOCK_EX : LOCK_SH) | LOCK_NB);
		} else {
			/* OFD locks early only; POSIX: checked, then taken */
			if (kind == FMT_LOCK_OFD && late)
				continue;
			memset(&fl, 0, sizeof(fl));
			fl.l_type = write ? F_WRLCK : F_RDLCK;
			fl.l_whence = SEEK_SET;
			fl.l_start = (off_t)start;
			fl.l_len = end == UINT64_MAX || end < start ? 0 :
			    (off_t)(end - start + 1);
			if (kind == FMT_LOCK_OFD)
				rc = fcntl(fd, F_OFD_SETLK, &fl);
			else if (late)
				rc = fcntl(fd, F_SETLK, &fl);
			else {
				rc = fcntl(fd, F_GETLK, &fl);
				if (rc == 0 && fl.l_type != F_UNLCK) {
					errno = EAGAIN;
					rc = -1;
				}
			}
		}
		if (rc < 0) {
			rst_say(img, "fd %d: %s: cannot take its %s again: %s",
			    f->fd, rst_cstr(&f->path, path, sizeof(path)),
			    rst_lock_name(kind), errno == EAGAIN ||
			    errno == EWOULDBLOCK || errno == EACCES ?
			    "another process holds the file locked" :
			    strerror(errno));
			return -1;
		}
	}
	return 0;
}
