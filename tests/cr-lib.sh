# cr-lib.sh - shared helpers for the checkpoint/restart tests (sourced by
# every tests/t-cr-*.sh; POSIX sh).
#
# The harness (AM_TESTS_ENVIRONMENT) exports LIBCKPT, RESTART, INSPECT,
# TESTBIN and srcdir.  A test sources this file, which makes a private
# scratch directory ($tmp), cd's into it and arranges that on exit every
# process the test started is killed and the directory removed.
#
# Invariants:
#  - every wait is bounded (CR_WAIT seconds unless told otherwise): a test
#    fails with a message saying what it waited for, it never hangs;
#  - a failing test shows the tail of every .out/.err file of its scratch
#    directory in its log, so the log alone tells what happened;
#  - programs start with LD_PRELOAD set for them alone (through env(1)),
#    never for the shell, timeout(1) or restart;
#  - programs and restart start through cr-run, with only fds 0-2 open:
#    an image holds exactly the descriptors the test gave the program, not
#    whatever the process running `make check` leaked to us;
#  - all paths handed to programs are absolute: a restored program keeps
#    restart's working directory, not its own.
#
# Exit codes follow automake: 0 pass, 1 fail, 77 skip, 99 hard error (the
# test could not set itself up).

set -u

cr_test=${0##*/}
cr_test=${cr_test%.sh}
CR_WAIT=${CR_WAIT:-20}
cr_pids=
tmp=

cr_say() {
	echo "$cr_test: $*"
}

cr_show_files() {
	[ -n "$tmp" ] && [ -d "$tmp" ] || return 0
	for f in "$tmp"/*.out "$tmp"/*.err; do
		[ -f "$f" ] || continue
		echo "---- ${f##*/} (last 15 lines of $(wc -l <"$f"))"
		tail -n 15 "$f" | cut -c1-200
	done
	echo "---- scratch directory:"
	ls -la "$tmp"
}

# cr_fail MSG: the test failed.
cr_fail() {
	echo "$cr_test: FAIL: $*" >&2
	cr_show_files >&2
	exit 1
}

cr_skip() {
	echo "$cr_test: SKIP: $*"
	exit 77
}

cr_error() {
	echo "$cr_test: ERROR: $*" >&2
	exit 99
}

# CR_ATEXIT: a command a test wants run on exit, after the kills.
CR_ATEXIT=
cr_cleanup() {
	for p in $cr_pids; do
		kill -9 "$p" 2>/dev/null
	done
	[ -z "$CR_ATEXIT" ] || eval "$CR_ATEXIT"
	cd / && [ -n "$tmp" ] && rm -rf "$tmp"
}

[ -n "${LIBCKPT:-}" ] && [ -n "${RESTART:-}" ] && [ -n "${TESTBIN:-}" ] ||
    cr_error "LIBCKPT, RESTART and TESTBIN must be set: run through make check"
: "${INSPECT:=}"
: "${srcdir:=.}"
srcdir=$(cd "$srcdir" && pwd) || cr_error "srcdir $srcdir not found"
[ -f "$LIBCKPT" ] || cr_error "$LIBCKPT not built"
[ -x "$RESTART" ] || cr_error "$RESTART not built"
CR_RUN=$TESTBIN/cr-run
[ -x "$CR_RUN" ] || cr_error "$CR_RUN not built"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/$cr_test.XXXXXX") ||
    cr_error "cannot make a scratch directory"
trap cr_cleanup EXIT
trap 'exit 99' HUP INT TERM
cd "$tmp" || cr_error "cannot cd to $tmp"

# cr_alive PID: the process exists and is not a zombie.
cr_alive() {
	[ -r "/proc/$1/stat" ] || return 1
	cr_st=$(sed -e 's/^.*) //' -e 's/ .*//' "/proc/$1/stat" 2>/dev/null) ||
	    return 1
	[ -n "$cr_st" ] && [ "$cr_st" != Z ] && [ "$cr_st" != X ]
}

