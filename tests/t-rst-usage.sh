#!/bin/sh
# t-rst-usage: restart's command line and its refusals of files that are
# not images: each gets one line "restart: FILE: ..." and status 1 (one
# line and status 2 for usage errors), and nothing runs; a FIFO is refused
# without waiting for a writer.
set -u
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
expect() {	# expect STATUS PATTERN -- command...
	want=$1; pat=$2; shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"; got=$?
	if [ "$got" -ne "$want" ]; then
		echo "FAIL: $*: status $got, wanted $want"; cat "$tmp/err"; fail=1
		return
	fi
	if [ "$want" -ne 0 ]; then
		if [ "$(wc -l < "$tmp/err")" -ne 1 ] || [ -s "$tmp/out" ]; then
			echo "FAIL: $*: wanted exactly one line on stderr, nothing on stdout"
			cat "$tmp/out" "$tmp/err"; fail=1; return
		fi
	fi
	if ! grep -q -- "$pat" "$tmp/out" "$tmp/err"; then
		echo "FAIL: $*: no '$pat' in the output"; cat "$tmp/out" "$tmp/err"; fail=1
	fi
}
expect 0 "Usage: restart" -- "$RESTART" --help
expect 0 "restart (ckpt)" -- "$RESTART" --version
expect 2 "^restart: no image given (try 'restart --help')\$" -- "$RESTART"
expect 2 "^restart: invalid option '--no-such-option' (try" -- "$RESTART" --no-such-option
# the start of --verbose and --version: ambiguous, not unknown
expect 2 "^restart: ambiguous option '--ver' (try" -- "$RESTART" --ver a.zst
expect 2 "^restart: unexpected argument 'b' (try" -- "$RESTART" a b
expect 1 "restart: $tmp/missing.zst: No such file or directory" -- "$RESTART" "$tmp/missing.zst"
# - is not standard input (ckpt-inspect's is): that is the program's
expect 2 "^restart: an image from standard input cannot be restarted; give its file (try" -- "$RESTART" -
# a newline in the name does not split the one line
expect 1 "restart: $tmp/new?line.zst: No such file or directory" -- \
    "$RESTART" "$tmp/$(printf 'new\nline.zst')"
: > "$tmp/empty.zst"
expect 1 "restart: $tmp/empty.zst: empty file" -- "$RESTART" "$tmp/empty.zst"
expect 1 "restart: $tmp: not a regular file" -- "$RESTART" "$tmp"
# a FIFO with no writer: refused at once, not waited on
mkfifo "$tmp/fifo.zst" &&
    expect 1 "restart: $tmp/fifo.zst: not a regular file" -- timeout 10 "$RESTART" "$tmp/fifo.zst"
# a file in /proc has contents but a size of 0: not called empty
expect 1 "restart: /proc/self/maps: a file without a size, not a ckpt image" -- \
    "$RESTART" /proc/self/maps
echo "hello, I am text" > "$tmp/text.zst"
expect 1 "restart: $tmp/text.zst: " -- "$RESTART" "$tmp/text.zst"
printf 'just some bytes that zstd would not take either\n' | zstd -q -c > "$tmp/plain.zst" 2>/dev/null &&
    expect 1 "restart: $tmp/plain.zst: " -- "$RESTART" "$tmp/plain.zst"
# --help and --version into a full disk: a write error, not a silent 0
if [ -w /dev/full ]; then
	for opt in --help --version; do
		"$RESTART" $opt >/dev/full 2>"$tmp/err"; got=$?
		if [ "$got" -ne 1 ] || ! grep -q '^restart: write error: ' "$tmp/err"; then
			echo "FAIL: restart $opt >/dev/full: status $got"; cat "$tmp/err"; fail=1
		fi
	done
fi
[ "$fail" -eq 0 ] && echo PASS
exit "$fail"
