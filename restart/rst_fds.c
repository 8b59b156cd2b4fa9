/*
 * rst_fds.c - the program's open descriptors, rebuilt before the hand-over.
 *
 * Two steps, so that a refusal changes nothing:
 *  1. rst_fds_prepare opens everything at numbers above every number the
 *     image uses: regular files by path (refused if gone, replaced by
 *     another inode or another type of file, or now shorter than the
 *     saved offset), directories,
 *     the plain devices, both ends of pipes the process held (refilled with
 *     their unread bytes).  What cannot be restored (sockets, pipes to
 *     other processes, terminals other than 0-2, other devices and kernel
 *     objects) becomes an unconnected socket, on which every read and
 *     write fails with an error, and is reported.
 *  2. rst_fds_install closes every other descriptor above 2 and moves each
 *     prepared one to its number with its close-on-exec flag and offset.
 * Descriptors 0, 1 and 2 are restart's own: the user's terminal or
 * redirections.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sysmacros.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "rst.h"

int
rst_lift(int fd, int floor)
{
	int hi;

	if (fd < 0)
		return fd;
	hi = fcntl(fd, F_DUPFD_CLOEXEC, floor);
	close(fd);
	return hi;
}

/*
 * Every descriptor is prepared above the highest number the image uses,
 * so restart needs that many plus as many again (and a pipe's two ends in
 * passing) under its own RLIMIT_NOFILE, which may be lower than the
 * program's was: the soft limit is raised as far as that needs, within the
 * hard limit, and rst_fds_install sets it back, or to just above the
 * highest descriptor the program holds if that is more.
 */
static struct rlimit	rst_nofile;

static int
rst_room(const char *img, int floor, uint32_t nfds)
{
	struct rlimit r;
	rlim_t need = (rlim_t)floor + nfds + 16;

	if (getrlimit(RLIMIT_NOFILE, &rst_nofile) < 0)
		return 0;	/* nothing known, nothing changed */
	if (rst_nofile.rlim_cur >= need)
		return 0;
	if (rst_nofile.rlim_max < need) {
		rst_say(img, "the image holds descriptors up to %d; restoring "
		    "them needs %llu open files, over the hard limit of %llu "
		    "(ulimit -Hn)", floor - 1, (unsigned long long)need,
		    (unsigned long long)rst_nofile.rlim_max);
		return -1;
	}
	r = rst_nofile;
	r.rlim_cur = need;
	if (setrlimit(RLIMIT_NOFILE, &r) < 0) {
		rst_say(img, "cannot raise the open file limit to %llu: %s",
		    (unsigned long long)need, strerror(errno));
		return -1;
	}
	return 0;
}

static void
rst_room_done(int highest)
{
	struct rlimit r = rst_nofile;

	if (r.rlim_cur == 0)
		return;		/* getrlimit failed: never raised */
	if (r.rlim_cur < (rlim_t)highest + 1)
		r.rlim_cur = (rlim_t)highest + 1;
	setrlimit(RLIMIT_NOFILE, &r);
}

/* rst_lift for a descriptor of the image's; one line if it fails. */
static int
rst_lift_say(const char *img, const struct fmt_fd *f, const char *path,
    int fd, int floor)
{
	if ((fd = rst_lift(fd, floor)) < 0)
		rst_say(img, "fd %d: %s: no descriptor free above %d: %s",
		    f->fd, path, floor - 1, strerror(errno));
	return fd;
}

/* Another open file description of the file fd is open on. */
static int
rst_reopen(const char *img, const struct fmt_fd *f, const char *path,
    int fd, int flags)
{
	char self[64];
	int nfd;

	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	if ((nfd = open(self, flags)) < 0)
		rst_say(img, "fd %d: %s: %s", f->fd, path, strerror(errno));
	return nfd;
}

/* A descriptor that fails on use; rst_fds_warn says so once all is read. */
static int
rst_placeholder(int floor)
{
	return rst_lift(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0),
	    floor);
}

/*
 * The warnings for descriptors that cannot come back, given only once the
 * image has been read and verified whole: a damaged image gets one line,
 * the damage, not warnings about a restore that will not happen.
 */
