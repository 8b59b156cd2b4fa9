/*
 * insp_main.c - ckpt-inspect: show what a ckpt image holds, or verify it.
 *
 * Algorithm:
 *  1. Parse options; anything wrong is a usage error (exit 2).
 *  2. Load the image whole: mmap a regular file, otherwise (stdin, a pipe,
 *     a file system that cannot map) read it into a growing buffer.
 *  3. fmt_image_open() validates the structure and every record and frame
 *     checksum; only then is anything reported.  With --verify,
 *     fmt_image_verify() also decompresses every chunk and checks it.
 *  4. Print the report (text or JSON) to stdout, and check that stdout
 *     really took it.
 *
 * Invariants: every failure prints exactly one line on stderr of the form
 * "ckpt-inspect: IMG: what went wrong" and exits 1; a usage error prints
 * one line and exits 2.  Nothing about the image is printed before the
 * library has validated it, so a damaged file never yields half a report.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "insp.h"

const char *insp_progname = "ckpt-inspect";

enum insp_mode { INSP_TEXT, INSP_JSON, INSP_VERIFY };

/* An image in memory, and how to give the memory back. */
struct insp_buf {
	const uint8_t	*p;
	size_t		 len;
	void		*map;		/* from mmap, or NULL */
	uint8_t		*heap;		/* from malloc, or NULL */
};

#define INSP_READ_FIRST	(1U << 20)

/* One line, exit 2: "ckpt-inspect: invalid option '--x' (try ...)". */
static void
usage_error(const char *what, const char *arg)
{
	if (arg != NULL)
		fprintf(stderr, "%s: %s '%s' (try '%s --help')\n",
		    insp_progname, what, arg, insp_progname);
	else
		fprintf(stderr, "%s: %s (try '%s --help')\n", insp_progname,
		    what, insp_progname);
	exit(INSP_EXIT_USAGE);
}

static void
help(void)
{
	printf("Usage: %s [--json | --verify] IMG\n"
	    "Show what a ckpt checkpoint image holds.  IMG is a file, or - for"
	    " standard input.\n"
	    "\n"
	    "  --json      print the report as JSON\n"
	    "  --verify    decompress every chunk and check every checksum\n"
	    "  -h, --help  show this help and exit\n"
	    "  --version   show the version and the image format read, and"
	    " exit\n"
	    "\n"
	    "Exit status: 0 if all went well, 1 if the image is damaged or"
	    " cannot be read,\n"
	    "2 for a usage error.  See ckpt-inspect(1).\n", insp_progname);
}

static void
version(void)
{
	printf("%s (ckpt) %s\n"
	    "reads image format %u.%u (and older %u.x)\n", insp_progname,
	    PACKAGE_VERSION, FMT_VERSION_MAJOR, FMT_VERSION_MINOR,
	    FMT_VERSION_MAJOR);
}

/* Reads all of fd into a malloc'd buffer.  Returns 0 or -errno. */
static int
read_all(int fd, struct insp_buf *b)
{
	size_t cap = INSP_READ_FIRST, len = 0;
	uint8_t *p = NULL, *q;
	ssize_t n;

	if ((p = malloc(cap)) == NULL)
		return -ENOMEM;
	for (;;) {
		if (len == cap) {
			if (cap > SIZE_MAX / 2) {
				free(p);
				return -EFBIG;
			}
			if ((q = realloc(p, cap * 2)) == NULL) {
				free(p);
				return -ENOMEM;
			}
			p = q;
			cap *= 2;
		}
		n = read(fd, p + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			free(p);
			return (int)n;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	b->p = b->heap = p;
	b->len = len;
	return 0;
}

/* Loads path ("-" is stdin) into b.  Returns 0 or -errno. */
static int
load(const char *path, struct insp_buf *b)
{
	static const uint8_t empty[1];
	struct stat st;
	int fd, err = 0;
	void *m;

	memset(b, 0, sizeof(*b));
	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	if (fstat(fd, &st) != 0) {
		err = -errno;
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		err = -EISDIR;
		goto out;
	}
	if (S_ISREG(st.st_mode) && st.st_size == 0) {
		b->p = empty;
		goto out;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size <= SIZE_MAX) {
		m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd,
		    0);
		if (m != MAP_FAILED) {
			b->p = b->map = m;
			b->len = (size_t)st.st_size;
			goto out;
		}
		/* Some file systems cannot map: read it instead. */
	}
	err = read_all(fd, b);
out:
	if (fd != STDIN_FILENO)
		close(fd);
	return err;
}

static void
unload(struct insp_buf *b)
{
	if (b->map != NULL)
		munmap(b->map, b->len);
	free(b->heap);
}

/* "ckpt-inspect: IMG: region 3 [heap]: checksum mismatch at chunk 7" */
static void
image_error(const char *name, const struct fmt_image *img, int code)
{
	char why[256];

	why[0] = '\0';
	fmt_describe_error(img, why, sizeof(why));
	if (why[0] == '\0')
		snprintf(why, sizeof(why), "%s", fmt_strerror(code));
	fprintf(stderr, "%s: %s: %s\n", insp_progname, name, why);
}

static int
run(const char *name, enum insp_mode mode)
{
	struct fmt_image img;
	struct insp_buf b;
	int err, status = INSP_EXIT_FAIL;

	if ((err = load(name, &b)) != 0) {
		fprintf(stderr, "%s: %s: %s\n", insp_progname, name,
		    strerror(-err));
		return INSP_EXIT_FAIL;
	}
	/* Zeroed, so that closing after a failed open frees nothing twice. */
	memset(&img, 0, sizeof(img));
	if ((err = fmt_image_open(&img, b.p, b.len)) != 0) {
		image_error(name, &img, err);
		goto out;
	}
	switch (mode) {
	case INSP_VERIFY:
		if ((err = fmt_image_verify(&img)) != 0) {
			image_error(name, &img, err);
			goto out;
		}
		printf("%s: OK (%u regions, %u chunks verified)\n", name,
		    img.nregions, img.nchunks);
		break;
	case INSP_JSON:
		insp_print_json(stdout, &img);
		break;
	case INSP_TEXT:
		insp_print_text(stdout, &img);
		break;
	}
	status = INSP_EXIT_OK;
out:
	fmt_image_close(&img);
	unload(&b);
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "verify", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	enum insp_mode mode = INSP_TEXT;
	int c, json = 0, verify = 0, status;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'v':
			verify = 1;
			break;
		case 'h':
			help();
			return INSP_EXIT_OK;
		case 'V':
			version();
			return INSP_EXIT_OK;
		default:
			usage_error("invalid option", argv[optind - 1]);
		}
	}
	if (json && verify)
		usage_error("--json and --verify cannot be combined", NULL);
	if (optind == argc)
		usage_error("no image given", NULL);
	if (optind + 1 < argc)
		usage_error("unexpected argument", argv[optind + 1]);
	if (json)
		mode = INSP_JSON;
	else if (verify)
		mode = INSP_VERIFY;

	status = run(argv[optind], mode);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: write error: %s\n", insp_progname,
		    strerror(errno));
		return INSP_EXIT_FAIL;
	}
	return status;
}
