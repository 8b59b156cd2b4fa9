/*
 * t-fmt-bad - known-bad images (tests/bad/, see its README) each fail with
 * the error they were made to show, like zstd's golden decompression
 * errors.  A missing fixture is a hard error, not a pass.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mkimage.h"

static const struct {
	const char	*name;
	int		 code;
	const char	*text;		/* in the description */
} bad[] = {
	{ "empty.zst", FMT_E_TRUNCATED, "truncated at offset 0" },
	{ "not-ckpt.zst", FMT_E_NOT_CKPT, "not a ckpt image" },
	{ "truncated.zst", FMT_E_TRUNCATED, "(expected trailer)" },
	{ "truncated-chunk.zst", FMT_E_TRUNCATED, "(expected chunk data)" },
	{ "version-3.0.zst", FMT_E_VERSION, "version 3.0 is newer" },
	{ "critical-field.zst", FMT_E_UNKNOWN, "critical field" },
	{ "unknown-record.zst", FMT_E_UNKNOWN, "record type" },
	{ "index-skew.zst", FMT_E_INDEX, "index: disagrees" },
	{ "record-checksum.zst", FMT_E_CHECKSUM, "process record" },
	{ "chunk-checksum.zst", FMT_E_CHECKSUM, "checksum mismatch at chunk" },
	{ "data-checksum.zst", FMT_E_DATA_CHECKSUM,
	    "region 1 [heap]: checksum mismatch at chunk 1" },
	{ "huge-length.zst", FMT_E_LIMIT, "record length" },
};

int
main(void)
{
	const char *srcdir = getenv("srcdir");
	struct fmt_image img;
	struct mk_buf b;
	char path[4096], msg[256];
	size_t i;
	int rc, failed = 0;

	if (srcdir == NULL)
		srcdir = ".";
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(path, sizeof(path), "%s/tests/bad/%s", srcdir,
		    bad[i].name);
		if (access(path, R_OK) != 0) {
			perror(path);
			return 99;
		}
		mk_slurp(path, &b);
		rc = fmt_image_open(&img, b.p, b.len);
		if (rc == 0) {
			rc = fmt_image_verify(&img);
			fmt_image_close(&img);
		}
		fmt_describe_error(&img, msg, sizeof(msg));
		if (rc != bad[i].code || strstr(msg, bad[i].text) == NULL) {
			fprintf(stderr, "%s: got %d \"%s\", want %d \"%s\"\n",
			    bad[i].name, rc, msg, bad[i].code, bad[i].text);
			failed = 1;
		} else
			printf("%s: %s\n", bad[i].name, msg);
		free(b.p);
	}
	return failed;
}