void
rst_fds_warn(const char *img_path, const struct fmt_image *img,
    const struct rst_fd *fds)
{
	char path[4096];
	uint32_t i;

	for (i = 0; i < img->nfds; i++) {
		if (fds[i].dead && fds[i].why != NULL)
			rst_say(img_path, "warning: fd %d (%s) cannot be "
			    "restored (%s); it now fails on use", fds[i].f->fd,
			    rst_cstr(&fds[i].f->path, path, sizeof(path)),
			    fds[i].why);
		else if (fds[i].dead)
			rst_say(img_path, "warning: fd %d (%s) cannot be "
			    "restored; it now fails on use", fds[i].f->fd,
			    rst_cstr(&fds[i].f->path, path, sizeof(path)));
		if (fds[i].partial)
			rst_say(img_path, "warning: fd %d (%s): the deleted "
			    "file's bytes outside its mappings were not saved; "
			    "they read as zeros", fds[i].f->fd,
			    rst_cstr(&fds[i].f->path, path, sizeof(path)));
		if (fds[i].lost)
			rst_say(img_path, "warning: fd %d (inotify): %d of its "
			    "watches not made again (the file is gone or was "
			    "replaced, or its path is unknown)", fds[i].f->fd,
			    fds[i].lost);
	}
}

/*
 * 0 if st is of the type a descriptor of this kind was opened on, else -1
 * and one line saying what is there now.  A file system may give a new
 * file the inode number of a removed one (ext4 does at once), so the
 * inode alone does not show that a directory or a FIFO took a file's
 * place.
 */
static int
rst_same_type(const char *img, const struct fmt_fd *f, const char *path,
    const struct stat *st)
{
	mode_t want = f->kind == FMT_FD_DIR ? S_IFDIR :
	    f->kind == FMT_FD_DEV ? S_IFCHR : S_IFREG;
	const char *was = f->kind == FMT_FD_DIR ? "a directory" :
	    f->kind == FMT_FD_DEV ? "a character device" : "a regular file";

	if ((st->st_mode & S_IFMT) == want)
		return 0;
	rst_say(img, "fd %d: %s is no longer %s", f->fd, path, was);
	return -1;
}

/*
 * The program's own /proc directory or a file in it (/proc/PID/statm, PID
 * the image's: a program that keeps one open to sample itself, or watches
 * /proc/self/mountinfo) is now /proc/self's: the restored process has
 * restart's pid.  Under the old pid there is nothing, or another process.
 * Rewrites path in place; 1 if it did.
 */
static int
rst_own_proc(char *path, size_t size, uint32_t pid)
{
	static const char self[] = "/proc/self";
	char old[32];
	size_t n = (size_t)snprintf(old, sizeof(old), "/proc/%u",
	    (unsigned)pid), rest;

	if (pid == 0 || strncmp(path, old, n) != 0 ||
	    (path[n] != '/' && path[n] != '\0'))
		return 0;
	rest = strlen(path + n) + 1;
	if (sizeof(self) - 1 + rest > size)
		return 0;
	memmove(path + sizeof(self) - 1, path + n, rest);
	memcpy(path, self, sizeof(self) - 1);
	return 1;
}