# cr_start NAME [VAR=value ...] PROGRAM [ARG ...]: starts PROGRAM under
# libckpt in the background, stdout in NAME.out, stderr in NAME.err,
# stdin from /dev/null.  Sets CR_PID (the program's own pid).
cr_start() {
	cr_n=$1
	shift
	# emptied here, not by the background job's redirection, which may
	# come after a wait for a line in NAME.out from a run of the same name
	: >"$tmp/$cr_n.out"
	: >"$tmp/$cr_n.err"
	"$CR_RUN" env LD_PRELOAD="$LIBCKPT" "$@" >"$tmp/$cr_n.out" \
	    2>"$tmp/$cr_n.err" </dev/null &
	CR_PID=$!
	cr_pids="$cr_pids $CR_PID"
	cr_say "started $cr_n as pid $CR_PID: $*"
}

# cr_restart_bg NAME IMAGE [ARG ...]: starts restart in the background
# (stdout NAME.out, stderr NAME.err).  Sets CR_PID: restart's pid, which
# the restored program keeps.
cr_restart_bg() {
	cr_n=$1
	shift
	: >"$tmp/$cr_n.out"
	: >"$tmp/$cr_n.err"
	"$CR_RUN" "$RESTART" "$@" >"$tmp/$cr_n.out" 2>"$tmp/$cr_n.err" \
	    </dev/null &
	CR_PID=$!
	cr_pids="$cr_pids $CR_PID"
	cr_say "restarted $cr_n as pid $CR_PID: restart $*"
}

# cr_restart NAME SECONDS IMAGE [ARG ...]: runs restart in the foreground
# under timeout(1).  Sets CR_STATUS; fails if it had to be killed.
cr_restart() {
	cr_n=$1
	cr_t=$2
	shift 2
	CR_STATUS=0
	timeout -k 5 "$cr_t" "$CR_RUN" "$RESTART" "$@" >"$tmp/$cr_n.out" \
	    2>"$tmp/$cr_n.err" </dev/null || CR_STATUS=$?
	case $CR_STATUS in
	124|137)
		cr_fail "restart $* ($cr_n) did not finish within $cr_t s" ;;
	esac
}

# cr_wait_line FILE EXTENDED-REGEX [PID [SECONDS]]: waits for a line of
# FILE to match.  With PID, fails as soon as that process is gone without
# having written it.
cr_wait_line() {
	cr_f=$1 cr_re=$2 cr_p=${3:-} cr_t=${4:-$CR_WAIT}
	cr_i=0
	while ! grep -Eq -- "$cr_re" "$cr_f" 2>/dev/null; do
		if [ -n "$cr_p" ] && ! cr_alive "$cr_p"; then
			grep -Eq -- "$cr_re" "$cr_f" 2>/dev/null && return 0
			cr_fail "pid $cr_p ended without writing /$cr_re/ to" \
			    "${cr_f##*/}"
		fi
		cr_i=$((cr_i + 1))
		[ "$cr_i" -le $((cr_t * 20)) ] ||
		    cr_fail "no line /$cr_re/ in ${cr_f##*/} after $cr_t s"
		sleep 0.05
	done
}

# cr_wait_file FILE [PID [SECONDS]]: waits for FILE to exist.
cr_wait_file() {
	cr_f=$1 cr_p=${2:-} cr_t=${3:-$CR_WAIT}
	cr_i=0
	while [ ! -e "$cr_f" ]; do
		if [ -n "$cr_p" ] && ! cr_alive "$cr_p"; then
			[ -e "$cr_f" ] && return 0
			cr_fail "pid $cr_p ended before ${cr_f##*/} appeared"
		fi
		cr_i=$((cr_i + 1))
		[ "$cr_i" -le $((cr_t * 20)) ] ||
		    cr_fail "${cr_f##*/} did not appear within $cr_t s"
		sleep 0.05
	done
}

# cr_checkpoint PID IMAGE [SIGNAL]: removes IMAGE, sends SIGNAL (default
# USR2) to PID, waits for IMAGE to appear (it appears whole, by rename)
# and checks that PID is still running.
cr_checkpoint() {
	cr_p=$1 cr_img=$2 cr_sig=${3:-USR2}
	rm -f "$cr_img"
	kill -s "$cr_sig" "$cr_p" 2>/dev/null ||
	    cr_fail "cannot send SIG$cr_sig to pid $cr_p: it is gone"
	cr_wait_file "$cr_img" "$cr_p"
	cr_alive "$cr_p" ||
	    cr_fail "pid $cr_p died after writing ${cr_img##*/}"
	cr_say "pid $cr_p checkpointed to ${cr_img##*/}" \
	    "($(wc -c <"$cr_img") bytes)"
}

