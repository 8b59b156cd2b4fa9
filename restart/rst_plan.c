/*
 * rst_plan.c - restart's hosted phase: plan the address space, stage and
 * verify the contents, then hand over to the freestanding restorer.
 *
 * Address space, before the hand-over (any order, whatever ASLR chose):
 *
 *   restart's own: [restart] [libs] [heap] [stack] [image file] [vdso]
 *   image's:       [prog] [heap] ... [libs] [vdso] [stack]      (not mapped)
 *   ours:          [blob | stage]  one reservation in a gap that avoids
 *                                  both lists above
 *
 * The regions come from the index (fmt_image_begin), so the stage is
 * planned before the rest of the file is read.  Every region with contents
 * is mapped fresh inside the stage at an address congruent to its final one
 * modulo 2 MiB (1 GiB for regions that large).  This thread then walks the
 * chunk records (fmt_image_finish), asking the kernel to read ahead of it
 * in large requests, and queues each chunk as soon as its record is
 * checked, so that reading the file overlaps decompressing it (1 GiB of
 * mixed memory, from disk: 0.5-0.8 s against 0.5-1.0 s walking first).
 * Worker threads decompress each chunk into a buffer of their own, check
 * its hash, and write it into the stage through /proc/self/mem: on a
 * virtual machine, the kernel filling fresh pages through its own mapping
 * is several times faster (0.2 s against 2.5 s for 512 MiB, measured here)
 * than user code touching them, each first touch of which traps to the
 * hypervisor.  For the same reason the frames are pread into a buffer each
 * worker reuses rather than read through the image's mapping, and their
 * stored hashes are checked there.  Only when every chunk has been verified and the walk
 * has reached the trailer are signals blocked, dispositions set and control
 * passed to the restorer, which moves the stage into place (see
 * rst_restorer.c).  A damaged image is therefore refused with restart's own
 * address space intact.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>

#include <zstd.h>

#include "rst.h"
#include "fmt_sys.h"

#define PAGE		4096UL
#define HUGE		(2UL << 20)
#define PUD		(1UL << 30)	/* what one page-table page of PMDs maps */
#define ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define RST_WORKERS	2
#define RST_WORKER_STACK	(1024 * 1024)
#define RST_QUEUE	64		/* chunks walked, not yet taken */
#define RST_BATCH	8		/* chunks a worker takes at once */
#define RST_AHEAD	(32UL << 20)	/* bytes read ahead of the walk */
#define RST_AHEAD_STEP	(8UL << 20)

extern const ptrdiff_t	__rseq_offset __attribute__((weak));
extern const unsigned int __rseq_size __attribute__((weak));

struct rst_own {
	struct rst_range	*r;
	size_t			 n;
	struct rst_special	 special[RST_MAX_SPECIAL];
	int			 kind[RST_MAX_SPECIAL];
	uint32_t		 nspecial;
};

struct rst_queued {
	struct fmt_chunk	 c;
	uint32_t		 rchunk;	/* its number in its region */
	struct fmt_bytes	 path;		/* its region's, for messages */
	uint64_t		 region_len;	/* its region's: the workers may
						   not look at img->regions,
						   which a failed walk frees */
};

struct rst_ctx {
	const char		*path;
	struct fmt_image	*img;
	uint64_t		*stage;		/* per region, 0 = not staged */
	uint64_t		 res_addr, res_len;
	uint64_t		 blob_len, stage_len;
	/* decompression: the walk queues chunks, the workers take them */
	struct rst_queued	 queue[RST_QUEUE];
	uint64_t		 queued, taken;
	int			 walk_done;
	int			 idle;		/* workers waiting for chunks */
	int			 full;		/* the walk waits for room */
	uint64_t		 ra_end;	/* read ahead up to here */
	uint8_t			*byfile;	/* per region: RST_FILE_* */
	uint64_t		*fsize;		/* per RST_FILE_MAPPED region:
						   its file's size */
	uint8_t			*shrunk;	/* per region: its file no
						   longer holds a saved page */
	int32_t			*alias;		/* per region: its group's
						   first region, or -1 */
	int			*alias_fd;	/* per first region: memfd */
	uint64_t		*alias_size;	/* per first region */
	const struct rst_fd	*fds;		/* the prepared descriptors */
	int			 memfd;		/* /proc/self/mem */
	int			 img_fd;
	int			 failed;
	struct fmt_error	 err;		/* a worker's error */
	pthread_mutex_t		 lock;
	pthread_cond_t		 more, room;
};

/* ---- what is mapped now ------------------------------------------------ */

static int
rst_read_own(const char *path, struct rst_own *own)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char *line = NULL;
	size_t cap = 0, alloc = 0;
	ssize_t n;

	if (f == NULL) {
		rst_say(path, "/proc/self/maps: %s", strerror(errno));
		return -1;
	}
	memset(own, 0, sizeof(*own));
	while ((n = getline(&line, &cap, f)) > 0) {
		struct fmt_region r;

		if (fmt_parse_maps_line(line, n, &r) < 0)
			continue;
		if (r.kind == FMT_K_VSYSCALL)
			continue;
		if (own->n == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			own->r = realloc(own->r, alloc * sizeof(*own->r));
			if (own->r == NULL) {
				rst_say(path, "out of memory");
				fclose(f);
				free(line);
				return -1;
			}
		}
		own->r[own->n].start = r.start;
		own->r[own->n].end = r.end;
		own->n++;
		if (r.kind != FMT_K_MEMORY && own->nspecial < RST_MAX_SPECIAL) {
			own->special[own->nspecial].cur = r.start;
			own->special[own->nspecial].len = r.end - r.start;
			own->kind[own->nspecial++] = r.kind;
		}
	}
	free(line);
	fclose(f);
	return 0;
}

/*
 * The program holds pointers into its vDSO, and the vDSO code finds its
 * data pages at fixed distances: the kernel's special mappings here must
 * match the image's one for one, in size and relative position.
 */