static int
rst_open_file(const char *img, const struct fmt_fd *f, uint32_t pid,
    int floor)
{
	char path[4096];
	struct stat st;
	int fd, flags, own;

	rst_cstr(&f->path, path, sizeof(path));
	own = rst_own_proc(path, sizeof(path), pid);
	flags = (f->flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY)) |
	    O_CLOEXEC;
	/* checked before the open too: opening a FIFO would wait for a peer */
	if (stat(path, &st) == 0 && rst_same_type(img, f, path, &st) < 0)
		return -1;
	fd = open(path, flags);
	if (fd < 0) {
		rst_say(img, "fd %d: %s: %s", f->fd, path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		rst_say(img, "fd %d: %s: %s", f->fd, path, strerror(errno));
		close(fd);
		return -1;
	}
	if (rst_same_type(img, f, path, &st) < 0) {
		close(fd);
		return -1;
	}
	/*
	 * The plain devices are known by name, and their nodes come and go
	 * with the machine's /dev (a reboot, a container), so not the inode:
	 * only that it is still a device.
	 */
	if (f->kind != FMT_FD_DEV && !own && (f->present & FMT_F_STAT) &&
	    (st.st_ino != f->ino || st.st_dev != f->dev)) {
		/* (a /proc file's inode is its process's, never the same) */
		rst_say(img, "fd %d: %s was replaced by another file since "
		    "the checkpoint", f->fd, path);
		close(fd);
		return -1;
	}
	/*
	 * Truncated under the offset since the checkpoint: the program's
	 * bytes there are gone.  An offset that was already past the end (a
	 * seek ahead to write a sparse file) is fine while the file is no
	 * shorter than it was.
	 */
	if (f->kind == FMT_FD_FILE && (f->present & FMT_F_OFFSET) &&
	    (uint64_t)st.st_size < f->offset &&
	    (!(f->present & FMT_F_STAT) || (uint64_t)st.st_size < f->size)) {
		rst_say(img, "fd %d: %s is now shorter (%lld bytes) than the "
		    "saved offset %llu", f->fd, path, (long long)st.st_size,
		    (unsigned long long)f->offset);
		close(fd);
		return -1;
	}
	return rst_lift_say(img, f, path, fd, floor);
}

/*
 * A file deleted while open, recreated from its saved contents as an
 * unnamed file (O_TMPFILE) in the directory it was in, or in $TMPDIR or
 * /tmp if that is gone or refuses; descriptors that had the same file
 * (same device and inode) get the same new one.  Opened read-write to fill
 * it, then reopened through /proc/self/fd with the program's access mode.
 */
/*
 * A deleted file made again, read-write (fd): reopened with the program's
 * access mode (flags) if that is not read-write, and lifted above floor.
 */
static int
rst_deleted_finish(const char *img, const struct fmt_fd *f, const char *path,
    int fd, int flags, int floor)
{
	int rw;

	if ((flags & O_ACCMODE) != O_RDWR) {
		rw = fd;
		fd = rst_reopen(img, f, path, rw, flags);
		close(rw);
		if (fd < 0)
			return -1;
	}
	return rst_lift_say(img, f, path, fd, floor);
}

static int
rst_open_deleted(const char *img, struct rst_fd *fds, uint32_t i, int floor)
{
	const struct fmt_fd *f = fds[i].f;
	const char *tmpdir = getenv("TMPDIR");
	char path[4096], dir[4096], *slash;
	int fd = -1, flags, k;
	uint32_t j, done = 0;

	rst_cstr(&f->path, path, sizeof(path));
	/* an O_TMPFILE file's flags say so (with O_DIRECTORY's bit) */
	flags = (f->flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY |
	    O_TMPFILE)) | O_CLOEXEC;
	for (j = 0; j < i; j++) {
		const struct fmt_fd *g = fds[j].f;

		if (g->kind == FMT_FD_DELETED && fds[j].prepared >= 0 &&
		    g->dev == f->dev && g->ino == f->ino) {
			fd = rst_reopen(img, f, path, fds[j].prepared, flags);
			return fd < 0 ? -1 : rst_lift_say(img, f, path, fd,
			    floor);
		}
	}
	rst_cstr(&f->path, dir, sizeof(dir));
	slash = strrchr(dir, '/');
	if (slash != NULL)
		*(slash == dir ? slash + 1 : slash) = '\0';
	for (k = 0; k < 3 && fd < 0; k++) {
		const char *d = k == 0 ? dir : k == 1 ? tmpdir : "/tmp";

		if (d != NULL && *d == '/')
			fd = open(d, O_TMPFILE | O_RDWR | O_CLOEXEC,
			    f->mode & 07777);
	}
	if (fd < 0) {
		rst_say(img, "fd %d: cannot recreate the deleted file %s: %s",
		    f->fd, path, strerror(errno));
		return -1;
	}
	while (done < f->data.len) {
		ssize_t n = write(fd, f->data.p + done, f->data.len - done);

		if (n <= 0) {
			rst_say(img, "fd %d: cannot recreate the deleted file "
			    "%s: %s", f->fd, path, n < 0 ? strerror(errno) :
			    "short write");
			close(fd);
			return -1;
		}
		done += n;
	}
	return rst_deleted_finish(img, f, path, fd, flags, floor);
}

