/*
 * rst_main.c - restart's command line: read and validate the image, then
 * hand it to the planner.
 *
 * Invariant: every failure before the freestanding phase leaves one line
 * "restart: IMG: what went wrong" on stderr and exits 1; usage errors exit
 * 2.  Nothing of the program runs unless the whole image validated: the
 * structure and every stored frame's checksum here, every chunk's
 * decompressed contents while restoring (rst_plan.c), all before restart
 * gives up its own address space.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "rst.h"

const char	*rst_prog = "restart";
int		 rst_verbose;
int		 rst_stdio_closed;

void
rst_say(const char *img, const char *fmt, ...)
{
	char line[4096], *p;
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "%s: %s: ", rst_prog, img);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	/* one line, whatever the file names in it hold */
	for (p = line; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	fprintf(stderr, "%s\n", line);
}

/* --verbose: what is done, with the seconds since restart began. */
void
rst_note(const char *fmt, ...)
{
	static struct timespec t0;
	struct timespec t;
	va_list ap;

	if (!rst_verbose)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t);
	if (t0.tv_sec == 0 && t0.tv_nsec == 0)
		t0 = t;
	fprintf(stderr, "%s: [%.3f] ", rst_prog, (t.tv_sec - t0.tv_sec) +
	    (t.tv_nsec - t0.tv_nsec) / 1e9);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* An image's byte string as a C string in buf, cut to fit. */
const char *
rst_cstr(const struct fmt_bytes *b, char *buf, size_t n)
{
	size_t l = b->len < n - 1 ? b->len : n - 1;

	memcpy(buf, b->p, l);
	buf[l] = '\0';
	return buf;
}

static void
rst_usage(FILE *f)
{
	fprintf(f,
	    "usage: restart [--verbose] IMAGE\n"
	    "Brings back a process from a ckpt image, in this process: it\n"
	    "keeps restart's pid, standard input, output and error.\n"
	    "\n"
	    "  -v, --verbose  say what is restored, region by region\n"
	    "  -h, --help     show this help\n"
	    "  -V, --version  show the version\n");
}

/* --help and --version: their output may fail to go out (a full disk). */
static int
rst_flush_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: write error: %s\n", rst_prog,
		    strerror(errno));
		return 1;
	}
	return 0;
}

/* One line for a usage error; exit status 2. */
static int
rst_usage_error(const char *what, const char *arg)
{
	if (arg != NULL)
		fprintf(stderr, "%s: %s '%s' (try '%s --help')\n", rst_prog,
		    what, arg, rst_prog);
	else
		fprintf(stderr, "%s: %s (try '%s --help')\n", rst_prog, what,
		    rst_prog);
	return 2;
}

/*
 * Maps the whole image; one line on failure.  Opened without blocking, so
 * that a FIFO is refused as not a regular file instead of waiting for a
 * writer.
 */
static int
rst_load(const char *path, const void **buf, size_t *len, int *fdp)
{
	struct stat st;
	int fd;
	void *p;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		rst_say(path, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		rst_say(path, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		rst_say(path, "not a regular file");
		close(fd);
		return -1;
	}
	if (st.st_size == 0) {
		rst_say(path, "empty file, not a ckpt image");
		close(fd);
		return -1;
	}
	p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		rst_say(path, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	*fdp = fd;
	*buf = p;
	*len = st.st_size;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct fmt_image img;
	const void *buf;
	size_t len;
	char why[1024];
	int c, rc, fd;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":vhV", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			rst_verbose = 1;
			break;
		case 'h':
			rst_usage(stdout);
			return rst_flush_stdout();
		case 'V':
			printf("restart (ckpt) %s, image format %d.%d "
			    "(and older, from %d.0)\n", PACKAGE_VERSION,
			    FMT_VERSION_MAJOR, FMT_VERSION_MINOR,
			    FMT_OLDEST_MAJOR);
			return rst_flush_stdout();
		default:
			return rst_usage_error("invalid option",
			    argv[optind - 1]);
		}
	}
	if (optind == argc)
		return rst_usage_error("no image given", NULL);
	if (optind + 1 < argc)
		return rst_usage_error("unexpected argument",
		    argv[optind + 1]);
	/* 0-2 closed now are the program's closed: note them before the
	 * image takes the lowest free number */
	for (c = 0; c <= 2; c++)
		if (fcntl(c, F_GETFD) < 0)
			rst_stdio_closed |= 1 << c;
	rst_note("reading %s", argv[optind]);
	if (rst_load(argv[optind], &buf, &len, &fd) < 0)
		return 1;
	/*
	 * The records before the regions, and the regions through the index;
	 * the rest is walked, and the frames read and checked, while chunks
	 * are decompressed (rst_plan.c).
	 */
	rc = fmt_image_begin(&img, buf, len, FMT_OPEN_LAZY_FRAMES);
	if (rc < 0) {
		fmt_describe_error(&img, why, sizeof(why));
		rst_say(argv[optind], "%s", why);
		return 1;
	}
	rst_note("%s: image format %u.%u, pid %u, %u threads, %u regions",
	    argv[optind], img.major, img.minor, img.proc.pid, img.nthreads,
	    img.nregions);
	rc = rst_restore_image(argv[optind], &img, fd);
	/* only failures come back */
	fmt_image_close(&img);
	return rc < 0 ? 1 : 0;
}
