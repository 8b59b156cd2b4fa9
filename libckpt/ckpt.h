/*
 * ckpt.h - libckpt's private header, prototypes grouped by the file that
 * defines them.
 *
 * libckpt lives inside someone else's program.  It never exits it, never
 * prints more than a line per event, and its checkpoint path allocates
 * nothing from the program's heap and uses no stdio: the signal handler
 * stops the threads, saves their contexts and forks a copy-on-write
 * snapshot; the snapshot (ckpt_write.c) writes the image with raw system
 * calls and memory it maps itself, while the program runs on.
 */
#ifndef CKPT_CKPT_H
#define CKPT_CKPT_H

#include <signal.h>
#include <stdint.h>
#include <limits.h>

#include "fmt.h"

#define CKPT_MAX_THREADS	1024
#define CKPT_STOP_SIG_DEFAULT	62		/* SIGRTMAX - 2 on glibc */
/* CKPT_STOP_SIGNAL: the JDK's NIO takes 62 for itself */
#define CKPT_STOP_SIG		(ckpt_cfg.stop_signo)
#define CKPT_CHUNK		(1U << 20)	/* raw bytes per chunk at most */
#define CKPT_MAX_WORKERS	8
#define CKPT_PATH_MAX		4096

/* One thread's saved state, filled in its own signal handler. */
struct ckpt_slot {
	volatile int		tid;		/* 0: exited while being stopped */
	volatile int		here;		/* stopped, in its handler */
	int			new_tid;	/* after restart */
	struct fmt_thread	t;
	char			comm[16];	/* its name, set again after
						   restart (PR_SET_NAME) */
	long			sc_nr;		/* the call it was blocked in
						   when stopped, or -1 */
	uint64_t		sc_arg[6], sc_sp, sc_pc;
	uint64_t		pending;	/* its blocked pending signals,
						   raised again after restart */
	/* a thread's own prctl settings, set again after restart */
	int			nnp;		/* PR_GET_NO_NEW_PRIVS */
	int			pdeathsig;	/* PR_GET_PDEATHSIG */
	long			slack;		/* PR_GET_TIMERSLACK, ns */
	long			persona;	/* personality(2), or -1 */
};

/* An open descriptor, captured by the leader before the fork. */
#define CKPT_DELETED_MAX	(8U << 20)	/* a deleted file's contents */
#define CKPT_MAX_FDS		16384	/* more: the checkpoint is refused */
#define CKPT_STR_(x)		#x
#define CKPT_STR(x)		CKPT_STR_(x)
struct ckpt_fdinfo {
	struct fmt_fd	f;
	int		tmp_pipe;	/* tee copy of unread pipe data */
	uint32_t	pipe_len;
};

#define CKPT_FD_BUCKETS		4096
#define CKPT_FD_EXTRA		(80U << 20)	/* paths, epoll lists, socket
						   bytes, ... */
struct ckpt_fdset {
	int			n;
	struct ckpt_fdinfo	fd[CKPT_MAX_FDS];
	int			own_fd;		/* libckpt's, left out */
	size_t			extra_used;
	uint8_t			extra[CKPT_FD_EXTRA];
	/* ckpt_fds_shares' trees of open file descriptions */
	int			share_root[CKPT_FD_BUCKETS];
	int			share_kid[CKPT_MAX_FDS][2];
};

/* Settings read once from the environment by the constructor. */
struct ckpt_config {
	int		signo;			/* CKPT_SIGNAL */
	int		stop_signo;		/* CKPT_STOP_SIGNAL */
	int		level;			/* CKPT_LEVEL */
	unsigned	interval;		/* CKPT_INTERVAL, 0 = none */
	int		file_fixed;		/* CKPT_FILE was given */
	int		file_inherited;		/* ... to an ancestor */
	int		verbose;		/* CKPT_VERBOSE */
	char		file[CKPT_PATH_MAX];	/* absolute image path */
	char		dir[CKPT_PATH_MAX];	/* start-up working directory */
	char		prog[256];		/* program name for the default */
	long		tid_offset;		/* glibc tid field from fs base */
	int		owner_pid;		/* CKPT_FILE's; 0 if not ours */
	unsigned long	owner_hash;		/* of CKPT_FILE, CKPT_INTERVAL */
};

