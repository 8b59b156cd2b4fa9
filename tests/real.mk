# tests/real.mk - issue 4's tests: real programs (threads, blocked system
# calls, files, pipes, cwd and umask, memory layouts, interpreters,
# dlopen, signal handlers, signal waits), included by the top Makefile.am
# after cr.mk.
#
# Each capability has one script and, for C, one program (tests/r*.c,
# sharing tests/realt.h on top of tests/crt.h) in the zdtm shape of
# cr.mk's.  The scripts use cr.mk's tests/cr-lib.sh and tests/cr-run;
# t-real-python and t-real-perl skip (77) without their interpreter.

REAL_PROGS = tests/rthreads tests/rblocked tests/rsigthread tests/rfiles \
	tests/rpipes tests/rcwd tests/rmem tests/rdlopen tests/rsighand \
	tests/real-tgkill tests/rmasked tests/radvise tests/rfdmany \
	tests/rdeleted tests/rsigwait tests/rpending tests/rsleepmain \
	tests/rtimers tests/rkfds tests/rlocks tests/rdup tests/rshmap \
	tests/rinotify tests/rsock tests/rmemfd tests/rsuspend \
	tests/rtimerpend tests/rsparse tests/rsparsenb tests/rfar tests/rstderr \
	tests/rgone tests/rstack tests/rmaps tests/rchurn tests/rdontfork \
	tests/ralias tests/rgiveback tests/rtfdticks \
	tests/rbeyond tests/rnodump tests/rprctl tests/rprocself tests/rcwdgone \
	tests/rshmgone tests/rseccomp
check_PROGRAMS += $(REAL_PROGS)
REAL_CFLAGS = -O2 -g $(WARN_CFLAGS)

