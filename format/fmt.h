/*
 * fmt.h - the ckpt image container, defined once.
 *
 * Every program reads and writes images through this code: libckpt (the
 * writer, running in a forked snapshot of someone else's process), restart
 * and ckpt-inspect (readers).  The byte layout is specified in FORMAT.md;
 * this header is its C face.
 *
 * Invariants:
 *  - The writer never seeks: it hands bytes to a write callback in file
 *    order, so an image can go to a pipe.  It never allocates: the caller
 *    gives it a scratch buffer and the storage for the index.
 *  - The reader works on an image held in memory (mapped or read in whole),
 *    checks every length, count and offset against the buffer before use,
 *    and verifies each checksum before trusting what it covers.
 *  - Library code returns 0 or a negative code and never prints;
 *    fmt_strerror() turns a code into words.
 */
#ifndef CKPT_FMT_H
#define CKPT_FMT_H

#include <stddef.h>
#include <stdint.h>

#define FMT_VERSION_MAJOR	2
#define FMT_VERSION_MINOR	0
#define FMT_OLDEST_MAJOR	1	/* the oldest major read */

#define FMT_SKIPPABLE_MAGIC	0x184D2A5CU	/* zstd skippable frame, nibble C */
#define FMT_FILE_MAGIC		"CKPTIMG"	/* 8 bytes with its NUL */
#define FMT_CHUNK_MAX_LIMIT	(64U << 20)	/* largest chunk a reader accepts */
#define FMT_RECORD_MAX		(16U << 20)	/* largest metadata record */
#define FMT_NSIG		64
#define FMT_NREGS		8	/* resume context, see fmt_thread */
#define FMT_NGREGS		23	/* ucontext gregs, informative */

/*
 * Sizes of the fixed parts (FORMAT.md).  Every metadata record is a zstd
 * skippable frame: magic, length, type, reserved, body, checksum.
 */
#define FMT_ZSTD_MAGIC		0xFD2FB528U	/* an ordinary zstd frame */
#define FMT_REC_OVERHEAD	24	/* frame header 8 + type 4 + rsvd 4 + sum 8 */
#define FMT_HEADER_BODY		24
#define FMT_REGION_BODY		56	/* then path_len bytes of path */
#define FMT_REGION_ADVICE	4	/* 1.1: then u32 advice */
#define FMT_CHUNK_BODY		40
#define FMT_PAGES_BODY		40	/* 2.0: then npages u32 */
#define FMT_INDEX_BODY		32	/* then nregions entries */
#define FMT_INDEX_ENTRY		40
#define FMT_TRAILER_BODY	24
#define FMT_TRAILER_SIZE	48	/* the whole trailer frame, last in file */
#define FMT_PAGE_SIZE		4096
#define FMT_TLV_CRITICAL	0x0001	/* TLV flags: refuse if tag unknown */

/* Error codes: negative; -1..-4095 are -errno from the system. */
enum {
	FMT_OK = 0,
	FMT_E_TRUNCATED = -10001,	/* file ends early */
	FMT_E_NOT_CKPT = -10002,	/* not a ckpt image at all */
	FMT_E_VERSION = -10003,		/* newer major version */
	FMT_E_CHECKSUM = -10004,	/* a record's checksum does not match */
	FMT_E_DATA_CHECKSUM = -10005,	/* a chunk's data does not match its hash */
	FMT_E_CORRUPT = -10006,		/* structurally impossible value */
	FMT_E_LIMIT = -10007,		/* a count or size beyond what we accept */
	FMT_E_NOMEM = -10008,
	FMT_E_ZSTD = -10009,		/* zstd refused to (de)compress */
	FMT_E_ORDER = -10010,		/* writer API called out of order */
	FMT_E_SPACE = -10011,		/* caller-provided storage too small */
	FMT_E_UNKNOWN = -10012,		/* unknown critical record or field */
	FMT_E_INDEX = -10013,		/* index disagrees with the stream */
};

