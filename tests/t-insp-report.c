/*
 * t-insp-report.c - ckpt-inspect's reports on an image the reader could
 * return but mkimage does not write: hostile strings (terminal escapes,
 * quotes, ill-formed UTF-8), missing fields, descriptors of every fate
 * (restart's own, reopened, a pipe with both ends, a socket, a terminal,
 * an unknown kind), a kernel-provided region.  The reports are produced
 * straight from a struct fmt_image built here, so no writer is involved.
 *
 *   t-insp-report            check the text and JSON reports
 *   t-insp-report --json     print the JSON report (t-insp-json validates it)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insp.h"

#define B(lit)	((struct fmt_bytes){ (lit), sizeof(lit) - 1 })

static struct fmt_thread	threads[2];
static struct fmt_fd		fds[8];
static struct fmt_region	regions[3];

static void
build(struct fmt_image *img)
{
	struct fmt_process *p = &img->proc;

	memset(img, 0, sizeof(*img));
	img->major = 1;
	img->minor = 0;
	img->len = 4096;
	/* no hostname, no kernel, no ctime: they must show as absent */
	p->present = FMT_P_PID | FMT_P_CMDLINE | FMT_P_CWD | FMT_P_EXE |
	    FMT_P_VERSION;
	p->pid = 7;
	p->cmdline = B("\x1b]0;owned\x07\0a\"b\\c\0caf\xc3\xa9\xff\0");
	p->cwd = B("/tmp/new\nline");
	p->exe = B("/bin/x");
	p->version = B("0.1.0");

	threads[0].present = FMT_T_TID | FMT_T_FS_BASE | FMT_T_GREGS;
	threads[0].tid = 7;
	threads[0].fs_base = 0x7f0000001000ULL;
	threads[1].present = FMT_T_TID;	/* nothing else known */
	threads[1].tid = 8;
	img->threads = threads;
	img->nthreads = 2;

	fds[0] = (struct fmt_fd){ .present = FMT_F_FD | FMT_F_KIND |
	    FMT_F_PATH | FMT_F_OFFSET, .fd = 3, .kind = FMT_FD_FILE,
	    .path = B("/data/\x1b[31mred"), .offset = 99 };
	fds[1] = (struct fmt_fd){ .present = FMT_F_FD | FMT_F_KIND |
	    FMT_F_PATH, .fd = 4, .kind = FMT_FD_SOCKET,
	    .path = B("socket:[1234]") };
	fds[2] = (struct fmt_fd){ .present = FMT_F_FD | FMT_F_KIND, .fd = 5,
	    .kind = FMT_FD_OTHER };
	fds[3] = (struct fmt_fd){ .present = FMT_F_FD | FMT_F_KIND, .fd = 6,
	    .kind = 99 };
	fds[4] = (struct fmt_fd){ .present = FMT_F_FD | FMT_F_KIND |
	    FMT_F_PATH, .fd = 1, .kind = FMT_FD_TTY, .path = B("/dev/pts/3") };
	fds[5] = (struct fmt_fd){ .present = FMT_F_FD | FMT_F_KIND |
	    FMT_F_PATH, .fd = 7, .kind = FMT_FD_TTY, .path = B("/dev/pts/4") };
	/* both ends of pipe 9 */
	fds[6] = (struct fmt_fd){ .present = FMT_F_FD | FMT_F_KIND |
	    FMT_F_PIPE, .fd = 8, .kind = FMT_FD_PIPE, .pipe_id = 9 };
	fds[7] = (struct fmt_fd){ .present = FMT_F_FD | FMT_F_KIND |
	    FMT_F_PIPE, .fd = 10, .kind = FMT_FD_PIPE, .pipe_id = 9,
	    .pipe_write = 1 };
	img->fds = fds;
	img->nfds = 8;

	regions[0] = (struct fmt_region){ .start = 0x400000, .end = 0x402000,
	    .prot = 5, .path = B("/bin/\"x\"\t(deleted)"), .stored_bytes = 100,
	    .nchunks = 1 };
	regions[1] = (struct fmt_region){ .start = 0x7f0000000000ULL,
	    .end = 0x7f0000100000ULL, .prot = 3,
	    .flags = FMT_R_SHARED | FMT_R_ANON, .zero_bytes = 0x100000 };
	regions[2] = (struct fmt_region){ .start = 0x7ffd00000000ULL,
	    .end = 0x7ffd00002000ULL, .prot = 5, .kind = FMT_K_VDSO,
	    .flags = FMT_R_NODATA, .path = B("[vdso]") };
	img->regions = regions;
	img->nregions = 3;
	img->nchunks = 1;
	img->total_raw = 0x2000 + 0x100000;
	img->total_stored = 100;
	img->total_zero = 0x100000;
}

