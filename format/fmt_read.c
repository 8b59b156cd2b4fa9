/*
 * fmt_read.c - the image reader (FORMAT.md describes the bytes).
 *
 * The image is untrusted: it may be truncated, damaged or hostile.  The
 * reader holds it in memory whole and walks it front to back the way the
 * writer produced it, so every byte of the file is accounted for by exactly
 * one record or chunk frame, and every one of those is checked by a hash.
 *
 * Algorithm (fmt_image_begin, then fmt_image_finish; fmt_image_open does
 * both):
 *  1. The header: magic, then the version (a newer major may have changed
 *     anything, so it is judged before the checksum), then the checksum.
 *  2. The trailer, found at the end, and the index it points to, each
 *     by its checksum; then every REGION record an index entry points to,
 *     so that a caller can plan memory before the stream is read.  Regions
 *     are allocated one per index entry: each entry is 40 bytes of the file.
 *  3. The walk from the header to the index: each frame's bounds and
 *     checksum, ordering rules, field ranges, each region compared with
 *     what step 2 read and with its index entry, each chunk handed to the
 *     caller's function as soon as it is checked.  Threads, fds and chunks
 *     are stored in arrays that grow per record found, so a hostile count
 *     field cannot make us allocate.  begin walks only the records before
 *     the first region; finish walks the rest.
 *  4. If step 2 or the walk of step 3 in begin fails, the image is walked
 *     again without the index, so that the error reported is the first one
 *     in file order (a truncated file is "truncated", not "bad trailer").
 *
 * Invariants: no access outside [buf, buf + len); every 'off + n' is
 * checked as 'len - off >= n' with off <= len already known; multi-byte
 * values are decoded with fmt_le*() and never by casting a struct over the
 * buffer.  fmt_bytes, fmt_chunk.frame and fmt_chunk.pages point into the
 * caller's buffer.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "fmt.h"

/*
 * Hashes detect damage, not intent: a hostile image can carry correct
 * ones.  A fuzzing build (-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION, the
 * libFuzzer convention) accepts any hash, so that mutated inputs reach the
 * structural checks behind them.
 */
static int
fmt_sum_ok(uint64_t want, const void *p, size_t n)
{
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	(void)want;
	(void)p;
	(void)n;
	return 1;
#else
	return fmt_hash(p, n) == want;
#endif
}

/* One metadata record, its checksum verified. */
struct fmt_frame {
	uint32_t	 type;
	const uint8_t	*body;
	uint32_t	 len;
	uint64_t	 end;		/* file offset just past the frame */
};

struct fmt_walk {
	struct fmt_image	*img;
	int			 indexed;	/* regions and index known */
	int			 head;		/* stop at the first region */
	uint64_t		 resume;	/* where finish goes on */
	fmt_chunk_fn		 fn;
	void			*arg;
	uint32_t		 nproc, nthreads, nfds, nregions, nchunks;
	uint32_t		 cap_threads, cap_fds, cap_chunks;
	uint32_t		*fdmap;		/* fd -> record index + 1 */
	uint32_t		 fdmap_cap;	/* a power of 2, or 0 */
	struct fmt_region	 tmp;		/* the region record just read */
	struct fmt_region	*cur;		/* the open region or NULL */
	uint64_t		 covered;	/* its bytes covered by chunks */
	uint32_t		 rchunks;	/* its chunks so far */
	uint64_t		 rstored;	/* their stored bytes */
	uint64_t		 next_chunk_off;
	uint64_t		 data_end;
	uint64_t		 prev_end;	/* end of the previous region */
	uint64_t		 index_off, index_end;
	const uint8_t		*index;		/* index body */
	uint64_t		 total_raw, total_stored, total_zero;
};

static int
fmt_fail(struct fmt_image *img, int code, uint64_t off, const char *what)
{
	img->err.code = code;
	img->err.file_off = off;
	img->err.what = what;
	return code;
}

static const char *
fmt_rec_name(uint32_t type)
{
	switch (type) {
	case FMT_REC_HEADER:
		return "header";
	case FMT_REC_PROCESS:
		return "process record";
	case FMT_REC_THREAD:
		return "thread record";
	case FMT_REC_FD:
		return "fd record";
	case FMT_REC_REGION:
		return "region record";
	case FMT_REC_CHUNK:
		return "chunk record";
	case FMT_REC_INDEX:
		return "index";
	case FMT_REC_TRAILER:
		return "trailer";
	}
	return "record";
}

/*
 * Reads the skippable frame at 'off' (off <= len) and verifies its
 * checksum; 'what' names what was expected there, for truncation.
 */
static int
fmt_read_frame(struct fmt_image *img, uint64_t off, const char *what,
    struct fmt_frame *f)
{
	const uint8_t *p;
	uint32_t magic, plen, type;

	if (img->len - off < 8)
		return fmt_fail(img, FMT_E_TRUNCATED, img->len, what);
	p = img->buf + off;
	magic = fmt_le32(p);
	if (magic != FMT_SKIPPABLE_MAGIC)
		return fmt_fail(img, FMT_E_CORRUPT, off,
		    magic == FMT_ZSTD_MAGIC ? "zstd frame without a chunk record"
		    : "frame magic");
	plen = fmt_le32(p + 4);
	if (plen < 16)
		return fmt_fail(img, FMT_E_CORRUPT, off, "record length");
	if (plen - 16 > FMT_RECORD_MAX)
		return fmt_fail(img, FMT_E_LIMIT, off, "record length");
	if (img->len - off - 8 < plen)
		return fmt_fail(img, FMT_E_TRUNCATED, img->len, what);
	type = fmt_le32(p + 8);
	if (!fmt_sum_ok(fmt_le64(p + plen), p, plen))
		return fmt_fail(img, FMT_E_CHECKSUM, off, fmt_rec_name(type));
	if (fmt_le32(p + 12) != 0)
		return fmt_fail(img, FMT_E_CORRUPT, off, "record reserved field");
	f->type = type;
	f->body = p + 16;
	f->len = plen - 16;
	f->end = off + 8 + plen;
	return 0;
}

