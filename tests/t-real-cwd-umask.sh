#!/bin/sh
# t-real-cwd-umask: the working directory and umask the program set
# (chdir into a directory of its own, umask 027) come back, although
# restart runs from another directory with umask 077.
. "$srcdir/tests/cr-lib.sh"

mkdir -p "$tmp/a/b c" || cr_error "cannot make $tmp/a/b c"
img=$tmp/c.zst
cr_start c0 CKPT_FILE="$img" "$TESTBIN/rcwd" "$tmp/a/b c" "$tmp/go"
pid=$CR_PID
cr_wait_line "$tmp/c0.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
umask 077
cr_restart_bg c1 "$img"
pid=$CR_PID
cr_wait_line "$tmp/c1.out" "^resumed pid $pid\$" "$pid"
: >"$tmp/go"
cr_wait_exit "$pid" 30
cr_expect_pass c1 "$CR_STATUS"
[ -f "$tmp/a/b c/new" ] || cr_fail "the program did not create new in" \
    "its own directory"
exit 0
