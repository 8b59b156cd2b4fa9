# real-threads-max.py DIR - a Python program for t-real-python-threads-max:
# runs 1030 threads (more than libckpt's 1024) and says "ready"; once
# DIR/go1 exists it lets all but 3 end, counts each thread's work and says
# "fewer"; a restored run (its pid changes) says PASS once DIR/go2 exists
# and the 3 threads still count.
import os
import sys
import threading
import time

d = sys.argv[1]
many = threading.Event()
stop = threading.Event()
count = [0] * 1030


def worker(k):
    while k >= 3 and not many.is_set():
        many.wait(0.5)
    if k >= 3:
        return
    while not stop.is_set():
        count[k] += 1
        time.sleep(0.01)


def wait_for(name):
    while not os.path.exists(os.path.join(d, name)):
        time.sleep(0.05)


ts = [threading.Thread(target=worker, args=(k,)) for k in range(1030)]
for t in ts:
    t.start()
pid = os.getpid()
print("ready %d" % threading.active_count(), flush=True)
wait_for("go1")
many.set()
for t in ts[3:]:
    t.join()
print("fewer %d" % threading.active_count(), flush=True)
while os.getpid() == pid:
    time.sleep(0.05)
print("resumed pid %d" % os.getpid(), flush=True)
wait_for("go2")
before = list(count[:3])
time.sleep(0.3)
stop.set()
for t in ts[:3]:
    t.join()
ok = all(count[k] > before[k] for k in range(3))
print("PASS" if ok else "FAIL %s %s" % (before, count[:3]), flush=True)
