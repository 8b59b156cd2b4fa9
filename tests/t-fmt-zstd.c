/*
 * t-fmt-zstd - an image is a valid zstd stream: `zstd -t` accepts it and
 * `zstd -dc` yields exactly the raw bytes of the chunks in file order (the
 * metadata are skippable frames).  Skips when there is no zstd command.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mkimage.h"

int
main(void)
{
	char dir[] = "/tmp/t-fmt-zstd.XXXXXX", path[64], cmd[256];
	struct mk_opts o;
	struct mk_buf img, want = { 0 }, got;
	struct fmt_image fi;
	const struct fmt_chunk *c;
	uint8_t *data;
	uint32_t i;
	FILE *f;
	int rc;

	if (system("command -v zstd >/dev/null 2>&1") != 0) {
		printf("t-fmt-zstd: no zstd command, skipped\n");
		return 77;
	}
	mk_opts_default(&o);
	MK_CHECK(mk_build_mem(&o, &img) == 0);
	MK_CHECK(fmt_image_open(&fi, img.p, img.len) == 0);
	/* what zstd should give: the model's bytes under each chunk */
	for (i = 0; i < fi.nchunks; i++) {
		c = &fi.chunks[i];
		data = malloc(fi.regions[c->region].end -
		    fi.regions[c->region].start);
		MK_CHECK(data != NULL);
		mk_region_data(c->region, o.small, data);
		MK_CHECK(mk_buf_write(&want, data + c->offset, c->raw_len) ==
		    0);
		free(data);
	}
	fmt_image_close(&fi);

	MK_CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/img.zst", dir);
	f = fopen(path, "wb");
	MK_CHECK(f != NULL && fwrite(img.p, 1, img.len, f) == img.len);
	MK_CHECK(fclose(f) == 0);
	snprintf(cmd, sizeof(cmd), "zstd -q -t %s", path);
	rc = system(cmd);
	if (rc == 0) {
		snprintf(cmd, sizeof(cmd), "zstd -q -dc %s > %s/raw", path,
		    dir);
		rc = system(cmd);
	}
	if (rc == 0) {
		snprintf(cmd, sizeof(cmd), "%s/raw", dir);
		mk_slurp(cmd, &got);
		MK_CHECK(got.len == want.len);
		MK_CHECK(memcmp(got.p, want.p, want.len) == 0);
		free(got.p);
		unlink(cmd);
	}
	unlink(path);
	rmdir(dir);
	MK_CHECK(rc == 0);
	printf("t-fmt-zstd: ok (%zu raw bytes)\n", want.len);
	free(img.p);
	free(want.p);
	return 0;
}
