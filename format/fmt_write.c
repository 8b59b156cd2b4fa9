/*
 * fmt_write.c - the one-pass image writer (FORMAT.md describes the bytes).
 *
 * It runs in libckpt's forked snapshot of someone else's process, so it
 * never allocates, never uses stdio and never seeks: bytes go to the
 * caller's write callback strictly in file order, which lets an image go to
 * a pipe.  Records are assembled in the caller's scratch buffer; a record
 * larger than the buffer is handed out in pieces while an incremental XXH3
 * state computes its checksum, so the scratch size limits nothing.  Chunk
 * frames go straight from the caller's buffer to the callback.
 *
 * The stream is:
 *
 *   HEADER PROCESS {THREAD|FD|optional}* {REGION {CHUNK frame}*}* INDEX TRAILER
 *
 * and w->state says where in it we are; calls out of that order fail with
 * FMT_E_ORDER.  The first error sticks in w->err and every later call
 * returns it, so a caller may check only fmt_write_end()'s result.
 */
#include <config.h>

#include <string.h>

#define XXH_STATIC_LINKING_ONLY		/* XXH3_state_t on the stack */
#ifdef HAVE_XXH_X86DISPATCH_H
#include <xxh_x86dispatch.h>
#else
#include <xxhash.h>
#endif
#define ZSTD_STATIC_LINKING_ONLY	/* ZSTD_getCParams, context sizes */
#include <zstd.h>
#include <zstd_errors.h>

#include "fmt.h"

enum {
	FMT_W_INIT,		/* nothing written */
	FMT_W_HEADER,		/* header written, process record next */
	FMT_W_META,		/* threads, fds, optional records */
	FMT_W_REGION,		/* inside a region that takes chunks */
	FMT_W_NODATA,		/* inside a region that stores nothing */
	FMT_W_DONE,		/* index and trailer written */
};

/*
 * One record being emitted.  In a dry run nothing is written, only 'done'
 * counts the body bytes, so TLV bodies are sized by the same code that
 * writes them.
 */
struct fmt_rec {
	struct fmt_writer	*w;
	XXH3_state_t		 st;
	size_t			 fill;	/* bytes waiting in w->scratch */
	uint64_t		 want;	/* bytes the frame header announced */
	uint64_t		 done;	/* bytes emitted so far */
	int			 dry;
};

static int
fmt_w_fail(struct fmt_writer *w, int code)
{
	if (w->err == 0)
		w->err = code;
	return w->err;
}

static void
fmt_rec_flush(struct fmt_rec *r)
{
	struct fmt_writer *w = r->w;
	int rc;

	if (r->fill > 0 && w->err == 0) {
		rc = w->write(w->arg, w->scratch, r->fill);
		if (rc < 0)
			fmt_w_fail(w, rc);
		else
			w->off += r->fill;
	}
	r->fill = 0;
}

/* Buffers bytes without hashing them (the checksum itself). */
static void
fmt_rec_raw(struct fmt_rec *r, const void *p, size_t n)
{
	struct fmt_writer *w = r->w;
	const uint8_t *s = p;
	size_t k;

	while (n > 0 && w->err == 0) {
		if (r->fill == w->scratch_len)
			fmt_rec_flush(r);
		k = w->scratch_len - r->fill;
		if (k > n)
			k = n;
		memcpy(w->scratch + r->fill, s, k);
		r->fill += k;
		s += k;
		n -= k;
	}
}

static void
fmt_rec_put(struct fmt_rec *r, const void *p, size_t n)
{
	r->done += n;
	if (r->dry || n == 0 || r->w->err != 0)
		return;
	XXH3_64bits_update(&r->st, p, n);
	fmt_rec_raw(r, p, n);
}

static void
fmt_rec_u16(struct fmt_rec *r, uint16_t v)
{
	uint8_t b[2];

	fmt_put16(b, v);
	fmt_rec_put(r, b, sizeof(b));
}

static void
fmt_rec_u32(struct fmt_rec *r, uint32_t v)
{
	uint8_t b[4];

	fmt_put32(b, v);
	fmt_rec_put(r, b, sizeof(b));
}

static void
fmt_rec_u64(struct fmt_rec *r, uint64_t v)
{
	uint8_t b[8];

	fmt_put64(b, v);
	fmt_rec_put(r, b, sizeof(b));
}

static void
fmt_rec_dry(struct fmt_rec *r, struct fmt_writer *w)
{
	r->w = w;
	r->dry = 1;
	r->done = 0;
	r->fill = 0;
}