/*
 * A new memfd of 'size' bytes standing for the deleted file or shared
 * memory at path: named as the original memfd was ("/memfd:heap
 * (deleted)" gives "heap"), else dflt.  The descriptor, or -1 with errno
 * set and nothing left open.
 */
int
rst_memfd_for(const struct fmt_bytes *path, const char *dflt, uint64_t size)
{
	char p[4096], name[64];
	size_t n;
	int fd, err;

	rst_cstr(path, p, sizeof(p));
	/* memfd_create takes 249 bytes; a short name will do */
	snprintf(name, sizeof(name), "%.60s", strncmp(p, "/memfd:", 7) == 0 ?
	    p + 7 : dflt);
	n = strlen(name);
	if (n > 10 && strcmp(name + n - 10, " (deleted)") == 0)
		name[n - 10] = '\0';
	if ((fd = memfd_create(name, MFD_CLOEXEC)) < 0)
		return -1;
	if (ftruncate(fd, (off_t)size) < 0) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/*
 * A deleted file too large to have been saved with its descriptor (over
 * 8 MiB: the JVM's ZGC heap memfd) that the program has mapped shared:
 * its mappings hold its contents, and the image has them.  It is made
 * again empty, at its size, for rst_map_deleted (rst_plan.c) to map and
 * the regions to fill, instead of a dead descriptor (ZGC maps and grows
 * its heap through it, and died when it could not).  Bytes outside every
 * mapping were not saved: they read as zeros, which rst_fds_warn says.
 * Returns the descriptor, -1 after saying why, or -2 if the image maps no
 * part of the file.
 */
static int
rst_cmp_range(const void *a, const void *b)
{
	const uint64_t *p = a, *q = b;

	return p[0] < q[0] ? -1 : p[0] > q[0];
}

static int
rst_open_mapped_deleted(const char *img_path, const struct fmt_image *img,
    struct rst_fd *fds, uint32_t i, int floor)
{
	const struct fmt_fd *f = fds[i].f;
	char path[4096];
	uint64_t (*rg)[2], end = 0;
	uint32_t j, n = 0;
	int fd, flags;

	if (!(f->present & FMT_F_STAT))
		return -2;
	for (j = 0; j < i; j++)		/* another descriptor of it: reopened */
		if (fds[j].f->kind == FMT_FD_DELETED && fds[j].prepared >= 0 &&
		    fds[j].f->dev == f->dev && fds[j].f->ino == f->ino)
			return rst_open_deleted(img_path, fds, i, floor);
	if ((rg = calloc(img->nregions + 1, sizeof(*rg))) == NULL)
		return -2;
	for (j = 0; j < img->nregions; j++) {
		const struct fmt_region *r = &img->regions[j];

		if (r->kind == FMT_K_MEMORY && (r->flags & FMT_R_SHARED) &&
		    r->inode == f->ino && r->dev_major == major(f->dev) &&
		    r->dev_minor == minor(f->dev)) {
			rg[n][0] = r->offset;
			rg[n++][1] = r->offset + (r->end - r->start);
		}
	}
	if (n == 0) {
		free(rg);
		return -2;
	}
	qsort(rg, n, sizeof(*rg), rst_cmp_range);
	for (j = 0; j < n && rg[j][0] <= end; j++)
		if (rg[j][1] > end)
			end = rg[j][1];
	free(rg);
	fds[i].partial = end < f->size;
	rst_cstr(&f->path, path, sizeof(path));
	if ((fd = rst_memfd_for(&f->path, "ckpt-deleted", f->size)) < 0) {
		rst_say(img_path, "fd %d: cannot recreate the deleted file %s: "
		    "%s", f->fd, path, strerror(errno));
		return -1;
	}
	flags = (f->flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY |
	    O_TMPFILE)) | O_CLOEXEC;
	return rst_deleted_finish(img_path, f, path, fd, flags, floor);
}

