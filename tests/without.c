/*
 * without FEATURE[,FEATURE] PROGRAM [ARG ...] - runs PROGRAM as on a
 * system that lacks FEATURE, through a seccomp filter (inherited across
 * exec):
 *   o_direct      opening a file with O_DIRECT fails with EINVAL, as on a
 *                 filesystem without direct I/O
 *   pagemap_scan  the PAGEMAP_SCAN ioctl fails with ENOTTY, as before
 *                 Linux 6.7
 * It checks that the feature is really refused before running PROGRAM,
 * and exits 99 if not, or if the filter cannot be installed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#define ARG_LO(n)	(offsetof(struct seccomp_data, args) + 8 * (n))
#define NR		offsetof(struct seccomp_data, nr)
/* _IOWR('f', 16, struct pm_scan_arg), which is 96 bytes */
#define PAGEMAP_SCAN_NR	_IOWR('f', 16, uint64_t[12])

#define LD(off)		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define JEQ(k, t, f)	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (t), (f))
#define RET(k)		BPF_STMT(BPF_RET | BPF_K, (k))

static int
install(int no_direct, int no_scan)
{
	struct sock_filter f[] = {
		LD(offsetof(struct seccomp_data, arch)),
		JEQ(AUDIT_ARCH_X86_64, 1, 0),
		RET(SECCOMP_RET_ALLOW),
		LD(NR),
		JEQ(SYS_openat, 3, 0),		/* to 8 */
		JEQ(SYS_open, 4, 0),		/* to 10 */
		JEQ(SYS_ioctl, 7, 0),		/* to 14 */
		RET(SECCOMP_RET_ALLOW),
		/* 8: openat's flags are argument 2; 10: open's argument 1 */
		LD(ARG_LO(2)),
		BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0),
		LD(ARG_LO(1)),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K,
		    no_direct ? O_DIRECT : 0, 0, 1),
		RET(SECCOMP_RET_ERRNO | EINVAL),
		RET(SECCOMP_RET_ALLOW),
		/* 14: ioctl's request is argument 1 */
		LD(ARG_LO(1)),
		JEQ(no_scan ? PAGEMAP_SCAN_NR : 0xffffffff, 0, 1),
		RET(SECCOMP_RET_ERRNO | ENOTTY),
		RET(SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	int no_direct = 0, no_scan = 0, fd;
	char *feat, *save = NULL;

	if (argc < 3) {
		fprintf(stderr, "usage: without o_direct,pagemap_scan "
		    "PROGRAM [ARG ...]\n");
		return 2;
	}
	for (feat = strtok_r(argv[1], ",", &save); feat != NULL;
	    feat = strtok_r(NULL, ",", &save)) {
		if (strcmp(feat, "o_direct") == 0)
			no_direct = 1;
		else if (strcmp(feat, "pagemap_scan") == 0)
			no_scan = 1;
		else {
			fprintf(stderr, "without: unknown feature '%s'\n",
			    feat);
			return 2;
		}
	}
	if (install(no_direct, no_scan) != 0) {
		fprintf(stderr, "without: seccomp: %s\n", strerror(errno));
		return 99;
	}
	fd = open("/dev/null", O_RDONLY | O_DIRECT);
	if (no_direct && (fd >= 0 || errno != EINVAL)) {
		fprintf(stderr, "without: O_DIRECT still opens\n");
		return 99;
	}
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "without: plain open fails\n");
		return 99;
	}
	if (no_scan && (ioctl(fd, PAGEMAP_SCAN_NR, NULL) != -1 ||
	    errno != ENOTTY)) {
		fprintf(stderr, "without: PAGEMAP_SCAN still answers\n");
		return 99;
	}
	close(fd);
	execvp(argv[2], argv + 2);
	fprintf(stderr, "without: %s: %s\n", argv[2], strerror(errno));
	return 99;
}