/* Record types (FORMAT.md "Records"). */
enum {
	FMT_REC_HEADER = 1,
	FMT_REC_PROCESS = 2,
	FMT_REC_THREAD = 3,
	FMT_REC_FD = 4,
	FMT_REC_REGION = 5,
	FMT_REC_CHUNK = 6,
	FMT_REC_INDEX = 7,
	FMT_REC_TRAILER = 8,
	FMT_REC_PAGES = 9,	/* 2.0: a chunk of scattered pages */
	/* types with this bit are optional: an older reader skips them */
	FMT_REC_OPTIONAL = 0x8000,
};

/* A byte string inside an image or a caller's memory; not NUL-terminated. */
struct fmt_bytes {
	const void	*p;
	uint32_t	 len;
};

/* Kernel mm fields, as /proc/PID/stat shows them (PR_SET_MM_MAP order). */
struct fmt_mm {
	uint64_t	start_code, end_code, start_data, end_data;
	uint64_t	start_brk, brk, start_stack;
	uint64_t	arg_start, arg_end, env_start, env_end;
};

/* A kernel struct sigaction, as rt_sigaction(2) sees it. */
struct fmt_sigaction {
	uint64_t	handler, flags, restorer, mask;
};

/* Process record fields; FMT_P_* bits in 'present' say which were given. */
enum {
	FMT_P_VERSION = 1 << 0,		/* libckpt version string */
	FMT_P_CTIME = 1 << 1,		/* creation time, ns since the epoch */
	FMT_P_HOSTNAME = 1 << 2,
	FMT_P_KERNEL = 1 << 3,		/* uname release */
	FMT_P_PID = 1 << 4,
	FMT_P_CMDLINE = 1 << 5,		/* NUL-separated, as /proc/PID/cmdline */
	FMT_P_EXE = 1 << 6,
	FMT_P_CWD = 1 << 7,
	FMT_P_UMASK = 1 << 8,
	FMT_P_MM = 1 << 9,
	FMT_P_AUXV = 1 << 10,
	FMT_P_SIGACTIONS = 1 << 11,
	FMT_P_RESTORE_INFO = 1 << 12,	/* address of libckpt's mailbox */
	FMT_P_TID_OFFSET = 1 << 13,	/* tid field offset from fs base */
	FMT_P_CKPT_SIGNAL = 1 << 14,	/* libckpt's trigger signal */
};

struct fmt_process {
	uint32_t		present;
	struct fmt_bytes	version, hostname, kernel, cmdline, exe, cwd, auxv;
	uint64_t		ctime_ns;
	uint32_t		pid, umask, ckpt_signal;
	struct fmt_mm		mm;
	struct fmt_sigaction	sig[FMT_NSIG];	/* index = signal number - 1 */
	uint64_t		restore_info;
	uint64_t		tid_offset;
};

/*
 * A thread.  regs[] is the context restart resumes it in: the state saved
 * by libckpt's ckpt_ctx_save(), in this order.
 */
enum { FMT_RBX, FMT_RBP, FMT_R12, FMT_R13, FMT_R14, FMT_R15, FMT_RSP, FMT_RIP };

enum {
	FMT_T_TID = 1 << 0,
	FMT_T_REGS = 1 << 1,
	FMT_T_FS_BASE = 1 << 2,
	FMT_T_GS_BASE = 1 << 3,
	FMT_T_SIGMASK = 1 << 4,
	FMT_T_ALTSTACK = 1 << 5,
	FMT_T_CLEAR_TID = 1 << 6,
	FMT_T_ROBUST = 1 << 7,
	FMT_T_GREGS = 1 << 8,		/* interrupted context, informative */
};

struct fmt_thread {
	uint32_t	present;
	uint32_t	tid;
	uint64_t	regs[FMT_NREGS];
	uint64_t	fs_base, gs_base;
	uint64_t	sigmask;
	uint64_t	ss_sp, ss_size;
	uint32_t	ss_flags;
	uint64_t	clear_tid;
	uint64_t	robust_head, robust_len;
	uint64_t	gregs[FMT_NGREGS];	/* REG_R8 .. REG_CR2 order */
};

