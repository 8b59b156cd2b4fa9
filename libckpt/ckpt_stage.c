/*
 * ckpt_stage.c - scattered memory copied out before the fork.
 *
 * A fork copies the page tables of private anonymous memory, one 4 KiB
 * table per 2 MiB that holds a page.  Memory touched a page here and there
 * over a large reservation makes that the whole pause: 100 MiB spread one
 * page per table over 64 GiB took 450-760 ms to fork here, where the same
 * pages in one block take under a millisecond.  So, with every thread
 * stopped, the leader copies the pages of such a region into one dense
 * buffer in huge pages (15 ms for those 100 MiB when the host has the
 * memory at hand, 90-220 ms when it must find it), marks the region
 * MADV_WIPEONFORK, so that the fork gives the snapshot the mapping without
 * its pages, and marks it MADV_KEEPONFORK again after the fork.  The
 * snapshot reads the region's pages from the buffer (ckpt_write.c), in the
 * image they are the region's as before: no format change.  Pages of zeros
 * are not copied (each would cost a fresh page, and they are holes in the
 * image anyway).
 *
 * Nothing is looked at unless the process has CKPT_STAGE_PTE_MIN kB of
 * page tables or more (VmPTE): the fork is cheap then, and reading
 * /proc/self/maps in the pause is not (20000 mappings took the pause of
 * a small program from 14-20 ms to 28-39 ms).
 *
 * A region is staged when it is private anonymous memory, not a stack,
 * readable, at least CKPT_STAGE_MIN_SPAN long, and holds at most
 * CKPT_STAGE_DENSITY pages per 2 MiB that holds any: fresh memory costs
 * about 9 us per page to fill here and a page table about 18 us to copy,
 * so denser memory is cheaper forked.  A region the program itself marked
 * wipe-on-fork or don't-fork (VmFlags "wf", "dc") is left alone, as its
 * mark must stay; /proc/self/smaps, which says so, is read by a second
 * thread while the scan goes on.  Everything here is best effort: whatever
 * fails, the region is simply forked.  Raw system calls only: this runs in
 * the signal handler.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "ckpt.h"
#include "fmt_sys.h"

#define PAGE			4096UL
#define HUGE			(2UL << 20)
#define CKPT_STAGE_MIN_SPAN	(64UL << 20)
#define CKPT_STAGE_DENSITY	2
#define CKPT_STAGE_MAX_BYTES	(4UL << 30)
#define CKPT_STAGE_HELP_MIN	(16UL << 20)	/* less: no helper thread */
#define CKPT_STAGE_HELPER_STACK	(64UL << 10)	/* top of the scratch */
#define CKPT_STAGE_SMAPS_CAP	(48UL << 20)	/* smaps, then maps, in the
						   scratch */
#define CKPT_STAGE_SMAPS_EARLY	256		/* pages found sparse: read
						   smaps meanwhile */
#define CKPT_STAGE_MAPS_CAP	(CKPT_STAGE_SCRATCH - CKPT_STAGE_SMAPS_CAP - \
	CKPT_STAGE_HELPER_STACK)
#define CKPT_STAGE_PTE_MIN	2048		/* kB of page tables, less: the
						   fork is cheap, maps unread */
#define CKPT_MADV_POPULATE_WRITE	23	/* Linux 5.14 */
#define CKPT_MADV_GUARD_INSTALL		102	/* Linux 6.13 */

static struct ckpt_stage *
ckpt_stage_of(void *arena)
{
	return (struct ckpt_stage *)((char *)arena + CKPT_STAGE_OFF);
}

/*
 * Reading /proc/self/smaps walks every page table, as the scan does: for
 * 100 MiB scattered over 64 GiB each took 40-55 ms here.  Once the scan
 * has seen a region look sparse, a thread reads smaps into the scratch
 * while the scan goes on, on the other CPU.  Raw system calls only, on
 * the helpers' stack at the top of the scratch, every signal blocked; it
 * is always waited for before that stack is used again or unmapped.
 */