static int
rst_match_special(struct rst_ctx *x, struct rst_own *own)
{
	const struct fmt_image *img = x->img;
	uint32_t i, j, seen = 0;
	int64_t delta = 0;

	for (i = 0; i < img->nregions; i++) {
		const struct fmt_region *r = &img->regions[i];

		if (r->kind == FMT_K_MEMORY || r->kind == FMT_K_VSYSCALL)
			continue;
		for (j = 0; j < own->nspecial; j++)
			if (own->kind[j] == (int)r->kind)
				break;
		if (j == own->nspecial || own->special[j].len !=
		    r->end - r->start) {
			rst_say(x->path, "the image's vDSO layout differs "
			    "from this kernel's (checkpointed on another "
			    "kernel?)");
			return -1;
		}
		if (seen == 0)
			delta = (int64_t)(r->start - own->special[j].cur);
		else if ((int64_t)(r->start - own->special[j].cur) != delta) {
			rst_say(x->path, "the image's vDSO pages are placed "
			    "differently from this kernel's");
			return -1;
		}
		own->special[j].dst = r->start;
		seen++;
	}
	if (seen != own->nspecial && seen != 0) {
		rst_say(x->path, "this kernel has vDSO pages the image lacks "
		    "(checkpointed on another kernel?)");
		return -1;
	}
	if (seen == 0)
		own->nspecial = 0;	/* nothing to place: leave them be */
	return 0;
}

/* ---- finding room ------------------------------------------------------ */

