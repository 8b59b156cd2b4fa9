/*
 * t-fmt-stream - opening in two steps, as restart does to place chunks
 * while the rest of the file is still being read.  After fmt_image_begin()
 * the process, threads, fds and every region with its index counts are
 * there and no chunk is; fmt_image_finish() hands over every chunk once,
 * in file order, each exactly as the one-step open returns it; an error
 * from the caller's function stops the walk at that chunk; an index that
 * names the wrong records, or disagrees with the chunks that follow, is
 * refused.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkimage.h"

#define MAX_SEEN	8192

struct seen {
	struct fmt_chunk	c[MAX_SEEN];
	uint32_t		n;
	uint32_t		stop_at;	/* fail at this chunk */
};

static int
record(void *arg, const struct fmt_image *img, const struct fmt_chunk *c)
{
	struct seen *s = arg;

	MK_CHECK(s->n < MAX_SEEN);
	/* the chunk is the last one of the image's own table */
	MK_CHECK(img->nchunks == s->n + 1);
	MK_CHECK(memcmp(c, &img->chunks[s->n], sizeof(*c)) == 0);
	s->c[s->n] = *c;
	return s->n++ == s->stop_at ? FMT_E_SPACE : 0;
}

static void
same_region(const struct fmt_region *a, const struct fmt_region *b)
{
	MK_CHECK(a->start == b->start && a->end == b->end);
	MK_CHECK(a->offset == b->offset && a->inode == b->inode);
	MK_CHECK(a->prot == b->prot && a->flags == b->flags &&
	    a->kind == b->kind);
	MK_CHECK(a->path.len == b->path.len && a->path.p == b->path.p);
	MK_CHECK(a->record_off == b->record_off);
	MK_CHECK(a->first_chunk == b->first_chunk);
	MK_CHECK(a->nchunks == b->nchunks);
	MK_CHECK(a->stored_bytes == b->stored_bytes);
	MK_CHECK(a->zero_bytes == b->zero_bytes);
}

static void
two_steps(const struct mk_opts *o, unsigned flags)
{
	static struct seen s;
	struct fmt_image ref, img;
	struct mk_buf b;
	uint32_t i;

	MK_CHECK(mk_build_mem(o, &b) == 0);
	MK_CHECK(fmt_image_open_flags(&ref, b.p, b.len, flags) == 0);
	MK_CHECK(ref.nchunks > 4 && ref.nchunks <= MAX_SEEN);

	/* begin: everything but the chunks */
	MK_CHECK(fmt_image_begin(&img, b.p, b.len, flags) == 0);
	MK_CHECK(img.nchunks == 0);
	MK_CHECK(memcmp(&img.proc, &ref.proc, sizeof(ref.proc)) == 0);
	MK_CHECK(img.nthreads == ref.nthreads && img.nthreads > 0);
	MK_CHECK(memcmp(img.threads, ref.threads,
	    ref.nthreads * sizeof(*ref.threads)) == 0);
	MK_CHECK(img.nfds == ref.nfds && img.nfds > 0);
	MK_CHECK(memcmp(img.fds, ref.fds, ref.nfds * sizeof(*ref.fds)) == 0);
	MK_CHECK(img.nregions == ref.nregions);
	for (i = 0; i < ref.nregions; i++)
		same_region(&img.regions[i], &ref.regions[i]);

	/* finish: every chunk once, in order, as the one-step open has it */
	memset(&s, 0, sizeof(s));
	s.stop_at = UINT32_MAX;
	MK_CHECK(fmt_image_finish(&img, record, &s) == 0);
	MK_CHECK(s.n == ref.nchunks && img.nchunks == ref.nchunks);
	MK_CHECK(memcmp(s.c, ref.chunks, s.n * sizeof(*s.c)) == 0);
	for (i = 0; i < ref.nregions; i++)
		same_region(&img.regions[i], &ref.regions[i]);
	MK_CHECK(img.total_raw == ref.total_raw &&
	    img.total_stored == ref.total_stored &&
	    img.total_zero == ref.total_zero);
	mk_check_image(&img, o);
	MK_CHECK(fmt_image_verify(&img) == 0);
	fmt_image_close(&img);

	/* the caller's error stops the walk at that chunk */
	MK_CHECK(fmt_image_begin(&img, b.p, b.len, flags) == 0);
	memset(&s, 0, sizeof(s));
	s.stop_at = 3;
	MK_CHECK(fmt_image_finish(&img, record, &s) == FMT_E_SPACE);
	MK_CHECK(s.n == 4);
	MK_CHECK(img.err.code == FMT_E_SPACE &&
	    img.err.file_off == ref.chunks[3].file_off);
	MK_CHECK(img.regions == NULL && img.chunks == NULL);
	fmt_image_close(&img);

	fmt_image_close(&ref);
	free(b.p);
}

/* An image rewritten with 'e': correct checksums, a lying index. */
static void
lying_index(const struct mk_edit *e, int begin_rc)
{
	struct mk_opts o;
	struct mk_buf good, bad;
	struct fmt_image img;
	char msg[256];

	mk_opts_default(&o);
	MK_CHECK(mk_build_mem(&o, &good) == 0);
	MK_CHECK(mk_rewrite(good.p, good.len, e, &bad) == 0);
	MK_CHECK(fmt_image_begin(&img, bad.p, bad.len, 0) == begin_rc);
	if (begin_rc == 0)
		MK_CHECK(fmt_image_finish(&img, NULL, NULL) == FMT_E_INDEX);
	MK_CHECK(img.regions == NULL);
	fmt_describe_error(&img, msg, sizeof(msg));
	MK_CHECK(strstr(msg, "index: disagrees with the stream") == msg);
	/* the one-step open says the same */
	MK_CHECK(fmt_image_open(&img, bad.p, bad.len) == FMT_E_INDEX);
	free(good.p);
	free(bad.p);
}

int
main(void)
{
	struct mk_opts o;
	struct mk_edit e;

	mk_opts_default(&o);
	two_steps(&o, 0);
	two_steps(&o, FMT_OPEN_LAZY_FRAMES);
	o.chunk_max = 4096;
	o.optional = 1;
	two_steps(&o, 0);

	/* index entry 1 names region 0's record: refused by begin */
	memset(&e, 0, sizeof(e));
	e.index_misdirect = 1;
	lying_index(&e, FMT_E_INDEX);
	/* entry 1's data_end is wrong: begin cannot tell, finish can */
	memset(&e, 0, sizeof(e));
	e.index_skew = 1;
	lying_index(&e, 0);
	printf("t-fmt-stream: ok\n");
	return 0;
}
