/*
 * rst_restorer.c - the freestanding phase of restart.
 *
 * Everything here lives in the section "rst_blob", which the hosted phase
 * copies into a gap that no image region and no mapping of restart's own
 * occupies, together with the plan, a stack and room for the vDSO:
 *
 *   blob:  [ rst_blob code | plan + arrays | stack | vDSO/vvar parking ]
 *   stage: [ region 0's contents | region 1's | ... ]   (already verified)
 *
 * It then turns restart's address space into the image's:
 *
 *   1. park the kernel's vvar/vDSO pages inside the blob (they may sit
 *      where an image region must go);
 *   2. unmap everything outside the blob and the stage: restart's binary,
 *      libc, heap, stack, threads' stacks, the mapped image file;
 *   3. move the parked vvar/vDSO to the image's addresses, so the
 *      program's cached vDSO pointers (clock_gettime) stay valid;
 *   4. move each staged region to its address (mremap moves page tables,
 *      not bytes) or map fresh memory for regions without contents, and
 *      give each its protection;
 *   5. unmap what is left of the stage; set the kernel's idea of brk,
 *      arguments and auxv (PR_SET_MM_MAP);
 *   6. fill libckpt's mailbox, recreate the other threads with clone, each
 *      in its saved context and TLS, and resume the main thread.
 *
 * Rules: no libc, no globals, no string constants, no stack protector, no
 * jump tables - nothing outside this section (t-rst-freestanding checks the
 * object).  System calls return -errno; any failure after step 2 cannot be
 * reported by the hosted phase, so it writes the plan's prefix and a step
 * number to stderr and exits with status 1.
 */
#include <stddef.h>
#include <stdint.h>
#include <asm/prctl.h>
#include <linux/prctl.h>
#include <linux/sched.h>
#include <sys/mman.h>

#include "rst.h"
#include "fmt_sys.h"

#define BLOB	__attribute__((section("rst_blob"), used, noinline))

#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE	1
#define MREMAP_FIXED	2
#endif

/*
 * rst_resume(thread): sets the thread's signal mask and jumps into its
 * saved context with %eax = 1.  rst_clone_resume(flags, thread, tls, tid):
 * clone(2) a thread that does the same; returns the new tid (or -errno)
 * in the caller.  Both are assembly: the child of clone runs on a stack we
 * do not own yet, so it may not touch the stack at all.
 */
void	rst_resume(const struct rst_thread *t) __attribute__((noreturn));
long	rst_clone_resume(unsigned long flags, const struct rst_thread *t,
	    uint64_t tls, uint64_t tid_addr);

__asm__(
	".pushsection rst_blob,\"ax\",@progbits\n"
	".globl rst_resume\n"
	".hidden rst_resume\n"
	".type rst_resume,@function\n"
	"rst_resume:\n"
	"	movq	%rdi, %r12\n"
	"1:	movl	$14, %eax\n"		/* rt_sigprocmask */
	"	movl	$2, %edi\n"		/* SIG_SETMASK */
	"	leaq	80(%r12), %rsi\n"	/* &t->sigmask */
	"	xorl	%edx, %edx\n"
	"	movl	$8, %r10d\n"
	"	syscall\n"
	"	movq	%r12, %rax\n"
	"	movq	0(%rax), %rbx\n"
	"	movq	8(%rax), %rbp\n"
	"	movq	16(%rax), %r12\n"
	"	movq	24(%rax), %r13\n"
	"	movq	32(%rax), %r14\n"
	"	movq	40(%rax), %r15\n"
	"	movq	48(%rax), %rsp\n"
	"	movq	56(%rax), %rcx\n"
	"	movl	$1, %eax\n"
	"	cld\n"
	"	jmp	*%rcx\n"
	".size rst_resume, .-rst_resume\n"

	".globl rst_clone_resume\n"
	".hidden rst_clone_resume\n"
	".type rst_clone_resume,@function\n"
	"rst_clone_resume:\n"
	"	pushq	%r12\n"
	"	movq	%rsi, %r12\n"		/* thread, kept in the child */
	"	movq	48(%rsi), %rsi\n"	/* its stack, less a red zone */
	"	subq	$256, %rsi\n"
	"	movq	%rcx, %r10\n"		/* child_tid */
	"	movq	%rdx, %r8\n"		/* tls */
	"	movq	%rcx, %rdx\n"		/* parent_tid */
	"	movl	$56, %eax\n"		/* clone */
	"	syscall\n"
	"	testq	%rax, %rax\n"
	"	jz	1b\n"			/* the child: resume */
	"	popq	%r12\n"
	"	ret\n"
	".size rst_clone_resume, .-rst_clone_resume\n"
	".popsection\n");

BLOB static uint32_t
rst_put_num(char *d, unsigned long v)
{
	char t[24];
	uint32_t k = 0, n = 0;

	do {
		t[k++] = '0' + v % 10;
		v /= 10;
	} while (v != 0);
	while (k > 0)
		d[n++] = t[--k];
	return n;
}

/* "restart: IMG: restoring failed at step N, errno E" and exit 1. */
BLOB static void
rst_die(const struct rst_plan *p, int step, long err)
{
	char msg[600];
	uint32_t n = 0, i;

	for (i = 0; i < p->errmsg_len && n < 500; i++)
		msg[n++] = p->errmsg[i];
	n += rst_put_num(msg + n, step);
	for (i = 0; i < p->errmid_len && n < 560; i++)
		msg[n++] = p->errmid[i];
	n += rst_put_num(msg + n, err < 0 ? -err : err);
	msg[n++] = '\n';
	sys_write(2, msg, n);
	sys_exit_group(1);
}

BLOB static void *
rst_at(const struct rst_plan *p, uint64_t off)
{
	return (char *)p + off;
}