static int
ckpt_stage_smaps_thread(void *arg)
{
	struct ckpt_stage *st = arg;
	uint64_t all = ~0ULL;

	sys_rt_sigprocmask(SIG_SETMASK, &all, NULL);
	__atomic_store_n(&st->smaps_got, ckpt_slurp("/proc/self/smaps",
	    st->scratch, CKPT_STAGE_SMAPS_CAP), __ATOMIC_RELEASE);
	return 0;
}

/* Starts fn on a raw thread on the helpers' stack: its tid, or 0. */
static long
ckpt_stage_spawn(struct ckpt_stage *st, int (*fn)(void *))
{
	long tid = ckpt_spawn(fn, st, st->scratch + CKPT_STAGE_SCRATCH,
	    CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
	    CLONE_SYSVSEM);

	return tid > 0 ? tid : 0;
}

static void
ckpt_stage_smaps_start(struct ckpt_stage *st)
{
	long tid;

	if (st->smaps_tid != 0)
		return;			/* running, or tried (-1) */
	st->smaps_tid = -1;
	if (ckpt_ncpus() < 2)
		return;
	st->smaps_got = -EAGAIN;
	if ((tid = ckpt_stage_spawn(st, ckpt_stage_smaps_thread)) > 0)
		st->smaps_tid = tid;
}

/* Waits until a helper thread is gone: its stack is in the arena. */
static void
ckpt_stage_join(long tid)
{
	int pid = sys_getpid();

	while (tid > 0 && sys_tgkill(pid, tid, 0) != -ESRCH)
		sys_call3(SYS_sched_yield, 0, 0, 0);
}

/* /proc/self/smaps in the scratch: the thread's, or read now. */
static long
ckpt_stage_smaps(struct ckpt_stage *st)
{
	if (st->smaps_tid <= 0)
		return ckpt_slurp("/proc/self/smaps", st->scratch,
		    CKPT_STAGE_SMAPS_CAP);
	ckpt_stage_join(st->smaps_tid);
	st->smaps_tid = 0;
	return __atomic_load_n(&st->smaps_got, __ATOMIC_ACQUIRE);
}

/*
 * Lists the populated pages of [start, end) into the stage's ranges and
 * returns how many pages they hold, or -1 when the region is too dense
 * (or too large) to be worth staging, or cannot be scanned.  Stops early:
 * a scan is limited to the pages a staged region may hold at most.
 * Guard pages (MADV_GUARD_INSTALL, Linux 6.13) are listed as swapped and
 * the copy would die on one: they are left out, and a kernel that has
 * them but cannot tell them (6.13, 6.14: EINVAL) stages nothing.
 */
static long
ckpt_stage_scan(struct ckpt_stage *st, int pmfd, uint64_t start,
    uint64_t end)
{
	struct ckpt_page_range *vec = st->vec;
	uint64_t at = start, limit, pages = 0, blocks = 0, last = ~0ULL, b;
	uint64_t next;
	long r, k;

	limit = CKPT_STAGE_DENSITY * ((end - start + HUGE - 1) / HUGE) + 1;
	while (at < end) {
		r = ckpt_scan_pages(pmfd, vec, sizeof(st->vec) / sizeof(*vec),
		    at, end, limit - pages, st->skip, &next);
		if (r == -EINVAL && st->skip != 0 && sys_madvise(NULL, 0,
		    CKPT_MADV_GUARD_INSTALL) == -EINVAL) {
			st->skip = 0;	/* no guard pages before 6.13 */
			continue;
		}
		if (r < 0 || next <= at || next > end)
			return -1;
		for (k = 0; k < r; k++) {
			if (st->nranges == CKPT_STAGE_RANGES)
				return -1;
			st->range[st->nranges].start = vec[k].start;
			st->range[st->nranges].end = vec[k].end;
			st->nranges++;
			pages += (vec[k].end - vec[k].start) / PAGE;
			for (b = vec[k].start / HUGE; b <= (vec[k].end - 1) /
			    HUGE; b++)
				if (b != last) {
					blocks++;
					last = b;
				}
		}
		if (pages >= limit)
			return -1;
		if (pages >= CKPT_STAGE_SMAPS_EARLY &&
		    pages <= CKPT_STAGE_DENSITY * blocks)
			ckpt_stage_smaps_start(st);
		at = next;
	}
	if (pages == 0 || pages > CKPT_STAGE_DENSITY * blocks)
		return -1;
	return (long)pages;
}