static int
rst_cmp_range(const void *a, const void *b)
{
	const struct rst_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * The stage is kept clear of the first RST_STACK_GROW below the main
 * stack, where it grows first (it grows further, as far as its limit, once
 * the stage is gone).
 */
static uint64_t
rst_stack_floor(const struct fmt_image *img, uint32_t i)
{
	const struct fmt_region *r = &img->regions[i];
	uint64_t floor = r->end > RST_STACK_GROW ? r->end - RST_STACK_GROW : 0;
	uint64_t prev = i > 0 ? img->regions[i - 1].end + (1UL << 20) : 0;

	if (floor < prev)
		floor = prev;
	return floor < r->start ? floor : r->start;
}

/* A free stretch of len bytes, 2 MiB aligned, avoiding both lists. */
static uint64_t
rst_find_gap(const struct rst_own *own, const struct fmt_image *img,
    uint64_t len)
{
	size_t n = own->n + img->nregions + 1, k = 0, i;
	struct rst_range *all = calloc(n, sizeof(*all));
	uint64_t at = 1UL << 32, found = 0;

	if (all == NULL)
		return 0;
	for (i = 0; i < own->n; i++)
		all[k++] = own->r[i];
	for (i = 0; i < img->nregions; i++) {
		if (img->regions[i].kind == FMT_K_VSYSCALL)
			continue;
		all[k].start = img->regions[i].start;
		if (img->regions[i].flags & FMT_R_STACK)
			all[k].start = rst_stack_floor(img, i);
		all[k++].end = img->regions[i].end;
	}
	qsort(all, k, sizeof(*all), rst_cmp_range);
	for (i = 0; i <= k; i++) {
		uint64_t next = i < k ? all[i].start : RST_TASK_SIZE;

		if (next > at && next - at >= len + HUGE) {
			found = at;
			break;
		}
		if (i < k && ALIGN_UP(all[i].end, HUGE) > at)
			at = ALIGN_UP(all[i].end, HUGE) + HUGE;
	}
	free(all);
	return found;
}

/* ---- staging and decompression ----------------------------------------- */

/*
 * How a region is placed in the stage: at the same offset as its final
 * address within a 2 MiB huge page, so that the restorer's mremap moves
 * whole page tables and huge pages; a region of 1 GiB or more at the same
 * offset within 1 GiB, so that it moves whole tables of tables (64 GiB
 * reserved with 25600 scattered pages: 0.145 s in mremap otherwise).  A
 * region smaller than a huge page holds none and has at most two page
 * tables to move: it goes right after the one before, so that small
 * regions, which the kernel merges into one mapping, neither leave a
 * piece of the reservation between each two (a program of 40000 small
 * mappings needed 80000, over vm.max_map_count) nor cost 6 MiB of address
 * space each (RLIMIT_AS).
 */
static uint64_t
rst_stage_align(uint64_t len)
{
	return len >= PUD ? PUD : len >= HUGE ? HUGE : PAGE;
}

/*
 * A file the program mapped MAP_SHARED: its contents are the file's, and
 * what the program writes there after restart must reach the file, so the
 * file is mapped again (RST_FILE_MAPPED) rather than the saved bytes,
 * which stay only checked.  If it is gone or was replaced, or cannot be
 * opened as it must be, the saved bytes come back as memory no longer
 * backed by it, with a warning (RST_FILE_LOST).  Shared anonymous memory,
 * SysV and deleted files (no path to open) come back from the image.
 */
enum { RST_FILE_NO, RST_FILE_MAPPED, RST_FILE_LOST };

/* What a region is as a shared mapping of a file: none (private memory,
 * shared anonymous or SysV), a file to open by its path, or a deleted one. */
enum { RST_SF_NONE, RST_SF_PATH, RST_SF_DELETED };

static int
rst_shared_file(const struct fmt_region *r)
{
	static const char deleted[] = " (deleted)";
	const char *path = r->path.p;
	size_t dl = sizeof(deleted) - 1;

	if (r->kind != FMT_K_MEMORY || !(r->flags & FMT_R_SHARED) ||
	    (r->flags & FMT_R_ANON) || r->path.len == 0)
		return RST_SF_NONE;
	if (r->path.len >= dl && memcmp(path + r->path.len - dl, deleted,
	    dl) == 0)
		return RST_SF_DELETED;
	return path[0] == '/' ? RST_SF_PATH : RST_SF_NONE;
}

/*
 * Whether a region not mapped from a file comes back as shared memory:
 * shared anonymous and SysV memory, and a deleted file's shared mapping
 * (an unlinked shm_open file, a memfd whose descriptor was closed), so
 * that a child forked after restart shares it again.
 */
static int
rst_shared_memory(const struct fmt_region *r)
{
	return (r->flags & FMT_R_SHARED) && ((r->flags & FMT_R_ANON) ||
	    rst_shared_file(r) == RST_SF_DELETED);
}

/* Whether a region is staged: ordinary memory with contents to place, or
 * a shared file mapping. */
static int
rst_staged(const struct fmt_region *r)
{
	return r->kind == FMT_K_MEMORY && (r->nchunks != 0 ||
	    rst_shared_file(r) == RST_SF_PATH);
}

/*
 * A deleted file's shared mapping (a memfd, say) whose file the program
 * also holds open: restart recreated the file for the descriptor, and the
 * mapping must be of that file, or writes through one would not show
 * through the other.  It is filled from the image as any memory (the
 * mapping's bytes at the checkpoint).  MAP_FAILED if there is no such
 * descriptor, or the recreated file is too short for the mapping.
 */
static void *
rst_map_deleted(const struct rst_ctx *x, const struct fmt_region *r,
    uint64_t at)
{
	uint64_t len = r->end - r->start;
	char self[64];
	struct stat st;
	void *p = MAP_FAILED;
	uint32_t i;
	int fd;

	if (rst_shared_file(r) != RST_SF_DELETED)
		return MAP_FAILED;
	for (i = 0; i < x->img->nfds; i++) {
		const struct fmt_fd *f = x->fds[i].f;

		if (f->kind == FMT_FD_DELETED && x->fds[i].prepared >= 0 &&
		    !x->fds[i].dead && (f->present & FMT_F_STAT) &&
		    f->ino == r->inode && major(f->dev) == r->dev_major &&
		    minor(f->dev) == r->dev_minor)
			break;
	}
	if (i == x->img->nfds)
		return MAP_FAILED;
	/* the program's descriptor may be read-only; the file is restart's */
	snprintf(self, sizeof(self), "/proc/self/fd/%d", x->fds[i].prepared);
	if ((fd = open(self, O_RDWR | O_CLOEXEC)) < 0)
		return MAP_FAILED;
	if (fstat(fd, &st) == 0 && (uint64_t)st.st_size >= r->offset &&
	    (uint64_t)st.st_size - r->offset > len - PAGE)
		p = mmap((void *)at, len, PROT_READ | PROT_WRITE, MAP_FIXED |
		    MAP_SHARED, fd, (off_t)r->offset);
	close(fd);
	return p;
}

/*
 * Shared memory mapped more than once: a memfd mapped at two addresses
 * (the JVM's ZGC maps its heap three times), shared anonymous memory
 * aliased with mremap.  Every mapping of one object (device and inode)
 * must be of one object again, or a write through one no longer shows
 * through the others.  When restart has rebuilt no descriptor for the
 * object (rst_map_deleted: it was closed, or too large to be saved), the
 * group's first region gets a memfd as long as the furthest mapping
 * reaches, and each region of the group maps it at its own offset; the
 * regions are filled from the image as any memory.
 */
static int
rst_alias_kind(const struct fmt_region *r)
{
	/* (an offset so large that the mapping's end wraps: left alone) */
	return r->kind == FMT_K_MEMORY && (r->flags & FMT_R_SHARED) &&
	    r->inode != 0 && ((r->flags & FMT_R_ANON) ||
	    rst_shared_file(r) == RST_SF_DELETED) &&
	    r->offset <= (uint64_t)INT64_MAX - (r->end - r->start);
}

static const struct fmt_region	*rst_sort_regions;

static int
rst_alias_cmp(const void *a, const void *b)
{
	const struct fmt_region *p = &rst_sort_regions[*(const uint32_t *)a];
	const struct fmt_region *q = &rst_sort_regions[*(const uint32_t *)b];

	if (p->dev_major != q->dev_major)
		return p->dev_major < q->dev_major ? -1 : 1;
	if (p->dev_minor != q->dev_minor)
		return p->dev_minor < q->dev_minor ? -1 : 1;
	if (p->inode != q->inode)
		return p->inode < q->inode ? -1 : 1;
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

static int
rst_find_aliases(struct rst_ctx *x)
{
	const struct fmt_region *rg = x->img->regions;
	uint32_t i, j, k, n = 0, *ix;

	for (i = 0; i < x->img->nregions; i++) {
		x->alias[i] = -1;
		x->alias_fd[i] = -1;
		n += rst_alias_kind(&rg[i]);
	}
	if (n < 2)
		return 0;
	if ((ix = malloc(n * sizeof(*ix))) == NULL)
		return -1;
	for (i = 0, n = 0; i < x->img->nregions; i++)
		if (rst_alias_kind(&rg[i]))
			ix[n++] = i;
	rst_sort_regions = rg;
	qsort(ix, n, sizeof(*ix), rst_alias_cmp);
	for (i = 0; i < n; i = j) {
		uint64_t size = 0;

		for (j = i; j < n && rg[ix[j]].inode == rg[ix[i]].inode &&
		    rg[ix[j]].dev_major == rg[ix[i]].dev_major &&
		    rg[ix[j]].dev_minor == rg[ix[i]].dev_minor; j++)
			if (rg[ix[j]].offset + (rg[ix[j]].end - rg[ix[j]].start)
			    > size)
				size = rg[ix[j]].offset +
				    (rg[ix[j]].end - rg[ix[j]].start);
		if (j - i < 2)
			continue;
		/* the lowest region number sorts first within a group */
		for (k = i; k < j; k++)
			x->alias[ix[k]] = (int32_t)ix[i];
		x->alias_size[ix[i]] = size;
	}
	free(ix);
	return 0;
}

/* Region i of an alias group mapped at 'at' from the group's memfd. */
static void *
rst_map_alias(struct rst_ctx *x, uint32_t i, uint64_t at)
{
	const struct fmt_region *r = &x->img->regions[i];
	int32_t g = x->alias[i];

	if (g < 0)
		return MAP_FAILED;
	/* (one that could not be sized is not kept: the next would map
	 * past its end) */
	if (x->alias_fd[g] < 0 && (x->alias_fd[g] = rst_memfd_for(&r->path,
	    "ckpt-shared", x->alias_size[g])) < 0)
		return MAP_FAILED;
	return mmap((void *)at, r->end - r->start, PROT_READ | PROT_WRITE,
	    MAP_FIXED | MAP_SHARED, x->alias_fd[g], (off_t)r->offset);
}

/* The shared file mapping of r at 'at', or MAP_FAILED; its file's size. */
static void *
rst_map_file(const struct fmt_region *r, uint64_t at, uint64_t *size)
{
	char path[4096];
	struct stat st;
	void *p = MAP_FAILED;
	int fd, prot = PROT_READ | PROT_WRITE;

	rst_cstr(&r->path, path, sizeof(path));
	/* read-write if it can be, so that mprotect may make it writable */
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && !(r->prot & PROT_WRITE)) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		prot = PROT_READ;
	}
	if (fd < 0)
		return MAP_FAILED;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_ino == r->inode && major(st.st_dev) == r->dev_major &&
	    minor(st.st_dev) == r->dev_minor) {
		p = mmap((void *)at, r->end - r->start, prot, MAP_FIXED |
		    MAP_SHARED, fd, (off_t)r->offset);
		*size = (uint64_t)st.st_size;
	}
	close(fd);
	return p;
}

