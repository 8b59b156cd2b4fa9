/*
 * insp_util.c - small pieces both reports share: names for flags and
 * kinds, human sizes, times, the command line, and safe printing of bytes
 * that came from an image.
 *
 * Invariants: every function here takes counted byte strings and never
 * reads past their length; none allocates.  Anything printed for people
 * passes through insp_print_bytes(), so a path holding escape sequences
 * cannot drive the terminal.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/ucontext.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "insp.h"

_Static_assert(REG_RIP < FMT_NGREGS, "gregs too short for REG_RIP");

void
insp_perms(const struct fmt_region *r, char out[5])
{
	out[0] = (r->prot & PROT_READ) ? 'r' : '-';
	out[1] = (r->prot & PROT_WRITE) ? 'w' : '-';
	out[2] = (r->prot & PROT_EXEC) ? 'x' : '-';
	out[3] = (r->flags & FMT_R_SHARED) ? 's' : 'p';
	out[4] = '\0';
}

const char *
insp_region_kind(uint32_t kind)
{
	switch (kind) {
	case FMT_K_MEMORY:
		return "memory";
	case FMT_K_VDSO:
		return "vdso";
	case FMT_K_VVAR:
		return "vvar";
	case FMT_K_VVAR_VCLOCK:
		return "vvar_vclock";
	case FMT_K_VSYSCALL:
		return "vsyscall";
	}
	return "unknown";
}

/* The name of advice bit i (FMT_A_*), or NULL for a bit not known. */
const char *
insp_advice_name(uint32_t i)
{
	static const char *const names[] = {
		"hugepage", "nohugepage", "dontdump", "mergeable",
		"wipeonfork", "locked",
	};

	return i < sizeof(names) / sizeof(names[0]) ? names[i] : NULL;
}

const char *
insp_fd_kind(uint32_t kind)
{
	switch (kind) {
	case FMT_FD_FILE:
		return "file";
	case FMT_FD_DIR:
		return "dir";
	case FMT_FD_PIPE:
		return "pipe";
	case FMT_FD_DEV:
		return "dev";
	case FMT_FD_TTY:
		return "tty";
	case FMT_FD_SOCKET:
		return "socket";
	case FMT_FD_OTHER:
		return "other";
	case FMT_FD_DELETED:
		return "deleted";
	case FMT_FD_EPOLL:
		return "epoll";
	case FMT_FD_EVENTFD:
		return "eventfd";
	case FMT_FD_TIMERFD:
		return "timerfd";
	case FMT_FD_SIGNALFD:
		return "signalfd";
	case FMT_FD_INOTIFY:
		return "inotify";
	}
	return "unknown";
}

/*
 * The bytes of memory a region accounts for: its size for ordinary memory,
 * nothing for the pages the kernel provides (vDSO, vvar), which restart
 * does not restore from the image.  The format's totals count the same way.
 */
uint64_t
insp_region_raw(const struct fmt_region *r)
{
	return r->kind == FMT_K_MEMORY ? r->end - r->start : 0;
}

/*
 * What restart will do with a descriptor.  This mirrors restart's policy
 * (restart/rst_fds.c) so that a reader learns before restarting what will
 * not come back: descriptors 0-2 are restart's own; files, directories and
 * the plain devices are reopened; a deleted file is recreated from its
 * saved contents; a pipe or a Unix socket pair comes back only if the
 * process held both of its ends; epoll, eventfd, timerfd, signalfd and
 * inotify descriptors are made again; everything else (other sockets, other
 * terminals, other devices, other kernel objects) does not.  A descriptor
 * that shared its open file with an earlier one becomes a copy of it.
 */
/*
 * A socket restart makes again alone (format 1.4's STATE): an Internet or
 * Unix socket, listening, bound or idle, or a datagram socket connected
 * to a named peer, whose saved addresses it can use.
 */
static enum insp_restore
insp_sock_remade(const struct fmt_fd *fd)
{
	uint64_t bits = fd->state[3], dom = fd->state[0];

	if (!(fd->present & FMT_F_STATE) || (dom != AF_INET &&
	    dom != AF_INET6 && dom != AF_UNIX))
		return INSP_RESTORE_NONE;
	if (((bits & FMT_SK_BOUND) && !(fd->present & FMT_F_ADDR)) ||
	    ((bits & FMT_SK_CONNECTED) && !(fd->present & FMT_F_PEER_ADDR)))
		return INSP_RESTORE_NONE;
	return INSP_RESTORE_REMAKE;
}

/* How many watches an inotify descriptor's DATA lists (FMT_INOTIFY_HEAD
 * each, with its padded path); -1 if the entries do not fit. */
long
insp_watches(const struct fmt_fd *fd)
{
	const uint8_t *p = fd->data.p;
	size_t left = fd->data.len, len;
	long k = 0;

	while (left >= FMT_INOTIFY_HEAD) {
		len = (size_t)p[24] | (size_t)p[25] << 8 |
		    (size_t)p[26] << 16 | (size_t)p[27] << 24;
		len = (len + 7) & ~(size_t)7;
		if (len > left - FMT_INOTIFY_HEAD)
			break;
		p += FMT_INOTIFY_HEAD + len;
		left -= FMT_INOTIFY_HEAD + len;
		k++;
	}
	return left != 0 ? -1 : k;
}