/* ---- header ---- */

static int
fmt_read_header(struct fmt_image *img, uint64_t *end)
{
	static const uint8_t want[24] = {
		0x5c, 0x2a, 0x4d, 0x18,	0, 0, 0, 0,	/* magic, length */
		FMT_REC_HEADER, 0, 0, 0, 0, 0, 0, 0,	/* type, reserved */
		'C', 'K', 'P', 'T', 'I', 'M', 'G', 0,
	};
	const uint8_t *p = img->buf, *b;
	struct fmt_frame f;
	uint32_t flags, chunk_max, page;
	uint16_t major;
	size_t i;
	int rc;

	/* whatever prefix there is must look like ours */
	for (i = 0; i < sizeof(want) && i < img->len; i++)
		if ((i < 4 || i >= 8) && p[i] != want[i])
			return fmt_fail(img, FMT_E_NOT_CKPT, i, "header");
	if (img->len < 28)
		return fmt_fail(img, FMT_E_TRUNCATED, img->len, "header");
	major = fmt_le16(p + 24);
	if (major > FMT_VERSION_MAJOR) {
		img->err.found_major = major;
		img->err.found_minor = fmt_le16(p + 26);
		return fmt_fail(img, FMT_E_VERSION, 24, "header");
	}
	if (major == 0)
		return fmt_fail(img, FMT_E_CORRUPT, 24, "header version");
	if ((rc = fmt_read_frame(img, 0, "header", &f)) != 0)
		return rc;
	if (f.len < FMT_HEADER_BODY)
		return fmt_fail(img, FMT_E_CORRUPT, 0, "header length");
	b = f.body;
	flags = fmt_le32(b + 12);
	chunk_max = fmt_le32(b + 16);
	page = fmt_le32(b + 20);
	/* header flags would announce features every reader must know */
	if (flags != 0)
		return fmt_fail(img, FMT_E_UNKNOWN, 0, "header flags");
	if (page != FMT_PAGE_SIZE)
		return fmt_fail(img, FMT_E_CORRUPT, 0, "header page size");
	if (chunk_max < FMT_PAGE_SIZE || chunk_max > FMT_CHUNK_MAX_LIMIT ||
	    chunk_max % FMT_PAGE_SIZE != 0)
		return fmt_fail(img, FMT_E_LIMIT, 0, "header chunk size");
	img->major = major;
	img->minor = fmt_le16(b + 10);
	img->chunk_max = chunk_max;
	img->page_size = page;
	*end = f.end;
	return 0;
}

/* ---- TLV records ---- */

static int
fmt_read_fields(struct fmt_image *img, const struct fmt_frame *f,
    uint64_t off, const struct fmt_field *tab, uint32_t n, void *obj,
    uint32_t *present)
{
	const uint8_t *p = f->body, *v;
	const struct fmt_field *d;
	uint8_t *o = obj;
	struct fmt_bytes b;
	uint32_t pos = 0, vlen, bit, j, v32;
	uint16_t tag, flags;
	uint64_t v64;

	*present = 0;
	while (pos < f->len) {
		if (f->len - pos < 8)
			return fmt_fail(img, FMT_E_CORRUPT, off, "field header");
		tag = fmt_le16(p + pos);
		flags = fmt_le16(p + pos + 2);
		vlen = fmt_le32(p + pos + 4);
		pos += 8;
		if (flags & ~FMT_TLV_CRITICAL)
			return fmt_fail(img, FMT_E_CORRUPT, off, "field flags");
		if (vlen > f->len - pos)
			return fmt_fail(img, FMT_E_CORRUPT, off, "field length");
		v = p + pos;
		pos += vlen;
		/* tags start at 1: no version's field, old or new, has 0 */
		if (tag == 0)
			return fmt_fail(img, FMT_E_CORRUPT, off, "field tag 0");
		if (tag > n) {
			/* a newer writer's field: skip unless it is vital */
			if (flags & FMT_TLV_CRITICAL)
				return fmt_fail(img, FMT_E_UNKNOWN, off,
				    "critical field");
			continue;
		}
		d = &tab[tag - 1];
		bit = 1U << (tag - 1);
		if (*present & bit)
			return fmt_fail(img, FMT_E_CORRUPT, off,
			    "duplicate field");
		if (d->type != FMT_FT_BYTES && vlen != fmt_field_len(d))
			return fmt_fail(img, FMT_E_CORRUPT, off, "field length");
		switch (d->type) {
		case FMT_FT_U32:
			v32 = fmt_le32(v);
			memcpy(o + d->off, &v32, 4);
			break;
		case FMT_FT_U64S:
		case FMT_FT_U64S_U32:
			for (j = 0; j < d->n64; j++) {
				v64 = fmt_le64(v + 8 * j);
				memcpy(o + d->off + 8 * j, &v64, 8);
			}
			if (d->type == FMT_FT_U64S_U32) {
				v32 = fmt_le32(v + 8 * j);
				memcpy(o + d->off32, &v32, 4);
			}
			break;
		case FMT_FT_BYTES:
			/* zeroed whole, padding too: readers compare results */
			memset(&b, 0, sizeof(b));
			b.p = v;
			b.len = vlen;
			memcpy(o + d->off, &b, sizeof(b));
			break;
		}
		*present |= bit;
	}
	return 0;
}