/*
 * The room a staged region may take in the stage from a 2 MiB boundary:
 * rst_stage skips up to one alignment to the next boundary of its own and
 * up to another to reach the region's offset within it.
 */
static uint64_t
rst_stage_room(const struct fmt_region *r)
{
	uint64_t len = r->end - r->start;

	if (rst_stage_align(len) == PAGE)
		return ALIGN_UP(len, PAGE);
	return ALIGN_UP(len, HUGE) + 2 * rst_stage_align(len);
}

static int
rst_stage(struct rst_ctx *x)
{
	const struct fmt_image *img = x->img;
	uint64_t at = x->res_addr + x->blob_len, a;
	uint32_t i;

	for (i = 0; i < img->nregions; i++) {
		const struct fmt_region *r = &img->regions[i];
		uint64_t len = r->end - r->start;
		int shared = rst_shared_memory(r);
		void *p;

		if (!rst_staged(r) && x->alias[i] < 0)
			continue;
		/* same offset within a 2 MiB page (1 GiB) as the final address */
		a = rst_stage_align(len);
		at = ALIGN_UP(at, a) + (r->start & (a - 1));
		if (at + len > x->res_addr + x->res_len) {
			rst_say(x->path, "internal error: region %u does not "
			    "fit in the staging area", i);
			return -1;
		}
		p = rst_map_deleted(x, r, at);
		if (p == MAP_FAILED)
			p = rst_map_alias(x, i, at);
		if (p == MAP_FAILED && rst_shared_file(r) == RST_SF_PATH) {
			p = rst_map_file(r, at, &x->fsize[i]);
			x->byfile[i] = p != MAP_FAILED ? RST_FILE_MAPPED :
			    RST_FILE_LOST;
			shared = 1;
		}
		/*
		 * The main stack grows down again as the kernel grows it, as
		 * far as RLIMIT_STACK (restart's, which the program keeps)
		 * and the mapping below allow: mremap keeps VM_GROWSDOWN.
		 */
		if (p == MAP_FAILED)
			p = mmap((void *)at, len, PROT_READ | PROT_WRITE,
			    MAP_FIXED | MAP_ANONYMOUS | MAP_NORESERVE |
			    (shared ? MAP_SHARED : MAP_PRIVATE) |
			    ((r->flags & FMT_R_STACK) ? MAP_GROWSDOWN : 0),
			    -1, 0);
		if (p == MAP_FAILED) {
			rst_say(x->path, "cannot map %llu bytes for region "
			    "%u: %s", (unsigned long long)len, i,
			    strerror(errno));
			return -1;
		}
		/*
		 * Memory the program asked huge pages for gets them as it is
		 * filled, as it most likely had them, and memory it refused
		 * them for gets none; being congruent modulo 2 MiB, the stage
		 * moves into place with its huge pages whole.
		 */
		if (r->advice & FMT_A_HUGEPAGE)
			madvise(p, len, MADV_HUGEPAGE);
		if (r->advice & FMT_A_NOHUGEPAGE)
			madvise(p, len, MADV_NOHUGEPAGE);
		x->stage[i] = at;
		at += len;
	}
	/* the mappings hold the alias groups' memfds now */
	for (i = 0; i < img->nregions; i++)
		if (x->alias_fd[i] >= 0)
			close(x->alias_fd[i]);
	return 0;
}

/*
 * A file mapped shared that no longer holds the pages the program used is
 * refused, as a file descriptor's is when its file is now shorter than its
 * offset.  0, or -1 after one line.
 */
static int
rst_files_shrunk(const struct rst_ctx *x)
{
	char name[4096];
	uint32_t i;

	for (i = 0; i < x->img->nregions; i++)
		if (x->shrunk[i]) {
			rst_say(x->path, "region %u: %s is now shorter (%llu "
			    "bytes) than the part of it the program used", i,
			    rst_cstr(&x->img->regions[i].path, name,
			    sizeof(name)), (unsigned long long)x->fsize[i]);
			return -1;
		}
	return 0;
}

/* Given once the image is verified, like rst_fds_warn's. */
static void
rst_files_warn(const struct rst_ctx *x)
{
	char name[4096];
	uint32_t i;

	for (i = 0; i < x->img->nregions; i++)
		if (x->byfile[i] == RST_FILE_LOST)
			rst_say(x->path, "warning: region %u: %s is gone, was "
			    "replaced or cannot be opened; its saved contents "
			    "come back, no longer shared with the file", i,
			    rst_cstr(&x->img->regions[i].path, name,
			    sizeof(name)));
}

/*
 * Stops everyone; the first error is the one reported.  A worker's error
 * is kept in x->err, about chunk q if there is one; the walk's (own == 0)
 * is in the image's.
 */
static void
rst_fail(struct rst_ctx *x, int rc, const struct rst_queued *q, int own)
{
	pthread_mutex_lock(&x->lock);
	if (!x->failed) {
		x->failed = rc;
		if (own) {
			x->err.code = rc;
			x->err.region = q != NULL ? (int64_t)q->c.region : -1;
			x->err.chunk = q != NULL ? (int64_t)q->rchunk : -1;
			x->err.file_off = q != NULL ? q->c.file_off : 0;
			if (q != NULL)
				x->err.path = q->path;
			x->err.what = "chunk";
		}
	}
	pthread_cond_broadcast(&x->more);
	pthread_cond_broadcast(&x->room);
	pthread_mutex_unlock(&x->lock);
}