/*
 * What a remade socket is, for people: "tcp 127.0.0.1:8000 listening",
 * "udp [::1]:53 to [::1]:5353", "unix /run/x.sock"; how many watches an
 * inotify descriptor has.  Empty for others.
 */
void
insp_fd_desc(const struct fmt_fd *fd, char *out, size_t n)
{
	const struct fmt_bytes *b[2] = { &fd->addr, &fd->peer_addr };
	char a[2][FMT_SOCKADDR_STR];
	uint64_t bits = fd->state[3];
	int i;

	*out = '\0';
	if (fd->kind == FMT_FD_INOTIFY && (fd->present & FMT_F_DATA)) {
		long k = insp_watches(fd);

		if (k < 0)
			snprintf(out, n, "malformed watch list");
		else
			snprintf(out, n, "%ld watch%s", k, k == 1 ? "" : "es");
		return;
	}
	if (fd->kind != FMT_FD_SOCKET || insp_sock_remade(fd) ==
	    INSP_RESTORE_NONE)
		return;
	for (i = 0; i < 2; i++)
		fmt_sockaddr_str(b[i], a[i], sizeof(a[i]));
	snprintf(out, n, "%s %s%s%s%s", fd->state[0] == AF_UNIX ? "unix" :
	    fd->state[1] == SOCK_STREAM ? "tcp" : fd->state[1] ==
	    SOCK_DGRAM ? "udp" : "inet", a[0],
	    (bits & FMT_SK_LISTEN) ? " listening" : "",
	    (bits & FMT_SK_CONNECTED) ? " to " : "",
	    (bits & FMT_SK_CONNECTED) ? a[1] : "");
}

enum insp_restore
insp_fd_restore(const struct fmt_image *img, const struct fmt_fd *fd)
{
	const struct fmt_fd *g;
	uint32_t i;

	if ((fd->present & FMT_F_FD) && fd->fd >= 0 && fd->fd <= 2)
		return INSP_RESTORE_INHERIT;
	if (fd->present & FMT_F_SHARE) {
		/* the reader checked: an earlier record, itself no copy */
		g = &img->fds[fd->share_idx];
		return insp_fd_restore(img, g) == INSP_RESTORE_NONE ?
		    INSP_RESTORE_NONE : INSP_RESTORE_SHARE;
	}
	if (!(fd->present & FMT_F_KIND))
		return INSP_RESTORE_NONE;
	switch (fd->kind) {
	case FMT_FD_FILE:
	case FMT_FD_DIR:
	case FMT_FD_DEV:
		return INSP_RESTORE_REOPEN;
	case FMT_FD_DELETED:
		return (fd->present & FMT_F_DATA) ? INSP_RESTORE_RECREATE :
		    INSP_RESTORE_NONE;
	case FMT_FD_PIPE:
		if (!(fd->present & FMT_F_PIPE))
			return INSP_RESTORE_NONE;
		for (i = 0; i < img->nfds; i++) {
			g = &img->fds[i];
			if (g != fd && (g->present & FMT_F_KIND) &&
			    g->kind == FMT_FD_PIPE &&
			    (g->present & FMT_F_PIPE) &&
			    g->pipe_id == fd->pipe_id &&
			    !g->pipe_write != !fd->pipe_write)
				return INSP_RESTORE_PIPE;
		}
		return INSP_RESTORE_NONE;
	case FMT_FD_SOCKET:
		if (!(fd->present & FMT_F_PEER) || !(fd->present & FMT_F_STAT))
			return insp_sock_remade(fd);
		for (i = 0; i < img->nfds; i++) {
			g = &img->fds[i];
			if (g != fd && (g->present & FMT_F_KIND) &&
			    g->kind == FMT_FD_SOCKET &&
			    (g->present & FMT_F_PEER) &&
			    (g->present & FMT_F_STAT) &&
			    g->ino == fd->peer && g->peer == fd->ino &&
			    !(g->fd >= 0 && g->fd <= 2))
				return INSP_RESTORE_PAIR;
		}
		return insp_sock_remade(fd);
	case FMT_FD_INOTIFY:
		return (fd->present & FMT_F_DATA) ? INSP_RESTORE_REMAKE :
		    INSP_RESTORE_NONE;
	case FMT_FD_EPOLL:
		return (fd->present & FMT_F_DATA) &&
		    fd->data.len % FMT_EPOLL_ENTRY == 0 ?
		    INSP_RESTORE_REMAKE : INSP_RESTORE_NONE;
	case FMT_FD_EVENTFD:
	case FMT_FD_TIMERFD:
	case FMT_FD_SIGNALFD:
		return (fd->present & FMT_F_STATE) ? INSP_RESTORE_REMAKE :
		    INSP_RESTORE_NONE;
	}
	return INSP_RESTORE_NONE;
}

