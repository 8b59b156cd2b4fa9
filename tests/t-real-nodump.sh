#!/bin/sh
# t-real-nodump: a program that made itself not dumpable (PR_SET_DUMPABLE
# 0), run by a user other than root, is checkpointed, restarted, and
# checkpointed and restarted again (rnodump.c).  Its /proc files belong
# to root then; the snapshot used to be refused /proc/self/mem, so no
# image was written.  As root, the programs run as nobody (setpriv).
. "$srcdir/tests/cr-lib.sh"

as=
d=$tmp
if [ "$(id -u)" -eq 0 ]; then
	command -v setpriv >/dev/null 2>&1 || cr_skip "no setpriv(1)"
	id nobody >/dev/null 2>&1 || cr_skip "no user nobody"
	as="setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups"
	d=$tmp/n
	mkdir "$d" && chown nobody "$d" && chmod 755 "$tmp" ||
	    cr_error "cannot make a directory for nobody"
	$as test -x "$TESTBIN/rnodump" -a -r "$LIBCKPT" -a -x "$RESTART" ||
	    cr_skip "nobody cannot run the programs under test"
fi
img=$d/p.zst

cr_start p0 CKPT_FILE="$img" $as "$TESTBIN/rnodump" "$tmp/go"
cr_wait_line "$tmp/p0.out" '^ready$' "$CR_PID"
cr_checkpoint "$CR_PID" "$img"
cr_kill "$CR_PID"
cr_quiet p0

# nd_restart NAME: restart $img as the same user, in the background
# (cr_restart_bg, under $as).  Sets CR_PID.
nd_restart() {
	: >"$tmp/$1.out"
	: >"$tmp/$1.err"
	"$CR_RUN" $as "$RESTART" "$img" >"$tmp/$1.out" 2>"$tmp/$1.err" \
	    </dev/null &
	CR_PID=$!
	cr_pids="$cr_pids $CR_PID"
	cr_say "restarted $1 as pid $CR_PID"
}

# restarted, checkpointed again there, restarted again
nd_restart p1
cr_wait_line "$tmp/p1.out" "^resumed pid $CR_PID\$" "$CR_PID"
cr_checkpoint "$CR_PID" "$img"
cr_kill "$CR_PID"
[ ! -s "$tmp/p1.err" ] || cr_fail "p1: $(head -n 3 "$tmp/p1.err")"
nd_restart p2
cr_wait_line "$tmp/p2.out" "^resumed pid $CR_PID\$" "$CR_PID"
: >"$tmp/go"
cr_wait_exit "$CR_PID" 30
cr_expect_pass p2 "$CR_STATUS"
exit 0