static int
fmt_walk_process(struct fmt_walk *k, const struct fmt_frame *f, uint64_t off)
{
	struct fmt_image *img = k->img;

	if (k->nproc || k->nthreads || k->nfds || k->nregions)
		return fmt_fail(img, FMT_E_CORRUPT, off,
		    "process record out of order");
	k->nproc = 1;
	memset(&img->proc, 0, sizeof(img->proc));
	return fmt_read_fields(img, f, off, fmt_process_fields,
	    fmt_nprocess_fields, &img->proc, &img->proc.present);
}

/*
 * Makes room for element n of an array of *cap elements, doubling it.
 * Called once per record found, so the array is never larger than twice
 * the records the file holds.
 */
static int
fmt_grow(void **arr, uint32_t *cap, uint32_t n, size_t size)
{
	uint32_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap <= n)
		return -1;
	p = realloc(*arr, (size_t)ncap * size);
	if (p == NULL)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

static int
fmt_walk_thread(struct fmt_walk *k, const struct fmt_frame *f, uint64_t off)
{
	struct fmt_image *img = k->img;
	struct fmt_thread *t;

	if (k->nproc == 0 || k->nregions > 0)
		return fmt_fail(img, FMT_E_CORRUPT, off,
		    "thread record out of order");
	if (fmt_grow((void **)&img->threads, &k->cap_threads, k->nthreads,
	    sizeof(*t)) != 0)
		return fmt_fail(img, FMT_E_NOMEM, off, "thread records");
	t = &img->threads[k->nthreads];
	memset(t, 0, sizeof(*t));
	img->nthreads = ++k->nthreads;
	return fmt_read_fields(img, f, off, fmt_thread_fields,
	    fmt_nthread_fields, t, &t->present);
}

/*
 * The FD records read so far by descriptor number, for SHARE: open
 * addressing, kept at most half full.  Its slot for fd (0: empty).
 */
static uint32_t *
fmt_fdmap_slot(const struct fmt_walk *k, int32_t fd)
{
	uint32_t mask = k->fdmap_cap - 1, h;
	const struct fmt_fd *fds = k->img->fds;

	if (k->fdmap_cap == 0)
		return NULL;
	h = ((uint32_t)fd * 2654435761U) & mask;
	while (k->fdmap[h] != 0 && fds[k->fdmap[h] - 1].fd != fd)
		h = (h + 1) & mask;
	return &k->fdmap[h];
}

/* Room for one more number in the map; 0 or -1 (out of memory). */
static int
fmt_fdmap_grow(struct fmt_walk *k)
{
	uint32_t *old = k->fdmap, cap = k->fdmap_cap, i;

	if (k->nfds * 2 <= cap)
		return 0;
	if (cap > UINT32_MAX / 4)
		return -1;
	k->fdmap_cap = cap ? cap * 2 : 64;
	if ((k->fdmap = calloc(k->fdmap_cap, sizeof(*k->fdmap))) == NULL) {
		k->fdmap = old;
		k->fdmap_cap = cap;
		return -1;
	}
	for (i = 0; i < cap; i++)
		if (old[i] != 0)
			*fmt_fdmap_slot(k, k->img->fds[old[i] - 1].fd) = old[i];
	free(old);
	return 0;
}

static int
fmt_walk_fd(struct fmt_walk *k, const struct fmt_frame *f, uint64_t off)
{
	struct fmt_image *img = k->img;
	struct fmt_fd *d, *t;
	uint32_t *slot;
	int rc;

	if (k->nproc == 0 || k->nregions > 0)
		return fmt_fail(img, FMT_E_CORRUPT, off,
		    "fd record out of order");
	if (fmt_grow((void **)&img->fds, &k->cap_fds, k->nfds,
	    sizeof(*d)) != 0)
		return fmt_fail(img, FMT_E_NOMEM, off, "fd records");
	d = &img->fds[k->nfds];
	memset(d, 0, sizeof(*d));
	img->nfds = ++k->nfds;
	if ((rc = fmt_read_fields(img, f, off, fmt_fd_fields, fmt_nfd_fields,
	    d, &d->present)) != 0)
		return rc;
	if (d->present & FMT_F_SHARE) {
		slot = fmt_fdmap_slot(k, d->share);
		t = slot != NULL && *slot ? &img->fds[*slot - 1] : NULL;
		if (t == NULL || (t->present & FMT_F_SHARE) ||
		    d->share == d->fd)
			return fmt_fail(img, FMT_E_CORRUPT, off,
			    "fd record's shared descriptor");
		d->share_idx = *slot - 1;
	}
	if (fmt_fdmap_grow(k) != 0)
		return fmt_fail(img, FMT_E_NOMEM, off, "fd records");
	slot = fmt_fdmap_slot(k, d->fd);
	if (*slot == 0)
		*slot = k->nfds;	/* the first record of a number */
	return 0;
}

/* ---- regions and chunks ---- */

/* Ends the open region: its holes, and its index entry. */
static int
fmt_walk_close(struct fmt_walk *k)
{
	struct fmt_image *img = k->img;
	struct fmt_region *r = k->cur;
	const uint8_t *e;
	uint64_t zero;

	if (r == NULL)
		return 0;
	zero = (r->flags & FMT_R_NODATA) ? 0 :
	    (r->end - r->start) - k->covered;
	k->total_zero += zero;
	k->cur = NULL;
	img->err.chunk = -1;
	if (!k->indexed)
		return 0;
	/*
	 * The region opened at the record this entry names, and begin gave
	 * it the entry's counts: the stream must agree with them.
	 */
	e = k->index + FMT_INDEX_BODY + (size_t)FMT_INDEX_ENTRY *
	    (k->nregions - 1);
	if (fmt_le64(e + 8) != k->data_end ||
	    fmt_le64(e + 16) != k->rstored || fmt_le64(e + 24) != zero ||
	    fmt_le32(e + 32) != k->rchunks || fmt_le32(e + 36) != 0)
		return fmt_fail(img, FMT_E_INDEX, r->record_off, "index entry");
	return 0;
}

