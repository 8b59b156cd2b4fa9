# real-dict.py - a Python program for t-real-python: 40 steps, each adding
# 10000 entries to a dict, printing a summary (flushed) and sleeping
# 0.1 s.  Its output depends only on the steps done, so a run checkpointed
# mid-way, killed and restarted must print exactly what an uninterrupted
# run prints.
import sys
import time

d = {}
total = 0
for step in range(40):
    base = step * 10000
    for i in range(base, base + 10000):
        d[i] = "v%d" % (i * i % 1000003)
        total = (total * 31 + i * i) % 1000000007
    s = sum(len(v) for v in d.values()) if step % 8 == 7 else -1
    print("step %d entries %d total %d lengths %d" % (step, len(d), total, s),
          flush=True)
    time.sleep(0.1)
print("done %d %d" % (len(d), sum(int(v[1:]) for v in d.values()) % 999983),
      flush=True)