/* Open file descriptions (issue 4). */
enum {
	FMT_FD_FILE = 1,	/* regular file: reopened by path */
	FMT_FD_DIR = 2,
	FMT_FD_PIPE = 3,	/* a pipe end; both ends in the process */
	FMT_FD_DEV = 4,		/* a character device restart can reopen */
	FMT_FD_TTY = 5,
	FMT_FD_SOCKET = 6,
	FMT_FD_OTHER = 7,	/* cannot be restored */
	FMT_FD_DELETED = 8,	/* 1.2: a regular file deleted while open;
				   DATA holds its contents */
	FMT_FD_EPOLL = 9,	/* 1.3: DATA holds its interest list */
	FMT_FD_EVENTFD = 10,	/* 1.3: STATE: count, semaphore */
	FMT_FD_TIMERFD = 11,	/* 1.3: STATE: clock, value, interval */
	FMT_FD_SIGNALFD = 12,	/* 1.3: STATE: signal mask */
	FMT_FD_INOTIFY = 13,	/* 1.4: DATA holds its watches */
};

/* One watch of an inotify descriptor in DATA: FMT_INOTIFY_HEAD bytes, u32
 * wd, u32 mask, u64 inode, u64 device (st_dev), u32 path length, u32 0,
 * then the path, zero-padded to a multiple of 8 bytes. */
#define FMT_INOTIFY_HEAD	32

/* One entry of an epoll descriptor's interest list, FMT_EPOLL_ENTRY bytes
 * in DATA: u32 fd, u32 events, u64 data, u64 the watched file's inode. */
#define FMT_EPOLL_ENTRY		24

/* One file lock in LOCKS, FMT_LOCK_ENTRY bytes: u32 FMT_LOCK_*, u32 1 read
 * or 2 write, u64 first byte, u64 last byte (UINT64_MAX: to the end). */
#define FMT_LOCK_ENTRY		24
enum {
	FMT_LOCK_FLOCK = 1,	/* flock(2): the open file description's */
	FMT_LOCK_POSIX = 2,	/* fcntl F_SETLK: the process's */
	FMT_LOCK_OFD = 3,	/* fcntl F_OFD_SETLK: the description's */
};

enum {
	FMT_F_FD = 1 << 0,
	FMT_F_KIND = 1 << 1,
	FMT_F_FLAGS = 1 << 2,	/* open flags (O_ACCMODE, O_APPEND, ...) */
	FMT_F_FDFLAGS = 1 << 3,	/* FD_CLOEXEC */
	FMT_F_OFFSET = 1 << 4,
	FMT_F_PATH = 1 << 5,
	FMT_F_STAT = 1 << 6,	/* dev, ino, mode, size, mtime_ns */
	FMT_F_PIPE = 1 << 7,	/* pipe id, write end or not */
	FMT_F_DATA = 1 << 8,	/* unread pipe / deleted file contents */
	FMT_F_PIPE_SIZE = 1 << 9,	/* 1.2: the pipe's capacity */
	FMT_F_PEER = 1 << 10,	/* 1.3: a socket's peer in the process */
	FMT_F_STATE = 1 << 11,	/* 1.3: kernel object state, by kind */
	FMT_F_LOCKS = 1 << 12,	/* 1.3: file locks held through it */
	FMT_F_SHARE = 1 << 13,	/* 1.4: a dup of an earlier record's */
	FMT_F_ADDR = 1 << 14,	/* 1.4: a socket's own address */
	FMT_F_PEER_ADDR = 1 << 15,	/* 1.4: its peer's address */
};

/* An ADDR or PEER_ADDR for people ("127.0.0.1:80", "/run/x.sock"). */
#define FMT_SOCKADDR_STR	128	/* "@" and 107 bytes of sun_path at most */
void	fmt_sockaddr_str(const struct fmt_bytes *b, char *out, size_t n);

/* A SOCKET's STATE (1.4): domain, type, protocol and these bits. */
enum {
	FMT_SK_LISTEN = 1 << 0,		/* listen(2) was called */
	FMT_SK_REUSEADDR = 1 << 1,
	FMT_SK_REUSEPORT = 1 << 2,
	FMT_SK_V6ONLY = 1 << 3,
	FMT_SK_NODELAY = 1 << 4,	/* TCP_NODELAY */
	FMT_SK_KEEPALIVE = 1 << 5,
	FMT_SK_BROADCAST = 1 << 6,
	FMT_SK_BOUND = 1 << 7,		/* ADDR names a bound address */
	FMT_SK_CONNECTED = 1 << 8,	/* PEER_ADDR names its peer */
};

