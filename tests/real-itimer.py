# real-itimer.py - a Python program for t-real-python-itimer: a periodic
# ITIMER_REAL whose SIGALRM is blocked and pending when the process is
# checkpointed (the kernel arms such a timer again only when its signal
# is taken, so getitimer then says 0 left).  Once restored (its pid
# changes) it takes the pending SIGALRM and one more from the timer,
# and says PASS, or FAIL if the timer no longer runs.
import os
import signal
import time

signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
signal.setitimer(signal.ITIMER_REAL, 0.05, 0.05)
while signal.SIGALRM not in signal.sigpending():
    time.sleep(0.01)
time.sleep(0.2)
print("ready left %.3f period %.3f" % signal.getitimer(signal.ITIMER_REAL),
      flush=True)
pid = os.getpid()
while os.getpid() == pid:
    time.sleep(0.05)
print("resumed pid %d" % os.getpid(), flush=True)
got = 0
for _ in range(2):
    if signal.sigtimedwait([signal.SIGALRM], 10) is not None:
        got += 1
left, period = signal.getitimer(signal.ITIMER_REAL)
print("took %d, period %.3f" % (got, period), flush=True)
print("PASS" if got == 2 and abs(period - 0.05) < 0.001 else "FAIL",
      flush=True)
