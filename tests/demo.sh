#!/bin/sh
# demo.sh - `make demo`: the mini-DMTCP demo, done properly.
#
# A small counter (tests/hello) is started under libckpt, checkpointed by
# SIGUSR2, killed, shown with ckpt-inspect, and restarted: it goes on
# counting from where it stopped, in restart's process.  The Makefile
# passes LIBCKPT, RESTART, INSPECT and TESTBIN.  Every wait is bounded;
# any failure ends the demo with a non-zero status.
set -u

say() {
	echo "demo: $*"
}

die() {
	echo "demo: FAILED: $*" >&2
	exit 1
}

: "${LIBCKPT:?}" "${RESTART:?}" "${INSPECT:?}" "${TESTBIN:?}"
[ -f "$LIBCKPT" ] || die "$LIBCKPT not built"
[ -x "$RESTART" ] || die "$RESTART not built"
[ -x "$TESTBIN/hello" ] || die "$TESTBIN/hello not built"
# cr-run starts a program with only fds 0-2: no leaked descriptor (make's,
# a terminal's) ends up in the image for restart to warn about
run=$TESTBIN/cr-run
[ -x "$run" ] || die "$run not built"

dir=$(mktemp -d "${TMPDIR:-/tmp}/ckpt-demo.XXXXXX") ||
    die "cannot make a temporary directory"
pid=
trap '[ -z "$pid" ] || kill -9 "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
trap 'exit 1' HUP INT TERM
cd "$dir" || die "cannot cd to $dir"

alive() {
	[ -r "/proc/$1/stat" ] &&
	    ! sed -e 's/^.*) //' "/proc/$1/stat" 2>/dev/null | grep -q '^[ZX]'
}

# follow FILE PID SECONDS [UNTIL-REGEX]: shows FILE's lines as they come,
# until PID ends (or a line matches UNTIL-REGEX); fails after SECONDS.
follow() {
	shown=0 i=0
	while :; do
		n=$(wc -l <"$1")
		if [ "$n" -gt "$shown" ]; then
			sed -n "$((shown + 1)),${n}p" "$1" | sed 's/^/    | /'
			[ -n "${4:-}" ] &&
			    sed -n "$((shown + 1)),${n}p" "$1" | grep -Eq "$4" &&
			    return 0
			shown=$n
		fi
		alive "$2" || {
			n=$(wc -l <"$1")
			[ "$n" -le "$shown" ] ||
			    sed -n "$((shown + 1)),${n}p" "$1" | sed 's/^/    | /'
			return 0
		}
		i=$((i + 1))
		[ "$i" -le $(($3 * 10)) ] || die "waited $3 s for $2"
		sleep 0.1
	done
}

say "in $dir"
say "starting: LD_PRELOAD=libckpt.so hello 30 (counts to 30, one every 0.2 s)"
"$run" env LD_PRELOAD="$LIBCKPT" "$TESTBIN/hello" 30 >hello.out 2>hello.err \
    </dev/null &
pid=$!
say "hello runs as pid $pid"
follow hello.out "$pid" 20 '^count 8$'
alive "$pid" || die "hello died: $(cat hello.err)"

img=ckpt-hello-$pid.zst
at=$(grep '^count ' hello.out | tail -n 1)
say "kill -USR2 $pid (after \"$at\"): checkpoint, and hello keeps counting"
kill -s USR2 "$pid" || die "cannot signal pid $pid"
i=0
while [ ! -e "$img" ]; do
	i=$((i + 1))
	[ "$i" -le 200 ] || die "no image $img after 20 s"
	alive "$pid" || die "hello died: $(cat hello.err)"
	sleep 0.1
done
say "image written: $img ($(wc -c <"$img") bytes)"
# braces: bash's "Killed" job notice goes to the redirection too
{ kill -9 "$pid"; wait "$pid"; } 2>/dev/null
last=$(grep '^count ' hello.out | tail -n 1)
pid=
say "killed hello with SIGKILL; its last line was \"$last\"" \
    "(it counted on while the image was written)"
[ ! -s hello.err ] || die "libckpt complained: $(cat hello.err)"

say "ckpt-inspect $img:"
timeout 30 "$INSPECT" "$img" >inspect.out 2>&1 ||
    die "ckpt-inspect failed: $(tail -n 1 inspect.out)"
sed 's/^/    | /' inspect.out

say "restart $img: the same counter, back from the image"
"$run" "$RESTART" "$img" >restart.out 2>restart.err </dev/null &
pid=$!
say "restart runs as pid $pid; the restored hello keeps that pid"
follow restart.out "$pid" 30
st=0
wait "$pid" || st=$?
pid=
[ "$st" -eq 0 ] || die "restart exited with status $st: $(cat restart.err)"
[ ! -s restart.err ] || die "restart complained: $(cat restart.err)"
first=$(grep -m 1 '^count ' restart.out | cut -d' ' -f2)
[ -n "$first" ] || die "the restored hello printed no count"
[ "$first" -le $((${last#count } + 1)) ] ||
    die "the restored hello skipped from ${last#count } to $first"
tail -n 1 restart.out | grep -q '^done$' || die "the restored hello did not finish"
say "checkpointed after ${at#count }, the restored hello went on from" \
    "$first to done, in restart's pid: it works"
exit 0