static int
fmt_rec_begin(struct fmt_rec *r, struct fmt_writer *w, uint32_t type,
    uint64_t body_len)
{
	r->w = w;
	r->dry = 0;
	r->fill = 0;
	r->done = 0;
	if (body_len > FMT_RECORD_MAX)
		return fmt_w_fail(w, FMT_E_LIMIT);
	r->want = 16 + body_len;
	XXH3_INITSTATE(&r->st);
	if (XXH3_64bits_reset(&r->st) != XXH_OK)
		return fmt_w_fail(w, FMT_E_CORRUPT);
	fmt_rec_u32(r, FMT_SKIPPABLE_MAGIC);
	fmt_rec_u32(r, (uint32_t)(body_len + 16));	/* type..checksum */
	fmt_rec_u32(r, type);
	fmt_rec_u32(r, 0);
	return w->err;
}

static int
fmt_rec_end(struct fmt_rec *r)
{
	uint8_t b[8];

	/* the announced length and the bytes sent must agree exactly */
	if (r->done != r->want)
		return fmt_w_fail(r->w, FMT_E_CORRUPT);
	if (r->w->err)
		return r->w->err;
	fmt_put64(b, XXH3_64bits_digest(&r->st));
	fmt_rec_raw(r, b, sizeof(b));
	fmt_rec_flush(r);
	return r->w->err;
}

void
fmt_writer_init(struct fmt_writer *w, fmt_write_fn fn, void *arg,
    void *scratch, size_t scratch_len, struct fmt_index_entry *idx,
    uint32_t idx_cap, uint32_t chunk_max)
{
	memset(w, 0, sizeof(*w));
	w->write = fn;
	w->arg = arg;
	w->scratch = scratch;
	w->scratch_len = scratch_len;
	w->idx = idx;
	w->idx_cap = idx ? idx_cap : 0;
	w->chunk_max = chunk_max;
	w->state = FMT_W_INIT;
	if (fn == NULL)
		w->err = FMT_E_ORDER;
	else if (scratch == NULL || scratch_len == 0)
		w->err = FMT_E_SPACE;
	else if (chunk_max < FMT_PAGE_SIZE || chunk_max > FMT_CHUNK_MAX_LIMIT ||
	    chunk_max % FMT_PAGE_SIZE != 0)
		w->err = FMT_E_LIMIT;
}

int
fmt_write_header(struct fmt_writer *w)
{
	struct fmt_rec r;

	if (w->err)
		return w->err;
	if (w->state != FMT_W_INIT)
		return fmt_w_fail(w, FMT_E_ORDER);
	fmt_rec_begin(&r, w, FMT_REC_HEADER, FMT_HEADER_BODY);
	fmt_rec_put(&r, FMT_FILE_MAGIC, 8);	/* with its NUL */
	fmt_rec_u16(&r, FMT_VERSION_MAJOR);
	fmt_rec_u16(&r, FMT_VERSION_MINOR);
	fmt_rec_u32(&r, 0);			/* flags */
	fmt_rec_u32(&r, w->chunk_max);
	fmt_rec_u32(&r, FMT_PAGE_SIZE);
	fmt_rec_end(&r);
	w->state = FMT_W_HEADER;
	return w->err;
}

/* Emits the fields of 'obj' whose bits are in 'present', in tag order. */
static void
fmt_rec_fields(struct fmt_rec *r, const struct fmt_field *tab, uint32_t n,
    const void *obj, uint32_t present)
{
	const uint8_t *o = obj;
	const struct fmt_field *f;
	struct fmt_bytes b;
	uint64_t v64;
	uint32_t i, j, v32;

	for (i = 0; i < n; i++) {
		if (!(present & (1U << i)))
			continue;
		f = &tab[i];
		if (f->type == FMT_FT_BYTES) {
			memcpy(&b, o + f->off, sizeof(b));
			if (b.len > 0 && b.p == NULL) {
				fmt_w_fail(r->w, FMT_E_CORRUPT);
				return;
			}
		} else
			b.len = fmt_field_len(f);
		fmt_rec_u16(r, (uint16_t)(i + 1));
		fmt_rec_u16(r, 0);		/* flags: every tag is known */
		fmt_rec_u32(r, b.len);
		switch (f->type) {
		case FMT_FT_U32:
			memcpy(&v32, o + f->off, 4);
			fmt_rec_u32(r, v32);
			break;
		case FMT_FT_U64S:
		case FMT_FT_U64S_U32:
			for (j = 0; j < f->n64; j++) {
				memcpy(&v64, o + f->off + 8 * j, 8);
				fmt_rec_u64(r, v64);
			}
			if (f->type == FMT_FT_U64S_U32) {
				memcpy(&v32, o + f->off32, 4);
				fmt_rec_u32(r, v32);
			}
			break;
		case FMT_FT_BYTES:
			fmt_rec_put(r, b.p, b.len);
			break;
		}
	}
}