/* Whether a "VmFlags:" line holds the two-letter flag f. */
static int
ckpt_vmflag(const char *line, const char *end, const char *f)
{
	const char *p;

	for (p = line + 8; p + 2 <= end; p++)
		if (p[-1] == ' ' && p[0] == f[0] && p[1] == f[1] &&
		    (p + 2 == end || p[2] == ' '))
			return 1;
	return 0;
}

/*
 * Drops the staged regions the program marked wipe-on-fork or don't-fork
 * itself, and those under a memory protection key other than 0, from
 * /proc/self/smaps.  Without it, none is staged.
 */
static void
ckpt_stage_check_flags(struct ckpt_stage *st)
{
	char *buf = st->scratch, *line, *end, *p;
	long len;
	uint32_t i, n = 0;
	int keep[CKPT_STAGE_REGS];
	uint64_t start = 0, stop = 0;
	int pkey = 0;

	len = ckpt_stage_smaps(st);
	for (i = 0; i < st->nregs; i++)
		keep[i] = 0;
	if (len <= 0 || len == (long)CKPT_STAGE_SMAPS_CAP) {
		st->nregs = 0;
		return;
	}
	st->smaps_len = len;		/* the snapshot's advice */
	for (line = buf; line < buf + len; line = end + 1) {
		struct fmt_region r;

		for (end = line; end < buf + len && *end != '\n'; end++)
			;
		if (end - line > 8 && memcmp(line, "VmFlags:", 8) == 0) {
			for (i = 0; i < st->nregs; i++)
				if (st->reg[i].start >= start &&
				    st->reg[i].end <= stop)
					keep[i] = !ckpt_vmflag(line, end,
					    "wf") && !ckpt_vmflag(line, end,
					    "dc") && !pkey;
		} else if (end - line > 14 &&
		    memcmp(line, "ProtectionKey:", 14) == 0) {
			/* the handler's own key rights may not read it */
			for (p = line + 14; p < end && (*p == ' ' ||
			    *p == '\t' || *p == '0'); p++)
				;
			pkey = p < end;
		} else if (fmt_parse_maps_line(line, end - line, &r) == 0) {
			start = r.start;
			stop = r.end;
			pkey = 0;
		}
	}
	for (i = 0; i < st->nregs; i++)
		if (keep[i])
			st->reg[n++] = st->reg[i];
	st->nregs = n;
}

/*
 * The helper thread: fresh memory costs most of the copy here, and
 * faulting it in from two threads halves that.  It populates the buffer a
 * huge page at a time from the top down, while the leader copies from the
 * bottom up, until the two meet or the copy is done.  Populating does not
 * change what memory holds, so the two never undo each other's work.  Raw
 * system calls only, on a stack in the arena, every signal blocked.
 */
static int
ckpt_stage_fault(void *arg)
{
	struct ckpt_stage *st = arg;
	uint64_t h = st->fault_top, all = ~0ULL;

	/* faults too: a fault signal sent to the process is not for us */
	sys_rt_sigprocmask(SIG_SETMASK, &all, NULL);
	while (!__atomic_load_n(&st->stop, __ATOMIC_ACQUIRE) &&
	    h >= __atomic_load_n(&st->cursor, __ATOMIC_RELAXED) + 2 * HUGE) {
		h -= HUGE;
		if (sys_madvise((void *)(uintptr_t)h, HUGE,
		    CKPT_MADV_POPULATE_WRITE) < 0)
			break;			/* before Linux 5.14 */
	}
	return 0;
}

