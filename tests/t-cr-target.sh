#!/bin/sh
# t-cr-target: what may stand at CKPT_FILE, and at the temporary name the
# image is written through.
#
# libckpt only ever replaces a regular file (or creates one).  A FIFO, a
# character device (mknod c 1 3, as root only), a symbolic link or a
# directory (named plainly, with a trailing "/" and as "dir/.") at
# CKPT_FILE gets one line "libckpt: PATH: what it is ...", is left as it
# was, nothing is created beside it, and the program counts on to "done".
# A stale regular file at the temporary name (a snapshot killed before it
# could remove it; a pid namespace gives the next run the same pid) does
# not block the checkpoint, while anything else there is left alone with a
# line that names it.  A 250-byte file name, legal, checkpoints and
# verifies.  A regular file that cannot be replaced (chattr +i) gets one
# line saying so, and stays, as does one with contents that is not a ckpt
# image (notes.txt, the program's executable); an empty file is replaced.
#
# Each part runs in a subshell that kills its own programs, so a failure
# in one still lets the others run and the log shows them all.
. "$srcdir/tests/cr-lib.sh"

# tmpname IMAGE PID: the temporary file libckpt writes IMAGE through:
# ".NAME.tmp.PID" beside it, NAME cut to its first 200 bytes.
tmpname() {
	printf '%s/.%.200s.tmp.%s' "${1%/*}" "${1##*/}" "$2"
}

# refused NAME DIR PATH WHAT: a program with CKPT_FILE=PATH is signalled;
# it must print exactly one line "libckpt: PATH: WHAT..." (WHAT a fixed
# string), leave DIR's listing as it was, and run on to "done".
refused() {
	r_n=$1 r_dir=$2 r_path=$3 r_what=$4
	r_before=$(ls -lA "$r_dir")
	cr_start "$r_n" CKPT_FILE="$r_path" "$TESTBIN/hello" 15
	r_pid=$CR_PID
	cr_wait_line "$tmp/$r_n.out" '^count 2$' "$r_pid"
	kill -s USR2 "$r_pid" || cr_fail "$r_n: pid $r_pid is gone"
	cr_wait_line "$tmp/$r_n.err" '^libckpt: ' "$r_pid"
	cr_wait_exit "$r_pid"
	[ "$CR_STATUS" -eq 0 ] || cr_fail "$r_n: exit status $CR_STATUS" \
	    "$(cr_sig_name "$CR_STATUS")"
	cr_counts "$tmp/$r_n.out"
	[ "$CR_DONE" -eq 1 ] || cr_fail "$r_n: the program did not reach done"
	[ "$(wc -l <"$tmp/$r_n.err")" -eq 1 ] ||
	    cr_fail "$r_n: $(wc -l <"$tmp/$r_n.err") lines on stderr"
	grep -Fqx "libckpt: $r_path: $r_what" "$tmp/$r_n.err" ||
	    cr_fail "$r_n: expected \"libckpt: $r_path: $r_what\"," \
		"got \"$(cat "$tmp/$r_n.err")\""
	[ "$(ls -lA "$r_dir")" = "$r_before" ] ||
	    cr_fail "$r_n: the directory changed: $(ls -lA "$r_dir")"
	cr_say "$r_n: $(cat "$tmp/$r_n.err")"
	cr_say "$r_n: refused in one line, nothing changed, ran on to done"
}

not_written="not a regular file; checkpoint not written"

part_fifo() {
	d=$tmp/fifo
	mkdir "$d" && mkfifo "$d/ckpt" || cr_error "cannot make a FIFO"
	refused fifo "$d" "$d/ckpt" "is a FIFO, $not_written"
	[ -p "$d/ckpt" ] || cr_fail "fifo: $d/ckpt is no longer a FIFO"
}

part_chardev() {
	if [ "$(id -u)" -ne 0 ]; then
		cr_say "chardev: not root, so no device node: part not run"
		return 0
	fi
	d=$tmp/dev
	mkdir "$d" || cr_error "cannot make $d"
	if ! mknod -m 666 "$d/null" c 1 3 2>"$tmp/mknod.msg"; then
		cr_say "chardev: mknod refused ($(cat "$tmp/mknod.msg")):" \
		    "part not run"
		return 0
	fi
	refused chardev "$d" "$d/null" "is a character device, $not_written"
	[ -c "$d/null" ] && [ "$(stat -c '%t %T' "$d/null")" = "1 3" ] ||
	    cr_fail "chardev: $d/null is no longer the device 1,3"
}