tests_rthreads_SOURCES = tests/rthreads.c tests/realt.h tests/crt.h
tests_rthreads_CFLAGS = $(REAL_CFLAGS) -pthread
tests_rthreads_LDADD = -lpthread
tests_rblocked_SOURCES = tests/rblocked.c tests/realt.h tests/crt.h
tests_rblocked_CFLAGS = $(REAL_CFLAGS) -pthread
tests_rblocked_LDADD = -lpthread
tests_rsigthread_SOURCES = tests/rsigthread.c tests/realt.h tests/crt.h
tests_rsigthread_CFLAGS = $(REAL_CFLAGS) -pthread
tests_rsigthread_LDADD = -lpthread
tests_rfiles_SOURCES = tests/rfiles.c tests/realt.h tests/crt.h
tests_rfiles_CFLAGS = $(REAL_CFLAGS)
tests_rbeyond_SOURCES = tests/rbeyond.c tests/realt.h tests/crt.h
tests_rbeyond_CFLAGS = $(REAL_CFLAGS)
tests_rprocself_SOURCES = tests/rprocself.c tests/realt.h tests/crt.h
tests_rprocself_CFLAGS = $(REAL_CFLAGS)
tests_rnodump_SOURCES = tests/rnodump.c tests/realt.h tests/crt.h
tests_rnodump_CFLAGS = $(REAL_CFLAGS)
tests_rprctl_SOURCES = tests/rprctl.c tests/realt.h tests/crt.h
tests_rprctl_CFLAGS = $(REAL_CFLAGS) -pthread
tests_rprctl_LDADD = -lpthread
tests_rpipes_SOURCES = tests/rpipes.c tests/realt.h tests/crt.h
tests_rpipes_CFLAGS = $(REAL_CFLAGS)
tests_rcwd_SOURCES = tests/rcwd.c tests/realt.h tests/crt.h
tests_rcwd_CFLAGS = $(REAL_CFLAGS)
tests_rcwdgone_SOURCES = tests/rcwdgone.c tests/realt.h tests/crt.h
tests_rcwdgone_CFLAGS = $(REAL_CFLAGS)
tests_rmem_SOURCES = tests/rmem.c tests/realt.h tests/crt.h
tests_rmem_CFLAGS = $(REAL_CFLAGS)
tests_rsparse_SOURCES = tests/rsparse.c tests/realt.h tests/crt.h
tests_rsparse_CFLAGS = $(REAL_CFLAGS)
tests_rsparsenb_SOURCES = tests/rsparsenb.c tests/realt.h tests/crt.h
tests_rsparsenb_CFLAGS = $(REAL_CFLAGS)
tests_rfar_SOURCES = tests/rfar.c tests/realt.h tests/crt.h
tests_rfar_CFLAGS = $(REAL_CFLAGS)
# rdlopen must not link libm: it dlopen()s it after restart
tests_rdlopen_SOURCES = tests/rdlopen.c tests/realt.h tests/crt.h
tests_rdlopen_CFLAGS = $(REAL_CFLAGS) -pthread
tests_rdlopen_LDADD = -ldl -lpthread
tests_rsighand_SOURCES = tests/rsighand.c tests/realt.h tests/crt.h
tests_rsighand_CFLAGS = $(REAL_CFLAGS)
tests_rmasked_SOURCES = tests/rmasked.c tests/realt.h tests/crt.h
tests_rmasked_CFLAGS = $(REAL_CFLAGS) -pthread
tests_rmasked_LDADD = -lpthread
tests_rsigwait_SOURCES = tests/rsigwait.c tests/realt.h tests/crt.h
tests_rsigwait_CFLAGS = $(REAL_CFLAGS) -pthread
tests_rsigwait_LDADD = -lpthread
tests_radvise_SOURCES = tests/radvise.c tests/realt.h tests/crt.h
tests_radvise_CFLAGS = $(REAL_CFLAGS)
tests_rdontfork_SOURCES = tests/rdontfork.c tests/realt.h tests/crt.h
tests_rdontfork_CFLAGS = $(REAL_CFLAGS)
tests_rfdmany_SOURCES = tests/rfdmany.c tests/realt.h tests/crt.h
tests_rfdmany_CFLAGS = $(REAL_CFLAGS)
tests_rdeleted_SOURCES = tests/rdeleted.c tests/realt.h tests/crt.h
tests_rdeleted_CFLAGS = $(REAL_CFLAGS)
tests_rpending_SOURCES = tests/rpending.c tests/realt.h tests/crt.h
tests_rpending_CFLAGS = $(REAL_CFLAGS) -pthread
tests_rpending_LDADD = -lpthread
tests_rtimers_SOURCES = tests/rtimers.c tests/realt.h tests/crt.h
tests_rtimers_CFLAGS = $(REAL_CFLAGS) -pthread
tests_rtimers_LDADD = -lpthread -lrt
tests_rkfds_SOURCES = tests/rkfds.c tests/realt.h tests/crt.h
tests_rkfds_CFLAGS = $(REAL_CFLAGS)
tests_rtfdticks_SOURCES = tests/rtfdticks.c tests/realt.h tests/crt.h
tests_rtfdticks_CFLAGS = $(REAL_CFLAGS)
tests_rlocks_SOURCES = tests/rlocks.c tests/realt.h tests/crt.h
tests_rlocks_CFLAGS = $(REAL_CFLAGS)
tests_rmaps_SOURCES = tests/rmaps.c
tests_rmaps_CFLAGS = $(REAL_CFLAGS)
tests_rstack_SOURCES = tests/rstack.c
tests_rstack_CFLAGS = -O0 -g $(WARN_CFLAGS)
tests_rchurn_SOURCES = tests/rchurn.c
tests_rchurn_CFLAGS = $(REAL_CFLAGS) -pthread
tests_rchurn_LDADD = -lpthread
tests_rgone_SOURCES = tests/rgone.c
tests_rgone_CFLAGS = $(REAL_CFLAGS) -pthread
tests_rgone_LDADD = -lpthread
tests_rstderr_SOURCES = tests/rstderr.c
tests_rstderr_CFLAGS = $(REAL_CFLAGS)
tests_rdup_SOURCES = tests/rdup.c tests/realt.h tests/crt.h
tests_rdup_CFLAGS = $(REAL_CFLAGS)
tests_rshmap_SOURCES = tests/rshmap.c tests/realt.h tests/crt.h
tests_rshmap_CFLAGS = $(REAL_CFLAGS)
tests_rshmgone_SOURCES = tests/rshmgone.c tests/realt.h tests/crt.h
tests_rshmgone_CFLAGS = $(REAL_CFLAGS)
tests_rshmgone_LDADD = -lrt
tests_rseccomp_SOURCES = tests/rseccomp.c tests/realt.h tests/crt.h
tests_rseccomp_CFLAGS = $(REAL_CFLAGS)
tests_rinotify_SOURCES = tests/rinotify.c tests/realt.h tests/crt.h
tests_rinotify_CFLAGS = $(REAL_CFLAGS)
tests_rsock_SOURCES = tests/rsock.c tests/realt.h tests/crt.h
tests_rsock_CFLAGS = $(REAL_CFLAGS)
tests_rgiveback_SOURCES = tests/rgiveback.c
tests_rgiveback_CFLAGS = $(REAL_CFLAGS)
tests_ralias_SOURCES = tests/ralias.c tests/realt.h tests/crt.h
tests_ralias_CFLAGS = $(REAL_CFLAGS)
tests_rmemfd_SOURCES = tests/rmemfd.c tests/realt.h tests/crt.h
tests_rmemfd_CFLAGS = $(REAL_CFLAGS)
tests_rsuspend_SOURCES = tests/rsuspend.c tests/realt.h tests/crt.h
tests_rsuspend_CFLAGS = $(REAL_CFLAGS) -pthread
tests_rsuspend_LDADD = -lpthread
tests_rtimerpend_SOURCES = tests/rtimerpend.c tests/realt.h tests/crt.h
tests_rtimerpend_CFLAGS = $(REAL_CFLAGS)
tests_rtimerpend_LDADD = -lrt
tests_rsleepmain_SOURCES = tests/rsleepmain.c tests/realt.h tests/crt.h
tests_rsleepmain_CFLAGS = $(REAL_CFLAGS)
tests_real_tgkill_SOURCES = tests/real-tgkill.c
tests_real_tgkill_CFLAGS = $(REAL_CFLAGS)