static int
fmt_write_tlv(struct fmt_writer *w, uint32_t type, const struct fmt_field *tab,
    uint32_t n, const void *obj, uint32_t present)
{
	struct fmt_rec r;

	fmt_rec_dry(&r, w);
	fmt_rec_fields(&r, tab, n, obj, present);
	if (w->err)
		return w->err;
	if (fmt_rec_begin(&r, w, type, r.done) != 0)
		return w->err;
	fmt_rec_fields(&r, tab, n, obj, present);
	return fmt_rec_end(&r);
}

int
fmt_write_process(struct fmt_writer *w, const struct fmt_process *p)
{
	if (w->err)
		return w->err;
	if (w->state != FMT_W_HEADER)
		return fmt_w_fail(w, FMT_E_ORDER);
	fmt_write_tlv(w, FMT_REC_PROCESS, fmt_process_fields,
	    fmt_nprocess_fields, p, p->present);
	w->state = FMT_W_META;
	return w->err;
}

int
fmt_write_thread(struct fmt_writer *w, const struct fmt_thread *t)
{
	if (w->err)
		return w->err;
	if (w->state != FMT_W_META)
		return fmt_w_fail(w, FMT_E_ORDER);
	if (w->nthreads == UINT32_MAX)
		return fmt_w_fail(w, FMT_E_LIMIT);
	if (fmt_write_tlv(w, FMT_REC_THREAD, fmt_thread_fields,
	    fmt_nthread_fields, t, t->present) == 0)
		w->nthreads++;
	return w->err;
}

int
fmt_write_fd(struct fmt_writer *w, const struct fmt_fd *f)
{
	if (w->err)
		return w->err;
	if (w->state != FMT_W_META)
		return fmt_w_fail(w, FMT_E_ORDER);
	return fmt_write_tlv(w, FMT_REC_FD, fmt_fd_fields, fmt_nfd_fields, f,
	    f->present);
}

int
fmt_write_record(struct fmt_writer *w, uint32_t type, const void *body,
    uint32_t len)
{
	struct fmt_rec r;

	if (w->err)
		return w->err;
	if (w->state < FMT_W_META || w->state == FMT_W_DONE ||
	    !(type & FMT_REC_OPTIONAL))
		return fmt_w_fail(w, FMT_E_ORDER);
	if (len > 0 && body == NULL)
		return fmt_w_fail(w, FMT_E_CORRUPT);
	if (fmt_rec_begin(&r, w, type, len) != 0)
		return w->err;
	fmt_rec_put(&r, body, len);
	return fmt_rec_end(&r);
}

int
fmt_write_region(struct fmt_writer *w, const struct fmt_region *reg)
{
	struct fmt_index_entry *e;
	struct fmt_rec r;
	uint64_t len;

	if (w->err)
		return w->err;
	if (w->state < FMT_W_META || w->state == FMT_W_DONE)
		return fmt_w_fail(w, FMT_E_ORDER);
	if (w->nregions >= w->idx_cap)
		return fmt_w_fail(w, FMT_E_SPACE);
	if (reg->start >= reg->end ||
	    (reg->start | reg->end) & (FMT_PAGE_SIZE - 1) ||
	    reg->prot & ~7U ||
	    reg->flags & ~(uint32_t)(FMT_R_SHARED | FMT_R_ANON |
	    FMT_R_NODATA | FMT_R_STACK | FMT_R_HEAP) ||
	    reg->kind > FMT_K_VSYSCALL || reg->advice & ~(uint32_t)FMT_A_ALL ||
	    (reg->path.len > 0 && reg->path.p == NULL))
		return fmt_w_fail(w, FMT_E_CORRUPT);
	/* readers require sorted, disjoint regions */
	if (w->nregions > 0 && reg->start < w->prev_end)
		return fmt_w_fail(w, FMT_E_ORDER);

	e = &w->idx[w->nregions];
	memset(e, 0, sizeof(*e));
	e->record_off = w->off;
	if (fmt_rec_begin(&r, w, FMT_REC_REGION,
	    (uint64_t)FMT_REGION_BODY + reg->path.len + FMT_REGION_ADVICE) != 0)
		return w->err;
	fmt_rec_u64(&r, reg->start);
	fmt_rec_u64(&r, reg->end);
	fmt_rec_u64(&r, reg->offset);
	fmt_rec_u64(&r, reg->inode);
	fmt_rec_u32(&r, reg->dev_major);
	fmt_rec_u32(&r, reg->dev_minor);
	fmt_rec_u32(&r, reg->prot);
	fmt_rec_u32(&r, reg->flags);
	fmt_rec_u32(&r, reg->kind);
	fmt_rec_u32(&r, reg->path.len);
	fmt_rec_put(&r, reg->path.p, reg->path.len);
	fmt_rec_u32(&r, reg->advice);
	if (fmt_rec_end(&r) != 0)
		return w->err;

	len = reg->end - reg->start;
	e->data_end = w->off;
	/* until a chunk covers them, a region's bytes are holes */
	e->zero_bytes = (reg->flags & FMT_R_NODATA) ? 0 : len;
	w->total_zero += e->zero_bytes;
	if (reg->kind == FMT_K_MEMORY)
		w->total_raw += len;
	w->region_len = len;
	w->next_chunk_off = 0;
	w->prev_end = reg->end;
	w->nregions++;
	w->state = (reg->flags & FMT_R_NODATA) ? FMT_W_NODATA : FMT_W_REGION;
	return 0;
}