/*
 * Decodes the REGION record f at 'off' into r and checks its fields;
 * 'prev_end' is the end of the region before it, 0 for the first.
 */
static int
fmt_parse_region(struct fmt_image *img, const struct fmt_frame *f,
    uint64_t off, uint64_t prev_end, struct fmt_region *r)
{
	const uint8_t *b = f->body;
	uint32_t plen;

	memset(r, 0, sizeof(*r));
	if (f->len < FMT_REGION_BODY)
		return fmt_fail(img, FMT_E_CORRUPT, off, "region record length");
	r->start = fmt_le64(b);
	r->end = fmt_le64(b + 8);
	r->offset = fmt_le64(b + 16);
	r->inode = fmt_le64(b + 24);
	r->dev_major = fmt_le32(b + 32);
	r->dev_minor = fmt_le32(b + 36);
	r->prot = fmt_le32(b + 40);
	r->flags = fmt_le32(b + 44);
	r->kind = fmt_le32(b + 48);
	plen = fmt_le32(b + 52);
	/* bytes after the path are fields of a newer minor version */
	if (plen > f->len - FMT_REGION_BODY)
		return fmt_fail(img, FMT_E_CORRUPT, off, "region path length");
	r->path.p = b + FMT_REGION_BODY;
	r->path.len = plen;
	/* 1.1 added the advice; a 1.0 writer's excess bytes are not it,
	 * and a later image without it is short, as any body cut short */
	if (img->major > 1 || img->minor >= 1) {
		if (f->len - FMT_REGION_BODY - plen < FMT_REGION_ADVICE)
			return fmt_fail(img, FMT_E_CORRUPT, off,
			    "region record length");
		r->advice = fmt_le32(b + FMT_REGION_BODY + plen);
	}
	r->record_off = off;
	img->err.path = r->path;
	if (r->start >= r->end || (r->start | r->end) % img->page_size != 0)
		return fmt_fail(img, FMT_E_CORRUPT, off, "region bounds");
	if (r->start < prev_end)
		return fmt_fail(img, FMT_E_CORRUPT, off,
		    "regions overlap or are out of order");
	if (r->prot & ~7U)
		return fmt_fail(img, FMT_E_CORRUPT, off, "region protection");
	if (r->flags & ~(uint32_t)(FMT_R_SHARED | FMT_R_ANON | FMT_R_NODATA |
	    FMT_R_STACK | FMT_R_HEAP))
		return fmt_fail(img, FMT_E_CORRUPT, off, "region flags");
	if (r->kind > FMT_K_VSYSCALL)
		return fmt_fail(img, FMT_E_UNKNOWN, off, "region kind");
	return 0;
}

/* Whether two decodings of one REGION record agree. */
static int
fmt_region_same(const struct fmt_region *a, const struct fmt_region *b)
{
	return a->start == b->start && a->end == b->end &&
	    a->offset == b->offset && a->inode == b->inode &&
	    a->dev_major == b->dev_major && a->dev_minor == b->dev_minor &&
	    a->prot == b->prot && a->flags == b->flags &&
	    a->kind == b->kind && a->advice == b->advice &&
	    a->record_off == b->record_off &&
	    a->path.len == b->path.len &&
	    memcmp(a->path.p, b->path.p, a->path.len) == 0;
}

static int
fmt_walk_region(struct fmt_walk *k, const struct fmt_frame *f, uint64_t off)
{
	struct fmt_image *img = k->img;
	struct fmt_region *r = &k->tmp;
	int rc;

	if (k->nproc == 0)
		return fmt_fail(img, FMT_E_CORRUPT, off,
		    "region record before the process record");
	if ((rc = fmt_walk_close(k)) != 0)
		return rc;
	if (k->nregions == UINT32_MAX)
		return fmt_fail(img, FMT_E_LIMIT, off, "region count");
	img->err.region = k->nregions;
	img->err.chunk = -1;
	img->err.path.p = NULL;
	img->err.path.len = 0;
	if ((rc = fmt_parse_region(img, f, off, k->nregions > 0 ?
	    k->prev_end : 0, r)) != 0)
		return rc;
	if (k->indexed) {
		/* the region the index promised, read at the same offset */
		if (k->nregions >= img->nregions)
			return fmt_fail(img, FMT_E_INDEX, off, "index counts");
		if (img->regions[k->nregions].record_off != off)
			return fmt_fail(img, FMT_E_INDEX, off, "index entry");
		if (!fmt_region_same(r, &img->regions[k->nregions]))
			return fmt_fail(img, FMT_E_CORRUPT, off,
			    "image changed while reading");
		r = &img->regions[k->nregions];
	}
	r->first_chunk = k->nchunks;
	if (r->kind == FMT_K_MEMORY)
		k->total_raw += r->end - r->start;
	k->cur = r;
	k->covered = 0;
	k->rchunks = 0;
	k->rstored = 0;
	k->next_chunk_off = 0;
	k->data_end = f->end;
	k->prev_end = r->end;
	k->nregions++;
	return 0;
}

