/*
 * ckpt_timers.c - the process's timers, noted at the checkpoint and armed
 * again after restart.
 *
 * The kernel keeps a process's interval timers (setitimer, alarm) and
 * POSIX timers (timer_create) with the process, so the restored process,
 * which is restart's, has none: a program waiting for its alarm or its
 * periodic tick would wait for ever, and a timer_t it holds would name
 * nothing.  While every thread is stopped, the leader reads them (getitimer;
 * /proc/self/timers for the ids, clocks and notifications, timer_gettime
 * for the time left) into libckpt's own memory, which the image holds.
 * After restart, once every thread is back, the leader creates each POSIX
 * timer again under its old id (PR_TIMER_CREATE_RESTORE_IDS, which Linux
 * 6.18 has) and arms every timer with the time that was left at the
 * checkpoint: the time the program spent saved counts for nothing.
 *
 * A timer that signals one thread (SIGEV_THREAD_ID) signals that thread
 * under its new tid.  (glibc's SIGEV_THREAD timers would be such timers,
 * but their helper thread blocks every signal, libckpt's stop signal too,
 * so a program with one is not checkpointed at all.)  Timers
 * on one thread's CPU clock, or on another process's, are not made again
 * (one line says how many).  Overrun counts start from zero.  Raw system
 * calls only; nothing is allocated but one scratch mapping while stopped.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>

#include "ckpt.h"
#include "fmt_sys.h"

#ifndef PR_TIMER_CREATE_RESTORE_IDS
#define PR_TIMER_CREATE_RESTORE_IDS		77
#define PR_TIMER_CREATE_RESTORE_IDS_OFF		0
#define PR_TIMER_CREATE_RESTORE_IDS_ON		1
#endif
#ifndef SIGEV_THREAD_ID
#define SIGEV_THREAD_ID				4
#endif

#define CKPT_MAX_TIMERS		1024
#define CKPT_TIMERS_TEXT	(128UL << 10)	/* /proc/self/timers */

struct ckpt_timer {
	int			id, clock, notify, signo, tid;
	uint64_t		value;		/* sigev_value */
	struct itimerspec	its;		/* time left, period */
};

/* On x86_64 the libc types are the kernel's. */
static struct {
	int			read_ok;	/* the list was read whole */
	int			n;
	struct itimerval	itimer[3];	/* ITIMER_REAL, _VIRTUAL, _PROF */
	struct ckpt_timer	t[CKPT_MAX_TIMERS];
} ckpt_tm;

/*
 * One line of /proc/self/timers into the entry it belongs to; an entry
 * opens with its "ID:" line.  Returns -1 on a line it cannot read.
 */
static int
ckpt_timer_line(const char *p, struct ckpt_timer **cur)
{
	struct ckpt_timer *t = *cur;
	uint64_t v;
	long n;

	if (ckpt_starts(p, "ID: ")) {
		if (ckpt_tm.n >= CKPT_MAX_TIMERS || ckpt_dec(p + 4, &n) == NULL)
			return -1;
		t = *cur = &ckpt_tm.t[ckpt_tm.n++];
		memset(t, 0, sizeof(*t));
		t->id = (int)n;
		return 0;
	}
	if (t == NULL)
		return -1;
	if (ckpt_starts(p, "signal: ")) {
		if ((p = ckpt_dec(p + 8, &n)) == NULL || *p != '/')
			return -1;
		t->signo = (int)n;
		ckpt_hex_digits(p + 1, &v);
		t->value = v;
	} else if (ckpt_starts(p, "notify: ")) {
		p += 8;
		if (ckpt_starts(p, "signal/"))
			t->notify = SIGEV_SIGNAL, p += 7;
		else if (ckpt_starts(p, "none/"))
			t->notify = SIGEV_NONE, p += 5;
		else if (ckpt_starts(p, "thread/"))
			t->notify = SIGEV_THREAD, p += 7;
		else
			return -1;
		if (ckpt_starts(p, "tid.")) {
			t->notify |= SIGEV_THREAD_ID;
			if (ckpt_dec(p + 4, &n) == NULL)
				return -1;
			t->tid = (int)n;
		}
	} else if (ckpt_starts(p, "ClockID: ")) {
		if (ckpt_dec(p + 9, &n) == NULL)
			return -1;
		t->clock = (int)n;
	}
	return 0;
}

/*
 * After restart, for a signal pending at the checkpoint: the siginfo the
 * first POSIX timer that sends it would have given it (SI_TIMER, its id
 * and sigev_value), so that a handler that reads si_value reads the
 * timer's, as it would have without the checkpoint.  1 if there is such a
 * timer, else 0 (the signal is raised plainly).
 */
int
ckpt_timer_siginfo(int signo, siginfo_t *si)
{
	int i;

	for (i = 0; i < ckpt_tm.n; i++) {
		const struct ckpt_timer *t = &ckpt_tm.t[i];

		if ((t->notify & ~SIGEV_THREAD_ID) != SIGEV_SIGNAL ||
		    t->signo != signo)
			continue;
		memset(si, 0, sizeof(*si));
		si->si_signo = signo;
		si->si_code = SI_TIMER;
		si->si_timerid = t->id;
		si->si_value.sival_ptr = (void *)(uintptr_t)t->value;
		return 1;
	}
	return 0;
}