struct fmt_fd {
	uint32_t		present;
	int32_t			fd;
	uint32_t		kind;
	uint32_t		flags, fdflags;
	uint64_t		offset;
	struct fmt_bytes	path;
	uint64_t		dev, ino, size, mtime_ns;
	uint32_t		mode;
	uint64_t		pipe_id;
	uint32_t		pipe_write;
	struct fmt_bytes	data;
	uint32_t		pipe_size;	/* F_GETPIPE_SZ */
	uint64_t		peer;		/* peer socket's inode */
	uint32_t		sock_type;	/* SOCK_STREAM, ... */
	uint64_t		state[4];	/* FMT_FD_EVENTFD, ... */
	struct fmt_bytes	locks;		/* FMT_LOCK_ENTRY each */
	int32_t			share;		/* the descriptor it shares */
	struct fmt_bytes	addr, peer_addr;	/* struct sockaddr */
	/* set by the reader, not stored: */
	uint32_t		share_idx;	/* index of share's record */
};

/* Region flags. */
enum {
	FMT_R_SHARED = 1 << 0,	/* MAP_SHARED ('s' in maps) */
	FMT_R_ANON = 1 << 1,	/* no backing file */
	FMT_R_NODATA = 1 << 2,	/* contents not stored (kernel pages) */
	FMT_R_STACK = 1 << 3,	/* [stack]: grows down */
	FMT_R_HEAP = 1 << 4,	/* [heap] */
};

/* Region kinds: what restart must do with it. */
enum {
	FMT_K_MEMORY = 0,	/* ordinary memory: contents in chunks */
	FMT_K_VDSO = 1,
	FMT_K_VVAR = 2,
	FMT_K_VVAR_VCLOCK = 3,
	FMT_K_VSYSCALL = 4,
};

/*
 * Region advice (FORMAT.md, 1.1): what madvise(2) and mlock(2) said of the
 * memory, from the VmFlags of /proc/PID/smaps.  Hints, so a reader may
 * ignore bits it does not know.
 */
#define FMT_A_HUGEPAGE		0x01	/* hg: MADV_HUGEPAGE */
#define FMT_A_NOHUGEPAGE	0x02	/* nh: MADV_NOHUGEPAGE */
#define FMT_A_DONTDUMP		0x04	/* dd: MADV_DONTDUMP */
#define FMT_A_MERGEABLE		0x08	/* mg: MADV_MERGEABLE */
#define FMT_A_WIPEONFORK	0x10	/* wf: MADV_WIPEONFORK */
#define FMT_A_LOCKED		0x20	/* lo: mlock */
#define FMT_A_ALL		0x3f

struct fmt_region {
	uint64_t		start, end;	/* [start, end), page aligned */
	uint64_t		offset;		/* file offset, as in maps */
	uint64_t		inode;
	uint32_t		dev_major, dev_minor;
	uint32_t		prot;		/* PROT_READ|PROT_WRITE|PROT_EXEC */
	uint32_t		flags;		/* FMT_R_* */
	uint32_t		kind;		/* FMT_K_* */
	struct fmt_bytes	path;		/* path or [pseudo-name], may be empty */
	uint32_t		advice;		/* FMT_A_* (1.1; 0 in 1.0) */
	/* Filled by the reader from the index: */
	uint64_t		record_off;	/* file offset of the REGION frame */
	uint64_t		stored_bytes;	/* compressed frame bytes */
	uint64_t		zero_bytes;	/* bytes recorded as holes */
	uint32_t		nchunks;
	uint32_t		first_chunk;	/* index into fmt_image.chunks */
};