part_symlink() {
	d=$tmp/link
	mkdir "$d" && echo keep >"$d/real" && ln -s real "$d/ckpt" ||
	    cr_error "cannot make a symbolic link"
	refused symlink "$d" "$d/ckpt" "is a symbolic link, $not_written"
	[ -L "$d/ckpt" ] && [ "$(cat "$d/real")" = keep ] ||
	    cr_fail "symlink: the link or the file it names changed"
}

part_dir() {
	d=$tmp/dir
	mkdir -p "$d/sub" || cr_error "cannot make $d/sub"
	for p in "$d/sub/" "$d/sub/." "$d/sub"; do
		refused dir "$d" "$p" "is a directory, $not_written"
		[ -z "$(ls -A "$d/sub")" ] ||
		    cr_fail "dir: left in $d/sub: $(ls -A "$d/sub")"
	done
}

part_stale() {
	d=$tmp/stale
	img=$d/img.zst
	mkdir "$d" || cr_error "cannot make $d"
	cr_start stale CKPT_FILE="$img" "$TESTBIN/hello" 400
	pid=$CR_PID
	t=$(tmpname "$img" "$pid")
	cr_wait_line "$tmp/stale.out" '^count 2$' "$pid"

	# a stale regular file there: removed, and the checkpoint goes on
	echo "stale temporary file" >"$t"
	cr_checkpoint "$pid" "$img"
	[ ! -s "$tmp/stale.err" ] ||
	    cr_fail "stale: the checkpoint complained: $(cat "$tmp/stale.err")"
	left=$(cd "$d" && ls -A | grep -v -x img.zst)
	[ -z "$left" ] || cr_fail "stale: left behind: $left"
	if [ -x "$INSPECT" ]; then
		"$INSPECT" --verify "$img" >"$tmp/stale-verify.log" 2>&1 ||
		    cr_fail "stale: ckpt-inspect --verify:" \
			"$(tail -n 1 "$tmp/stale-verify.log")"
	fi

	# anything else there: left alone, and said; the image stays
	cp "$img" "$tmp/stale-saved.zst" && mkfifo "$t" ||
	    cr_error "cannot make a FIFO"
	kill -s USR2 "$pid" || cr_fail "stale: pid $pid is gone"
	cr_wait_line "$tmp/stale.err" '^libckpt: ' "$pid"
	sleep 0.5	# anything more it has to say
	[ "$(wc -l <"$tmp/stale.err")" -eq 1 ] ||
	    cr_fail "stale: $(wc -l <"$tmp/stale.err") lines on stderr"
	grep -Fqx "libckpt: $img: cannot create ${t##*/}: file exists" \
	    "$tmp/stale.err" ||
	    cr_fail "stale: unexpected line: $(cat "$tmp/stale.err")"
	[ -p "$t" ] && cmp -s "$img" "$tmp/stale-saved.zst" ||
	    cr_fail "stale: the FIFO at ${t##*/} or the image changed"
	cr_say "stale: what is not a regular file at the temporary name is" \
	    "left alone"
	cr_kill "$pid"
	cr_say "stale: a stale temporary file did not block the checkpoint"
}

part_long() {
	d=$tmp/long
	mkdir "$d" || cr_error "cannot make $d"
	name=$(printf '%0246d' 0 | tr 0 n).zst	# 250 bytes
	img=$d/$name
	cr_start long CKPT_FILE="$img" "$TESTBIN/hello" 400
	pid=$CR_PID
	# a stale temporary file too: its name is cut short, the image's not
	echo "stale temporary file" >"$(tmpname "$img" "$pid")" ||
	    cr_error "cannot plant the stale temporary file"
	cr_wait_line "$tmp/long.out" '^count 2$' "$pid"
	cr_checkpoint "$pid" "$img"
	[ ! -s "$tmp/long.err" ] ||
	    cr_fail "long: the checkpoint complained: $(cat "$tmp/long.err")"
	left=$(cd "$d" && ls -A | grep -v -x "$name")
	[ -z "$left" ] || cr_fail "long: left behind: $left"
	if [ -x "$INSPECT" ]; then
		"$INSPECT" --verify "$img" >"$tmp/long-verify.log" 2>&1 ||
		    cr_fail "long: ckpt-inspect --verify:" \
			"$(tail -n 1 "$tmp/long-verify.log")"
		cr_say "long: ckpt-inspect --verify passes"
	fi
	cr_kill "$pid"
	cr_say "long: a 250-byte file name takes a checkpoint"
}

