/*
 * ckpt_fds.c - the open file descriptors, captured while every thread is
 * stopped.
 *
 * The snapshot shares its parent's open file descriptions, and the parent
 * runs on while the image is written, so offsets and unread pipe contents
 * are read here, in the leader's signal handler, before the fork: into the
 * arena, which the snapshot inherits and leaves out of the image.  Unread
 * pipe data is not consumed: tee(2) copies it into a private pipe that the
 * snapshot drains.  Raw system calls only; nothing is allocated.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/kcmp.h>

#include "ckpt.h"
#include "fmt_sys.h"

static const char *const ckpt_plain_devs[] = {
	"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
};

static uint32_t
ckpt_kind(const struct stat *st, const char *path)
{
	size_t i;

	if (ckpt_starts(path, "anon_inode:"))
		return ckpt_kfds_kind(path);
	switch (st->st_mode & S_IFMT) {
	case S_IFREG:
		return st->st_nlink == 0 ? FMT_FD_DELETED : FMT_FD_FILE;
	case S_IFDIR:
		return FMT_FD_DIR;
	case S_IFIFO:
		return ckpt_starts(path, "pipe:") ? FMT_FD_PIPE : FMT_FD_OTHER;
	case S_IFSOCK:
		return FMT_FD_SOCKET;
	case S_IFCHR:
		for (i = 0; i < sizeof(ckpt_plain_devs) /
		    sizeof(ckpt_plain_devs[0]); i++)
			if (strcmp(path, ckpt_plain_devs[i]) == 0)
				return FMT_FD_DEV;
		if (ckpt_starts(path, "/dev/pts/") ||
		    ckpt_starts(path, "/dev/tty"))
			return FMT_FD_TTY;
		return FMT_FD_OTHER;
	}
	return FMT_FD_OTHER;
}

/* Copies a pipe's unread bytes into a fresh pipe without consuming them. */
static void
ckpt_tee_pipe(struct ckpt_fdinfo *d, int fd)
{
	int avail = 0, p[2];
	long n;

	d->tmp_pipe = -1;
	if (sys_call3(SYS_ioctl, fd, FIONREAD, (long)&avail) < 0 || avail <= 0)
		return;
	if (sys_call2(SYS_pipe2, (long)p, O_CLOEXEC) < 0)
		return;
	sys_call3(SYS_fcntl, p[1], F_SETPIPE_SZ, avail);
	n = sys_call4(SYS_tee, fd, p[1], avail, SPLICE_F_NONBLOCK);
	sys_close(p[1]);
	if (n != avail) {
		sys_close(p[0]);
		d->f.kind = FMT_FD_OTHER;	/* could not copy it all */
		return;
	}
	d->tmp_pipe = p[0];
	d->pipe_len = avail;
}

/* Whether an earlier descriptor already copied this pipe's contents. */
static int
ckpt_pipe_copied(const struct ckpt_fdset *set, const struct ckpt_fdinfo *d)
{
	int i;

	for (i = 0; i < set->n && &set->fd[i] != d; i++)
		if (set->fd[i].f.kind == FMT_FD_PIPE &&
		    set->fd[i].f.pipe_id == d->f.pipe_id &&
		    !set->fd[i].f.pipe_write)
			return 1;
	return 0;
}

/* "/proc/self/fd/N" into link (40 bytes), without stdio. */
static void
ckpt_fd_link(char *link, int fd)
{
	ckpt_utoa(ckpt_stpcpy(link, "/proc/self/fd/", link + 40), fd,
	    link + 40);
}

