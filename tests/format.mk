# tests/format.mk - the image format's tests, included by the top Makefile.am.
#
# Test programs link format/libfmt.la and the synthetic image of
# tests/mk_lib.c (tests/mkimage writes it for other tests too).  Fixtures
# are read through $(srcdir), which AM_TESTS_ENVIRONMENT exports, so the
# tests run out of tree under distcheck.

FMT_TEST_LDADD = format/libfmt.la $(ZSTD_LIBS) $(XXHASH_LIBS)
FMT_MK = tests/mkimage.h tests/mk_lib.c

FMT_TESTS = \
	tests/t-fmt-roundtrip \
	tests/t-fmt-pipe \
	tests/t-fmt-bitflip \
	tests/t-fmt-truncated \
	tests/t-fmt-version \
	tests/t-fmt-zstd \
	tests/t-fmt-writer \
	tests/t-fmt-maps \
	tests/t-fmt-bad \
	tests/t-fmt-corpus \
	tests/t-fmt-stream \
	tests/t-fmt-share \
	tests/t-fmt-pages \
	tests/t-fmt-roundtrip-asan \
	tests/t-fmt-bitflip-asan \
	tests/t-fmt-truncated-asan \
	tests/t-fmt-stream-asan

check_PROGRAMS += tests/mkimage $(FMT_TESTS)
TESTS += $(FMT_TESTS)

tests_mkimage_SOURCES = tests/mkimage.c $(FMT_MK)
tests_mkimage_LDADD = $(FMT_TEST_LDADD)
tests_t_fmt_roundtrip_SOURCES = tests/t-fmt-roundtrip.c $(FMT_MK)
tests_t_fmt_roundtrip_LDADD = $(FMT_TEST_LDADD)
tests_t_fmt_pipe_SOURCES = tests/t-fmt-pipe.c $(FMT_MK)
tests_t_fmt_pipe_LDADD = $(FMT_TEST_LDADD)
tests_t_fmt_bitflip_SOURCES = tests/t-fmt-bitflip.c $(FMT_MK)
tests_t_fmt_bitflip_LDADD = $(FMT_TEST_LDADD)
tests_t_fmt_truncated_SOURCES = tests/t-fmt-truncated.c $(FMT_MK)
tests_t_fmt_truncated_LDADD = $(FMT_TEST_LDADD)
tests_t_fmt_version_SOURCES = tests/t-fmt-version.c $(FMT_MK)
tests_t_fmt_version_LDADD = $(FMT_TEST_LDADD)
tests_t_fmt_zstd_SOURCES = tests/t-fmt-zstd.c $(FMT_MK)
tests_t_fmt_zstd_LDADD = $(FMT_TEST_LDADD)
tests_t_fmt_writer_SOURCES = tests/t-fmt-writer.c $(FMT_MK)
tests_t_fmt_writer_LDADD = $(FMT_TEST_LDADD)
tests_t_fmt_maps_SOURCES = tests/t-fmt-maps.c $(FMT_MK)
tests_t_fmt_maps_LDADD = $(FMT_TEST_LDADD)
tests_t_fmt_bad_SOURCES = tests/t-fmt-bad.c $(FMT_MK)
tests_t_fmt_bad_LDADD = $(FMT_TEST_LDADD)
tests_t_fmt_share_SOURCES = tests/t-fmt-share.c $(FMT_MK)
tests_t_fmt_share_LDADD = $(FMT_TEST_LDADD)
tests_t_fmt_stream_SOURCES = tests/t-fmt-stream.c $(FMT_MK)
tests_t_fmt_stream_LDADD = $(FMT_TEST_LDADD)
tests_t_fmt_pages_SOURCES = tests/t-fmt-pages.c $(FMT_MK)
tests_t_fmt_pages_LDADD = $(FMT_TEST_LDADD) $(ZSTD_LIBS)
# The fuzz target's seed corpus and the bad fixtures, replayed with gcc.
tests_t_fmt_corpus_SOURCES = tests/fuzz_replay.c tests/fuzz_fmt.c $(FMT_MK)
tests_t_fmt_corpus_LDADD = $(FMT_TEST_LDADD)

# The same tests again under ASan and UBSan, with the format code compiled
# into each program so that it is instrumented too.
FMT_SAN_CFLAGS = $(AM_CFLAGS) -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -g
FMT_SAN_SOURCES = format/fmt.h format/fmt_common.c format/fmt_write.c \
	format/fmt_read.c $(FMT_MK)
FMT_SAN_LIBS = $(ZSTD_LIBS) $(XXHASH_LIBS)
tests_t_fmt_roundtrip_asan_SOURCES = tests/t-fmt-roundtrip.c \
	$(FMT_SAN_SOURCES)