# cr_wait_exit PID [SECONDS]: waits for PID (a child of this shell) to end
# and sets CR_STATUS to its exit status; kills it and fails on timeout.
cr_wait_exit() {
	cr_p=$1 cr_t=${2:-$CR_WAIT}
	cr_i=0
	while cr_alive "$cr_p"; do
		cr_i=$((cr_i + 1))
		if [ "$cr_i" -gt $((cr_t * 20)) ]; then
			kill -9 "$cr_p" 2>/dev/null
			cr_fail "pid $cr_p still running after $cr_t s"
		fi
		sleep 0.05
	done
	CR_STATUS=0
	wait "$cr_p" || CR_STATUS=$?
}

# cr_kill PID: kill -9 and wait for it to be gone.
cr_kill() {
	kill -9 "$1" 2>/dev/null
	cr_wait_exit "$1" 10
	cr_say "killed pid $1"
}

# cr_expect_pass NAME STATUS [ERR-REGEX]: NAME.out ends with a PASS line,
# has no FAIL line, and STATUS is 0; NAME.err is empty, or with ERR-REGEX
# has only lines that match it.
cr_expect_pass() {
	cr_n=$1 cr_s=$2 cr_e=${3:-}
	if grep -q '^FAIL' "$tmp/$cr_n.out"; then
		cr_fail "$cr_n: $(grep '^FAIL' "$tmp/$cr_n.out" | head -n 3 |
		    tr '\n' ' ')"
	fi
	[ "$cr_s" -eq 0 ] || cr_fail "$cr_n: exit status $cr_s $(cr_sig_name "$cr_s")"
	tail -n 1 "$tmp/$cr_n.out" | grep -q '^PASS' ||
	    cr_fail "$cr_n: no PASS at the end of its output"
	if [ -n "$cr_e" ]; then
		! grep -Evq -- "$cr_e" "$tmp/$cr_n.err" || cr_fail "$cr_n:" \
		    "unexpected stderr: $(grep -Ev -- "$cr_e" "$tmp/$cr_n.err" |
		    head -n 3)"
	else
		[ ! -s "$tmp/$cr_n.err" ] || cr_fail "$cr_n: unexpected" \
		    "stderr: $(head -n 3 "$tmp/$cr_n.err")"
	fi
}

# cr_sig_name STATUS: "(killed by SIGSEGV)" for statuses above 128.
cr_sig_name() {
	[ "$1" -gt 128 ] 2>/dev/null || return 0
	echo "(killed by SIG$(kill -l "$1" 2>/dev/null || echo "$(($1 - 128))"))"
}

