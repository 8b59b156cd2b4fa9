#!/bin/sh
# t-real-alias: shared memory mapped at two addresses comes back as one
# object behind both (tests/ralias.c: a 16 MiB memfd whose descriptor
# cannot be rebuilt, a memfd whose descriptor was closed, shared
# anonymous memory aliased with mremap, part of a memfd beside the
# whole).  Each used to come back as separate memory, so that a write
# through one mapping no longer showed through the other (the JVM's ZGC
# corrupted its heap).  The descriptors of memfds too large to be saved
# with them are made again from their mappings (ZGC grows its heap
# through its descriptor, and died when it was dead); restart warns only
# that the one mapped in part reads zeros elsewhere.
. "$srcdir/tests/cr-lib.sh"

cr_ready_ckpt "$TESTBIN/ralias"
cr_go_pass "^restart: $cr_img: warning: fd [0-9]+ \\(/memfd:ralias-half \\(deleted\\)\\): the deleted file's bytes outside its mappings were not saved; they read as zeros\$"
grep -q 'ralias-half.*read as zeros' "$tmp/p1.err" ||
    cr_fail "no warning for the memfd mapped in part"
exit 0