/* State shared between the handler and the snapshot, set before fork. */
struct ckpt_shared {
	struct ckpt_slot	slots[CKPT_MAX_THREADS];
	int			nslots;
	int			pid;		/* the checkpointed process */
	int			owner;		/* ... is the owner */
	char			file[CKPT_PATH_MAX];
	uint64_t		t_signal;	/* CLOCK_MONOTONIC ns */
	volatile int		*status;	/* shared: last snapshot done */
	int			child_gen;	/* this snapshot's number */
	uint64_t		shared_pending;	/* the process's, likewise */
	int			dumpable;	/* PR_GET_DUMPABLE */
	int			subreaper;	/* PR_GET_CHILD_SUBREAPER */
	int			seccomp;	/* PR_GET_SECCOMP */
	int			thp_off;	/* PR_GET_THP_DISABLE */
};

extern struct ckpt_config	ckpt_cfg;
extern struct ckpt_shared	ckpt_snap;
extern struct fmt_restore_info	ckpt_mailbox;

/* ckpt_ctx.S */
int	ckpt_ctx_save(uint64_t regs[FMT_NREGS])
	    __attribute__((returns_twice));
long	ckpt_spawn(int (*fn)(void *), void *arg, void *stack_top,
	    unsigned long flags);

/* ckpt_main.c */
void	ckpt_say(const char *a, const char *b, const char *c);
extern int	ckpt_say_patient;
int	ckpt_starts(const char *s, const char *prefix);
/* 'end' bounds the writing: the last byte is kept for the NUL */
char	*ckpt_stpcpy(char *d, const char *s, char *end);
char	*ckpt_utoa(char *d, unsigned long v, char *end);
uint64_t ckpt_now_ns(void);
int	ckpt_each_number(const char *dir, int (*fn)(void *, int, int),
	    void *arg);
const char *ckpt_hex_digits(const char *p, uint64_t *v);
const char *ckpt_dec(const char *p, long *v);

/* ckpt_timers.c */
void	ckpt_timers_capture(long own_id);
int	ckpt_timer_siginfo(int signo, siginfo_t *si);
void	ckpt_timers_restore(const struct ckpt_slot *slots, int nslots,
	    int old_pid);

/* ckpt_wrap.c */
void	ckpt_wrap_init(void);
void	ckpt_disposition_set(int signo, void *handler);
const struct sigaction *ckpt_own_action(const struct sigaction *act,
	    struct sigaction *sa);

/* ckpt_kfds.c */
uint32_t ckpt_kfds_kind(const char *path);
void	ckpt_kfds_capture(struct ckpt_fdset *set, struct ckpt_fdinfo *d);
int	ckpt_kfds_begin(void);
void	ckpt_kfds_done(void);

/* ckpt_inotify.c: the paths of inotify watches, noted as they are added */
#define CKPT_WATCHES		8192
struct ckpt_watch {
	int		used;		/* set last: the capture reads it */
	int		fd, wd;
	uint32_t	len;
	uint64_t	dev, ino;	/* st_dev, st_ino when added */
	char		path[CKPT_PATH_MAX];	/* absolute */
};
const struct ckpt_watch *ckpt_watch_find(int fd, int wd, uint64_t dev,
	    uint64_t ino);

/* ckpt_fds.c */
int	ckpt_fds_capture(struct ckpt_fdset *set);
void	ckpt_fds_release(struct ckpt_fdset *set);
void	ckpt_fds_collect(struct ckpt_fdset *set, uint8_t *buf, size_t cap);
void	ckpt_fds_shares(struct ckpt_fdset *set);

/*
 * ckpt_write.c.  The arena, mapped by the leader and inherited by the
 * snapshot, which leaves it out of the image:
 *   [ snapshot's working memory ... | stage | fd set | snapshot's stack ]
 */
#define CKPT_ARENA_SIZE		(1UL << 30)	/* reserved, touched as needed */
#define CKPT_CHILD_STACK	(1UL << 20)
#define CKPT_FDSET_OFF		((CKPT_ARENA_SIZE - CKPT_CHILD_STACK - \
	sizeof(struct ckpt_fdset)) & ~4095UL)
int	ckpt_child_main(void *arena);

