#!/bin/sh
# t-rst-verbose-names: restart --verbose writes one line per thing it
# does, whatever the names in it hold.  The image's own name and the path
# of a file the program holds open both carry a newline and an escape
# character; every line restart --verbose writes must start with
# "restart: " and hold no escape character (each shows as '?', as in
# restart's error lines), and the program must run on to its end.
. "$srcdir/tests/cr-lib.sh"

nl='
'
esc=$(printf '\033')
in="$tmp/in${nl}put${esc}[31m"
img="$tmp/im${nl}age${esc}[31m.zst"
echo data >"$in" || cr_error "cannot make a file named with a newline"
cr_start orig CKPT_FILE="$img" sh -c 'exec "$@" 5<"$0"' "$in" \
    "$TESTBIN/hello" 12
pid=$CR_PID
cr_wait_line "$tmp/orig.out" '^count 2$' "$pid"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"

cr_restart v1 20 -v "$img"
[ "$CR_STATUS" -eq 0 ] || cr_fail "restart -v exit status $CR_STATUS"
grep -q '^done$' "$tmp/v1.out" || cr_fail "the program did not run on"
grep -q "fd 5: $tmp/in?put?\[31m\$" "$tmp/v1.err" ||
    cr_fail "no line for fd 5 with its name escaped"
grep -q "reading $tmp/im?age?\[31m.zst\$" "$tmp/v1.err" ||
    cr_fail "no line for the image with its name escaped"
grep -v '^restart: ' "$tmp/v1.err" >"$tmp/stray" &&
    cr_fail "a line not from restart: $(head -n 1 "$tmp/stray")"
! grep -q "$esc" "$tmp/v1.err" || cr_fail "an escape character on stderr"
cr_say "$(wc -l <"$tmp/v1.err") lines, each one line"
exit 0
