#!/bin/sh
# t-real-sockets-reuseaddr: a bound UDP socket and an idle TCP socket the
# program set SO_REUSEADDR on have it again after restart, so a second
# socket with SO_REUSEADDR can still share the UDP socket's address.
# restart set SO_REUSEADDR on listening sockets only, and the others came
# back without it.
. "$srcdir/tests/cr-lib.sh"

py=$(command -v python3 2>/dev/null) || cr_skip "no python3"
cat >"$tmp/reuse.py" <<'PY'
import os, socket, sys, time
go = sys.argv[1]
R = (socket.SOL_SOCKET, socket.SO_REUSEADDR)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.setsockopt(*R, 1)
u.bind(("127.0.0.1", 0))
t = socket.socket()
t.setsockopt(*R, 1)
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.05)
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
v.setsockopt(*R, 1)
try:
    v.bind(u.getsockname())
    shared = "yes"
except OSError as e:
    shared = e.strerror
print("udp", u.getsockopt(*R), "tcp", t.getsockopt(*R), "shared", shared,
    flush=True)
PY
cr_ready_ckpt "$py" "$tmp/reuse.py"
cr_go_exit
grep -q '^udp 1 tcp 1 shared yes$' "$tmp/p1.out" ||
    cr_fail "after restart: '$(cat "$tmp/p1.out")'," \
	"want 'udp 1 tcp 1 shared yes'"
[ ! -s "$tmp/p1.err" ] || cr_fail "restart said: $(head -n 2 "$tmp/p1.err")"
exit 0
