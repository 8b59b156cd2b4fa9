/*
 * t-fmt-writer - the writer refuses what would make an unreadable image
 * and keeps the first error: calls out of order, chunks that overlap, leave
 * their region, are unaligned or too big, regions out of order or with
 * advice bits no version defines, too little
 * index storage, and a write callback's -errno, which comes back from every
 * later call.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "mkimage.h"

static uint8_t scratch[64];
static struct fmt_index_entry idx[4];
static struct mk_buf out;
static size_t fail_after = (size_t)-1;

static int
sink(void *arg, const void *p, size_t n)
{
	if (out.len + n > fail_after)
		return -ENOSPC;
	return mk_buf_write(arg, p, n);
}

static void
start(struct fmt_writer *w, uint32_t idx_cap)
{
	struct fmt_process p;

	free(out.p);
	memset(&out, 0, sizeof(out));
	fmt_writer_init(w, sink, &out, scratch, sizeof(scratch), idx, idx_cap,
	    8192);
	MK_CHECK(fmt_write_header(w) == 0);
	mk_process(&p);
	MK_CHECK(fmt_write_process(w, &p) == 0);
}

static struct fmt_region
region(uint64_t start, uint64_t end, uint32_t flags)
{
	struct fmt_region r;

	memset(&r, 0, sizeof(r));
	r.start = start;
	r.end = end;
	r.prot = 3;
	r.flags = flags;
	return r;
}

int
main(void)
{
	static uint8_t page[8192], frame[9000];
	struct fmt_writer w;
	struct fmt_region r;
	struct fmt_thread t;
	struct fmt_chunk c, c2;
	struct fmt_image img;
	ZSTD_CCtx *cctx = ZSTD_createCCtx();

	memset(page, 'x', sizeof(page));
	MK_CHECK(cctx != NULL && fmt_cctx_setup(cctx, 3) == 0);
	memset(&c, 0, sizeof(c));
	MK_CHECK(fmt_chunk_compress(cctx, page, 4096, frame, sizeof(frame),
	    &c) == 0);
	MK_CHECK(fmt_chunk_compress(cctx, page, 4096, frame, 8, &c2) ==
	    FMT_E_SPACE);

	/* out of order */
	fmt_writer_init(&w, sink, &out, scratch, sizeof(scratch), idx, 4,
	    8192);
	MK_CHECK(fmt_write_end(&w) == FMT_E_ORDER);
	MK_CHECK(fmt_write_header(&w) == FMT_E_ORDER);	/* sticky */
	start(&w, 4);
	r = region(0x10000, 0x14000, 0);
	MK_CHECK(fmt_write_region(&w, &r) == 0);
	mk_thread(0, &t);
	MK_CHECK(fmt_write_thread(&w, &t) == FMT_E_ORDER);

	/* chunks: good, then overlapping */
	start(&w, 4);
	MK_CHECK(fmt_write_region(&w, &r) == 0);
	c.region = 0;
	c.offset = 4096;
	MK_CHECK(fmt_write_chunk(&w, &c, frame) == 0);
	c.offset = 0;
	MK_CHECK(fmt_write_chunk(&w, &c, frame) == FMT_E_ORDER);
	/* beyond the region, unaligned, wrong region, NODATA */
	start(&w, 4);
	MK_CHECK(fmt_write_region(&w, &r) == 0);
	c.offset = 0x4000;
	MK_CHECK(fmt_write_chunk(&w, &c, frame) == FMT_E_CORRUPT);
	start(&w, 4);
	MK_CHECK(fmt_write_region(&w, &r) == 0);
	c.offset = 100;
	MK_CHECK(fmt_write_chunk(&w, &c, frame) == FMT_E_CORRUPT);
	start(&w, 4);
	MK_CHECK(fmt_write_region(&w, &r) == 0);
	c.offset = 0;
	c.region = 1;
	MK_CHECK(fmt_write_chunk(&w, &c, frame) == FMT_E_ORDER);
	start(&w, 4);
	r = region(0x10000, 0x14000, FMT_R_NODATA);
	MK_CHECK(fmt_write_region(&w, &r) == 0);
	c.region = 0;
	MK_CHECK(fmt_write_chunk(&w, &c, frame) == FMT_E_ORDER);
	/* a chunk bigger than chunk_max */
	start(&w, 4);
	r = region(0x10000, 0x20000, 0);
	MK_CHECK(fmt_write_region(&w, &r) == 0);
	c2 = c;
	c2.raw_len = 16384;
	MK_CHECK(fmt_write_chunk(&w, &c2, frame) == FMT_E_LIMIT);

	/* advice: every known mark, and then a bit no version defines */
	start(&w, 4);
	r = region(0x10000, 0x14000, 0);
	r.advice = FMT_A_ALL;
	MK_CHECK(fmt_write_region(&w, &r) == 0);
	start(&w, 4);
	r.advice = FMT_A_ALL + 1;
	MK_CHECK(fmt_write_region(&w, &r) == FMT_E_CORRUPT);
	r = region(0x10000, 0x20000, 0);

	/* regions overlapping, and more regions than index entries */
	start(&w, 2);
	MK_CHECK(fmt_write_region(&w, &r) == 0);
	r = region(0x18000, 0x30000, 0);
	MK_CHECK(fmt_write_region(&w, &r) == FMT_E_ORDER);
	start(&w, 1);
	r = region(0x10000, 0x11000, 0);
	MK_CHECK(fmt_write_region(&w, &r) == 0);
	r = region(0x11000, 0x12000, 0);
	MK_CHECK(fmt_write_region(&w, &r) == FMT_E_SPACE);

	/* a write error is kept and returned to the end */
	start(&w, 4);
	fail_after = out.len + 10;
	mk_thread(0, &t);
	MK_CHECK(fmt_write_thread(&w, &t) == -ENOSPC);
	MK_CHECK(fmt_write_end(&w) == -ENOSPC);
	fail_after = (size_t)-1;

	/* and a correct small image reads back */
	start(&w, 4);
	r = region(0x10000, 0x14000, 0);
	MK_CHECK(fmt_write_region(&w, &r) == 0);
	c.region = 0;
	c.offset = 8192;
	MK_CHECK(fmt_write_chunk(&w, &c, frame) == 0);
	MK_CHECK(fmt_write_end(&w) == 0);
	MK_CHECK(fmt_write_end(&w) == FMT_E_ORDER);
	MK_CHECK(fmt_image_open(&img, out.p, out.len) == 0);
	MK_CHECK(img.nregions == 1 && img.nchunks == 1);
	MK_CHECK(img.regions[0].zero_bytes == 0x4000 - 4096);
	MK_CHECK(fmt_image_verify(&img) == 0);
	fmt_image_close(&img);

	MK_CHECK(strcmp(fmt_strerror(-ENOSPC), "no space left on device") ==
	    0);
	MK_CHECK(strcmp(fmt_strerror(-ENOTSUP), "system error 95") == 0);
	MK_CHECK(strcmp(fmt_strerror(FMT_E_TRUNCATED), "image is truncated") ==
	    0);
	ZSTD_freeCCtx(cctx);
	free(out.p);
	printf("t-fmt-writer: ok\n");
	return 0;
}
