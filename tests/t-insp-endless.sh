#!/bin/sh
# t-insp-endless: input that never ends - /dev/zero, /dev/urandom, `yes`
# on a pipe - is refused as "not a ckpt image" as soon as its first bytes
# show it, with exit 1 and one line, in every mode; ckpt-inspect used to
# read it into memory until that ran out.  A stream that begins like an
# image and then never ends is read until memory runs out, and must then
# fail with one line too: ulimit -v makes that happen within a second.
# Each run has ten seconds (timeout exits 124): far more than refusing
# takes, far less than the old endless read.
. "$srcdir/tests/insp-lib.sh"

command -v timeout >/dev/null 2>&1 || { echo "SKIP: no timeout"; exit 77; }
cd "$tmp"
make_image img.zst

# refused NAME MSG: the last run's exit status (in rc), out and err, for
# image NAME: exit 1, nothing on stdout, the one line "ckpt-inspect: NAME:
# MSG" on stderr (MSG a grep pattern).
refused() {
	echo "exit $rc: $(cat err)"
	[ "$rc" -ne 124 ] || fail "$1: still reading after 10 s"
	[ "$rc" -eq 1 ] || fail "$1: exit $rc, expected 1"
	[ ! -s out ] || fail "$1: wrote to stdout"
	[ "$(wc -l <err)" -eq 1 ] || fail "$1: expected one line on stderr"
	grep -q "^ckpt-inspect: $1: $2\$" err ||
	    fail "$1: expected 'ckpt-inspect: $1: $2'"
}

for mode in "" --json --verify; do
	for dev in /dev/zero /dev/urandom; do
		rc=0
		# shellcheck disable=SC2086
		timeout 10 "$INSPECT" $mode "$dev" >out 2>err || rc=$?
		refused "$dev" "not a ckpt image"
	done
	rc=0
	# shellcheck disable=SC2086
	yes | timeout 10 "$INSPECT" $mode - >out 2>err || rc=$?
	refused - "not a ckpt image"
done

# An image's 24-byte prefix, then zeros for ever.
rc=0
{ head -c 24 img.zst; cat /dev/zero; } |
    (ulimit -v 200000 && exec timeout 10 "$INSPECT" -) >out 2>err || rc=$?
refused - "holding more than .* in memory: .*"
