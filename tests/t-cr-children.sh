#!/bin/sh
# t-cr-children: CKPT_FILE and CKPT_INTERVAL are for the process started
# with them, not for its children, which inherit LD_PRELOAD and the
# variables.  kids, started with both, forks one child (no exec) and execs
# hello in another: a signal to either child writes that child's image
# under its default name, the image at CKPT_FILE is always the parent's,
# and the exec'd child takes no checkpoint by itself.  The same holds for
# the children a restored parent makes, whose own images still go to
# CKPT_FILE.  A program exec'd in the same process (sh -c 'exec ...', or
# the restored kids on SIGHUP) is that process: the settings apply to it.
# A child given a CKPT_FILE of its own (env CKPT_FILE=... hello) owns it.
# A child's first checkpoint says, in one line, that CKPT_FILE is not its
# own and where its image goes (a daemon that forked away from the
# process started with CKPT_FILE looked for its image there in vain).
. "$srcdir/tests/cr-lib.sh"
[ -x "$INSPECT" ] || cr_error "$INSPECT not built"

img=$tmp/img.zst

# is_image IMAGE PROGRAM PID: ckpt-inspect says IMAGE is of PROGRAM (base
# name), PID.
is_image() {
	"$INSPECT" "$1" >"$tmp/inspect.txt" 2>&1 ||
	    cr_fail "ckpt-inspect ${1##*/}: $(head -n 2 "$tmp/inspect.txt")"
	got="$(sed -n 's/^program: *//p' "$tmp/inspect.txt")"
	got="${got##*/} pid $(sed -n 's/^pid: *//p' "$tmp/inspect.txt")"
	[ "$got" = "$2 pid $3" ] ||
	    cr_fail "${1##*/} is the image of $got, not of $2 pid $3"
	cr_say "${1##*/}: $got"
}

# children NAME PARENT: the children PARENT announced last in NAME.out
# (fpid forked, epid exec'd) each write their image to the default name
# on a signal.
children() {
	out=$tmp/$1.out
	cr_wait_line "$out" '^kids [0-9]+ [0-9]+$' "$2"
	set -- $(grep '^kids ' "$out" | tail -n 1)
	fpid=$2 epid=$3
	cr_pids="$cr_pids $fpid $epid"
	cr_checkpoint "$fpid" "$tmp/ckpt-kids-$fpid.zst"
	is_image "$tmp/ckpt-kids-$fpid.zst" kids "$fpid"
	# hello prints once libckpt's handler is in place
	cr_wait_line "$out" '^count 1$' "$epid"
	cr_checkpoint "$epid" "$tmp/ckpt-hello-$epid.zst"
	is_image "$tmp/ckpt-hello-$epid.zst" hello "$epid"
	rm -f "$tmp/ckpt-kids-$fpid.zst" "$tmp/ckpt-hello-$epid.zst"
}

# hints NAME N: NAME.err holds N lines, each a child's saying where its
# first image went instead of CKPT_FILE, and nothing else.
hints() {
	re="^libckpt: $tmp/ckpt-(kids|hello)-[0-9]+\\.zst: CKPT_FILE is the process's that started with it, not this child's: its image goes to the default name\$"
	n=$(grep -Ec "$re" "$tmp/$1.err")
	[ "$n" -eq "$2" ] && [ "$(wc -l <"$tmp/$1.err")" -eq "$2" ] ||
	    cr_fail "want $2 lines on where a child's image goes, got:" \
		"$(head -n 3 "$tmp/$1.err")"
}

# orphans PARENT: once PARENT is killed, its children write nothing by
# themselves, to CKPT_FILE or anywhere, in 2.5 intervals.
orphans() {
	cr_kill "$1"
	sleep 1		# a snapshot of the parent may still be renaming
	rm -f "$img"
	sleep 2.5
	for f in "$img" "$tmp"/ckpt-*.zst; do
		[ ! -e "$f" ] || cr_fail "${f##*/} appeared after pid $1" \
		    "was killed: $("$INSPECT" "$f" 2>&1 | sed -n 2,3p |
		    tr -s '\n ' '  ')"
	done
	cr_say "no checkpoint from the orphans of pid $1"
	cr_kill "$fpid"
	cr_kill "$epid"
}

cr_start par CKPT_INTERVAL=1 CKPT_FILE="$img" "$TESTBIN/kids" \
    "$TESTBIN/hello" 300
pid=$CR_PID
children par "$pid"
rm -f "$img"
cr_wait_file "$img" "$pid" 10
is_image "$img" kids "$pid"
cp "$img" "$tmp/par.zst"
orphans "$pid"
hints par 2

# The restored parent: its images at CKPT_FILE, its new children's not.
cr_restart_bg rst "$tmp/par.zst"
rpid=$CR_PID
cr_wait_file "$img" "$rpid" 10
is_image "$img" kids "$rpid"
kill -USR1 "$rpid"
children rst "$rpid"
# ... and the program it execs in its own process takes them over.
cr_kill "$epid"
lines=$(wc -l <"$tmp/rst.out")
kill -HUP "$rpid"
i=0
until tail -n +$((lines + 1)) "$tmp/rst.out" | grep -q '^count 5$'; do
	i=$((i + 1))
	[ "$i" -le 200 ] && cr_alive "$rpid" ||
	    cr_fail "pid $rpid did not exec hello and count to 5"
	sleep 0.05
done
rm -f "$img"
cr_wait_file "$img" "$rpid" 10
is_image "$img" hello "$rpid"
orphans "$rpid"
hints rst 2

# A child with a CKPT_FILE of its own.
envp=$(command -v env) || cr_error "no env(1) in PATH"
cr_start own CKPT_INTERVAL=1 CKPT_FILE="$img" "$TESTBIN/kids" "$envp" \
    CKPT_FILE="$tmp/child.zst" "$TESTBIN/hello" 300
pid=$CR_PID
cr_wait_line "$tmp/own.out" '^kids [0-9]+ [0-9]+$' "$pid"
set -- $(grep '^kids ' "$tmp/own.out")
cr_pids="$cr_pids $2 $3"
cr_wait_file "$tmp/child.zst" "$3" 10
is_image "$tmp/child.zst" hello "$3"
rm -f "$img"
cr_wait_file "$img" "$pid" 10
is_image "$img" kids "$pid"
cr_quiet own
cr_kill "$pid"
cr_kill "$2"
cr_kill "$3"

# A wrapper exec'ing its program in the same process.
cr_start wrap CKPT_INTERVAL=1 CKPT_FILE="$tmp/wrap.zst" sh -c \
    "exec '$TESTBIN/hello' 300"
pid=$CR_PID
cr_wait_file "$tmp/wrap.zst" "$pid" 10
is_image "$tmp/wrap.zst" hello "$pid"
cr_checkpoint "$pid" "$tmp/wrap.zst"
is_image "$tmp/wrap.zst" hello "$pid"
cr_quiet wrap
cr_kill "$pid"
exit 0