tests_t_fmt_roundtrip_asan_CFLAGS = $(FMT_SAN_CFLAGS)
tests_t_fmt_roundtrip_asan_LDFLAGS = -fsanitize=address,undefined
tests_t_fmt_roundtrip_asan_LDADD = $(FMT_SAN_LIBS)
tests_t_fmt_bitflip_asan_SOURCES = tests/t-fmt-bitflip.c $(FMT_SAN_SOURCES)
tests_t_fmt_bitflip_asan_CFLAGS = $(FMT_SAN_CFLAGS)
tests_t_fmt_bitflip_asan_LDFLAGS = -fsanitize=address,undefined
tests_t_fmt_bitflip_asan_LDADD = $(FMT_SAN_LIBS)
tests_t_fmt_truncated_asan_SOURCES = tests/t-fmt-truncated.c \
	$(FMT_SAN_SOURCES)
tests_t_fmt_truncated_asan_CFLAGS = $(FMT_SAN_CFLAGS)
tests_t_fmt_truncated_asan_LDFLAGS = -fsanitize=address,undefined
tests_t_fmt_truncated_asan_LDADD = $(FMT_SAN_LIBS)
tests_t_fmt_stream_asan_SOURCES = tests/t-fmt-stream.c $(FMT_SAN_SOURCES)
tests_t_fmt_stream_asan_CFLAGS = $(FMT_SAN_CFLAGS)
tests_t_fmt_stream_asan_LDFLAGS = -fsanitize=address,undefined
tests_t_fmt_stream_asan_LDADD = $(FMT_SAN_LIBS)

# Fixtures: known-bad images (tests/bad/README says how each was made) and
# the fuzz seed corpus.
FMT_BAD = \
	tests/bad/README \
	tests/bad/empty.zst \
	tests/bad/not-ckpt.zst \
	tests/bad/truncated.zst \
	tests/bad/truncated-chunk.zst \
	tests/bad/version-3.0.zst \
	tests/bad/critical-field.zst \
	tests/bad/unknown-record.zst \
	tests/bad/index-skew.zst \
	tests/bad/record-checksum.zst \
	tests/bad/chunk-checksum.zst \
	tests/bad/data-checksum.zst \
	tests/bad/huge-length.zst
FMT_CORPUS = \
	tests/corpus/small.zst \
	tests/corpus/small-4k.zst \
	tests/corpus/minor-extras.zst \
	tests/corpus/optional.zst \
	tests/corpus/pages.zst
EXTRA_DIST += $(FMT_BAD) $(FMT_CORPUS) tests/fuzz-fmt.dict

# ---- make fuzz: libFuzzer over the reader, for a bounded time ---------
# CI runs it; FUZZ_TIME (seconds) bounds it.  New inputs go to a scratch
# copy of the corpus, crashes to tests/fuzz-crash-*.
FUZZ_TIME = 60
FUZZ_SRCS = $(srcdir)/tests/fuzz_fmt.c $(srcdir)/format/fmt_common.c \
	$(srcdir)/format/fmt_write.c $(srcdir)/format/fmt_read.c
CLEANFILES += tests/fuzz-fmt tests/fuzz-crash-* tests/fuzz-leak-* \
	tests/fuzz-timeout-* tests/fuzz-oom-*

if HAVE_CLANG
tests/fuzz-fmt: $(FUZZ_SRCS) $(srcdir)/format/fmt.h
	$(AM_V_CCLD)$(CLANG) -g -O1 \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -I$(top_builddir) -I$(srcdir)/format -D_GNU_SOURCE \
	    $(ZSTD_CFLAGS) $(XXHASH_CFLAGS) -o $@ $(FUZZ_SRCS) \
	    $(ZSTD_LIBS) $(XXHASH_LIBS)

fuzz: tests/fuzz-fmt
	rm -rf tests/fuzz-corpus.tmp && mkdir -p tests/fuzz-corpus.tmp
	cp $(srcdir)/tests/corpus/* $(srcdir)/tests/bad/*.zst \
	    tests/fuzz-corpus.tmp/
	ASAN_OPTIONS=detect_leaks=0 ./tests/fuzz-fmt \
	    -max_total_time=$(FUZZ_TIME) -max_len=65536 -timeout=10 \
	    -dict=$(srcdir)/tests/fuzz-fmt.dict \
	    -artifact_prefix=tests/fuzz- tests/fuzz-corpus.tmp; \
	rc=$$?; rm -rf tests/fuzz-corpus.tmp; exit $$rc
else
fuzz:
	@echo "fuzz: SKIP: no clang with libFuzzer (configure found none);" \
	    "make check still replays tests/corpus"
endif
.PHONY: fuzz
