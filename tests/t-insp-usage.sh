#!/bin/sh
# t-insp-usage: bad command lines exit 2 with one line on stderr and
# nothing on stdout; --help and --version exit 0 and say something useful.
. "$srcdir/tests/insp-lib.sh"

cd "$tmp"
make_image img.zst

usage_fails() {
	rc=0
	"$INSPECT" "$@" >out 2>err || rc=$?
	echo "ckpt-inspect $*: exit $rc: $(cat err)"
	[ "$rc" -eq 2 ] || fail "ckpt-inspect $*: exit $rc, expected 2"
	[ ! -s out ] || fail "ckpt-inspect $*: wrote to stdout"
	[ "$(wc -l <err)" -eq 1 ] || fail "ckpt-inspect $*: expected one line"
	grep -q '^ckpt-inspect: ' err || fail "ckpt-inspect $*: no prefix"
}

usage_fails
usage_fails img.zst img.zst
usage_fails --bogus img.zst
usage_fails -x img.zst
usage_fails --json --verify img.zst
usage_fails --json=yes img.zst
usage_fails --verify
# the start of --verify and --version: ambiguous, not unknown
usage_fails --ver img.zst
grep -q "^ckpt-inspect: ambiguous option '--ver' (try" err ||
    fail "--ver: not called ambiguous: $(cat err)"
usage_fails --bogus img.zst
grep -q "^ckpt-inspect: invalid option '--bogus' (try" err ||
    fail "--bogus: not called invalid: $(cat err)"

"$INSPECT" --help >out 2>err || fail "--help: exit $?"
grep -q '^Usage: ckpt-inspect ' out || fail "--help: no usage line"
[ ! -s err ] || fail "--help: wrote to stderr"
"$INSPECT" -h >out || fail "-h: exit $?"
grep -q '^Usage: ckpt-inspect ' out || fail "-h: no usage line"
"$INSPECT" --version >out 2>err || fail "--version: exit $?"
cat out
grep -Eq '^ckpt-inspect \(ckpt\) [0-9]+\.[0-9]+' out ||
    fail "--version: no version line"
grep -Eq 'image format [0-9]+\.[0-9]+' out ||
    fail "--version: no image format"
"$INSPECT" -V >out2 2>err || fail "-V: exit $?"
cmp -s out out2 || fail "-V does not print what --version does"

# --help and --version into a full disk: a write error, not a silent 0
if [ -w /dev/full ]; then
	for opt in --help --version; do
		rc=0
		"$INSPECT" $opt >/dev/full 2>err || rc=$?
		[ "$rc" -eq 1 ] || fail "$opt >/dev/full: exit $rc, expected 1"
		grep -q '^ckpt-inspect: write error: ' err ||
		    fail "$opt >/dev/full: no write error on stderr"
	done
fi