# cr_counts FILE: checks that FILE holds "count A" ... "count B" with no gap
# or repeat, optionally followed by "done", and nothing else.  Sets
# CR_FIRST=A, CR_LAST=B and CR_DONE (1 or 0), or fails.
cr_counts() {
	cr_r=$(awk '
	    /^count [0-9]+$/ {
		n = $2 + 0
		if (done) { print "line " NR ": count after done"; exit 1 }
		if (seen && n != last + 1) {
			print "line " NR ": count " n " after count " last
			exit 1
		}
		if (!seen) first = n
		seen = 1; last = n; next
	    }
	    /^done$/ { if (done) { print "line " NR ": done twice"; exit 1 }
		done = 1; next }
	    { print "line " NR ": unexpected \"" substr($0, 1, 60) "\""; exit 1 }
	    END { if (!seen) { print "no count at all"; exit 1 }
		print first, last, done + 0 }' "$1") ||
	    cr_fail "${1##*/}: $cr_r"
	set -- $cr_r
	CR_FIRST=$1 CR_LAST=$2 CR_DONE=$3
}

# cr_random LO HI: a random integer in [LO, HI].
cr_random() {
	cr_r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	echo $(($1 + cr_r % ($2 - $1 + 1)))
}

# cr_restart_preload SO: from here on, restart runs with the library SO
# (a test shim, such as insp-shrink.so) preloaded: RESTART becomes a
# wrapper, so that restart alone gets it, not the shell or timeout(1).
cr_restart_preload() {
	[ -f "$1" ] || cr_error "$1 not built"
	cat >"$tmp/restart-preload" <<EOS
#!/bin/sh
LD_PRELOAD='$1' exec '$RESTART' "\$@"
EOS
	chmod +x "$tmp/restart-preload"
	RESTART=$tmp/restart-preload
}

# cr_refused IMAGE: runs restart on a damaged IMAGE, which it must refuse
# cleanly: exit status 1 within 30 s, nothing on stdout (the program did
# not run), exactly one line "restart: IMAGE: what" on stderr, left in
# $tmp/case.err.  Sets CR_WHY to what was wrong, or to "" if all was right.
cr_refused() {
	cr_st=0
	timeout -k 5 30 "$CR_RUN" "$RESTART" "$1" >"$tmp/case.out" \
	    2>"$tmp/case.err" </dev/null || cr_st=$?
	CR_WHY=
	if [ "$cr_st" -eq 124 ] || [ "$cr_st" -eq 137 ]; then
		CR_WHY="hung (killed after 30 s)"
	elif [ "$cr_st" -ne 1 ]; then
		CR_WHY="exit status $cr_st $(cr_sig_name "$cr_st")"
	elif [ -s "$tmp/case.out" ]; then
		CR_WHY="the program ran: $(head -n 1 "$tmp/case.out")"
	elif [ "$(wc -l <"$tmp/case.err")" -ne 1 ]; then
		CR_WHY="$(wc -l <"$tmp/case.err") lines on stderr"
	elif ! grep -q "^restart: $1: ." "$tmp/case.err"; then
		CR_WHY="stderr not \"restart: $1: ...\": $(cat "$tmp/case.err")"
	fi
}

# cr_flip FILE OFFSET BIT: inverts one bit of the byte at OFFSET, in place.
cr_flip() {
	cr_b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' \n')
	[ -n "$cr_b" ] || cr_error "flip: $1 has no byte at $2"
	printf "\\$(printf %03o $((cr_b ^ (1 << $3))))" |
	    dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# cr_quiet NAME: fails if the program started as NAME wrote to stderr.
cr_quiet() {
	[ ! -s "$tmp/$1.err" ] ||
	    cr_fail "the program wrote to stderr: $(head -n 2 "$tmp/$1.err")"
}

# cr_sleeprem_interval NAME ARG...: runs rsleeprem ARG... with
# CKPT_INTERVAL=1 until it ends; requires exit 0, "done" and at least two
# interval checkpoints, whose number it leaves in CR_N.
cr_sleeprem_interval() {
	cr_sn=$1
	shift
	cr_start "$cr_sn" CKPT_INTERVAL=1 CKPT_VERBOSE=1 \
	    CKPT_FILE="$tmp/$cr_sn.zst" "$TESTBIN/rsleeprem" "$@"
	cr_wait_line "$tmp/$cr_sn.out" '^ready$' "$CR_PID"
	cr_wait_exit "$CR_PID" 30
	[ "$CR_STATUS" -eq 0 ] && grep -q '^done$' "$tmp/$cr_sn.out" ||
	    cr_fail "rsleeprem $*: exit status $CR_STATUS" \
		"$(cr_sig_name "$CR_STATUS")"
	CR_N=$(grep -c 'checkpoint written' "$tmp/$cr_sn.err")
	[ "$CR_N" -ge 2 ] ||
	    cr_fail "rsleeprem $*: only $CR_N interval checkpoints"
}

# cr_sleeprem_restored NAME ARG...: checkpoints rsleeprem ARG... (with
# CKPT_INTERVAL=1) once it is ready, kills it, restarts the image and
# requires the restored program to say "done" and exit 0.
cr_sleeprem_restored() {
	cr_sn=$1
	shift
	cr_start "$cr_sn" CKPT_INTERVAL=1 CKPT_FILE="$tmp/$cr_sn.zst" \
	    "$TESTBIN/rsleeprem" "$@"
	cr_wait_line "$tmp/$cr_sn.out" '^ready$' "$CR_PID"
	cr_checkpoint "$CR_PID" "$tmp/$cr_sn.zst"
	cr_kill "$CR_PID"
	cr_restart "r$cr_sn" 40 "$tmp/$cr_sn.zst"
	[ "$CR_STATUS" -eq 0 ] && grep -q '^done$' "$tmp/r$cr_sn.out" ||
	    cr_fail "restored rsleeprem $*: exit status $CR_STATUS" \
		"$(cr_sig_name "$CR_STATUS")"
}

# cr_expect_event WD: the restored python program (cr_go_exit) printed
# "event WD 2 want WD 2", an IN_MODIFY from watch WD, and restart said
# nothing.
cr_expect_event() {
	grep -q "^event $1 2 want $1 2\$" "$tmp/p1.out" ||
	    cr_fail "no event from watch $1 after restart:" \
		"$(cat "$tmp/p1.out") $(head -n 2 "$tmp/p1.err")"
	[ ! -s "$tmp/p1.err" ] ||
	    cr_fail "restart said: $(head -n 2 "$tmp/p1.err")"
}

# cr_copied_live PROG IMAGE: runs PROG LIVEFILE under libckpt until it
# says "ready", checkpoints it to IMAGE, requires CKPT_VERBOSE's line to
# say scattered pages were copied out before the fork, then creates
# LIVEFILE and requires the program's PASS on what it checks live (s0).
cr_copied_live() {
	cr_start s0 CKPT_FILE="$2" CKPT_VERBOSE=1 "$1" "$tmp/live"
	cr_wait_line "$tmp/s0.out" '^ready$' "$CR_PID"
	cr_checkpoint "$CR_PID" "$2"
	cr_wait_line "$tmp/s0.err" 'checkpoint written' "$CR_PID"
	grep -q ' MiB of scattered pages copied before the fork' \
	    "$tmp/s0.err" || cr_fail "the scattered pages were not copied" \
	    "out: $(cat "$tmp/s0.err")"
	: >"$tmp/live"
	cr_wait_exit "$CR_PID" 60
	cr_expect_pass s0 "$CR_STATUS" 'checkpoint written'
}

# cr_ready_go PROG [ARG...]: the zdtm cycle for a program that takes a
# GOFILE last: cr_ready_ckpt, then cr_go_pass.
cr_ready_go() {
	cr_ready_ckpt "$@"
	cr_go_pass
}

# cr_ready_ckpt PROG [ARG...]: runs PROG ARG... GOFILE under libckpt until
# it says "ready" (maybe followed by words of its own), checkpoints it to
# $cr_img (quietly) and kills it.
cr_ready_ckpt() {
	cr_img=$tmp/p.zst
	cr_start p0 CKPT_FILE="$cr_img" "$@" "$tmp/go"
	cr_wait_line "$tmp/p0.out" '^ready( |$)' "$CR_PID"
	cr_checkpoint "$CR_PID" "$cr_img"
	cr_kill "$CR_PID"
	cr_quiet p0
}

# cr_go_pass [ERR-REGEX]: restarts $cr_img, creates GOFILE once the program
# says it resumed, and requires PASS (cr_expect_pass's ERR-REGEX).
cr_go_pass() {
	cr_restart_bg p1 "$cr_img"
	cr_wait_line "$tmp/p1.out" "^resumed pid $CR_PID\$" "$CR_PID"
	: >"$tmp/go"
	cr_wait_exit "$CR_PID" 30
	cr_expect_pass p1 "$CR_STATUS" "${1:-}"
}

# cr_go_exit: restarts $cr_img, creates GOFILE at once and requires the
# restored program to exit 0, for programs that print what they found
# instead of PASS (the test checks that output).
cr_go_exit() {
	cr_restart_bg p1 "$cr_img"
	: >"$tmp/go"
	cr_wait_exit "$CR_PID" 60
	[ "$CR_STATUS" -eq 0 ] || cr_fail "the restarted run exited with" \
	    "$CR_STATUS: $(head -n 3 "$tmp/p1.err")"
}
