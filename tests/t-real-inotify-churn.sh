#!/bin/sh
# t-real-inotify-churn: a program that has watched more than 8192 files
# that were deleted since (the kernel removed those watches itself), then
# watches one more file, is checkpointed, killed and restarted: that last
# watch comes back under its number and reports the file's changes.
# libckpt's table of watch paths used to keep the slots of watches the
# kernel had removed, so once full it noted no more, and restart left the
# last watch out ("its path is unknown").
. "$srcdir/tests/cr-lib.sh"

py=$(command -v python3 2>/dev/null) || cr_skip "no python3"
mkdir "$tmp/d" || cr_error "cannot make $tmp/d"
: >"$tmp/d/keep"
cat >"$tmp/churn.py" <<'PY'
import ctypes, os, struct, sys, time
libc = ctypes.CDLL(None, use_errno=True)
d, go = sys.argv[1], sys.argv[2]
fd = libc.inotify_init1(os.O_NONBLOCK)
for i in range(8300):
    p = os.path.join(d, "t%d" % i).encode()
    open(p, "w").close()
    if libc.inotify_add_watch(fd, p, 0x2) < 0:
        sys.exit("inotify_add_watch failed")
    os.unlink(p)
time.sleep(0.1)
try:
    while os.read(fd, 65536):
        pass
except BlockingIOError:
    pass
keep = libc.inotify_add_watch(fd, os.path.join(d, "keep").encode(), 0x2)
print("ready", keep, flush=True)
while not os.path.exists(go):
    time.sleep(0.05)
with open(os.path.join(d, "keep"), "a") as f:
    f.write("x")
os.set_blocking(fd, True)
wd, mask = struct.unpack_from("iI", os.read(fd, 4096))
print("event", wd, mask, "want", keep, 2, flush=True)
PY
cr_ready_ckpt "$py" "$tmp/churn.py" "$tmp/d"
keep=$(sed -n 's/^ready //p' "$tmp/p0.out")
cr_go_exit
cr_expect_event "$keep"
exit 0