/*
 * Takes up to RST_BATCH chunks that follow each other in the file and fit
 * in 'cap' bytes read at once, leaving the other workers their share.
 * Returns how many; 0 when there is nothing more to do.
 */
static uint32_t
rst_take(struct rst_ctx *x, struct rst_queued *q, size_t cap)
{
	uint64_t avail, first;
	uint32_t n = 0, want;

	pthread_mutex_lock(&x->lock);
	while (x->taken == x->queued && !x->walk_done && !x->failed) {
		x->idle++;
		pthread_cond_wait(&x->more, &x->lock);
		x->idle--;
	}
	if (!x->failed && x->taken < x->queued) {
		avail = x->queued - x->taken;
		want = avail / RST_WORKERS < RST_BATCH ?
		    (uint32_t)(avail / RST_WORKERS) : RST_BATCH;
		first = x->queue[x->taken % RST_QUEUE].c.file_off;
		do {
			q[n] = x->queue[x->taken % RST_QUEUE];
			if (n > 0 && q[n].c.file_off + q[n].c.stored_len -
			    first > cap)
				break;
			x->taken++;
		} while (++n < want && x->taken < x->queued);
		/* wake the walk only once half the queue is free */
		if (x->full && x->queued - x->taken <= RST_QUEUE / 2)
			pthread_cond_signal(&x->room);
	}
	pthread_mutex_unlock(&x->lock);
	return n;
}

/* Writes len bytes from src at offset 'at' of chunk c's region's stage. */
static int
rst_put(struct rst_ctx *x, const struct fmt_chunk *c, uint64_t at,
    const uint8_t *src, size_t len)
{
	ssize_t n = pwrite(x->memfd, src, len,
	    (off_t)(x->stage[c->region] + at));

	if (n == (ssize_t)len)
		return 0;
	return n < 0 ? -errno : -EIO;
}

/*
 * A chunk of a region mapped from its file again: the page it ends in was
 * within the file at the checkpoint (libckpt records a page past the end
 * as a hole), so a file that now ends before it has shrunk, and the
 * program's next touch of that page would die of SIGBUS.
 */
static void
rst_check_file(struct rst_ctx *x, const struct fmt_chunk *c)
{
	const struct fmt_region *r = &x->img->regions[c->region];
	uint64_t end = c->offset + c->raw_len;

	if (c->npages != 0 && fmt_check_pages(c, r->end - r->start, &end) != 0)
		return;
	if (end > 0 && r->offset + end - PAGE >= x->fsize[c->region])
		x->shrunk[c->region] = 1;
}

/*
 * Writes queued chunk q, decompressed in buf, where it belongs: a chunk
 * at its offset, a PAGES chunk one run of pages that follow each other at
 * a time.  The page list lies in the mapped image, which the reader
 * checked; it is checked against the region again in case the file
 * changed since.
 */
static int
rst_place(struct rst_ctx *x, const struct rst_queued *q, const uint8_t *buf)
{
	const struct fmt_chunk *c = &q->c;
	uint64_t at, len = q->region_len;
	uint32_t i, j;
	int rc;

	if (c->npages == 0)
		return rst_put(x, c, c->offset, buf, c->raw_len);
	for (i = 0; i < c->npages; i = j) {
		at = fmt_chunk_page(c, i);
		for (j = i + 1; j < c->npages && fmt_chunk_page(c, j) ==
		    at + (uint64_t)(j - i) * FMT_PAGE_SIZE; j++)
			;
		if (at < c->offset || at > len ||
		    (uint64_t)(j - i) * FMT_PAGE_SIZE > len - at)
			return FMT_E_CORRUPT;
		if ((rc = rst_put(x, c, at, buf + (size_t)i * FMT_PAGE_SIZE,
		    (size_t)(j - i) * FMT_PAGE_SIZE)) != 0)
			return rc;
	}
	return 0;
}

static void *
rst_worker(void *arg)
{
	struct rst_ctx *x = arg;
	ZSTD_DCtx *dctx = ZSTD_createDCtx();
	uint32_t cmax = x->img->chunk_max, n, i;
	size_t cap = ZSTD_compressBound(cmax);
	uint8_t *buf = malloc(cmax);
	uint8_t *fbuf = malloc(cap);
	struct rst_queued q[RST_BATCH];
	uint64_t first, span;
	int rc = 0;

	if (dctx != NULL)
		ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, 26);
	if (dctx == NULL || buf == NULL || fbuf == NULL) {
		rst_fail(x, FMT_E_NOMEM, NULL, 1);
		goto out;
	}
	while (rc == 0 && (n = rst_take(x, q, cap)) > 0) {
		/* one pread for them all, not the mapping: see the top */
		first = q[0].c.file_off;
		span = q[n - 1].c.file_off + q[n - 1].c.stored_len - first;
		if (pread(x->img_fd, fbuf, span, first) != (ssize_t)span)
			rc = FMT_E_TRUNCATED;
		for (i = 0; i < n && rc == 0; i++) {
			rc = fmt_chunk_decompress_frame(
			    (struct ZSTD_DCtx_s *)dctx, &q[i].c,
			    fbuf + (q[i].c.file_off - first), buf, cmax);
			/* a mapped file holds its own contents: checked only */
			if (rc == 0 &&
			    x->byfile[q[i].c.region] != RST_FILE_MAPPED)
				rc = rst_place(x, &q[i], buf);
			else if (rc == 0)
				rst_check_file(x, &q[i].c);
		}
		if (rc < 0)
			rst_fail(x, rc, &q[i > 0 ? i - 1 : 0], 1);
	}
out:
	ZSTD_freeDCtx(dctx);
	free(buf);
	free(fbuf);
	return NULL;
}

/*
 * Called by the walk for each chunk as soon as its record is checked: asks
 * the kernel to read on ahead, and queues the chunk for the workers,
 * waiting while the queue is full.
 */
