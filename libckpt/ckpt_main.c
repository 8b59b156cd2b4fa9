/*
 * ckpt_main.c - libckpt's life inside the program: settings, the trigger,
 * stopping every thread at one instant, and coming back after restart.
 *
 * Algorithm, on the trigger signal (whichever thread gets it, the leader):
 *  1. Claim the checkpoint (one at a time; a trigger while the previous
 *     snapshot is still writing is refused with one line).
 *  2. List the other threads from /proc/self/task and send each the stop
 *     signal.  Each saves its registers (ckpt_ctx_save), fs base, signal
 *     mask, alternate stack and robust list into its slot, reports in and
 *     waits on a futex.  The leader re-reads the task list until it is
 *     stable, so threads born meanwhile are caught too.
 *  3. The leader saves its own context and forks a snapshot (no SIGCHLD)
 *     that runs on a stack of its own and writes the image
 *     (ckpt_write.c).  Then every thread returns to the program: the pause
 *     is the stop plus the fork, not the writing.
 *
 * After restart, ckpt_ctx_save "returns" 1 in every thread: restart has
 * rebuilt memory, recreated the threads in their saved contexts and filled
 * ckpt_mailbox.  Each thread re-registers what the kernel forgot (rseq,
 * robust list), the leader waits for all, unmaps restart's leftovers and
 * re-arms the interval timer, and all return from the handler: the kernel's
 * sigreturn then restores the interrupted registers, FPU/AVX state, signal
 * mask and alternate stack from the signal frame that memory holds.
 *
 * CKPT_FILE and CKPT_INTERVAL are the owner's: the process started with
 * them, not the children that inherit them (see ckpt_find_owner).
 *
 * Everything on these paths is async-signal-safe: raw system calls, no
 * malloc, no stdio, errno saved and restored.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <asm/prctl.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <zstd.h>

#include "ckpt.h"
#include "fmt_sys.h"

struct ckpt_config	ckpt_cfg = { .stop_signo = CKPT_STOP_SIG_DEFAULT };
struct ckpt_shared	ckpt_snap;
struct fmt_restore_info	ckpt_mailbox;
/* Set in the snapshot, which may wait for a slow standard error; the image
 * holds it set, so a restored program clears it in ckpt_leader_back. */
int			ckpt_say_patient;

/* glibc >= 2.35 exports where each thread's rseq area is. */
extern const ptrdiff_t	__rseq_offset __attribute__((weak));
extern const unsigned int __rseq_size __attribute__((weak));
#define CKPT_RSEQ_SIG	0x53053053

static volatile int	ckpt_busy;		/* a leader is at work */
static volatile int	ckpt_again;		/* a trigger came meanwhile */
/*
 * Threads stopped so far (low half) in stop generation (high half), one
 * word: a thread counts its arrival only in the generation it was stopped
 * for, so a late one from an earlier try of the same checkpoint (see
 * ckpt_on_trigger) is not counted in the next.  The futex waits on the
 * low half (x86_64 is little-endian).
 */
static volatile uint64_t	ckpt_stopword;
#define ckpt_arrived_p	((volatile int *)&ckpt_stopword)
#define ckpt_arrived	(*ckpt_arrived_p)
static volatile int	ckpt_release;		/* generation released */
static volatile int	ckpt_gen;		/* stop generation */
static volatile long	ckpt_child;		/* snapshot still writing */
static volatile int	ckpt_taken;		/* the program's trigger now */
static int		ckpt_sets_pid;		/* see ckpt_sets_here */
static int		ckpt_stop_unsure;	/* stops may still be pending */
static volatile int	ckpt_leader_tid;
static long		ckpt_timer_id = -1;

/* Kernel sigaction layout for rt_sigaction. */
struct ckpt_ksigaction {
	void		*handler;
	unsigned long	 flags;
	void		*restorer;
	uint64_t	 mask;
};

/* ---- small helpers that use no libc ------------------------------------ */

static size_t
ckpt_strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return n;
}

int
ckpt_starts(const char *s, const char *prefix)
{
	while (*prefix != '\0')
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

char *
ckpt_stpcpy(char *d, const char *s, char *end)
{
	while (*s != '\0' && d < end - 1)
		*d++ = *s++;
	*d = '\0';
	return d;
}

char *
ckpt_utoa(char *d, unsigned long v, char *end)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = '0' + v % 10;
		v /= 10;
	} while (v != 0);
	while (n > 0 && d < end - 1)
		*d++ = tmp[--n];
	*d = '\0';
	return d;
}

uint64_t
ckpt_now_ns(void)
{
	struct timespec ts;

	sys_call2(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Where libckpt's lines go: the standard error the program had when it
 * started (or when restart brought it back), and nothing else.  A program
 * started with fd 2 closed may open its own file as fd 2, and one may
 * close 2 and reopen it; libckpt must not write into such a file.  A
 * different fd 2 is written to only if it was opened to append, as a log
 * that stderr was sent to is (dup2 of an O_APPEND file).
 */
static struct {
	int		 open;
	uint64_t	 dev, ino;
} ckpt_err_fd;

static void
ckpt_err_note(void)
{
	struct stat st;

	ckpt_err_fd.open = sys_call2(SYS_fstat, 2, (long)&st) == 0;
	ckpt_err_fd.dev = ckpt_err_fd.open ? st.st_dev : 0;
	ckpt_err_fd.ino = ckpt_err_fd.open ? st.st_ino : 0;
}

static int
ckpt_err_ours(void)
{
	struct stat st;
	long fl;

	if (!ckpt_err_fd.open || sys_call2(SYS_fstat, 2, (long)&st) != 0)
		return 0;
	if (st.st_dev == ckpt_err_fd.dev && st.st_ino == ckpt_err_fd.ino)
		return 1;
	fl = sys_call2(SYS_fcntl, 2, F_GETFL);
	return fl >= 0 && (fl & O_APPEND) && (fl & O_ACCMODE) != O_RDONLY;
}

/* Copies s, cut with "..." where it would leave less than 'keep' bytes. */
static char *
ckpt_put(char *d, const char *s, char *end, size_t keep)
{
	char *stop = end - keep > d ? end - keep : d;

	if (strlen(s) <= (size_t)(stop - d))
		return ckpt_stpcpy(d, s, end);
	d = ckpt_stpcpy(d, s, stop - 3 > d ? stop - 3 : d + 1);
	return ckpt_stpcpy(d, "...", end);
}

/*
 * Writes a line to stderr.  A pipe whose reader is gone (2> >(logger), the
 * logger dead) answers with SIGPIPE, which would end the program, or run
 * its handler, for a line of ours: SIGPIPE is blocked around the write,
 * and the one the write raised taken back, unless one was pending already
 * (it is the program's, and stays).
 */
static void
ckpt_say_write(const char *line, size_t len)
{
	uint64_t pipe = 1ULL << (SIGPIPE - 1), old, pending = 0;
	struct timespec zero = { 0, 0 };

	sys_rt_sigprocmask(SIG_BLOCK, &pipe, &old);
	sys_call2(SYS_rt_sigpending, (long)&pending, 8);
	if (sys_write(2, line, len) == -EPIPE && !(pending & pipe))
		sys_call4(SYS_rt_sigtimedwait, (long)&pipe, 0, (long)&zero, 8);
	sys_rt_sigprocmask(SIG_SETMASK, &old, NULL);
}

/*
 * Writes "libckpt: a[: b][: c]\n" to stderr in one write: one line, a
 * control character in a name or value shown as '?', a long part cut so
 * that the parts after it still fit.
 */
void
ckpt_say(const char *a, const char *b, const char *c)
{
	char line[CKPT_PATH_MAX + 512], *p = line, *q;
	char *end = line + sizeof(line) - 1;
	struct timespec now = { 0, 0 }, wait = { 5, 0 };
	struct pollfd pfd;

	if (!ckpt_err_ours())
		return;
	line[0] = '\0';
	p = ckpt_stpcpy(p, "libckpt: ", end);
	p = ckpt_put(p, a, end, b != NULL ? 256 : 0);
	if (b != NULL) {
		p = ckpt_stpcpy(p, ": ", end);
		p = ckpt_put(p, b, end, c != NULL ? 160 : 0);
	}
	if (c != NULL) {
		p = ckpt_stpcpy(p, ": ", end);
		p = ckpt_put(p, c, end, 0);
	}
	for (q = line; q < p; q++)
		if ((unsigned char)*q < 0x20 || *q == 0x7f)
			*q = '?';
	*p++ = '\n';
	/*
	 * Never wait on a standard error nobody reads (a full pipe): in a
	 * handler of the program's thread that would hang the program, which
	 * may never write there itself, and in the snapshot it would keep
	 * every later checkpoint refused.  The snapshot waits a while, a
	 * thread of the program not at all; a line that cannot go is lost.
	 */
	pfd.fd = 2;
	pfd.events = POLLOUT;
	pfd.revents = 0;
	if (sys_call4(SYS_ppoll, (long)&pfd, 1, (long)(ckpt_say_patient ?
	    &wait : &now), 0) != 1 ||
	    !(pfd.revents & POLLOUT))
		return;
	ckpt_say_write(line, p - line);
}

/* ---- settings ---------------------------------------------------------- */

static const struct {
	const char	*name;
	int		 signo;
} ckpt_signames[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "PIPE", SIGPIPE },
	{ "ALRM", SIGALRM }, { "TERM", SIGTERM }, { "CONT", SIGCONT },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },
	{ "URG", SIGURG }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
	{ "VTALRM", SIGVTALRM }, { "PROF", SIGPROF }, { "WINCH", SIGWINCH },
	{ "IO", SIGIO }, { "PWR", SIGPWR }, { "SYS", SIGSYS },
};

