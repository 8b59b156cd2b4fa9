/*
 * insp.h - ckpt-inspect's private header.
 *
 * ckpt-inspect only reads: it loads an image into memory, lets the format
 * library validate it (fmt_image_open, fmt_image_verify), and reports what
 * the validated struct fmt_image says.  It never trusts a field the library
 * has not checked, and it never lets bytes from the image reach the
 * terminal or a JSON document unescaped: every string in an image is a
 * counted byte string that may hold anything.
 *
 * Prototypes are grouped by the file that defines them.
 */
#ifndef CKPT_INSP_H
#define CKPT_INSP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fmt.h"

/* Exit statuses, as documented in ckpt-inspect(1). */
#define INSP_EXIT_OK		0
#define INSP_EXIT_FAIL		1	/* damaged image, I/O error */
#define INSP_EXIT_USAGE		2

/* Room for insp_human() ("16.0E" at most; the compiler cannot tell). */
#define INSP_HUMAN_MAX		24
/* "2024-01-31T23:59:59Z" and then some, for years beyond 9999. */
#define INSP_TIME_MAX		48

/* What restart does with a descriptor (insp_fd_restore). */
enum insp_restore {
	INSP_RESTORE_NONE,	/* cannot: becomes a dead placeholder */
	INSP_RESTORE_REOPEN,	/* file, directory, plain device */
	INSP_RESTORE_PIPE,	/* both ends held: recreated and refilled */
	INSP_RESTORE_RECREATE,	/* a deleted file, from its saved contents */
	INSP_RESTORE_INHERIT,	/* 0-2: restart's own are kept */
	INSP_RESTORE_PAIR,	/* a Unix socket pair held whole */
	INSP_RESTORE_REMAKE,	/* epoll, eventfd, timerfd, signalfd */
	INSP_RESTORE_SHARE,	/* 1.4: a copy of an earlier descriptor */
};

/* ---- insp_main.c ---- */
extern const char	*insp_progname;

/* ---- insp_text.c ---- */
int		 insp_print_text(FILE *f, const struct fmt_image *img);

/* ---- insp_json.c ---- */
/*
 * A streaming JSON writer: pretty-printed, two spaces an indent level,
 * keys in the order the caller emits them (that order is the stable
 * interface).  Nesting deeper than INSP_JSON_DEPTH is a programming error.
 */
#define INSP_JSON_DEPTH		8
struct insp_json {
	FILE	*f;
	int	 depth;
	int	 count[INSP_JSON_DEPTH];	/* members so far, per level */
};

void		 insp_json_init(struct insp_json *j, FILE *f);
void		 insp_json_open(struct insp_json *j, const char *key, int c);
void		 insp_json_close(struct insp_json *j, int c);
void		 insp_json_str(struct insp_json *j, const char *key,
		    const void *p, size_t len);
void		 insp_json_cstr(struct insp_json *j, const char *key,
		    const char *s);
void		 insp_json_u64(struct insp_json *j, const char *key,
		    uint64_t v);
void		 insp_json_i64(struct insp_json *j, const char *key,
		    int64_t v);
void		 insp_json_hex(struct insp_json *j, const char *key,
		    uint64_t v);
void		 insp_json_bool(struct insp_json *j, const char *key, int v);
void		 insp_json_null(struct insp_json *j, const char *key);
void		 insp_json_escape(FILE *f, const void *p, size_t len);
int		 insp_print_json(FILE *f, const struct fmt_image *img);

/* ---- insp_util.c ---- */
void		 insp_perms(const struct fmt_region *r, char out[5]);
const char	*insp_region_kind(uint32_t kind);
const char	*insp_advice_name(uint32_t i);
uint64_t	 insp_region_raw(const struct fmt_region *r);
const char	*insp_fd_kind(uint32_t kind);
enum insp_restore	insp_fd_restore(const struct fmt_image *img,
			    const struct fmt_fd *fd);
const char	*insp_restore_name(enum insp_restore r);
#define INSP_FD_DESC	400
long		 insp_watches(const struct fmt_fd *fd);
void		 insp_fd_desc(const struct fmt_fd *fd, char *out,
		    size_t n);
void		 insp_human(uint64_t n, char out[INSP_HUMAN_MAX]);
int		 insp_iso_time(uint64_t ns, char out[INSP_TIME_MAX]);
int		 insp_program(const struct fmt_process *p,
		    struct fmt_bytes *out);
int		 insp_cmdline_next(const struct fmt_bytes *cmd, uint32_t *pos,
		    struct fmt_bytes *arg);
int		 insp_thread_rip(const struct fmt_thread *t, uint64_t *rip);
size_t		 insp_utf8_decode(const uint8_t *p, size_t len,
		    uint32_t *cp);
void		 insp_print_bytes(FILE *f, const void *p, size_t len);

#endif /* CKPT_INSP_H */
