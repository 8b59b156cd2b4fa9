/*
 * t-fmt-truncated - every proper prefix of an image is refused as
 * truncated, and nothing is read past its end (each prefix lives in a
 * buffer of exactly its length, for ASan).  The small image is cut at
 * every length; the full-size one at every length near a frame boundary
 * and at a stride elsewhere.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkimage.h"

static void
cut(const uint8_t *full, size_t len)
{
	struct fmt_image img;
	uint8_t *p = malloc(len ? len : 1);
	char msg[256];
	int rc;

	MK_CHECK(p != NULL);
	memcpy(p, full, len);
	rc = fmt_image_open(&img, p, len);
	if (rc != FMT_E_TRUNCATED) {
		fprintf(stderr, "length %zu: got %d (%s), want truncated\n",
		    len, rc, fmt_strerror(rc));
		exit(1);
	}
	fmt_describe_error(&img, msg, sizeof(msg));
	MK_CHECK(strncmp(msg, "truncated at offset ", 20) == 0);
	free(p);
}

int
main(void)
{
	struct mk_opts o;
	struct mk_buf b;
	size_t len;
	int small, near;

	for (small = 1; small >= 0; small--) {
		mk_opts_default(&o);
		o.small = small;
		MK_CHECK(mk_build_mem(&o, &b) == 0);
		for (len = 0; len < b.len; len++) {
			/* near a record start or the end, or every 61st */
			near = b.len - len < 64 || memmem(b.p + len, 64,
			    "\x5c\x2a\x4d\x18", 4) != NULL;
			if (!small && len % 61 != 0 && !near)
				continue;
			cut(b.p, len);
		}
		free(b.p);
	}
	printf("t-fmt-truncated: ok\n");
	return 0;
}