/* Signals the trigger may not be: uncatchable, faults, or our own. */
static int
ckpt_signal_ok(int signo)
{
	switch (signo) {
	case SIGKILL: case SIGSTOP: case SIGSEGV: case SIGBUS: case SIGILL:
	case SIGFPE: case SIGTRAP: case SIGABRT: case SIGCHLD:
		return 0;
	}
	if (signo == CKPT_STOP_SIG)
		return 0;
	return signo >= 1 && signo <= 64 && (signo < 32 || signo > 33);
}

static int
ckpt_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	/* strtol would take " 10" and "+10"; a value is digits, maybe a '-' */
	if (!(s[0] >= '0' && s[0] <= '9') && s[0] != '-')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
ckpt_parse_signal(const char *s)
{
	long v;
	size_t i;

	if (ckpt_parse_long(s, 1, 64, &v) == 0)
		return ckpt_signal_ok(v) ? (int)v : -1;
	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; i < sizeof(ckpt_signames) / sizeof(ckpt_signames[0]); i++)
		if (strcmp(s, ckpt_signames[i].name) == 0)
			return ckpt_signames[i].signo;
	return -1;
}

/* A variable set but empty gets one line saying so, as a bad value does;
 * in the process started with it (owner), not again in each child. */
static const char *
ckpt_getenv(const char *name, const char *fallback, int owner)
{
	const char *v = getenv(name);

	if (v != NULL && *v == '\0') {
		if (owner)
			ckpt_say(name, "empty", fallback);
		v = NULL;
	}
	return v;
}

static void
ckpt_read_env(int owner)
{
	const char *v;
	long n;

	ckpt_cfg.signo = SIGUSR2;
	ckpt_cfg.level = 1;
	ckpt_cfg.stop_signo = CKPT_STOP_SIG_DEFAULT;
	/* first: CKPT_SIGNAL may not be it */
	v = ckpt_getenv("CKPT_STOP_SIGNAL", "using 62", owner);
	if (v != NULL) {
		/* a real-time signal glibc leaves to programs */
		if (ckpt_parse_long(v, 34, 64, &n) < 0)
			ckpt_say("CKPT_STOP_SIGNAL", v, "not a real-time signal "
			    "from 34 to 64; using 62");
		else
			ckpt_cfg.stop_signo = (int)n;
	}
	v = ckpt_getenv("CKPT_SIGNAL", "using SIGUSR2", owner);
	if (v != NULL) {
		int s = ckpt_parse_signal(v);

		if (s < 0)
			ckpt_say("CKPT_SIGNAL", v, "not a usable signal; "
			    "using SIGUSR2");
		else
			ckpt_cfg.signo = s;
	}
	v = ckpt_getenv("CKPT_LEVEL", "using 1", owner);
	if (v != NULL) {
		if (ckpt_parse_long(v, ZSTD_minCLevel(), ZSTD_maxCLevel(),
		    &n) < 0)
			ckpt_say("CKPT_LEVEL", v, "not a zstd level; using 1");
		else
			ckpt_cfg.level = n;
	}
	v = ckpt_getenv("CKPT_VERBOSE", "using 0", owner);
	if (v != NULL) {
		if (ckpt_parse_long(v, 0, 1, &n) < 0)
			ckpt_say("CKPT_VERBOSE", v, "not 0 or 1; using 0");
		else
			ckpt_cfg.verbose = n;
	}
	/* a descendant's are its owner's, which has said what was wrong */
	if (!owner) {
		v = getenv("CKPT_FILE");
		ckpt_cfg.file_inherited = v != NULL && *v != '\0';
		return;
	}
	v = ckpt_getenv("CKPT_INTERVAL", "no automatic checkpoints", owner);
	if (v != NULL) {
		if (ckpt_parse_long(v, 0, 365L * 86400, &n) < 0)
			ckpt_say("CKPT_INTERVAL", v, "not a number of seconds; "
			    "no automatic checkpoints");
		else
			ckpt_cfg.interval = n;
	}
	v = ckpt_getenv("CKPT_FILE", "using the default name", owner);
	if (v != NULL) {
		size_t dl = ckpt_strlen(ckpt_cfg.dir), fl = ckpt_strlen(v);

		if (v[0] == '/' && fl < sizeof(ckpt_cfg.file)) {
			memcpy(ckpt_cfg.file, v, fl + 1);
			ckpt_cfg.file_fixed = 1;
		} else if (v[0] != '/' && dl + 1 + fl < sizeof(ckpt_cfg.file)) {
			memcpy(ckpt_cfg.file, ckpt_cfg.dir, dl);
			ckpt_cfg.file[dl] = '/';
			memcpy(ckpt_cfg.file + dl + 1, v, fl + 1);
			ckpt_cfg.file_fixed = 1;
		} else
			ckpt_say("CKPT_FILE", "path too long",
			    "using the default name");
	}
}

/* The image path for this checkpoint; the default names the current pid. */
static void
ckpt_image_path(char *out, int pid, int owner)
{
	char *p = out, *end = out + CKPT_PATH_MAX;

	if (owner && ckpt_cfg.file_fixed) {
		ckpt_stpcpy(out, ckpt_cfg.file, end);
		return;
	}
	p = ckpt_stpcpy(p, ckpt_cfg.dir, end);
	p = ckpt_stpcpy(p, "/ckpt-", end);
	p = ckpt_stpcpy(p, ckpt_cfg.prog, end);
	p = ckpt_stpcpy(p, "-", end);
	p = ckpt_utoa(p, pid, end);
	ckpt_stpcpy(p, ".zst", end);
}

/* ---- whose settings ---------------------------------------------------- */

/*
 * CKPT_FILE and CKPT_INTERVAL belong to the process started with them, not
 * to the children that inherit them with LD_PRELOAD: an exec'd child would
 * write its own image over its parent's, every interval.  The first
 * process to load libckpt records itself in CKPT_OWNER as
 * "pid:start:hash": its pid and start time (a pid is reused, the pair is
 * not) and a hash of the two settings.  exec keeps the pid and start time,
 * so a program exec'd in the same process (a wrapper's "exec prog") finds
 * itself there and is still the owner.  A process that finds another, and
 * the same settings, inherited them: a descendant, which ignores them and
 * writes to the default name when signalled.  One given settings of its
 * own (env CKPT_FILE=... prog) owns those, and records itself in turn.
 *
 * A child forked without exec inherits the owner's memory: the atfork
 * handler clears owner_pid in it, and the trigger compares the pid too,
 * for children of raw clone(2) or _Fork, which run no handler.  After
 * restart the owner has restart's pid and start time: the leader writes
 * them into the variable in place, a string of libckpt's own that putenv
 * put in environ, while every other thread is still parked.
 */
static char		ckpt_owner_env[80];	/* the putenv'd string */

/*
 * This process's start time, field 22 of /proc/self/stat (clock ticks
 * since boot); 0 if it cannot be read.  Raw calls: the leader reads it
 * after restart, in the handler.
 */
static unsigned long
ckpt_start_time(void)
{
	uint64_t f[53];

	return ckpt_read_stat(f) >= 22 ? f[22] : 0;
}

/* FNV-1a of CKPT_FILE and CKPT_INTERVAL as given, and whether they are. */
static unsigned long
ckpt_settings_hash(void)
{
	static const char *const names[] = { "CKPT_FILE", "CKPT_INTERVAL" };
	unsigned long h = 14695981039346656037UL;
	const char *v;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		v = getenv(names[i]);
		h = (h ^ (v != NULL)) * 1099511628211UL;
		for (; v != NULL && *v != '\0'; v++)
			h = (h ^ (unsigned char)*v) * 1099511628211UL;
		h *= 1099511628211UL;	/* the NUL that ends it */
	}
	return h;
}

/* Writes "CKPT_OWNER=pid:start:hash" in ckpt_owner_env, in place. */
static void
ckpt_owner_mark(int pid, unsigned long start)
{
	char *p, *end = ckpt_owner_env + sizeof(ckpt_owner_env);

	p = ckpt_stpcpy(ckpt_owner_env, "CKPT_OWNER=", end);
	p = ckpt_utoa(p, pid, end);
	p = ckpt_stpcpy(p, ":", end);
	p = ckpt_utoa(p, start, end);
	p = ckpt_stpcpy(p, ":", end);
	ckpt_utoa(p, ckpt_cfg.owner_hash, end);
}

/* Reads "pid:start:hash" into f; -1 if the value is not that. */
static int
ckpt_parse_owner(const char *s, unsigned long f[3])
{
	int i = 0, digits = 0;

	f[0] = f[1] = f[2] = 0;
	for (; *s != '\0'; s++) {
		if (*s == ':' && i < 2 && digits > 0) {
			i++;
			digits = 0;
		} else if (*s >= '0' && *s <= '9' && digits++ < 20)
			f[i] = f[i] * 10 + (*s - '0');
		else
			return -1;
	}
	return i == 2 && digits > 0 ? 0 : -1;
}

/* In a forked child: no longer the owner, and the timer was not copied. */
static void
ckpt_forked(void)
{
	if (ckpt_cfg.owner_pid != 0 && ckpt_cfg.file_fixed)
		ckpt_cfg.file_inherited = 1;
	ckpt_cfg.owner_pid = 0;
	ckpt_sets_pid = 0;
	ckpt_timer_id = -1;
}