/*
 * What madvise and mlock had said of the region.  Hints: one the kernel
 * refuses (no KSM, a memory lock limit) leaves the memory as it is.
 */
BLOB static void
rst_advise(const struct rst_move *m)
{
	void *dst = (void *)m->dst;

	if (m->advice & FMT_A_HUGEPAGE)
		sys_madvise(dst, m->len, MADV_HUGEPAGE);
	if (m->advice & FMT_A_NOHUGEPAGE)
		sys_madvise(dst, m->len, MADV_NOHUGEPAGE);
	if (m->advice & FMT_A_DONTDUMP)
		sys_madvise(dst, m->len, MADV_DONTDUMP);
	if (m->advice & FMT_A_MERGEABLE)
		sys_madvise(dst, m->len, MADV_MERGEABLE);
	if (m->advice & FMT_A_WIPEONFORK)
		sys_madvise(dst, m->len, MADV_WIPEONFORK);
	if (m->advice & FMT_A_LOCKED)
		sys_call2(SYS_mlock, (long)dst, (long)m->len);
}

BLOB static void
rst_move_memory(struct rst_plan *p)
{
	struct rst_move *m = rst_at(p, p->moves_off);
	uint32_t i;
	long r;

	for (i = 0; i < p->nmoves; i++, m++) {
		void *dst = (void *)m->dst;

		if (m->op == RST_M_MREMAP) {
			r = (long)sys_mremap((void *)m->src, m->len, m->len,
			    MREMAP_MAYMOVE | MREMAP_FIXED, dst);
			if (SYS_ERR(r))
				rst_die(p, 4, r);
		} else {
			r = (long)sys_mmap(dst, m->len, m->prot,
			    m->mflags | MAP_FIXED, -1, 0);
			if (SYS_ERR(r))
				rst_die(p, 5, r);
		}
		r = sys_mprotect(dst, m->len, m->prot);
		if (r < 0)
			rst_die(p, 6, r);
		rst_advise(m);
	}
}

BLOB __attribute__((noreturn)) void
rst_restore(struct rst_plan *p)
{
	struct rst_special *sp = rst_at(p, p->special_off);
	struct rst_range *un = rst_at(p, p->unmap_off);
	struct rst_thread *th = rst_at(p, p->threads_off);
	struct fmt_restore_info *mb;
	uint32_t i;
	long r;

	/* 1. park the vDSO pages inside the blob */
	for (i = 0; i < p->nspecial; i++) {
		r = (long)sys_mremap((void *)sp[i].cur, sp[i].len, sp[i].len,
		    MREMAP_MAYMOVE | MREMAP_FIXED, (void *)sp[i].tmp);
		if (SYS_ERR(r))
			rst_die(p, 1, r);
	}
	/* 2. nothing of restart remains but the blob and the stage */
	for (i = 0; i < p->nunmap; i++) {
		r = sys_munmap((void *)un[i].start, un[i].end - un[i].start);
		if (r < 0)
			rst_die(p, 2, r);
	}
	/* 3. the vDSO where the program expects it */
	for (i = 0; i < p->nspecial; i++) {
		r = (long)sys_mremap((void *)sp[i].tmp, sp[i].len, sp[i].len,
		    MREMAP_MAYMOVE | MREMAP_FIXED, (void *)sp[i].dst);
		if (SYS_ERR(r))
			rst_die(p, 3, r);
	}
	/* 4. memory */
	rst_move_memory(p);
	/* 5. */
	if (p->stage_len != 0)
		sys_munmap((void *)p->stage_addr, p->stage_len);
	if (p->have_mm) {
		p->mm.auxv = (uint64_t)rst_at(p, p->auxv_off);
		p->mm.exe_fd = p->exe_fd;
		r = sys_prctl(PR_SET_MM, PR_SET_MM_MAP, (unsigned long)&p->mm,
		    sizeof(p->mm), 0);
		if (r < 0 && p->exe_fd != -1) {
			p->mm.exe_fd = (uint32_t)-1;
			sys_prctl(PR_SET_MM, PR_SET_MM_MAP,
			    (unsigned long)&p->mm, sizeof(p->mm), 0);
		}
		if (p->exe_fd != -1)
			sys_close(p->exe_fd);
	}
	/* 6. libckpt's mailbox, then the threads */
	mb = (struct fmt_restore_info *)p->mailbox;
	if (mb != NULL) {
		mb->magic = FMT_RESTORE_MAGIC;
		mb->blob_addr = p->blob_addr;
		mb->blob_len = p->blob_len;
		mb->generation = p->generation;
		mb->pid = p->pid;
		mb->verbose = p->verbose;
		mb->threads_back = 0;
		mb->go = 0;
	}
	/* restart's robust list was in its TLS; libckpt sets the program's */
	sys_call2(SYS_set_robust_list, 0, 24);
	if (th[0].tid_addr != 0) {
		*(volatile int *)th[0].tid_addr = p->pid;
		sys_set_tid_address((void *)th[0].tid_addr);
	}
	for (i = 1; i < p->nthreads; i++) {
		unsigned long flags = CLONE_VM | CLONE_FS | CLONE_FILES |
		    CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
		    CLONE_SETTLS;

		if (th[i].tid_addr != 0)
			flags |= CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
		r = rst_clone_resume(flags, &th[i], th[i].fs_base,
		    th[i].tid_addr);
		if (r < 0)
			rst_die(p, 7, r);
	}
	sys_arch_prctl(ARCH_SET_FS, th[0].fs_base);
	if (th[0].gs_base != 0)
		sys_arch_prctl(ARCH_SET_GS, th[0].gs_base);
	rst_resume(&th[0]);
}
