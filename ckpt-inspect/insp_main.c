/*
 * insp_main.c - ckpt-inspect: show what a ckpt image holds, or verify it.
 *
 * Algorithm:
 *  1. Parse options; anything wrong is a usage error (exit 2).
 *  2. Load the image whole: mmap a regular file, otherwise (stdin, a pipe,
 *     a device, a file system that cannot map) read it into a growing
 *     buffer.  A stream is given up on as soon as its first bytes are not
 *     an image's header (/dev/zero, `yes`), and at the machine's memory.
 *  3. fmt_image_open() validates the structure and every record and frame
 *     checksum; only then is anything reported.  With --verify,
 *     fmt_image_verify() also decompresses every chunk and checks it.
 *  4. Write the report (text or JSON) into memory, then to stdout, and
 *     check that stdout really took it.
 *
 * A mapped file can shrink under us: another process truncates it (a
 * checkpoint being rewritten, a user's cp over it).  Reading a page that
 * is no longer in the file raises SIGBUS, which would kill us in the
 * middle of steps 3 and 4.  So while the image is mapped a SIGBUS at an
 * address inside the mapping jumps back to run(), which abandons what it
 * was doing (the library's arrays and zstd context are left to exit) and
 * says the file shrank.  Any other SIGBUS still kills the program.
 * restart avoids the signal by pread()ing frames instead; a reader that
 * wants the file mapped cannot.
 *
 * Invariants: every failure prints exactly one line on stderr of the form
 * "ckpt-inspect: IMG: what went wrong" and exits 1; a usage error prints
 * one line and exits 2.  Nothing about the image is printed before the
 * library has validated it and the report was made from it in full, so a
 * damaged or shrinking file never yields half a report.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <setjmp.h>
#include <signal.h>
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
	uint8_t		*heap;		/* read into, or NULL */
	size_t		 cap;		/* heap's size */
	int		 fd;		/* the mapped file, or -1 */
};

#define INSP_READ_FIRST	(1U << 20)
/* FORMAT.md: a file is a ckpt image if its first 24 bytes are ours. */
#define INSP_PROBE_LEN	24

/* The mapping a SIGBUS may come from (NULL: none), and where to go. */

/*
 * A file name as an error line or --verify's OK line shows it: control
 * characters (a newline in a name would split the one line) become '?'.
 */
static const char *
insp_shown(const char *name)
{
	static char buf[4096];
	size_t i;

	for (i = 0; name[i] != '\0' && i < sizeof(buf) - 1; i++)
		buf[i] = (unsigned char)name[i] < 0x20 || name[i] == 0x7f ?
		    '?' : name[i];
	buf[i] = '\0';
	return buf;
}

static sigjmp_buf			 insp_bus_env;
static const uint8_t *volatile		 insp_bus_lo;
static volatile size_t			 insp_bus_len;

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
	    "  --json         print the report as JSON\n"
	    "  --verify       decompress every chunk and check every checksum\n"
	    "  -h, --help     show this help and exit\n"
	    "  -V, --version  show the version and the image format read, and"
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
	    "reads image format %u.%u and every older version from %u.0\n",
	    insp_progname, PACKAGE_VERSION, FMT_VERSION_MAJOR,
	    FMT_VERSION_MINOR, FMT_OLDEST_MAJOR);
}

/* Standard output's last bytes may fail to go out (a full disk): say so. */
static int
flush_stdout(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: write error: %s\n", insp_progname,
		    strerror(errno));
		return INSP_EXIT_FAIL;
	}
	return status;
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
	fprintf(stderr, "%s: %s: %s\n", insp_progname, insp_shown(name), why);
}

/*
 * Could p[0..len) begin an image?  The library's own header check, on no
 * more than the fixed prefix, so that it looks at nothing beyond it.
 */
static int
probe(const uint8_t *p, size_t len, struct fmt_image *img)
{
	int rc;

	memset(img, 0, sizeof(*img));
	rc = fmt_image_open(img, p, len < INSP_PROBE_LEN ? len :
	    INSP_PROBE_LEN);
	fmt_image_close(img);
	return rc == FMT_E_NOT_CKPT ? rc : 0;
}

/* The most a stream may hold: this machine's memory, or no limit known. */
static size_t
read_limit(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);

	if (pages <= 0 || size <= 0 || (unsigned long)pages > SIZE_MAX /
	    (unsigned long)size)
		return SIZE_MAX;
	return (size_t)pages * (size_t)size;
}

/*
 * The buffer a stream is read into: an anonymous mapping, grown with
 * mremap (no copy), in huge pages where the kernel has them.  Filled page
 * by page, 4 KiB faults cost more than the reading (a 416 MiB image from
 * a pipe took 4-12 s in a malloc'd buffer).  Returns the new start, or
 * NULL with errno set and the old mapping left as it was.
 */