/* Nonzero if this process, pid, is the one the settings were given to. */
static int
ckpt_owner(int pid)
{
	return ckpt_cfg.owner_pid != 0 && pid == ckpt_cfg.owner_pid;
}

/* At load: 1 if this process is the owner (CKPT_OWNER to be set), else 0. */
static int
ckpt_find_owner(void)
{
	const char *v = getenv("CKPT_OWNER");
	unsigned long pid = sys_getpid(), start = ckpt_start_time(), f[3];

	ckpt_cfg.owner_hash = ckpt_settings_hash();
	if (v != NULL && ckpt_parse_owner(v, f) == 0 &&
	    (f[0] != pid || f[1] != start) && f[2] == ckpt_cfg.owner_hash)
		return 0;
	ckpt_cfg.owner_pid = pid;
	ckpt_owner_mark(pid, start);
	pthread_atfork(NULL, NULL, ckpt_forked);
	return 1;
}

/*
 * Puts CKPT_OWNER in the environment, once every CKPT_* variable has been
 * read: a shell has getenv and putenv of its own (bash does), and its
 * putenv, called before its main, makes its table of variables, after
 * which its getenv finds nothing of the environment it was started with.
 */
static void
ckpt_owner_publish(void)
{
	if (putenv(ckpt_owner_env) != 0)
		ckpt_say("CKPT_OWNER", "cannot set it",
		    "children will take CKPT_FILE as theirs");
}

/*
 * glibc keeps each thread's kernel tid in its struct pthread, which starts
 * at the fs base.  restart must rewrite it (the tid changes), so find where
 * it lives: the one int near the fs base equal to our tid.
 */
static long
ckpt_find_tid_offset(void)
{
	unsigned long fs = 0;
	int tid = sys_gettid();
	long off;

	if (sys_arch_prctl(ARCH_GET_FS, (unsigned long)&fs) < 0 || fs == 0)
		return 0;
	for (off = 0x100; off < 0x1000; off += 4)
		if (*(volatile int *)(fs + off) == tid)
			return off;
	return 0;
}

/* ---- interval timer ---------------------------------------------------- */

static void
ckpt_arm_timer(void)
{
	struct sigevent sev;
	struct itimerspec its;
	int id;

	if (ckpt_cfg.interval == 0 || ckpt_taken ||
	    !ckpt_owner(sys_getpid()))
		return;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = ckpt_cfg.signo;
	if (sys_call3(SYS_timer_create, CLOCK_MONOTONIC, (long)&sev,
	    (long)&id) < 0) {
		ckpt_say("CKPT_INTERVAL", "cannot create a timer", NULL);
		return;
	}
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = ckpt_cfg.interval;
	its.it_interval.tv_sec = ckpt_cfg.interval;
	sys_call4(SYS_timer_settime, id, 0, (long)&its, 0);
	ckpt_timer_id = id;
}

static void	ckpt_on_trigger(int sig, siginfo_t *si, void *ucv);

/*
 * "checkpoint still being written; signal ignored", at most once a second:
 * a storm of signals gave the program's stderr a line each (2000 lines in
 * a few seconds).  The next line counts the ones not reported.
 */
static void
ckpt_say_ignored(void)
{
	static uint64_t last;
	static unsigned long more;
	char line[96], *p, *end = line + sizeof(line);
	uint64_t now = ckpt_now_ns();

	if (last != 0 && now - last < 1000000000ULL) {
		more++;
		return;
	}
	p = ckpt_stpcpy(line, "checkpoint still being written; signal ignored",
	    end);
	if (more != 0)
		ckpt_stpcpy(ckpt_utoa(ckpt_stpcpy(p, " (and ", end), more, end),
		    " more since the last line)", end);
	ckpt_say(line, NULL, NULL);
	last = now;
	more = 0;
}

/*
 * Said 100 ms after the program took the signal, if it still has it:
 * ruby sets its own handler and, finding one there already, puts it back
 * at once, which is no taking over.  The delay is a one-shot timer that
 * sends the stop signal, which ckpt_on_stop knows by its value; with the
 * stop signal not libckpt's, or no timer, it is said at once.
 */
#define CKPT_TAKEN_COOKIE	0x636b7074	/* "ckpt" */
static long		ckpt_taken_timer = -1;
static void		*ckpt_taken_handler;

/* "SIGUSR2", or "signal 62" for one without a name here. */
static void
ckpt_signal_name(int signo, char name[24])
{
	char *end = name + 24;
	size_t i;

	ckpt_utoa(ckpt_stpcpy(name, "signal ", end), signo, end);
	for (i = 0; i < sizeof(ckpt_signames) / sizeof(ckpt_signames[0]); i++)
		if (ckpt_signames[i].signo == signo)
			ckpt_stpcpy(ckpt_stpcpy(name, "SIG", end),
			    ckpt_signames[i].name, end);
}

static void
ckpt_taken_say(void)
{
	static int said;
	char name[24];
	void *h = ckpt_taken_handler;

	if (!ckpt_taken || said++)
		return;
	ckpt_signal_name(ckpt_cfg.signo, name);
	ckpt_say(name, h == (void *)SIG_IGN ? "the program ignores it" :
	    h == (void *)SIG_DFL ? "the program gave it its default action" :
	    "the program set its own handler for it",
	    "no more checkpoints on it (CKPT_SIGNAL chooses another)");
}

static void
ckpt_taken_timer_stop(void)
{
	if (ckpt_taken_timer >= 0)
		sys_call1(SYS_timer_delete, ckpt_taken_timer);
	ckpt_taken_timer = -1;
}

static void	ckpt_on_stop(int sig, siginfo_t *si, void *ucv);

static void
ckpt_taken_later(void)
{
	struct ckpt_ksigaction ks;
	struct itimerspec its;
	struct sigevent sev;
	int id;

	if (ckpt_taken_timer >= 0)
		return;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = CKPT_STOP_SIG;
	sev.sigev_value.sival_int = CKPT_TAKEN_COOKIE;
	if (sys_rt_sigaction(CKPT_STOP_SIG, NULL, &ks) != 0 ||
	    ks.handler != (void *)ckpt_on_stop ||
	    sys_call3(SYS_timer_create, CLOCK_MONOTONIC, (long)&sev,
	    (long)&id) < 0) {
		ckpt_taken_say();
		return;
	}
	memset(&its, 0, sizeof(its));
	its.it_value.tv_nsec = 100 * 1000000L;
	ckpt_taken_timer = id;
	sys_call4(SYS_timer_settime, id, 0, (long)&its, 0);
}

/*
 * Only in the process libckpt was loaded into (or restored), once its
 * constructor has run: not in a vfork child, which shares this memory
 * (its posix_spawn resetting dispositions is not this process's doing),
 * nor in a forked one, nor for a library's constructor run before ours,
 * whose handler ckpt_init replaces anyway.
 */
static int
ckpt_sets_here(void)
{
	return ckpt_sets_pid != 0 && sys_getpid() == ckpt_sets_pid;
}

/*
 * The program set the checkpoint signal's disposition (ckpt_wrap.c): to
 * something of its own, it has taken the signal over, which stops the
 * interval timer and is said (ckpt_taken_later); back to libckpt's
 * handler, it has given it back, and the timer runs again.
 */
static void
ckpt_trigger_set(void *handler)
{
	int taken = handler != (void *)ckpt_on_trigger;

	if (!ckpt_sets_here() || taken == ckpt_taken)
		return;
	ckpt_taken = taken;
	ckpt_taken_handler = handler;
	if (!taken) {
		ckpt_taken_timer_stop();
		ckpt_arm_timer();
		return;
	}
	if (ckpt_timer_id >= 0) {
		sys_call1(SYS_timer_delete, ckpt_timer_id);
		ckpt_timer_id = -1;
	}
	ckpt_taken_later();
}

/*
 * libckpt's handler given back by the program (ruby puts back the one it
 * found, with flags of its own): with libckpt's flags and mask, or a
 * checkpoint would end the program's blocking calls early with EINTR.
 * Returns act, or sa filled in.
 */
static void	ckpt_action(struct sigaction *sa,
		    void (*fn)(int, siginfo_t *, void *));

const struct sigaction *
ckpt_own_action(const struct sigaction *act, struct sigaction *sa)
{
	if ((void *)act->sa_sigaction == (void *)ckpt_on_trigger) {
		ckpt_action(sa, ckpt_on_trigger);
		return sa;
	}
	if ((void *)act->sa_sigaction == (void *)ckpt_on_stop) {
		ckpt_action(sa, ckpt_on_stop);
		return sa;
	}
	return act;
}

/*
 * The program set the stop signal's disposition (ckpt_wrap.c): to
 * anything but libckpt's handler, no thread would stop again, so no
 * checkpoint could be written; said once (the JDK's NIO takes 62).
 */
static void
ckpt_stop_set(void *handler)
{
	static int said;
	char name[24];

	if (!ckpt_sets_here() || handler == (void *)ckpt_on_stop || said++)
		return;
	ckpt_signal_name(CKPT_STOP_SIG, name);
	ckpt_say(name, "the program set its own handler for it, and libckpt "
	    "stops threads with it: no checkpoints (CKPT_STOP_SIGNAL chooses "
	    "another real-time signal)", NULL);
}

