# tests/inspect.mk - ckpt-inspect's tests, included by the top Makefile.am.
#
# The shell tests read mkimage's deterministic image (tests/mkimage, built
# by tests/format.mk) and tests/insp-lib.sh through $(srcdir), so they run
# out of tree under distcheck.  t-insp-shrink preloads tests/insp-shrink
# into ckpt-inspect, a libtool module like real.mk's realplugin.

INSP_SHELL_TESTS = \
	tests/t-insp-golden.sh \
	tests/t-insp-json.sh \
	tests/t-insp-verify.sh \
	tests/t-insp-not-ckpt.sh \
	tests/t-insp-missing.sh \
	tests/t-insp-usage.sh \
	tests/t-insp-stdin.sh \
	tests/t-insp-endless.sh \
	tests/t-insp-shrink.sh

dist_check_SCRIPTS += $(INSP_SHELL_TESTS)
TESTS += $(INSP_SHELL_TESTS) tests/t-insp-escape tests/t-insp-report
EXTRA_DIST += tests/insp-lib.sh \
	tests/golden/inspect.txt \
	tests/golden/inspect.json \
	tests/golden/zstd-version

check_PROGRAMS += tests/t-insp-escape tests/t-insp-report \
	tests/insp-zstd-version

# ckpt-inspect's string handling and reports, tested without the reader
# (linked with the format library for its socket address text).
tests_t_insp_escape_SOURCES = tests/t-insp-escape.c ckpt-inspect/insp.h \
	ckpt-inspect/insp_json.c ckpt-inspect/insp_util.c
tests_t_insp_escape_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/ckpt-inspect
tests_t_insp_escape_LDADD = $(FMT_TEST_LDADD)
tests_t_insp_report_SOURCES = tests/t-insp-report.c ckpt-inspect/insp.h \
	ckpt-inspect/insp_text.c ckpt-inspect/insp_json.c \
	ckpt-inspect/insp_util.c
tests_t_insp_report_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/ckpt-inspect
tests_t_insp_report_LDADD = $(FMT_TEST_LDADD)

# Truncates the image under ckpt-inspect at a chosen moment.  The first
# check library: real.mk, included later, adds its own with +=.
check_LTLIBRARIES = tests/insp-shrink.la
tests_insp_shrink_la_SOURCES = tests/insp-shrink.c
tests_insp_shrink_la_LDFLAGS = -module -avoid-version -shared -rpath /nowhere
tests_insp_shrink_la_LIBADD = -ldl

tests_insp_zstd_version_SOURCES = tests/insp-zstd-version.c
tests_insp_zstd_version_LDADD = $(ZSTD_LIBS)
