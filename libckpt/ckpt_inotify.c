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
 * descriptor's entries linger, and are never taken for another's).
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

/* For the capture: the noted watch (fd, wd) on that inode, or NULL. */
const struct ckpt_watch *
ckpt_watch_find(int fd, int wd, uint64_t dev, uint64_t ino)
{
	const struct ckpt_watch *w;
	int i, n = __atomic_load_n(&ckpt_nwatches, __ATOMIC_ACQUIRE);

	for (i = 0; ckpt_watches != NULL && i < n; i++) {
		w = &ckpt_watches[i];
		if (__atomic_load_n(&w->used, __ATOMIC_ACQUIRE) &&
		    w->fd == fd && w->wd == wd && w->dev == dev &&
		    w->ino == ino)
			return w;
	}
	return NULL;
}
