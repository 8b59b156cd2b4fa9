/*
 * rseccomp GOFILE - a program under a seccomp filter (getpriority fails
 * with errno 77) is restarted.  The filter cannot be restored: libckpt
 * must say so in one line on restart's standard error
 * (t-real-seccomp.sh checks), and the program runs on.  Prints "ready"
 * and waits for GOFILE; then "filter on" or "filter off" and PASS.
 * Before, the filter was gone without a word.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "realt.h"

static int
filtered(void)
{
	errno = 0;
	syscall(SYS_getpriority, 0, 0);
	return errno == 77;
}

int
main(int argc, char **argv)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getpriority, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 77),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { 4, f };
	long ticks = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: rseccomp GOFILE\n");
		return 2;
	}
	rt_init();
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0 ||
	    !filtered())
		rt_fail("setup", "seccomp: %s", strerror(errno));
	if (rt_failures != 0)
		return rt_finish();
	rt_say("ready");
	rt_wait_go(argv[1], &ticks);
	rt_say("filter %s", filtered() ? "on" : "off");
	return rt_finish();
}
