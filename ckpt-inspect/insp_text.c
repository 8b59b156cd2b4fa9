/*
 * insp_text.c - the report for people: a header block, then tables of
 * regions, threads and file descriptors in aligned columns.
 *
 * Column widths are measured over the whole image first, so every table
 * lines up whatever its addresses and sizes; the name column comes last
 * because it is the only one of unbounded width.  Nothing from the image
 * is printed except through insp_print_bytes().  The exact layout is
 * pinned by tests/golden/; change both together.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "insp.h"

#define TEXT_LABEL	"%-17s"		/* header block labels */

static void
text_label_bytes(FILE *f, const char *label, const struct fmt_process *p,
    uint32_t bit, const struct fmt_bytes *b)
{
	fprintf(f, TEXT_LABEL, label);
	if (p->present & bit)
		insp_print_bytes(f, b->p, b->len);
	else
		fputs("-", f);
	putc('\n', f);
}

static void
text_label_size(FILE *f, const char *label, uint64_t n)
{
	char h[INSP_HUMAN_MAX];

	fprintf(f, TEXT_LABEL "%llu", label, (unsigned long long)n);
	if (n >= 1024) {
		insp_human(n, h);
		fprintf(f, " (%s)", h);
	}
	putc('\n', f);
}

static void
text_header(FILE *f, const struct fmt_image *img)
{
	const struct fmt_process *p = &img->proc;
	struct fmt_bytes prog;
	char when[INSP_TIME_MAX];

	fprintf(f, TEXT_LABEL "%u.%u\n", "format version:", img->major,
	    img->minor);
	fprintf(f, TEXT_LABEL, "program:");
	if (insp_program(p, &prog))
		insp_print_bytes(f, prog.p, prog.len);
	else
		fputs("-", f);
	putc('\n', f);
	if (p->present & FMT_P_PID)
		fprintf(f, TEXT_LABEL "%u\n", "pid:", p->pid);
	else
		fprintf(f, TEXT_LABEL "-\n", "pid:");
	if ((p->present & FMT_P_CTIME) && insp_iso_time(p->ctime_ns, when) == 0)
		fprintf(f, TEXT_LABEL "%s\n", "created:", when);
	else
		fprintf(f, TEXT_LABEL "-\n", "created:");
	text_label_bytes(f, "host:", p, FMT_P_HOSTNAME, &p->hostname);
	text_label_bytes(f, "kernel:", p, FMT_P_KERNEL, &p->kernel);
	text_label_bytes(f, "libckpt version:", p, FMT_P_VERSION, &p->version);
	fprintf(f, TEXT_LABEL "%u\n", "threads:", img->nthreads);
	fprintf(f, TEXT_LABEL "%u\n", "regions:", img->nregions);
	text_label_size(f, "raw bytes:", img->total_raw);
	text_label_size(f, "stored bytes:", img->total_stored);
	if (img->total_stored > 0)
		fprintf(f, TEXT_LABEL "%.1f:1\n", "ratio:",
		    (double)img->total_raw / (double)img->total_stored);
	else
		fprintf(f, TEXT_LABEL "-\n", "ratio:");
	text_label_size(f, "zero bytes:", img->total_zero);
	text_label_size(f, "file bytes:", img->len);
}

static int
text_hex_digits(uint64_t v)
{
	int n = 1;

	while (v >>= 4)
		n++;
	return n;
}

static int
text_max(int a, int b)
{
	return a > b ? a : b;
}

/* The sizes of one region row, formatted once for measuring and printing. */
struct text_row {
	char	raw[INSP_HUMAN_MAX], stored[INSP_HUMAN_MAX];
	char	zero[INSP_HUMAN_MAX], chunks[16];
};

/*
 * Kernel-provided pages (vDSO, vvar) are not saved: their sizes read "-",
 * so that the RAW column adds up to the header's raw bytes.
 */
static void
text_row(const struct fmt_region *r, struct text_row *row)
{
	if (r->kind != FMT_K_MEMORY) {
		snprintf(row->raw, sizeof(row->raw), "-");
		snprintf(row->stored, sizeof(row->stored), "-");
		snprintf(row->zero, sizeof(row->zero), "-");
		snprintf(row->chunks, sizeof(row->chunks), "-");
		return;
	}
	insp_human(insp_region_raw(r), row->raw);
	insp_human(r->stored_bytes, row->stored);
	insp_human(r->zero_bytes, row->zero);
	snprintf(row->chunks, sizeof(row->chunks), "%u", r->nchunks);
}

/* "  (hugepage, locked)" after the name, if madvise or mlock said any. */
static void
text_advice(FILE *f, uint32_t advice)
{
	const char *sep = "  (", *name;
	uint32_t k;

	for (k = 0; k < 32; k++) {
		if (!(advice & (1U << k)))
			continue;
		name = insp_advice_name(k);
		fprintf(f, "%s%s", sep, name != NULL ? name : "unknown");
		sep = ", ";
	}
	if (advice != 0)
		putc(')', f);
}

