/*
 * t-fmt-roundtrip - what the writer writes, the reader returns: every
 * process, thread and fd field, every region field, chunk boundaries cut at
 * holes and at chunk_max, holes exactly where the zero pages were, totals,
 * and data that decompresses to exactly what was written.  Run over several
 * chunk sizes, levels and data kinds, with and without optional records,
 * with the non-zero pages in ordinary chunks and in PAGES chunks (2.0).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkimage.h"

static void
roundtrip(uint32_t chunk_max, int level, int small, int optional, int pages)
{
	struct mk_opts o;
	struct mk_buf b;
	struct fmt_image img;
	char msg[256];
	int rc;

	mk_opts_default(&o);
	o.chunk_max = chunk_max;
	o.level = level;
	o.small = small;
	o.optional = optional;
	o.pages = pages;
	MK_CHECK(mk_build_mem(&o, &b) == 0);
	rc = fmt_image_open(&img, b.p, b.len);
	if (rc != 0) {
		fmt_describe_error(&img, msg, sizeof(msg));
		fprintf(stderr, "open (chunk %u level %d small %d pages %d): "
		    "%s\n", chunk_max, level, small, pages, msg);
		exit(1);
	}
	mk_check_image(&img, &o);
	MK_CHECK(fmt_image_verify(&img) == 0);
	fmt_image_close(&img);
	free(b.p);
}

int
main(void)
{
	static const uint32_t sizes[] = { 4096, 8192, 16384, 65536, 1 << 20 };
	size_t i;
	int small, pages;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (small = 0; small < 2; small++)
			for (pages = 0; pages < 2; pages++)
				roundtrip(sizes[i], 3, small, 0, pages);
	roundtrip(MK_CHUNK_DEFAULT, 1, 0, 1, 0);
	roundtrip(MK_CHUNK_DEFAULT, 19, 0, 0, 0);
	roundtrip(MK_CHUNK_DEFAULT, -5, 1, 1, 1);
	printf("t-fmt-roundtrip: ok\n");
	return 0;
}