void
ckpt_timers_capture(long own_id)
{
	struct ckpt_timer *cur = NULL;
	char *text, *p, *end;
	long len;
	int i, k;

	for (i = 0; i < 3; i++)
		if (sys_call2(SYS_getitimer, i, (long)&ckpt_tm.itimer[i]) < 0)
			memset(&ckpt_tm.itimer[i], 0, sizeof(ckpt_tm.itimer[i]));
	/*
	 * A periodic ITIMER_REAL that has fired is armed again only when its
	 * SIGALRM is taken; until then (the signal blocked, as it is in our
	 * handler) getitimer says 0 left.  Restored as 0, it would never
	 * fire again: it gets a whole period instead, the SIGALRM itself
	 * being pending again after restart.
	 */
	if (ckpt_tm.itimer[ITIMER_REAL].it_value.tv_sec == 0 &&
	    ckpt_tm.itimer[ITIMER_REAL].it_value.tv_usec == 0)
		ckpt_tm.itimer[ITIMER_REAL].it_value =
		    ckpt_tm.itimer[ITIMER_REAL].it_interval;
	ckpt_tm.n = 0;
	ckpt_tm.read_ok = 0;
	text = sys_mmap(NULL, CKPT_TIMERS_TEXT, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (SYS_ERR(text))
		return;
	len = ckpt_slurp("/proc/self/timers", text, CKPT_TIMERS_TEXT - 1);
	if (len >= 0 && len < (long)CKPT_TIMERS_TEXT - 1) {
		text[len] = '\0';
		ckpt_tm.read_ok = 1;
		for (p = text; *p != '\0'; p = end) {
			for (end = p; *end != '\0' && *end != '\n'; end++)
				;
			if (*end == '\n')
				*end++ = '\0';
			if (ckpt_timer_line(p, &cur) < 0) {
				ckpt_tm.read_ok = 0;
				break;
			}
		}
	}
	sys_munmap(text, CKPT_TIMERS_TEXT);
	/* libckpt's own CKPT_INTERVAL timer is made again by libckpt */
	for (i = k = 0; i < ckpt_tm.n; i++) {
		struct ckpt_timer *t = &ckpt_tm.t[i];

		if (t->id == own_id)
			continue;
		if (sys_call2(SYS_timer_gettime, t->id, (long)&t->its) < 0)
			memset(&t->its, 0, sizeof(t->its));
		ckpt_tm.t[k++] = *t;
	}
	ckpt_tm.n = k;
}

/*
 * A CPU-time clock id holds a pid (~pid << 3) and whether it counts one
 * thread (bit 2).  The process's own clock is made again with pid 0 (the
 * calling process); a thread's clock or another process's is not.
 */
static int
ckpt_timer_clock(int clock, int old_pid, int *out)
{
	long pid;

	*out = clock;
	if (clock >= 0)
		return 0;
	pid = ~((long)clock >> 3);
	if ((clock & 4) != 0 || (pid != 0 && pid != old_pid))
		return -1;
	*out = (int)(-8L | (clock & 3));	/* ~0 << 3: pid 0 */
	return 0;
}

static int
ckpt_timer_tid(const struct ckpt_slot *slots, int nslots, int old)
{
	int i;

	for (i = 0; i < nslots; i++)
		if (slots[i].tid == old)
			return slots[i].new_tid;
	return 0;
}

/* After restart, in the leader, once every thread has its new tid. */
void
ckpt_timers_restore(const struct ckpt_slot *slots, int nslots, int old_pid)
{
	char line[160], *p;
	int i, lost = 0, ids = 1;

	for (i = 0; i < 3; i++)
		if (ckpt_tm.itimer[i].it_value.tv_sec != 0 ||
		    ckpt_tm.itimer[i].it_value.tv_usec != 0)
			sys_call3(SYS_setitimer, i, (long)&ckpt_tm.itimer[i], 0);
	if (!ckpt_tm.read_ok)
		ckpt_say("timer_create timers not restored: more than "
		    CKPT_STR(CKPT_MAX_TIMERS) ", or /proc/self/timers "
		    "unreadable at the checkpoint", NULL, NULL);
	if (ckpt_tm.n == 0)
		return;
	if (sys_call5(SYS_prctl, PR_TIMER_CREATE_RESTORE_IDS,
	    PR_TIMER_CREATE_RESTORE_IDS_ON, 0, 0, 0) < 0) {
		ids = 0;
		lost = ckpt_tm.n;
	}
	for (i = 0; ids && i < ckpt_tm.n; i++) {
		const struct ckpt_timer *t = &ckpt_tm.t[i];
		struct sigevent sev;
		int id = t->id, clock;

		memset(&sev, 0, sizeof(sev));
		sev.sigev_notify = t->notify;
		sev.sigev_signo = t->signo;
		sev.sigev_value.sival_ptr = (void *)(uintptr_t)t->value;
		if (t->notify & SIGEV_THREAD_ID)
			sev._sigev_un._tid = ckpt_timer_tid(slots, nslots,
			    t->tid);
		if (ckpt_timer_clock(t->clock, old_pid, &clock) < 0 ||
		    ((t->notify & SIGEV_THREAD_ID) && sev._sigev_un._tid == 0) ||
		    sys_call3(SYS_timer_create, clock, (long)&sev,
		    (long)&id) < 0 || id != t->id) {
			lost++;
			continue;
		}
		if (t->its.it_value.tv_sec != 0 || t->its.it_value.tv_nsec != 0)
			sys_call4(SYS_timer_settime, id, 0, (long)&t->its, 0);
	}
	if (ids)
		sys_call5(SYS_prctl, PR_TIMER_CREATE_RESTORE_IDS,
		    PR_TIMER_CREATE_RESTORE_IDS_OFF, 0, 0, 0);
	if (lost > 0) {
		p = ckpt_utoa(line, (unsigned long)lost, line + sizeof(line));
		ckpt_stpcpy(p, ids ? " timer_create timers not restored (on a "
		    "thread's CPU clock, another process's, or refused)" :
		    " timer_create timers not restored: this kernel cannot "
		    "create a timer under a given id", line + sizeof(line));
		ckpt_say(line, NULL, NULL);
	}
}
