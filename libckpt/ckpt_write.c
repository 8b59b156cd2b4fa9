/*
 * ckpt_write.c - the snapshot: a copy-on-write fork of the program that
 * writes the image while the program runs on.
 *
 * The snapshot has one thread (the leader's copy) on a stack inside its
 * arena, a private mapping the leader made just before the fork.  All its
 * working memory comes from that arena, which it leaves out of the image;
 * it writes no libckpt global, so the image holds exactly the memory of
 * the instant of the fork.  It uses raw system calls and zstd only: the
 * program's malloc or stdio may have been interrupted mid-way and their
 * locks may be held by threads that do not exist here.
 *
 * Memory is cut into windows of up to CKPT_CHUNK bytes.  Of private
 * anonymous memory only what the kernel populated is listed, with
 * PAGEMAP_SCAN, and scattered pages are packed together, so the work grows
 * with the memory used, not the memory reserved (without PAGEMAP_SCAN,
 * older kernels, every window is looked at and its holes skipped through
 * /proc/self/pagemap).  Worker threads (raw clones, one per CPU) take
 * windows in order, drop the all-zero pages and compress each run of
 * consecutive pages left into a chunk in their slot of a ring; the
 * snapshot's main thread writes the slots in window order, so the stream
 * stays one pass:
 *
 *     workers:  w0 w1 w2 w3 ... --compress--> ring[w % nslots]
 *     writer:   ring[0], ring[1], ... --fmt_write_chunk--> temp file
 *
 * Memory is read through /proc/self/mem, a window at a time, into the
 * slot: that reads regardless of protection, never raises SIGBUS past a
 * file's end, and is much faster here than touching the snapshot's pages
 * directly: on a virtual machine the first user-mode access to each page
 * of a freshly forked address space costs a trap to the hypervisor (about
 * 2 s per GiB measured here, against 0.3 s per GiB for the kernel's copy).
 * The image goes, with O_DIRECT, to a temporary file beside the target, is
 * fsync'd and renamed over it: the file at the target name is always a
 * complete image.  Only a regular file (or nothing) at the target is
 * replaced, and the temporary name, ".NAME.tmp.PID" with NAME cut short,
 * fits whatever name the target has.  The snapshot holds an flock on its
 * temporary file while it writes it, so that one left behind by a
 * snapshot that was killed (SIGKILL, the OOM killer), whatever its pid,
 * can be told from one being written: after each checkpoint, the
 * unlocked ones beside the target are removed (ckpt_sweep).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <linux/futex.h>
#include <sys/ioctl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "ckpt.h"
#include "fmt_sys.h"

#define PAGE		4096UL
#define SLOTS_PER_WORKER	3	/* ring slots: enough to cover a write */
#define WORKER_STACK	(512UL << 10)
#define MAPS_MAX	(64UL << 20)
#define PIPE_DATA_MAX	(64UL << 20)	/* unread pipe bytes, deleted files */
#define OUT_BUF		(4UL << 20)	/* bytes per write of the image */
#define OUT_ALIGN	4096UL		/* O_DIRECT: offsets, lengths, memory */
#define TMP_NAME_KEEP	200		/* bytes of the target's name kept */

/* One window's output, handed from a worker to the writer. */
struct ckpt_ring_slot {
	volatile int		 free_for;	/* window it may take next */
	volatile int		 done_for;	/* window it holds, once done */
	int			 err;
	uint32_t		 nchunks;
	struct fmt_chunk	 chunks[CKPT_CHUNK / PAGE];
	uint8_t			 pages[CKPT_CHUNK / PAGE * 4];	/* PAGES */
	uint8_t			*in;		/* /proc/self/mem copy */
	uint8_t			*out;
	size_t			 out_cap;
	uint64_t		 pagemap[CKPT_CHUNK / PAGE];
};

/* Part of a region to save, within one window. */
struct ckpt_piece {
	uint64_t		 off;		/* from the region's start */
	uint64_t		 len;
	uint64_t		 src;		/* its pages if staged, or 0 */
};

/* A region as the snapshot sees it. */
struct ckpt_reg {
	struct fmt_region	r;
	uint32_t		index;		/* in the image */
	long			first_window;
	long			nwindows;
	int			use_pagemap;	/* private anonymous */
	int			scanned;	/* windows from PAGEMAP_SCAN */
	const struct ckpt_stage_reg *stage;	/* its pages were copied */
};

struct ckpt_worker {
	struct ckpt_child	*c;
	ZSTD_CCtx		*cctx;
	uint8_t			*stack_top;
};

struct ckpt_child {
	uint8_t			*arena, *arena_end, *brk;
	int			 memfd, pagemapfd, outfd;
	int			 direct;	/* outfd has O_DIRECT */
	uint8_t			*obuf;		/* OUT_BUF bytes, aligned */
	size_t			 ofill;
	uint64_t		 ooff;		/* file offset of obuf */
	char			*maps;		/* /proc/self/maps, NUL ended */
	long			 maps_len;
	struct ckpt_reg		*regs;
	uint32_t		 nregs;
	const struct ckpt_stage	*stage;
	int			 nwindows;
	struct ckpt_piece	*piece;
	long			*wfirst;	/* window -> its first piece */
	struct ckpt_page_range	*scanvec;
	volatile int		 next_window;
	int			 nworkers;
	int			 nslots;
	struct ckpt_worker	 workers[CKPT_MAX_WORKERS];
	struct ckpt_ring_slot	*ring;
	struct fmt_writer	 w;
	char			 tmp[CKPT_PATH_MAX + 32];
	char			 dir[CKPT_PATH_MAX];
	const char		*base;		/* target's last component */
	char			 msg[CKPT_PATH_MAX + 64];
	uint8_t			 proc_buf[3][4096];	/* cmdline, auxv, ... */
	long			 auxv_len;	/* in proc_buf[1], or -errno */
	char			 exe[CKPT_PATH_MAX], cwd[CKPT_PATH_MAX];
	struct utsname		 uts;
};

static void *
ckpt_alloc(struct ckpt_child *c, size_t len)
{
	uint8_t *p = (uint8_t *)(((uintptr_t)c->brk + 63) & ~(uintptr_t)63);

	if (len > (size_t)(c->arena_end - p))
		return NULL;
	c->brk = p + len;
	return p;
}

static void
ckpt_futex_wait(volatile int *a, int v)
{
	sys_futex(a, FUTEX_WAIT_PRIVATE, v, NULL);
}

static void
ckpt_futex_wake(volatile int *a)
{
	sys_futex(a, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL);
}

/* Reads a whole small /proc file into buf; returns its length or -errno. */
long
ckpt_slurp(const char *path, void *buf, size_t cap)
{
	long fd, n = 0, got = 0;

	fd = sys_openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	while ((size_t)got < cap &&
	    (n = sys_read(fd, (char *)buf + got, cap - got)) > 0)
		got += n;
	sys_close(fd);
	return n < 0 ? n : got;
}

/*
 * Hands each line of the file at path to fn, however long the lines: a
 * /proc status file's Groups line alone can hold 65536 groups, 700 KB,
 * and the fields after it (SigPnd, VmPTE) must not be cut off.  Lines
 * pass through a buffer on the stack; fn sees the first 511 bytes of a
 * longer line, NUL-terminated, without its newline.  0, or the negative
 * errno of the open or of a read.
 */
