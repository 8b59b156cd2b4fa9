#!/bin/sh
# t-insp-stdin: IMG "-" reads standard input, whether it is a pipe or a
# redirected file, and reports exactly what reading the file does.
. "$srcdir/tests/insp-lib.sh"

cd "$tmp"
make_image img.zst
"$INSPECT" img.zst >file.txt || fail "file: exit $?"
"$INSPECT" --json img.zst >file.json || fail "file --json: exit $?"

cat img.zst | "$INSPECT" - >pipe.txt || fail "pipe: exit $?"
cmp file.txt pipe.txt || fail "pipe: report differs"
"$INSPECT" - <img.zst >redir.txt || fail "redirect: exit $?"
cmp file.txt redir.txt || fail "redirect: report differs"
cat img.zst | "$INSPECT" --json - >pipe.json || fail "pipe --json: exit $?"
cmp file.json pipe.json || fail "pipe --json: report differs"

cat img.zst | "$INSPECT" --verify - >out || fail "pipe --verify: exit $?"
grep -Eq '^-: OK \([0-9]+ regions, [0-9]+ chunks verified\)$' out ||
    fail "pipe --verify: unexpected output"

cp img.zst bad.zst
flip bad.zst $(($(wc -c <bad.zst) / 2))
rc=0
cat bad.zst | "$INSPECT" --verify - >out 2>err || rc=$?
cat err
[ "$rc" -eq 1 ] || fail "damaged pipe: exit $rc, expected 1"
[ "$(wc -l <err)" -eq 1 ] && grep -q '^ckpt-inspect: -: .' err ||
    fail "damaged pipe: unexpected message"
rc=0
"$INSPECT" - </dev/null >out 2>err || rc=$?
[ "$rc" -eq 1 ] || fail "empty stdin: exit $rc, expected 1"
