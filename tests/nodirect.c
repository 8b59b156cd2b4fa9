/*
 * nodirect PROGRAM [ARG ...] - runs PROGRAM where opening a file with
 * O_DIRECT fails with EINVAL, as on a filesystem without direct I/O (a
 * seccomp filter on open and openat; it is inherited across exec).  Exits
 * 99 if the filter cannot be installed or does not work.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#define ARG_LO(n)	(offsetof(struct seccomp_data, args) + 8 * (n))

int
main(int argc, char **argv)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_open, 3, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* openat: flags are argument 2; open: argument 1 */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(2)),
		BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(1)),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, O_DIRECT, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EINVAL),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: nodirect PROGRAM [ARG ...]\n");
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
		fprintf(stderr, "nodirect: seccomp: %s\n", strerror(errno));
		return 99;
	}
	fd = open("/dev/null", O_RDONLY | O_DIRECT);
	if (fd >= 0 || errno != EINVAL) {
		fprintf(stderr, "nodirect: O_DIRECT still opens\n");
		return 99;
	}
	if (open("/dev/null", O_RDONLY) < 0) {
		fprintf(stderr, "nodirect: plain open fails too\n");
		return 99;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "nodirect: %s: %s\n", argv[1], strerror(errno));
	return 99;
}
