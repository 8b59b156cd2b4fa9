/*
 * rfdmany DATAFILE N HIGH GOFILE - many descriptors, one of them high, and
 * /dev/null.
 *
 * Opens DATAFILE (whose bytes are "0123456789" repeated) N times, reading
 * i % 10 bytes from the i-th so each has its own offset, opens it once
 * more at descriptor HIGH (offset 1), and opens /dev/null for writing;
 * prints "ready" and waits for GOFILE.  Then every descriptor must read on
 * from its offset, HIGH too, and /dev/null must take a write.  The
 * test runs it, and restart, under an open-file soft limit just above
 * HIGH: restart must make room for its own copies.  PASS or FAIL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "realt.h"

#define RF_MAX	20000

int
main(int argc, char **argv)
{
	static int fds[RF_MAX];
	long ticks = 0, n, high, i, bad = 0;
	int null, f, h;
	char c;

	if (argc != 5 || (n = atol(argv[2])) < 1 || n > RF_MAX ||
	    (high = atol(argv[3])) <= n + 3) {
		fprintf(stderr, "usage: rfdmany DATAFILE N HIGH GOFILE\n");
		return 2;
	}
	rt_init();
	for (i = 0; i < n; i++) {
		char skip[10];

		fds[i] = open(argv[1], O_RDONLY);
		if (fds[i] < 0 || read(fds[i], skip, i % 10) != i % 10) {
			rt_fail("setup", "%s (%ld): %s", argv[1], i,
			    strerror(errno));
			return rt_finish();
		}
	}
	h = open(argv[1], O_RDONLY);
	if (h < 0 || read(h, &c, 1) != 1 || dup2(h, (int)high) != high ||
	    close(h) != 0 || (null = open("/dev/null", O_WRONLY)) < 0) {
		rt_fail("setup", "descriptor %ld or /dev/null: %s", high,
		    strerror(errno));
		return rt_finish();
	}
	rt_say("ready");
	rt_wait_go(argv[4], &ticks);

	f = rt_failures;
	for (i = 0; i < n; i++)
		if (read(fds[i], &c, 1) != 1 || c != '0' + i % 10)
			bad++;
	if (bad > 0)
		rt_fail("fds", "%ld of %ld descriptors lost or moved", bad, n);
	if (read((int)high, &c, 1) != 1 || c != '1')
		rt_fail("fds", "descriptor %ld lost or moved", high);
	rt_ok_since("fds", f);
	f = rt_failures;
	if (write(null, "x", 1) != 1)
		rt_fail("devnull", "write: %s", strerror(errno));
	rt_ok_since("devnull", f);
	return rt_finish();
}