static int
rst_queue_chunk(void *arg, const struct fmt_image *img,
    const struct fmt_chunk *c)
{
	struct rst_ctx *x = arg;
	const struct fmt_region *r = &img->regions[c->region];
	int rc;

	/* a region the index said has no chunks, or restart does not fill */
	if (x->stage[c->region] == 0)
		return r->kind == FMT_K_MEMORY ? FMT_E_INDEX : FMT_E_CORRUPT;
	while (x->ra_end < c->file_off + c->stored_len + RST_AHEAD &&
	    x->ra_end < img->len) {
		posix_fadvise(x->img_fd, (off_t)x->ra_end, RST_AHEAD_STEP,
		    POSIX_FADV_WILLNEED);
		x->ra_end += RST_AHEAD_STEP;
	}
	pthread_mutex_lock(&x->lock);
	if (x->queued - x->taken == RST_QUEUE && !x->failed) {
		x->full = 1;
		while (x->queued - x->taken > RST_QUEUE / 2 && !x->failed)
			pthread_cond_wait(&x->room, &x->lock);
		x->full = 0;
	}
	rc = x->failed;
	if (rc == 0) {
		struct rst_queued *q = &x->queue[x->queued++ % RST_QUEUE];

		q->c = *c;
		q->rchunk = img->nchunks - 1 - r->first_chunk;
		q->path = r->path;
		q->region_len = r->end - r->start;
		/* system calls only for a worker that sleeps */
		if (x->idle > 0)
			pthread_cond_signal(&x->more);
	}
	pthread_mutex_unlock(&x->lock);
	return rc;
}

/*
 * The rest of the image is walked here, on this thread, while the workers
 * decompress the chunks already walked.
 */
static int
rst_decompress(struct rst_ctx *x)
{
	pthread_t t[RST_WORKERS];
	pthread_attr_t attr;
	int n = 0, i, rc;

	x->memfd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	if (x->memfd < 0) {
		rst_say(x->path, "/proc/self/mem: %s", strerror(errno));
		return -1;
	}
	pthread_mutex_init(&x->lock, NULL);
	pthread_cond_init(&x->more, NULL);
	pthread_cond_init(&x->room, NULL);
	/* not the default, which comes from a stack limit maybe of 32 KiB */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, RST_WORKER_STACK);
	for (i = 0; i < RST_WORKERS; i++)
		if (pthread_create(&t[n], &attr, rst_worker, x) == 0)
			n++;
	pthread_attr_destroy(&attr);
	rc = fmt_image_finish(x->img, rst_queue_chunk, x);
	if (rc != 0)
		rst_fail(x, rc, NULL, 0);
	pthread_mutex_lock(&x->lock);
	x->walk_done = 1;
	pthread_cond_broadcast(&x->more);
	pthread_mutex_unlock(&x->lock);
	/* a third decompressor would only add its fresh buffers' cost */
	if (n == 0 && rc == 0)
		rst_worker(x);
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	close(x->memfd);
	if (x->failed) {
		struct fmt_image copy = *x->img;
		char why[1024];

		/* a file cut short reads as damage: name the cause instead */
		if (rst_shrank(x->path, x->img_fd, x->img->len))
			return -1;
		/* restart's own want, not the image's damage */
		if (x->err.code == FMT_E_NOMEM || x->img->err.code == FMT_E_NOMEM) {
			rst_say(x->path, "out of memory decompressing the "
			    "image (ulimit -v?)");
			return -1;
		}
		/* a worker's error, or else the walk's */
		if (x->err.code != 0)
			copy.err = x->err;
		fmt_describe_error(&copy, why, sizeof(why));
		rst_say(x->path, "%s", why);
		return -1;
	}
	return 0;
}

/* ---- the plan ---------------------------------------------------------- */

static uint64_t
rst_old_generation(struct rst_ctx *x)
{
	const struct fmt_image *img = x->img;
	uint64_t mb = img->proc.restore_info, gen = 0;
	uint32_t i;

	for (i = 0; i < img->nregions; i++) {
		const struct fmt_region *r = &img->regions[i];
		struct fmt_restore_info info;

		if (x->stage[i] == 0 || mb < r->start ||
		    mb + sizeof(info) > r->end)
			continue;
		memcpy(&info, (void *)(x->stage[i] + (mb - r->start)),
		    sizeof(info));
		if (info.magic == FMT_RESTORE_MAGIC)
			gen = info.generation;
	}
	return gen;
}

/* The plan and its arrays: a move a region, and the auxv copy. */
static size_t
rst_plan_size(const struct fmt_image *img)
{
	return ALIGN_UP(sizeof(struct rst_plan), 16) +
	    RST_MAX_SPECIAL * sizeof(struct rst_special) +
	    2 * sizeof(struct rst_range) +
	    (size_t)img->nregions * sizeof(struct rst_move) +
	    img->nthreads * sizeof(struct rst_thread) + 512;
}

