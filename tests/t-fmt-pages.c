/*
 * t-fmt-pages - PAGES chunks (FORMAT.md "PAGES", 2.0): the synthetic image
 * written with each region's non-zero pages as PAGES chunks reads back the
 * same memory, with the same holes; the writer refuses a page list that
 * would make an unreadable image; the reader refuses every kind of bad
 * list in an image whose checksums are all correct, a chunk that starts
 * inside a PAGES chunk's span, and PAGES in an image of major version 1.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "mkimage.h"

static uint8_t scratch[256];
static struct fmt_index_entry idx[4];

/* Opens 'in' rewritten with e: the result, described in msg. */
static int
open_edited(const struct mk_buf *in, const struct mk_edit *e, char *msg,
    size_t n)
{
	struct fmt_image img;
	struct mk_buf b;
	int rc;

	MK_CHECK(mk_rewrite(in->p, in->len, e, &b) == 0);
	rc = fmt_image_open(&img, b.p, b.len);
	if (rc == 0) {
		rc = fmt_image_verify(&img);
		fmt_image_close(&img);
	}
	fmt_describe_error(&img, msg, n);
	free(b.p);
	return rc;
}

static void
refused(const struct mk_buf *in, int how, uint32_t last, const char *want)
{
	struct mk_edit e;
	char msg[256];
	int rc;

	memset(&e, 0, sizeof(e));
	e.pages_bad = how;
	e.pages_last = last;
	rc = open_edited(in, &e, msg, sizeof(msg));
	if (rc != FMT_E_CORRUPT || strstr(msg, want) == NULL) {
		fprintf(stderr, "edit %d: got %d \"%s\", want %d \"%s\"\n",
		    how, rc, msg, FMT_E_CORRUPT, want);
		exit(1);
	}
}

/*
 * Region 0x10000-0x20000 (16 pages): a PAGES chunk of 'pages' (n numbers)
 * at offset 0, then unless 'next' is 0 a one-page CHUNK at that offset.
 * Returns fmt_write_chunk()'s result for the PAGES chunk.
 */
static int
write_pages(ZSTD_CCtx *cctx, const uint32_t *pages, uint32_t n,
    uint32_t raw_pages, uint64_t next, struct mk_buf *out)
{
	static uint8_t data[16 * 4096], frame[80000];
	uint8_t list[64];
	struct fmt_writer w;
	struct fmt_process p;
	struct fmt_region r;
	struct fmt_chunk c;
	uint32_t i;
	int rc;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)("pages of memory "[i % 16] + i / 4096);
	free(out->p);
	memset(out, 0, sizeof(*out));
	fmt_writer_init(&w, mk_buf_write, out, scratch, sizeof(scratch), idx,
	    4, 65536);
	MK_CHECK(fmt_write_header(&w) == 0);
	mk_process(&p);
	MK_CHECK(fmt_write_process(&w, &p) == 0);
	memset(&r, 0, sizeof(r));
	r.start = 0x10000;
	r.end = 0x20000;
	r.prot = 3;
	r.flags = FMT_R_ANON;
	MK_CHECK(fmt_write_region(&w, &r) == 0);
	memset(&c, 0, sizeof(c));
	MK_CHECK(fmt_chunk_compress(cctx, data, raw_pages * 4096, frame,
	    sizeof(frame), &c) == 0);
	for (i = 0; i < n; i++)
		fmt_put32(list + 4 * i, pages[i]);
	c.offset = 0;
	c.npages = n;
	c.pages = list;
	if ((rc = fmt_write_chunk(&w, &c, frame)) != 0)
		return rc;
	if (next != 0) {
		memset(&c, 0, sizeof(c));
		MK_CHECK(fmt_chunk_compress(cctx, data, 4096, frame,
		    sizeof(frame), &c) == 0);
		c.offset = next;
		if ((rc = fmt_write_chunk(&w, &c, frame)) != 0)
			return rc;
	}
	return fmt_write_end(&w);
}