/*
 * PAGEMAP_SCAN (Linux 6.7) lists the populated ranges of memory in one
 * call.  Defined here as older headers lack it.
 */
struct ckpt_scan_arg {
	uint64_t	size, flags, start, end, walk_end, vec, vec_len;
	uint64_t	max_pages, inverted, mask, anyof, ret;
};
struct ckpt_page_range {
	uint64_t	start, end, categories;
};
#define CKPT_PAGEMAP_SCAN	_IOWR('f', 16, struct ckpt_scan_arg)
#define CKPT_PAGE_IS_PRESENT	(1U << 3)
#define CKPT_PAGE_IS_SWAPPED	(1U << 4)
#define CKPT_PAGE_IS_PFNZERO	(1U << 5)
#define CKPT_PAGE_IS_GUARD	(1U << 8)	/* Linux 6.15 */
long	ckpt_scan_pages(int fd, struct ckpt_page_range *vec, long nvec,
	    uint64_t at, uint64_t end, uint64_t max_pages, uint64_t skip,
	    uint64_t *walk_end);

/*
 * ckpt_stage.c.  The regions whose pages the leader copied out before the
 * fork, in the arena at CKPT_STAGE_OFF:
 *   [ struct ckpt_stage | ranges found | ranges copied | scratch ]
 * A staged region's pages that are not all zeros are range[first, first +
 * nranges), copied in that order to buf; a region not marked 'staged' was
 * left to the fork after all.
 */
#define CKPT_STAGE_REGS		64
#define CKPT_STAGE_RANGES	(8UL << 20)
#define CKPT_STAGE_SCRATCH	(64UL << 20)
struct ckpt_stage_range {
	uint64_t	start, end;
};
struct ckpt_stage_reg {
	uint64_t	start, end;	/* the whole mapping */
	uint64_t	first, nranges, pages;
	uint64_t	buf;		/* where its pages are */
	int		staged;		/* marked wipe-on-fork, copied */
};
struct ckpt_stage {
	uint32_t		 nregs;
	struct ckpt_stage_reg	 reg[CKPT_STAGE_REGS];
	uint64_t		 nranges;
	struct ckpt_stage_range	*range;		/* found, then copied */
	struct ckpt_stage_range	*copied;
	char			*scratch;
	uint64_t		 map, map_len, buf;
	uint64_t		 skip;		/* page categories not to copy */
	uint64_t		 smaps_len;	/* smaps read at the instant, in
						   scratch, or 0 */
	struct ckpt_page_range	 vec[256];	/* for PAGEMAP_SCAN */
	uint64_t		 cursor;	/* copied up to here */
	uint64_t		 fault_top;	/* the helper's start */
	int			 stop;		/* the copy is done */
	long			 smaps_tid;	/* reading smaps; 0 not yet,
						   -1 not to be */
	long			 smaps_got;	/* what it read, or -errno */
};
#define CKPT_STAGE_SIZE		(((sizeof(struct ckpt_stage) + 4095) & \
	~4095UL) + 2 * CKPT_STAGE_RANGES * sizeof(struct ckpt_stage_range) + \
	CKPT_STAGE_SCRATCH)
#define CKPT_STAGE_OFF		((CKPT_FDSET_OFF - CKPT_STAGE_SIZE) & ~4095UL)
int	ckpt_stage_prepare(void *arena);
void	ckpt_stage_release(void *arena);

/*
 * ckpt_stage.c.  Memory the program marked MADV_DONTFORK (V8, so node,
 * marks its whole heap so) would be missing from the snapshot: it is
 * marked MADV_DOFORK for the fork and MADV_DONTFORK again after.  Looked
 * for only once the program asked for it through madvise (ckpt_wrap.c).
 */
extern int	ckpt_dontfork_seen;
void	ckpt_dontfork_prepare(void *arena);
void	ckpt_dontfork_release(void);
long	ckpt_slurp(const char *path, void *buf, size_t cap);
long	ckpt_each_line(const char *path, void (*fn)(void *arg, const char *line),
	    void *arg);
int	ckpt_page_is_zero(const uint8_t *p);
int	ckpt_ncpus(void);
int	ckpt_read_stat(uint64_t f[53]);

#endif /* CKPT_CKPT_H */
