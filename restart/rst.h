/*
 * rst.h - restart's private header, prototypes grouped by the file that
 * defines them.
 *
 * restart works in two phases.  The hosted phase (rst_main.c, rst_plan.c)
 * has libc, threads and error messages: it validates the image, maps each
 * region's future contents at a staging address that collides with
 * nothing, decompresses and verifies every chunk there, and fills in one
 * struct rst_plan.  Nothing irreversible happens before the plan is
 * complete.  The freestanding phase (rst_restorer.c) is a copy of the
 * restorer's code placed in a gap of its own; it receives the plan, unmaps
 * everything else, moves the staged memory and the vDSO to their final
 * addresses and resumes the program's threads.  It can only perform
 * system calls: the plan must say everything.
 */
#ifndef CKPT_RST_H
#define CKPT_RST_H

#include <stdint.h>

#include "fmt.h"

#define RST_MAX_SPECIAL		4	/* [vvar] [vvar_vclock] [vdso] ... */
#define RST_STACK_SIZE		(64UL << 10)
#define RST_TASK_SIZE		0x7ffffffff000UL
#define RST_STACK_GROW		(8UL << 20)	/* kept clear below [stack] */

/* A move of memory into its final place, in the order performed. */
enum {
	RST_M_MREMAP = 1,	/* staged at src: move to dst */
	RST_M_MAP = 2,		/* fresh anonymous memory at dst */
};

struct rst_move {
	uint64_t	src, dst, len;
	uint32_t	op;
	uint32_t	prot;
	uint32_t	mflags;	/* mmap flags for RST_M_MAP */
	uint32_t	advice;	/* FMT_A_*, applied once in place */
};

struct rst_range {
	uint64_t	start, end;
};

/* The kernel's vDSO pages: moved out of the way, then to the image's. */
struct rst_special {
	uint64_t	cur, tmp, dst, len;
};

struct rst_thread {
	uint64_t	regs[FMT_NREGS];
	uint64_t	fs_base, gs_base;
	uint64_t	sigmask;
	uint64_t	tid_addr;	/* glibc's tid field, or 0 */
};

/* Kernel struct prctl_mm_map (PR_SET_MM_MAP). */
struct rst_mm_map {
	uint64_t	start_code, end_code, start_data, end_data;
	uint64_t	start_brk, brk, start_stack;
	uint64_t	arg_start, arg_end, env_start, env_end;
	uint64_t	auxv;
	uint32_t	auxv_size;
	uint32_t	exe_fd;
};

/*
 * Everything the restorer needs.  It lives inside the blob; the arrays
 * follow it, found by their offsets from the plan's own address.
 */
struct rst_plan {
	uint64_t		blob_addr, blob_len;
	uint64_t		stage_addr, stage_len;
	uint32_t		nspecial, nunmap, nmoves, nthreads;
	uint64_t		special_off, unmap_off, moves_off, threads_off;
	struct rst_mm_map	mm;
	int32_t			have_mm;
	int32_t			pid;
	uint64_t		auxv_off;
	uint64_t		mailbox;	/* struct fmt_restore_info */
	uint64_t		generation;
	int32_t			verbose;
	int32_t			exe_fd;
	char			errmsg[512];	/* "restart: IMG: ... step " */
	uint32_t		errmsg_len;
	char			errmid[16];	/* ", errno " */
	uint32_t		errmid_len;
};

/* rst_main.c */
extern const char	*rst_prog;
extern int		 rst_verbose;
extern int		 rst_stdio_closed;	/* bit n: fd n was closed */
void	rst_say(const char *img, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	rst_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int	rst_shrank(const char *img, int fd, uint64_t len);
void	rst_stack_done(void);
const char *rst_cstr(const struct fmt_bytes *b, char *buf, size_t n);

/* rst_fds.c */
struct rst_fd {
	const struct fmt_fd	*f;
	int			 prepared;	/* or RST_FD_*, below */
	int			 dead;		/* a placeholder: warn */
	int			 lost;		/* inotify watches not made */
	int			 partial;	/* a deleted file made again
						   from its mappings alone */
	char			*why;		/* why dead, if known */
};
enum {
	RST_FD_STDIO = -1,	/* 0-2: restart's own, left as they are */
	RST_FD_TODO = -2,	/* to be made */
	RST_FD_SHARED = -3,	/* to be a copy of another record's */
};
/* Whether the record's descriptor is made from its own record. */
#define RST_FD_OWN(d)	((d)->prepared != RST_FD_STDIO && \
	(d)->prepared != RST_FD_SHARED)
int	rst_lift(int fd, int floor);
int	rst_memfd_for(const struct fmt_bytes *path, const char *dflt,
	    uint64_t size);
int	rst_fds_prepare(const char *img_path, const struct fmt_image *img,
	    struct rst_fd **out);
void	rst_fds_warn(const char *img_path, const struct fmt_image *img,
	    const struct rst_fd *fds);
int	rst_fds_install(const char *img_path, const struct fmt_image *img,
	    struct rst_fd *fds);

/* rst_kfds.c */
int	rst_open_inotify(const char *img, struct rst_fd *d, int floor);
int	rst_open_socket(struct rst_fd *d, int floor);
int	rst_open_sockpair(const char *img, struct rst_fd *fds, uint32_t n,
	    uint32_t i, int floor);
int	rst_open_kobj(const char *img, const struct fmt_fd *f, int floor);
void	rst_fds_epoll(const char *img_path, const struct fmt_image *img,
	    const struct rst_fd *fds);
int	rst_locks_take(const char *img, const struct fmt_fd *f, int fd,
	    int late);

/* rst_plan.c */
int	rst_restore_image(const char *path, struct fmt_image *img,
	    int img_fd);

/* rst_restorer.c (copied into the blob; see rst_blob_*) */
extern const char	__start_rst_blob[], __stop_rst_blob[];
void	rst_restore(struct rst_plan *plan) __attribute__((noreturn));

#endif /* CKPT_RST_H */
