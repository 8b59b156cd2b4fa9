/*
 * fmt_sys.h - raw Linux x86_64 system calls, shared by libckpt's checkpoint
 * path and restart's freestanding restorer.
 *
 * They return the kernel's value: a result, or -errno.  They never touch
 * errno or TLS, so they are safe in a signal handler, in a forked snapshot
 * whose other threads are gone, and after restart's libc is unmapped.
 * Everything is static inline and always inlined, so that code placed in
 * the restorer's own section carries its system calls with it.
 */
#ifndef CKPT_FMT_SYS_H
#define CKPT_FMT_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>

#define SYS_INLINE static inline __attribute__((always_inline, unused))

SYS_INLINE long
sys_call0(long n)
{
	long ret;

	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n)
	    : "rcx", "r11", "memory");
	return ret;
}

SYS_INLINE long
sys_call1(long n, long a1)
{
	long ret;

	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a1)
	    : "rcx", "r11", "memory");
	return ret;
}

SYS_INLINE long
sys_call2(long n, long a1, long a2)
{
	long ret;

	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a1), "S"(a2)
	    : "rcx", "r11", "memory");
	return ret;
}

SYS_INLINE long
sys_call3(long n, long a1, long a2, long a3)
{
	long ret;

	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a1), "S"(a2),
	    "d"(a3) : "rcx", "r11", "memory");
	return ret;
}

SYS_INLINE long
sys_call4(long n, long a1, long a2, long a3, long a4)
{
	long ret;
	register long r10 __asm__("r10") = a4;

	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a1), "S"(a2),
	    "d"(a3), "r"(r10) : "rcx", "r11", "memory");
	return ret;
}

SYS_INLINE long
sys_call5(long n, long a1, long a2, long a3, long a4, long a5)
{
	long ret;
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;

	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a1), "S"(a2),
	    "d"(a3), "r"(r10), "r"(r8) : "rcx", "r11", "memory");
	return ret;
}

SYS_INLINE long
sys_call6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	long ret;
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;

	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a1), "S"(a2),
	    "d"(a3), "r"(r10), "r"(r8), "r"(r9) : "rcx", "r11", "memory");
	return ret;
}

#define SYS_ERR(r)	((unsigned long)(r) > -4096UL)

SYS_INLINE long
sys_read(int fd, void *buf, size_t n)
{
	return sys_call3(SYS_read, fd, (long)buf, (long)n);
}

SYS_INLINE long
sys_write(int fd, const void *buf, size_t n)
{
	return sys_call3(SYS_write, fd, (long)buf, (long)n);
}

SYS_INLINE long
sys_pread(int fd, void *buf, size_t n, uint64_t off)
{
	return sys_call4(SYS_pread64, fd, (long)buf, (long)n, (long)off);
}

SYS_INLINE long
sys_pwrite(int fd, const void *buf, size_t n, uint64_t off)
{
	return sys_call4(SYS_pwrite64, fd, (long)buf, (long)n, (long)off);
}

SYS_INLINE long
sys_ftruncate(int fd, uint64_t len)
{
	return sys_call2(SYS_ftruncate, fd, (long)len);
}

SYS_INLINE long
sys_fcntl(int fd, int cmd, long arg)
{
	return sys_call3(SYS_fcntl, fd, cmd, arg);
}

SYS_INLINE long
sys_openat(int dfd, const char *path, int flags, int mode)
{
	return sys_call4(SYS_openat, dfd, (long)path, flags, mode);
}

SYS_INLINE long
sys_close(int fd)
{
	return sys_call1(SYS_close, fd);
}

SYS_INLINE long
sys_fsync(int fd)
{
	return sys_call1(SYS_fsync, fd);
}

SYS_INLINE long
sys_renameat(int ofd, const char *o, int nfd, const char *n)
{
	return sys_call4(SYS_renameat, ofd, (long)o, nfd, (long)n);
}

SYS_INLINE long
sys_unlinkat(int dfd, const char *path, int flags)
{
	return sys_call3(SYS_unlinkat, dfd, (long)path, flags);
}

SYS_INLINE void *
sys_mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
	return (void *)sys_call6(SYS_mmap, (long)addr, (long)len, prot, flags,
	    fd, off);
}

SYS_INLINE long
sys_munmap(void *addr, size_t len)
{
	return sys_call2(SYS_munmap, (long)addr, (long)len);
}

SYS_INLINE long
sys_mprotect(void *addr, size_t len, int prot)
{
	return sys_call3(SYS_mprotect, (long)addr, (long)len, prot);
}

SYS_INLINE void *
sys_mremap(void *old, size_t olen, size_t nlen, int flags, void *new_addr)
{
	return (void *)sys_call5(SYS_mremap, (long)old, (long)olen,
	    (long)nlen, flags, (long)new_addr);
}

SYS_INLINE long
sys_madvise(void *addr, size_t len, int advice)
{
	return sys_call3(SYS_madvise, (long)addr, (long)len, advice);
}

SYS_INLINE long
sys_getpid(void)
{
	return sys_call0(SYS_getpid);
}

SYS_INLINE long
sys_gettid(void)
{
	return sys_call0(SYS_gettid);
}

SYS_INLINE long
sys_tgkill(int tgid, int tid, int sig)
{
	return sys_call3(SYS_tgkill, tgid, tid, sig);
}

SYS_INLINE long
sys_futex(volatile int *uaddr, int op, int val, const void *ts)
{
	return sys_call4(SYS_futex, (long)uaddr, op, val, (long)ts);
}

SYS_INLINE long
sys_rt_sigprocmask(int how, const void *set, void *old)
{
	return sys_call4(SYS_rt_sigprocmask, how, (long)set, (long)old, 8);
}

SYS_INLINE long
sys_rt_sigaction(int sig, const void *act, void *old)
{
	return sys_call4(SYS_rt_sigaction, sig, (long)act, (long)old, 8);
}

SYS_INLINE long
sys_arch_prctl(int code, unsigned long addr)
{
	return sys_call2(SYS_arch_prctl, code, (long)addr);
}

SYS_INLINE long
sys_prctl(int op, unsigned long a2, unsigned long a3, unsigned long a4,
    unsigned long a5)
{
	return sys_call5(SYS_prctl, op, (long)a2, (long)a3, (long)a4,
	    (long)a5);
}

SYS_INLINE long
sys_set_tid_address(void *p)
{
	return sys_call1(SYS_set_tid_address, (long)p);
}

SYS_INLINE __attribute__((noreturn)) void
sys_exit(int code)
{
	for (;;)
		sys_call1(SYS_exit, code);
}

SYS_INLINE __attribute__((noreturn)) void
sys_exit_group(int code)
{
	for (;;)
		sys_call1(SYS_exit_group, code);
}

#endif /* CKPT_FMT_SYS_H */