static int failures;

static void
has(const char *what, const char *out, const char *needle, int want)
{
	int got = strstr(out, needle) != NULL;

	if (got != want) {
		printf("FAIL %s: %s [%s]\n", what,
		    want ? "missing" : "unexpected", needle);
		failures++;
	} else
		printf("ok   %s: %s [%s]\n", what, want ? "has" : "lacks",
		    needle);
}

static char *
report(const struct fmt_image *img, int json)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &n)) == NULL) {
		perror("open_memstream");
		exit(99);
	}
	if (json)
		insp_print_json(f, img);
	else
		insp_print_text(f, img);
	fclose(f);
	return buf;
}

int
main(int argc, char **argv)
{
	struct fmt_image img;
	char *text, *json;

	build(&img);
	if (argc > 1 && strcmp(argv[1], "--json") == 0)
		return insp_print_json(stdout, &img) == 0 ? 0 : 1;

	text = report(&img, 0);
	fputs(text, stdout);
	has("text", text, "\x1b", 0);
	has("text", text, "\x07", 0);
	has("text", text, "\\x1b]0;owned\\x07", 1);
	has("text", text, "host:            -\n", 1);
	has("text", text, "created:         -\n", 1);
	has("text", text, "/data/\\x1b[31mred", 1);
	has("text", text, "socket:[1234]  (not restorable)", 1);
	has("text", text, "5      other                -  -  (not restorable)",
	    1);
	has("text", text, "6      unknown              -  -  (not restorable)",
	    1);
	has("text", text, "/data/\\x1b[31mred  (not", 0);
	has("text", text, "/dev/pts/3  (restart's own)\n", 1);
	has("text", text, "/dev/pts/4  (not restorable)\n", 1);
	has("text", text, "pipe 9, read end\n", 1);
	has("text", text, "pipe 9, write end\n", 1);
	has("text", text, "rw-s", 1);
	has("text", text, "/bin/\"x\"\\t(deleted)", 1);
	has("text", text, "8         -                   -\n", 1);

	json = report(&img, 1);
	fputs(json, stdout);
	has("json", json, "\x1b", 0);
	has("json", json, "\"\\u001b]0;owned\\u0007\"", 1);
	has("json", json, "\"a\\\"b\\\\c\"", 1);
	has("json", json, "\"caf\xc3\xa9\\u00ff\"", 1);
	has("json", json, "\"host\": null", 1);
	has("json", json, "\"ctime\": null", 1);
	has("json", json, "\"cwd\": \"/tmp/new\\nline\"", 1);
	has("json", json, "\"rip\": null", 1);
	has("json", json, "\"restorable\": false", 1);
	has("json", json, "\"restore\": \"inherit\"", 1);
	has("json", json, "\"restore\": \"reopen\"", 1);
	has("json", json, "\"restore\": \"pipe\"", 1);
	has("json", json, "\"restore\": \"none\"", 1);
	has("json", json, "\"kind\": \"unknown\"", 1);
	has("json", json, "\"kind\": \"vdso\"", 1);
	has("json", json, "\"perms\": \"rw-s\"", 1);
	free(text);
	free(json);
	printf("%d failure(s)\n", failures);
	return failures ? 1 : 0;
}
