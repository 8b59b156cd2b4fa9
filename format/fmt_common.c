/*
 * fmt_common.c - pieces both sides of the format share: error text, the
 * hash, the TLV field tables and the /proc/PID/maps line parser.
 *
 * Invariants: nothing here allocates, takes a lock or touches stdio,
 * because libckpt calls it from a forked snapshot of another program, where
 * the malloc and stdio locks may be held by threads that no longer exist.
 * fmt_strerror() therefore answers from static tables only (strerror() may
 * load a locale), and the maps parser writes only into the caller's struct.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#ifdef HAVE_XXH_X86DISPATCH_H
#include <xxh_x86dispatch.h>
#else
#include <xxhash.h>
#endif

#include "fmt.h"

struct fmt_errno_text {
	int		 err;
	const char	*text;
};

static const struct fmt_errno_text fmt_errno_texts[] = {
	{ ENOSPC, "no space left on device" },
	{ EACCES, "permission denied" },
	{ ENOENT, "no such file or directory" },
	{ EIO, "input/output error" },
	{ EROFS, "read-only file system" },
	{ EDQUOT, "disk quota exceeded" },
	{ EPERM, "operation not permitted" },
	{ ENOMEM, "out of memory" },
	{ EEXIST, "file exists" },
	{ EISDIR, "is a directory" },
	{ ENOTDIR, "not a directory" },
	{ EBADF, "bad file descriptor" },
	{ EINVAL, "invalid argument" },
	{ EFBIG, "file too large" },
	{ EPIPE, "broken pipe" },
	{ EINTR, "interrupted system call" },
	{ EAGAIN, "resource temporarily unavailable" },
	{ ENXIO, "no such device or address" },
	{ ESRCH, "no such process" },
	{ EMFILE, "too many open files" },
	{ ENAMETOOLONG, "file name too long" },
};

/*
 * "system error N" for every errno Linux has, built by the preprocessor so
 * that the fallback needs neither a buffer nor a formatting routine.
 */