long
ckpt_each_line(const char *path, void (*fn)(void *arg, const char *line),
    void *arg)
{
	char buf[512], *p, *nl;
	size_t have = 0, left;
	long fd, n;
	int skip = 0;

	fd = sys_openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	while ((n = sys_read(fd, buf + have, sizeof(buf) - 1 - have)) > 0) {
		have += (size_t)n;
		for (p = buf; (nl = memchr(p, '\n', (size_t)(buf + have -
		    p))) != NULL; p = nl + 1, skip = 0) {
			*nl = '\0';
			if (!skip)
				fn(arg, p);
		}
		left = (size_t)(buf + have - p);
		if (left == sizeof(buf) - 1) {
			/* a line longer than buf: its start is all fn needs */
			buf[left] = '\0';
			if (!skip)
				fn(arg, buf);
			skip = 1;
			left = 0;
		} else {
			memmove(buf, p, left);
		}
		have = left;
	}
	if (n == 0 && have > 0 && !skip) {
		buf[have] = '\0';
		fn(arg, buf);
	}
	sys_close(fd);
	return n < 0 ? n : 0;
}

/*
 * The image leaves through an aligned buffer written with O_DIRECT: the
 * page cache would copy every byte into memory the system has to find
 * first (on this project's VMs fresh pages cost about 2 s per GiB, more
 * than compressing them), and its dirty pages would only reach the disk
 * at fsync time.  A filesystem that refuses O_DIRECT gets buffered writes.
 */
static int
ckpt_flush(struct ckpt_child *c, size_t len)
{
	size_t done = 0;

	while (done < len) {
		long n = sys_pwrite(c->outfd, c->obuf + done, len - done,
		    c->ooff + done);

		if (n == -EINTR)
			continue;
		if (n == -EINVAL && c->direct) {
			long fl = sys_fcntl(c->outfd, F_GETFL, 0);

			if (fl < 0 || (n = sys_fcntl(c->outfd, F_SETFL,
			    fl & ~O_DIRECT)) < 0)
				return fl < 0 ? fl : n;
			c->direct = 0;
			continue;
		}
		if (n < 0)
			return n;
		if (n == 0)
			return -EIO;
		done += n;
	}
	c->ooff += len;
	return 0;
}

static int
ckpt_write_all(void *arg, const void *buf, size_t len)
{
	struct ckpt_child *c = arg;
	const uint8_t *p = buf;
	int rc;

	while (len > 0) {
		size_t n = OUT_BUF - c->ofill < len ? OUT_BUF - c->ofill : len;

		memcpy(c->obuf + c->ofill, p, n);
		c->ofill += n;
		p += n;
		len -= n;
		if (c->ofill == OUT_BUF) {
			if ((rc = ckpt_flush(c, OUT_BUF)) < 0)
				return rc;
			c->ofill = 0;
		}
	}
	return 0;
}

/* Writes what is buffered; a direct write is padded to the block size,
 * and the padding cut off again. */
static int
ckpt_write_tail(struct ckpt_child *c)
{
	size_t len = c->ofill, padded = len;
	int rc;

	if (c->direct) {
		padded = (len + OUT_ALIGN - 1) & ~(OUT_ALIGN - 1);
		memset(c->obuf + len, 0, padded - len);
	}
	if ((rc = ckpt_flush(c, padded)) < 0)
		return rc;
	c->ofill = 0;
	if (padded != len)
		return sys_ftruncate(c->outfd, c->ooff - padded + len);
	return 0;
}

/* ---- the process record ------------------------------------------------ */

static uint64_t
ckpt_parse_u64(const char **pp)
{
	const char *p = *pp;
	uint64_t v = 0;

	while (*p == ' ')
		p++;
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (*p++ - '0');
	*pp = p;
	return v;
}

/*
 * Fields 4 to 52 of /proc/self/stat into f[4..52] (a negative field reads
 * as 0); returns the number of the last field read, or -1.  Field 2, the
 * name, may hold spaces and ')': the last ')' ends it.
 */