static int
fmt_walk_chunk(struct fmt_walk *k, const struct fmt_frame *f, uint64_t off,
    uint64_t *next)
{
	struct fmt_image *img = k->img;
	struct fmt_region *r = k->cur;
	const uint8_t *b = f->body, *frame;
	struct fmt_chunk *c, pc;
	uint32_t region, raw_len, stored_len, npages = 0;
	uint64_t coff, rlen, end;

	if (r == NULL)
		return fmt_fail(img, FMT_E_CORRUPT, off,
		    "chunk record outside a region");
	img->err.chunk = k->rchunks;
	if (f->len < FMT_CHUNK_BODY)
		return fmt_fail(img, FMT_E_CORRUPT, off, "chunk record length");
	region = fmt_le32(b);
	raw_len = fmt_le32(b + 4);
	coff = fmt_le64(b + 8);
	stored_len = fmt_le32(b + 16);
	rlen = r->end - r->start;
	if (region != k->nregions - 1)
		return fmt_fail(img, FMT_E_CORRUPT, off, "chunk region");
	if (r->flags & FMT_R_NODATA)
		return fmt_fail(img, FMT_E_CORRUPT, off,
		    "chunk in a region that stores no data");
	if (f->type == FMT_REC_PAGES) {
		/* exactly its page list: no room for newer fields */
		npages = fmt_le32(b + 20);
		if (npages == 0 || (f->len - FMT_PAGES_BODY) / 4 != npages ||
		    (f->len - FMT_PAGES_BODY) % 4 != 0)
			return fmt_fail(img, FMT_E_CORRUPT, off,
			    "pages record length");
		memset(&pc, 0, sizeof(pc));
		pc.raw_len = raw_len;
		pc.offset = coff;
		pc.npages = npages;
		pc.pages = b + FMT_PAGES_BODY;
		if (fmt_check_pages(&pc, rlen, &end) != 0)
			return fmt_fail(img, FMT_E_CORRUPT, off,
			    "pages record's page list");
	} else if (fmt_le32(b + 20) != 0)
		return fmt_fail(img, FMT_E_CORRUPT, off, "chunk reserved field");
	else
		end = coff + raw_len;
	if (raw_len == 0 || raw_len % img->page_size != 0 ||
	    raw_len > img->chunk_max)
		return fmt_fail(img, FMT_E_CORRUPT, off, "chunk length");
	if (coff % img->page_size != 0 || coff < k->next_chunk_off)
		return fmt_fail(img, FMT_E_CORRUPT, off,
		    "chunk offset overlaps or is unaligned");
	if (coff > rlen || raw_len > rlen - coff)
		return fmt_fail(img, FMT_E_CORRUPT, off,
		    "chunk beyond its region");
	if (stored_len == 0 || stored_len > ZSTD_compressBound(raw_len))
		return fmt_fail(img, FMT_E_CORRUPT, off, "chunk stored length");
	if (img->len - f->end < stored_len)
		return fmt_fail(img, FMT_E_TRUNCATED, img->len, "chunk data");
	if (k->nchunks == UINT32_MAX)
		return fmt_fail(img, FMT_E_LIMIT, off, "chunk count");

	/* without the index the walk only looks for the first error */
	if (!k->indexed)
		goto counted;
	if (fmt_grow((void **)&img->chunks, &k->cap_chunks, k->nchunks,
	    sizeof(*c)) != 0)
		return fmt_fail(img, FMT_E_NOMEM, off, "chunk records");
	frame = img->buf + f->end;
	c = &img->chunks[k->nchunks];
	memset(c, 0, sizeof(*c));
	c->region = region;
	c->raw_len = raw_len;
	c->offset = coff;
	c->stored_len = stored_len;
	c->raw_hash = fmt_le64(b + 24);
	c->stored_hash = fmt_le64(b + 32);
	c->frame = frame;
	c->file_off = f->end;
	c->npages = npages;
	c->pages = npages != 0 ? b + FMT_PAGES_BODY : NULL;
	if (!(img->flags & FMT_OPEN_LAZY_FRAMES)) {
		if (!fmt_sum_ok(c->stored_hash, frame, stored_len))
			return fmt_fail(img, FMT_E_DATA_CHECKSUM, f->end,
			    "chunk frame");
		/* exactly one zstd frame that says how much it holds */
		if (ZSTD_findFrameCompressedSize(frame, stored_len) !=
		    stored_len ||
		    ZSTD_getFrameContentSize(frame, stored_len) != raw_len)
			return fmt_fail(img, FMT_E_CORRUPT, f->end,
			    "chunk frame header");
	}
	img->nchunks = k->nchunks + 1;
	if (k->fn != NULL) {
		int rc = k->fn(k->arg, img, c);

		if (rc != 0)
			return fmt_fail(img, rc, f->end, "chunk");
	}
counted:
	k->nchunks++;
	k->rchunks++;
	k->rstored += stored_len;
	k->covered += raw_len;
	k->total_stored += stored_len;
	k->next_chunk_off = end;
	k->data_end = f->end + stored_len;
	*next = k->data_end;
	img->err.chunk = -1;
	return 0;
}

/*
 * A record failed its checks before its type could be trusted: still, for
 * the message, say which chunk it would have been, or that it was not in a
 * region at all.
 */
static void
fmt_walk_blame(struct fmt_walk *k, uint64_t off)
{
	struct fmt_image *img = k->img;
	uint32_t type;

	if (img->len - off < 12)
		return;
	type = fmt_le32(img->buf + off + 8);
	if ((type == FMT_REC_CHUNK || type == FMT_REC_PAGES) && k->cur != NULL)
		img->err.chunk = k->rchunks;
	else if (type == FMT_REC_INDEX || type == FMT_REC_TRAILER ||
	    type == FMT_REC_REGION) {
		img->err.region = type == FMT_REC_REGION ?
		    (int64_t)k->nregions : -1;
		img->err.chunk = -1;
		img->err.path.p = NULL;
		img->err.path.len = 0;
	}
}

