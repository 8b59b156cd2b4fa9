/*
 * t-fmt-version - how images of other versions are read (FORMAT.md
 * "Versions"): a newer major is refused with FMT_E_VERSION naming both
 * versions; a newer minor's additions (longer fixed records, unknown TLV
 * fields, optional records) are read past; unknown critical fields and
 * unknown non-optional records are refused.  A 1.0 image has no region
 * advice, whatever follows a region's path, and a later one without it is
 * refused as short; advice bits no version defines are read, not refused.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "mkimage.h"

static struct mk_opts opts;
static struct mk_buf base;

/* Opens base rewritten with e; returns the result, description in msg. */
static int
try(const struct mk_edit *e, struct fmt_image *img, char *msg, size_t n)
{
	struct mk_buf b;
	int rc;

	MK_CHECK(mk_rewrite(base.p, base.len, e, &b) == 0);
	rc = fmt_image_open(img, b.p, b.len);
	if (rc == 0) {
		mk_check_image(img, &opts);
		rc = fmt_image_verify(img);
		fmt_image_close(img);
	}
	fmt_describe_error(img, msg, n);
	free(b.p);
	return rc;
}

static void
newer_major(uint16_t major, uint16_t minor)
{
	struct mk_edit e = { .set_version = 1, .major = major, .minor = minor };
	struct fmt_image img;
	char msg[256], want[64];

	MK_CHECK(try(&e, &img, msg, sizeof(msg)) == FMT_E_VERSION);
	MK_CHECK(img.err.found_major == major);
	MK_CHECK(img.err.found_minor == minor);
	snprintf(want, sizeof(want), "version %u.%u ", major, minor);
	MK_CHECK(strstr(msg, want) != NULL);
	snprintf(want, sizeof(want), "(%u.x to %u.x)", FMT_OLDEST_MAJOR,
	    FMT_VERSION_MAJOR);
	MK_CHECK(strstr(msg, want) != NULL);
}

static void
accepted(const struct mk_edit *e, uint16_t want_minor)
{
	struct fmt_image img;
	char msg[256];
	struct mk_buf b;
	int rc;

	rc = try(e, &img, msg, sizeof(msg));
	if (rc != 0) {
		fprintf(stderr, "refused: %s\n", msg);
		exit(1);
	}
	MK_CHECK(mk_rewrite(base.p, base.len, e, &b) == 0);
	MK_CHECK(fmt_image_open(&img, b.p, b.len) == 0);
	MK_CHECK(img.minor == want_minor);
	fmt_image_close(&img);
	free(b.p);
}