static void
ckpt_capture_one(struct ckpt_fdset *set, struct ckpt_fdinfo *d, int fd)
{
	char link[40], *path = (char *)set->extra + set->extra_used;
	int room = sizeof(set->extra) - set->extra_used >= CKPT_PATH_MAX;
	struct stat st;
	long n = -1, fl;

	memset(&d->f, 0, sizeof(d->f));
	d->tmp_pipe = -1;
	d->pipe_len = 0;
	/*
	 * The link's text goes to the extra area, as long as it is: a path
	 * array in every entry would have the capture touch 4 KiB of fresh
	 * memory per descriptor (0.2 s of pause for 10000 here).
	 */
	ckpt_fd_link(link, fd);
	if (room)
		n = sys_call4(SYS_readlinkat, AT_FDCWD, (long)link,
		    (long)path, CKPT_PATH_MAX - 1);
	if (n < 0) {
		path = (char *)"";
		n = 0;
	} else {
		path[n] = '\0';
		set->extra_used += ((size_t)n + 8) & ~(size_t)7;
	}
	d->f.fd = fd;
	d->f.present = FMT_F_FD | FMT_F_KIND | FMT_F_FLAGS | FMT_F_FDFLAGS |
	    FMT_F_PATH;
	d->f.path.p = path;
	d->f.path.len = n;
	fl = sys_call2(SYS_fcntl, fd, F_GETFL);
	d->f.flags = fl < 0 ? 0 : fl;
	fl = sys_call2(SYS_fcntl, fd, F_GETFD);
	d->f.fdflags = fl < 0 ? 0 : fl;
	if (sys_call2(SYS_fstat, fd, (long)&st) < 0) {
		d->f.kind = FMT_FD_OTHER;
		return;
	}
	d->f.present |= FMT_F_STAT;
	d->f.dev = st.st_dev;
	d->f.ino = st.st_ino;
	d->f.mode = st.st_mode;
	d->f.size = st.st_size;
	d->f.mtime_ns = st.st_mtim.tv_sec * 1000000000ULL + st.st_mtim.tv_nsec;
	d->f.kind = room ? ckpt_kind(&st, path) : FMT_FD_OTHER;
	if (d->f.kind == FMT_FD_FILE || d->f.kind == FMT_FD_DIR ||
	    d->f.kind == FMT_FD_DELETED) {
		long off = sys_call3(SYS_lseek, fd, 0, SEEK_CUR);

		if (off >= 0) {
			d->f.offset = off;
			d->f.present |= FMT_F_OFFSET;
		}
	}
	if (d->f.kind == FMT_FD_PIPE) {
		d->f.present |= FMT_F_PIPE;
		d->f.pipe_id = st.st_ino;
		d->f.pipe_write = (d->f.flags & O_ACCMODE) == O_WRONLY;
		fl = sys_call2(SYS_fcntl, fd, F_GETPIPE_SZ);
		if (fl > 0) {
			d->f.pipe_size = fl;
			d->f.present |= FMT_F_PIPE_SIZE;
		}
		/* the unread bytes once per pipe, however many read ends */
		if (!d->f.pipe_write && !ckpt_pipe_copied(set, d))
			ckpt_tee_pipe(d, fd);
	}
	ckpt_kfds_capture(set, d);
}

static int
ckpt_capture_next(void *arg, int fd, int dfd)
{
	struct ckpt_fdset *set = arg;

	if (fd == dfd || fd == set->own_fd)
		return 0;
	if (set->n == CKPT_MAX_FDS)
		return -E2BIG;
	ckpt_capture_one(set, &set->fd[set->n], fd);
	set->n++;
	return 0;
}

/*
 * Lists /proc/self/fd into set; the directory's own descriptor is left out.
 * 0, or -E2BIG past CKPT_MAX_FDS descriptors, or why /proc/self/fd could
 * not be read (a program at its open-file limit: -EMFILE): an image
 * without all of them would bring the program back with some missing.
 */
int
ckpt_fds_capture(struct ckpt_fdset *set)
{
	int rc;

	set->n = 0;
	set->extra_used = 0;
	set->own_fd = ckpt_kfds_begin();
	rc = ckpt_each_number("/proc/self/fd", ckpt_capture_next, set);
	ckpt_kfds_done();
	return rc;
}

/* In the parent, after the fork: the tee copies belong to the snapshot. */
void
ckpt_fds_release(struct ckpt_fdset *set)
{
	int i;

	for (i = 0; i < set->n; i++)
		if (set->fd[i].tmp_pipe >= 0)
			sys_close(set->fd[i].tmp_pipe);
}

/*
 * A deleted file's contents, read through a descriptor of the snapshot's
 * own, opened read-only through /proc/self/fd (the program's may be
 * write-only, and its offset is shared with the program).  The program
 * runs on meanwhile, so, like shared memory, they may be newer than the
 * checkpoint.  0, or -1 when they are over CKPT_DELETED_MAX or do not fit
 * or cannot be read: the record then has no contents, and restart makes
 * the descriptor one that fails on use, with a warning.
 */
