#!/bin/sh
# t-insp-missing: a file that does not exist gets the system's words,
# "ckpt-inspect: IMG: No such file or directory", and exit 1; a newline in
# its name does not split that line.
. "$srcdir/tests/insp-lib.sh"

cd "$tmp"
for mode in "" --json --verify; do
	rc=0
	# shellcheck disable=SC2086
	"$INSPECT" $mode nonexistent.zst >out 2>err || rc=$?
	cat err
	[ "$rc" -eq 1 ] || fail "'$mode': exit $rc, expected 1"
	[ ! -s out ] || fail "'$mode': wrote to stdout"
	[ "$(cat err)" = "ckpt-inspect: nonexistent.zst: No such file or directory" ] ||
	    fail "'$mode': unexpected message"
done
nl=$(printf 'new\nline.zst')
rc=0
"$INSPECT" "$nl" >out 2>err || rc=$?
[ "$rc" -eq 1 ] || fail "newline name: exit $rc, expected 1"
[ "$(cat err)" = "ckpt-inspect: new?line.zst: No such file or directory" ] ||
    fail "newline name: unexpected message: $(cat err)"
