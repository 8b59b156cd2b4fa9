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
 * Memory is cut into windows of CKPT_CHUNK bytes.  Worker threads (raw
 * clones, one per CPU) take windows in order, find the all-zero pages
 * (private anonymous pages the kernel never populated are skipped through
 * /proc/self/pagemap without being touched), and compress each run of
 * non-zero pages into a chunk in their slot of a ring; the snapshot's main
 * thread writes the slots in window order, so the stream stays one pass:
 *
 *     workers:  w0 w1 w2 w3 ... --compress--> ring[w % NSLOTS]
 *     writer:   ring[0], ring[1], ... --fmt_write_chunk--> temp file
 *
 * Memory is read through /proc/self/mem, a window at a time, into the
 * slot: that reads regardless of protection, never raises SIGBUS past a
 * file's end, and is much faster here than touching the snapshot's pages
 * directly: on a virtual machine the first user-mode access to each page
 * of a freshly forked address space costs a trap to the hypervisor (about
 * 2 s per GiB measured here, against 0.3 s per GiB for the kernel's copy).
 * The image goes to a temporary file beside the target, is fsync'd and
 * renamed over it: the file at the target name is always a complete image.
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
#include <sys/mman.h>
#include <sys/utsname.h>

#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "ckpt.h"
#include "fmt_sys.h"

#define PAGE		4096UL
#define NSLOTS		(2 * CKPT_MAX_WORKERS + 2)
#define WORKER_STACK	(512UL << 10)
#define MAPS_MAX	(64UL << 20)
#define PIPE_DATA_MAX	(64UL << 20)

/* One window's output, handed from a worker to the writer. */
struct ckpt_ring_slot {
	volatile int		 free_for;	/* window it may take next */
	volatile int		 done_for;	/* window it holds, once done */
	int			 err;
	uint32_t		 nchunks;
	struct fmt_chunk	 chunks[CKPT_CHUNK / PAGE];
	uint8_t			*in;		/* /proc/self/mem copy */
	uint8_t			*out;
	size_t			 out_cap;
	uint64_t		 pagemap[CKPT_CHUNK / PAGE];
};

/* A region as the snapshot sees it. */
struct ckpt_reg {
	struct fmt_region	r;
	uint32_t		index;		/* in the image */
	int			first_window;
	int			nwindows;
	int			use_pagemap;
};

struct ckpt_worker {
	struct ckpt_child	*c;
	ZSTD_CCtx		*cctx;
	uint8_t			*stack_top;
};

struct ckpt_child {
	uint8_t			*arena, *arena_end, *brk;
	int			 memfd, pagemapfd, outfd;
	char			*maps;
	struct ckpt_reg		*regs;
	uint32_t		 nregs;
	int			 nwindows;
	volatile int		 next_window;
	volatile int		 workers_done;
	int			 nworkers;
	struct ckpt_worker	 workers[CKPT_MAX_WORKERS];
	struct ckpt_ring_slot	*ring;
	struct fmt_writer	 w;
	char			 tmp[CKPT_PATH_MAX + 32];
	char			 dir[CKPT_PATH_MAX];
	uint8_t			 proc_buf[3][4096];	/* cmdline, auxv, ... */
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
	sys_futex(a, FUTEX_WAIT, v, NULL);
}

static void
ckpt_futex_wake(volatile int *a)
{
	sys_futex(a, FUTEX_WAKE, INT32_MAX, NULL);
}

/* Reads a whole small /proc file into buf; returns its length or -errno. */
static long
ckpt_slurp(const char *path, void *buf, size_t cap)
{
	long fd, n, got = 0;

	fd = sys_openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	while ((size_t)got < cap &&
	    (n = sys_read(fd, (char *)buf + got, cap - got)) > 0)
		got += n;
	sys_close(fd);
	return n < 0 ? n : got;
}

static int
ckpt_write_all(void *arg, const void *buf, size_t len)
{
	struct ckpt_child *c = arg;
	const uint8_t *p = buf;

	while (len > 0) {
		long n = sys_write(c->outfd, p, len > (1UL << 30) ?
		    (1UL << 30) : len);

		if (n == -EINTR)
			continue;
		if (n < 0)
			return n;
		if (n == 0)
			return -EIO;
		p += n;
		len -= n;
	}
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

/* Fields 26-28 and 45-51 of /proc/self/stat: the kernel's mm layout. */
static int
ckpt_read_mm(struct fmt_mm *mm)
{
	char buf[2048];
	const char *p;
	uint64_t f[64];
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
	if (i <= 51)
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
	n = ckpt_slurp("/proc/self/auxv", c->proc_buf[1],
	    sizeof(c->proc_buf[1]));
	if (n > 0) {
		p->auxv.p = c->proc_buf[1];
		p->auxv.len = n;
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
	if (n > 0) {
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
ckpt_add_region(struct ckpt_child *c, const struct fmt_region *r,
    uint32_t cap)
{
	struct ckpt_reg *g;

	if (c->nregs == cap)
		return -1;
	g = &c->regs[c->nregs];
	memset(g, 0, sizeof(*g));
	g->r = *r;
	g->index = c->nregs++;
	return 0;
}

/*
 * Reads /proc/self/maps and keeps every region but the arena (which may
 * have merged with a neighbour, so it is cut out of whatever holds it).
 */
static int
ckpt_read_regions(struct ckpt_child *c)
{
	uint64_t as = (uintptr_t)c->arena, ae = as + CKPT_ARENA_SIZE;
	long n, len = 0, fd;
	uint32_t cap;
	char *line, *end;

	c->maps = ckpt_alloc(c, MAPS_MAX);
	if (c->maps == NULL)
		return -ENOMEM;
	fd = sys_openat(AT_FDCWD, "/proc/self/maps", O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	while (len < (long)MAPS_MAX - 1 &&
	    (n = sys_read(fd, c->maps + len, MAPS_MAX - 1 - len)) > 0)
		len += n;
	sys_close(fd);
	if (n < 0)
		return n;
	c->maps[len] = '\0';
	cap = 2;
	for (n = 0; n < len; n++)
		cap += c->maps[n] == '\n';
	c->regs = ckpt_alloc(c, cap * sizeof(*c->regs));
	if (c->regs == NULL)
		return -ENOMEM;
	for (line = c->maps; line < c->maps + len; line = end + 1) {
		struct fmt_region r, part;

		end = line;
		while (end < c->maps + len && *end != '\n')
			end++;
		if (fmt_parse_maps_line(line, end - line, &r) < 0)
			return -EINVAL;
		if (r.end <= as || r.start >= ae) {
			if (ckpt_add_region(c, &r, cap) < 0)
				return -ENOMEM;
			continue;
		}
		part = r;
		if (r.start < as) {
			part.end = as;
			if (ckpt_add_region(c, &part, cap) < 0)
				return -ENOMEM;
		}
		if (r.end > ae) {
			part = r;
			part.start = ae;
			if (ckpt_add_region(c, &part, cap) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

static void
ckpt_plan_windows(struct ckpt_child *c)
{
	uint32_t i;
	int w = 0;

	for (i = 0; i < c->nregs; i++) {
		struct ckpt_reg *g = &c->regs[i];
		uint64_t len = g->r.end - g->r.start;
		int anon_private = (g->r.flags & FMT_R_ANON) &&
		    !(g->r.flags & FMT_R_SHARED);

		g->first_window = w;
		if (g->r.kind != FMT_K_MEMORY)
			continue;
		g->nwindows = (len + CKPT_CHUNK - 1) / CKPT_CHUNK;
		g->use_pagemap = anon_private;
		w += g->nwindows;
	}
	c->nwindows = w;
}

/* ---- workers ----------------------------------------------------------- */

static int
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

/* Copies pages [first, first+n) of the window through /proc/self/mem;
 * pages that cannot be read (past a file's end) become holes. */
static void
ckpt_copy_in(struct ckpt_child *c, struct ckpt_ring_slot *s, uint64_t base,
    size_t first, size_t n, uint8_t *present)
{
	long r = sys_pread(c->memfd, s->in + first * PAGE, n * PAGE,
	    base + first * PAGE);
	size_t i;

	if (r == (long)(n * PAGE))
		return;
	for (i = first; i < first + n; i++)
		if (sys_pread(c->memfd, s->in + i * PAGE, PAGE,
		    base + i * PAGE) != (long)PAGE)
			present[i] = 0;
}

static int
ckpt_do_window(struct ckpt_worker *wk, struct ckpt_ring_slot *s, int w)
{
	struct ckpt_child *c = wk->c;
	struct ckpt_reg *g = ckpt_window_region(c, w);
	uint64_t off = (uint64_t)(w - g->first_window) * CKPT_CHUNK;
	uint64_t base = g->r.start + off;
	size_t len = g->r.end - base < CKPT_CHUNK ? g->r.end - base :
	    CKPT_CHUNK;
	size_t npages = len / PAGE, i, used = 0;
	uint8_t present[CKPT_CHUNK / PAGE];
	const uint8_t *src;

	s->nchunks = 0;
	for (i = 0; i < npages; i++)
		present[i] = 1;
	if (g->use_pagemap) {
		long r = sys_pread(c->pagemapfd, s->pagemap, npages * 8,
		    (base / PAGE) * 8);

		if (r == (long)(npages * 8))
			for (i = 0; i < npages; i++)
				present[i] = (s->pagemap[i] >> 62) != 0;
	}
	for (i = 0; i < npages; ) {
		size_t j = i;

		while (j < npages && present[j])
			j++;
		if (j > i)
			ckpt_copy_in(c, s, base, i, j - i, present);
		i = j + 1;
	}
	src = s->in;
	for (i = 0; i < npages; i++)
		if (present[i] && ckpt_page_is_zero(src + i * PAGE))
			present[i] = 0;
	for (i = 0; i < npages; ) {
		struct fmt_chunk *ch;
		size_t j = i;
		int rc;

		if (!present[i]) {
			i++;
			continue;
		}
		while (j < npages && present[j])
			j++;
		ch = &s->chunks[s->nchunks];
		rc = fmt_chunk_compress((struct ZSTD_CCtx_s *)wk->cctx,
		    src + i * PAGE, (j - i) * PAGE, s->out + used,
		    s->out_cap - used, ch);
		if (rc < 0)
			return rc;
		ch->region = g->index;
		ch->offset = off + i * PAGE;
		ch->frame = s->out + used;
		used += ch->stored_len;
		s->nchunks++;
		i = j;
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
		s = &c->ring[w % NSLOTS];
		while ((f = __atomic_load_n(&s->free_for, __ATOMIC_ACQUIRE))
		    != w)
			ckpt_futex_wait(&s->free_for, f);
		s->err = ckpt_do_window(wk, s, w);
		__atomic_store_n(&s->done_for, w, __ATOMIC_RELEASE);
		ckpt_futex_wake(&s->done_for);
	}
	__atomic_add_fetch(&c->workers_done, 1, __ATOMIC_RELEASE);
	ckpt_futex_wake(&c->workers_done);
	return 0;
}

static int
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
	size_t wsz = ZSTD_estimateCCtxSize(ckpt_cfg.level);
	size_t bound = fmt_chunk_bound(CKPT_CHUNK) + CKPT_CHUNK / 4;
	int i;

	c->ring = ckpt_alloc(c, NSLOTS * sizeof(*c->ring));
	if (c->ring == NULL)
		return -ENOMEM;
	for (i = 0; i < NSLOTS; i++) {
		struct ckpt_ring_slot *s = &c->ring[i];

		s->free_for = i;
		s->done_for = -1;
		s->in = ckpt_alloc(c, CKPT_CHUNK);
		s->out = ckpt_alloc(c, bound);
		s->out_cap = bound;
		if (s->in == NULL || s->out == NULL)
			return -ENOMEM;
	}
	c->nworkers = ckpt_ncpus();
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
	for (i = 0; i < ckpt_snap.nslots; i++)
		if (ckpt_snap.slots[i].tid != ckpt_snap.pid &&
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
			struct ckpt_ring_slot *s = &c->ring[w % NSLOTS];
			uint32_t k;
			int d;

			while ((d = __atomic_load_n(&s->done_for,
			    __ATOMIC_ACQUIRE)) != w)
				ckpt_futex_wait(&s->done_for, d);
			rc = s->err;
			for (k = 0; rc == 0 && k < s->nchunks; k++)
				rc = fmt_write_chunk(&c->w, &s->chunks[k],
				    s->chunks[k].frame);
			__atomic_store_n(&s->free_for, w + NSLOTS,
			    __ATOMIC_RELEASE);
			ckpt_futex_wake(&s->free_for);
		}
	}
	return rc;
}

static void
ckpt_split_path(struct ckpt_child *c, const char *file)
{
	size_t n = strlen(file), slash = 0, i;
	char *p;

	for (i = 0; i < n; i++)
		if (file[i] == '/')
			slash = i;
	memcpy(c->dir, file, slash);
	c->dir[slash == 0 ? 1 : slash] = '\0';
	if (slash == 0)
		c->dir[0] = '/';
	/* "<dir>/.<name>.tmp.<pid>" beside the target */
	memcpy(c->tmp, file, slash + 1);
	p = c->tmp + slash + 1;
	*p++ = '.';
	memcpy(p, file + slash + 1, n - slash - 1);
	p += n - slash - 1;
	memcpy(p, ".tmp.", 5);
	p += 5;
	{
		char d[16];
		int k = 0, pid = ckpt_snap.pid;

		do {
			d[k++] = '0' + pid % 10;
			pid /= 10;
		} while (pid != 0);
		while (k > 0)
			*p++ = d[--k];
	}
	*p = '\0';
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
	if (proc == NULL || scratch == NULL || idx == NULL)
		return -ENOMEM;
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
	return 0;
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
	uint64_t t_end = ckpt_now_ns();

	p = ckpt_stpcpy(p, "checkpoint written: ", end);
	p = ckpt_fixed(p, c->w.total_raw * 1000 >> 20, 1, end);
	p = ckpt_stpcpy(p, " MiB of memory, ", end);
	p = ckpt_fixed(p, c->w.off * 1000 >> 20, 1, end);
	p = ckpt_stpcpy(p, " MiB stored, paused ", end);
	p = ckpt_fixed(p, (t_fork - ckpt_snap.t_signal) / 1000, 1, end);
	p = ckpt_stpcpy(p, " ms, took ", end);
	p = ckpt_fixed(p, (t_end - ckpt_snap.t_signal) / 1000000, 3, end);
	ckpt_stpcpy(p, " s", end);
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
	const char *file = ckpt_snap.file;
	long rc, dfd;
	sigset_t all;

	sigfillset(&all);
	sys_rt_sigprocmask(SIG_SETMASK, &all, NULL);
	c->arena = arena;
	c->arena_end = (uint8_t *)arena + CKPT_FDSET_OFF;
	c->brk = (uint8_t *)arena + sizeof(*c);
	c->memfd = sys_openat(AT_FDCWD, "/proc/self/mem",
	    O_RDONLY | O_CLOEXEC, 0);
	c->pagemapfd = sys_openat(AT_FDCWD, "/proc/self/pagemap",
	    O_RDONLY | O_CLOEXEC, 0);
	if (c->memfd < 0 || c->pagemapfd < 0) {
		ckpt_say(file, "cannot read own memory",
		    fmt_strerror(c->memfd < 0 ? c->memfd : c->pagemapfd));
		ckpt_child_exit(1);
	}
	if ((rc = ckpt_read_regions(c)) < 0) {
		ckpt_say(file, "cannot read /proc/self/maps", fmt_strerror(rc));
		ckpt_child_exit(1);
	}
	ckpt_plan_windows(c);
	ckpt_split_path(c, file);
	c->outfd = sys_openat(AT_FDCWD, c->tmp, O_WRONLY | O_CREAT | O_EXCL |
	    O_CLOEXEC, 0600);
	if (c->outfd < 0) {
		ckpt_say(c->tmp, fmt_strerror(c->outfd), NULL);
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
	if (rc == 0)
		rc = sys_renameat(AT_FDCWD, c->tmp, AT_FDCWD, file);
	if (rc < 0) {
		sys_unlinkat(AT_FDCWD, c->tmp, 0);
		ckpt_say(file, fmt_strerror(rc), NULL);
		ckpt_child_exit(1);
	}
	dfd = sys_openat(AT_FDCWD, c->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC,
	    0);
	if (dfd >= 0) {
		sys_fsync(dfd);
		sys_close(dfd);
	}
	if (ckpt_cfg.verbose)
		ckpt_report(c, t_fork);
	ckpt_child_exit(0);
}
