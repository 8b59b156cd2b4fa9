/*
 * insp_json.c - the --json report, and the small JSON writer it uses.
 *
 * The keys and their order are an interface (documented in
 * ckpt-inspect(1)): scripts read them, golden files pin them.  A key is
 * always present; a value the image does not carry is null, an absent list
 * is [].  A region's raw_bytes is what it adds to totals.raw_bytes: its
 * size for memory, 0 for kernel-provided pages (vdso, vvar), whose size is
 * still there as "size".  Addresses are hex strings ("0x7f...") because JSON numbers lose
 * precision above 2^53 in most parsers; byte counts are numbers.
 *
 * Strings from an image are arbitrary bytes.  insp_json_escape() emits
 * well-formed UTF-8 as it is, escapes quotes, backslashes and controls,
 * and writes each byte of ill-formed UTF-8 as \u00XX, so the output is
 * always valid JSON (and valid UTF-8) whatever the image holds.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "insp.h"

void
insp_json_init(struct insp_json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

void
insp_json_escape(FILE *f, const void *p, size_t len)
{
	const uint8_t *s = p;
	size_t i = 0, n;
	uint32_t cp;

	putc('"', f);
	while (i < len) {
		switch (s[i]) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (s[i] < 0x20 || s[i] == 0x7f) {
				fprintf(f, "\\u%04x", s[i]);
			} else if (s[i] < 0x80) {
				putc(s[i], f);
			} else if ((n = insp_utf8_decode(s + i, len - i,
			    &cp)) == 0) {
				fprintf(f, "\\u%04x", s[i]);
			} else {
				/* C1 controls: legal JSON, but escaped. */
				if (cp < 0xa0)
					fprintf(f, "\\u%04x", cp);
				else
					fwrite(s + i, 1, n, f);
				i += n;
				continue;
			}
			break;
		}
		i++;
	}
	putc('"', f);
}

static void
json_indent(struct insp_json *j, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		fputs("  ", j->f);
}

/* Separator, indent and key before a member (key is NULL in arrays). */
static void
json_member(struct insp_json *j, const char *key)
{
	if (j->depth > 0) {
		fputs(j->count[j->depth] > 0 ? ",\n" : "\n", j->f);
		json_indent(j, j->depth);
		j->count[j->depth]++;
	}
	if (key != NULL) {
		insp_json_escape(j->f, key, strlen(key));
		fputs(": ", j->f);
	}
}

/* Opens an object ('{') or an array ('['). */
void
insp_json_open(struct insp_json *j, const char *key, int c)
{
	json_member(j, key);
	putc(c, j->f);
	if (j->depth + 1 < INSP_JSON_DEPTH)
		j->depth++;
	j->count[j->depth] = 0;
}

void
insp_json_close(struct insp_json *j, int c)
{
	if (j->count[j->depth] > 0) {
		putc('\n', j->f);
		json_indent(j, j->depth - 1);
	}
	putc(c, j->f);
	if (j->depth > 0)
		j->depth--;
	if (j->depth == 0)
		putc('\n', j->f);
}

void
insp_json_str(struct insp_json *j, const char *key, const void *p,
    size_t len)
{
	json_member(j, key);
	insp_json_escape(j->f, p, len);
}

void
insp_json_cstr(struct insp_json *j, const char *key, const char *s)
{
	insp_json_str(j, key, s, strlen(s));
}