/* A disposition the program set (ckpt_wrap.c), for either of ours. */
void
ckpt_disposition_set(int signo, void *handler)
{
	if (signo == ckpt_cfg.signo)
		ckpt_trigger_set(handler);
	if (signo == CKPT_STOP_SIG)
		ckpt_stop_set(handler);
}

/* ---- stopping threads -------------------------------------------------- */

static void
ckpt_futex_wait(volatile int *addr, int val, long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	sys_futex(addr, FUTEX_WAIT_PRIVATE, val, ms >= 0 ? &ts : NULL);
}

static void
ckpt_futex_wake(volatile int *addr)
{
	sys_futex(addr, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL);
}

/*
 * Signals pending at the checkpoint: blocked, so not delivered.  The
 * kernel forgets them with the process, so each thread notes its own
 * (SigPnd in /proc/thread-self/status) and the leader the process's
 * (ShdPnd), and they are raised again after restart, once each and with
 * no siginfo, while every signal is still blocked: sigreturn then restores
 * the mask under which they stay pending.  The checkpoint signal and the
 * stop signal are left out.
 */
/*
 * A decimal number, maybe negative, at p, up to LONG_MAX in size; returns
 * what follows, or NULL if there are no digits or too many.
 */
const char *
ckpt_dec(const char *p, long *v)
{
	int neg = *p == '-', digits = 0;
	uint64_t u = 0;

	p += neg;
	for (; *p >= '0' && *p <= '9' && digits < 19; p++, digits++)
		u = u * 10 + (uint64_t)(*p - '0');
	if (digits == 0 || u > (uint64_t)LONG_MAX || (*p >= '0' && *p <= '9'))
		return NULL;
	*v = neg ? -(long)u : (long)u;
	return p;
}

/* Up to 16 lower-case hex digits at p into *v; returns what follows. */
const char *
ckpt_hex_digits(const char *p, uint64_t *v)
{
	int digits;

	for (*v = 0, digits = 0; digits < 16; p++, digits++) {
		if (*p >= '0' && *p <= '9')
			*v = *v << 4 | (uint64_t)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			*v = *v << 4 | (uint64_t)(*p - 'a' + 10);
		else
			break;
	}
	return p;
}

/* The fields of a status file ckpt_status_line looks for, and their values. */
struct ckpt_status {
	const char	*field[3];	/* "SigPnd:", ...; NULL: none */
	uint64_t	 value[3];	/* left 0 if the field is absent */
};

static void
ckpt_status_line(void *arg, const char *line)
{
	struct ckpt_status *st = arg;
	const char *p;
	size_t len;
	int i;

	for (i = 0; i < 3 && st->field[i] != NULL; i++) {
		len = strlen(st->field[i]);
		if (strncmp(line, st->field[i], len) != 0)
			continue;
		for (p = line + len; *p == ' ' || *p == '\t'; p++)
			;
		ckpt_hex_digits(p, &st->value[i]);
	}
}

/*
 * The calling thread's pending signals, and if shared is not NULL the
 * process's and the seccomp mode (the leader's; "Seccomp:", decimal 0-2,
 * reads the same in hex): from /proc rather than prctl(PR_GET_SECCOMP),
 * which a filter may forbid, or kill the program for.
 */
static void
ckpt_read_pending(uint64_t *thread, uint64_t *shared, int *seccomp)
{
	struct ckpt_status st = { { "SigPnd:", "ShdPnd:", "Seccomp:" },
	    { 0, 0, 0 } };
	uint64_t keep = ~((1ULL << (ckpt_cfg.signo - 1)) |
	    (1ULL << (CKPT_STOP_SIG - 1)));

	ckpt_each_line("/proc/thread-self/status", ckpt_status_line, &st);
	*thread = st.value[0] & keep;
	if (shared != NULL) {
		*shared = st.value[1] & keep;
		*seccomp = (int)st.value[2];
	}
}

/*
 * After restart, in the handler: the noted signals, pending again; one a
 * POSIX timer sends comes with that timer's siginfo (ckpt_timers.c), as
 * it most likely came from it, the others with none of their own.
 */
static void
ckpt_raise_pending(uint64_t set, int to_thread)
{
	uint64_t all = ~0ULL;
	int sig, pid = sys_getpid(), tid = sys_gettid();
	siginfo_t si;

	if (set == 0)
		return;
	sys_rt_sigprocmask(SIG_BLOCK, &all, NULL);
	for (sig = 1; sig <= 64; sig++) {
		if (!(set & (1ULL << (sig - 1))))
			continue;
		if (ckpt_timer_siginfo(sig, &si) && (to_thread ?
		    sys_call4(SYS_rt_tgsigqueueinfo, pid, tid, sig,
		    (long)&si) : sys_call3(SYS_rt_sigqueueinfo, pid, sig,
		    (long)&si)) == 0)
			continue;
		if (to_thread)
			sys_tgkill(pid, tid, sig);
		else
			sys_call2(SYS_kill, pid, sig);
	}
}

/* The leader notes the pending signals at its handler's entry, the
 * checkpoint's instant: what arrives while it stops the threads is later. */