/* Starts the helper if it can help; returns its tid or 0. */
static long
ckpt_stage_helper(struct ckpt_stage *st, uint64_t total)
{
	if (total < CKPT_STAGE_HELP_MIN || ckpt_ncpus() < 2)
		return 0;
	st->cursor = st->buf;
	st->stop = 0;
	/* no further than the mapping's last whole huge page: the buffer
	 * ends where the mapping does, whatever lies beyond is not ours */
	st->fault_top = st->buf + ((total + HUGE - 1) & ~(HUGE - 1));
	if (st->fault_top > ((st->map + st->map_len) & ~(HUGE - 1)))
		st->fault_top = (st->map + st->map_len) & ~(HUGE - 1);
	return ckpt_stage_spawn(st, ckpt_stage_fault);
}

/* Stops the helper and waits until it is gone: its stack is the arena's,
 * which the program unmaps after the fork. */
static void
ckpt_stage_helper_end(struct ckpt_stage *st, long tid)
{
	__atomic_store_n(&st->stop, 1, __ATOMIC_RELEASE);
	ckpt_stage_join(tid);
}

/*
 * Copies the staged regions' pages into a buffer in huge pages, but for
 * the pages of zeros, which cost a fresh page each and are holes in the
 * image anyway: the ranges copied replace the ranges found.
 */
