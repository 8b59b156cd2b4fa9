/*
 * ckpt_inotify.c - the paths of the program's inotify watches.
 *
 * The kernel shows each watch of an inotify descriptor (its number, inode,
 * device and mask, in /proc/self/fdinfo) but not the path it was added
 * by, and an unprivileged restart cannot open an inode by its handle.  So
 * libckpt sees inotify_add_watch and inotify_rm_watch through, and notes
 * each watch's absolute path, device and inode in a table of its own; the
 * capture (ckpt_kfds.c) takes the path of each watch the kernel lists from
 * there, if the descriptor, number and inode all match (a closed inotify
 * descriptor's entries linger, and are never taken for another's, until
 * the table is full: then the slots of watches the kernel no longer lists
 * are freed).
 *
 * The table is mapped at the first watch, not at load, and is part of the
 * image, so a restarted program is checkpointed with its watches again.
 * Writers take a spin lock; the capture, which may interrupt a writer,
 * takes none: a slot counts only once 'used' is stored, after its fields.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "ckpt.h"

static struct ckpt_watch	*ckpt_watches;	/* CKPT_WATCHES, or NULL */
static int			 ckpt_nwatches;	/* slots ever used */
static int			 ckpt_watch_lock;
static int			 ckpt_reclaim_wait;	/* adds before the next */

static void
ckpt_watch_take(void)
{
	while (__atomic_exchange_n(&ckpt_watch_lock, 1, __ATOMIC_ACQUIRE))
		sched_yield();
}

static void
ckpt_watch_give(void)
{
	__atomic_store_n(&ckpt_watch_lock, 0, __ATOMIC_RELEASE);
}

struct ckpt_live {
	uint64_t	wd, ino;
};

static int
ckpt_cmp_live(const void *a, const void *b)
{
	const struct ckpt_live *x = a, *y = b;

	if (x->wd != y->wd)
		return x->wd < y->wd ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/*
 * The watches fdinfo lists for FD into live (sorted); their number, -1
 * if FD is no longer open, -2 if it could not be told (do not free).
 */
static long
ckpt_watch_live(int fd, char *buf, size_t cap, struct ckpt_live *live,
    size_t nlive)
{
	char path[48];
	const char *p, *q;
	long n;
	size_t k = 0;

	ckpt_utoa(ckpt_stpcpy(path, "/proc/self/fdinfo/", path + 48), fd,
	    path + 48);
	n = ckpt_slurp(path, buf, cap - 1);
	if (n == -ENOENT)
		return -1;
	if (n < 0 || (size_t)n >= cap - 1)
		return -2;
	buf[n] = '\0';
	for (p = buf; (p = strstr(p, "inotify wd:")) != NULL; p = q) {
		p += strlen("inotify wd:");
		if (k == nlive || (q = ckpt_hex_digits(p, &live[k].wd)) == p ||
		    (p = strstr(q, "ino:")) == NULL ||
		    (q = ckpt_hex_digits(p + 4, &live[k].ino)) == p + 4)
			return -2;
		k++;
	}
	qsort(live, k, sizeof(*live), ckpt_cmp_live);
	return (long)k;
}

/*
 * The table is full: free the slots of watches that are gone, whose
 * descriptor was closed, or that the kernel removed itself (the file was
 * deleted: IN_IGNORED).  Without this, a program that watches files that
 * come and go fills the table, and its later watches are not noted.
 * Called with the lock held, outside the capture.
 */
static void
ckpt_watch_reclaim(void)
{
	size_t cap = 1 << 20;
	struct ckpt_live *live, key;
	char *buf;
	long k;
	int i, j, seen[256], nseen;

	for (;;) {
		buf = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		    MAP_ANONYMOUS, -1, 0);
		if (buf == MAP_FAILED)
			return;
		/* half for the text, half for its lines (over 64 bytes each) */
		live = (struct ckpt_live *)(buf + cap / 2);
		nseen = 0;
		for (i = 0; i < ckpt_nwatches; i++) {
			int fd = ckpt_watches[i].fd;

			if (!ckpt_watches[i].used)
				continue;
			for (j = 0; j < nseen && seen[j] != fd; j++)
				;
			if (j < nseen)
				continue;
			k = ckpt_watch_live(fd, buf, cap / 2, live, cap / 128);
			if (k == -2)
				break;
			if (nseen < (int)(sizeof(seen) / sizeof(seen[0])))
				seen[nseen++] = fd;
			for (j = i; j < ckpt_nwatches; j++) {
				struct ckpt_watch *w = &ckpt_watches[j];

				if (!w->used || w->fd != fd)
					continue;
				key.wd = (uint64_t)w->wd;
				key.ino = w->ino;
				if (k < 0 || bsearch(&key, live, (size_t)k,
				    sizeof(*live), ckpt_cmp_live) == NULL)
					__atomic_store_n(&w->used, 0,
					    __ATOMIC_RELEASE);
			}
		}
		munmap(buf, cap);
		if (i == ckpt_nwatches || cap >= (64u << 20))
			return;
		cap *= 4;
	}
}