/* Walks the records from 'off' to the INDEX (FORMAT.md "Order"). */
static int
fmt_walk(struct fmt_walk *k, uint64_t off)
{
	struct fmt_image *img = k->img;
	struct fmt_frame f;
	uint64_t next;
	int rc;

	for (;;) {
		if ((rc = fmt_read_frame(img, off, "record", &f)) != 0) {
			fmt_walk_blame(k, off);
			return rc;
		}
		next = f.end;
		if (k->head && (f.type == FMT_REC_REGION ||
		    f.type == FMT_REC_INDEX)) {
			k->resume = off;
			return 0;
		}
		switch (f.type) {
		case FMT_REC_PROCESS:
			rc = fmt_walk_process(k, &f, off);
			break;
		case FMT_REC_THREAD:
			rc = fmt_walk_thread(k, &f, off);
			break;
		case FMT_REC_FD:
			rc = fmt_walk_fd(k, &f, off);
			break;
		case FMT_REC_REGION:
			rc = fmt_walk_region(k, &f, off);
			break;
		case FMT_REC_PAGES:
			/* to a reader of major 1, an unknown record */
			if (img->major < 2)
				return fmt_fail(img, FMT_E_UNKNOWN, off,
				    "record type");
			/* fall through */
		case FMT_REC_CHUNK:
			rc = fmt_walk_chunk(k, &f, off, &next);
			break;
		case FMT_REC_INDEX:
			if ((rc = fmt_walk_close(k)) != 0)
				return rc;
			img->err.region = -1;
			if (k->nproc == 0)
				return fmt_fail(img, FMT_E_CORRUPT, off,
				    "no process record");
			/* the walk must end where the trailer said */
			if (k->indexed)
				return off == k->index_off ? 0 :
				    fmt_fail(img, FMT_E_INDEX, off, "index");
			k->index_off = off;
			k->index_end = f.end;
			k->index = f.body;
			if (f.len < FMT_INDEX_BODY)
				return fmt_fail(img, FMT_E_CORRUPT, off,
				    "index length");
			return 0;
		case FMT_REC_HEADER:
		case FMT_REC_TRAILER:
			return fmt_fail(img, FMT_E_CORRUPT, off,
			    f.type == FMT_REC_HEADER ? "second header" :
			    "trailer before the index");
		default:
			/* optional records are there for newer readers */
			if (!(f.type & FMT_REC_OPTIONAL))
				return fmt_fail(img, FMT_E_UNKNOWN, off,
				    "record type");
			break;
		}
		if (rc != 0)
			return rc;
		off = next;
	}
}

/* The trailer must directly follow the index and end the file. */
static int
fmt_read_trailer(struct fmt_image *img, const struct fmt_walk *k)
{
	struct fmt_frame f;
	int rc;

	if ((rc = fmt_read_frame(img, k->index_end, "trailer", &f)) != 0)
		return rc;
	if (f.type != FMT_REC_TRAILER)
		return fmt_fail(img, FMT_E_CORRUPT, k->index_end,
		    "record after the index");
	/* fixed in major 1, so that tools can find it from the end */
	if (f.len != FMT_TRAILER_BODY)
		return fmt_fail(img, FMT_E_CORRUPT, k->index_end,
		    "trailer length");
	if (f.end != img->len)
		return fmt_fail(img, FMT_E_CORRUPT, f.end,
		    "data after the trailer");
	if (fmt_le64(f.body) != k->index_off ||
	    fmt_le64(f.body + 8) != k->index_end - k->index_off ||
	    fmt_le64(f.body + 16) != img->len)
		return fmt_fail(img, FMT_E_INDEX, k->index_end, "trailer");
	return 0;
}

static void
fmt_image_free(struct fmt_image *img)
{
	free(img->threads);
	free(img->fds);
	free(img->regions);
	free(img->chunks);
	if (img->walk != NULL)
		free(img->walk->fdmap);
	free(img->walk);
	img->threads = NULL;
	img->fds = NULL;
	img->regions = NULL;
	img->chunks = NULL;
	img->walk = NULL;
	img->nthreads = img->nfds = img->nregions = img->nchunks = 0;
}

static void *
fmt_calloc(uint32_t n, size_t size)
{
	return calloc(n ? n : 1, size);
}

static void
fmt_err_reset(struct fmt_error *e)
{
	memset(e, 0, sizeof(*e));
	e->region = -1;
	e->chunk = -1;
}

/*
 * Step 2: the trailer at the end, the index it points to, and the REGION
 * record each index entry points to, with the entry's counts.
 */