/*
 * A chunk: raw_len bytes at 'offset' within region 'region', stored as one
 * zstd frame of stored_len bytes.  Bytes of a region covered by no chunk are
 * holes: zeros.
 *
 * A chunk of scattered pages (2.0, a PAGES record) has npages > 0: its
 * raw_len bytes are npages pages, page i of which belongs at region offset
 * 'offset + FMT_PAGE_SIZE * n_i', n_i being the little-endian u32 at
 * pages + 4 * i (fmt_chunk_page()).  n_0 is 0 and the n_i increase.
 * With npages 0 the raw bytes lie one after another from 'offset'.
 */
struct fmt_chunk {
	uint32_t	region;
	uint32_t	raw_len;
	uint64_t	offset;
	uint32_t	stored_len;
	uint64_t	raw_hash;	/* XXH3-64 of the raw bytes */
	uint64_t	stored_hash;	/* XXH3-64 of the zstd frame */
	uint32_t	npages;		/* 0, or a PAGES chunk's pages */
	const uint8_t	*pages;		/* npages LE u32 (reader: in the
					 * image buffer) */
	/* Filled by the reader: */
	const uint8_t	*frame;		/* points into the image buffer */
	uint64_t	 file_off;	/* offset of the zstd frame */
};

/* ---- common (fmt_common.c) ---- */
const char	*fmt_strerror(int code);
uint64_t	 fmt_hash(const void *p, size_t len);
/*
 * Checks a PAGES chunk's page list (FORMAT.md "PAGES") against a region of
 * region_len bytes: FMT_E_CORRUPT or 0, with *end past its last page.
 */
int		 fmt_check_pages(const struct fmt_chunk *c,
		    uint64_t region_len, uint64_t *end);
/*
 * For restart's and ckpt-inspect's command lines: whether arg ("--ver")
 * is the start of more than one of opts' long option names, which
 * getopt_long reports as it reports an unknown option.
 */
struct option;
int		 fmt_option_ambiguous(const struct option *opts,
		    const char *arg);
/* Parses one /proc/PID/maps line into r (path points into line). */
int		 fmt_parse_maps_line(const char *line, size_t len,
		    struct fmt_region *r);
/*
 * Parses the "VmFlags: rd wr mr ..." line of /proc/PID/smaps into FMT_A_*
 * bits; -1 if the line is not one.
 */
int		 fmt_parse_vmflags(const char *line, size_t len,
		    uint32_t *advice);

/* ---- writer (fmt_write.c) ---- */
typedef int	(*fmt_write_fn)(void *arg, const void *buf, size_t len);

struct fmt_index_entry {
	uint64_t	record_off, data_end, stored_bytes, zero_bytes;
	uint32_t	nchunks;
};

struct fmt_writer {
	fmt_write_fn		 write;		/* returns 0 or -errno */
	void			*arg;
	uint8_t			*scratch;	/* record assembly */
	size_t			 scratch_len;
	struct fmt_index_entry	*idx;
	uint32_t		 idx_cap;
	uint32_t		 chunk_max;
	uint64_t		 off;		/* bytes written so far */
	uint32_t		 nregions, nthreads;
	int			 state;		/* where in the stream we are */
	uint64_t		 next_chunk_off;/* region offset a chunk may start */
	uint64_t		 region_len;
	uint64_t		 total_raw, total_stored, total_zero;
	int			 err;		/* first error, sticky */
	uint64_t		 prev_end;	/* end of the previous region */
};

void	fmt_writer_init(struct fmt_writer *w, fmt_write_fn fn, void *arg,
	    void *scratch, size_t scratch_len, struct fmt_index_entry *idx,
	    uint32_t idx_cap, uint32_t chunk_max);
int	fmt_write_header(struct fmt_writer *w);
int	fmt_write_process(struct fmt_writer *w, const struct fmt_process *p);
int	fmt_write_thread(struct fmt_writer *w, const struct fmt_thread *t);
int	fmt_write_fd(struct fmt_writer *w, const struct fmt_fd *f);
int	fmt_write_region(struct fmt_writer *w, const struct fmt_region *r);
int	fmt_write_chunk(struct fmt_writer *w, const struct fmt_chunk *c,
	    const void *frame);
