/*
 * mkimage.h - a deterministic synthetic image for the format tests, and a
 * rewriter that re-encodes an image with changes (newer versions, extra
 * fields, unknown records) while keeping every checksum and offset right.
 *
 * The model (mk_process(), mk_region_data(), ...) is what mk_build() writes;
 * tests compare what the reader returns against it.  Its default output is
 * used as a golden input elsewhere, so changing it changes other tests.
 */
#ifndef CKPT_MKIMAGE_H
#define CKPT_MKIMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fmt.h"

#define MK_CHUNK_DEFAULT	16384
#define MK_LEVEL_DEFAULT	3

struct mk_opts {
	uint32_t	chunk_max;
	int		level;
	int		optional;	/* also write optional records */
	int		small;		/* text-only data: a tiny image */
	int		pages;		/* pages in PAGES chunks */
};

#define MK_CHECK(c)	do {						\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: failed: %s\n", __FILE__,	\
		    __LINE__, #c);					\
		exit(1);						\
	}								\
} while (0)

/* A growing byte buffer, also usable as a fmt_write_fn argument. */
struct mk_buf {
	uint8_t	*p;
	size_t	 len, cap;
};

int	mk_buf_write(void *arg, const void *p, size_t n);
void	mk_opts_default(struct mk_opts *o);

/* The model. */
void		mk_process(struct fmt_process *p);
uint32_t	mk_nthreads(void);
void		mk_thread(uint32_t i, struct fmt_thread *t);
uint32_t	mk_nfds(void);
void		mk_fd(uint32_t i, struct fmt_fd *f);
uint32_t	mk_nregions(void);
void		mk_region(uint32_t i, struct fmt_region *r);
/* The region's whole contents, zero pages included (not for NODATA). */
void		mk_region_data(uint32_t i, int small, uint8_t *buf);

/*
 * Checks every field, region and chunk of an opened image against the
 * model written with 'o', decompressing every chunk; exits 1 on a mismatch.
 */
void	mk_check_image(const struct fmt_image *img, const struct mk_opts *o);

/* Writes the model through the writer API; returns 0 or a FMT_E_* code. */
int	mk_build(const struct mk_opts *o, fmt_write_fn fn, void *arg);
int	mk_build_mem(const struct mk_opts *o, struct mk_buf *out);

struct mk_edit {
	int		set_version;
	uint16_t	major, minor;
	uint32_t	extra_fixed;	/* bytes appended to fixed bodies */
	int		extra_tlv;	/* unknown non-critical TLV fields */
	int		critical_tlv;	/* an unknown critical TLV field */
	int		tag0_tlv;	/* a process field with tag 0 */
	int		optional_rec;	/* unknown optional records */
	int		unknown_rec;	/* an unknown non-optional record */
	int		index_skew;	/* index entry 1 off by one page */
	int		index_misdirect; /* entry 1 names region 0's record */
	uint32_t	advice_or;	/* bits or-ed into every region's advice */
	int		cut_advice;	/* regions end after their path */
	int		pages_bad;	/* damage the first PAGES list: MK_PB_* */
	uint32_t	pages_last;	/* MK_PB_LAST: its last page number */
};

/* What pages_bad does to the first PAGES record (checksums stay valid). */
enum {
	MK_PB_FIRST = 1,	/* page[0] is 1, not 0 */
	MK_PB_ORDER,		/* page[1] repeats page[0] */
	MK_PB_BEYOND,		/* the last page lies past the region's end */
	MK_PB_COUNT,		/* npages one more than raw_len holds */
	MK_PB_LONGER,		/* four more bytes after the list */
	MK_PB_RESERVED,		/* the record's type becomes CHUNK's */
	MK_PB_LAST,		/* the last page number becomes pages_last */
};

/*
 * Re-encodes a valid image with the edits applied; the result has correct
 * checksums, index and trailer, so only the edit itself can be refused.
 */
int	mk_rewrite(const uint8_t *in, size_t len, const struct mk_edit *e,
	    struct mk_buf *out);

/* Reads a whole file ("-" = stdin); exits 99 on failure. */
void	mk_slurp(const char *path, struct mk_buf *out);

#endif