static int
fmt_read_indexed(struct fmt_walk *k, uint64_t start)
{
	struct fmt_image *img = k->img;
	struct fmt_frame f, g;
	uint64_t off, ioff, prev_end = 0, nchunks = 0;
	uint32_t nreg, i;
	const uint8_t *e;
	int rc;

	if (img->len - start < FMT_REC_OVERHEAD + FMT_TRAILER_BODY)
		return fmt_fail(img, FMT_E_TRUNCATED, img->len, "trailer");
	off = img->len - FMT_REC_OVERHEAD - FMT_TRAILER_BODY;
	if ((rc = fmt_read_frame(img, off, "trailer", &f)) != 0)
		return rc;
	if (f.type != FMT_REC_TRAILER || f.len != FMT_TRAILER_BODY)
		return fmt_fail(img, FMT_E_CORRUPT, off, "trailer");
	ioff = fmt_le64(f.body);
	if (fmt_le64(f.body + 16) != img->len || ioff < start || ioff >= off ||
	    fmt_le64(f.body + 8) != off - ioff)
		return fmt_fail(img, FMT_E_INDEX, off, "trailer");
	if ((rc = fmt_read_frame(img, ioff, "index", &f)) != 0)
		return rc;
	if (f.type != FMT_REC_INDEX || f.end != off)
		return fmt_fail(img, FMT_E_INDEX, ioff, "index");
	if (f.len < FMT_INDEX_BODY)
		return fmt_fail(img, FMT_E_CORRUPT, ioff, "index length");
	nreg = fmt_le32(f.body);
	/* entries past nregions would belong to a newer minor version */
	if ((f.len - FMT_INDEX_BODY) / FMT_INDEX_ENTRY < nreg)
		return fmt_fail(img, FMT_E_CORRUPT, ioff, "index length");
	k->index_off = ioff;
	k->index_end = off;
	k->index = f.body;
	img->regions = fmt_calloc(nreg, sizeof(*img->regions));
	if (img->regions == NULL)
		return fmt_fail(img, FMT_E_NOMEM, ioff, "image arrays");
	img->nregions = nreg;
	for (i = 0; i < nreg; i++) {
		struct fmt_region *r = &img->regions[i];

		e = f.body + FMT_INDEX_BODY + (size_t)FMT_INDEX_ENTRY * i;
		off = fmt_le64(e);
		if (off < start || off >= ioff)
			return fmt_fail(img, FMT_E_INDEX, ioff, "index entry");
		img->err.region = i;
		if ((rc = fmt_read_frame(img, off, "region record", &g)) != 0)
			return rc;
		if (g.type != FMT_REC_REGION)
			return fmt_fail(img, FMT_E_INDEX, off, "index entry");
		if ((rc = fmt_parse_region(img, &g, off, prev_end, r)) != 0)
			return rc;
		prev_end = r->end;
		r->first_chunk = (uint32_t)nchunks;
		r->nchunks = fmt_le32(e + 32);
		r->stored_bytes = fmt_le64(e + 16);
		r->zero_bytes = fmt_le64(e + 24);
		nchunks += r->nchunks;
		if (nchunks > UINT32_MAX)
			return fmt_fail(img, FMT_E_LIMIT, ioff, "chunk count");
	}
	return 0;
}

/*
 * Step 4: something did not match what the index promised.  The image is
 * walked again without it, so that the error reported is the first in
 * file order; if that walk finds none, the index disagrees with the stream.
 */
static int
fmt_first_error(struct fmt_image *img, uint64_t start, int rc)
{
	struct fmt_error why = img->err;
	struct fmt_walk k;
	int rc2;

	fmt_image_free(img);
	fmt_err_reset(&img->err);
	memset(&k, 0, sizeof(k));
	k.img = img;
	if ((rc2 = fmt_walk(&k, start)) == 0 &&
	    (rc2 = fmt_read_trailer(img, &k)) == 0) {
		/* a sound stream: the index points at the wrong records */
		fmt_err_reset(&img->err);
		if (rc == FMT_E_NOMEM)
			img->err = why;
		else
			rc = fmt_fail(img, FMT_E_INDEX, k.index_off, "index");
		rc2 = rc;
	}
	free(k.fdmap);
	fmt_image_free(img);
	return rc2;
}

int
fmt_image_begin(struct fmt_image *img, const void *buf, size_t len,
    unsigned flags)
{
	struct fmt_walk *k;
	uint64_t start;
	int rc;

	memset(img, 0, sizeof(*img));
	fmt_err_reset(&img->err);
	img->buf = buf;
	img->len = len;
	img->flags = flags;
	if (buf == NULL && len > 0)
		return fmt_fail(img, FMT_E_CORRUPT, 0, "buffer");
	if ((rc = fmt_read_header(img, &start)) != 0)
		return rc;
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return fmt_fail(img, FMT_E_NOMEM, 0, "image arrays");
	img->walk = k;
	k->img = img;
	k->indexed = 1;
	k->head = 1;
	if ((rc = fmt_read_indexed(k, start)) == 0) {
		img->err.region = -1;
		img->err.path.p = NULL;
		img->err.path.len = 0;
		rc = fmt_walk(k, start);
	}
	if (rc == 0 && k->nthreads != fmt_le32(k->index + 4))
		rc = fmt_fail(img, FMT_E_INDEX, k->index_off, "index counts");
	if (rc != 0)
		return fmt_first_error(img, start, rc);
	k->head = 0;
	fmt_err_reset(&img->err);
	return 0;
}

int
fmt_image_finish(struct fmt_image *img, fmt_chunk_fn fn, void *arg)
{
	struct fmt_walk *k = img->walk;
	const uint8_t *ib;
	int rc;

	if (k == NULL)
		return fmt_fail(img, FMT_E_CORRUPT, 0, "image not begun");
	k->fn = fn;
	k->arg = arg;
	if ((rc = fmt_walk(k, k->resume)) != 0)
		goto fail;
	ib = k->index;
	if (k->nregions != img->nregions) {
		rc = fmt_fail(img, FMT_E_INDEX, k->index_off, "index counts");
		goto fail;
	}
	if (fmt_le64(ib + 8) != k->total_raw ||
	    fmt_le64(ib + 16) != k->total_stored ||
	    fmt_le64(ib + 24) != k->total_zero) {
		rc = fmt_fail(img, FMT_E_INDEX, k->index_off, "index totals");
		goto fail;
	}
	img->total_raw = k->total_raw;
	img->total_stored = k->total_stored;
	img->total_zero = k->total_zero;
	free(k->fdmap);
	free(k);
	img->walk = NULL;
	fmt_err_reset(&img->err);
	return 0;
fail:
	fmt_image_free(img);
	return rc;
}

int
fmt_image_open(struct fmt_image *img, const void *buf, size_t len)
{
	return fmt_image_open_flags(img, buf, len, 0);
}

int
fmt_image_open_flags(struct fmt_image *img, const void *buf, size_t len,
    unsigned flags)
{
	int rc;

	if ((rc = fmt_image_begin(img, buf, len, flags)) != 0)
		return rc;
	return fmt_image_finish(img, NULL, NULL);
}