int	fmt_write_end(struct fmt_writer *w);
/*
 * Writes an optional record (type has FMT_REC_OPTIONAL) that readers which
 * do not know it skip: any time after the process record, before the end.
 */
int	fmt_write_record(struct fmt_writer *w, uint32_t type, const void *body,
	    uint32_t len);

/*
 * Chunk compression, separate from the stream so that many threads can
 * compress while one writes.  Thread-safe given one cctx per thread.
 * fmt_cctx_setup() sets the level and the frame parameters the format
 * requires; fmt_cctx_size() is the size of a static context for it
 * (ZSTD_initStaticCCtx) that compresses chunks of up to max_raw bytes.
 * fmt_chunk_compress() fills c->raw_len, stored_len, raw_hash,
 * stored_hash; the caller sets region and offset.
 */
struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;
int	fmt_cctx_setup(struct ZSTD_CCtx_s *cctx, int level);
size_t	fmt_cctx_size(int level, uint32_t max_raw);
size_t	fmt_chunk_bound(uint32_t raw_len);
int	fmt_chunk_compress(struct ZSTD_CCtx_s *cctx, const void *src,
	    uint32_t raw_len, void *dst, size_t dst_cap, struct fmt_chunk *c);

/* ---- reader (fmt_read.c) ---- */
struct fmt_error {
	int		code;
	int64_t		region;		/* -1 when not about a region */
	int64_t		chunk;		/* index within the region, or -1 */
	uint64_t	file_off;	/* where in the file */
	const char	*what;		/* static: "header", "index", ... */
	uint16_t	found_major, found_minor;	/* FMT_E_VERSION */
	struct fmt_bytes path;		/* the region's path, when region >= 0 */
};

struct fmt_walk;
struct fmt_image {
	const uint8_t		*buf;
	size_t			 len;
	uint16_t		 major, minor;
	uint32_t		 chunk_max, page_size;
	struct fmt_process	 proc;
	struct fmt_thread	*threads;
	uint32_t		 nthreads;
	struct fmt_fd		*fds;
	uint32_t		 nfds;
	struct fmt_region	*regions;
	uint32_t		 nregions;
	struct fmt_chunk	*chunks;
	uint32_t		 nchunks;
	uint64_t		 total_raw, total_stored, total_zero;
	struct fmt_error	 err;
	unsigned		 flags;		/* FMT_OPEN_* */
	struct fmt_walk		*walk;		/* between begin and finish */
};

/*
 * Validates the whole structure: header, every record's checksum, every
 * zstd frame's stored hash, the index against the stream, the trailer.
 * Does not decompress.  On failure img->err says what and where.
 */
int	fmt_image_open(struct fmt_image *img, const void *buf, size_t len);
/*
 * FMT_OPEN_LAZY_FRAMES: check everything but the chunks' zstd frames, which
 * the caller reads itself (restart preads them into a buffer it reuses)
 * and passes to fmt_chunk_decompress_frame(), which checks their stored
 * hash first.  fmt_chunk_decompress() must not be used on an image
 * opened this way; fmt_image_verify() knows.
 */
#define FMT_OPEN_LAZY_FRAMES	1U
int	fmt_image_open_flags(struct fmt_image *img, const void *buf,
	    size_t len, unsigned flags);
/*
 * Opening in two steps, for a caller that uses each chunk while the rest of
 * the file is still being read (restart):
 * fmt_image_begin() checks the header, the trailer and the index, reads
 * the records before the first region (process, threads, fds) and every
 * REGION record an index entry points to.  img->regions then hold each
 * region with nchunks, stored_bytes, zero_bytes and first_chunk from its
 * index entry, not yet compared with the stream; img->chunks is empty.
 * fmt_image_finish() walks the rest of the stream as fmt_image_open()
 * does and calls fn (unless NULL) with each chunk once its record has been
 * checked, in file order; a non-zero return (an FMT_E_* code) stops the
 * walk with that error.  It refuses a stream that disagrees with what
 * begin read.  Either step frees everything when it fails; img->err says
 * why.  fmt_image_open_flags() is begin then finish without fn.
 */