static int
ckpt_stage_copy(struct ckpt_stage *st)
{
	uint64_t total = 0, off = 0, k, a, n = 0;
	uint32_t i;
	uint8_t *m;
	long helper;

	for (i = 0; i < st->nregs; i++)
		total += st->reg[i].pages * PAGE;
	m = sys_mmap(NULL, total + HUGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (SYS_ERR(m))
		return -1;
	st->map = (uintptr_t)m;
	st->map_len = total + HUGE;
	st->buf = ((uintptr_t)m + HUGE - 1) & ~(HUGE - 1);
	sys_madvise((void *)(uintptr_t)st->buf, total, MADV_HUGEPAGE);
	helper = ckpt_stage_helper(st, total);
	for (i = 0; i < st->nregs; i++) {
		struct ckpt_stage_reg *g = &st->reg[i];
		uint64_t first = n;

		if (sys_madvise((void *)(uintptr_t)g->start, g->end - g->start,
		    MADV_WIPEONFORK) < 0)
			continue;		/* forked as it is */
		g->staged = 1;
		g->buf = st->buf + off;
		for (k = g->first; k < g->first + g->nranges; k++)
			for (a = st->range[k].start; a < st->range[k].end;
			    a += PAGE) {
				if (ckpt_page_is_zero((const uint8_t *)
				    (uintptr_t)a))
					continue;
				memcpy((void *)(uintptr_t)(st->buf + off),
				    (const void *)(uintptr_t)a, PAGE);
				off += PAGE;
				__atomic_store_n(&st->cursor, st->buf + off,
				    __ATOMIC_RELAXED);
				if (n > first && st->copied[n - 1].end == a)
					st->copied[n - 1].end += PAGE;
				else {
					st->copied[n].start = a;
					st->copied[n].end = a + PAGE;
					n++;
				}
			}
		g->first = first;
		g->nranges = n - first;
		g->pages = (st->buf + off - g->buf) / PAGE;
	}
	ckpt_stage_helper_end(st, helper);
	st->range = st->copied;
	st->nranges = n;
	return 0;
}

/*
 * The kB of page tables the process has (VmPTE in /proc/self/status), or
 * -1.  A fork copies about that much: with little, there is nothing to
 * gain, and /proc/self/maps, which costs about 1 us per mapping, is not
 * read in the pause.
 */
static long
ckpt_stage_pte_kb(char *buf, size_t cap)
{
	long len = ckpt_slurp("/proc/self/status", buf, cap - 1), kb = 0;
	char *p;

	if (len <= 0)
		return -1;
	buf[len] = '\0';
	for (p = buf; p != NULL && *p != '\0'; p = strchr(p, '\n'),
	    p = p != NULL ? p + 1 : NULL)
		if (strncmp(p, "VmPTE:", 6) == 0) {
			for (p += 6; *p == ' ' || *p == '\t'; p++)
				;
			while (*p >= '0' && *p <= '9')
				kb = kb * 10 + (*p++ - '0');
			return kb;
		}
	return -1;
}

/* Scans [start, end) and adds it to the staged regions if it qualifies. */
static void
ckpt_stage_consider(struct ckpt_stage *st, int pmfd, uint64_t start,
    uint64_t end)
{
	uint64_t first = st->nranges, total = 0;
	uint32_t i;
	long pages;

	if (end - start < CKPT_STAGE_MIN_SPAN || st->nregs == CKPT_STAGE_REGS)
		return;
	for (i = 0; i < st->nregs; i++)
		total += st->reg[i].pages;
	pages = ckpt_stage_scan(st, pmfd, start, end);
	/* CKPT_STAGE_MAX_BYTES in all: the rest is forked */
	if (pages < 0 || total + pages > CKPT_STAGE_MAX_BYTES / PAGE) {
		st->nranges = first;
		return;
	}
	st->reg[st->nregs].start = start;
	st->reg[st->nregs].end = end;
	st->reg[st->nregs].first = first;
	st->reg[st->nregs].nranges = st->nranges - first;
	st->reg[st->nregs].pages = pages;
	st->reg[st->nregs].staged = 0;
	st->nregs++;
}

/*
 * In the leader, every other thread stopped, before the fork: returns how
 * many regions it staged.  The arena, mapped just before, may have merged
 * with a neighbour: only the parts outside it are looked at.
 */
int
ckpt_stage_prepare(void *arena)
{
	struct ckpt_stage *st = ckpt_stage_of(arena);
	uint64_t as = (uintptr_t)arena, ae = as + CKPT_ARENA_SIZE;
	uint64_t sp = (uintptr_t)&st;
	char *buf, *line, *end;
	long len;
	int pmfd;

	st->nregs = 0;
	st->nranges = 0;
	st->map = 0;
	st->smaps_len = 0;
	st->smaps_tid = 0;
	st->skip = CKPT_PAGE_IS_GUARD;
	st->range = (struct ckpt_stage_range *)((char *)st +
	    ((sizeof(*st) + 4095) & ~4095UL));
	st->copied = st->range + CKPT_STAGE_RANGES;
	st->scratch = (char *)(st->copied + CKPT_STAGE_RANGES);
	/* maps above smaps' room, below the helpers' stack */
	buf = st->scratch + CKPT_STAGE_SMAPS_CAP;
	if (ckpt_stage_pte_kb(buf, CKPT_STAGE_MAPS_CAP) < CKPT_STAGE_PTE_MIN)
		return 0;
	len = ckpt_slurp("/proc/self/maps", buf, CKPT_STAGE_MAPS_CAP);
	if (len <= 0 || len == (long)CKPT_STAGE_MAPS_CAP)
		return 0;
	pmfd = sys_openat(AT_FDCWD, "/proc/self/pagemap", O_RDONLY |
	    O_CLOEXEC, 0);
	if (pmfd < 0)
		return 0;
	for (line = buf; line < buf + len; line = end + 1) {
		struct fmt_region r;

		for (end = line; end < buf + len && *end != '\n'; end++)
			;
		if (fmt_parse_maps_line(line, end - line, &r) < 0 ||
		    !(r.flags & FMT_R_ANON) || (r.flags & (FMT_R_SHARED |
		    FMT_R_STACK)) || r.kind != FMT_K_MEMORY ||
		    !(r.prot & PROT_READ) || (sp >= r.start && sp < r.end))
			continue;
		if (r.end <= as || r.start >= ae) {
			ckpt_stage_consider(st, pmfd, r.start, r.end);
			continue;
		}
		if (r.start < as)
			ckpt_stage_consider(st, pmfd, r.start, as);
		if (r.end > ae)
			ckpt_stage_consider(st, pmfd, ae, r.end);
	}
	sys_close(pmfd);
	if (st->nregs > 0)
		ckpt_stage_check_flags(st);
	ckpt_stage_join(st->smaps_tid);	/* started, then nothing staged */
	st->smaps_tid = 0;
	if (st->nregs > 0 && ckpt_stage_copy(st) < 0)
		st->nregs = 0;
	return (int)st->nregs;
}

/* In the program, after the fork (or a failed one). */
void
ckpt_stage_release(void *arena)
{
	struct ckpt_stage *st = ckpt_stage_of(arena);
	uint32_t i;

	for (i = 0; i < st->nregs; i++)
		if (st->reg[i].staged)
			sys_madvise((void *)(uintptr_t)st->reg[i].start,
			    st->reg[i].end - st->reg[i].start,
			    MADV_KEEPONFORK);
	if (st->map != 0)
		sys_munmap((void *)(uintptr_t)st->map, st->map_len);
	st->nregs = 0;
	st->map = 0;
}

/* ---- MADV_DONTFORK ------------------------------------------------------ */

#define CKPT_DC_MAX		4096
#define CKPT_DC_SMAPS_CAP	(256UL << 20)	/* at the arena's bottom */

int				ckpt_dontfork_seen;
static struct ckpt_stage_range	ckpt_dc[CKPT_DC_MAX];
static uint32_t			ckpt_ndc;

/*
 * In the leader, every other thread stopped, just before the fork: marks
 * the program's don't-fork regions MADV_DOFORK, so that the snapshot has
 * them.  smaps is read into the bottom of the arena, which the snapshot
 * uses as fresh memory: those pages are dropped again before the fork.
 */
void
ckpt_dontfork_prepare(void *arena)
{
	uint64_t as = (uintptr_t)arena, ae = as + CKPT_ARENA_SIZE;
	uint64_t start = 0, stop = 0;
	char *buf = arena, *line, *end;
	long len;
	int more = 0;

	ckpt_ndc = 0;
	if (!__atomic_load_n(&ckpt_dontfork_seen, __ATOMIC_RELAXED))
		return;
	len = ckpt_slurp("/proc/self/smaps", buf, CKPT_DC_SMAPS_CAP);
	if (len < 0 || len == (long)CKPT_DC_SMAPS_CAP) {
		ckpt_say("memory marked MADV_DONTFORK is not in this "
		    "checkpoint", "cannot read /proc/self/smaps", len < 0 ?
		    fmt_strerror(len) : "too large");
		len = len < 0 ? 0 : len;
		goto drop;
	}
	for (line = buf; line < buf + len; line = end + 1) {
		struct fmt_region r;
		int dc;

		for (end = line; end < buf + len && *end != '\n'; end++)
			;
		dc = end - line > 8 && memcmp(line, "VmFlags:", 8) == 0 ?
		    ckpt_vmflag(line, end, "dc") : -1;
		if (dc < 0) {
			if (fmt_parse_maps_line(line, end - line, &r) == 0) {
				start = r.start;
				stop = r.end;
			}
			continue;
		}
		if (dc == 0 || stop <= start || (start < ae && stop > as))
			continue;
		if (ckpt_ndc == CKPT_DC_MAX) {
			more = 1;
			continue;
		}
		if (sys_madvise((void *)(uintptr_t)start, stop - start,
		    MADV_DOFORK) < 0)
			continue;
		ckpt_dc[ckpt_ndc].start = start;
		ckpt_dc[ckpt_ndc].end = stop;
		ckpt_ndc++;
	}
	if (more)
		ckpt_say("memory marked MADV_DONTFORK is not all in this "
		    "checkpoint", "more than " CKPT_STR(CKPT_DC_MAX)
		    " such regions", NULL);
drop:
	if (len > 0)
		sys_madvise(buf, ((uint64_t)len + 4095) & ~4095UL,
		    MADV_DONTNEED);
}

/* In the program, after the fork (or a failed one). */
void
ckpt_dontfork_release(void)
{
	uint32_t i;

	for (i = 0; i < ckpt_ndc; i++)
		sys_madvise((void *)(uintptr_t)ckpt_dc[i].start,
		    ckpt_dc[i].end - ckpt_dc[i].start, MADV_DONTFORK);
	ckpt_ndc = 0;
}