static struct rst_plan *
rst_build_plan(struct rst_ctx *x, struct rst_own *own, size_t *lenp)
{
	const struct fmt_image *img = x->img;
	size_t nmoves = img->nregions, len = rst_plan_size(img);
	uint32_t i, m = 0;
	struct rst_plan *p;
	struct rst_move *mv;
	struct rst_range *un;
	struct rst_thread *th;
	char name[256];

	p = calloc(1, len);
	if (p == NULL)
		return NULL;
	p->special_off = ALIGN_UP(sizeof(*p), 16);
	p->unmap_off = p->special_off + RST_MAX_SPECIAL *
	    sizeof(struct rst_special);
	p->moves_off = p->unmap_off + 2 * sizeof(struct rst_range);
	p->threads_off = p->moves_off + nmoves * sizeof(struct rst_move);
	p->auxv_off = p->threads_off + img->nthreads *
	    sizeof(struct rst_thread);

	p->nspecial = own->nspecial;
	memcpy((char *)p + p->special_off, own->special,
	    own->nspecial * sizeof(struct rst_special));

	un = (struct rst_range *)((char *)p + p->unmap_off);
	un[0].start = 0;
	un[0].end = x->res_addr;
	un[1].start = x->res_addr + x->res_len;
	un[1].end = RST_TASK_SIZE;
	p->nunmap = 2;

	mv = (struct rst_move *)((char *)p + p->moves_off);
	for (i = 0; i < img->nregions; i++) {
		const struct fmt_region *r = &img->regions[i];
		int shared = rst_shared_memory(r);

		if (r->kind != FMT_K_MEMORY)
			continue;
		mv[m].dst = r->start;
		mv[m].len = r->end - r->start;
		mv[m].prot = r->prot;
		mv[m].advice = r->advice & FMT_A_ALL;
		if (x->stage[i] != 0) {
			mv[m].op = RST_M_MREMAP;
			mv[m].src = x->stage[i];
		} else {
			mv[m].op = RST_M_MAP;
			mv[m].mflags = MAP_ANONYMOUS | MAP_NORESERVE |
			    (shared ? MAP_SHARED : MAP_PRIVATE);
		}
		m++;
		rst_note("region %u %#llx-%#llx %c%c%c%c %s: %u chunk%s, "
		    "%llu bytes stored, %llu zero", i,
		    (unsigned long long)r->start, (unsigned long long)r->end,
		    r->prot & PROT_READ ? 'r' : '-',
		    r->prot & PROT_WRITE ? 'w' : '-',
		    r->prot & PROT_EXEC ? 'x' : '-',
		    r->flags & FMT_R_SHARED ? 's' : 'p',
		    rst_cstr(&r->path, name, sizeof(name)), r->nchunks,
		    r->nchunks == 1 ? "" : "s",
		    (unsigned long long)r->stored_bytes,
		    (unsigned long long)r->zero_bytes);
	}
	p->nmoves = m;

	th = (struct rst_thread *)((char *)p + p->threads_off);
	for (i = 0; i < img->nthreads; i++) {
		const struct fmt_thread *t = &img->threads[i];

		memcpy(th[i].regs, t->regs, sizeof(th[i].regs));
		th[i].fs_base = t->fs_base;
		th[i].gs_base = t->gs_base;
		th[i].sigmask = t->sigmask;
		th[i].tid_addr = (t->present & FMT_T_CLEAR_TID) ?
		    t->clear_tid : 0;
	}
	p->nthreads = img->nthreads;

	if (img->proc.present & FMT_P_MM) {
		const struct fmt_mm *mm = &img->proc.mm;
		uint32_t alen = img->proc.auxv.len;

		p->mm.start_code = mm->start_code;
		p->mm.end_code = mm->end_code;
		p->mm.start_data = mm->start_data;
		p->mm.end_data = mm->end_data;
		p->mm.start_brk = mm->start_brk;
		p->mm.brk = mm->brk;
		p->mm.start_stack = mm->start_stack;
		p->mm.arg_start = mm->arg_start;
		p->mm.arg_end = mm->arg_end;
		p->mm.env_start = mm->env_start;
		p->mm.env_end = mm->env_end;
		if (!(img->proc.present & FMT_P_AUXV))
			alen = 0;
		if (alen > 400)
			alen = 400;
		alen &= ~15U;
		memcpy((char *)p + p->auxv_off, img->proc.auxv.p, alen);
		p->mm.auxv_size = alen;
		p->have_mm = 1;
	}
	p->exe_fd = -1;
	p->pid = getpid();
	p->mailbox = (img->proc.present & FMT_P_RESTORE_INFO) ?
	    img->proc.restore_info : 0;
	p->generation = rst_old_generation(x) + 1;
	p->verbose = rst_verbose;
	p->errmsg_len = snprintf(p->errmsg, sizeof(p->errmsg),
	    "restart: %s: restoring failed at step ", x->path);
	if (p->errmsg_len >= sizeof(p->errmsg))
		p->errmsg_len = sizeof(p->errmsg) - 1;
	/* one line, whatever the image's name holds, as rst_say makes it */
	for (i = 0; i < p->errmsg_len; i++)
		if ((unsigned char)p->errmsg[i] < 0x20 ||
		    p->errmsg[i] == 0x7f)
			p->errmsg[i] = '?';
	p->errmid_len = snprintf(p->errmid, sizeof(p->errmid), ", errno ");
	*lenp = len;
	return p;
}

/* ---- the hand-over ----------------------------------------------------- */

static int
rst_set_signals(const struct fmt_image *img)
{
	struct { uint64_t h, f, r, m; } dfl = { 0, 0, 0, 0 };
	int i;

	/* restart's own SIGBUS catcher (rst_main.c) goes with restart */
	sys_rt_sigaction(SIGBUS, &dfl, NULL);
	if (!(img->proc.present & FMT_P_SIGACTIONS))
		return 0;
	for (i = 1; i <= FMT_NSIG; i++) {
		const struct fmt_sigaction *s = &img->proc.sig[i - 1];
		struct { uint64_t h, f, r, m; } ks = {
			s->handler, s->flags, s->restorer, s->mask
		};

		if (i == SIGKILL || i == SIGSTOP)
			continue;
		sys_rt_sigaction(i, &ks, NULL);
	}
	return 0;
}

/* The kernel must stop writing into restart's TLS before it goes away. */
static int
rst_unregister_rseq(const char *path)
{
	void *area;

	if (&__rseq_size == NULL || __rseq_size == 0)
		return 0;
	area = (char *)__builtin_thread_pointer() + __rseq_offset;
	if (sys_call4(SYS_rseq, (long)area, 32, 1, 0x53053053) == 0 ||
	    sys_call4(SYS_rseq, (long)area, __rseq_size, 1, 0x53053053) == 0)
		return 0;
	rst_say(path, "cannot unregister restart's rseq area");
	return -1;
}

