/*
 * t-fmt-share - an FD record's SHARE (format 1.4) must name the number of
 * an earlier record that has no SHARE itself.  A sound chain reads back
 * with share_idx pointing at that record, even with the numbers out of
 * order and the map grown past its first size; SHARE naming the record's
 * own number, a later record, no record, or a record that is itself a copy
 * is refused as corrupt, naming the fd record.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkimage.h"

static uint8_t scratch[64];
static struct fmt_index_entry idx[4];

/* An image of the model's process and fds 'fd[i]', sharing 'share[i]'
 * (-1: none), with no region. */
static void
build(struct mk_buf *out, uint32_t n, const int *fd, const int *share)
{
	struct fmt_writer w;
	struct fmt_process p;
	struct fmt_fd f;
	uint32_t i;

	free(out->p);
	memset(out, 0, sizeof(*out));
	fmt_writer_init(&w, mk_buf_write, out, scratch, sizeof(scratch), idx,
	    4, 8192);
	MK_CHECK(fmt_write_header(&w) == 0);
	mk_process(&p);
	MK_CHECK(fmt_write_process(&w, &p) == 0);
	for (i = 0; i < n; i++) {
		memset(&f, 0, sizeof(f));
		f.present = FMT_F_FD | FMT_F_KIND;
		f.fd = fd[i];
		f.kind = FMT_FD_FILE;
		if (share[i] >= 0) {
			f.present |= FMT_F_SHARE;
			f.share = share[i];
		}
		MK_CHECK(fmt_write_fd(&w, &f) == 0);
	}
	MK_CHECK(fmt_write_end(&w) == 0);
}

static int
open_rc(const struct mk_buf *b, struct fmt_image *img)
{
	return fmt_image_open(img, b->p, b->len);
}

static void
refused(const char *what, uint32_t n, const int *fd, const int *share)
{
	struct mk_buf b = { 0 };
	struct fmt_image img;
	char msg[512];
	int rc;

	build(&b, n, fd, share);
	rc = open_rc(&b, &img);
	if (rc != FMT_E_CORRUPT) {
		fprintf(stderr, "%s: open returned %d, want FMT_E_CORRUPT\n",
		    what, rc);
		exit(1);
	}
	fmt_describe_error(&img, msg, sizeof(msg));
	if (strstr(msg, "shared descriptor") == NULL) {
		fprintf(stderr, "%s: message \"%s\"\n", what, msg);
		exit(1);
	}
	free(b.p);
}

int
main(void)
{
	enum { N = 300 };
	static int fd[N], share[N];
	struct mk_buf b = { 0 };
	struct fmt_image img;
	uint32_t i;

	/* 300 records, numbers descending, each third a copy of the one
	 * before it: the map grows from 64 slots several times */
	for (i = 0; i < N; i++) {
		fd[i] = 1000 - (int)i;
		share[i] = i % 3 == 2 ? fd[i - 1] : -1;
	}
	build(&b, N, fd, share);
	MK_CHECK(open_rc(&b, &img) == 0);
	MK_CHECK(img.nfds == N);
	for (i = 0; i < N; i++) {
		MK_CHECK(!(img.fds[i].present & FMT_F_SHARE) == (share[i] < 0));
		if (share[i] >= 0) {
			MK_CHECK(img.fds[i].share == share[i]);
			MK_CHECK(img.fds[i].share_idx == i - 1);
		}
	}
	fmt_image_close(&img);

	{
		static const int f1[] = { 3 }, s1[] = { 3 };
		static const int f2[] = { 3, 4 }, s2[] = { 4, -1 };
		static const int f3[] = { 3, 4 }, s3[] = { -1, 9 };
		static const int f4[] = { 3, 4, 5 }, s4[] = { -1, 3, 4 };
		static const int f5[] = { 0, 3 }, s5[] = { -1, 0 };

		refused("its own number", 1, f1, s1);
		refused("a later record", 2, f2, s2);
		refused("no record", 2, f3, s3);
		refused("a copy of a copy", 3, f4, s4);
		build(&b, 2, f5, s5);
		MK_CHECK(open_rc(&b, &img) == 0);
		MK_CHECK(img.fds[1].share_idx == 0);
		fmt_image_close(&img);
		free(b.p);
	}
	printf("PASS\n");
	return 0;
}