void
fmt_image_close(struct fmt_image *img)
{
	fmt_image_free(img);
}

int
fmt_chunk_decompress(struct ZSTD_DCtx_s *dctx, const struct fmt_chunk *c,
    void *dst, size_t dst_cap)
{
	size_t n;

	if (dst_cap < c->raw_len)
		return FMT_E_SPACE;
	/* byte 4, the frame header descriptor: bit 2 asks for a content
	 * checksum, which a chunk's frame has not (raw_hash is its check) */
	if (ZSTD_getFrameContentSize(c->frame, c->stored_len) != c->raw_len ||
	    ZSTD_findFrameCompressedSize(c->frame, c->stored_len) !=
	    c->stored_len || c->stored_len < 5 ||
	    (((const uint8_t *)c->frame)[4] & 0x04))
		return FMT_E_CORRUPT;
	n = ZSTD_decompressDCtx(dctx, dst, c->raw_len, c->frame,
	    c->stored_len);
	if (ZSTD_isError(n))
		return FMT_E_ZSTD;
	if (n != c->raw_len)
		return FMT_E_CORRUPT;
	if (!fmt_sum_ok(c->raw_hash, dst, n))
		return FMT_E_DATA_CHECKSUM;
	return 0;
}

int
fmt_chunk_decompress_frame(struct ZSTD_DCtx_s *dctx,
    const struct fmt_chunk *c, const void *frame, void *dst, size_t dst_cap)
{
	struct fmt_chunk copy = *c;

	if (!fmt_sum_ok(c->stored_hash, frame, c->stored_len))
		return FMT_E_DATA_CHECKSUM;
	copy.frame = frame;
	return fmt_chunk_decompress(dctx, &copy, dst, dst_cap);
}

int
fmt_image_verify(struct fmt_image *img)
{
	const struct fmt_region *r;
	const struct fmt_chunk *c;
	ZSTD_DCtx *dctx;
	uint32_t i, j;
	void *buf;
	int rc = 0;

	fmt_err_reset(&img->err);
	dctx = ZSTD_createDCtx();
	buf = malloc(img->chunk_max ? img->chunk_max : 1);
	if (dctx == NULL || buf == NULL) {
		rc = fmt_fail(img, FMT_E_NOMEM, 0, "verify buffers");
		goto out;
	}
	/* no frame may ask for a window beyond the largest chunk */
	ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, 26);
	for (i = 0; i < img->nregions; i++) {
		r = &img->regions[i];
		for (j = 0; j < r->nchunks; j++) {
			c = &img->chunks[r->first_chunk + j];
			rc = (img->flags & FMT_OPEN_LAZY_FRAMES) ?
			    fmt_chunk_decompress_frame(dctx, c, c->frame, buf,
			    img->chunk_max) :
			    fmt_chunk_decompress(dctx, c, buf, img->chunk_max);
			if (rc != 0) {
				img->err.region = i;
				img->err.chunk = j;
				img->err.path = r->path;
				fmt_fail(img, rc, c->file_off, "chunk data");
				goto out;
			}
		}
	}
out:
	ZSTD_freeDCtx(dctx);
	free(buf);
	return rc;
}

/* Copies a path for people: printable bytes only, bounded. */
static void
fmt_put_path(char *dst, size_t n, const struct fmt_bytes *b)
{
	const uint8_t *s = b->p;
	size_t i, o = 0;

	for (i = 0; i < b->len && o + 4 < n && i < 200; i++)
		dst[o++] = (s[i] >= 0x20 && s[i] < 0x7f) ? (char)s[i] : '?';
	if (i < b->len && o + 4 < n) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	if (n > 0)
		dst[o < n ? o : n - 1] = '\0';
}

void
fmt_describe_error(const struct fmt_image *img, char *buf, size_t n)
{
	const struct fmt_error *e = &img->err;
	char where[256] = "", chunk[32] = "", path[208];
	const char *what = e->what ? e->what : "image";

	if (n == 0)
		return;
	switch (e->code) {
	case FMT_OK:
		snprintf(buf, n, "no error");
		return;
	case FMT_E_NOT_CKPT:
		snprintf(buf, n, "not a ckpt image");
		return;
	case FMT_E_VERSION:
		snprintf(buf, n, "image format version %u.%u is newer than "
		    "this ckpt supports (%u.x to %u.x)", e->found_major,
		    e->found_minor, FMT_OLDEST_MAJOR, FMT_VERSION_MAJOR);
		return;
	case FMT_E_TRUNCATED:
		snprintf(buf, n, "truncated at offset %llu (expected %s)",
		    (unsigned long long)e->file_off, what);
		return;
	case FMT_E_INDEX:
		snprintf(buf, n, "%s: disagrees with the stream at offset %llu",
		    strncmp(what, "index", 5) == 0 ? "index" : what,
		    (unsigned long long)e->file_off);
		return;
	}
	if (e->region >= 0) {
		fmt_put_path(path, sizeof(path), &e->path);
		snprintf(where, sizeof(where), "region %lld%s%s: ",
		    (long long)e->region, path[0] ? " " : "", path);
	}
	if (e->chunk >= 0 && (e->code == FMT_E_DATA_CHECKSUM ||
	    e->code == FMT_E_CHECKSUM)) {
		snprintf(buf, n, "%schecksum mismatch at chunk %lld", where,
		    (long long)e->chunk);
		return;
	}
	if (e->chunk >= 0)
		snprintf(chunk, sizeof(chunk), "chunk %lld: ",
		    (long long)e->chunk);
	snprintf(buf, n, "%s%s%s at offset %llu: %s", where, chunk, what,
	    (unsigned long long)e->file_off, fmt_strerror(e->code));
}
