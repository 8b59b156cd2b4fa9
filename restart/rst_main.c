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
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "rst.h"

const char	*rst_prog = "restart";
int		 rst_verbose;
int		 rst_stdio_closed;

/* "restart: IMG: what", one line whatever the file names in it hold. */
static void
rst_vformat(char *line, size_t cap, const char *img, const char *fmt,
    va_list ap)
{
	char *p;
	int n;

	n = snprintf(line, cap, "%s: %s: ", rst_prog, img);
	if (n < 0 || (size_t)n >= cap)
		n = 0;
	vsnprintf(line + n, cap - n, fmt, ap);
	for (p = line; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

void
rst_say(const char *img, const char *fmt, ...)
{
	char line[4096];
	va_list ap;

	va_start(ap, fmt);
	rst_vformat(line, sizeof(line), img, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s\n", line);
}

/*
 * The image, mapped at len bytes, is shorter now: says so and returns 1.
 * Whatever else went wrong reading it follows from that.
 */
int
rst_shrank(const char *img, int fd, uint64_t len)
{
	struct stat st;

	if (fstat(fd, &st) != 0 || (uint64_t)st.st_size >= len)
		return 0;
	rst_say(img, "file shrank from %llu to %llu bytes while being read",
	    (unsigned long long)len, (unsigned long long)st.st_size);
	return 1;
}

static void
rst_format(char *line, size_t cap, const char *img, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rst_vformat(line, cap, img, fmt, ap);
	va_end(ap);
}

/*
 * --verbose: what is done, with the seconds since restart began; one line
 * each, a control character in a name (the image's, a path the image
 * holds) shown as '?' as in rst_say.
 */
void
rst_note(const char *fmt, ...)
{
	static struct timespec t0;
	struct timespec t;
	char line[4096], *p;
	va_list ap;

	if (!rst_verbose)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t);
	if (t0.tv_sec == 0 && t0.tv_nsec == 0)
		t0 = t;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (p = line; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	fprintf(stderr, "%s: [%.3f] %s\n", rst_prog, (t.tv_sec - t0.tv_sec) +
	    (t.tv_nsec - t0.tv_nsec) / 1e9, line);
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
	    "Usage: restart [--verbose] IMG\n"
	    "Brings back a process from a ckpt image, in this process: it\n"
	    "keeps restart's pid, standard input, output and error.\n"
	    "\n"
	    "  -v, --verbose  say what is restored, region by region\n"
	    "  -h, --help     show this help and exit\n"
	    "  -V, --version  show the version and the image format read, "
	    "and exit\n"
	    "\n"
	    "Once the program runs again, the exit status is the program's;\n"
	    "before that, 1 if the image is damaged or cannot be restored,\n"
	    "2 for a usage error.  See restart(1).\n");
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
 * The image is read through its mapping, and a file that shrinks under us
 * (a new checkpoint written over it in place, a cp) turns the next read
 * of a page gone into SIGBUS, which would kill restart without a word.
 * Until the restorer sets the program's dispositions, a SIGBUS at an
 * address in the mapping says so in one line and exits 1: nothing
 * irreversible has happened yet.  Any other SIGBUS kills as before.
 */
static uintptr_t	 rst_bus_lo;
static size_t		 rst_bus_len;
static int		 rst_bus_fd;
static char		 rst_bus_head[4200];	/* "restart: IMG: file shrank
						   from N to " */

static void
rst_bus_caught(int sig, siginfo_t *si, void *uc)
{
	uintptr_t a = (uintptr_t)si->si_addr;
	char tail[64], *p = tail + sizeof(tail);
	struct stat st;
	uint64_t now = 0;
	ssize_t w;

	(void)uc;
	if (si->si_code <= 0 || a < rst_bus_lo || a - rst_bus_lo >= rst_bus_len) {
		/* die of it as if not caught: delivered again on return */
		signal(sig, SIG_DFL);
		return;
	}
	if (fstat(rst_bus_fd, &st) == 0 && st.st_size > 0)
		now = (uint64_t)st.st_size;
	p -= sizeof(" bytes while being read\n") - 1;
	memcpy(p, " bytes while being read\n",
	    sizeof(" bytes while being read\n") - 1);
	do
		*--p = (char)('0' + now % 10);
	while ((now /= 10) != 0);
	w = write(STDERR_FILENO, rst_bus_head, strlen(rst_bus_head));
	w = write(STDERR_FILENO, p, (size_t)(tail + sizeof(tail) - p));
	(void)w;
	_exit(1);
}

static void
rst_bus_guard(const char *path, const void *map, size_t len, int fd)
{
	struct sigaction sa;

	rst_format(rst_bus_head, sizeof(rst_bus_head), path,
	    "file shrank from %zu to ", len);
	rst_bus_lo = (uintptr_t)map;
	rst_bus_len = len;
	rst_bus_fd = fd;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_sigaction = rst_bus_caught;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGBUS, &sa, NULL);
}

/*
 * A signal that arrives while restart reads the image is the program's:
 * its checkpoint signal sent a moment too soon, or any other it handles.
 * With restart's default action it would kill restart instead (a SIGUSR2
 * sent just after restart started did).  So every signal is blocked from
 * the start but the faults, and once the image's dispositions are known,
 * those it left at their default are let through again (a SIGTERM or
 * SIGINT ends restart as it would have ended the program); the others
 * stay pending through the hand-over, and the restored program takes
 * them with its own handlers, or ignores them.
 */
static sigset_t	rst_old_mask;

static void
rst_hold_signals(void)
{
	static const int faults[] = {
		SIGBUS, SIGSEGV, SIGILL, SIGFPE, SIGTRAP, SIGABRT, SIGSYS,
	};
	sigset_t all;
	size_t i;

	sigfillset(&all);
	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		sigdelset(&all, faults[i]);
	sigprocmask(SIG_BLOCK, &all, &rst_old_mask);
}

static void
rst_release_signals(const struct fmt_image *img)
{
	sigset_t dfl;
	int i;

	if (!(img->proc.present & FMT_P_SIGACTIONS)) {
		sigprocmask(SIG_SETMASK, &rst_old_mask, NULL);
		return;
	}
	sigemptyset(&dfl);
	for (i = 1; i <= FMT_NSIG && i < NSIG; i++)
		if (img->proc.sig[i - 1].handler == (uint64_t)(uintptr_t)SIG_DFL &&
		    !sigismember(&rst_old_mask, i))
			sigaddset(&dfl, i);
	sigprocmask(SIG_UNBLOCK, &dfl, NULL);
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
		char c;

		/* a file in /proc has contents but no size */
		rst_say(path, "%s, not a ckpt image", read(fd, &c, 1) > 0 ?
		    "a file without a size" : "empty file");
		close(fd);
		return -1;
	}
	p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		rst_say(path, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	rst_bus_guard(path, p, st.st_size, fd);
	*fdp = fd;
	*buf = p;
	*len = st.st_size;
	return 0;
}

/*
 * restart's own stack.  Under a small stack limit (ulimit -s 32) it
 * overflowed, and restart died of SIGSEGV with nothing said.  The soft
 * limit is raised to RST_MAIN_STACK, within the hard limit, and set back
 * by rst_stack_done just before the restorer runs on a stack of its own,
 * as the program keeps restart's limit.  -1, with one line, if the hard
 * limit is lower.
 */
#define RST_MAIN_STACK	(128 * 1024)
static struct rlimit	rst_stack_lim;	/* rlim_cur 0: not raised */

static int
rst_stack_room(const char *img)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_STACK, &r) < 0 || r.rlim_cur >= RST_MAIN_STACK)
		return 0;
	if (r.rlim_max < RST_MAIN_STACK) {
		rst_say(img, "a stack size limit of %llu KiB is too small: "
		    "restart needs %d KiB (ulimit -s)",
		    (unsigned long long)r.rlim_max / 1024,
		    RST_MAIN_STACK / 1024);
		return -1;
	}
	rst_stack_lim = r;
	r.rlim_cur = RST_MAIN_STACK;
	if (setrlimit(RLIMIT_STACK, &r) < 0) {
		rst_say(img, "cannot raise the stack size limit to %d KiB: %s",
		    RST_MAIN_STACK / 1024, strerror(errno));
		return -1;
	}
	return 0;
}