static int
ckpt_read_deleted(struct ckpt_fdinfo *d, uint8_t *buf, size_t room)
{
	char link[40];
	size_t got = 0;
	long n = 0;
	int fd;

	if (d->f.size > room || d->f.size > CKPT_DELETED_MAX)
		return -1;
	ckpt_fd_link(link, d->f.fd);
	if ((fd = sys_openat(AT_FDCWD, link, O_RDONLY | O_CLOEXEC, 0)) < 0)
		return -1;
	while (got < d->f.size && (n = sys_pread(fd, buf + got,
	    d->f.size - got, got)) > 0)
		got += n;
	sys_close(fd);
	if (got < d->f.size && n < 0)
		return -1;
	d->f.data.p = buf;
	d->f.data.len = got;
	d->f.present |= FMT_F_DATA;
	return 0;
}

/*
 * In the snapshot: drain each tee copy into buf, and read each deleted
 * file's contents there; point the records at them.
 */
void
ckpt_fds_collect(struct ckpt_fdset *set, uint8_t *buf, size_t cap)
{
	size_t used = 0;
	int i;

	for (i = 0; i < set->n; i++) {
		struct ckpt_fdinfo *d = &set->fd[i];
		size_t got = 0;
		long n;

		if (d->f.kind == FMT_FD_DELETED) {
			if (ckpt_read_deleted(d, buf + used, cap - used) == 0)
				used += d->f.data.len;
			continue;
		}
		if (d->tmp_pipe < 0)
			continue;
		if (d->pipe_len > cap - used) {
			d->f.kind = FMT_FD_OTHER;
			continue;
		}
		while (got < d->pipe_len && (n = sys_read(d->tmp_pipe,
		    buf + used + got, d->pipe_len - got)) > 0)
			got += n;
		if (got != d->pipe_len) {
			d->f.kind = FMT_FD_OTHER;
			continue;
		}
		d->f.data.p = buf + used;
		d->f.data.len = got;
		d->f.present |= FMT_F_DATA;
		used += got;
	}
}

/*
 * Which descriptors share one open file description (dup, dup2, F_DUPFD,
 * or inherited so), so that restart makes them one again: one offset, one
 * flock, one epoll instance, one eventfd counter.  kcmp(2) says, and it
 * orders descriptions too, so each (device, inode, flags, offset) bucket
 * is a binary search tree of distinct descriptions, and a process holding
 * one file 10000 times costs about 14 kcmp calls a descriptor, not 5000.
 * It runs in the snapshot, whose descriptor table is the program's at the
 * fork, so it costs the pause nothing.  Without kcmp (a kernel without
 * CONFIG_KCMP), nothing is shared, as before format 1.4.
 */
static int
ckpt_share_cmp(const struct fmt_fd *a, const struct fmt_fd *b, long pid)
{
	long r;

	if (a->dev != b->dev)
		return a->dev < b->dev ? 1 : 2;
	if (a->ino != b->ino)
		return a->ino < b->ino ? 1 : 2;
	if (a->flags != b->flags)
		return a->flags < b->flags ? 1 : 2;
	if (a->offset != b->offset)
		return a->offset < b->offset ? 1 : 2;
	r = sys_call5(SYS_kcmp, pid, pid, KCMP_FILE, a->fd, b->fd);
	return r >= 0 && r <= 2 ? (int)r : -1;
}

void
ckpt_fds_shares(struct ckpt_fdset *set)
{
	long pid = sys_call0(SYS_getpid);
	int i, j, c, *link;

	if (set->n == 0 || sys_call5(SYS_kcmp, pid, pid, KCMP_FILE,
	    set->fd[0].f.fd, set->fd[0].f.fd) != 0)
		return;
	for (i = 0; i < CKPT_FD_BUCKETS; i++)
		set->share_root[i] = -1;
	for (i = 0; i < set->n; i++) {
		struct fmt_fd *d = &set->fd[i].f;

		if (!(d->present & FMT_F_STAT))
			continue;
		link = &set->share_root[(d->ino * 0x9E3779B97F4A7C15ULL ^
		    d->dev) >> 52 & (CKPT_FD_BUCKETS - 1)];
		for (c = 1; (j = *link) >= 0; link =
		    &set->share_kid[j][c - 1]) {
			c = ckpt_share_cmp(d, &set->fd[j].f, pid);
			if (c <= 0)
				break;
		}
		if (c == 0) {
			d->share = set->fd[j].f.fd;
			d->present |= FMT_F_SHARE;
		} else if (c > 0) {
			set->share_kid[i][0] = set->share_kid[i][1] = -1;
			*link = i;
		}
	}
}