static uint8_t *
grow(uint8_t *p, size_t old, size_t cap)
{
	void *q;

	if (p == NULL)
		q = mmap(NULL, cap, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	else
		q = mremap(p, old, cap, MREMAP_MAYMOVE);
	if (q == MAP_FAILED)
		return NULL;
	(void)madvise(q, cap, MADV_HUGEPAGE);	/* a hint; may be refused */
	return q;
}

/*
 * Reads all of fd into memory, giving up as soon as the bytes read so far
 * cannot begin an image, or when they would not fit in memory.  Returns 0,
 * or -1 after saying why.
 */
static int
read_all(const char *name, int fd, struct insp_buf *b)
{
	size_t max = read_limit(), len = 0;
	size_t cap = max < INSP_READ_FIRST ? max : INSP_READ_FIRST;
	char size[INSP_HUMAN_MAX];
	struct fmt_image img;
	uint8_t *p, *q, extra;
	ssize_t n;
	int err;

	if ((p = grow(NULL, 0, cap)) == NULL) {
		err = errno;
		cap = 0;
		goto fail;
	}
	for (;;) {
		if (len == cap && cap == max) {
			/* full: one byte more says it does not fit */
			while ((n = read(fd, &extra, 1)) < 0 && errno == EINTR)
				;
			if (n == 0)
				break;
			if (n < 0) {
				err = errno;
				goto fail;
			}
			insp_human(max, size);
			fprintf(stderr, "%s: %s: image larger than this "
			    "machine's memory (%s); give it as a file\n",
			    insp_progname, insp_shown(name), size);
			munmap(p, cap);
			return -1;
		}
		if (len == cap) {
			size_t more = cap > max / 2 ? max : cap * 2;

			if ((q = grow(p, cap, more)) == NULL) {
				err = errno;
				insp_human(len, size);
				fprintf(stderr, "%s: %s: holding more than %s in "
				    "memory: %s\n", insp_progname, insp_shown(name), size,
				    strerror(err));
				munmap(p, cap);
				return -1;
			}
			p = q;
			cap = more;
		}
		n = read(fd, p + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			goto fail;
		}
		if (n == 0)
			break;
		if (len < INSP_PROBE_LEN &&
		    (err = probe(p, len + (size_t)n, &img)) != 0) {
			/* the words a regular file that is no image gets */
			image_error(name, &img, err);
			munmap(p, cap);
			return -1;
		}
		len += (size_t)n;
	}
	b->p = b->heap = p;
	b->len = len;
	b->cap = cap;
	return 0;
fail:
	fprintf(stderr, "%s: %s: %s\n", insp_progname, insp_shown(name), strerror(err));
	if (cap != 0)
		munmap(p, cap);
	return -1;
}

/*
 * Loads path ("-" is stdin) into b; a mapped file's descriptor stays open
 * so that a failure can tell whether it shrank.  Returns 0, or -1 after
 * saying why.
 */
static int
load(const char *path, struct insp_buf *b)
{
	struct stat st;
	int fd, err = 0;
	void *m;

	memset(b, 0, sizeof(*b));
	b->fd = -1;
	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0 ||
	    fcntl(fd, F_SETFL, 0) < 0) {
		/* a FIFO opened without blocking: no writer reads as empty,
		 * where waiting for one would hang */
		err = errno;
		goto fail;
	}
	if (fstat(fd, &st) != 0) {
		err = errno;
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		err = EISDIR;
		goto fail;
	}
	/* a size of 0 may be a file in /proc, which is read instead */
	if (S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size <= SIZE_MAX) {
		m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd,
		    0);
		if (m != MAP_FAILED) {
			b->p = b->map = m;
			b->len = (size_t)st.st_size;
			if (fd != STDIN_FILENO)
				b->fd = fd;
			else if ((b->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0) {
				err = errno;
				munmap(m, b->len);
				goto fail;
			}
			return 0;
		}
		/* Some file systems cannot map: read it instead. */
	}
	if (read_all(path, fd, b) != 0) {
		if (fd != STDIN_FILENO)
			close(fd);
		return -1;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	return 0;
fail:
	fprintf(stderr, "%s: %s: %s\n", insp_progname, insp_shown(path), strerror(err));
	if (fd >= 0 && fd != STDIN_FILENO)
		close(fd);
	return -1;
}

static void
unload(struct insp_buf *b)
{
	if (b->map != NULL)
		munmap(b->map, b->len);
	if (b->fd >= 0)
		close(b->fd);
	if (b->heap != NULL)
		munmap(b->heap, b->cap);
}

/*
 * A mapped image is now shorter than when it was mapped: says so and
 * returns 1.  Whatever else went wrong reading it follows from that.
 */
static int
shrank_error(const char *name, const struct insp_buf *b)
{
	struct stat st;

	if (b->map == NULL || fstat(b->fd, &st) != 0 ||
	    (uint64_t)st.st_size >= b->len)
		return 0;
	fprintf(stderr, "%s: %s: file shrank from %zu to %lld bytes while "
	    "being read\n", insp_progname, insp_shown(name), b->len,
	    (long long)st.st_size);
	return 1;
}

/* SIGBUS: a page of the mapped image gone (see the top), or not ours. */
static void
bus_caught(int sig, siginfo_t *si, void *uc)
{
	uintptr_t a = (uintptr_t)si->si_addr, lo = (uintptr_t)insp_bus_lo;

	(void)uc;
	if (lo != 0 && si->si_code > 0 && a >= lo && a - lo < insp_bus_len) {
		insp_bus_lo = NULL;
		siglongjmp(insp_bus_env, 1);
	}
	/* die of it as if not caught: delivered again once we return */
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Catches SIGBUS from b's mapping (b NULL: stops). */
static void
bus_guard(const struct insp_buf *b)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	if (b == NULL) {
		insp_bus_lo = NULL;
		sa.sa_handler = SIG_DFL;
	} else {
		insp_bus_len = b->len;
		insp_bus_lo = b->map;
		sa.sa_sigaction = bus_caught;
		sa.sa_flags = SA_SIGINFO;
	}
	sigaction(SIGBUS, &sa, NULL);
}

/*
 * Validates the image and writes what mode asks for to out.  Returns an
 * exit status, after one line on stderr if it is not 0.
 */
static int
examine(const char *name, const struct insp_buf *b, enum insp_mode mode,
    FILE *out)
{
	struct fmt_image img;
	int err, status = INSP_EXIT_FAIL;

	/* Zeroed, so that closing after a failed open frees nothing twice. */
	memset(&img, 0, sizeof(img));
	if ((err = fmt_image_open(&img, b->p, b->len)) != 0)
		goto fail;
	switch (mode) {
	case INSP_VERIFY:
		if ((err = fmt_image_verify(&img)) != 0)
			goto fail;
		/* one line, like the refusal it stands for */
		fprintf(out, "%s: OK (%u regions, %u chunks verified)\n",
		    insp_shown(name), img.nregions, img.nchunks);
		break;
	case INSP_JSON:
		insp_print_json(out, &img);
		break;
	case INSP_TEXT:
		insp_print_text(out, &img);
		break;
	}
	status = INSP_EXIT_OK;
	goto out;
fail:
	/* a file cut short reads as damage: name the cause instead */
	if (!shrank_error(name, b))
		image_error(name, &img, err);
out:
	fmt_image_close(&img);
	return status;
}

static int
run(const char *name, enum insp_mode mode)
{
	struct insp_buf b;
	char *report = NULL;
	size_t len = 0;
	FILE *out;
	int status, bad;

	if (load(name, &b) != 0)
		return INSP_EXIT_FAIL;
	if (b.len == 0) {
		fprintf(stderr, "%s: %s: empty, not a ckpt image\n",
		    insp_progname, insp_shown(name));
		unload(&b);
		return INSP_EXIT_FAIL;
	}
	if ((out = open_memstream(&report, &len)) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", insp_progname, insp_shown(name),
		    strerror(errno));
		unload(&b);
		return INSP_EXIT_FAIL;
	}
	if (sigsetjmp(insp_bus_env, 1) != 0) {
		/*
		 * From bus_caught(): examine() and the report it was writing
		 * are abandoned where they stood, so neither is touched.
		 */
		bus_guard(NULL);
		if (!shrank_error(name, &b))
			fprintf(stderr, "%s: %s: %s\n", insp_progname, insp_shown(name),
			    strerror(EIO));
		unload(&b);
		return INSP_EXIT_FAIL;
	}
	if (b.map != NULL)
		bus_guard(&b);
	status = examine(name, &b, mode, out);
	if (b.map != NULL)
		bus_guard(NULL);
	unload(&b);
	/* a memory stream fails only for want of memory */
	bad = ferror(out);
	if (fclose(out) != 0)
		bad = 1;
	if (bad && status == INSP_EXIT_OK) {
		fprintf(stderr, "%s: %s: %s\n", insp_progname, insp_shown(name),
		    strerror(ENOMEM));
		status = INSP_EXIT_FAIL;
	}
	if (status == INSP_EXIT_OK)
		fwrite(report, 1, len, stdout);
	free(report);
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
	while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'v':
			verify = 1;
			break;
		case 'h':
			help();
			return flush_stdout(INSP_EXIT_OK);
		case 'V':
			version();
			return flush_stdout(INSP_EXIT_OK);
		default:
			usage_error(fmt_option_ambiguous(longopts,
			    argv[optind - 1]) ? "ambiguous option" :
			    "invalid option", argv[optind - 1]);
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
	return flush_stdout(status);
}
