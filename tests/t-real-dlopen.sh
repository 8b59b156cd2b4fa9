#!/bin/sh
# t-real-dlopen: a program that dlopen()ed a library (tests/realplugin,
# with static state, a constructor and TLS) calls into it before and after
# restart with its state intact, starts a thread that gets the library's
# TLS fresh, dlopen()s libm.so.6 after restart and uses it, and unloads and
# reloads the plugin (rdlopen checks each).
. "$srcdir/tests/cr-lib.sh"

plugin=$TESTBIN/.libs/realplugin.so
[ -f "$plugin" ] || cr_error "$plugin not built"
img=$tmp/d.zst
cr_start d0 CKPT_FILE="$img" "$TESTBIN/rdlopen" "$plugin" "$tmp/go"
pid=$CR_PID
cr_wait_line "$tmp/d0.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
cr_img=$img
cr_go_pass
exit 0
