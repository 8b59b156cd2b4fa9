#!/bin/sh
# t-real-inotify: an inotify descriptor comes back with its watches under
# their old numbers (a gap left by a removed watch, a path given relative
# to an old working directory); the watch of a file removed before restart
# is left out with one warning.  Then tail -f, which follows its file with
# inotify and stops at the first error reading it, goes on following
# after restart.
. "$srcdir/tests/cr-lib.sh"

mkdir "$tmp/d"
cr_ready_ckpt "$TESTBIN/rinotify" "$tmp/d"
rm "$tmp/d/gone"
cr_go_pass \
    "^restart: $cr_img: warning: fd [0-9]+ \\(inotify\\): 1 of its watches not made again \\(the file is gone or was replaced, or its path is unknown\\)\$"
grep -q 'warning: fd [0-9]* (inotify): 1 of its' "$tmp/p1.err" ||
    cr_fail "no warning for the removed file's watch"
"$INSPECT" "$cr_img" | grep -q '  inotify .*anon_inode:inotify  4 watches$' ||
    cr_fail "ckpt-inspect does not show the 4 watches"
"$INSPECT" --json "$cr_img" | python3 -c '
import json, sys
w = [f["watches"] for f in json.load(sys.stdin)["fds"] if f["kind"] == "inotify"]
sys.exit(w != [4])' || cr_fail "ckpt-inspect --json does not say 4 watches"

command -v tail >/dev/null 2>&1 || cr_skip "no tail"
echo one >"$tmp/log"
cr_img=$tmp/tail.zst
cr_start t0 CKPT_FILE="$cr_img" tail -f "$tmp/log"
cr_wait_line "$tmp/t0.out" '^one$' "$CR_PID"
cr_checkpoint "$CR_PID" "$cr_img"
cr_kill "$CR_PID"
cr_quiet t0
cr_restart_bg t1 "$cr_img"
# tail prints nothing when it comes back: its restored command line says
# the hand-over is done (a line appended before restart watches the file
# would be missed, as by any program not running then)
i=0
until tr '\0' ' ' <"/proc/$CR_PID/cmdline" 2>/dev/null | grep -q '^tail -f'; do
	[ "$i" -lt 400 ] && cr_alive "$CR_PID" ||
	    cr_fail "restart of tail -f did not hand over"
	sleep 0.05
	i=$((i + 1))
done
echo two >>"$tmp/log"
cr_wait_line "$tmp/t1.out" '^two$' "$CR_PID"
echo three >>"$tmp/log"
cr_wait_line "$tmp/t1.out" '^three$' "$CR_PID"
cr_kill "$CR_PID"
! grep -v '^restart: .*: warning: fd [0-9]* (.*) cannot be restored' \
    "$tmp/t1.err" | grep -q . ||
    cr_fail "tail after restart said: $(head -n 2 "$tmp/t1.err")"
exit 0