/* Both ends of one pipe, refilled; returns 0 or -1. */
static int
rst_open_pipe(const char *img, struct rst_fd *fds, uint32_t n, uint32_t i,
    int floor)
{
	const struct fmt_fd *f = fds[i].f;
	int p[2], rd = -1, wr = -1;
	uint32_t j;

	for (j = 0; j < n; j++) {
		const struct fmt_fd *g = fds[j].f;

		if (g->kind != FMT_FD_PIPE || g->pipe_id != f->pipe_id ||
		    !RST_FD_OWN(&fds[j]))
			continue;
		if (g->pipe_write)
			wr = j;
		else
			rd = j;
	}
	if (rd < 0 || wr < 0)
		return 1;		/* the other end is elsewhere */
	if (pipe2(p, O_CLOEXEC) < 0) {
		rst_say(img, "fd %d: pipe: %s", f->fd, strerror(errno));
		return -1;
	}
	/*
	 * The capacity the program gave it (F_SETPIPE_SZ), so that its writes
	 * fit as before; the kernel may refuse more than pipe-max-size to an
	 * unprivileged restart: then as much as the unread bytes need.
	 */
	if ((f->present & FMT_F_PIPE_SIZE) &&
	    (uint32_t)fcntl(p[1], F_GETPIPE_SZ) < f->pipe_size)
		fcntl(p[1], F_SETPIPE_SZ, f->pipe_size);
	for (j = 0; j < n; j++) {
		const struct fmt_fd *g = fds[j].f;

		if (g->kind == FMT_FD_PIPE && g->pipe_id == f->pipe_id &&
		    (g->present & FMT_F_DATA) && g->data.len > 0) {
			if ((uint32_t)fcntl(p[1], F_GETPIPE_SZ) < g->data.len)
				fcntl(p[1], F_SETPIPE_SZ, g->data.len);
			if (write(p[1], g->data.p, g->data.len) !=
			    (ssize_t)g->data.len) {
				rst_say(img, "fd %d: cannot refill the pipe",
				    g->fd);
				close(p[0]);
				close(p[1]);
				return -1;
			}
			break;	/* a pipe's bytes are stored once */
		}
	}
	p[0] = rst_lift(p[0], floor);
	p[1] = rst_lift(p[1], floor);
	for (j = 0; j < n; j++) {
		const struct fmt_fd *g = fds[j].f;

		if (g->kind != FMT_FD_PIPE || g->pipe_id != f->pipe_id ||
		    !RST_FD_OWN(&fds[j]))
			continue;
		fds[j].prepared = fcntl(g->pipe_write ? p[1] : p[0],
		    F_DUPFD_CLOEXEC, floor);
	}
	close(p[0]);
	close(p[1]);
	return 0;
}

/*
 * The descriptors that shared an open file description with an earlier
 * one (format 1.4's SHARE) become copies of it, as dup made them: one
 * offset, one set of flock locks, one epoll or eventfd.  A copy of 0-2 is
 * a copy of restart's own, which stand for the program's.
 */
static int
rst_fds_share(const char *img_path, const struct fmt_image *img,
    struct rst_fd *fds, int floor)
{
	uint32_t i;

	for (i = 0; i < img->nfds; i++) {
		const struct rst_fd *t = &fds[img->fds[i].share_idx];
		int fd;

		if (fds[i].prepared != RST_FD_SHARED)
			continue;
		fd = t->prepared != RST_FD_STDIO ? t->prepared :
		    (rst_stdio_closed & (1 << t->f->fd)) ? -1 : t->f->fd;
		if (fd < 0 || (fd = fcntl(fd, F_DUPFD_CLOEXEC, floor)) < 0) {
			/* restart's own 0-2 closed, or a dead original */
			fd = rst_placeholder(floor);
			fds[i].dead = 1;
		} else
			fds[i].dead = t->dead;
		if (fd < 0) {
			rst_say(img_path, "fd %d: %s", img->fds[i].fd,
			    strerror(errno));
			return -1;
		}
		fds[i].prepared = fd;
		rst_note("fd %d: a copy of fd %d", img->fds[i].fd, t->f->fd);
	}
	return 0;
}

int
rst_fds_prepare(const char *img_path, const struct fmt_image *img,
    struct rst_fd **out)
{
	struct rst_fd *fds = calloc(img->nfds + 1, sizeof(*fds));
	struct rlimit lim;
	char path[4096];
	int floor = 3;
	uint32_t i;

