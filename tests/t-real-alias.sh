#!/bin/sh
# t-real-alias: shared memory mapped at two addresses comes back as one
# object behind both (tests/ralias.c: a 16 MiB memfd whose descriptor
# cannot be rebuilt, a memfd whose descriptor was closed, shared
# anonymous memory aliased with mremap, part of a memfd beside the
# whole).  Each used to come back as separate memory, so that a write
# through one mapping no longer showed through the other (the JVM's ZGC
# corrupted its heap).  restart warns only about the 16 MiB memfd's
# descriptor.
. "$srcdir/tests/cr-lib.sh"

cr_ready_ckpt "$TESTBIN/ralias"
cr_go_pass "^restart: $cr_img: warning: fd [0-9]+ \\(/memfd:ralias-big \\(deleted\\)\\) cannot be restored; it now fails on use\$"
exit 0