/* The program's executable, so /proc/PID/exe names it (if permitted). */
static int
rst_open_exe(const struct fmt_image *img)
{
	char exe[4096];
	int fd, hi;

	if (!(img->proc.present & FMT_P_EXE))
		return -1;
	fd = open(rst_cstr(&img->proc.exe, exe, sizeof(exe)),
	    O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	hi = fcntl(fd, F_DUPFD_CLOEXEC, 1000);
	close(fd);
	return hi;
}

static void
rst_apply_process(struct rst_ctx *x)
{
	const struct fmt_process *p = &x->img->proc;

	if (p->present & FMT_P_CWD) {
		char cwd[4096];

		if (chdir(rst_cstr(&p->cwd, cwd, sizeof(cwd))) < 0)
			rst_say(x->path, "warning: cannot return to the "
			    "working directory %s: %s", cwd, strerror(errno));
	}
	if (p->present & FMT_P_UMASK)
		umask(p->umask & 0777);
}

int
rst_restore_image(const char *path, struct fmt_image *img, int img_fd)
{
	struct rst_ctx x;
	struct rst_own own;
	struct rst_plan *plan;
	struct rst_fd *fds;
	size_t plan_len, code_len, special_len = 0;
	uint32_t i;
	char *blob;
	void *res;
	sigset_t all;

	memset(&x, 0, sizeof(x));
	x.path = path;
	x.img = img;
	x.img_fd = img_fd;
	if (img->nthreads == 0) {
		rst_say(path, "the image has no threads to resume");
		return -1;
	}
	for (i = 0; i < img->nthreads; i++)
		if ((img->threads[i].present & (FMT_T_REGS | FMT_T_FS_BASE)) !=
		    (FMT_T_REGS | FMT_T_FS_BASE)) {
			rst_say(path, "thread %u has no saved context", i);
			return -1;
		}
	x.stage = calloc(img->nregions + 1, sizeof(*x.stage));
	x.byfile = calloc(img->nregions + 1, sizeof(*x.byfile));
	x.fsize = calloc(img->nregions + 1, sizeof(*x.fsize));
	x.shrunk = calloc(img->nregions + 1, sizeof(*x.shrunk));
	x.alias = calloc(img->nregions + 1, sizeof(*x.alias));
	x.alias_fd = calloc(img->nregions + 1, sizeof(*x.alias_fd));
	x.alias_size = calloc(img->nregions + 1, sizeof(*x.alias_size));
	if (x.stage == NULL || x.byfile == NULL || x.fsize == NULL ||
	    x.shrunk == NULL || x.alias == NULL ||
	    x.alias_fd == NULL || x.alias_size == NULL ||
	    rst_find_aliases(&x) < 0) {
		rst_say(path, "out of memory");
		return -1;
	}
	if (rst_read_own(path, &own) < 0)
		return -1;
	if (rst_fds_prepare(path, img, &fds) < 0)
		return -1;
	x.fds = fds;
	if (rst_match_special(&x, &own) < 0)
		return -1;

	code_len = ALIGN_UP((size_t)(__stop_rst_blob - __start_rst_blob),
	    PAGE);
	plan_len = rst_plan_size(img);
	for (i = 0; i < own.nspecial; i++)
		special_len += own.special[i].len;
	x.blob_len = code_len + ALIGN_UP(plan_len, PAGE) + RST_STACK_SIZE +
	    ALIGN_UP(special_len, PAGE);
	x.blob_len = ALIGN_UP(x.blob_len, HUGE);
	for (i = 0; i < img->nregions; i++)
		if (rst_staged(&img->regions[i]) || x.alias[i] >= 0)
			x.stage_len += rst_stage_room(&img->regions[i]);
	x.res_len = x.blob_len + x.stage_len;
	x.res_addr = rst_find_gap(&own, img, x.res_len);
	if (x.res_addr == 0) {
		rst_say(path, "no room in the address space to stage %llu "
		    "bytes", (unsigned long long)x.res_len);
		return -1;
	}
	res = mmap((void *)x.res_addr, x.res_len, PROT_NONE, MAP_PRIVATE |
	    MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
	if (res == MAP_FAILED || (uint64_t)res != x.res_addr) {
		rst_say(path, "cannot reserve the staging area: %s",
		    strerror(errno));
		return -1;
	}
	rst_note("staging %llu bytes at %#llx",
	    (unsigned long long)x.res_len, (unsigned long long)x.res_addr);
	if (rst_stage(&x) < 0 || rst_decompress(&x) < 0 ||
	    rst_files_shrunk(&x) < 0)
		return -1;
	rst_note("%u chunks decompressed and verified", img->nchunks);
	close(img_fd);
	rst_fds_warn(path, img, fds);
	rst_files_warn(&x);

	/* the blob: code, plan, stack, vDSO parking */
	plan = rst_build_plan(&x, &own, &plan_len);
	if (plan == NULL) {
		rst_say(path, "out of memory");
		return -1;
	}
	blob = mmap((void *)x.res_addr, x.blob_len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (blob == MAP_FAILED) {
		rst_say(path, "cannot map the restorer: %s", strerror(errno));
		return -1;
	}
	memcpy(blob, __start_rst_blob, __stop_rst_blob - __start_rst_blob);
	plan->blob_addr = x.res_addr;
	plan->blob_len = x.blob_len;
	plan->stage_addr = x.res_addr + x.blob_len;
	plan->stage_len = x.stage_len;
	{
		struct rst_special *sp = (struct rst_special *)
		    ((char *)plan + plan->special_off);
		uint64_t park = x.res_addr + code_len +
		    ALIGN_UP(plan_len, PAGE) + RST_STACK_SIZE;

		for (i = 0; i < plan->nspecial; i++) {
			sp[i].tmp = park;
			park += sp[i].len;
		}
	}
	memcpy(blob + code_len, plan, plan_len);
	free(plan);
	plan = (struct rst_plan *)(blob + code_len);
	if (mprotect(blob, code_len, PROT_READ | PROT_EXEC) < 0) {
		rst_say(path, "cannot protect the restorer: %s",
		    strerror(errno));
		return -1;
	}
	rst_apply_process(&x);
	if (rst_fds_install(path, img, fds) < 0)
		return -1;
	plan->exe_fd = rst_open_exe(img);
	rst_note("handing over to the restorer at %#llx",
	    (unsigned long long)x.res_addr);
	fflush(NULL);

	/* past this point only the restorer runs */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	rst_set_signals(img);
	if (rst_unregister_rseq(path) < 0)
		return -1;
	rst_stack_done();
	{
		uint64_t entry = (uint64_t)blob +
		    ((const char *)rst_restore - __start_rst_blob);
		uint64_t stack = (uint64_t)blob + code_len +
		    ALIGN_UP(plan_len, PAGE) + RST_STACK_SIZE - 64;
		uint64_t arg = (uint64_t)blob + code_len;

		__asm__ volatile(
		    "movq %0, %%rsp\n"
		    "movq %1, %%rdi\n"
		    "xorl %%ebp, %%ebp\n"
		    "jmp *%2\n"
		    : : "r"(stack), "r"(arg), "r"(entry) : "memory");
	}
	__builtin_unreachable();
}