/* The slot for (fd, wd), else a free one, else NULL. */
static struct ckpt_watch *
ckpt_watch_slot(int fd, int wd)
{
	struct ckpt_watch *w, *free_slot = NULL;
	int i;

	if (ckpt_watches == NULL) {
		void *p = mmap(NULL, CKPT_WATCHES * sizeof(*w), PROT_READ |
		    PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		    -1, 0);

		if (p == MAP_FAILED)
			return NULL;
		ckpt_watches = p;
	}
	/* only the slots used so far: each is a page of its own */
	for (i = 0; i < ckpt_nwatches; i++) {
		w = &ckpt_watches[i];
		if (w->used && w->fd == fd && w->wd == wd)
			return w;
		if (!w->used && free_slot == NULL)
			free_slot = w;
	}
	/* a reclaim reads every watch's fdinfo: after one that freed few,
	 * the next waits for as many adds as it should free */
	if (free_slot == NULL && ckpt_nwatches == CKPT_WATCHES &&
	    (ckpt_reclaim_wait == 0 || --ckpt_reclaim_wait == 0)) {
		int freed = 0;

		ckpt_watch_reclaim();
		for (i = 0; i < ckpt_nwatches; i++)
			if (!ckpt_watches[i].used) {
				freed++;
				if (free_slot == NULL)
					free_slot = &ckpt_watches[i];
			}
		if (freed < CKPT_WATCHES / 8)
			ckpt_reclaim_wait = CKPT_WATCHES / 8;
	}
	if (free_slot == NULL && ckpt_nwatches < CKPT_WATCHES) {
		free_slot = &ckpt_watches[ckpt_nwatches];
		__atomic_store_n(&ckpt_nwatches, ckpt_nwatches + 1,
		    __ATOMIC_RELEASE);
	}
	return free_slot;
}

static void
ckpt_watch_note(int fd, int wd, const char *path, uint32_t mask)
{
	struct ckpt_watch *w;
	struct stat st;
	size_t len = strlen(path), at = 0;

	if ((mask & IN_DONT_FOLLOW) ? lstat(path, &st) : stat(path, &st))
		return;		/* gone already: nothing to note */
	ckpt_watch_take();
	if ((w = ckpt_watch_slot(fd, wd)) == NULL)
		goto out;
	__atomic_store_n(&w->used, 0, __ATOMIC_RELEASE);
	if (path[0] != '/') {
		if (getcwd(w->path, sizeof(w->path)) == NULL)
			goto out;
		at = strlen(w->path);
		if (at > 1)
			w->path[at++] = '/';
		else
			at = 1;		/* "/" */
	}
	if (at + len >= sizeof(w->path))
		goto out;
	memcpy(w->path + at, path, len + 1);
	w->len = (uint32_t)(at + len);
	w->fd = fd;
	w->wd = wd;
	w->dev = st.st_dev;
	w->ino = st.st_ino;
	__atomic_store_n(&w->used, 1, __ATOMIC_RELEASE);
out:
	ckpt_watch_give();
}

int
inotify_add_watch(int fd, const char *path, uint32_t mask)
{
	int wd = (int)syscall(SYS_inotify_add_watch, fd, path, mask), e;

	if (wd >= 0) {
		e = errno;
		ckpt_watch_note(fd, wd, path, mask);
		errno = e;
	}
	return wd;
}

int
inotify_rm_watch(int fd, int wd)
{
	struct ckpt_watch *w;
	int rc = (int)syscall(SYS_inotify_rm_watch, fd, wd);

	if (rc == 0 && ckpt_watches != NULL) {
		ckpt_watch_take();
		w = ckpt_watch_slot(fd, wd);
		if (w != NULL && w->used && w->fd == fd && w->wd == wd)
			__atomic_store_n(&w->used, 0, __ATOMIC_RELEASE);
		ckpt_watch_give();
	}
	return rc;
}

/*
 * For the capture: the noted watch (fd, wd) on that inode, else any noted
 * on that inode (the descriptor was moved by dup2 and the old number
 * closed: its watches are noted under that number), or NULL.  Any path
 * noted for the inode led to it; restart checks it still does.
 */
const struct ckpt_watch *
ckpt_watch_find(int fd, int wd, uint64_t dev, uint64_t ino)
{
	const struct ckpt_watch *w, *other = NULL;
	int i, n = __atomic_load_n(&ckpt_nwatches, __ATOMIC_ACQUIRE);

	for (i = 0; ckpt_watches != NULL && i < n; i++) {
		w = &ckpt_watches[i];
		if (!__atomic_load_n(&w->used, __ATOMIC_ACQUIRE) ||
		    w->dev != dev || w->ino != ino)
			continue;
		if (w->fd == fd && w->wd == wd)
			return w;
		if (other == NULL)
			other = w;
	}
	return other;
}