void
insp_json_u64(struct insp_json *j, const char *key, uint64_t v)
{
	json_member(j, key);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void
insp_json_i64(struct insp_json *j, const char *key, int64_t v)
{
	json_member(j, key);
	fprintf(j->f, "%lld", (long long)v);
}

void
insp_json_hex(struct insp_json *j, const char *key, uint64_t v)
{
	json_member(j, key);
	fprintf(j->f, "\"0x%llx\"", (unsigned long long)v);
}

void
insp_json_bool(struct insp_json *j, const char *key, int v)
{
	json_member(j, key);
	fputs(v ? "true" : "false", j->f);
}

void
insp_json_null(struct insp_json *j, const char *key)
{
	json_member(j, key);
	fputs("null", j->f);
}

/* A string field of the process record, or null if it was not saved. */
static void
json_field(struct insp_json *j, const char *key,
    const struct fmt_process *p, uint32_t bit, const struct fmt_bytes *b)
{
	if (p->present & bit)
		insp_json_str(j, key, b->p, b->len);
	else
		insp_json_null(j, key);
}

static void
json_process(struct insp_json *j, const struct fmt_process *p)
{
	struct fmt_bytes prog, arg;
	char when[INSP_TIME_MAX];
	uint32_t pos = 0;

	insp_json_open(j, "process", '{');
	if (p->present & FMT_P_PID)
		insp_json_u64(j, "pid", p->pid);
	else
		insp_json_null(j, "pid");
	if (insp_program(p, &prog))
		insp_json_str(j, "program", prog.p, prog.len);
	else
		insp_json_null(j, "program");
	insp_json_open(j, "cmdline", '[');
	if (p->present & FMT_P_CMDLINE)
		while (insp_cmdline_next(&p->cmdline, &pos, &arg))
			insp_json_str(j, NULL, arg.p, arg.len);
	insp_json_close(j, ']');
	if ((p->present & FMT_P_CTIME) && insp_iso_time(p->ctime_ns, when) == 0)
		insp_json_cstr(j, "ctime", when);
	else
		insp_json_null(j, "ctime");
	json_field(j, "host", p, FMT_P_HOSTNAME, &p->hostname);
	json_field(j, "kernel", p, FMT_P_KERNEL, &p->kernel);
	json_field(j, "libckpt_version", p, FMT_P_VERSION, &p->version);
	json_field(j, "cwd", p, FMT_P_CWD, &p->cwd);
	json_field(j, "exe", p, FMT_P_EXE, &p->exe);
	insp_json_close(j, '}');
}

static void
json_threads(struct insp_json *j, const struct fmt_image *img)
{
	const struct fmt_thread *t;
	uint64_t rip;
	uint32_t i;

	insp_json_open(j, "threads", '[');
	for (i = 0; i < img->nthreads; i++) {
		t = &img->threads[i];
		insp_json_open(j, NULL, '{');
		if (t->present & FMT_T_TID)
			insp_json_u64(j, "tid", t->tid);
		else
			insp_json_null(j, "tid");
		if (t->present & FMT_T_FS_BASE)
			insp_json_hex(j, "fs_base", t->fs_base);
		else
			insp_json_null(j, "fs_base");
		if (insp_thread_rip(t, &rip))
			insp_json_hex(j, "rip", rip);
		else
			insp_json_null(j, "rip");
		insp_json_close(j, '}');
	}
	insp_json_close(j, ']');
}

static void
json_regions(struct insp_json *j, const struct fmt_image *img)
{
	const struct fmt_region *r;
	char perms[5], dev[32];
	uint32_t i, k;

	insp_json_open(j, "regions", '[');
	for (i = 0; i < img->nregions; i++) {
		r = &img->regions[i];
		insp_perms(r, perms);
		snprintf(dev, sizeof(dev), "%02x:%02x", r->dev_major,
		    r->dev_minor);
		insp_json_open(j, NULL, '{');
		insp_json_hex(j, "start", r->start);
		insp_json_hex(j, "end", r->end);
		insp_json_cstr(j, "perms", perms);
		insp_json_str(j, "name", r->path.p, r->path.len);
		insp_json_cstr(j, "kind", insp_region_kind(r->kind));
		insp_json_u64(j, "size", r->end - r->start);
		insp_json_u64(j, "raw_bytes", insp_region_raw(r));
		insp_json_u64(j, "stored_bytes", r->stored_bytes);
		insp_json_u64(j, "zero_bytes", r->zero_bytes);
		insp_json_u64(j, "chunks", r->nchunks);
		insp_json_hex(j, "offset", r->offset);
		insp_json_cstr(j, "dev", dev);
		insp_json_u64(j, "inode", r->inode);
		insp_json_open(j, "advice", '[');
		for (k = 0; k < 32; k++)
			if (r->advice & (1U << k))
				insp_json_cstr(j, NULL,
				    insp_advice_name(k) != NULL ?
				    insp_advice_name(k) : "unknown");
		insp_json_close(j, ']');
		insp_json_close(j, '}');
	}
	insp_json_close(j, ']');
}

static void
json_fds(struct insp_json *j, const struct fmt_image *img)
{
	const struct fmt_fd *f;
	enum insp_restore r;
	char sock[INSP_FD_DESC];
	long watches;
	uint32_t i;

	insp_json_open(j, "fds", '[');
	for (i = 0; i < img->nfds; i++) {
		f = &img->fds[i];
		insp_json_open(j, NULL, '{');
		if (f->present & FMT_F_FD)
			insp_json_i64(j, "fd", f->fd);
		else
			insp_json_null(j, "fd");
		if (f->present & FMT_F_KIND)
			insp_json_cstr(j, "kind", insp_fd_kind(f->kind));
		else
			insp_json_null(j, "kind");
		if (f->present & FMT_F_PATH)
			insp_json_str(j, "path", f->path.p, f->path.len);
		else
			insp_json_null(j, "path");
		if (f->present & FMT_F_OFFSET)
			insp_json_u64(j, "offset", f->offset);
		else
			insp_json_null(j, "offset");
		if (f->present & FMT_F_PIPE) {
			insp_json_u64(j, "pipe_id", f->pipe_id);
			insp_json_cstr(j, "pipe_end",
			    f->pipe_write ? "write" : "read");
		} else {
			insp_json_null(j, "pipe_id");
			insp_json_null(j, "pipe_end");
		}
		insp_fd_desc(f, sock, sizeof(sock));
		if (sock[0] != '\0' && f->kind == FMT_FD_SOCKET)
			insp_json_cstr(j, "socket", sock);
		else
			insp_json_null(j, "socket");
		watches = f->kind == FMT_FD_INOTIFY &&
		    (f->present & FMT_F_DATA) ? insp_watches(f) : -1;
		if (watches >= 0)
			insp_json_i64(j, "watches", watches);
		else
			insp_json_null(j, "watches");
		if (f->present & FMT_F_SHARE)
			insp_json_i64(j, "shares", f->share);
		else
			insp_json_null(j, "shares");
		r = insp_fd_restore(img, f);
		insp_json_cstr(j, "restore", insp_restore_name(r));
		insp_json_bool(j, "restorable", r != INSP_RESTORE_NONE);
		insp_json_close(j, '}');
	}
	insp_json_close(j, ']');
}

int
insp_print_json(FILE *f, const struct fmt_image *img)
{
	struct insp_json j;
	char version[32];

	insp_json_init(&j, f);
	snprintf(version, sizeof(version), "%u.%u", img->major, img->minor);
	insp_json_open(&j, NULL, '{');
	insp_json_cstr(&j, "format_version", version);
	json_process(&j, &img->proc);
	json_threads(&j, img);
	json_regions(&j, img);
	json_fds(&j, img);
	insp_json_open(&j, "totals", '{');
	insp_json_u64(&j, "raw_bytes", img->total_raw);
	insp_json_u64(&j, "stored_bytes", img->total_stored);
	insp_json_u64(&j, "zero_bytes", img->total_zero);
	insp_json_u64(&j, "file_bytes", img->len);
	insp_json_close(&j, '}');
	insp_json_close(&j, '}');
	return ferror(f) ? -1 : 0;
}
