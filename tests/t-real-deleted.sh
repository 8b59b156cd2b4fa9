#!/bin/sh
# t-real-deleted: files deleted while open (and O_TMPFILE files) come back
# as unnamed files with their contents, offsets and access modes; two
# descriptors of one such file stay one file.  restart used to refuse such
# an image ("No such file or directory"), so a python program with a
# tempfile.TemporaryFile could not be restarted.  A deleted file over what
# an image holds (9 MiB, over 8) becomes a descriptor that fails on use,
# with one warning, and ckpt-inspect says so beforehand.
. "$srcdir/tests/cr-lib.sh"

mkdir "$tmp/d" || cr_error "cannot make $tmp/d"
img=$tmp/d.zst
cr_start d0 CKPT_FILE="$img" "$TESTBIN/rdeleted" "$tmp/d" "$tmp/go"
pid=$CR_PID
cr_wait_line "$tmp/d0.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
cr_quiet d0
"$INSPECT" --json "$img" >"$tmp/d.json" || cr_fail "ckpt-inspect failed"
n=$(grep -c '"restore": "recreate"' "$tmp/d.json")
[ "$n" -eq 3 ] || cr_fail "ckpt-inspect: $n descriptors to recreate, want 3"
: >"$tmp/go"
cr_restart d1 60 "$img"
cr_expect_pass d1 "$CR_STATUS"

rm -f "$tmp/go"
img=$tmp/big.zst
cr_start b0 CKPT_FILE="$img" "$TESTBIN/rdeleted" "$tmp/d" "$tmp/go" big
pid=$CR_PID
cr_wait_line "$tmp/b0.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
cr_quiet b0
"$INSPECT" "$img" | grep -q "/big (deleted).*(not restorable)" ||
    cr_fail "ckpt-inspect does not call the 9 MiB deleted file not" \
	"restorable: $("$INSPECT" "$img" | grep big)"
: >"$tmp/go"
cr_restart b1 60 "$img"
cr_expect_pass b1 "$CR_STATUS" \
    "^restart: $img: warning: fd [0-9]+ \(.*/big \(deleted\)\) cannot be restored; it now fails on use\$"
[ -s "$tmp/b1.err" ] || cr_fail "no warning for the 9 MiB deleted file"
cr_say "3 deleted or unnamed files recreated; a 9 MiB one refused with" \
    "a warning"
exit 0