typedef int	(*fmt_chunk_fn)(void *arg, const struct fmt_image *img,
		    const struct fmt_chunk *c);
int	fmt_image_begin(struct fmt_image *img, const void *buf, size_t len,
	    unsigned flags);
int	fmt_image_finish(struct fmt_image *img, fmt_chunk_fn fn, void *arg);
void	fmt_image_close(struct fmt_image *img);
/* Decompresses chunk c into dst (c->raw_len bytes) and checks raw_hash. */
int	fmt_chunk_decompress(struct ZSTD_DCtx_s *dctx,
	    const struct fmt_chunk *c, void *dst, size_t dst_cap);
/* The same from a copy of the chunk's frame: checks stored_hash first. */
int	fmt_chunk_decompress_frame(struct ZSTD_DCtx_s *dctx,
	    const struct fmt_chunk *c, const void *frame, void *dst,
	    size_t dst_cap);
/* Decompresses and checks every chunk; on failure img->err says where. */
int	fmt_image_verify(struct fmt_image *img);
/*
 * One line for people: "region 3 [heap]: checksum mismatch at chunk 7",
 * "image format version 3.0 is newer than this ckpt supports (1.x to 2.x)", ...
 */
void	fmt_describe_error(const struct fmt_image *img, char *buf, size_t n);

/*
 * The mailbox through which restart hands over to the restored libckpt.
 * libckpt owns one in its data; its address is the process record's
 * restore_info.  restart writes it after restoring memory, before resuming.
 */
#define FMT_RESTORE_MAGIC	0x636b70745253544fULL	/* "ckptRSTO" */
struct fmt_restore_info {
	uint64_t	magic;
	uint64_t	blob_addr, blob_len;	/* restorer leftovers to unmap */
	uint64_t	generation;		/* restarts so far */
	int32_t		pid;			/* the new process id */
	int32_t		verbose;
	/* restart zeroes these; restored threads meet through them */
	int32_t		threads_back;		/* threads resumed so far */
	int32_t		go;			/* set when all may return */
};

/*
 * ---- shared by fmt_read.c and fmt_write.c (fmt_common.c) ----
 * Explicit little-endian loads and stores: the format never depends on the
 * host's byte order or on struct layout.
 */
static inline uint16_t
fmt_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
fmt_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static inline uint64_t
fmt_le64(const uint8_t *p)
{
	return (uint64_t)fmt_le32(p) | (uint64_t)fmt_le32(p + 4) << 32;
}

static inline void
fmt_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void
fmt_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void
fmt_put64(uint8_t *p, uint64_t v)
{
	fmt_put32(p, (uint32_t)v);
	fmt_put32(p + 4, (uint32_t)(v >> 32));
}

/*
 * Region offset of page i of a PAGES chunk.  A caller that writes there
 * checks the result against its region again if the buffer the reader
 * checked could have changed since (a shared mapping of the file).
 */
static inline uint64_t
fmt_chunk_page(const struct fmt_chunk *c, uint32_t i)
{
	return c->offset + (uint64_t)FMT_PAGE_SIZE *
	    fmt_le32(c->pages + 4 * (size_t)i);
}

/*
 * TLV field tables: entry i describes the field with tag i + 1, whose bit in
 * 'present' is 1 << i.  A value is n64 u64s at 'off' in the struct, followed
 * for FMT_FT_U64S_U32 by one u32 at 'off32'; or one u32; or a fmt_bytes.
 */
enum { FMT_FT_U32 = 1, FMT_FT_U64S, FMT_FT_U64S_U32, FMT_FT_BYTES };

struct fmt_field {
	uint8_t		type;
	uint16_t	n64;
	uint16_t	off, off32;
};

extern const struct fmt_field	fmt_process_fields[];
extern const struct fmt_field	fmt_thread_fields[];
extern const struct fmt_field	fmt_fd_fields[];
extern const uint32_t		fmt_nprocess_fields, fmt_nthread_fields,
				fmt_nfd_fields;
/* The value length a field must have; 0 for bytes (any length). */
uint32_t	fmt_field_len(const struct fmt_field *f);

#endif /* CKPT_FMT_H */
