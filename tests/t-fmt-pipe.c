/*
 * t-fmt-pipe - the writer never seeks: a child writes the image into a
 * pipe, the parent reads it all and gets exactly the bytes an in-memory
 * build gives, which the reader accepts.  Also: a write callback's -errno
 * (EPIPE when the reader goes away) comes back from the writer.
 */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mkimage.h"

static int
write_fd(void *arg, const void *p, size_t n)
{
	const char *s = p;
	ssize_t k;
	int fd = *(int *)arg;

	while (n > 0) {
		k = write(fd, s, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		s += k;
		n -= (size_t)k;
	}
	return 0;
}

int
main(void)
{
	struct mk_opts o;
	struct mk_buf mem, got = { 0 };
	struct fmt_image img;
	char buf[4096];
	ssize_t n;
	pid_t pid;
	int fds[2], status, rc;

	mk_opts_default(&o);
	MK_CHECK(mk_build_mem(&o, &mem) == 0);

	MK_CHECK(pipe(fds) == 0);
	pid = fork();
	MK_CHECK(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		_exit(mk_build(&o, write_fd, &fds[1]) == 0 ? 0 : 1);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf, sizeof(buf))) > 0)
		MK_CHECK(mk_buf_write(&got, buf, (size_t)n) == 0);
	MK_CHECK(n == 0);
	close(fds[0]);
	MK_CHECK(waitpid(pid, &status, 0) == pid);
	MK_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	MK_CHECK(got.len == mem.len && memcmp(got.p, mem.p, mem.len) == 0);
	MK_CHECK(fmt_image_open(&img, got.p, got.len) == 0);
	mk_check_image(&img, &o);
	fmt_image_close(&img);

	/* the reader closes its end early: EPIPE, sticky, to the end */
	signal(SIGPIPE, SIG_IGN);
	MK_CHECK(pipe(fds) == 0);
	close(fds[0]);
	rc = mk_build(&o, write_fd, &fds[1]);
	close(fds[1]);
	MK_CHECK(rc == -EPIPE);
	printf("t-fmt-pipe: ok (%zu bytes)\n", got.len);
	return 0;
}