int
main(void)
{
	struct mk_edit e;
	struct fmt_image img;
	struct mk_buf old;
	char msg[256];
	uint32_t i, nadv;
	int flag;

	mk_opts_default(&opts);
	opts.small = 1;
	MK_CHECK(mk_build_mem(&opts, &base) == 0);

	newer_major(FMT_VERSION_MAJOR + 1, 0);
	newer_major(FMT_VERSION_MAJOR + 1, 7);
	newer_major(65535, 65535);

	memset(&e, 0, sizeof(e));
	e.set_version = 1;
	e.major = 0;
	MK_CHECK(try(&e, &img, msg, sizeof(msg)) != 0);

	/* 1.0 had no advice: the bytes after a path in a 1.0 image are not */
	MK_CHECK(fmt_image_open(&img, base.p, base.len) == 0);
	for (i = 0, nadv = 0; i < img.nregions; i++)
		nadv += img.regions[i].advice != 0;
	fmt_image_close(&img);
	MK_CHECK(nadv > 0);
	memset(&e, 0, sizeof(e));
	e.set_version = 1;
	e.major = 1;
	e.minor = 0;
	MK_CHECK(mk_rewrite(base.p, base.len, &e, &old) == 0);
	MK_CHECK(fmt_image_open(&img, old.p, old.len) == 0);
	for (i = 0, nadv = 0; i < img.nregions; i++)
		nadv += img.regions[i].advice != 0;
	fmt_image_close(&img);
	MK_CHECK(nadv == 0);
	free(old.p);

	/* tags start at 1: a field with tag 0 is no version's */
	memset(&e, 0, sizeof(e));
	e.tag0_tlv = 1;
	MK_CHECK(try(&e, &img, msg, sizeof(msg)) == FMT_E_CORRUPT);
	MK_CHECK(strstr(msg, "field tag 0") != NULL);

	/* a chunk's frame has no zstd content checksum: raw_hash is its */
	for (flag = 0; flag <= 1; flag++) {
		static uint8_t raw[8192], frame[9000], out[8192];
		ZSTD_CCtx *cc = ZSTD_createCCtx();
		ZSTD_DCtx *dc = ZSTD_createDCtx();
		struct fmt_chunk c;
		size_t n;

		MK_CHECK(cc != NULL && dc != NULL);
		memset(raw, 'a', sizeof(raw));
		ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, flag);
		n = ZSTD_compress2(cc, frame, sizeof(frame), raw, sizeof(raw));
		MK_CHECK(!ZSTD_isError(n));
		memset(&c, 0, sizeof(c));
		c.frame = frame;
		c.stored_len = (uint32_t)n;
		c.raw_len = sizeof(raw);
		c.raw_hash = fmt_hash(raw, sizeof(raw));
		MK_CHECK(fmt_chunk_decompress((struct ZSTD_DCtx_s *)dc, &c, out,
		    sizeof(out)) == (flag ? FMT_E_CORRUPT : 0));
		ZSTD_freeCCtx(cc);
		ZSTD_freeDCtx(dc);
	}

	/* a later image whose regions end before their advice is short */
	memset(&e, 0, sizeof(e));
	e.cut_advice = 1;
	MK_CHECK(try(&e, &img, msg, sizeof(msg)) == FMT_E_CORRUPT);
	MK_CHECK(strstr(msg, "region record length") != NULL);
	/* ... but that is what a 1.0 image's regions are */
	e.set_version = 1;
	e.major = 1;
	e.minor = 0;
	MK_CHECK(mk_rewrite(base.p, base.len, &e, &old) == 0);
	MK_CHECK(fmt_image_open(&img, old.p, old.len) == 0);
	fmt_image_close(&img);
	free(old.p);

	/*
	 * Advice is a hint: bits a newer minor may define are read as they
	 * are, not refused, and the known ones beside them stay.
	 */
	memset(&e, 0, sizeof(e));
	e.advice_or = 0x80000000U;
	MK_CHECK(mk_rewrite(base.p, base.len, &e, &old) == 0);
	MK_CHECK(fmt_image_open(&img, old.p, old.len) == 0);
	for (i = 0; i < img.nregions; i++) {
		struct fmt_region m;

		mk_region(i, &m);
		MK_CHECK(img.regions[i].advice == (m.advice | 0x80000000U));
	}
	fmt_image_close(&img);
	free(old.p);

	/* the same image re-encoded unchanged is still fine */
	memset(&e, 0, sizeof(e));
	accepted(&e, FMT_VERSION_MINOR);
	e.set_version = 1;
	e.major = FMT_VERSION_MAJOR;
	e.minor = FMT_VERSION_MINOR + 3;
	accepted(&e, FMT_VERSION_MINOR + 3);
	e.extra_fixed = 24;
	accepted(&e, FMT_VERSION_MINOR + 3);
	e.extra_tlv = 1;
	accepted(&e, FMT_VERSION_MINOR + 3);
	e.optional_rec = 1;
	accepted(&e, FMT_VERSION_MINOR + 3);

	/* optional records through the writer API */
	opts.optional = 1;
	free(base.p);
	MK_CHECK(mk_build_mem(&opts, &base) == 0);
	memset(&e, 0, sizeof(e));
	accepted(&e, FMT_VERSION_MINOR);

	memset(&e, 0, sizeof(e));
	e.critical_tlv = 1;
	MK_CHECK(try(&e, &img, msg, sizeof(msg)) == FMT_E_UNKNOWN);
	memset(&e, 0, sizeof(e));
	e.unknown_rec = 1;
	MK_CHECK(try(&e, &img, msg, sizeof(msg)) == FMT_E_UNKNOWN);
	memset(&e, 0, sizeof(e));
	e.index_skew = 1;
	MK_CHECK(try(&e, &img, msg, sizeof(msg)) == FMT_E_INDEX);
	MK_CHECK(strstr(msg, "index: disagrees with the stream at offset") ==
	    msg);
	free(base.p);
	printf("t-fmt-version: ok\n");
	return 0;
}
