#!/bin/sh
# t-real-inotify-moved: an inotify descriptor moved to another number
# (dup2, then the old number closed) after its watch was added is
# checkpointed, killed and restarted: its watch comes back and reports the
# file's change.  libckpt noted each watch's path under the descriptor
# number it was added through, so the moved descriptor's watch had no
# known path and restart left it out.
. "$srcdir/tests/cr-lib.sh"

py=$(command -v python3 2>/dev/null) || cr_skip "no python3"
: >"$tmp/watched"
cat >"$tmp/moved.py" <<'PY'
import ctypes, os, struct, sys, time
libc = ctypes.CDLL(None, use_errno=True)
path, go = sys.argv[1], sys.argv[2]
fd = libc.inotify_init1(0)
wd = libc.inotify_add_watch(fd, path.encode(), 0x2)
os.dup2(fd, 40)
os.close(fd)
print("ready", wd, flush=True)
while not os.path.exists(go):
    time.sleep(0.05)
with open(path, "a") as f:
    f.write("x")
got, mask = struct.unpack_from("iI", os.read(40, 4096))
print("event", got, mask, "want", wd, 2, flush=True)
PY
cr_ready_ckpt "$py" "$tmp/moved.py" "$tmp/watched"
wd=$(sed -n 's/^ready //p' "$tmp/p0.out")
cr_go_exit
cr_expect_event "$wd"
exit 0