	if (fds == NULL) {
		rst_say(img_path, "out of memory");
		return -1;
	}
	for (i = 0; i < img->nfds; i++) {
		fds[i].f = &img->fds[i];
		fds[i].prepared = img->fds[i].fd <= 2 ? RST_FD_STDIO :
		    (img->fds[i].present & FMT_F_SHARE) ? RST_FD_SHARED :
		    RST_FD_TODO;
		if (img->fds[i].fd >= floor)
			floor = img->fds[i].fd + 1;
	}
	/* room to spare above them, unless the hard limit is that low
	 * (ulimit -n 64: an image of fds 0-2 was refused) */
	if (floor < 64 && (getrlimit(RLIMIT_NOFILE, &lim) < 0 ||
	    lim.rlim_max >= (rlim_t)64 + img->nfds + 16))
		floor = 64;
	if (rst_room(img_path, floor, img->nfds) < 0) {
		free(fds);
		return -1;
	}
	for (i = 0; i < img->nfds; i++) {
		const struct fmt_fd *f = fds[i].f;
		int fd = -1, rc;

		if (fds[i].prepared != RST_FD_TODO)
			continue;
		switch (f->kind) {
		case FMT_FD_FILE:
		case FMT_FD_DIR:
		case FMT_FD_DEV:
			fd = rst_open_file(img_path, f,
			    (img->proc.present & FMT_P_PID) ? img->proc.pid : 0,
			    floor);
			if (fd < 0 || rst_locks_take(img_path, f, fd, 0) < 0)
				return -1;
			break;
		case FMT_FD_DELETED:
			if (!(f->present & FMT_F_DATA)) {
				fd = rst_open_mapped_deleted(img_path, img,
				    fds, i, floor);
				if (fd == -2)
					goto placeholder;
				if (fd < 0)
					return -1;
				break;
			}
			fd = rst_open_deleted(img_path, fds, i, floor);
			if (fd < 0)
				return -1;
			break;
		case FMT_FD_PIPE:
			rc = rst_open_pipe(img_path, fds, img->nfds, i, floor);
			if (rc < 0)
				return -1;
			if (rc == 0)
				continue;
			goto placeholder;
		case FMT_FD_SOCKET:
			rc = rst_open_sockpair(img_path, fds, img->nfds, i,
			    floor);
			if (rc < 0)
				return -1;
			if (rc == 0)
				continue;
			fd = rst_open_socket(&fds[i], floor);
			if (fd == -2)
				goto placeholder;
			if (fd < 0) {
				rst_say(img_path, "fd %d: no descriptor free "
				    "above %d: %s", f->fd, floor - 1,
				    strerror(errno));
				return -1;
			}
			break;
		case FMT_FD_INOTIFY:
			fd = rst_open_inotify(img_path, &fds[i], floor);
			if (fd == -2)
				goto placeholder;
			if (fd < 0)
				return -1;
			break;
		case FMT_FD_EPOLL:
		case FMT_FD_EVENTFD:
		case FMT_FD_TIMERFD:
		case FMT_FD_SIGNALFD:
			fd = rst_open_kobj(img_path, f, floor);
			if (fd == -2)
				goto placeholder;
			if (fd < 0)
				return -1;
			break;
		default:
		placeholder:
			fd = rst_placeholder(floor);
			fds[i].dead = 1;
			break;
		}
		if (fd < 0) {
			rst_say(img_path, "fd %d: %s", f->fd, strerror(errno));
			return -1;
		}
		fds[i].prepared = fd;
	}
	/* after the loop: a pipe's or pair's two ends are made at once */
	for (i = 0; i < img->nfds; i++)
		if (fds[i].prepared >= 0)
			rst_note("fd %d: %s%s", fds[i].f->fd,
			    rst_cstr(&fds[i].f->path, path, sizeof(path)),
			    fds[i].dead ? " (not restorable)" : "");
	if (rst_fds_share(img_path, img, fds, floor) < 0)
		return -1;
	*out = fds;
	return 0;
}

