#!/bin/sh
# t-real-python-server: python3's http.server, checkpointed after serving
# one request, killed and restarted, listens on the same port again and
# goes on counting: the next request is its second, served by the
# restored process.  Before format 1.4 its listening socket failed on use
# and the server died.
. "$srcdir/tests/cr-lib.sh"

py=$(command -v python3 2>/dev/null) || cr_skip "no python3"
get() {
	"$py" -c 'import sys, urllib.request
print(urllib.request.urlopen("http://127.0.0.1:%s/" % sys.argv[1],
    timeout=20).read().decode(), end="")' "$1"
}

cr_img=$tmp/p.zst
cr_start p0 CKPT_FILE="$cr_img" "$py" "$srcdir/tests/real-server.py"
cr_wait_line "$tmp/p0.out" '^port [0-9][0-9]*$' "$CR_PID"
port=$(sed -n 's/^port //p' "$tmp/p0.out")
[ "$(get "$port")" = "hit 1 pid $CR_PID" ] || cr_fail "first request failed"
cr_checkpoint "$CR_PID" "$cr_img"
cr_kill "$CR_PID"
cr_quiet p0
cr_restart_bg p1 "$cr_img"
got=$(get "$port") || cr_fail "no answer after restart: $(cat "$tmp/p1.err")"
[ "$got" = "hit 2 pid $CR_PID" ] ||
    cr_fail "after restart: '$got', want 'hit 2 pid $CR_PID'"
cr_kill "$CR_PID"
[ ! -s "$tmp/p1.err" ] || cr_fail "restart said: $(head -n 3 "$tmp/p1.err")"
exit 0
