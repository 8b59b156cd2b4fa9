# tests/cr.mk - checkpoint/restart tests and the programs they run
# (included by the top Makefile.am).
#
# The programs are built plainly (-O2 -g, no sanitizers): they are what a
# user would preload libckpt into.  The scripts find them through $TESTBIN
# and their helpers through $srcdir (AM_TESTS_ENVIRONMENT), so distcheck's
# out-of-tree build works.

CR_PROGS = tests/hello tests/memstate tests/clockmalloc tests/mallocstorm \
	tests/cr-run tests/without tests/kids tests/rsleeprem
check_PROGRAMS += $(CR_PROGS)
CR_CFLAGS = -O2 -g $(WARN_CFLAGS)

tests_hello_SOURCES = tests/hello.c
tests_hello_CFLAGS = $(CR_CFLAGS)
tests_memstate_SOURCES = tests/memstate.c tests/realt.h tests/crt.h
tests_memstate_CFLAGS = $(CR_CFLAGS)
tests_memstate_LDADD = -lm
tests_clockmalloc_SOURCES = tests/clockmalloc.c tests/realt.h tests/crt.h
tests_clockmalloc_CFLAGS = $(CR_CFLAGS) -pthread
tests_clockmalloc_LDADD = -lpthread
tests_mallocstorm_SOURCES = tests/mallocstorm.c tests/crt.h
tests_mallocstorm_CFLAGS = $(CR_CFLAGS)
tests_cr_run_SOURCES = tests/cr-run.c
tests_cr_run_CFLAGS = $(CR_CFLAGS)
tests_without_SOURCES = tests/without.c
tests_without_CFLAGS = $(CR_CFLAGS)
tests_kids_SOURCES = tests/kids.c
tests_kids_CFLAGS = $(CR_CFLAGS)
tests_rsleeprem_SOURCES = tests/rsleeprem.c
tests_rsleeprem_CFLAGS = $(CR_CFLAGS) -pthread
tests_rsleeprem_LDADD = -lpthread

CR_TESTS = \
	tests/t-cr-counter.sh \
	tests/t-cr-memstate.sh \
	tests/t-cr-restart20.sh \
	tests/t-cr-chain.sh \
	tests/t-cr-clock.sh \
	tests/t-cr-signal-in-malloc.sh \
	tests/t-cr-damaged.sh \
	tests/t-cr-fullfs.sh \
	tests/t-cr-badenv.sh \
	tests/t-cr-stderr.sh \
	tests/t-cr-stderr-full.sh \
	tests/t-cr-stderr-gone.sh \
	tests/t-cr-noproc.sh \
	tests/t-cr-blocked-start.sh \
	tests/t-cr-own-signal.sh \
	tests/t-cr-signal-storm.sh \
	tests/t-cr-killed-snapshot.sh \
	tests/t-cr-addrlimit.sh \
	tests/t-cr-interval.sh \
	tests/t-cr-interval-restarted.sh \
	tests/t-cr-custom-signal.sh \
	tests/t-cr-nodirect.sh \
	tests/t-cr-levels.sh \
	tests/t-cr-children.sh \
	tests/t-cr-target.sh \
	tests/t-cr-bash.sh \
	tests/t-cr-sleep-interval.sh \
	tests/t-cr-poll-interval.sh
TESTS += $(CR_TESTS)
dist_check_SCRIPTS += $(CR_TESTS)
EXTRA_DIST += tests/cr-lib.sh
