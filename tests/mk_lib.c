/*
 * mk_lib.c - the synthetic test image: its model, its writer, and a
 * rewriter that re-encodes images with changes.
 *
 * The model is a small process whose regions cover each case the format
 * distinguishes: a file-backed region with a path, a heap with holes at
 * chunk boundaries, a region larger than chunk_max, an all-zero region, a
 * stack, and two NODATA kernel regions.  Zero pages are found by scanning,
 * as libckpt does, and become holes; runs of other pages are cut into
 * chunks of at most chunk_max.  Everything is a pure function of the
 * region index and page number, so the output is the same on every run.
 *
 * The rewriter knows the layout independently of fmt_write.c: it copies
 * frames, applies edits, and recomputes checksums, index offsets and the
 * trailer, so a test can build images the writer API cannot express.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zstd.h>

#include "mkimage.h"

#if defined(__SANITIZE_ADDRESS__)
/* for the -asan builds of the format tests: some containers forbid the
 * ptrace LeakSanitizer needs */
const char *
__asan_default_options(void)
{
	return "detect_leaks=0";
}
#endif

int
mk_buf_write(void *arg, const void *p, size_t n)
{
	struct mk_buf *b = arg;
	size_t cap;
	uint8_t *q;

	if (n == 0)
		return 0;
	if (b->cap - b->len < n) {
		cap = b->cap ? b->cap : 4096;
		while (cap - b->len < n)
			cap *= 2;
		if ((q = realloc(b->p, cap)) == NULL)
			return -12;	/* -ENOMEM */
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}

void
mk_opts_default(struct mk_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->chunk_max = MK_CHUNK_DEFAULT;
	o->level = MK_LEVEL_DEFAULT;
}

/* ---- the model ---- */

#define B(s)	{ s, sizeof(s) - 1 }

static const uint8_t mk_auxv[] = {
	6, 0, 0, 0, 0, 0, 0, 0,  0, 0x10, 0, 0, 0, 0, 0, 0,	/* AT_PAGESZ */
	0, 0, 0, 0, 0, 0, 0, 0,  0, 0, 0, 0, 0, 0, 0, 0,	/* AT_NULL */
};

void
mk_process(struct fmt_process *p)
{
	static const struct fmt_bytes version = B("ckpt-test 0.1"),
	    host = B("testhost"), kernel = B("6.0.0-test"),
	    cmdline = { "hello\0world\0", 12 }, exe = B("/usr/bin/hello"),
	    cwd = B("/home/test"), auxv = { mk_auxv, sizeof(mk_auxv) };
	int i;

	memset(p, 0, sizeof(*p));
	p->present = (1U << fmt_nprocess_fields) - 1;
	p->version = version;
	p->ctime_ns = 1700000000123456789ULL;
	p->hostname = host;
	p->kernel = kernel;
	p->pid = 4242;
	p->cmdline = cmdline;
	p->exe = exe;
	p->cwd = cwd;
	p->umask = 022;
	p->mm = (struct fmt_mm){ 0x400000, 0x402abc, 0x603000, 0x603100,
	    0x604000, 0x613000, 0x7ffd00003ff0, 0x7ffd00003f00,
	    0x7ffd00003f0c, 0x7ffd00003f0c, 0x7ffd00003f80 };
	p->auxv = auxv;
	for (i = 0; i < FMT_NSIG; i++) {
		p->sig[i].handler = i % 3 == 0 ? 0x401000 + 16 * (uint64_t)i :
		    (uint64_t)(i % 3 - 1);
		p->sig[i].flags = 0x04000000 | (uint64_t)i;
		p->sig[i].restorer = 0x7f0000001230;
		p->sig[i].mask = 1ULL << i;
	}
	p->restore_info = 0x7f0000002000;
	p->tid_offset = 0x2d0;
	p->ckpt_signal = 36;
}

uint32_t
mk_nthreads(void)
{
	return 2;
}

void
mk_thread(uint32_t i, struct fmt_thread *t)
{
	uint32_t j;

	memset(t, 0, sizeof(*t));
	t->present = (1U << fmt_nthread_fields) - 1;
	t->tid = 4242 + i;
	for (j = 0; j < FMT_NREGS; j++)
		t->regs[j] = 0x1000 * (i + 1) + j;
	t->fs_base = 0x7f0000100000 + 0x10000 * (uint64_t)i;
	t->gs_base = 0;
	t->sigmask = i ? 0x10000 : 0;
	t->ss_sp = i ? 0x7f0000200000 : 0;
	t->ss_size = i ? 65536 : 0;
	t->ss_flags = i ? 0 : 2;	/* SS_DISABLE */
	t->clear_tid = 0x7f0000100000 + 0x2d0;
	t->robust_head = 0x7f00001002e0;
	t->robust_len = 24;
	for (j = 0; j < FMT_NGREGS; j++)
		t->gregs[j] = 0xabc000 + 8 * j + i;
}

uint32_t
mk_nfds(void)
{
	return 3;
}

void
mk_fd(uint32_t i, struct fmt_fd *f)
{
	static const struct fmt_bytes tty = B("/dev/pts/0"),
	    file = B("/home/test/data.txt"), data = B("pipe bytes\n"),
	    locks = B("\1\0\0\0\2\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
		"\0\0\0\0"),
	    addr = B("\2\0\x1f\x90\x7f\0\0\1\0\0\0\0\0\0\0\0"),
	    peer_addr = B("\2\0\0\x35\x7f\0\0\1\0\0\0\0\0\0\0\0");

	memset(f, 0, sizeof(*f));
	switch (i) {
	case 0:
		f->present = FMT_F_FD | FMT_F_KIND | FMT_F_FLAGS |
		    FMT_F_FDFLAGS | FMT_F_PATH;
		f->fd = 0;
		f->kind = FMT_FD_TTY;
		f->flags = 02;
		f->path = tty;
		break;
	case 1:
		f->present = (1U << fmt_nfd_fields) - 1;
		f->fd = 3;
		f->kind = FMT_FD_FILE;
		f->flags = 02002;	/* O_RDWR | O_APPEND */
		f->fdflags = 1;
		f->offset = 1234;
		f->path = file;
		f->dev = 0x801;
		f->ino = 98765;
		f->size = 4096;
		f->mtime_ns = 1699999999000000001ULL;
		f->mode = 0100644;
		f->pipe_id = 0;
		f->pipe_write = 0;
		f->data.p = "";
		f->peer = 98766;
		f->sock_type = 1;
		f->state[0] = 0x1111;
		f->state[1] = 0x2222;
		f->state[2] = 0x3333;
		f->state[3] = 0x4444;
		f->locks = locks;
		f->share = 0;	/* a copy of fd 0 */
		f->addr = addr;
		f->peer_addr = peer_addr;
		break;
	default:
		f->present = FMT_F_FD | FMT_F_KIND | FMT_F_FLAGS |
		    FMT_F_PIPE | FMT_F_DATA;
		f->fd = 4;
		f->kind = FMT_FD_PIPE;
		f->pipe_id = 77;
		f->pipe_write = 0;
		f->data = data;
		break;
	}
}

struct mk_region_spec {
	uint64_t	 start, end;
	uint32_t	 prot, flags, kind;
	const char	*path;
	uint64_t	 inode, offset;
	uint32_t	 major, minor;
	uint64_t	 zero_pages;	/* bit n: page n is all zero */
	uint32_t	 advice;
};

static const struct mk_region_spec mk_regions[] = {
	{ 0x400000, 0x403000, 5, 0, FMT_K_MEMORY, "/usr/bin/hello",
	    1234, 0, 8, 1, 0, 0 },
	/* with 16 KiB chunks, holes fall exactly on chunk boundaries */
	{ 0x603000, 0x613000, 3, FMT_R_ANON | FMT_R_HEAP, FMT_K_MEMORY,
	    "[heap]", 0, 0, 0, 0, 0xf0 | 1 << 12 | 1 << 15, FMT_A_HUGEPAGE },
	{ 0x7f0000000000, 0x7f0000028000, 3, FMT_R_ANON, FMT_K_MEMORY, "",
	    0, 0, 0, 0, 0, FMT_A_DONTDUMP | FMT_A_LOCKED },
	{ 0x7f0000030000, 0x7f0000038000, 3, FMT_R_ANON, FMT_K_MEMORY, "",
	    0, 0, 0, 0, ~0ULL, 0 },
	{ 0x7ffd00000000, 0x7ffd00004000, 3, FMT_R_ANON | FMT_R_STACK,
	    FMT_K_MEMORY, "[stack]", 0, 0, 0, 0, 3, 0 },
	{ 0x7ffd00010000, 0x7ffd00014000, 1, FMT_R_ANON | FMT_R_NODATA,
	    FMT_K_VVAR, "[vvar]", 0, 0, 0, 0, 0, 0 },
	{ 0x7ffd00014000, 0x7ffd00016000, 5, FMT_R_ANON | FMT_R_NODATA,
	    FMT_K_VDSO, "[vdso]", 0, 0, 0, 0, 0, 0 },
};

uint32_t
mk_nregions(void)
{
	return sizeof(mk_regions) / sizeof(mk_regions[0]);
}

void
mk_region(uint32_t i, struct fmt_region *r)
{
	const struct mk_region_spec *s = &mk_regions[i];

	memset(r, 0, sizeof(*r));
	r->start = s->start;
	r->end = s->end;
	r->offset = s->offset;
	r->inode = s->inode;
	r->dev_major = s->major;
	r->dev_minor = s->minor;
	r->prot = s->prot;
	r->flags = s->flags;
	r->kind = s->kind;
	r->path.p = s->path;
	r->path.len = (uint32_t)strlen(s->path);
	r->advice = s->advice;
}

static uint64_t
mk_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Half text-like, half noise: compressible, but not to nothing. */
void
mk_region_data(uint32_t i, int small, uint8_t *buf)
{
	const struct mk_region_spec *s = &mk_regions[i];
	uint64_t npages = (s->end - s->start) / FMT_PAGE_SIZE, pg, v = 0;
	uint8_t *p;
	size_t k;

	for (pg = 0; pg < npages; pg++) {
		p = buf + pg * FMT_PAGE_SIZE;
		if (pg < 64 && (s->zero_pages >> pg & 1)) {
			memset(p, 0, FMT_PAGE_SIZE);
			continue;
		}
		for (k = 0; k < FMT_PAGE_SIZE; k++) {
			if (k % 8 == 0)
				v = mk_mix((uint64_t)i << 40 | pg << 16 | k);
			p[k] = (small || k < 2048) ? (uint8_t)('a' + (k * 7 + pg) % 23) :
			    (uint8_t)(v >> (k % 8 * 8));
		}
		p[0] = (uint8_t)(pg + 1);	/* never an all-zero page */
	}
}

/* ---- the writer side ---- */

static int
mk_is_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

static int
mk_put_chunk(struct fmt_writer *w, ZSTD_CCtx *cctx, uint32_t region,
    const uint8_t *data, uint64_t off, uint32_t len, uint8_t *dst,
    size_t dst_cap)
{
	struct fmt_chunk c;
	int rc;

	memset(&c, 0, sizeof(c));
	if ((rc = fmt_chunk_compress(cctx, data + off, len, dst, dst_cap,
	    &c)) != 0)
		return rc;
	c.region = region;
	c.offset = off;
	return fmt_write_chunk(w, &c, dst);
}

/* The non-zero pages of a region, chunk_max of them at a time, as PAGES. */
static int
mk_put_pages(struct fmt_writer *w, ZSTD_CCtx *cctx, uint32_t region,
    const struct mk_opts *o, const uint8_t *data, uint64_t len, uint8_t *dst,
    size_t dst_cap)
{
	uint32_t max = o->chunk_max / FMT_PAGE_SIZE, n = 0;
	uint8_t *packed = malloc(o->chunk_max), *list = malloc(4 * max);
	struct fmt_chunk c;
	uint64_t pg, first = 0;
	int rc = 0;

	if (packed == NULL || list == NULL)
		rc = FMT_E_NOMEM;
	for (pg = 0; pg <= len && rc == 0; pg += FMT_PAGE_SIZE) {
		if (pg < len && !mk_is_zero(data + pg, FMT_PAGE_SIZE)) {
			if (n == 0)
				first = pg;
			memcpy(packed + (size_t)n * FMT_PAGE_SIZE, data + pg,
			    FMT_PAGE_SIZE);
			fmt_put32(list + 4 * n, (uint32_t)((pg - first) /
			    FMT_PAGE_SIZE));
			if (++n < max)
				continue;
		}
		if (n == 0 || (pg < len && n < max))
			continue;
		memset(&c, 0, sizeof(c));
		rc = fmt_chunk_compress(cctx, packed, n * FMT_PAGE_SIZE, dst,
		    dst_cap, &c);
		if (rc != 0)
			break;
		c.region = region;
		c.offset = first;
		c.npages = n;
		c.pages = list;
		rc = fmt_write_chunk(w, &c, dst);
		n = 0;
	}
	free(packed);
	free(list);
	return rc;
}

static int
mk_put_region(struct fmt_writer *w, ZSTD_CCtx *cctx, uint32_t i,
    const struct mk_opts *o, uint8_t *dst, size_t dst_cap)
{
	struct fmt_region r;
	uint8_t *data;
	uint64_t len, pg, run = 0, run_len = 0;
	int rc;

	mk_region(i, &r);
	if ((rc = fmt_write_region(w, &r)) != 0 || (r.flags & FMT_R_NODATA))
		return rc;
	len = r.end - r.start;
	if ((data = malloc(len)) == NULL)
		return FMT_E_NOMEM;
	mk_region_data(i, o->small, data);
	if (o->pages) {
		rc = mk_put_pages(w, cctx, i, o, data, len, dst, dst_cap);
		free(data);
		return rc;
	}
	/* a run of non-zero pages becomes chunks; a zero page ends it */
	for (pg = 0; pg <= len && rc == 0; pg += FMT_PAGE_SIZE) {
		if (pg < len && !mk_is_zero(data + pg, FMT_PAGE_SIZE)) {
			if (run_len == 0)
				run = pg;
			run_len += FMT_PAGE_SIZE;
			if (run_len < o->chunk_max)
				continue;
		}
		if (run_len > 0)
			rc = mk_put_chunk(w, cctx, i, data, run,
			    (uint32_t)run_len, dst, dst_cap);
		run_len = 0;
	}
	free(data);
	return rc;
}

int
mk_build(const struct mk_opts *o, fmt_write_fn fn, void *arg)
{
	static const char opt_body[] = "an optional record from the future";
	struct fmt_index_entry idx[16];
	struct fmt_writer w;
	struct fmt_process p;
	struct fmt_thread t;
	struct fmt_fd f;
	ZSTD_CCtx *cctx;
	uint8_t scratch[256], *dst;
	size_t dst_cap = fmt_chunk_bound(o->chunk_max);
	uint32_t i;
	int rc;

	cctx = ZSTD_createCCtx();
	dst = malloc(dst_cap);
	if (cctx == NULL || dst == NULL) {
		ZSTD_freeCCtx(cctx);
		free(dst);
		return FMT_E_NOMEM;
	}
	/* a small scratch buffer exercises records written in pieces */
	fmt_writer_init(&w, fn, arg, scratch, sizeof(scratch), idx, 16,
	    o->chunk_max);
	if ((rc = fmt_cctx_setup(cctx, o->level)) != 0)
		goto out;
	fmt_write_header(&w);
	mk_process(&p);
	fmt_write_process(&w, &p);
	if (o->optional)
		fmt_write_record(&w, FMT_REC_OPTIONAL | 1, opt_body,
		    sizeof(opt_body));
	for (i = 0; i < mk_nthreads(); i++) {
		mk_thread(i, &t);
		fmt_write_thread(&w, &t);
	}
	for (i = 0; i < mk_nfds(); i++) {
		mk_fd(i, &f);
		fmt_write_fd(&w, &f);
	}
	for (i = 0; i < mk_nregions() && rc == 0; i++) {
		rc = mk_put_region(&w, cctx, i, o, dst, dst_cap);
		if (o->optional && rc == 0)
			fmt_write_record(&w, FMT_REC_OPTIONAL | 2, NULL, 0);
	}
	if (rc == 0)
		rc = fmt_write_end(&w);
out:
	ZSTD_freeCCtx(cctx);
	free(dst);
	return rc;
}

int
mk_build_mem(const struct mk_opts *o, struct mk_buf *out)
{
	memset(out, 0, sizeof(*out));
	return mk_build(o, mk_buf_write, out);
}

/* ---- checking an image against the model ---- */

static void
mk_check_fields(const char *what, const struct fmt_field *tab, uint32_t n,
    const void *got, const void *want)
{
	const uint8_t *g = got, *w = want;
	struct fmt_bytes bg, bw;
	uint32_t i, pg, pw;

	memcpy(&pg, g, 4);	/* 'present' is every struct's first member */
	memcpy(&pw, w, 4);
	if (pg != pw) {
		fprintf(stderr, "%s: present %#x, want %#x\n", what, pg, pw);
		exit(1);
	}
	for (i = 0; i < n; i++) {
		if (!(pw & 1U << i))
			continue;
		if (tab[i].type == FMT_FT_BYTES) {
			memcpy(&bg, g + tab[i].off, sizeof(bg));
			memcpy(&bw, w + tab[i].off, sizeof(bw));
			if (bg.len == bw.len && (bg.len == 0 ||
			    memcmp(bg.p, bw.p, bg.len) == 0))
				continue;
		} else if (tab[i].type == FMT_FT_U32) {
			if (memcmp(g + tab[i].off, w + tab[i].off, 4) == 0)
				continue;
		} else if (memcmp(g + tab[i].off, w + tab[i].off,
		    8 * tab[i].n64) == 0 && (tab[i].type == FMT_FT_U64S ||
		    memcmp(g + tab[i].off32, w + tab[i].off32, 4) == 0))
			continue;
		fprintf(stderr, "%s: field tag %u differs\n", what, i + 1);
		exit(1);
	}
}

static int
mk_page_listed(const struct fmt_chunk *c, uint64_t pg)
{
	uint32_t k;

	for (k = 0; k < c->npages; k++)
		if (fmt_chunk_page(c, k) == pg)
			return 1;
	return 0;
}

/* A PAGES chunk: full, or the region's last; its pages go where listed. */
static void
mk_check_pages(ZSTD_DCtx *dctx, const struct fmt_chunk *c, uint8_t *got,
    uint64_t len)
{
	uint8_t *tmp = malloc(c->raw_len);
	uint64_t at;
	uint32_t k;

	MK_CHECK(tmp != NULL);
	MK_CHECK(c->raw_len == c->npages * FMT_PAGE_SIZE);
	MK_CHECK(fmt_chunk_page(c, 0) == c->offset);
	MK_CHECK(fmt_chunk_decompress(dctx, c, tmp, c->raw_len) == 0);
	for (k = 0; k < c->npages; k++) {
		at = fmt_chunk_page(c, k);
		MK_CHECK(at < len && (k == 0 || at > fmt_chunk_page(c, k - 1)));
		memcpy(got + at, tmp + (size_t)k * FMT_PAGE_SIZE,
		    FMT_PAGE_SIZE);
	}
	free(tmp);
}

static void
mk_check_region(const struct fmt_image *img, const struct mk_opts *o,
    uint32_t i, ZSTD_DCtx *dctx, uint64_t *zero, uint64_t *stored)
{
	const struct fmt_region *r = &img->regions[i];
	const struct fmt_chunk *c;
	struct fmt_region m;
	uint8_t *want, *got;
	uint64_t len, pg, z = 0, s = 0, end = 0;
	uint32_t j;
	int covered;

	mk_region(i, &m);
	MK_CHECK(r->start == m.start && r->end == m.end);
	MK_CHECK(r->offset == m.offset && r->inode == m.inode);
	MK_CHECK(r->dev_major == m.dev_major && r->dev_minor == m.dev_minor);
	MK_CHECK(r->prot == m.prot && r->flags == m.flags);
	MK_CHECK(r->kind == m.kind && r->path.len == m.path.len);
	MK_CHECK(r->advice == m.advice);
	MK_CHECK(memcmp(r->path.p, m.path.p, m.path.len) == 0);
	MK_CHECK(r->first_chunk + (uint64_t)r->nchunks <= img->nchunks);
	if (m.flags & FMT_R_NODATA) {
		MK_CHECK(r->nchunks == 0 && r->zero_bytes == 0);
		MK_CHECK(r->stored_bytes == 0);
		return;
	}
	len = m.end - m.start;
	want = malloc(len);
	got = calloc(1, len);
	MK_CHECK(want != NULL && got != NULL);
	mk_region_data(i, o->small, want);
	for (j = 0; j < r->nchunks; j++) {
		c = &img->chunks[r->first_chunk + j];
		MK_CHECK(c->region == i);
		MK_CHECK(c->raw_len > 0 && c->raw_len <= o->chunk_max);
		MK_CHECK(c->offset % FMT_PAGE_SIZE == 0 && c->offset >= end);
		MK_CHECK(c->frame == img->buf + c->file_off);
		MK_CHECK(o->pages == (c->npages != 0));
		if (c->npages != 0) {
			mk_check_pages(dctx, c, got, len);
			end = fmt_chunk_page(c, c->npages - 1) + FMT_PAGE_SIZE;
			s += c->stored_len;
			continue;
		}
		/* a chunk is cut short only by a hole or the region's end */
		MK_CHECK(c->raw_len == o->chunk_max ||
		    c->offset + c->raw_len == len ||
		    mk_is_zero(want + c->offset + c->raw_len, FMT_PAGE_SIZE));
		MK_CHECK(fmt_chunk_decompress(dctx, c, got + c->offset,
		    len - c->offset) == 0);
		end = c->offset + c->raw_len;
		s += c->stored_len;
	}
	MK_CHECK(memcmp(got, want, len) == 0);
	/* holes are exactly the zero pages */
	for (pg = 0; pg < len; pg += FMT_PAGE_SIZE) {
		covered = 0;
		for (j = 0; j < r->nchunks; j++) {
			c = &img->chunks[r->first_chunk + j];
			if (c->npages != 0)
				covered |= mk_page_listed(c, pg);
			else if (pg >= c->offset &&
			    pg < c->offset + c->raw_len)
				covered = 1;
		}
		for (j = 0; j < FMT_PAGE_SIZE && want[pg + j] == 0; j++)
			;
		MK_CHECK(covered == (j < FMT_PAGE_SIZE));
		if (!covered)
			z += FMT_PAGE_SIZE;
	}
	MK_CHECK(r->zero_bytes == z && r->stored_bytes == s);
	*zero += z;
	*stored += s;
	free(want);
	free(got);
}

void
mk_check_image(const struct fmt_image *img, const struct mk_opts *o)
{
	struct fmt_process p;
	struct fmt_thread t;
	struct fmt_fd f;
	ZSTD_DCtx *dctx;
	uint64_t raw = 0, zero = 0, stored = 0;
	uint32_t i, nchunks = 0;

	MK_CHECK(img->major == FMT_VERSION_MAJOR);
	MK_CHECK(img->chunk_max == o->chunk_max);
	MK_CHECK(img->page_size == FMT_PAGE_SIZE);
	mk_process(&p);
	mk_check_fields("process", fmt_process_fields, fmt_nprocess_fields,
	    &img->proc, &p);
	MK_CHECK(img->nthreads == mk_nthreads());
	for (i = 0; i < img->nthreads; i++) {
		mk_thread(i, &t);
		mk_check_fields("thread", fmt_thread_fields,
		    fmt_nthread_fields, &img->threads[i], &t);
	}
	MK_CHECK(img->nfds == mk_nfds());
	for (i = 0; i < img->nfds; i++) {
		mk_fd(i, &f);
		mk_check_fields("fd", fmt_fd_fields, fmt_nfd_fields,
		    &img->fds[i], &f);
	}
	MK_CHECK(img->nregions == mk_nregions());
	dctx = ZSTD_createDCtx();
	MK_CHECK(dctx != NULL);
	for (i = 0; i < img->nregions; i++) {
		MK_CHECK(img->regions[i].first_chunk == nchunks);
		nchunks += img->regions[i].nchunks;
		mk_check_region(img, o, i, dctx, &zero, &stored);
		if (img->regions[i].kind == FMT_K_MEMORY)
			raw += img->regions[i].end - img->regions[i].start;
	}
	ZSTD_freeDCtx(dctx);
	MK_CHECK(nchunks == img->nchunks);
	MK_CHECK(img->total_raw == raw && img->total_zero == zero);
	MK_CHECK(img->total_stored == stored);
}

/* ---- the rewriter ---- */

static void
mk_put_frame(struct mk_buf *out, uint32_t type, const uint8_t *body,
    size_t len, const uint8_t *extra, size_t elen)
{
	uint8_t h[16], sum[8];
	size_t start = out->len;

	fmt_put32(h, FMT_SKIPPABLE_MAGIC);
	fmt_put32(h + 4, (uint32_t)(16 + len + elen));
	fmt_put32(h + 8, type);
	fmt_put32(h + 12, 0);
	mk_buf_write(out, h, 16);
	mk_buf_write(out, body, len);
	mk_buf_write(out, extra, elen);
	fmt_put64(sum, fmt_hash(out->p + start, out->len - start));
	mk_buf_write(out, sum, 8);
}

/* A TLV body plus unknown fields: tag 999 normal, tag 1000 critical,
 * tag 0 (which no version defines: refused). */
static void
mk_put_tlv(struct mk_buf *out, uint32_t type, const uint8_t *body,
    size_t len, const struct mk_edit *e)
{
	static const uint8_t unknown[] = {
		0xe7, 0x03, 0x00, 0x00, 3, 0, 0, 0, 'n', 'e', 'w',
	};
	static const uint8_t critical[] = {
		0xe8, 0x03, 0x01, 0x00, 4, 0, 0, 0, 'm', 'u', 's', 't',
	};
	static const uint8_t zero[] = {
		0x00, 0x00, 0x00, 0x00, 4, 0, 0, 0, 'z', 'e', 'r', 'o',
	};
	struct mk_buf b = { 0 };

	if (e->tag0_tlv && type == FMT_REC_PROCESS)
		mk_buf_write(&b, zero, sizeof(zero));

	if (e->extra_tlv)
		mk_buf_write(&b, unknown, sizeof(unknown));
	mk_buf_write(&b, body, len);
	if (e->extra_tlv)
		mk_buf_write(&b, unknown, sizeof(unknown));
	if (e->critical_tlv && type == FMT_REC_THREAD)
		mk_buf_write(&b, critical, sizeof(critical));
	mk_put_frame(out, type, b.p, b.len, NULL, 0);
	free(b.p);
}

/* Writes a PAGES record damaged as 'how' says (MK_PB_*). */
static int
mk_pages_bad(struct mk_buf *out, const uint8_t *body, size_t blen,
    const struct mk_edit *e, uint64_t region_len)
{
	uint8_t *b = malloc(blen + 4);
	uint32_t n = fmt_le32(body + 20), type = FMT_REC_PAGES;
	uint64_t last;

	if (b == NULL || n < 2 || blen != FMT_PAGES_BODY + 4 * (size_t)n) {
		free(b);
		return -1;
	}
	memcpy(b, body, blen);
	switch (e->pages_bad) {
	case MK_PB_FIRST:
		fmt_put32(b + FMT_PAGES_BODY, 1);
		break;
	case MK_PB_ORDER:
		fmt_put32(b + FMT_PAGES_BODY + 4, 0);
		break;
	case MK_PB_BEYOND:
		last = (region_len - fmt_le64(b + 8)) / FMT_PAGE_SIZE;
		fmt_put32(b + FMT_PAGES_BODY + 4 * (n - 1), (uint32_t)last);
		break;
	case MK_PB_COUNT:
		fmt_put32(b + 20, n + 1);
		break;
	case MK_PB_LONGER:
		fmt_put32(b + blen, 0x7fffffff);
		blen += 4;
		break;
	case MK_PB_RESERVED:
		type = FMT_REC_CHUNK;
		break;
	case MK_PB_LAST:
		fmt_put32(b + FMT_PAGES_BODY + 4 * (n - 1), e->pages_last);
		break;
	}
	mk_put_frame(out, type, b, blen, NULL, 0);
	free(b);
	return 0;
}

int
mk_rewrite(const uint8_t *in, size_t len, const struct mk_edit *e,
    struct mk_buf *out)
{
	static const uint8_t opt[] = "optional";
	uint8_t extra[64], *ib, hb[64], rb[4096];
	uint64_t off = 0, record_off[64], data_end[64], index_off;
	uint32_t type, plen, nreg = 0, i, stored;
	uint64_t region_len = 0;
	const uint8_t *body;
	size_t blen;
	int pages_done = 0;

	memset(out, 0, sizeof(*out));
	memset(extra, 0xee, sizeof(extra));
	if (e->extra_fixed > sizeof(extra))
		return -1;
	for (;;) {
		if (len - off < 16 || fmt_le32(in + off) != FMT_SKIPPABLE_MAGIC)
			return -1;
		plen = fmt_le32(in + off + 4);
		type = fmt_le32(in + off + 8);
		body = in + off + 16;
		blen = plen - 16;
		switch (type) {
		case FMT_REC_HEADER:
			if (blen > sizeof(hb))
				return -1;
			memcpy(hb, body, blen);
			if (e->set_version) {
				fmt_put16(hb + 8, e->major);
				fmt_put16(hb + 10, e->minor);
			}
			mk_put_frame(out, type, hb, blen, extra,
			    e->extra_fixed);
			break;
		case FMT_REC_PROCESS:
			mk_put_tlv(out, type, body, blen, e);
			if (e->optional_rec)
				mk_put_frame(out, FMT_REC_OPTIONAL | 7, opt,
				    sizeof(opt), NULL, 0);
			if (e->unknown_rec)
				mk_put_frame(out, 0x77, opt, sizeof(opt), NULL,
				    0);
			break;
		case FMT_REC_THREAD:
		case FMT_REC_FD:
			mk_put_tlv(out, type, body, blen, e);
			break;
		case FMT_REC_REGION:
			if (nreg == 64 || blen > sizeof(rb))
				return -1;
			record_off[nreg] = out->len;
			memcpy(rb, body, blen);
			region_len = fmt_le64(rb + 8) - fmt_le64(rb);
			/* the 1.1 advice follows the path */
			i = FMT_REGION_BODY + fmt_le32(rb + 52);
			if (e->advice_or && blen >= i + 4)
				fmt_put32(rb + i, fmt_le32(rb + i) |
				    e->advice_or);
			mk_put_frame(out, type, rb, e->cut_advice &&
			    blen >= i + 4 ? i : blen, extra, e->extra_fixed);
			data_end[nreg++] = out->len;
			if (e->optional_rec)
				mk_put_frame(out, FMT_REC_OPTIONAL | 0x123, opt,
				    sizeof(opt), NULL, 0);
			break;
		case FMT_REC_PAGES:
			if (e->pages_bad && !pages_done) {
				pages_done = 1;
				if (mk_pages_bad(out, body, blen, e,
				    region_len) != 0)
					return -1;
			} else
				mk_put_frame(out, type, body, blen, NULL, 0);
			stored = fmt_le32(body + 16);
			mk_buf_write(out, in + off + 8 + plen, stored);
			off += stored;
			data_end[nreg - 1] = out->len;
			break;
		case FMT_REC_CHUNK:
			stored = fmt_le32(body + 16);
			mk_put_frame(out, type, body, blen, extra,
			    e->extra_fixed);
			mk_buf_write(out, in + off + 8 + plen, stored);
			off += stored;
			data_end[nreg - 1] = out->len;
			break;
		case FMT_REC_INDEX:
			index_off = out->len;
			if ((ib = malloc(blen)) == NULL)
				return -1;
			memcpy(ib, body, blen);
			for (i = 0; i < nreg && i < fmt_le32(body); i++) {
				fmt_put64(ib + 32 + 40 * i, record_off[i]);
				fmt_put64(ib + 32 + 40 * i + 8, data_end[i]);
			}
			if (e->index_skew && nreg > 1)
				fmt_put64(ib + 32 + 40 + 8, data_end[1] + 4096);
			if (e->index_misdirect && nreg > 1)
				fmt_put64(ib + 32 + 40, record_off[0]);
			mk_put_frame(out, type, ib, blen, extra,
			    e->extra_fixed);
			free(ib);
			fmt_put64(hb, index_off);
			fmt_put64(hb + 8, out->len - index_off);
			fmt_put64(hb + 16, out->len + FMT_TRAILER_SIZE);
			mk_put_frame(out, FMT_REC_TRAILER, hb, 24, NULL, 0);
			return 0;
		default:
			if (!(type & FMT_REC_OPTIONAL))
				return -1;
			mk_put_frame(out, type, body, blen, NULL, 0);
			break;
		}
		off += 8 + plen;
	}
}

void
mk_slurp(const char *path, struct mk_buf *out)
{
	uint8_t buf[65536];
	FILE *f;
	size_t n;

	memset(out, 0, sizeof(*out));
	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (f == NULL) {
		perror(path);
		exit(99);
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (mk_buf_write(out, buf, n) != 0)
			exit(99);
	if (ferror(f)) {
		perror(path);
		exit(99);
	}
	if (f != stdin)
		fclose(f);
}