int
fmt_write_chunk(struct fmt_writer *w, const struct fmt_chunk *c,
    const void *frame)
{
	struct fmt_index_entry *e;
	struct fmt_rec r;
	uint64_t end = c->offset + c->raw_len;
	int rc;

	if (w->err)
		return w->err;
	if (w->state != FMT_W_REGION || c->region != w->nregions - 1 ||
	    c->offset < w->next_chunk_off)
		return fmt_w_fail(w, FMT_E_ORDER);
	if (c->raw_len > w->chunk_max)
		return fmt_w_fail(w, FMT_E_LIMIT);
	if (c->raw_len == 0 || c->raw_len % FMT_PAGE_SIZE != 0 ||
	    c->offset % FMT_PAGE_SIZE != 0 || c->offset > w->region_len ||
	    c->raw_len > w->region_len - c->offset ||
	    c->stored_len == 0 || c->stored_len > fmt_chunk_bound(c->raw_len) ||
	    frame == NULL)
		return fmt_w_fail(w, FMT_E_CORRUPT);
	if (c->npages != 0 && (rc = fmt_check_pages(c, w->region_len,
	    &end)) != 0)
		return fmt_w_fail(w, rc);

	if (fmt_rec_begin(&r, w, c->npages != 0 ? FMT_REC_PAGES :
	    FMT_REC_CHUNK, FMT_CHUNK_BODY + 4 * (uint64_t)c->npages) != 0)
		return w->err;
	fmt_rec_u32(&r, c->region);
	fmt_rec_u32(&r, c->raw_len);
	fmt_rec_u64(&r, c->offset);
	fmt_rec_u32(&r, c->stored_len);
	fmt_rec_u32(&r, c->npages);
	fmt_rec_u64(&r, c->raw_hash);
	fmt_rec_u64(&r, c->stored_hash);
	if (c->npages != 0)
		fmt_rec_put(&r, c->pages, 4 * (size_t)c->npages);
	if (fmt_rec_end(&r) != 0)
		return w->err;
	rc = w->write(w->arg, frame, c->stored_len);
	if (rc < 0)
		return fmt_w_fail(w, rc);
	w->off += c->stored_len;

	e = &w->idx[w->nregions - 1];
	e->stored_bytes += c->stored_len;
	e->zero_bytes -= c->raw_len;
	e->nchunks++;
	e->data_end = w->off;
	w->total_stored += c->stored_len;
	w->total_zero -= c->raw_len;
	w->next_chunk_off = end;
	return 0;
}