/*
 * Descriptors 0-2 are restart's own, but one that reads the very file the
 * program was reading (prog < in, then restart IMG < in) goes on from
 * where the program was, not from the start: it would read its input
 * twice.  Likewise one that writes the very file the program was writing,
 * opened without truncating or appending (prog > out, then restart IMG
 * 1<> out), goes on writing where the program was, not over the start of
 * its output.  One the user's redirection put elsewhere (not at 0), or
 * made shorter than the program's offset (> out truncates), or that
 * appends, is left as it is.
 */
static void
rst_fds_stdio(const struct fmt_image *img, const struct rst_fd *fds)
{
	struct stat st;
	uint32_t i;
	int fl;

	for (i = 0; i < img->nfds; i++) {
		const struct fmt_fd *f = fds[i].f;

		if (f->fd < 0 || f->fd > 2 || f->kind != FMT_FD_FILE ||
		    (f->present & (FMT_F_OFFSET | FMT_F_STAT)) !=
		    (FMT_F_OFFSET | FMT_F_STAT) ||
		    (fl = fcntl(f->fd, F_GETFL)) < 0 ||
		    (f->fd == 0 ? (fl & O_ACCMODE) != O_RDONLY :
		    (fl & O_ACCMODE) == O_RDONLY || (fl & O_APPEND)) ||
		    fstat(f->fd, &st) < 0 ||
		    !S_ISREG(st.st_mode) || st.st_dev != f->dev ||
		    st.st_ino != f->ino || (uint64_t)st.st_size < f->offset ||
		    lseek(f->fd, 0, SEEK_CUR) != 0)
			continue;
		lseek(f->fd, (off_t)f->offset, SEEK_SET);
	}
}

int
rst_fds_install(const char *img_path, const struct fmt_image *img,
    struct rst_fd *fds)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	uint32_t i;
	int highest = 2;

	/* close restart's inherited descriptors that are not the program's */
	if (d != NULL) {
		while ((e = readdir(d)) != NULL) {
			int fd = atoi(e->d_name), keep = fd <= 2 ||
			    fd == dirfd(d) || e->d_name[0] == '.';

			for (i = 0; i < img->nfds && !keep; i++)
				keep = fds[i].prepared == fd;
			if (!keep)
				close(fd);
		}
		closedir(d);
	}
	for (i = 0; i < img->nfds; i++) {
		const struct fmt_fd *f = fds[i].f;
		int cloexec = (f->fdflags & FD_CLOEXEC) ? O_CLOEXEC : 0;

		if (fds[i].prepared < 0)
			continue;
		if (dup3(fds[i].prepared, f->fd, cloexec) < 0) {
			rst_say(img_path, "fd %d: %s", f->fd, strerror(errno));
			return -1;
		}
		/* a copy's offset and flags are its original's */
		if (f->present & FMT_F_SHARE)
			continue;
		if ((f->kind == FMT_FD_FILE || f->kind == FMT_FD_DIR ||
		    (f->kind == FMT_FD_DELETED &&
		    (f->present & FMT_F_DATA))) &&
		    (f->present & FMT_F_OFFSET) &&
		    lseek(f->fd, f->offset, SEEK_SET) < 0 &&
		    f->kind != FMT_FD_DIR) {
			rst_say(img_path, "fd %d: cannot seek: %s", f->fd,
			    strerror(errno));
			return -1;
		}
		if (f->present & FMT_F_FLAGS)
			fcntl(f->fd, F_SETFL, f->flags);
	}
	rst_fds_stdio(img, fds);
	rst_fds_epoll(img_path, img, fds);
	/* the prepared copies: closed once all are in place (shared ones) */
	for (i = 0; i < img->nfds; i++) {
		if (fds[i].prepared >= 0)
			close(fds[i].prepared);
		if (fds[i].prepared >= 0 && fds[i].f->fd > highest)
			highest = fds[i].f->fd;
	}
	/* POSIX locks last: closing a copy would have dropped them */
	for (i = 0; i < img->nfds; i++)
		if (fds[i].prepared >= 0 && (fds[i].f->kind == FMT_FD_FILE ||
		    fds[i].f->kind == FMT_FD_DIR) &&
		    rst_locks_take(img_path, fds[i].f, fds[i].f->fd, 1) < 0)
			return -1;
	rst_room_done(highest);
	free(fds);
	return 0;
}
