#!/bin/sh
# t-real-files: a program copying one file into another through open
# descriptors, checkpointed mid-copy, finishes the copy after restart with
# the same descriptors at the same numbers, access modes, append and
# close-on-exec flags and offsets (rfiles checks them), and the copy
# equals the original.  Before that, the same image is restarted with
# in.dat deleted, then replaced by a copy, by a directory and by a FIFO
# (which restart must not open: that would wait for a writer forever),
# then with out.dat truncated below the saved offset: each time restart
# must refuse (status 1), name the file, and not run the program.
. "$srcdir/tests/cr-lib.sh"

d=$tmp/files
mkdir "$d" || cr_error "cannot make $d"
head -c $((2 * 1024 * 1024 + 1234)) /dev/urandom >"$d/in.dat" ||
    cr_error "cannot make in.dat"
img=$tmp/f.zst
cr_start f0 CKPT_FILE="$img" "$TESTBIN/rfiles" "$d"
pid=$CR_PID
cr_wait_line "$tmp/f0.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$img"
cr_kill "$pid"

# refuse NAME FILE WHAT: restart must exit 1 naming FILE, saying WHAT.
refuse() {
	cr_restart "$1" 20 "$img"
	[ "$CR_STATUS" -eq 1 ] || cr_fail "$1: restart exit status" \
	    "$CR_STATUS $(cr_sig_name "$CR_STATUS"), want 1"
	grep -q "^restart: .*$2" "$tmp/$1.err" ||
	    cr_fail "$1: restart did not name $2"
	grep -Eqi "$3" "$tmp/$1.err" ||
	    cr_fail "$1: restart did not say /$3/"
	[ ! -s "$tmp/$1.out" ] || cr_fail "$1: the program ran"
	cr_say "$1: $(head -n 1 "$tmp/$1.err")"
}

mv "$d/in.dat" "$d/in.orig"
refuse deleted "$d/in.dat" 'no such file'
cp "$d/in.orig" "$d/in.dat"
refuse replaced "$d/in.dat" 'replaced'
rm "$d/in.dat"
mkdir "$d/in.dat" || cr_error "cannot make the directory in.dat"
refuse now-dir "$d/in.dat" 'no longer a regular file'
rmdir "$d/in.dat"
mkfifo "$d/in.dat" || cr_error "cannot make the FIFO in.dat"
refuse now-fifo "$d/in.dat" 'no longer a regular file'
rm "$d/in.dat"
mv "$d/in.orig" "$d/in.dat"
cp "$d/out.dat" "$tmp/out.save"
: >"$d/out.dat"
refuse truncated "$d/out.dat" 'shorter'
cat "$tmp/out.save" >"$d/out.dat"

cr_restart_bg f1 "$img"
pid=$CR_PID
cr_wait_exit "$pid" 60
cr_expect_pass f1 "$CR_STATUS"
grep -q "^resumed pid $pid\$" "$tmp/f1.out" ||
    cr_fail "f1: the program did not see restart's pid"
cmp "$d/in.dat" "$d/out.dat" || cr_fail "out.dat differs from in.dat"
tail -n 1 "$d/log.txt" | grep -q "^chunk $(( (2 * 1024 * 1024 + 1234 + 4095) / 4096 - 1 ))\$" ||
    cr_fail "log.txt does not end with the last chunk"
grep -q '^resumed$' "$d/log.txt" || cr_fail "log.txt lacks the resumed line"
cr_say "$(grep '^at offset' "$tmp/f1.out"); copy identical"
exit 0