void
rst_stack_done(void)
{
	if (rst_stack_lim.rlim_cur != 0)
		setrlimit(RLIMIT_STACK, &rst_stack_lim);
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
			return rst_usage_error(fmt_option_ambiguous(opts,
			    argv[optind - 1]) ? "ambiguous option" :
			    "invalid option", argv[optind - 1]);
		}
	}
	if (optind == argc)
		return rst_usage_error("no image given", NULL);
	if (optind + 1 < argc)
		return rst_usage_error("unexpected argument",
		    argv[optind + 1]);
	/* the program's standard input is restart's: not the image's too */
	if (strcmp(argv[optind], "-") == 0)
		return rst_usage_error("an image from standard input cannot be "
		    "restarted; give its file", NULL);
	/* 0-2 closed now are the program's closed: note them before the
	 * image takes the lowest free number */
	for (c = 0; c <= 2; c++)
		if (fcntl(c, F_GETFD) < 0)
			rst_stdio_closed |= 1 << c;
	rst_hold_signals();
	if (rst_stack_room(argv[optind]) < 0)
		return 1;
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
		if (!rst_shrank(argv[optind], fd, len)) {
			fmt_describe_error(&img, why, sizeof(why));
			rst_say(argv[optind], "%s", why);
		}
		return 1;
	}
	rst_release_signals(&img);
	rst_note("%s: image format %u.%u, pid %u, %u thread%s, %u region%s",
	    argv[optind], img.major, img.minor, img.proc.pid, img.nthreads,
	    img.nthreads == 1 ? "" : "s", img.nregions,
	    img.nregions == 1 ? "" : "s");
	rc = rst_restore_image(argv[optind], &img, fd);
	/* only failures come back */
	fmt_image_close(&img);
	return rc < 0 ? 1 : 0;
}
