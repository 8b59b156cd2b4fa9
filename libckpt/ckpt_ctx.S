/*
 * ckpt_ctx.S - the two pieces of libckpt that C cannot express.
 *
 * ckpt_ctx_save(regs): saves the callee-saved registers, the stack pointer
 * after return and the return address, in fmt_thread.regs order, and
 * returns 0.  restart resumes a thread by loading them back and jumping to
 * the return address with %eax = 1, so the call "returns twice".
 *
 * ckpt_spawn(fn, arg, stack_top, flags): raw clone(2) whose child starts on
 * stack_top and calls fn(arg), then exits with its result.  With flags 0
 * it is a fork that sends no SIGCHLD (the program's own wait() never sees
 * it); with CLONE_VM|CLONE_THREAD|... it is a thread that uses no libc.
 */
	.text
	.globl	ckpt_ctx_save
	.hidden	ckpt_ctx_save
	.type	ckpt_ctx_save, @function
ckpt_ctx_save:
	movq	%rbx, 0(%rdi)
	movq	%rbp, 8(%rdi)
	movq	%r12, 16(%rdi)
	movq	%r13, 24(%rdi)
	movq	%r14, 32(%rdi)
	movq	%r15, 40(%rdi)
	leaq	8(%rsp), %rax
	movq	%rax, 48(%rdi)
	movq	(%rsp), %rax
	movq	%rax, 56(%rdi)
	xorl	%eax, %eax
	ret
	.size	ckpt_ctx_save, .-ckpt_ctx_save

	.globl	ckpt_spawn
	.hidden	ckpt_spawn
	.type	ckpt_spawn, @function
ckpt_spawn:
	andq	$-16, %rdx
	subq	$16, %rdx
	movq	%rdi, 0(%rdx)		/* fn */
	movq	%rsi, 8(%rdx)		/* arg */
	movq	%rcx, %rdi		/* flags */
	movq	%rdx, %rsi		/* child stack */
	xorl	%edx, %edx		/* parent_tid */
	xorl	%r10d, %r10d		/* child_tid */
	xorl	%r8d, %r8d		/* tls */
	movl	$56, %eax		/* SYS_clone */
	syscall
	testq	%rax, %rax
	jnz	1f
	xorl	%ebp, %ebp
	popq	%rax
	popq	%rdi
	call	*%rax
	movl	%eax, %edi
	movl	$60, %eax		/* SYS_exit: ends only this task */
	syscall
	hlt
1:	ret
	.size	ckpt_spawn, .-ckpt_spawn

	.section .note.GNU-stack,"",@progbits