int
fmt_write_end(struct fmt_writer *w)
{
	const struct fmt_index_entry *e;
	struct fmt_rec r;
	uint64_t body, index_off;
	uint32_t i;

	if (w->err)
		return w->err;
	if (w->state < FMT_W_META || w->state == FMT_W_DONE)
		return fmt_w_fail(w, FMT_E_ORDER);
	index_off = w->off;
	body = FMT_INDEX_BODY + (uint64_t)FMT_INDEX_ENTRY * w->nregions;
	if (fmt_rec_begin(&r, w, FMT_REC_INDEX, body) != 0)
		return w->err;
	fmt_rec_u32(&r, w->nregions);
	fmt_rec_u32(&r, w->nthreads);
	fmt_rec_u64(&r, w->total_raw);
	fmt_rec_u64(&r, w->total_stored);
	fmt_rec_u64(&r, w->total_zero);
	for (i = 0; i < w->nregions; i++) {
		e = &w->idx[i];
		fmt_rec_u64(&r, e->record_off);
		fmt_rec_u64(&r, e->data_end);
		fmt_rec_u64(&r, e->stored_bytes);
		fmt_rec_u64(&r, e->zero_bytes);
		fmt_rec_u32(&r, e->nchunks);
		fmt_rec_u32(&r, 0);
	}
	if (fmt_rec_end(&r) != 0)
		return w->err;

	fmt_rec_begin(&r, w, FMT_REC_TRAILER, FMT_TRAILER_BODY);
	fmt_rec_u64(&r, index_off);
	fmt_rec_u64(&r, FMT_REC_OVERHEAD + body);
	fmt_rec_u64(&r, w->off + FMT_TRAILER_SIZE);
	fmt_rec_end(&r);
	w->state = FMT_W_DONE;
	return w->err;
}

/* ---- chunk compression ---- */

/*
 * Level 1's hash table has 2^14 entries; with 2^16 (as level 2 has) the
 * same 1 MiB chunks come out 1% smaller on make bench's mix (4% on its
 * small integers, the same on text and a python3 heap) at the same speed.
 * fmt_hashlog() is the hash log to set on top of the level, or 0: levels
 * from 2 up have a table that large already, and the negative levels are
 * about speed alone.
 */
#define FMT_HASHLOG_MIN	16

static unsigned
fmt_hashlog(int level)
{
	return level >= 1 && ZSTD_getCParams(level, 0, 0).hashLog <
	    FMT_HASHLOG_MIN ? FMT_HASHLOG_MIN : 0;
}

/*
 * zstd picks its parameters by the size of the input, from four tables
 * (up to 16 KiB, 128 KiB, 256 KiB, more) whose needs do not grow in step,
 * so the largest of those up to max_raw.  Sizing for inputs of unknown
 * length instead would ask 649 MiB per context at level 22 (a 128 MiB
 * window), where chunks of 1 MiB need 17 MiB.
 */
size_t
fmt_cctx_size(int level, uint32_t max_raw)
{
	static const uint32_t tiers[] = { 16U << 10, 128U << 10, 256U << 10 };
	unsigned i, hashlog = fmt_hashlog(level);
	size_t need = 0, n;

	for (i = 0; i <= sizeof tiers / sizeof tiers[0]; i++) {
		uint32_t len = i < sizeof tiers / sizeof tiers[0] &&
		    tiers[i] < max_raw ? tiers[i] : max_raw;
		ZSTD_compressionParameters cp = ZSTD_getCParams(level, len, 0);

		if (hashlog > cp.hashLog)
			cp.hashLog = hashlog;
		n = ZSTD_estimateCCtxSize_usingCParams(cp);
		if (n > need)
			need = n;
	}
	return need;
}

int
fmt_cctx_setup(struct ZSTD_CCtx_s *cctx, int level)
{
	/*
	 * The reader needs the content size in every frame to check raw_len
	 * before decompressing; zstd's own checksum would only repeat
	 * raw_hash, which also covers the chunk's place in the image.
	 */
	if (ZSTD_isError(ZSTD_CCtx_setParameter(cctx,
	    ZSTD_c_compressionLevel, level)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(cctx,
	    ZSTD_c_hashLog, (int)fmt_hashlog(level))) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(cctx,
	    ZSTD_c_checksumFlag, 0)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(cctx,
	    ZSTD_c_contentSizeFlag, 1)))
		return FMT_E_ZSTD;
	return 0;
}

size_t
fmt_chunk_bound(uint32_t raw_len)
{
	return ZSTD_compressBound(raw_len);
}

int
fmt_chunk_compress(struct ZSTD_CCtx_s *cctx, const void *src,
    uint32_t raw_len, void *dst, size_t dst_cap, struct fmt_chunk *c)
{
	size_t n;

	if (raw_len == 0 || raw_len > FMT_CHUNK_MAX_LIMIT)
		return FMT_E_LIMIT;
	n = ZSTD_compress2(cctx, dst, dst_cap, src, raw_len);
	if (ZSTD_isError(n)) {
		if (ZSTD_getErrorCode(n) == ZSTD_error_dstSize_tooSmall)
			return FMT_E_SPACE;
		return FMT_E_ZSTD;
	}
	c->raw_len = raw_len;
	c->stored_len = (uint32_t)n;
	c->raw_hash = fmt_hash(src, raw_len);
	c->stored_hash = fmt_hash(dst, n);
	return 0;
}
