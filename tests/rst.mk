# tests/rst.mk - restart's own tests (included by the top Makefile.am).
RST_TESTS = tests/t-rst-freestanding.sh tests/t-rst-usage.sh \
	tests/t-rst-stream.sh tests/t-rst-pages.sh tests/t-rst-shrink.sh \
	tests/t-rst-early-signal.sh tests/t-rst-stack-limit.sh \
	tests/t-rst-verbose-names.sh
TESTS += $(RST_TESTS)
dist_check_SCRIPTS += $(RST_TESTS)
