/*
 * t-fmt-bitflip - no damaged byte goes unnoticed: each byte of a small
 * image is flipped in turn (xor 0x01, then xor 0x80) and fmt_image_open or
 * fmt_image_verify must fail, with a description, every time; then the
 * same for the image with its pages in PAGES chunks.  The image
 * sits in a buffer of exactly its size, so an ASan build also catches any
 * read past its end.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkimage.h"

static int
accepted(const uint8_t *p, size_t len, int *code)
{
	struct fmt_image img;
	char msg[256];
	int rc;

	rc = fmt_image_open(&img, p, len);
	if (rc == 0) {
		rc = fmt_image_verify(&img);
		fmt_image_close(&img);
	}
	if (rc != 0) {
		msg[0] = '\0';
		fmt_describe_error(&img, msg, sizeof(msg));
		MK_CHECK(msg[0] != '\0');
	}
	*code = rc;
	return rc == 0;
}

/* Flips every byte of the small image; returns how many flips passed. */
static size_t
flip_all(int pages)
{
	static const uint8_t masks[] = { 0x01, 0x80 };
	struct mk_opts o;
	struct mk_buf b;
	uint8_t *copy;
	size_t pos, m, bad = 0;
	int code, seen[16] = { 0 };

	mk_opts_default(&o);
	o.small = 1;
	o.chunk_max = 8192;
	o.pages = pages;
	MK_CHECK(mk_build_mem(&o, &b) == 0);
	copy = malloc(b.len);
	MK_CHECK(copy != NULL);
	memcpy(copy, b.p, b.len);
	MK_CHECK(accepted(copy, b.len, &code));
	for (pos = 0; pos < b.len; pos++) {
		for (m = 0; m < sizeof(masks); m++) {
			copy[pos] ^= masks[m];
			if (accepted(copy, b.len, &code)) {
				fprintf(stderr, "flip %#x at %zu accepted\n",
				    masks[m], pos);
				bad++;
			} else if (code <= -10001 && code > -10016)
				seen[-code - 10001] = 1;
			copy[pos] ^= masks[m];
		}
	}
	MK_CHECK(seen[-FMT_E_CHECKSUM - 10001]);
	MK_CHECK(seen[-FMT_E_DATA_CHECKSUM - 10001]);
	printf("t-fmt-bitflip: %zu bytes%s, %zu flips accepted\n", b.len,
	    pages ? " (PAGES chunks)" : "", bad);
	free(copy);
	free(b.p);
	return bad;
}

int
main(void)
{
	size_t bad = flip_all(0);

	bad += flip_all(1);
	return bad ? 1 : 0;
}
