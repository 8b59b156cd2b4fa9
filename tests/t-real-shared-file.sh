#!/bin/sh
# t-real-shared-file: a file the program mapped MAP_SHARED is mapped again
# after restart: the program's writes reach the file, it sees what others
# wrote to the file meanwhile, and maps names it.  A shared mapping whose
# file is gone comes back from the image, with one warning; one whose file
# no longer holds the pages the program used is refused.  Also with a
# newline in the file's path.
. "$srcdir/tests/cr-lib.sh"

mkdir "$tmp/d"
cr_ready_ckpt "$TESTBIN/rshmap" "$tmp/d"

# data cut to one page: the program used all three, and its next touch of
# page 1 would die of SIGBUS.  restart refuses in one line naming the
# file, and nothing runs.  Then the same file, whole again.
cp "$tmp/d/data" "$tmp/data.save" && truncate -s 4096 "$tmp/d/data" ||
    cr_error "cannot cut data short"
cr_restart shrunk 20 "$cr_img"
[ "$CR_STATUS" -eq 1 ] || cr_fail "shrunk: restart exit status $CR_STATUS"
grep -q "^restart: $cr_img: region [0-9]*: $tmp/d/data is now shorter (4096 bytes) than the part of it the program used\$" \
    "$tmp/shrunk.err" && [ "$(wc -l <"$tmp/shrunk.err")" -eq 1 ] ||
    cr_fail "shrunk: not one line naming data: $(cat "$tmp/shrunk.err")"
[ ! -s "$tmp/shrunk.out" ] || cr_fail "shrunk: the program ran"
cr_say "shrunk: $(cat "$tmp/shrunk.err")"
cat "$tmp/data.save" >"$tmp/d/data" || cr_error "cannot restore data"

printf outside | dd of="$tmp/d/data" bs=1 seek=8192 conv=notrunc 2>/dev/null
rm "$tmp/d/gone"
cr_go_pass \
    "^restart: $cr_img: warning: region [0-9]+: $tmp/d/gone is gone, was replaced or cannot be opened; its saved contents come back, no longer shared with the file\$"
grep -q "warning: region [0-9]*: $tmp/d/gone" "$tmp/p1.err" ||
    cr_fail "no warning for the mapping of the removed file"
[ "$(dd if="$tmp/d/data" bs=1 skip=4096 count=5 2>/dev/null)" = after ] ||
    cr_fail "the write after restart did not reach the file"

# The same in a directory whose name holds a newline, which
# /proc/PID/maps shows as \012: the image used to keep that form, so
# restart could not reopen the file and warned that it was gone.
nl="$tmp/n
l"
mkdir "$nl"
rm -f "$tmp/go"
cr_ready_ckpt "$TESTBIN/rshmap" "$nl"
printf outside | dd of="$nl/data" bs=1 seek=8192 conv=notrunc 2>/dev/null
rm "$nl/gone"
cr_go_pass \
    "^restart: $cr_img: warning: region [0-9]+: $tmp/n.l/gone is gone, was replaced or cannot be opened; its saved contents come back, no longer shared with the file\$"
[ "$(dd if="$nl/data" bs=1 skip=4096 count=5 2>/dev/null)" = after ] ||
    cr_fail "a newline in the path: the write after restart did not reach" \
	"the file"
exit 0