const char *
insp_restore_name(enum insp_restore r)
{
	switch (r) {
	case INSP_RESTORE_REOPEN:
		return "reopen";
	case INSP_RESTORE_PIPE:
		return "pipe";
	case INSP_RESTORE_RECREATE:
		return "recreate";
	case INSP_RESTORE_INHERIT:
		return "inherit";
	case INSP_RESTORE_PAIR:
		return "pair";
	case INSP_RESTORE_REMAKE:
		return "remake";
	case INSP_RESTORE_SHARE:
		return "share";
	case INSP_RESTORE_NONE:
		break;
	}
	return "none";
}

/*
 * "0", "512", "4.0K", "1.5M": one decimal above a KiB, rounded to nearest.
 * Done in integers so that output is the same on every machine (golden
 * files depend on it).
 */
void
insp_human(uint64_t n, char out[INSP_HUMAN_MAX])
{
	static const char units[] = "KMGTPE";
	uint64_t unit = 1024, tenths;
	int i = 0;

	if (n < 1024) {
		snprintf(out, INSP_HUMAN_MAX, "%llu", (unsigned long long)n);
		return;
	}
	while (i < 5 && n / unit >= 1024) {
		unit *= 1024;
		i++;
	}
	/* rem * 10 < unit * 10 <= 10 * 2^60: no overflow. */
	tenths = n / unit * 10 + (n % unit * 10 + unit / 2) / unit;
	if (tenths >= 10240 && i < 5) {
		unit *= 1024;
		i++;
		tenths = n / unit * 10 + (n % unit * 10 + unit / 2) / unit;
	}
	snprintf(out, INSP_HUMAN_MAX, "%llu.%llu%c",
	    (unsigned long long)(tenths / 10),
	    (unsigned long long)(tenths % 10), units[i]);
}

/* ISO-8601 in UTC, to the second.  Returns -1 if the time is absurd. */
int
insp_iso_time(uint64_t ns, char out[INSP_TIME_MAX])
{
	time_t secs = (time_t)(ns / 1000000000u);
	struct tm tm;

	if (gmtime_r(&secs, &tm) == NULL)
		return -1;
	if (strftime(out, INSP_TIME_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return -1;
	return 0;
}

/*
 * Walks a NUL-separated command line.  *pos starts at 0; each call yields
 * the next argument (without its NUL) and returns 1, or returns 0 at the
 * end.  A missing final NUL is accepted: the image may have been cut short
 * by the kernel's own page limit on /proc/PID/cmdline.
 */
int
insp_cmdline_next(const struct fmt_bytes *cmd, uint32_t *pos,
    struct fmt_bytes *arg)
{
	const uint8_t *p = cmd->p;
	const uint8_t *nul;
	uint32_t left;

	if (*pos >= cmd->len)
		return 0;
	left = cmd->len - *pos;
	nul = memchr(p + *pos, '\0', left);
	arg->p = p + *pos;
	arg->len = nul != NULL ? (uint32_t)(nul - (p + *pos)) : left;
	*pos += arg->len + 1;
	return 1;
}

/* The program: the first word of its command line, else its executable. */
int
insp_program(const struct fmt_process *p, struct fmt_bytes *out)
{
	uint32_t pos = 0;

	if ((p->present & FMT_P_CMDLINE) &&
	    insp_cmdline_next(&p->cmdline, &pos, out) && out->len > 0)
		return 1;
	if ((p->present & FMT_P_EXE) && p->exe.len > 0) {
		*out = p->exe;
		return 1;
	}
	return 0;
}

/*
 * Where the thread was when the checkpoint signal arrived: the interrupted
 * context's rip.  regs[FMT_RIP] is not it - that is libckpt's own resume
 * point, the same for every image and of no interest to a reader.
 */
int
insp_thread_rip(const struct fmt_thread *t, uint64_t *rip)
{
	if (!(t->present & FMT_T_GREGS))
		return 0;
	*rip = t->gregs[REG_RIP];
	return 1;
}

/*
 * Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlongs,
 * no surrogates, nothing above U+10FFFF), or 0 if there is none; *cp gets
 * the code point.
 */
size_t
insp_utf8_decode(const uint8_t *p, size_t len, uint32_t *cp)
{
	uint8_t c = p[0];
	size_t n, i;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		v = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		v = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		v = c & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/*
 * Prints image bytes for a terminal: printable ASCII and well-formed UTF-8
 * as they are, backslash doubled, everything else as \n, \t or \xNN.
 * C1 controls (U+0080..U+009F) are escaped too: terminals act on them.
 */
void
insp_print_bytes(FILE *f, const void *p, size_t len)
{
	const uint8_t *s = p;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if (s[i] == '\\')
			fputs("\\\\", f);
		else if (s[i] == '\n')
			fputs("\\n", f);
		else if (s[i] == '\t')
			fputs("\\t", f);
		else if (s[i] >= 0x20 && s[i] < 0x7f)
			putc(s[i], f);
		else if (s[i] >= 0x80 &&
		    (n = insp_utf8_decode(s + i, len - i, &cp)) > 0 &&
		    cp >= 0xa0) {
			fwrite(s + i, 1, n, f);
			i += n;
			continue;
		} else
			fprintf(f, "\\x%02x", s[i]);
		i++;
	}
}