int
main(void)
{
	static const uint32_t good[] = { 0, 2, 5 }, unordered[] = { 0, 5, 2 };
	static const uint32_t twice[] = { 0, 2, 2 }, late[] = { 1, 2, 5 };
	static const uint32_t beyond[] = { 0, 2, 16 }, last[] = { 0, 2, 15 };
	ZSTD_CCtx *cctx = ZSTD_createCCtx();
	struct fmt_image img;
	struct mk_opts o;
	struct mk_edit e;
	struct mk_buf b = { 0 }, one = { 0 };
	char msg[256];
	uint32_t i, npages = 0;

	/* the synthetic image, every region's pages in PAGES chunks */
	mk_opts_default(&o);
	o.pages = 1;
	o.chunk_max = 16384;
	MK_CHECK(mk_build_mem(&o, &b) == 0);
	MK_CHECK(fmt_image_open(&img, b.p, b.len) == 0);
	mk_check_image(&img, &o);
	MK_CHECK(fmt_image_verify(&img) == 0);
	MK_CHECK(img.major == 2);
	for (i = 0; i < img.nchunks; i++)
		npages += img.chunks[i].npages;
	MK_CHECK(img.nchunks > 0 && npages > img.nchunks);
	fmt_image_close(&img);

	/* a list the reader must refuse, with every checksum right */
	refused(&b, MK_PB_FIRST, 0, "pages record's page list");
	refused(&b, MK_PB_ORDER, 0, "pages record's page list");
	refused(&b, MK_PB_BEYOND, 0, "pages record's page list");
	refused(&b, MK_PB_COUNT, 0, "pages record length");
	refused(&b, MK_PB_LONGER, 0, "pages record length");
	refused(&b, MK_PB_RESERVED, 0, "chunk reserved field");

	/* PAGES is 2.0's: an image that says 1.4 may not hold one */
	memset(&e, 0, sizeof(e));
	e.set_version = 1;
	e.major = 1;
	e.minor = 4;
	MK_CHECK(open_edited(&b, &e, msg, sizeof(msg)) == FMT_E_UNKNOWN);
	MK_CHECK(strstr(msg, "record type") != NULL);
	/* the same rewrite of an image without PAGES is read */
	o.pages = 0;
	MK_CHECK(mk_build_mem(&o, &one) == 0);
	MK_CHECK(open_edited(&one, &e, msg, sizeof(msg)) == 0);
	free(one.p);
	one.p = NULL;

	/* the writer: a good list, then each way a list can be wrong */
	MK_CHECK(cctx != NULL && fmt_cctx_setup(cctx, 3) == 0);
	MK_CHECK(write_pages(cctx, good, 3, 3, 6 * 4096, &one) == 0);
	MK_CHECK(fmt_image_open(&img, one.p, one.len) == 0);
	MK_CHECK(img.nchunks == 2 && img.chunks[0].npages == 3);
	MK_CHECK(fmt_chunk_page(&img.chunks[0], 2) == 5 * 4096);
	MK_CHECK(img.regions[0].zero_bytes == 12 * 4096);
	MK_CHECK(fmt_image_verify(&img) == 0);
	fmt_image_close(&img);
	MK_CHECK(write_pages(cctx, last, 3, 3, 0, &one) == 0);
	MK_CHECK(write_pages(cctx, unordered, 3, 3, 0, &one) ==
	    FMT_E_CORRUPT);
	MK_CHECK(write_pages(cctx, twice, 3, 3, 0, &one) == FMT_E_CORRUPT);
	MK_CHECK(write_pages(cctx, late, 3, 3, 0, &one) == FMT_E_CORRUPT);
	MK_CHECK(write_pages(cctx, beyond, 3, 3, 0, &one) == FMT_E_CORRUPT);
	MK_CHECK(write_pages(cctx, good, 3, 2, 0, &one) == FMT_E_CORRUPT);
	/* the next chunk may not start inside the span (pages 0 to 5) */
	MK_CHECK(write_pages(cctx, good, 3, 3, 5 * 4096, &one) ==
	    FMT_E_ORDER);
	MK_CHECK(write_pages(cctx, good, 3, 3, 4 * 4096, &one) ==
	    FMT_E_ORDER);

	/* nor may it in an image: the span grown over the next chunk */
	MK_CHECK(write_pages(cctx, good, 3, 3, 6 * 4096, &one) == 0);
	refused(&one, MK_PB_LAST, 6, "chunk offset overlaps");
	refused(&one, MK_PB_LAST, 7, "chunk offset overlaps");
	memset(&e, 0, sizeof(e));
	e.pages_bad = MK_PB_LAST;
	e.pages_last = 5;	/* unchanged: the control */
	MK_CHECK(open_edited(&one, &e, msg, sizeof(msg)) == 0);

	ZSTD_freeCCtx(cctx);
	free(one.p);
	free(b.p);
	printf("t-fmt-pages: ok\n");
	return 0;
}
