#!/bin/sh
# t-real-memory: anonymous shared memory (still shared with a child forked
# after restart), a region grown and moved by mremap, a hole punched by
# munmap, PROT_NONE guard pages and a PROT_NONE reservation, and a 3 GiB
# region with 3 MiB touched here and there all come back with their
# contents, protections and holes (rmem checks each).  The image of the
# huge region stays small.
. "$srcdir/tests/cr-lib.sh"

img=$tmp/m.zst
# RMEM_WITHOUT: run rmem as on a system without these features (without.c)
cr_start m0 CKPT_FILE="$img" ${RMEM_WITHOUT:+"$TESTBIN/without"} \
    ${RMEM_WITHOUT:+"$RMEM_WITHOUT"} "$TESTBIN/rmem" "$tmp/go"
pid=$CR_PID
cr_wait_line "$tmp/m0.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
size=$(wc -c <"$img")
[ "$size" -lt $((64 * 1024 * 1024)) ] ||
    cr_fail "the image is $size bytes: the untouched 509 MiB were stored"
cr_restart_bg m1 "$img"
pid=$CR_PID
cr_wait_line "$tmp/m1.out" "^resumed pid $pid\$" "$pid"
: >"$tmp/go"
cr_wait_exit "$pid" 60
# (without's seccomp filter is not restored, and libckpt says so)
cr_expect_pass m1 "$CR_STATUS" \
    ${RMEM_WITHOUT:+'^libckpt: warning: the program.s seccomp filters'}
cr_say "image $size bytes, $(grep '^rss' "$tmp/m1.out") after restart"
exit 0