static void
ckpt_fill_slot(struct ckpt_slot *s, const ucontext_t *uc, int noted)
{
	struct fmt_thread *t = &s->t;
	stack_t ss;
	uint64_t head = 0, len = 0;
	int i;

	t->present = FMT_T_TID | FMT_T_REGS | FMT_T_FS_BASE | FMT_T_GS_BASE |
	    FMT_T_SIGMASK | FMT_T_ALTSTACK | FMT_T_GREGS;
	t->tid = s->tid;
	if (sys_call2(SYS_prctl, PR_GET_NAME, (long)s->comm) < 0)
		s->comm[0] = '\0';
	s->nnp = (int)sys_call5(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	s->pdeathsig = 0;
	sys_call2(SYS_prctl, PR_GET_PDEATHSIG, (long)&s->pdeathsig);
	s->slack = sys_call2(SYS_prctl, PR_GET_TIMERSLACK, 0);
	s->persona = sys_call1(SYS_personality, 0xffffffffL);
	if (!noted)
		ckpt_read_pending(&s->pending, NULL, NULL);
	sys_arch_prctl(ARCH_GET_FS, (unsigned long)&t->fs_base);
	sys_arch_prctl(ARCH_GET_GS, (unsigned long)&t->gs_base);
	sys_rt_sigprocmask(SIG_BLOCK, NULL, &t->sigmask);
	if (sys_call2(SYS_sigaltstack, 0, (long)&ss) == 0) {
		t->ss_sp = (uint64_t)ss.ss_sp;
		t->ss_size = ss.ss_size;
		t->ss_flags = ss.ss_flags;
	}
	if (sys_call3(SYS_get_robust_list, 0, (long)&head, (long)&len) == 0) {
		t->robust_head = head;
		t->robust_len = len;
		t->present |= FMT_T_ROBUST;
	}
	if (ckpt_cfg.tid_offset != 0) {
		t->clear_tid = t->fs_base + ckpt_cfg.tid_offset;
		t->present |= FMT_T_CLEAR_TID;
	}
	for (i = 0; i < FMT_NGREGS && i < NGREG; i++)
		t->gregs[i] = uc->uc_mcontext.gregs[i];
}

/*
 * Calls fn(arg, n, dirfd) for every numeric entry of a /proc directory,
 * with raw system calls and a buffer on the stack; stops early when fn
 * returns nonzero and returns that, or -errno if the directory won't open.
 */
int
ckpt_each_number(const char *dir, int (*fn)(void *, int, int), void *arg)
{
	char buf[1024];
	int dfd, rc = 0;
	long n;

	dfd = sys_openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (dfd < 0)
		return dfd;
	while (rc == 0 && (n = sys_call3(SYS_getdents64, dfd, (long)buf,
	    sizeof(buf))) > 0) {
		long off = 0;

		while (rc == 0 && off < n) {
			const char *name = buf + off + 19;
			unsigned short reclen;
			int v = 0;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			off += reclen;
			if (*name < '0' || *name > '9')
				continue;
			while (*name >= '0' && *name <= '9')
				v = v * 10 + (*name++ - '0');
			rc = fn(arg, v, dfd);
		}
	}
	sys_close(dfd);
	return rc;
}

struct ckpt_scan {
	int	self;
	int	added;
};

static int
ckpt_scan_one(void *arg, int tid, int dfd)
{
	struct ckpt_scan *sc = arg;
	int i;

	if (tid == sc->self)
		return 0;
	for (i = 0; i < ckpt_snap.nslots; i++)
		if (ckpt_snap.slots[i].tid == tid)
			return 0;
	if (ckpt_snap.nslots == CKPT_MAX_THREADS)
		return 1;
	ckpt_snap.slots[ckpt_snap.nslots].here = 0;
	ckpt_snap.slots[ckpt_snap.nslots++].tid = tid;
	sc->added++;
	return 0;
}

/* ckpt_scan_threads: more threads than there are slots (not an errno) */
#define CKPT_SCAN_MANY	(-4096)

/*
 * Reads /proc/self/task; adds tids not yet in the slots; returns how many
 * were added, CKPT_SCAN_MANY when there are too many threads, or -errno
 * when /proc/self/task cannot be read (no /proc in a container or chroot),
 * which must not be taken for too many threads.
 */
static int
ckpt_scan_threads(int self)
{
	struct ckpt_scan sc = { self, 0 };
	int rc;

	rc = ckpt_each_number("/proc/self/task", ckpt_scan_one, &sc);
	if (rc > 0)
		return CKPT_SCAN_MANY;
	return rc < 0 ? rc : sc.added;
}

/* ---- blocking calls the stop would end ---------------------------------- */

/*
 * A thread blocked in poll, select, epoll_wait, nanosleep, pause,
 * sigsuspend or sigtimedwait returns EINTR when any signal handler runs,
 * SA_RESTART or not, and a program that takes that for an error (tail -f)
 * would stop because it was checkpointed.  Before the leader sends a
 * thread the stop signal it reads /proc/self/task/TID/syscall: the call
 * the thread is blocked in, its arguments, stack pointer and return
 * address.  The thread's handler, if it finds itself interrupted right
 * there (EINTR, at that address, just after a syscall instruction, with
 * the same stack pointer and argument registers), backs its saved context
 * up to the syscall instruction with the call's number, so that sigreturn
 * makes the same call again: now, and after restart.  A timeout starts
 * again whole (select, pselect and ppoll have written back what was left;
 * clock_nanosleep with TIMER_ABSTIME loses nothing; a relative nanosleep
 * or clock_nanosleep with a remainder pointer sleeps what it has left;
 * poll's, epoll_wait's, epoll_pwait's, sigtimedwait's and other relative
 * sleeps' start over once and then count down: see ckpt_rewind).  The thread that
 * takes the checkpoint signal itself cannot be read first: ckpt_rewind
 * takes the call's number from libc's wrapper code there.  One case is
 * taken wrongly: a signal of the program's own ended the call, and ours
 * arrived while its handler ran with ours blocked (a full sa_mask); the
 * call is then made again though the program's handler meant to end it.
 */
static int
ckpt_restartable(long nr)
{
	switch (nr) {
	case SYS_poll:
	case SYS_ppoll:
	case SYS_select:
	case SYS_pselect6:
	case SYS_epoll_wait:
	case SYS_epoll_pwait:
#ifdef SYS_epoll_pwait2
	case SYS_epoll_pwait2:
#endif
	case SYS_nanosleep:
	case SYS_clock_nanosleep:
	case SYS_pause:
	case SYS_rt_sigsuspend:
	case SYS_rt_sigtimedwait:
		return 1;
	}
	return 0;
}

/* Reads one " 0x..." field of /proc's syscall file; NULL if none. */
static const char *
ckpt_hex(const char *p, uint64_t *v)
{
	const char *q;

	if (p[0] != ' ' || p[1] != '0' || p[2] != 'x')
		return NULL;
	q = ckpt_hex_digits(p + 3, v);
	return q > p + 3 ? q : NULL;
}

/* What s's thread is blocked in, from /proc/self/task/TID/syscall. */
static void
ckpt_read_syscall(struct ckpt_slot *s)
{
	char path[64], buf[256], *end = path + sizeof(path);
	const char *p = buf;
	uint64_t v[8];
	long n, nr = 0;
	int i;

	s->sc_nr = -1;
	ckpt_stpcpy(ckpt_utoa(ckpt_stpcpy(path, "/proc/self/task/", end),
	    s->tid, end), "/syscall", end);
	n = ckpt_slurp(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return;
	buf[n] = '\0';
	if (*p < '0' || *p > '9')	/* "running", or -1: not in a call */
		return;
	while (*p >= '0' && *p <= '9' && nr < 100000)
		nr = nr * 10 + (*p++ - '0');
	for (i = 0; i < 8; i++)
		if ((p = ckpt_hex(p, &v[i])) == NULL)
			return;
	if (!ckpt_restartable(nr))
		return;
	for (i = 0; i < 6; i++)
		s->sc_arg[i] = v[i];
	s->sc_sp = v[6];
	s->sc_pc = v[7];
	s->sc_nr = nr;
}

/*
 * The call a syscall instruction ending at pc made, when the instruction
 * before it is "mov $NR, %eax" (b8 imm32), as in libc's wrappers: -1 if
 * not, or if those bytes are not on the page the syscall instruction is
 * on (the page before may not be readable).
 */
static long
ckpt_syscall_at(uint64_t pc)
{
	const uint8_t *b = (const uint8_t *)(uintptr_t)(pc - 7);
	uint32_t nr;

	if ((pc & 4095) < 7 || b[0] != 0xb8)
		return -1;
	memcpy(&nr, b + 1, 4);
	return nr;
}

/*
 * Where a poll made again as ppoll keeps its timeout, one per thread: the
 * kernel writes what is left there whenever a signal ends the call, so
 * the next checkpoint makes it again for that, not for the whole timeout.
 */
static __thread struct timespec ckpt_poll_left
    __attribute__((tls_model("initial-exec")));

/*
 * epoll_wait's and epoll_pwait's timeout, a count of milliseconds, and
 * sigtimedwait's timespec are not written back either, and no variant of
 * epoll_wait can take one that is: made again, the call is given what is
 * left, counted from a deadline kept per thread.  The kernel reads only
 * the low half of epoll's timeout register (an int), so the high half
 * marks a timeout libckpt set; sigtimedwait's is libckpt's own timespec.
 * Such a call is the one the deadline is for, any other a new one.  After
 * restart the deadlines move to the new clock: what was left at the
 * checkpoint, from then (ckpt_thread_back).
 */
#define CKPT_TMO_MARK	0x636b7074ULL		/* "ckpt" */

struct ckpt_tmo {
	uint64_t	 deadline;	/* CLOCK_MONOTONIC ns */
	uint64_t	 left;		/* ns left when last made again */
};
static __thread struct ckpt_tmo ckpt_epoll_tmo
    __attribute__((tls_model("initial-exec")));
static __thread struct ckpt_tmo ckpt_stw_tmo
    __attribute__((tls_model("initial-exec")));
static __thread struct timespec ckpt_stw_left
    __attribute__((tls_model("initial-exec")));
/* the same for a relative sleep with no remainder pointer (usleep) */
static __thread struct ckpt_tmo ckpt_nap_tmo
    __attribute__((tls_model("initial-exec")));
static __thread struct timespec ckpt_nap_left
    __attribute__((tls_model("initial-exec")));

/* Unless the call is one made again, starts t's deadline at now + ns;
 * returns what is left of it. */
static uint64_t
ckpt_tmo_left(struct ckpt_tmo *t, uint64_t ns, int again)
{
	uint64_t now = ckpt_now_ns();

	if (!again)
		t->deadline = now + ns;
	t->left = t->deadline > now ? t->deadline - now : 0;
	return t->left;
}

/* The timeout register for an epoll wait made again: what is left. */
static greg_t
ckpt_epoll_left(uint64_t r10)
{
	uint64_t left = ckpt_tmo_left(&ckpt_epoll_tmo,
	    (uint64_t)(int)r10 * 1000000, (r10 >> 32) == CKPT_TMO_MARK);

	return (greg_t)(CKPT_TMO_MARK << 32 | (left + 999999) / 1000000);
}

/*
 * The timespec register for a call made again (sigtimedwait, or a sleep
 * with no remainder pointer): mine, holding what is left of t.
 */
static greg_t
ckpt_ts_again(struct ckpt_tmo *t, struct timespec *mine, greg_t reg)
{
	const struct timespec *ts = (const struct timespec *)reg;
	uint64_t ns = 0, left;
	int again = reg == (greg_t)mine;

	/* the kernel accepted it: a valid timespec; a cap keeps ns whole */
	if (!again)
		ns = (ts->tv_sec > 1000000000 ? 1000000000 :
		    (uint64_t)ts->tv_sec) * 1000000000 + ts->tv_nsec;
	left = ckpt_tmo_left(t, ns, again);
	mine->tv_sec = left / 1000000000;
	mine->tv_nsec = left % 1000000000;
	return (greg_t)mine;
}

/*
 * In a handler: make the interrupted call again.  s is the stopped
 * thread's slot, with what the leader read in /proc before signalling it,
 * or NULL in the thread that took the checkpoint signal, which nobody
 * could look at first: there, and when the leader found the thread
 * running, the call's number is taken from the "mov $NR, %eax" just
 * before the syscall instruction, where libc's wrappers put it.
 */
static void
ckpt_rewind(const struct ckpt_slot *s, ucontext_t *uc)
{
	greg_t *g = uc->uc_mcontext.gregs;
	uint64_t pc = (uint64_t)g[REG_RIP];
	long nr = -1;

	/* the two bytes before pc are the instruction the thread executed */
	if (g[REG_RAX] != -EINTR || pc < 2 ||
	    *(const uint16_t *)(uintptr_t)(pc - 2) != 0x050f)
		return;
	if (s != NULL && s->sc_nr >= 0 && pc == s->sc_pc &&
	    (uint64_t)g[REG_RSP] == s->sc_sp &&
	    (uint64_t)g[REG_RDI] == s->sc_arg[0] &&
	    (uint64_t)g[REG_RSI] == s->sc_arg[1] &&
	    (uint64_t)g[REG_RDX] == s->sc_arg[2] &&
	    (uint64_t)g[REG_R10] == s->sc_arg[3] &&
	    (uint64_t)g[REG_R8] == s->sc_arg[4] &&
	    (uint64_t)g[REG_R9] == s->sc_arg[5])
		nr = s->sc_nr;
	else
		nr = ckpt_syscall_at(pc);
	/* poll's wrapper, made again as ppoll below */
	if (nr == SYS_poll && g[REG_RDX] == (greg_t)&ckpt_poll_left &&
	    g[REG_R10] == 0)
		nr = SYS_ppoll;
	if (nr < 0 || !ckpt_restartable(nr))
		return;
	/*
	 * poll's timeout is a count of milliseconds the kernel does not
	 * update: made again as ppoll with it in ckpt_poll_left, it starts
	 * over this once and counts down from then on, or a timeout longer
	 * than CKPT_INTERVAL would never come.  Only registers the call's
	 * wrapper does not read again change (the timeout, the signal mask
	 * NULL, so the mask size is not read).
	 */
	if (nr == SYS_poll && (int)g[REG_RDX] >= 0) {
		int ms = (int)g[REG_RDX];

		ckpt_poll_left.tv_sec = ms / 1000;
		ckpt_poll_left.tv_nsec = (long)(ms % 1000) * 1000000;
		g[REG_RDX] = (greg_t)&ckpt_poll_left;
		g[REG_R10] = 0;
		nr = SYS_ppoll;
	}
	/*
	 * A relative sleep given somewhere to put what is left has had it
	 * written there: sleep that, not the whole time again, or a sleep
	 * longer than CKPT_INTERVAL would never end.  One given nowhere
	 * (usleep) sleeps what is left of a deadline, as sigtimedwait
	 * below (not for a CPU-time clock, whose time is not the wall's).
	 * Only the argument register changes; the caller's request is left
	 * as it was.
	 */
	if (nr == SYS_nanosleep && g[REG_RSI] != 0)
		g[REG_RDI] = g[REG_RSI];
	else if (nr == SYS_nanosleep)
		g[REG_RDI] = ckpt_ts_again(&ckpt_nap_tmo, &ckpt_nap_left,
		    g[REG_RDI]);
	else if (nr == SYS_clock_nanosleep &&
	    (g[REG_RSI] & TIMER_ABSTIME) == 0 && g[REG_R10] != 0)
		g[REG_RDX] = g[REG_R10];
	else if (nr == SYS_clock_nanosleep &&
	    (g[REG_RSI] & TIMER_ABSTIME) == 0 &&
	    (g[REG_RDI] == CLOCK_REALTIME || g[REG_RDI] == CLOCK_MONOTONIC ||
	    g[REG_RDI] == CLOCK_BOOTTIME))
		g[REG_RDX] = ckpt_ts_again(&ckpt_nap_tmo, &ckpt_nap_left,
		    g[REG_RDX]);
	if ((nr == SYS_epoll_wait || nr == SYS_epoll_pwait) &&
	    (int)g[REG_R10] >= 0)
		g[REG_R10] = ckpt_epoll_left((uint64_t)g[REG_R10]);
	if (nr == SYS_rt_sigtimedwait && g[REG_RDX] != 0)
		g[REG_RDX] = ckpt_ts_again(&ckpt_stw_tmo, &ckpt_stw_left,
		    g[REG_RDX]);
	g[REG_RIP] = (greg_t)(pc - 2);
	g[REG_RAX] = nr;
}

/*
 * A thread signalled that has not stopped may have been on its way out:
 * glibc blocks every signal in a thread that is exiting, so it never
 * takes ours, and then is gone.  Its slot keeps its place (threads that
 * have stopped hold pointers to theirs) with tid 0, which every user of
 * the slots passes over.  Returns how many were found gone.
 */
static int
ckpt_drop_gone(int pid)
{
	int i, n = 0;

	for (i = 1; i < ckpt_snap.nslots; i++) {
		struct ckpt_slot *s = &ckpt_snap.slots[i];

		if (s->tid != 0 &&
		    !__atomic_load_n(&s->here, __ATOMIC_ACQUIRE) &&
		    sys_tgkill(pid, s->tid, 0) == -ESRCH) {
			s->tid = 0;
			n++;
		}
	}
	return n;
}

/* Whether the stop signal's bit is set in a mask of a thread's status
 * ("SigPnd:", "SigBlk:"). */
static int
ckpt_task_sigbit(int tid, const char *field)
{
	struct ckpt_status st = { { field, NULL, NULL }, { 0, 0, 0 } };
	char path[64], *end = path + sizeof(path);

	ckpt_stpcpy(ckpt_utoa(ckpt_stpcpy(path, "/proc/self/task/", end),
	    tid, end), "/status", end);
	ckpt_each_line(path, ckpt_status_line, &st);
	return (st.value[0] >> (CKPT_STOP_SIG - 1)) & 1;
}

/*
 * Whether the stop signal is already pending for a thread: sent in an
 * earlier try, or a checkpoint given up, and not yet taken, as the thread
 * blocks every signal.  Sending it again would queue it twice (it is a
 * real-time signal), and the second would count as an arrival later.
 */
static int
ckpt_stop_pending(int tid)
{
	return ckpt_task_sigbit(tid, "SigPnd:");
}

/* Whether a thread not stopped yet blocks the stop signal. */
static int
ckpt_stop_blocked(void)
{
	int i;

	for (i = 1; i < ckpt_snap.nslots; i++) {
		struct ckpt_slot *s = &ckpt_snap.slots[i];

		/* blocked and still pending: not one already in our handler,
		 * which runs with it blocked too */
		if (s->tid != 0 && !__atomic_load_n(&s->here, __ATOMIC_ACQUIRE)
		    && ckpt_task_sigbit(s->tid, "SigBlk:") &&
		    ckpt_stop_pending(s->tid))
			return 1;
	}
	return 0;
}

/*
 * Stops every other thread; 0 when all are parked in their handlers, -2
 * when one that has not stopped blocks the stop signal (to be tried
 * again), -1 when 5 s since t0 have gone by.
 */
static int
ckpt_stop_threads(int pid, int self, uint64_t t0, int again)
{
	int round, i, sent = 0, want, gone;
	uint64_t t_try = ckpt_now_ns(), t_look = t_try;

	/*
	 * Slot 0 is the leader.  A try after the first keeps the slots, so
	 * that a thread late from the last try, which found its slot then,
	 * writes into its own; each is stopped again.
	 */
	if (!again) {
		ckpt_snap.nslots = 1;
		ckpt_snap.slots[0].tid = self;
	}
	for (i = 1; i < ckpt_snap.nslots; i++)
		__atomic_store_n(&ckpt_snap.slots[i].here, 0, __ATOMIC_RELEASE);
	for (round = 0; round < 20; round++) {
		int before = round == 0 ? 1 : ckpt_snap.nslots, added;

		added = ckpt_scan_threads(self);
		if (added == CKPT_SCAN_MANY) {
			ckpt_say("checkpoint not written", "more than "
			    CKPT_STR(CKPT_MAX_THREADS) " threads", NULL);
			return -1;
		}
		if (added < 0) {
			ckpt_say("checkpoint not written", "cannot list the "
			    "threads in /proc/self/task", fmt_strerror(added));
			return -1;
		}
		if (added == 0 && round > 0)
			return 0;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		for (i = before; i < ckpt_snap.nslots; i++) {
			if (ckpt_snap.slots[i].tid == 0)
				continue;
			ckpt_read_syscall(&ckpt_snap.slots[i]);
			/* only after a try or a checkpoint not all took: a
			 * status file a thread costs the pause */
			if ((again || ckpt_stop_unsure) &&
			    ckpt_stop_pending(ckpt_snap.slots[i].tid)) {
				sent++;
				continue;
			}
			if (sys_tgkill(pid, ckpt_snap.slots[i].tid,
			    CKPT_STOP_SIG) < 0) {
				/* gone: its slot stays, empty (see above) */
				ckpt_snap.slots[i].tid = 0;
				continue;
			}
			sent++;
		}
		want = sent;
		while (ckpt_arrived < want) {
			uint64_t now = ckpt_now_ns();

			/* one merely not run yet is waited for; a look every
			 * 50 ms at whether one blocks the signal */
			if (now - t_try >= 50000000ULL &&
			    now - t_look >= 50000000ULL) {
				t_look = now;
				if (ckpt_stop_blocked())
					return -2;
			}
			if (ckpt_now_ns() - t0 >= 5000000000ULL) {
				ckpt_say("checkpoint abandoned",
				    "a thread did not stop (signals blocked?)",
				    NULL);
				return -1;
			}
			ckpt_futex_wait(ckpt_arrived_p, ckpt_arrived, 10);
			if (ckpt_arrived < want) {
				gone = ckpt_drop_gone(pid);
				sent -= gone;
				want -= gone;
			}
		}
	}
	return 0;
}

/* ---- after restart ----------------------------------------------------- */

/*
 * What every thread redoes after restart: the kernel forgot these.  Its
 * name too: the threads restart made are all called "restart".
 */
static void
ckpt_thread_back(struct ckpt_slot *s)
{
	s->new_tid = sys_gettid();
	ckpt_epoll_tmo.deadline = ckpt_now_ns() + ckpt_epoll_tmo.left;
	ckpt_stw_tmo.deadline = ckpt_now_ns() + ckpt_stw_tmo.left;
	ckpt_nap_tmo.deadline = ckpt_now_ns() + ckpt_nap_tmo.left;
	if (s->comm[0] != '\0')
		sys_call2(SYS_prctl, PR_SET_NAME, (long)s->comm);
	/* restart's thread had none of the program's prctl settings */
	if (s->nnp == 1)
		sys_call5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (s->pdeathsig > 0)
		sys_call2(SYS_prctl, PR_SET_PDEATHSIG, s->pdeathsig);
	if (s->slack > 0 &&
	    sys_call2(SYS_prctl, PR_GET_TIMERSLACK, 0) != s->slack)
		sys_call2(SYS_prctl, PR_SET_TIMERSLACK, s->slack);
	if (s->persona >= 0 &&
	    sys_call1(SYS_personality, 0xffffffffL) != s->persona)
		sys_call1(SYS_personality, s->persona);
	ckpt_raise_pending(s->pending, 1);
	if (&__rseq_size != NULL && __rseq_size != 0) {
		unsigned long tp = s->t.fs_base;
		void *area = (void *)(tp + __rseq_offset);

		if (sys_call4(SYS_rseq, (long)area, 32, 0, CKPT_RSEQ_SIG) < 0)
			sys_call4(SYS_rseq, (long)area, __rseq_size, 0,
			    CKPT_RSEQ_SIG);
	}
	if (s->t.present & FMT_T_ROBUST)
		sys_call2(SYS_set_robust_list, (long)s->t.robust_head,
		    (long)s->t.robust_len);
}

static void
ckpt_leader_back(struct ckpt_slot *s)
{
	int others = 0, i;

	for (i = 1; i < ckpt_snap.nslots; i++)
		others += ckpt_snap.slots[i].tid != 0;

	ckpt_thread_back(s);
	ckpt_say_patient = 0;
	ckpt_sets_pid = ckpt_sets_pid != 0 ? sys_getpid() : 0;
	ckpt_err_note();		/* restart's standard error now */
	while (__atomic_load_n(&ckpt_mailbox.threads_back, __ATOMIC_ACQUIRE)
	    < others)
		ckpt_futex_wait(&ckpt_mailbox.threads_back,
		    ckpt_mailbox.threads_back, 100);
	/* every thread blocks every signal until its sigreturn */
	ckpt_raise_pending(ckpt_snap.shared_pending, 0);
	/* every thread has left restart's code: its leftovers can go */
	if (ckpt_mailbox.blob_len != 0)
		sys_munmap((void *)ckpt_mailbox.blob_addr,
		    ckpt_mailbox.blob_len);
	ckpt_mailbox.blob_addr = ckpt_mailbox.blob_len = 0;
	ckpt_child = 0;
	ckpt_timer_id = -1;
	ckpt_timers_restore(ckpt_snap.slots, ckpt_snap.nslots, ckpt_snap.pid);
	if (ckpt_snap.owner) {
		/* for the programs it execs in this process: still the owner */
		ckpt_cfg.owner_pid = sys_getpid();
		ckpt_owner_mark(ckpt_cfg.owner_pid, ckpt_start_time());
	} else
		ckpt_cfg.owner_pid = 0;
	ckpt_arm_timer();
	/*
	 * A seccomp filter cannot be read back without privileges (nor seen
	 * being installed: libseccomp makes the system call itself), so the
	 * restored program runs without it; a sandbox must not lose its
	 * walls without a word.
	 */
	if (ckpt_snap.seccomp == SECCOMP_MODE_FILTER)
		ckpt_say("warning: the program's seccomp filters are not "
		    "restored; it runs on without them", NULL, NULL);
	if (ckpt_snap.subreaper == 1)
		sys_call2(SYS_prctl, PR_SET_CHILD_SUBREAPER, 1);
	/* (redis turns huge pages off for itself so) */
	if (ckpt_snap.thp_off == 1)
		sys_call5(SYS_prctl, PR_SET_THP_DISABLE, 1, 0, 0, 0);
	/* last: it makes /proc/self root's for a user other than root */
	if (ckpt_snap.dumpable == 0)
		sys_call2(SYS_prctl, PR_SET_DUMPABLE, 0);
	/* a trigger the original took during this checkpoint is not ours */
	__atomic_store_n(&ckpt_again, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&ckpt_mailbox.go, 1, __ATOMIC_RELEASE);
	ckpt_futex_wake(&ckpt_mailbox.go);
}

static void
ckpt_follower_back(struct ckpt_slot *s)
{
	ckpt_thread_back(s);
	__atomic_add_fetch(&ckpt_mailbox.threads_back, 1, __ATOMIC_RELEASE);
	ckpt_futex_wake(&ckpt_mailbox.threads_back);
	while (__atomic_load_n(&ckpt_mailbox.go, __ATOMIC_ACQUIRE) == 0)
		ckpt_futex_wait(&ckpt_mailbox.go, 0, 100);
}

/* ---- the handlers ------------------------------------------------------ */

static struct ckpt_slot *
ckpt_my_slot(int tid)
{
	int i;

	for (i = 0; i < ckpt_snap.nslots; i++)
		if (ckpt_snap.slots[i].tid == tid)
			return &ckpt_snap.slots[i];
	return NULL;
}

static void
ckpt_on_stop(int sig, siginfo_t *si, void *ucv)
{
	int saved_errno = errno;
	int gen = ckpt_gen;
	struct ckpt_slot *volatile s;

	/* not a stop: the timer of ckpt_taken_later */
	if (si != NULL && si->si_code == SI_TIMER &&
	    si->si_value.sival_int == CKPT_TAKEN_COOKIE) {
		ckpt_rewind(NULL, ucv);
		ckpt_taken_timer_stop();
		ckpt_taken_say();
		errno = saved_errno;
		return;
	}
	s = ckpt_my_slot(sys_gettid());
	if (s == NULL || !ckpt_busy) {
		errno = saved_errno;
		return;
	}
	ckpt_rewind(s, ucv);
	ckpt_fill_slot(s, ucv, 0);
	if (ckpt_ctx_save(s->t.regs) == 0) {
		uint64_t w = __atomic_load_n(&ckpt_stopword, __ATOMIC_ACQUIRE);

		/* counted only in the generation it was stopped for: a later
		 * try sends it the stop signal again */
		do {
			if ((uint32_t)(w >> 32) != (uint32_t)gen) {
				errno = saved_errno;
				return;
			}
		} while (!__atomic_compare_exchange_n(&ckpt_stopword, &w,
		    w + 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
		__atomic_store_n(&s->here, 1, __ATOMIC_RELEASE);
		ckpt_futex_wake(ckpt_arrived_p);
		/* let go once the leader has released this generation or a
		 * later one: a thread slow to see one release must not wait
		 * for ever on the next try's */
		while ((int)((unsigned)__atomic_load_n(&ckpt_release,
		    __ATOMIC_ACQUIRE) - (unsigned)gen) < 0)
			ckpt_futex_wait(&ckpt_release, ckpt_release, 1000);
	} else {
		ckpt_follower_back(s);
	}
	errno = saved_errno;
}

/*
 * Reaps the previous snapshot; nonzero if it is still writing.  A snapshot
 * that has renamed its image says so in the shared status word just before
 * it exits: then it is waited for, so a trigger right after an image
 * appears is never refused.
 */
static int
ckpt_previous_running(void)
{
	char why[96], *p;
	int status = 0;
	long r;

	if (ckpt_child <= 0)
		return 0;
	r = sys_call4(SYS_wait4, ckpt_child, (long)&status,
	    WNOHANG | __WCLONE, 0);
	if (r == 0 && ckpt_snap.status != NULL &&
	    __atomic_load_n(ckpt_snap.status, __ATOMIC_ACQUIRE) ==
	    ckpt_snap.child_gen)
		r = sys_call4(SYS_wait4, ckpt_child, (long)&status, __WCLONE,
		    0);
	if (r == 0)
		return 1;
	/* one that failed said why; one killed (the OOM killer, a kill of
	 * the wrong pid) could not, and its image never appeared */
	if (r == ckpt_child && WIFSIGNALED(status)) {
		p = ckpt_stpcpy(why, "previous checkpoint not written: its "
		    "snapshot was killed by signal ", why + sizeof(why));
		ckpt_utoa(p, WTERMSIG(status), why + sizeof(why));
		ckpt_say(ckpt_snap.file, why, NULL);
	}
	ckpt_child = 0;
	return 0;
}

/*
 * The leader opens a few descriptors (/proc/self/task, /proc/self/fd, a
 * pipe per pipe with unread bytes) and the snapshot more: a program at its
 * open-file limit is checkpointed all the same, the soft limit raised
 * within the hard one until the snapshot is forked.
 */
struct ckpt_rlimit {
	uint64_t	cur, max;
};
static struct ckpt_rlimit	ckpt_nofile;

static void
ckpt_nofile_raise(void)
{
	struct ckpt_rlimit r;

	ckpt_nofile.cur = 0;
	if (sys_call4(SYS_prlimit64, 0, RLIMIT_NOFILE, 0,
	    (long)&ckpt_nofile) < 0 || ckpt_nofile.cur >= ckpt_nofile.max)
		return;
	r = ckpt_nofile;
	r.cur = r.max - r.cur > 2 * CKPT_MAX_FDS ? r.cur + 2 * CKPT_MAX_FDS :
	    r.max;
	if (sys_call4(SYS_prlimit64, 0, RLIMIT_NOFILE, (long)&r, 0) < 0)
		ckpt_nofile.cur = 0;
}

static void
ckpt_nofile_restore(void)
{
	if (ckpt_nofile.cur != 0)
		sys_call4(SYS_prlimit64, 0, RLIMIT_NOFILE, (long)&ckpt_nofile,
		    0);
}

static void
ckpt_on_trigger(int sig, siginfo_t *si, void *ucv)
{
	int saved_errno = errno;
	uint64_t t0 = ckpt_now_ns();
	int pid, self, expected = 0, rc, tries;
	uint64_t pending, shared;
	int seccomp;
	struct ckpt_slot *volatile s;
	struct ckpt_ksigaction ks;
	struct ckpt_fdset *fds;
	void *arena;

	ckpt_rewind(NULL, ucv);
	if (!__atomic_compare_exchange_n(&ckpt_busy, &expected, 1, 0,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		/*
		 * Another thread leads a checkpoint, still in its handler
		 * (a follower released first, or a thread after restart
		 * took a signal held through it): the leader sends the
		 * signal again once it is done, instead of losing it.
		 */
		__atomic_store_n(&ckpt_again, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&ckpt_busy, __ATOMIC_SEQ_CST) == 0 &&
		    __atomic_exchange_n(&ckpt_again, 0, __ATOMIC_SEQ_CST))
			sys_call2(SYS_kill, sys_getpid(), ckpt_cfg.signo);
		errno = saved_errno;
		return;
	}
	__atomic_store_n(&ckpt_again, 0, __ATOMIC_RELEASE);
	ckpt_read_pending(&pending, &shared, &seccomp);
	if (ckpt_previous_running()) {
		ckpt_say_ignored();
		goto out;
	}
	/* a stop signal the program took for itself would stop no thread:
	 * say so now, not after waiting 5 s for them */
	if (sys_rt_sigaction(CKPT_STOP_SIG, NULL, &ks) == 0 &&
	    ks.handler != (void *)ckpt_on_stop) {
		char name[24];

		ckpt_signal_name(CKPT_STOP_SIG, name);
		ckpt_say("checkpoint not written", name, "the program handles "
		    "it, and libckpt stops threads with it (CKPT_STOP_SIGNAL "
		    "chooses another)");
		goto out;
	}
	if (ckpt_snap.status == NULL) {
		void *st = sys_mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		if (!SYS_ERR(st))
			ckpt_snap.status = st;
	}
	pid = sys_getpid();
	self = sys_gettid();
	ckpt_nofile_raise();
	arena = sys_mmap(NULL, CKPT_ARENA_SIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (SYS_ERR(arena)) {
		/* 1 GiB of address space, not of memory: ulimit -v */
		ckpt_say("checkpoint not written", "cannot reserve 1 GiB of "
		    "address space to work in", fmt_strerror((long)arena));
		ckpt_nofile_restore();
		goto out;
	}
	/*
	 * A thread that blocks every signal may be waiting for one stopped
	 * here: glibc's exiting detached thread takes the stack-cache lock
	 * that a thread stopped in pthread_create or pthread_join holds.  So
	 * a thread that has not stopped after 50 ms and blocks the stop
	 * signal gets the others let go for a moment, and the stop is tried
	 * again, for 5 s in all.
	 */
	for (tries = 0;; tries++) {
		struct timespec nap = { 0, 10000000 };

		ckpt_gen++;
		__atomic_store_n(&ckpt_stopword, (uint64_t)(uint32_t)ckpt_gen <<
		    32, __ATOMIC_SEQ_CST);
		ckpt_leader_tid = self;
		rc = ckpt_stop_threads(pid, self, t0, tries > 0);
		/* all stopped: every stop sent was taken */
		ckpt_stop_unsure = rc != 0;
		if (rc != -2)
			break;
		__atomic_store_n(&ckpt_release, ckpt_gen, __ATOMIC_RELEASE);
		ckpt_futex_wake(&ckpt_release);
		sys_call2(SYS_nanosleep, (long)&nap, 0);
	}
	if (rc < 0)
		goto release;
	ckpt_snap.pid = pid;
	ckpt_snap.owner = ckpt_owner(pid);
	ckpt_snap.t_signal = t0;
	ckpt_image_path(ckpt_snap.file, pid, ckpt_snap.owner);
	if (!ckpt_snap.owner && ckpt_cfg.file_inherited) {
		/* a daemon that forked away from the process started with
		 * CKPT_FILE would look for its image there in vain */
		ckpt_say(ckpt_snap.file, "CKPT_FILE is the process's that "
		    "started with it, not this child's: its image goes to "
		    "the default name", NULL);
		ckpt_cfg.file_inherited = 0;
	}
	fds = (struct ckpt_fdset *)((char *)arena + CKPT_FDSET_OFF);
	if ((rc = ckpt_fds_capture(fds)) < 0) {
		ckpt_fds_release(fds);
		ckpt_say("checkpoint not written", rc == -E2BIG ?
		    "more than " CKPT_STR(CKPT_MAX_FDS) " open descriptors" :
		    "cannot list the open descriptors", rc == -E2BIG ? NULL :
		    fmt_strerror(rc));
		goto release;
	}
	ckpt_timers_capture(ckpt_timer_id);
	ckpt_snap.dumpable = (int)sys_call1(SYS_prctl, PR_GET_DUMPABLE);
	ckpt_snap.subreaper = 0;
	sys_call2(SYS_prctl, PR_GET_CHILD_SUBREAPER, (long)&ckpt_snap.subreaper);
	ckpt_snap.seccomp = seccomp;
	ckpt_snap.thp_off = (int)sys_call5(SYS_prctl, PR_GET_THP_DISABLE, 0, 0,
	    0, 0);
	s = &ckpt_snap.slots[0];
	s->pending = pending;
	ckpt_snap.shared_pending = shared;
	ckpt_fill_slot(s, ucv, 1);
	ckpt_snap.child_gen++;
	/* last before the fork: a staged page written after its copy would
	 * be lost to the image */
	ckpt_stage_prepare(arena);
	ckpt_dontfork_prepare(arena);
	if (ckpt_ctx_save(s->t.regs) == 0) {
		long child = ckpt_spawn(ckpt_child_main, arena,
		    (char *)arena + CKPT_ARENA_SIZE, 0);

		if (child < 0)
			ckpt_say("cannot fork a snapshot",
			    fmt_strerror(child), NULL);
		else
			ckpt_child = child;
		ckpt_dontfork_release();
		ckpt_stage_release(arena);
		ckpt_fds_release(fds);
	} else {
		ckpt_leader_back(ckpt_my_slot(ckpt_leader_tid));
		goto out;
	}
release:
	sys_munmap(arena, CKPT_ARENA_SIZE);
	ckpt_nofile_restore();
	__atomic_store_n(&ckpt_release, ckpt_gen, __ATOMIC_RELEASE);
	ckpt_futex_wake(&ckpt_release);
out:
	__atomic_store_n(&ckpt_busy, 0, __ATOMIC_SEQ_CST);
	/* blocked here: taken after this handler's sigreturn */
	if (__atomic_exchange_n(&ckpt_again, 0, __ATOMIC_SEQ_CST))
		sys_call2(SYS_kill, sys_getpid(), ckpt_cfg.signo);
	errno = saved_errno;
}

/* ---- start-up ---------------------------------------------------------- */

/*
 * Both handlers run with every asynchronous signal blocked.  A handler of
 * the program's that ran nested inside ours, on a call ours then makes
 * again (ckpt_rewind), would be lost to the program: timeout(1) waits for
 * its child in sigsuspend, and a SIGCHLD taken inside our handler ended
 * nothing, so it slept until its time limit.  Blocked, such a signal
 * waits for our sigreturn and ends the call made again.  It came after
 * the checkpoint's instant, when the pending signals were noted, so the
 * image does not hold it.  Faults stay unblocked: a blocked one kills.
 */
static void
ckpt_action(struct sigaction *sa, void (*fn)(int, siginfo_t *, void *))
{
	static const int faults[] = {
		SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS
	};
	size_t i;

	memset(sa, 0, sizeof(*sa));
	sa->sa_sigaction = fn;
	sa->sa_flags = SA_SIGINFO | SA_RESTART;
	sigfillset(&sa->sa_mask);
	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		sigdelset(&sa->sa_mask, faults[i]);
}

static void
ckpt_install(int signo, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa;

	ckpt_action(&sa, fn);
	sigaction(signo, &sa, NULL);
}

/*
 * A mask inherited blocked (a parent that blocked every signal before it
 * forked and executed the program) would hold the checkpoint signal
 * forever, and the stop signal in every thread made from this one: no
 * checkpoint, and not a word.  Both are libckpt's, not the program's, so
 * they are unblocked here; what the program blocks later is its own.
 */
static void
ckpt_unblock_inherited(void)
{
	uint64_t set = 0;

	set |= 1ULL << (ckpt_cfg.signo - 1);
	set |= 1ULL << (CKPT_STOP_SIG - 1);
	sys_rt_sigprocmask(SIG_UNBLOCK, &set, NULL);
}

__attribute__((constructor)) static void
ckpt_init(void)
{
	const char *prog = program_invocation_short_name;
	int owner;

	ckpt_err_note();
	if (getcwd(ckpt_cfg.dir, sizeof(ckpt_cfg.dir)) == NULL)
		ckpt_stpcpy(ckpt_cfg.dir, ".", ckpt_cfg.dir + 2);
	if (prog == NULL || *prog == '\0')
		prog = "prog";
	ckpt_stpcpy(ckpt_cfg.prog, prog, ckpt_cfg.prog + sizeof(ckpt_cfg.prog));
	ckpt_wrap_init();
	owner = ckpt_find_owner();
	ckpt_read_env(owner);
	if (owner)
		ckpt_owner_publish();
	ckpt_cfg.tid_offset = ckpt_find_tid_offset();
	ckpt_install(ckpt_cfg.signo, ckpt_on_trigger);
	ckpt_install(CKPT_STOP_SIG, ckpt_on_stop);
	ckpt_unblock_inherited();
	ckpt_arm_timer();
	ckpt_sets_pid = sys_getpid();
}