static void
text_regions(FILE *f, const struct fmt_image *img)
{
	const struct fmt_region *r;
	struct text_row row;
	char perms[5];
	int aw = 8, rw = 3, sw = 6, zw = 4, cw = 6;
	uint32_t i;

	for (i = 0; i < img->nregions; i++) {
		r = &img->regions[i];
		aw = text_max(aw, text_hex_digits(r->start));
		aw = text_max(aw, text_hex_digits(r->end));
		text_row(r, &row);
		rw = text_max(rw, (int)strlen(row.raw));
		sw = text_max(sw, (int)strlen(row.stored));
		zw = text_max(zw, (int)strlen(row.zero));
		cw = text_max(cw, (int)strlen(row.chunks));
	}
	fprintf(f, "\nregions:\n%-*s  PERMS  %*s  %*s  %*s  %*s  NAME\n",
	    2 * aw + 1, "START-END", rw, "RAW", sw, "STORED", zw, "ZERO",
	    cw, "CHUNKS");
	for (i = 0; i < img->nregions; i++) {
		r = &img->regions[i];
		text_row(r, &row);
		insp_perms(r, perms);
		fprintf(f, "%0*llx-%0*llx  %-5s  %*s  %*s  %*s  %*s",
		    aw, (unsigned long long)r->start,
		    aw, (unsigned long long)r->end, perms,
		    rw, row.raw, sw, row.stored, zw, row.zero, cw, row.chunks);
		if (r->path.len > 0) {
			fputs("  ", f);
			insp_print_bytes(f, r->path.p, r->path.len);
		}
		text_advice(f, r->advice);
		putc('\n', f);
	}
}

static void
text_threads(FILE *f, const struct fmt_image *img)
{
	const struct fmt_thread *t;
	uint64_t rip;
	uint32_t i;

	if (img->nthreads == 0)
		return;
	fprintf(f, "\nthreads:\n%-8s  %-18s  %s\n", "TID", "RIP", "FS_BASE");
	for (i = 0; i < img->nthreads; i++) {
		t = &img->threads[i];
		if (t->present & FMT_T_TID)
			fprintf(f, "%-8u  ", t->tid);
		else
			fprintf(f, "%-8s  ", "-");
		if (insp_thread_rip(t, &rip))
			fprintf(f, "0x%016llx  ", (unsigned long long)rip);
		else
			fprintf(f, "%-18s  ", "-");
		if (t->present & FMT_T_FS_BASE)
			fprintf(f, "0x%016llx\n", (unsigned long long)t->fs_base);
		else
			fputs("-\n", f);
	}
}

static void
text_fds(FILE *f, const struct fmt_image *img)
{
	const struct fmt_fd *d;
	char off[24], sock[INSP_FD_DESC];
	uint32_t i;

	if (img->nfds == 0)
		return;
	/* KIND fits the longest name insp_fd_kind() returns, "signalfd". */
	fprintf(f, "\nfile descriptors:\n%-5s  %-8s  %12s  %s\n", "FD", "KIND",
	    "OFFSET", "PATH");
	for (i = 0; i < img->nfds; i++) {
		d = &img->fds[i];
		if (d->present & FMT_F_FD)
			fprintf(f, "%-5d  ", d->fd);
		else
			fprintf(f, "%-5s  ", "-");
		fprintf(f, "%-8s  ", (d->present & FMT_F_KIND) ?
		    insp_fd_kind(d->kind) : "-");
		if (d->present & FMT_F_OFFSET)
			snprintf(off, sizeof(off), "%llu",
			    (unsigned long long)d->offset);
		else
			snprintf(off, sizeof(off), "-");
		fprintf(f, "%12s  ", off);
		if ((d->present & FMT_F_PATH) && d->path.len > 0) {
			insp_print_bytes(f, d->path.p, d->path.len);
			/* pipe:[N] says which pipe, not which end */
			if ((d->present & FMT_F_PIPE) &&
			    d->kind == FMT_FD_PIPE)
				fprintf(f, ", %s end",
				    d->pipe_write ? "write" : "read");
		} else if (d->present & FMT_F_PIPE)
			fprintf(f, "pipe %llu, %s end",
			    (unsigned long long)d->pipe_id,
			    d->pipe_write ? "write" : "read");
		else
			fputs("-", f);
		insp_fd_desc(d, sock, sizeof(sock));
		if (sock[0] != '\0')
			fprintf(f, "  %s", sock);
		switch (insp_fd_restore(img, d)) {
		case INSP_RESTORE_NONE:
			fputs("  (not restorable)", f);
			break;
		case INSP_RESTORE_INHERIT:
			fputs("  (restart's own)", f);
			break;
		case INSP_RESTORE_SHARE:
			fprintf(f, "  (shares fd %d's open file)", d->share);
			break;
		default:
			break;
		}
		putc('\n', f);
	}
}

int
insp_print_text(FILE *f, const struct fmt_image *img)
{
	text_header(f, img);
	text_regions(f, img);
	text_threads(f, img);
	text_fds(f, img);
	return ferror(f) ? -1 : 0;
}
