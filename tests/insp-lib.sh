# insp-lib.sh - shared setup for the ckpt-inspect tests (sourced, not run).
#
# The harness (AM_TESTS_ENVIRONMENT) exports INSPECT, TESTBIN and srcdir;
# each test gets a private scratch directory, removed on exit.  Exit codes
# follow automake: 0 pass, 1 fail, 77 skip, 99 hard error (the test could
# not even set itself up).
set -eu

: "${INSPECT:?INSPECT not set: run through make check}"
: "${TESTBIN:?TESTBIN not set: run through make check}"
: "${srcdir:=.}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/t-insp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

hard_error() {
	echo "ERROR: $*" >&2
	exit 99
}

# make_image OUT: the deterministic synthetic image from tests/mkimage.
make_image() {
	[ -x "$TESTBIN/mkimage" ] || hard_error "$TESTBIN/mkimage not built"
	"$TESTBIN/mkimage" "$1" || hard_error "mkimage $1 failed"
}

# flip FILE OFFSET: inverts every bit of the byte at OFFSET, in place.
flip() {
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' \n')
	[ -n "$b" ] || hard_error "flip: $1 has no byte at $2"
	printf "\\$(printf %03o $((b ^ 255)))" |
	    dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# fails_cleanly NAME ARGS...: ckpt-inspect ARGS must exit 1, print nothing
# on stdout and exactly one line "ckpt-inspect: NAME: ..." on stderr.
fails_cleanly() {
	name=$1
	shift
	rc=0
	"$INSPECT" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	echo "ckpt-inspect $*: exit $rc: $(cat "$tmp/err")"
	[ "$rc" -eq 1 ] || fail "ckpt-inspect $*: exit $rc, expected 1"
	[ ! -s "$tmp/out" ] || fail "ckpt-inspect $*: wrote to stdout"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] ||
	    fail "ckpt-inspect $*: expected one line on stderr"
	grep -q "^ckpt-inspect: $name: ." "$tmp/err" ||
	    fail "ckpt-inspect $*: message does not start 'ckpt-inspect: $name: '"
}