#define FMT_SE(n)	"system error " #n
#define FMT_SE10(d)	FMT_SE(d##0), FMT_SE(d##1), FMT_SE(d##2), FMT_SE(d##3), \
	FMT_SE(d##4), FMT_SE(d##5), FMT_SE(d##6), FMT_SE(d##7), \
	FMT_SE(d##8), FMT_SE(d##9)
static const char *const fmt_sys_texts[] = {
	FMT_SE10(), FMT_SE10(1), FMT_SE10(2), FMT_SE10(3), FMT_SE10(4),
	FMT_SE10(5), FMT_SE10(6), FMT_SE10(7), FMT_SE10(8), FMT_SE10(9),
	FMT_SE10(10), FMT_SE10(11), FMT_SE10(12), FMT_SE10(13),
	FMT_SE10(14), FMT_SE10(15),
};

const char *
fmt_strerror(int code)
{
	size_t i;

	switch (code) {
	case FMT_OK:
		return "success";
	case FMT_E_TRUNCATED:
		return "image is truncated";
	case FMT_E_NOT_CKPT:
		return "not a ckpt image";
	case FMT_E_VERSION:
		return "image format version is newer than this ckpt supports";
	case FMT_E_CHECKSUM:
		return "checksum mismatch";
	case FMT_E_DATA_CHECKSUM:
		return "data checksum mismatch";
	case FMT_E_CORRUPT:
		return "image is corrupt";
	case FMT_E_LIMIT:
		return "size or count beyond what ckpt accepts";
	case FMT_E_NOMEM:
		return "out of memory";
	case FMT_E_ZSTD:
		return "zstd could not compress or decompress";
	case FMT_E_ORDER:
		return "image writer called out of order";
	case FMT_E_SPACE:
		return "buffer too small";
	case FMT_E_UNKNOWN:
		return "unknown critical record or field (from a newer ckpt?)";
	case FMT_E_INDEX:
		return "index disagrees with the stream";
	}
	if (code < 0 && code > -4096) {
		for (i = 0; i < sizeof(fmt_errno_texts) /
		    sizeof(fmt_errno_texts[0]); i++)
			if (fmt_errno_texts[i].err == -code)
				return fmt_errno_texts[i].text;
		if ((size_t)-code < sizeof(fmt_sys_texts) /
		    sizeof(fmt_sys_texts[0]))
			return fmt_sys_texts[-code];
		return "system error";
	}
	return "unknown error";
}

uint64_t
fmt_hash(const void *p, size_t len)
{
#ifdef HAVE_XXH_X86DISPATCH_H
	/* picks the widest vector unit at run time: ~1.5x over SSE2 */
	return XXH3_64bits_dispatch(p, len);
#else
	return XXH3_64bits(p, len);
#endif
}

/*
 * A PAGES chunk's page list: as many pages as raw_len holds, the first at
 * the chunk's offset, each after the one before, the last inside the
 * region.  *end is the region offset past the last page.
 */
int
fmt_check_pages(const struct fmt_chunk *c, uint64_t region_len,
    uint64_t *end)
{
	uint64_t prev, n;
	uint32_t i;

	if (c->npages == 0 || c->raw_len / FMT_PAGE_SIZE != c->npages ||
	    c->raw_len % FMT_PAGE_SIZE != 0 || c->pages == NULL ||
	    fmt_chunk_page(c, 0) != c->offset)
		return FMT_E_CORRUPT;
	prev = c->offset;
	for (i = 1; i < c->npages; i++) {
		n = fmt_chunk_page(c, i);
		if (n <= prev)
			return FMT_E_CORRUPT;
		prev = n;
	}
	/* no overflow: offset <= region_len and the u32 bounds the rest */
	if (c->offset > region_len || prev - c->offset + FMT_PAGE_SIZE >
	    region_len - c->offset)
		return FMT_E_CORRUPT;
	*end = prev + FMT_PAGE_SIZE;
	return 0;
}

/* ---- TLV field tables: the order is the FMT_x_* bit order ---- */
#define FMT_U32(s, m)	{ FMT_FT_U32, 0, offsetof(struct s, m), 0 }
#define FMT_U64S(s, m, n) { FMT_FT_U64S, n, offsetof(struct s, m), 0 }
#define FMT_U64S_U32(s, m, n, m32) \
	{ FMT_FT_U64S_U32, n, offsetof(struct s, m), offsetof(struct s, m32) }
#define FMT_BYTES(s, m)	{ FMT_FT_BYTES, 0, offsetof(struct s, m), 0 }

const struct fmt_field fmt_process_fields[] = {
	FMT_BYTES(fmt_process, version),
	FMT_U64S(fmt_process, ctime_ns, 1),
	FMT_BYTES(fmt_process, hostname),
	FMT_BYTES(fmt_process, kernel),
	FMT_U32(fmt_process, pid),
	FMT_BYTES(fmt_process, cmdline),
	FMT_BYTES(fmt_process, exe),
	FMT_BYTES(fmt_process, cwd),
	FMT_U32(fmt_process, umask),
	FMT_U64S(fmt_process, mm, 11),
	FMT_BYTES(fmt_process, auxv),
	FMT_U64S(fmt_process, sig, FMT_NSIG * 4),
	FMT_U64S(fmt_process, restore_info, 1),
	FMT_U64S(fmt_process, tid_offset, 1),
	FMT_U32(fmt_process, ckpt_signal),
};

const struct fmt_field fmt_thread_fields[] = {
	FMT_U32(fmt_thread, tid),
	FMT_U64S(fmt_thread, regs, FMT_NREGS),
	FMT_U64S(fmt_thread, fs_base, 1),
	FMT_U64S(fmt_thread, gs_base, 1),
	FMT_U64S(fmt_thread, sigmask, 1),
	FMT_U64S_U32(fmt_thread, ss_sp, 2, ss_flags),
	FMT_U64S(fmt_thread, clear_tid, 1),
	FMT_U64S(fmt_thread, robust_head, 2),
	FMT_U64S(fmt_thread, gregs, FMT_NGREGS),
};

const struct fmt_field fmt_fd_fields[] = {
	FMT_U32(fmt_fd, fd),
	FMT_U32(fmt_fd, kind),
	FMT_U32(fmt_fd, flags),
	FMT_U32(fmt_fd, fdflags),
	FMT_U64S(fmt_fd, offset, 1),
	FMT_BYTES(fmt_fd, path),
	FMT_U64S_U32(fmt_fd, dev, 4, mode),
	FMT_U64S_U32(fmt_fd, pipe_id, 1, pipe_write),
	FMT_BYTES(fmt_fd, data),
	FMT_U32(fmt_fd, pipe_size),
	FMT_U64S_U32(fmt_fd, peer, 1, sock_type),
	FMT_U64S(fmt_fd, state, 4),
	FMT_BYTES(fmt_fd, locks),
	FMT_U32(fmt_fd, share),
	FMT_BYTES(fmt_fd, addr),
	FMT_BYTES(fmt_fd, peer_addr),
};

const uint32_t fmt_nprocess_fields = sizeof(fmt_process_fields) /
    sizeof(fmt_process_fields[0]);
const uint32_t fmt_nthread_fields = sizeof(fmt_thread_fields) /
    sizeof(fmt_thread_fields[0]);
const uint32_t fmt_nfd_fields = sizeof(fmt_fd_fields) /
    sizeof(fmt_fd_fields[0]);

/*
 * The tables read consecutive members as one u64 array: that holds only if
 * the structs have no padding between them.
 */
_Static_assert(offsetof(struct fmt_thread, robust_len) ==
    offsetof(struct fmt_thread, robust_head) + 8, "robust pair");
_Static_assert(offsetof(struct fmt_thread, ss_size) ==
    offsetof(struct fmt_thread, ss_sp) + 8, "altstack pair");
_Static_assert(offsetof(struct fmt_fd, mtime_ns) ==
    offsetof(struct fmt_fd, dev) + 24, "stat run");
_Static_assert(sizeof(struct fmt_mm) == 11 * 8, "mm run");
_Static_assert(sizeof(struct fmt_sigaction) == 4 * 8, "sigaction run");
_Static_assert(sizeof(struct fmt_process) < 65536, "offsets fit u16");

uint32_t
fmt_field_len(const struct fmt_field *f)
{
	switch (f->type) {
	case FMT_FT_U32:
		return 4;
	case FMT_FT_U64S:
		return 8U * f->n64;
	case FMT_FT_U64S_U32:
		return 8U * f->n64 + 4;
	}
	return 0;
}

/* ---- /proc/PID/maps ---- */

/* Parses hex digits at *pp up to 'stop'; 0 when there were none. */
static int
fmt_maps_hex(const char **pp, const char *e, char stop, uint64_t *v)
{
	const char *p = *pp;
	uint64_t x = 0;
	int n = 0, d;

	for (; p < e && *p != stop; p++, n++) {
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			return 0;
		if (n >= 16)
			return 0;
		x = x << 4 | (uint64_t)d;
	}
	if (n == 0 || p == e)
		return 0;
	*pp = p + 1;
	*v = x;
	return 1;
}

static int
fmt_bytes_is(const char *p, size_t len, const char *s)
{
	size_t n = strlen(s);

	return len == n && memcmp(p, s, n) == 0;
}

int
fmt_option_ambiguous(const struct option *o, const char *arg)
{
	size_t len;
	int n = 0;

	if (strncmp(arg, "--", 2) != 0)
		return 0;
	arg += 2;
	len = strcspn(arg, "=");
	for (; o->name != NULL; o++)
		n += len > 0 && strncmp(o->name, arg, len) == 0;
	return n > 1;
}

int
fmt_parse_maps_line(const char *line, size_t len, struct fmt_region *r)
{
	const char *p = line, *e = line + len, *path;
	uint64_t start, end, off, maj, min, ino = 0;
	size_t plen;
	int digits = 0;

	memset(r, 0, sizeof(*r));
	while (e > p && (e[-1] == '\n' || e[-1] == '\0'))
		e--;
	if (!fmt_maps_hex(&p, e, '-', &start) ||
	    !fmt_maps_hex(&p, e, ' ', &end))
		return FMT_E_CORRUPT;
	if (e - p < 5 || p[4] != ' ')
		return FMT_E_CORRUPT;
	if ((p[0] != 'r' && p[0] != '-') || (p[1] != 'w' && p[1] != '-') ||
	    (p[2] != 'x' && p[2] != '-') || (p[3] != 's' && p[3] != 'p'))
		return FMT_E_CORRUPT;
	r->prot = (p[0] == 'r' ? 1 : 0) | (p[1] == 'w' ? 2 : 0) |
	    (p[2] == 'x' ? 4 : 0);	/* PROT_READ, PROT_WRITE, PROT_EXEC */
	if (p[3] == 's')
		r->flags |= FMT_R_SHARED;
	p += 5;
	if (!fmt_maps_hex(&p, e, ' ', &off) ||
	    !fmt_maps_hex(&p, e, ':', &maj) ||
	    !fmt_maps_hex(&p, e, ' ', &min))
		return FMT_E_CORRUPT;
	for (; p < e && *p >= '0' && *p <= '9'; p++, digits++) {
		if (__builtin_mul_overflow(ino, 10, &ino) ||
		    __builtin_add_overflow(ino, (uint64_t)(*p - '0'), &ino))
			return FMT_E_CORRUPT;
	}
	if (digits == 0 || (p < e && *p != ' '))
		return FMT_E_CORRUPT;
	while (p < e && *p == ' ')
		p++;
	path = p;
	plen = (size_t)(e - p);
	if (start >= end || (start | end) & (FMT_PAGE_SIZE - 1) ||
	    maj > UINT32_MAX || min > UINT32_MAX || plen > FMT_RECORD_MAX)
		return FMT_E_CORRUPT;

	r->start = start;
	r->end = end;
	r->offset = off;
	r->inode = ino;
	r->dev_major = (uint32_t)maj;
	r->dev_minor = (uint32_t)min;
	r->path.p = path;
	r->path.len = (uint32_t)plen;
	r->kind = FMT_K_MEMORY;

	/*
	 * Shared anonymous memory shows as a deleted /dev/zero and SysV
	 * shared memory as /SYSV<key>: neither has a file restart can reopen.
	 */
	if ((ino == 0 && (plen == 0 || path[0] == '[')) ||
	    fmt_bytes_is(path, plen, "/dev/zero (deleted)") ||
	    (plen >= 5 && memcmp(path, "/SYSV", 5) == 0))
		r->flags |= FMT_R_ANON;
	if (fmt_bytes_is(path, plen, "[vdso]"))
		r->kind = FMT_K_VDSO;
	else if (fmt_bytes_is(path, plen, "[vvar]"))
		r->kind = FMT_K_VVAR;
	else if (fmt_bytes_is(path, plen, "[vvar_vclock]"))
		r->kind = FMT_K_VVAR_VCLOCK;
	else if (fmt_bytes_is(path, plen, "[vsyscall]"))
		r->kind = FMT_K_VSYSCALL;
	else if (fmt_bytes_is(path, plen, "[stack]"))
		r->flags |= FMT_R_STACK;
	else if (fmt_bytes_is(path, plen, "[heap]"))
		r->flags |= FMT_R_HEAP;
	/* kernel pages: the new kernel provides its own */
	if (r->kind != FMT_K_MEMORY)
		r->flags |= FMT_R_NODATA;
	return 0;
}

int
fmt_parse_vmflags(const char *line, size_t len, uint32_t *advice)
{
	static const struct {
		char		name[3];
		uint32_t	bit;
	} known[] = {
		{ "hg", FMT_A_HUGEPAGE }, { "nh", FMT_A_NOHUGEPAGE },
		{ "dd", FMT_A_DONTDUMP }, { "mg", FMT_A_MERGEABLE },
		{ "wf", FMT_A_WIPEONFORK }, { "lo", FMT_A_LOCKED },
	};
	const char *p = line + 8, *e = line + len, *t;
	size_t i;

	if (len < 8 || memcmp(line, "VmFlags:", 8) != 0)
		return -1;
	*advice = 0;
	while (p < e) {
		/* two-letter mnemonics separated by spaces */
		while (p < e && (*p == ' ' || *p == '\n'))
			p++;
		for (t = p; p < e && *p != ' ' && *p != '\n'; p++)
			;
		if (p - t != 2)
			continue;
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (t[0] == known[i].name[0] &&
			    t[1] == known[i].name[1])
				*advice |= known[i].bit;
	}
	return 0;
}

/*
 * A socket address as stored in ADDR or PEER_ADDR, for people:
 * "127.0.0.1:80", "[::1]:80", "/run/x.sock", "@abstract"; "-" for bytes
 * that are no whole address of those families.  Copied out first: the
 * stored bytes need not be aligned.
 */
void
fmt_sockaddr_str(const struct fmt_bytes *b, char *out, size_t n)
{
	struct sockaddr_storage ss;
	const struct sockaddr_in *in = (const void *)&ss;
	const struct sockaddr_in6 *in6 = (const void *)&ss;
	const struct sockaddr_un *un = (const void *)&ss;
	size_t len = b->len, pl = len - offsetof(struct sockaddr_un, sun_path);
	char ip[INET6_ADDRSTRLEN];

	snprintf(out, n, "-");
	if (len <= sizeof(sa_family_t) || len > sizeof(ss))
		return;
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, b->p, len);
	if (ss.ss_family == AF_INET && len >= sizeof(*in)) {
		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof(ip));
		snprintf(out, n, "%s:%u", ip, ntohs(in->sin_port));
	} else if (ss.ss_family == AF_INET6 && len >= sizeof(*in6)) {
		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip));
		snprintf(out, n, "[%s]:%u", ip, ntohs(in6->sin6_port));
	} else if (ss.ss_family == AF_UNIX) {
		if (un->sun_path[0] == '\0')
			snprintf(out, n, "@%.*s", (int)pl - 1, un->sun_path + 1);
		else
			snprintf(out, n, "%.*s", (int)strnlen(un->sun_path, pl),
			    un->sun_path);
	}
}