# A regular file that cannot be replaced (immutable, as root; another
# user's in a sticky /tmp is the common case): the line says that the
# new image could not be put in its place, and why; the old file stays.
part_immutable() {
	if [ "$(id -u)" -ne 0 ]; then
		cr_say "immutable: not root, so no chattr +i: part not run"
		return 0
	fi
	d=$tmp/immutable
	mkdir "$d" && : >"$d/img.zst" || cr_error "cannot make $d"
	if ! chattr +i "$d/img.zst" 2>"$tmp/chattr.msg"; then
		cr_say "immutable: chattr +i refused ($(cat "$tmp/chattr.msg")):" \
		    "part not run"
		return 0
	fi
	trap 'chattr -i "$d/img.zst"; for q in $cr_pids; do
	    kill -9 "$q" 2>/dev/null; done' EXIT
	refused immutable "$d" "$d/img.zst" \
	    "cannot put the new image in its place: operation not permitted"
	[ ! -s "$d/img.zst" ] || cr_fail "immutable: $d/img.zst changed"
}

# A regular file with contents that is not a ckpt image (a name mistyped,
# the program's own executable) is not replaced: one line says so, and it
# stays as it was.  An empty file is taken, as is an earlier image.
part_notimage() {
	d=$tmp/notimage
	mkdir "$d" && echo precious >"$d/notes.txt" &&
	    cp "$TESTBIN/hello" "$d/prog" || cr_error "cannot make $d"
	refused notimage "$d" "$d/notes.txt" \
	    "is not a ckpt image, not replaced; checkpoint not written"
	[ "$(cat "$d/notes.txt")" = precious ] ||
	    cr_fail "notimage: notes.txt changed"
	refused notimage-exe "$d" "$d/prog" \
	    "is not a ckpt image, not replaced; checkpoint not written"
	cmp -s "$TESTBIN/hello" "$d/prog" || cr_fail "notimage: prog changed"
	: >"$d/empty.zst"
	cr_start notimage-empty CKPT_FILE="$d/empty.zst" "$TESTBIN/hello" 400
	pid=$CR_PID
	cr_wait_line "$tmp/notimage-empty.out" '^count 2$' "$pid"
	kill -s USR2 "$pid" || cr_fail "notimage: pid $pid is gone"
	cr_wait_line "$tmp/notimage-empty.out" '^count 12$' "$pid"
	[ -s "$d/empty.zst" ] && [ ! -s "$tmp/notimage-empty.err" ] ||
	    cr_fail "notimage: an empty file was not replaced:" \
		"$(cat "$tmp/notimage-empty.err")"
	sum=$(cksum <"$d/empty.zst")
	kill -s USR2 "$pid" || cr_fail "notimage: pid $pid is gone"
	cr_wait_line "$tmp/notimage-empty.out" '^count 22$' "$pid"
	[ "$(cksum <"$d/empty.zst")" != "$sum" ] &&
	    [ ! -s "$tmp/notimage-empty.err" ] ||
	    cr_fail "notimage: an image was not replaced:" \
		"$(cat "$tmp/notimage-empty.err")"
	cr_kill "$pid"
	cr_say "notimage: an empty file is replaced, then the image"
}

failed=
for p in fifo chardev symlink dir stale long immutable notimage; do
	(trap 'for q in $cr_pids; do kill -9 "$q" 2>/dev/null; done' EXIT
	 "part_$p") || failed="$failed $p"
done
[ -z "$failed" ] || cr_fail "parts that failed:$failed"
exit 0
