# real-select.py - a Python event loop for t-real-python-select: 40 steps
# of a selectors loop (epoll) over a socket pair, a pipe and a timer-like
# deadline.  Each step sends bytes both ways and through the pipe, leaving
# some unread for the next step, waits for readiness, reads what is ready
# and prints a summary (flushed), then sleeps 0.1 s.  Its output depends
# only on the steps done, so a run checkpointed mid-way, killed and
# restarted must print exactly what an uninterrupted run prints.
import os
import selectors
import socket
import time

sel = selectors.DefaultSelector()
a, b = socket.socketpair()
a.setblocking(False)
b.setblocking(False)
r, w = os.pipe()
os.set_blocking(r, False)
sel.register(a, selectors.EVENT_READ, "a")
sel.register(b, selectors.EVENT_READ, "b")
sel.register(r, selectors.EVENT_READ, "pipe")
# unread before the first step: carried over from step to step
b.send(b"head")
os.write(w, b"p")
total = 0
for step in range(40):
    b.send(b"ab%d;" % step)
    a.send(b"ba%d;" % step)
    os.write(w, b"q%d;" % step)
    got = {}
    for key, _ in sel.select(5.0):
        if key.data == "pipe":
            got[key.data] = os.read(r, 3)
        else:
            got[key.data] = key.fileobj.recv(5)
    seen = "".join("%s=%s " % (k, got[k].decode()) for k in sorted(got))
    total = (total * 31 + sum(len(v) for v in got.values())) % 1000003
    print("step %d %s total %d" % (step, seen, total), flush=True)
    time.sleep(0.1)


def left(read):
    try:
        return len(read(1 << 16))
    except BlockingIOError:
        return 0


rest = left(a.recv) + left(b.recv) + left(lambda n: os.read(r, n))
print("done %d %d" % (total, rest), flush=True)