# The library rdlopen loads: a libtool module, tests/.libs/realplugin.so.
check_LTLIBRARIES += tests/realplugin.la
tests_realplugin_la_SOURCES = tests/realplugin.c
tests_realplugin_la_CFLAGS = $(REAL_CFLAGS)
tests_realplugin_la_LDFLAGS = -module -avoid-version -shared -rpath /nowhere

REAL_TESTS = \
	tests/t-real-threads.sh \
	tests/t-real-blocked-syscalls.sh \
	tests/t-real-signal-thread.sh \
	tests/t-real-files.sh \
	tests/t-real-pipes.sh \
	tests/t-real-pipes-dup.sh \
	tests/t-real-cwd-umask.sh \
	tests/t-real-memory.sh \
	tests/t-real-memory-noscan.sh \
	tests/t-real-sparse.sh tests/t-real-sparse-neighbour.sh \
	tests/t-real-far.sh \
	tests/t-real-python.sh tests/t-real-python-select.sh \
	tests/t-real-python-threads-max.sh \
	tests/t-real-python-itimer.sh \
	tests/t-real-perl.sh \
	tests/t-real-dlopen.sh \
	tests/t-real-sighandlers.sh \
	tests/t-real-masked-thread.sh tests/t-real-thread-gone.sh \
	tests/t-real-thread-churn.sh \
	tests/t-real-sigwait.sh \
	tests/t-real-advise.sh tests/t-real-dontfork.sh \
	tests/t-real-alias.sh \
	tests/t-real-fdmany.sh \
	tests/t-real-fdlimit.sh \
	tests/t-real-deleted.sh \
	tests/t-real-pending.sh tests/t-real-pending-groups.sh \
	tests/t-real-timers.sh \
	tests/t-real-kfds.sh tests/t-real-locks.sh tests/t-real-dup.sh \
	tests/t-real-timerfd-ticks.sh \
	tests/t-real-shared-file.sh tests/t-real-inotify.sh \
	tests/t-real-inotify-churn.sh tests/t-real-inotify-moved.sh \
	tests/t-real-sockets.sh tests/t-real-python-server.sh \
	tests/t-real-sockets-reuseaddr.sh \
	tests/t-real-memfd.sh tests/t-real-stdin-file.sh \
	tests/t-real-stdout-file.sh tests/t-real-stack-grow.sh \
	tests/t-real-many-maps.sh \
	tests/t-real-sigsuspend-chld.sh tests/t-real-timer-pending.sh \
	tests/t-real-stdin-closed-copy.sh tests/t-real-offset-beyond.sh \
	tests/t-real-nodump.sh tests/t-real-prctl.sh tests/t-real-proc-self.sh \
	tests/t-real-cwd-gone.sh tests/t-real-shm-gone.sh \
	tests/t-real-seccomp.sh
TESTS += $(REAL_TESTS)
dist_check_SCRIPTS += $(REAL_TESTS)
EXTRA_DIST += tests/real-lib.sh tests/real-dict.py tests/real-dict.pl \
	tests/real-select.py tests/real-server.py \
	tests/real-threads-max.py tests/real-itimer.py