int
ckpt_read_stat(uint64_t f[53])
{
	char buf[2048];
	const char *p;
	long n;
	int i;

	n = ckpt_slurp("/proc/self/stat", buf, sizeof(buf) - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = buf + n;
	while (p > buf && *p != ')')
		p--;
	if (*p != ')')
		return -1;
	p += 2;			/* ") " then the state letter */
	p++;
	for (i = 4; i <= 52 && *p != '\0'; i++) {
		f[i] = ckpt_parse_u64(&p);
		if (*p == '-') {	/* negative fields: skip */
			p++;
			ckpt_parse_u64(&p);
		}
	}
	return i - 1;
}

/* Fields 26-28 and 45-51 of /proc/self/stat: the kernel's mm layout. */
static int
ckpt_read_mm(struct fmt_mm *mm)
{
	uint64_t f[53];

	if (ckpt_read_stat(f) < 51)
		return -1;
	mm->start_code = f[26];
	mm->end_code = f[27];
	mm->start_stack = f[28];
	mm->start_data = f[45];
	mm->end_data = f[46];
	mm->start_brk = f[47];
	mm->brk = sys_call1(SYS_brk, 0);
	mm->arg_start = f[48];
	mm->arg_end = f[49];
	mm->env_start = f[50];
	mm->env_end = f[51];
	return 0;
}

static void
ckpt_fill_process(struct ckpt_child *c, struct fmt_process *p)
{
	struct timespec ts;
	long n;
	int i, old;

	memset(p, 0, sizeof(*p));
	p->present = FMT_P_VERSION | FMT_P_PID | FMT_P_UMASK |
	    FMT_P_SIGACTIONS | FMT_P_RESTORE_INFO | FMT_P_CKPT_SIGNAL;
	p->version.p = PACKAGE_VERSION;
	p->version.len = strlen(PACKAGE_VERSION);
	p->pid = ckpt_snap.pid;
	if (sys_call2(SYS_clock_gettime, CLOCK_REALTIME, (long)&ts) == 0) {
		p->ctime_ns = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
		p->present |= FMT_P_CTIME;
	}
	if (sys_call1(SYS_uname, (long)&c->uts) == 0) {
		p->hostname.p = c->uts.nodename;
		p->hostname.len = strlen(c->uts.nodename);
		p->kernel.p = c->uts.release;
		p->kernel.len = strlen(c->uts.release);
		p->present |= FMT_P_HOSTNAME | FMT_P_KERNEL;
	}
	n = ckpt_slurp("/proc/self/cmdline", c->proc_buf[0],
	    sizeof(c->proc_buf[0]));
	if (n > 0) {
		p->cmdline.p = c->proc_buf[0];
		p->cmdline.len = n;
		p->present |= FMT_P_CMDLINE;
	}
	if (c->auxv_len > 0) {		/* read with mem (ckpt_child_main) */
		p->auxv.p = c->proc_buf[1];
		p->auxv.len = c->auxv_len;
		p->present |= FMT_P_AUXV;
	}
	n = sys_call4(SYS_readlinkat, AT_FDCWD, (long)"/proc/self/exe",
	    (long)c->exe, sizeof(c->exe));
	if (n > 0 && n < (long)sizeof(c->exe)) {
		p->exe.p = c->exe;
		p->exe.len = n;
		p->present |= FMT_P_EXE;
	}
	n = sys_call2(SYS_getcwd, (long)c->cwd, sizeof(c->cwd));
	/*
	 * A working directory that was removed has no path for getcwd; the
	 * kernel's name for it ("/dir (deleted)") is kept instead, so that
	 * restart says it cannot go back there rather than leave the
	 * program in restart's own without a word.
	 */
	if (n < 0 && (n = sys_call4(SYS_readlinkat, AT_FDCWD,
	    (long)"/proc/self/cwd", (long)c->cwd, sizeof(c->cwd) - 1)) > 0)
		c->cwd[n] = '\0';
	if (n > 0 && n < (long)sizeof(c->cwd)) {
		p->cwd.p = c->cwd;
		p->cwd.len = strlen(c->cwd);
		p->present |= FMT_P_CWD;
	}
	old = sys_call1(SYS_umask, 022);
	sys_call1(SYS_umask, old);
	p->umask = old;
	if (ckpt_read_mm(&p->mm) == 0)
		p->present |= FMT_P_MM;
	for (i = 1; i <= FMT_NSIG; i++) {
		struct { uint64_t h, f, r, m; } ks = { 0, 0, 0, 0 };

		if (i == SIGKILL || i == SIGSTOP)
			continue;
		if (sys_rt_sigaction(i, NULL, &ks) == 0) {
			p->sig[i - 1].handler = ks.h;
			p->sig[i - 1].flags = ks.f;
			p->sig[i - 1].restorer = ks.r;
			p->sig[i - 1].mask = ks.m;
		}
	}
	p->restore_info = (uint64_t)(uintptr_t)&ckpt_mailbox;
	if (ckpt_cfg.tid_offset != 0) {
		p->tid_offset = ckpt_cfg.tid_offset;
		p->present |= FMT_P_TID_OFFSET;
	}
	p->ckpt_signal = ckpt_cfg.signo;
}

/* ---- regions ----------------------------------------------------------- */

static int
ckpt_add_one(struct ckpt_child *c, const struct fmt_region *r, uint32_t cap)
{
	struct ckpt_reg *g;
	uint32_t j;

	if (c->nregs == cap)
		return -1;
	g = &c->regs[c->nregs];
	memset(g, 0, sizeof(*g));
	g->r = *r;
	g->index = c->nregs++;
	for (j = 0; j < c->stage->nregs; j++)
		if (c->stage->reg[j].staged &&
		    c->stage->reg[j].start == r->start &&
		    c->stage->reg[j].end == r->end)
			g->stage = &c->stage->reg[j];
	return 0;
}

/*
 * Adds r, cut where a staged region starts or ends: marked wipe-on-fork
 * for the fork, a staged region may have merged with a neighbour that was
 * marked so by the program.
 */
static int
ckpt_add_region(struct ckpt_child *c, const struct fmt_region *r,
    uint32_t cap)
{
	struct fmt_region rest = *r, part;
	uint32_t j;

	for (j = 0; j < c->stage->nregs; j++) {
		const struct ckpt_stage_reg *sg = &c->stage->reg[j];
		uint64_t cut[2] = { sg->start, sg->end };
		int e;

		if (!sg->staged)
			continue;
		for (e = 0; e < 2; e++)
			if (cut[e] > rest.start && cut[e] < rest.end) {
				part = rest;
				part.end = cut[e];
				if (ckpt_add_one(c, &part, cap) < 0)
					return -1;
				rest.start = cut[e];
			}
	}
	return ckpt_add_one(c, &rest, cap);
}

/*
 * Adds r without the parts in the nx ranges x[] (mappings of the
 * snapshot's own, which may have merged with a neighbour, so each is cut
 * out of whatever holds it).
 */
static int
ckpt_add_cut(struct ckpt_child *c, const struct fmt_region *r, uint32_t cap,
    const uint64_t (*x)[2], int nx)
{
	struct fmt_region part;

	if (nx == 0)
		return ckpt_add_region(c, r, cap);
	if (r->end <= x[0][0] || r->start >= x[0][1])
		return ckpt_add_cut(c, r, cap, x + 1, nx - 1);
	part = *r;
	if (r->start < x[0][0]) {
		part.end = x[0][0];
		if (ckpt_add_cut(c, &part, cap, x + 1, nx - 1) < 0)
			return -1;
	}
	if (r->end > x[0][1]) {
		part = *r;
		part.start = x[0][1];
		if (ckpt_add_cut(c, &part, cap, x + 1, nx - 1) < 0)
			return -1;
	}
	return 0;
}

/*
 * The kernel shows a newline in a mapped file's path as the four bytes
 * "\012" (and nothing else escaped): the path is made the file's again
 * where it lies, in the maps buffer, or restart could not reopen a shared
 * mapping of it.  A name really holding "\012" cannot be told apart; it
 * is taken for a newline, and restart, which checks the inode, warns.
 */
static void
ckpt_unescape_path(struct fmt_region *r)
{
	char *p = (char *)(uintptr_t)r->path.p;
	uint32_t i = 0, o = 0, n = r->path.len;

	while (i < n)
		if (n - i >= 4 && memcmp(p + i, "\\012", 4) == 0) {
			p[o++] = '\n';
			i += 4;
		} else
			p[o++] = p[i++];
	r->path.len = o;
}

/*
 * Reads /proc/self/maps and keeps every region but the arena and the
 * stage's buffer, and finds each staged region.
 */
static int
ckpt_read_regions(struct ckpt_child *c)
{
	const uint64_t x[2][2] = {
		{ (uintptr_t)c->arena, (uintptr_t)c->arena + CKPT_ARENA_SIZE },
		{ c->stage->map, c->stage->map + c->stage->map_len },
	};
	long n, len;
	uint32_t cap, i, j, found = 0, staged = 0;
	char *line, *end;

	c->maps = ckpt_alloc(c, MAPS_MAX);
	if (c->maps == NULL)
		return -ENOMEM;
	len = ckpt_slurp("/proc/self/maps", c->maps, MAPS_MAX - 1);
	if (len < 0)
		return len;
	c->maps[len] = '\0';
	c->maps_len = len;
	/* a cut may split one region in two, a staged region three */
	cap = 1 + 2 + 2 * CKPT_STAGE_REGS;
	for (n = 0; n < len; n++)
		cap += c->maps[n] == '\n';
	c->regs = ckpt_alloc(c, cap * sizeof(*c->regs));
	if (c->regs == NULL)
		return -ENOMEM;
	for (line = c->maps; line < c->maps + len; line = end + 1) {
		struct fmt_region r;

		end = line;
		while (end < c->maps + len && *end != '\n')
			end++;
		if (fmt_parse_maps_line(line, end - line, &r) < 0)
			return -EINVAL;
		ckpt_unescape_path(&r);
		if (ckpt_add_cut(c, &r, cap, x, c->stage->map != 0 ? 2 : 1) < 0)
			return -ENOMEM;
	}
	/* A staged region has no pages here: it must be found, or the
	 * image would hold it empty. */
	for (j = 0; j < c->stage->nregs; j++)
		staged += c->stage->reg[j].staged;
	for (i = 0; i < c->nregs; i++)
		found += c->regs[i].stage != NULL;
	return found == staged ? 0 : -EAGAIN;
}

/*
 * Each region's advice, from the VmFlags of the checkpointed process's
 * /proc/PID/smaps: not our own, as a fork does not inherit mlock.  When
 * the leader read it before the fork, to stage memory, that copy serves;
 * otherwise the process runs on meanwhile, so a region is given the flags
 * of the mapping that holds it, if one still does.  Advice is a hint, and
 * any failure here leaves it out.  Uses the tail of the maps buffer.
 */
static void
ckpt_read_advice(struct ckpt_child *c)
{
	char path[32] = "/proc/", *p, *line, *end;
	char *buf = c->maps + c->maps_len + 1;
	uint64_t start = 0, stop = 0;
	uint32_t advice, i = 0;
	struct fmt_region r;
	long len;

	p = ckpt_utoa(path + 6, ckpt_snap.pid, path + sizeof(path) - 8);
	memcpy(p, "/smaps", 7);
	if (c->stage->smaps_len > 0) {
		/* the leader read it at the instant, to stage memory */
		buf = c->stage->scratch;
		len = (long)c->stage->smaps_len;
	} else if ((len = ckpt_slurp(path, buf, c->maps + MAPS_MAX - buf)) <
	    0)
		return;
	for (line = buf; line < buf + len; line = end + 1) {
		for (end = line; end < buf + len && *end != '\n'; end++)
			;
		if (fmt_parse_vmflags(line, end - line, &advice) == 0) {
			/* regions are sorted, and so is smaps */
			while (i < c->nregs && c->regs[i].r.start < start)
				i++;
			for (; i < c->nregs && c->regs[i].r.end <= stop; i++)
				/* a staged region's "wf" is the leader's */
				c->regs[i].r.advice = c->regs[i].stage ==
				    NULL ? advice : advice & ~FMT_A_WIPEONFORK;
		} else if (fmt_parse_maps_line(line, end - line, &r) == 0) {
			start = r.start;
			stop = r.end;
		}
	}
}

/*
 * PAGEMAP_SCAN lists the populated ranges of a region in one call, where
 * reading /proc/self/pagemap costs 8 bytes per page mapped or not: a
 * process that reserved 64 GiB and touched 100 MiB would otherwise have
 * 65536 windows to look at.
 */
#define SCAN_VEC		256

/*
 * One PAGEMAP_SCAN call from 'at' to 'end' (at most max_pages pages, 0: no
 * limit): pages present or swapped, not the shared zero page nor of the
 * categories in skip, as up to nvec ranges.  Returns ranges found or
 * -errno; *walk_end is where it stopped.
 */
long
ckpt_scan_pages(int fd, struct ckpt_page_range *vec, long nvec, uint64_t at,
    uint64_t end, uint64_t max_pages, uint64_t skip, uint64_t *walk_end)
{
	struct ckpt_scan_arg a;
	long r;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.start = at;
	a.end = end;
	a.vec = (uintptr_t)vec;
	a.vec_len = nvec;
	a.max_pages = max_pages;
	a.inverted = CKPT_PAGE_IS_PFNZERO | skip;
	a.mask = CKPT_PAGE_IS_PFNZERO | skip;
	a.anyof = CKPT_PAGE_IS_PRESENT | CKPT_PAGE_IS_SWAPPED;
	a.ret = a.anyof;
	r = sys_call3(SYS_ioctl, fd, CKPT_PAGEMAP_SCAN, (long)&a);
	*walk_end = a.walk_end;
	return r;
}

static long
ckpt_scan(struct ckpt_child *c, uint64_t at, uint64_t end, uint64_t *walk_end)
{
	return ckpt_scan_pages(c->pagemapfd, c->scanvec, SCAN_VEC, at, end, 0,
	    0, walk_end);
}

/*
 * Windows are built from pieces, ranges of a region that hold pages: the
 * whole region cut at every CKPT_CHUNK, or with PAGEMAP_SCAN only what is
 * populated of private anonymous memory.  A window takes pieces until they
 * add up to CKPT_CHUNK bytes, so scattered pages still make full windows.
 * The planner runs twice: once counting (arrays NULL), once filling.
 */
struct ckpt_planner {
	struct ckpt_piece	*piece;
	long			*wfirst;
	long			 npieces, nwin;
	uint64_t		 fill;		/* bytes in the open window */
};

static void
ckpt_plan_add(struct ckpt_planner *p, uint64_t off, uint64_t len,
    uint64_t src)
{
	while (len > 0) {
		uint64_t n;

		if (p->fill == CKPT_CHUNK) {
			if (p->wfirst != NULL)
				p->wfirst[p->nwin] = p->npieces;
			p->nwin++;
			p->fill = 0;
		}
		n = CKPT_CHUNK - p->fill < len ? CKPT_CHUNK - p->fill : len;
		if (p->piece != NULL) {
			p->piece[p->npieces].off = off;
			p->piece[p->npieces].len = n;
			p->piece[p->npieces].src = src;
		}
		p->npieces++;
		p->fill += n;
		off += n;
		len -= n;
		if (src != 0)
			src += n;
	}
}

static int
ckpt_plan_region(struct ckpt_child *c, struct ckpt_planner *p,
    struct ckpt_reg *g)
{
	uint64_t at = g->r.start, next;
	long r, k;

	p->fill = CKPT_CHUNK;			/* a region opens a window */
	if (g->stage != NULL) {
		const struct ckpt_stage_range *sr = c->stage->range +
		    g->stage->first;
		uint64_t src = g->stage->buf;

		for (k = 0; k < (long)g->stage->nranges; k++) {
			ckpt_plan_add(p, sr[k].start - g->r.start,
			    sr[k].end - sr[k].start, src);
			src += sr[k].end - sr[k].start;
		}
	} else if (!g->scanned)
		ckpt_plan_add(p, 0, g->r.end - g->r.start, 0);
	else
		while (at < g->r.end) {
			if ((r = ckpt_scan(c, at, g->r.end, &next)) < 0)
				return r;
			for (k = 0; k < r; k++)
				ckpt_plan_add(p, c->scanvec[k].start -
				    g->r.start, c->scanvec[k].end -
				    c->scanvec[k].start, 0);
			if (next <= at || next > g->r.end)
				return -EIO;
			at = next;
		}
	return 0;
}

/* Numbers the windows: region i has windows [first_window, +nwindows). */
static int
ckpt_plan_windows(struct ckpt_child *c)
{
	struct ckpt_planner p;
	uint64_t next;
	uint32_t i;
	int pass, rc, scan;
	long np = 0, nw = 0;
	void *m;

	c->scanvec = ckpt_alloc(c, SCAN_VEC * sizeof(*c->scanvec));
	if (c->scanvec == NULL)
		return -ENOMEM;
	scan = ckpt_scan(c, (uintptr_t)c->arena, (uintptr_t)c->arena + PAGE,
	    &next) >= 0;
	for (pass = 0; pass < 2; pass++) {
		memset(&p, 0, sizeof(p));
		p.fill = CKPT_CHUNK;
		if (pass == 1) {
			if (nw > 0x7fffffff)
				return -E2BIG;
			m = sys_mmap(NULL, np * sizeof(*p.piece) +
			    (nw + 1) * sizeof(long), PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
			if (SYS_ERR(m))
				return (long)m;
			p.piece = m;
			p.wfirst = (long *)(p.piece + np);
		}
		for (i = 0; i < c->nregs; i++) {
			struct ckpt_reg *g = &c->regs[i];
			struct ckpt_planner saved = p;

			if (pass == 0) {
				g->use_pagemap = (g->r.flags & FMT_R_ANON) &&
				    !(g->r.flags & FMT_R_SHARED);
				g->scanned = g->use_pagemap && scan;
			}
			if (g->r.kind != FMT_K_MEMORY)
				rc = 0;
			else if ((rc = ckpt_plan_region(c, &p, g)) < 0 &&
			    pass == 0 && g->scanned) {
				/* a region the scan refuses: every window */
				p = saved;
				g->scanned = 0;
				rc = ckpt_plan_region(c, &p, g);
			}
			if (rc < 0)
				return rc;
			/* memory changed between the passes: cannot be */
			if (pass == 1 && (p.npieces > np || p.nwin > nw))
				return -EAGAIN;
			g->first_window = saved.nwin;
			g->nwindows = p.nwin - saved.nwin;
		}
		np = p.npieces;
		nw = p.nwin;
	}
	p.wfirst[nw] = np;
	c->piece = p.piece;
	c->wfirst = p.wfirst;
	c->nwindows = nw;
	return 0;
}

/* ---- workers ----------------------------------------------------------- */

int
ckpt_page_is_zero(const uint8_t *p)
{
	const uint64_t *q = (const uint64_t *)p;
	uint64_t acc = 0;
	size_t i, j;

	for (i = 0; i < PAGE / 8; i += 32) {
		for (j = 0; j < 32; j++)
			acc |= q[i + j];
		if (acc != 0)
			return 0;
	}
	return 1;
}

static struct ckpt_reg *
ckpt_window_region(struct ckpt_child *c, int w)
{
	uint32_t lo = 0, hi = c->nregs;

	while (hi - lo > 1) {
		uint32_t mid = (lo + hi) / 2;

		if (c->regs[mid].first_window <= w)
			lo = mid;
		else
			hi = mid;
	}
	while (lo + 1 < c->nregs && c->regs[lo].nwindows == 0)
		lo++;
	while (c->regs[lo].first_window + c->regs[lo].nwindows <= w)
		lo++;
	return &c->regs[lo];
}

/* Copies n pages from address 'from' into dst through /proc/self/mem;
 * pages that cannot be read (past a file's end) become holes. */
static void
ckpt_copy_in(struct ckpt_child *c, uint8_t *dst, uint64_t from, size_t n,
    uint8_t *present)
{
	size_t i;

	if (sys_pread(c->memfd, dst, n * PAGE, from) == (long)(n * PAGE))
		return;
	for (i = 0; i < n; i++)
		if (sys_pread(c->memfd, dst + i * PAGE, PAGE, from + i * PAGE)
		    != (long)PAGE)
			present[i] = 0;
}

/* Reads the pages of one piece into the slot from page 'at' on, marking
 * in present[] those to keep. */
static void
ckpt_read_piece(struct ckpt_child *c, struct ckpt_ring_slot *s,
    const struct ckpt_reg *g, const struct ckpt_piece *pc, size_t at,
    uint8_t *present)
{
	uint64_t base = pc->src != 0 ? pc->src : g->r.start + pc->off;
	size_t n = pc->len / PAGE, i, j;

	for (i = 0; i < n; i++)
		present[at + i] = 1;
	/* without PAGEMAP_SCAN the piece is a whole window: skip holes */
	if (g->use_pagemap && !g->scanned && sys_pread(c->pagemapfd,
	    s->pagemap, n * 8, (base / PAGE) * 8) == (long)(n * 8))
		for (i = 0; i < n; i++)
			present[at + i] = (s->pagemap[i] >> 62) != 0;
	for (i = 0; i < n; i = j + 1) {
		for (j = i; j < n && present[at + j]; j++)
			;
		if (j > i)
			ckpt_copy_in(c, s->in + (at + i) * PAGE, base + i * PAGE,
			    j - i, present + at + i);
	}
}

/*
 * Moves the window's pages to keep (present) to the front of s->in and
 * lists them in s->pages as one PAGES chunk would: 0 if it can (the last
 * within 2^32 pages of the first), with the number of pages in *n and the
 * first one's offset in *first.
 */
static int
ckpt_gather_pages(struct ckpt_ring_slot *s, const uint8_t *present,
    const uint64_t *off, size_t npages, uint32_t *n, uint64_t *first)
{
	size_t i, k = 0, lo = npages, hi = 0;

	/* before moving anything: the fallback needs the pages in place */
	for (i = 0; i < npages; i++)
		if (present[i]) {
			lo = i < lo ? i : lo;
			hi = i;
		}
	if (lo == npages || (off[hi] - off[lo]) / PAGE > UINT32_MAX)
		return -1;
	*first = off[lo];
	for (i = 0; i < npages; i++) {
		if (!present[i])
			continue;
		fmt_put32(s->pages + 4 * k, (uint32_t)((off[i] - *first) /
		    PAGE));
		if (k != i)
			memcpy(s->in + k * PAGE, s->in + i * PAGE, PAGE);
		k++;
	}
	*n = (uint32_t)k;
	return 0;
}

/*
 * Compresses window w into slot s.  Pages that are neither holes nor all
 * zeros and follow each other in memory make a run; a window of one run is
 * one chunk, a window of several (scattered pages, or pages around zero
 * pages) is one PAGES chunk: one frame, which compresses as well as one
 * run of them would and costs restart one frame to check instead of many.
 */
static int
ckpt_do_window(struct ckpt_worker *wk, struct ckpt_ring_slot *s, int w)
{
	struct ckpt_child *c = wk->c;
	struct ckpt_reg *g = ckpt_window_region(c, w);
	uint8_t present[CKPT_CHUNK / PAGE];
	uint64_t off[CKPT_CHUNK / PAGE];	/* page -> offset in region */
	size_t npages = 0, i, j, used = 0, runs;
	uint64_t first;
	uint32_t np;
	long k;

	s->nchunks = 0;
	for (k = c->wfirst[w]; k < c->wfirst[w + 1]; k++) {
		struct ckpt_piece pc = c->piece[k];

		for (i = 0; i < pc.len / PAGE; i++)
			off[npages + i] = pc.off + i * PAGE;
		/* staged pieces lie one after another: one read for all */
		while (pc.src != 0 && k + 1 < c->wfirst[w + 1] &&
		    c->piece[k + 1].src == pc.src + pc.len) {
			k++;
			for (i = 0; i < c->piece[k].len / PAGE; i++)
				off[npages + pc.len / PAGE + i] =
				    c->piece[k].off + i * PAGE;
			pc.len += c->piece[k].len;
		}
		ckpt_read_piece(c, s, g, &pc, npages, present);
		npages += pc.len / PAGE;
	}
	for (i = 0; i < npages; i++)
		if (present[i] && ckpt_page_is_zero(s->in + i * PAGE))
			present[i] = 0;
	for (i = 0, runs = 0; i < npages; i++)
		if (present[i] && (i == 0 || !present[i - 1] ||
		    off[i] != off[i - 1] + PAGE))
			runs++;
	if (runs > 1 && ckpt_gather_pages(s, present, off, npages, &np,
	    &first) == 0) {
		struct fmt_chunk *ch = &s->chunks[0];
		int rc = fmt_chunk_compress((struct ZSTD_CCtx_s *)wk->cctx,
		    s->in, np * PAGE, s->out, s->out_cap, ch);

		if (rc < 0)
			return rc;
		ch->region = g->index;
		ch->offset = first;
		ch->npages = np;
		ch->pages = s->pages;
		ch->frame = s->out;
		s->nchunks = 1;
		return 0;
	}
	for (i = 0; i < npages; i = j) {
		struct fmt_chunk *ch;
		int rc;

		if (!present[i]) {
			j = i + 1;
			continue;
		}
		for (j = i + 1; j < npages && present[j] &&
		    off[j] == off[j - 1] + PAGE; j++)
			;
		ch = &s->chunks[s->nchunks];
		rc = fmt_chunk_compress((struct ZSTD_CCtx_s *)wk->cctx,
		    s->in + i * PAGE, (j - i) * PAGE, s->out + used,
		    s->out_cap - used, ch);
		if (rc < 0)
			return rc;
		ch->region = g->index;
		ch->offset = off[i];
		ch->npages = 0;
		ch->pages = NULL;
		ch->frame = s->out + used;
		used += ch->stored_len;
		s->nchunks++;
	}
	return 0;
}

static int
ckpt_worker_main(void *arg)
{
	struct ckpt_worker *wk = arg;
	struct ckpt_child *c = wk->c;

	for (;;) {
		int w = __atomic_fetch_add(&c->next_window, 1,
		    __ATOMIC_ACQ_REL);
		struct ckpt_ring_slot *s;
		int f;

		if (w >= c->nwindows)
			break;
		s = &c->ring[w % c->nslots];
		while ((f = __atomic_load_n(&s->free_for, __ATOMIC_ACQUIRE))
		    != w)
			ckpt_futex_wait(&s->free_for, f);
		s->err = ckpt_do_window(wk, s, w);
		__atomic_store_n(&s->done_for, w, __ATOMIC_RELEASE);
		ckpt_futex_wake(&s->done_for);
	}
	return 0;
}

int
ckpt_ncpus(void)
{
	uint64_t mask[16];
	long n = sys_call3(SYS_sched_getaffinity, 0, sizeof(mask),
	    (long)mask);
	int cpus = 0;
	long i;

	for (i = 0; i < n / 8; i++)
		cpus += __builtin_popcountll(mask[i]);
	if (cpus < 1)
		cpus = 1;
	return cpus > CKPT_MAX_WORKERS ? CKPT_MAX_WORKERS : cpus;
}

static int
ckpt_start_workers(struct ckpt_child *c)
{
	size_t wsz = fmt_cctx_size(ckpt_cfg.level, CKPT_CHUNK);
	size_t bound = fmt_chunk_bound(CKPT_CHUNK) + CKPT_CHUNK / 4;
	int i;

	/*
	 * Each slot's buffers are memory the snapshot touches for the first
	 * time (on this project's VMs about 2 ms per MiB), so the ring is
	 * sized to the workers: enough for them to go on while the writer
	 * waits for the disk.
	 */
	c->nworkers = ckpt_ncpus();
	c->nslots = SLOTS_PER_WORKER * c->nworkers + 2;
	c->ring = ckpt_alloc(c, c->nslots * sizeof(*c->ring));
	if (c->ring == NULL)
		return -ENOMEM;
	for (i = 0; i < c->nslots; i++) {
		struct ckpt_ring_slot *s = &c->ring[i];

		s->free_for = i;
		s->done_for = -1;
		s->in = ckpt_alloc(c, CKPT_CHUNK);
		s->out = ckpt_alloc(c, bound);
		s->out_cap = bound;
		if (s->in == NULL || s->out == NULL)
			return -ENOMEM;
	}
	for (i = 0; i < c->nworkers; i++) {
		struct ckpt_worker *wk = &c->workers[i];
		void *ws = ckpt_alloc(c, wsz), *stack;

		wk->c = c;
		wk->cctx = ws == NULL ? NULL : ZSTD_initStaticCCtx(ws, wsz);
		if (wk->cctx == NULL || fmt_cctx_setup(
		    (struct ZSTD_CCtx_s *)wk->cctx, ckpt_cfg.level) < 0)
			return -ENOMEM;
		stack = ckpt_alloc(c, WORKER_STACK);
		if (stack == NULL)
			return -ENOMEM;
		wk->stack_top = (uint8_t *)stack + WORKER_STACK;
	}
	for (i = 0; i < c->nworkers; i++) {
		long r;

		r = ckpt_spawn(ckpt_worker_main, &c->workers[i],
		    c->workers[i].stack_top,
		    CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
		    CLONE_THREAD | CLONE_SYSVSEM);
		if (r < 0) {
			/* fewer workers still finish the job */
			c->nworkers = i;
			if (i == 0)
				return r;
			break;
		}
	}
	return 0;
}

/* ---- the stream -------------------------------------------------------- */

static int
ckpt_write_threads(struct ckpt_child *c)
{
	int i, rc;

	/* the process's main thread first: restart resumes it as main */
	for (i = 0; i < ckpt_snap.nslots; i++)
		if (ckpt_snap.slots[i].tid == ckpt_snap.pid &&
		    (rc = fmt_write_thread(&c->w, &ckpt_snap.slots[i].t)) < 0)
			return rc;
	/* tid 0: exited while being stopped (ckpt_drop_gone) */
	for (i = 0; i < ckpt_snap.nslots; i++)
		if (ckpt_snap.slots[i].tid != ckpt_snap.pid &&
		    ckpt_snap.slots[i].tid != 0 &&
		    (rc = fmt_write_thread(&c->w, &ckpt_snap.slots[i].t)) < 0)
			return rc;
	return 0;
}

static int
ckpt_write_fds(struct ckpt_child *c)
{
	struct ckpt_fdset *set = (struct ckpt_fdset *)(c->arena +
	    CKPT_FDSET_OFF);
	uint8_t *buf = ckpt_alloc(c, PIPE_DATA_MAX);
	int i, rc;

	if (buf == NULL)
		return -ENOMEM;
	ckpt_fds_collect(set, buf, PIPE_DATA_MAX);
	ckpt_fds_shares(set);
	for (i = 0; i < set->n; i++)
		if ((rc = fmt_write_fd(&c->w, &set->fd[i].f)) < 0)
			return rc;
	return 0;
}

static int
ckpt_write_memory(struct ckpt_child *c)
{
	uint32_t i;
	int w, rc = 0;

	for (i = 0; i < c->nregs && rc == 0; i++) {
		struct ckpt_reg *g = &c->regs[i];

		rc = fmt_write_region(&c->w, &g->r);
		for (w = g->first_window; rc == 0 &&
		    w < g->first_window + g->nwindows; w++) {
			struct ckpt_ring_slot *s = &c->ring[w % c->nslots];
			uint32_t k;
			int d;

			while ((d = __atomic_load_n(&s->done_for,
			    __ATOMIC_ACQUIRE)) != w)
				ckpt_futex_wait(&s->done_for, d);
			rc = s->err;
			for (k = 0; rc == 0 && k < s->nchunks; k++)
				rc = fmt_write_chunk(&c->w, &s->chunks[k],
				    s->chunks[k].frame);
			__atomic_store_n(&s->free_for, w + c->nslots,
			    __ATOMIC_RELEASE);
			ckpt_futex_wake(&s->free_for);
		}
	}
	return rc;
}

/*
 * The directory the image goes to, and the temporary file beside the
 * target that it is written through: "<dir>/.<name>.tmp.<pid>", <name> cut
 * to its first TMP_NAME_KEEP bytes so that a target name of up to NAME_MAX
 * bytes still leaves a legal temporary one.  The pid keeps two programs
 * that share a target directory apart; the name, programs with the same
 * pid in two pid namespaces that share it.
 */
static void
ckpt_split_path(struct ckpt_child *c, const char *file)
{
	char *end = c->tmp + sizeof(c->tmp), *p;
	size_t n = strlen(file), slash = 0, keep, i;

	for (i = 0; i < n; i++)
		if (file[i] == '/')
			slash = i;
	c->base = file[slash] == '/' ? file + slash + 1 : file;
	if (slash == 0)
		memcpy(c->dir, file[0] == '/' ? "/" : ".", 2);
	else {
		memcpy(c->dir, file, slash);
		c->dir[slash] = '\0';
	}
	keep = strlen(c->base) < TMP_NAME_KEEP ? strlen(c->base) :
	    TMP_NAME_KEEP;
	memcpy(c->tmp, file, c->base - file);
	p = c->tmp + (c->base - file);
	*p++ = '.';
	memcpy(p, c->base, keep);
	p = ckpt_stpcpy(p + keep, ".tmp.", end);
	ckpt_utoa(p, ckpt_snap.pid, end);
}

/* Says why a file of this type is not replaced by the image. */
static const char *
ckpt_not_regular(unsigned int mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return NULL;
	case S_IFDIR:
		return "is a directory, not a regular file; "
		    "checkpoint not written";
	case S_IFLNK:
		return "is a symbolic link, not a regular file; "
		    "checkpoint not written";
	case S_IFCHR:
		return "is a character device, not a regular file; "
		    "checkpoint not written";
	case S_IFBLK:
		return "is a block device, not a regular file; "
		    "checkpoint not written";
	case S_IFIFO:
		return "is a FIFO, not a regular file; checkpoint not written";
	case S_IFSOCK:
		return "is a socket, not a regular file; "
		    "checkpoint not written";
	}
	return "is not a regular file; checkpoint not written";
}

/*
 * A regular file with contents at CKPT_FILE is replaced only if it is a
 * ckpt image (an earlier checkpoint's, of any format version: FORMAT.md's
 * first 24 bytes): a name mistyped, or the program's own executable or
 * data given as CKPT_FILE, would otherwise be lost without a word.  One
 * that cannot be read is left to the rename to decide.  NULL, or why not.
 */
static const char *
ckpt_not_image(const char *file)
{
	uint8_t h[24];
	long fd, n;

	fd = sys_openat(AT_FDCWD, file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	n = sys_pread(fd, h, sizeof(h), 0);
	sys_close(fd);
	if (n < 0)
		return NULL;
	if (n == (long)sizeof(h) && fmt_le32(h) == FMT_SKIPPABLE_MAGIC &&
	    fmt_le32(h + 8) == FMT_REC_HEADER && fmt_le32(h + 12) == 0 &&
	    memcmp(h + 16, FMT_FILE_MAGIC, 8) == 0)
		return NULL;
	return "is not a ckpt image, not replaced; checkpoint not written";
}

/*
 * The image only ever replaces a regular file, or takes a name that is
 * free.  rename() would as readily put it over a device node or a FIFO
 * (as root, CKPT_FILE=/dev/null would replace the system's), or over a
 * symbolic link rather than what the link names; a symbolic link is
 * refused rather than followed, so what is replaced is always what
 * CKPT_FILE names.  Asked before anything is written and again just
 * before the rename; something put there between those two instants is
 * not seen.  Returns NULL, or why not.
 */
static const char *
ckpt_target_refused(struct ckpt_child *c, const char *file)
{
	struct stat st;
	long rc;

	rc = sys_call4(SYS_newfstatat, AT_FDCWD, (long)file, (long)&st,
	    AT_SYMLINK_NOFOLLOW);
	/* "dir/" and "dir/." name a directory even when there is none */
	if (rc == -ENOENT && c->base[0] != '\0' && strcmp(c->base, ".") != 0 &&
	    strcmp(c->base, "..") != 0)
		return NULL;
	if (rc < 0)
		return fmt_strerror(rc);
	if (!S_ISREG(st.st_mode))
		return ckpt_not_regular(st.st_mode);
	return st.st_size > 0 ? ckpt_not_image(file) : NULL;
}

/*
 * Creates the temporary file, O_EXCL so that nothing already there (a
 * symbolic link planted in a shared directory) is written through.  A
 * regular file there is stale: its name holds our pid and the target's,
 * and a snapshot killed before it could clean up (SIGKILL to the group,
 * the OOM killer, a pid namespace ending) leaves it behind, where the next
 * run in a container has the same pid.  It is removed and the create
 * tried once more; anything else there is left alone.
 */
static long
ckpt_open_tmp(struct ckpt_child *c)
{
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, tries;
	struct stat st;
	long fd;

	for (tries = 0;; tries++) {
		fd = sys_openat(AT_FDCWD, c->tmp, flags | O_DIRECT, 0600);
		c->direct = fd >= 0;
		if (fd == -EINVAL)
			fd = sys_openat(AT_FDCWD, c->tmp, flags, 0600);
		if (fd >= 0)
			sys_call2(SYS_flock, fd, LOCK_EX | LOCK_NB);
		if (fd != -EEXIST || tries > 0)
			return fd;
		if (sys_call4(SYS_newfstatat, AT_FDCWD, (long)c->tmp,
		    (long)&st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode) ||
		    sys_unlinkat(AT_FDCWD, c->tmp, 0) < 0)
			return fd;
	}
}

/*
 * Removes the temporary files of this target that snapshots killed while
 * writing left in directory dfd: named like ours but for the pid, regular,
 * and not locked by a snapshot writing them (ckpt_open_tmp).  The name is
 * checked to be the file locked just before it is removed.
 */
static void
ckpt_sweep(struct ckpt_child *c, const char *file, long dfd)
{
	const char *ours = c->tmp + (c->base - file);
	size_t plen = strlen(ours), off;
	struct stat a, b;
	char buf[2048];
	long n, fd;

	while (plen > 0 && ours[plen - 1] >= '0' && ours[plen - 1] <= '9')
		plen--;
	while ((n = sys_call3(SYS_getdents64, dfd, (long)buf,
	    sizeof(buf))) > 0)
		for (off = 0; off < (size_t)n; ) {
			const char *name = buf + off + 19, *d;
			unsigned short reclen;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			off += reclen;
			if (strncmp(name, ours, plen) != 0 ||
			    strcmp(name, ours) == 0 || name[plen] == '\0')
				continue;
			for (d = name + plen; *d >= '0' && *d <= '9'; d++)
				;
			if (*d != '\0')
				continue;
			fd = sys_openat(dfd, name, O_RDONLY | O_NOFOLLOW |
			    O_NONBLOCK | O_CLOEXEC, 0);
			if (fd < 0)
				continue;
			if (sys_call2(SYS_fstat, fd, (long)&a) == 0 &&
			    S_ISREG(a.st_mode) &&
			    sys_call2(SYS_flock, fd, LOCK_EX | LOCK_NB) == 0 &&
			    sys_call4(SYS_newfstatat, dfd, (long)name,
			    (long)&b, AT_SYMLINK_NOFOLLOW) == 0 &&
			    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
				sys_unlinkat(dfd, name, 0);
			sys_close(fd);
		}
}

static int
ckpt_write_image(struct ckpt_child *c)
{
	struct fmt_process *proc;
	struct fmt_index_entry *idx;
	void *scratch;
	size_t scratch_len = 1UL << 20;
	int rc;

	proc = ckpt_alloc(c, sizeof(*proc));
	scratch = ckpt_alloc(c, scratch_len);
	idx = ckpt_alloc(c, (c->nregs + 1) * sizeof(*idx));
	c->obuf = ckpt_alloc(c, OUT_BUF + OUT_ALIGN);
	if (proc == NULL || scratch == NULL || idx == NULL || c->obuf == NULL)
		return -ENOMEM;
	c->obuf = (uint8_t *)(((uintptr_t)c->obuf + OUT_ALIGN - 1) &
	    ~(uintptr_t)(OUT_ALIGN - 1));
	ckpt_fill_process(c, proc);
	fmt_writer_init(&c->w, ckpt_write_all, c, scratch, scratch_len, idx,
	    c->nregs + 1, CKPT_CHUNK);
	if ((rc = fmt_write_header(&c->w)) < 0 ||
	    (rc = fmt_write_process(&c->w, proc)) < 0 ||
	    (rc = ckpt_write_threads(c)) < 0 ||
	    (rc = ckpt_write_fds(c)) < 0 ||
	    (rc = ckpt_write_memory(c)) < 0 ||
	    (rc = fmt_write_end(&c->w)) < 0)
		return rc;
	return ckpt_write_tail(c);
}

/* v/1000 with 'digits' decimals (1 to 3): "12.3", "0.412". */
static char *
ckpt_fixed(char *p, uint64_t v_milli, int digits, char *end)
{
	uint64_t frac = v_milli % 1000, div = 100;
	int i;

	p = ckpt_utoa(p, v_milli / 1000, end);
	p = ckpt_stpcpy(p, ".", end);
	for (i = 0; i < digits; i++, div /= 10)
		p = ckpt_utoa(p, frac / div % 10, end);
	return p;
}

/* CKPT_VERBOSE: one line with what the checkpoint cost. */
static void
ckpt_report(struct ckpt_child *c, uint64_t t_fork)
{
	char line[256], *p = line, *end = line + sizeof(line);
	uint64_t t_end = ckpt_now_ns(), staged = 0;
	uint32_t i;

	p = ckpt_stpcpy(p, "checkpoint written: ", end);
	p = ckpt_fixed(p, c->w.total_raw * 1000 >> 20, 1, end);
	p = ckpt_stpcpy(p, " MiB of memory, ", end);
	p = ckpt_fixed(p, c->w.off * 1000 >> 20, 1, end);
	p = ckpt_stpcpy(p, " MiB stored, paused ", end);
	p = ckpt_fixed(p, (t_fork - ckpt_snap.t_signal) / 1000, 1, end);
	p = ckpt_stpcpy(p, " ms, took ", end);
	p = ckpt_fixed(p, (t_end - ckpt_snap.t_signal) / 1000000, 3, end);
	p = ckpt_stpcpy(p, " s", end);
	for (i = 0; i < c->stage->nregs; i++)
		if (c->stage->reg[i].staged)
			staged += c->stage->reg[i].pages * PAGE;
	if (staged > 0) {
		p = ckpt_stpcpy(p, " (", end);
		p = ckpt_fixed(p, staged * 1000 >> 20, 1, end);
		ckpt_stpcpy(p, " MiB of scattered pages copied before the fork)",
		    end);
	}
	ckpt_say(ckpt_snap.file, line, NULL);
}

/* Tells the parent, through the shared status word, that we are done. */
static __attribute__((noreturn)) void
ckpt_child_exit(int code)
{
	if (ckpt_snap.status != NULL)
		__atomic_store_n(ckpt_snap.status, ckpt_snap.child_gen,
		    __ATOMIC_RELEASE);
	sys_exit_group(code);
}

int
ckpt_child_main(void *arena)
{
	uint64_t t_fork = ckpt_now_ns();
	struct ckpt_child *c = arena;
	const char *file = ckpt_snap.file, *why = NULL;
	char *p;
	long rc, dfd;
	int undump;
	sigset_t all;

	sigfillset(&all);
	sys_rt_sigprocmask(SIG_SETMASK, &all, NULL);
	ckpt_say_patient = 1;
	c->arena = arena;
	c->arena_end = (uint8_t *)arena + CKPT_STAGE_OFF;
	c->stage = (const struct ckpt_stage *)((uint8_t *)arena +
	    CKPT_STAGE_OFF);
	c->brk = (uint8_t *)arena + sizeof(*c);
	ckpt_split_path(c, file);
	if ((why = ckpt_target_refused(c, file)) != NULL) {
		ckpt_say(file, why, NULL);
		ckpt_child_exit(1);
	}
	/*
	 * A program that made itself not dumpable (PR_SET_DUMPABLE 0, as
	 * ssh-agent and gpg-agent do) has its /proc files owned by root,
	 * and mem, pagemap and auxv refuse anyone else.  The flag is the
	 * address space's, so lifting it here, in the snapshot's copy,
	 * leaves the program's as it was; and only while these are opened
	 * and read, so that the snapshot, which holds the program's
	 * descriptors, is not open to ptrace by the same user as it writes.
	 */
	undump = sys_call1(SYS_prctl, PR_GET_DUMPABLE) == 0;
	if (undump)
		sys_call2(SYS_prctl, PR_SET_DUMPABLE, 1);
	c->memfd = sys_openat(AT_FDCWD, "/proc/self/mem",
	    O_RDONLY | O_CLOEXEC, 0);
	c->pagemapfd = sys_openat(AT_FDCWD, "/proc/self/pagemap",
	    O_RDONLY | O_CLOEXEC, 0);
	c->auxv_len = ckpt_slurp("/proc/self/auxv", c->proc_buf[1],
	    sizeof(c->proc_buf[1]));
	if (undump)
		sys_call2(SYS_prctl, PR_SET_DUMPABLE, 0);
	if (c->memfd < 0 || c->pagemapfd < 0) {
		ckpt_say(file, "cannot read own memory",
		    fmt_strerror(c->memfd < 0 ? c->memfd : c->pagemapfd));
		ckpt_child_exit(1);
	}
	if ((rc = ckpt_read_regions(c)) < 0) {
		ckpt_say(file, "cannot read /proc/self/maps", fmt_strerror(rc));
		ckpt_child_exit(1);
	}
	ckpt_read_advice(c);
	if ((rc = ckpt_plan_windows(c)) < 0) {
		ckpt_say(file, "cannot list the memory to save",
		    fmt_strerror(rc));
		ckpt_child_exit(1);
	}
	if ((c->outfd = ckpt_open_tmp(c)) < 0) {
		/* only when something is in the way does its name help */
		p = ckpt_stpcpy(c->msg, "cannot create ", c->msg +
		    sizeof(c->msg));
		ckpt_stpcpy(p, c->outfd == -EEXIST ? c->tmp + (c->base -
		    file) : "a file in its directory", c->msg +
		    sizeof(c->msg));
		ckpt_say(file, c->msg, fmt_strerror(c->outfd));
		ckpt_child_exit(1);
	}
	rc = ckpt_start_workers(c);
	if (rc == 0)
		rc = ckpt_write_image(c);
	if (rc == 0)
		rc = sys_fsync(c->outfd);
	if (rc == 0)
		rc = sys_close(c->outfd);
	else
		sys_close(c->outfd);
	if (rc == 0 && (why = ckpt_target_refused(c, file)) == NULL &&
	    (rc = sys_renameat(AT_FDCWD, c->tmp, AT_FDCWD, file)) < 0)
		/* another user's image in /tmp (sticky), an immutable one */
		why = "cannot put the new image in its place";
	if (rc < 0 || why != NULL) {
		sys_unlinkat(AT_FDCWD, c->tmp, 0);
		ckpt_say(file, why != NULL ? why : fmt_strerror(rc),
		    why != NULL && rc < 0 ? fmt_strerror(rc) : NULL);
		ckpt_child_exit(1);
	}
	dfd = sys_openat(AT_FDCWD, c->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC,
	    0);
	if (dfd >= 0) {
		sys_fsync(dfd);
		ckpt_sweep(c, file, dfd);
		sys_close(dfd);
	}
	if (ckpt_cfg.verbose)
		ckpt_report(c, t_fork);
	ckpt_child_exit(0);
}
