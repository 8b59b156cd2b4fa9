/*
 * ckpt_wrap.c - the few libc entry points libckpt must see through.
 *
 * A checkpoint stops every thread with CKPT_STOP_SIG, sent to each thread
 * with tgkill, and each must run libckpt's handler for it.  Two common
 * designs would keep a thread from doing so:
 *  - blocking every signal in worker threads (sigfillset plus
 *    pthread_sigmask, leaving one thread to handle signals): such a thread
 *    would never take the stop signal;
 *  - that one thread waiting on a full set with sigwait, sigwaitinfo,
 *    sigtimedwait or a signalfd: the kernel hands it a pending signal of
 *    the set as data instead of running its handler, so the program
 *    "receives" signal 62 and the thread never stops.  (A signalfd reader
 *    takes it even with the signal unblocked, when it wins the race with
 *    the handler.)
 * So the calls that set a signal mask or a wait set go through here and
 * lose CKPT_STOP_SIG; everything else about the mask or the set is the
 * program's.  Only libckpt sends the stop signal, so no wait of the
 * program's can be for it.  glibc's sigwait and sigwaitinfo call its
 * sigtimedwait directly, not through the PLT, so each is wrapped.
 *
 * Not seen: the raw system calls (rt_sigprocmask, rt_sigtimedwait,
 * signalfd4).  A thread that blocks or waits for the stop signal that way
 * does not stop, and libckpt abandons the checkpoint after 5 s.
 *
 * The stop signal interrupts a wait as any handled signal does: sigwait
 * waits on (glibc retries it), a signalfd read is restarted, and the
 * kernel ends sigwaitinfo and sigtimedwait with EINTR, which libckpt's
 * handlers undo by making the call again (ckpt_rewind, ckpt_main.c).
 *
 * The checkpoint signal is libckpt's too.  A program that sets its own
 * disposition for it (a handler, SIG_IGN, SIG_DFL) through sigaction or
 * signal takes it over: the call is made as asked, and libckpt says so in
 * one line and stops its interval timer, which would otherwise send the
 * program that signal every CKPT_INTERVAL seconds; one that takes the
 * stop signal is told so (ckpt_disposition_set).
 *
 * The real functions are found once, at load time, with RTLD_NEXT.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/signalfd.h>

#include "ckpt.h"
#include "fmt_sys.h"

typedef int	(*ckpt_mask_fn)(int, const sigset_t *, sigset_t *);
typedef int	(*ckpt_suspend_fn)(const sigset_t *);
typedef int	(*ckpt_sigwait_fn)(const sigset_t *, int *);
typedef int	(*ckpt_waitinfo_fn)(const sigset_t *, siginfo_t *);
typedef int	(*ckpt_timedwait_fn)(const sigset_t *, siginfo_t *,
		    const struct timespec *);
typedef int	(*ckpt_signalfd_fn)(int, const sigset_t *, int);
typedef int	(*ckpt_sigaction_fn)(int, const struct sigaction *,
		    struct sigaction *);
typedef sighandler_t (*ckpt_signal_fn)(int, sighandler_t);

static ckpt_mask_fn	ckpt_real_sigprocmask;
static ckpt_mask_fn	ckpt_real_pthread_sigmask;
static ckpt_suspend_fn	ckpt_real_sigsuspend;
static ckpt_sigwait_fn	ckpt_real_sigwait;
static ckpt_waitinfo_fn	ckpt_real_sigwaitinfo;
static ckpt_timedwait_fn ckpt_real_sigtimedwait;
static ckpt_signalfd_fn	ckpt_real_signalfd;
static ckpt_sigaction_fn ckpt_real_sigaction;
static ckpt_signal_fn	ckpt_real_signal;

void
ckpt_wrap_init(void)
{
	ckpt_real_sigprocmask = (ckpt_mask_fn)dlsym(RTLD_NEXT, "sigprocmask");
	ckpt_real_pthread_sigmask = (ckpt_mask_fn)dlsym(RTLD_NEXT,
	    "pthread_sigmask");
	ckpt_real_sigsuspend = (ckpt_suspend_fn)dlsym(RTLD_NEXT,
	    "sigsuspend");
	ckpt_real_sigwait = (ckpt_sigwait_fn)dlsym(RTLD_NEXT, "sigwait");
	ckpt_real_sigwaitinfo = (ckpt_waitinfo_fn)dlsym(RTLD_NEXT,
	    "sigwaitinfo");
	ckpt_real_sigtimedwait = (ckpt_timedwait_fn)dlsym(RTLD_NEXT,
	    "sigtimedwait");
	ckpt_real_signalfd = (ckpt_signalfd_fn)dlsym(RTLD_NEXT, "signalfd");
	ckpt_real_sigaction = (ckpt_sigaction_fn)dlsym(RTLD_NEXT,
	    "sigaction");
	ckpt_real_signal = (ckpt_signal_fn)dlsym(RTLD_NEXT, "signal");
}

/*
 * The mask (or, with SIG_SETMASK, the wait set) the program asked for,
 * less the stop signal.
 *
 * A wait set that held only the stop signal becomes empty.  The kernel
 * takes an empty set: sigtimedwait then sleeps until its timeout (EAGAIN)
 * or a handler runs (EINTR), sigwait forever, and a signalfd never becomes
 * readable.  That is what waiting for a signal nobody sends does, which
 * is what the program's wait is.  Failing the call instead (EINVAL) would
 * report an error the program never made.
 */
static const sigset_t *
ckpt_unblock_stop(int how, const sigset_t *set, sigset_t *copy)
{
	if (set == NULL || how == SIG_UNBLOCK || !sigismember(set,
	    CKPT_STOP_SIG))
		return set;
	*copy = *set;
	sigdelset(copy, CKPT_STOP_SIG);
	return copy;
}

int
sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	sigset_t copy;

	if (ckpt_real_sigprocmask == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return ckpt_real_sigprocmask(how, ckpt_unblock_stop(how, set, &copy),
	    old);
}

int
pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	sigset_t copy;

	if (ckpt_real_pthread_sigmask == NULL)
		return ENOSYS;
	return ckpt_real_pthread_sigmask(how, ckpt_unblock_stop(how, set,
	    &copy), old);
}

int
sigsuspend(const sigset_t *mask)
{
	sigset_t copy;

	if (ckpt_real_sigsuspend == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return ckpt_real_sigsuspend(ckpt_unblock_stop(SIG_SETMASK, mask,
	    &copy));
}

/* The waits: what loses the stop signal is the set waited on. */
int
sigwait(const sigset_t *set, int *sig)
{
	sigset_t copy;

	if (ckpt_real_sigwait == NULL)
		return ENOSYS;
	return ckpt_real_sigwait(ckpt_unblock_stop(SIG_SETMASK, set, &copy),
	    sig);
}

int
sigwaitinfo(const sigset_t *set, siginfo_t *info)
{
	sigset_t copy;

	if (ckpt_real_sigwaitinfo == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return ckpt_real_sigwaitinfo(ckpt_unblock_stop(SIG_SETMASK, set,
	    &copy), info);
}

int
sigtimedwait(const sigset_t *set, siginfo_t *info,
    const struct timespec *timeout)
{
	sigset_t copy;

	if (ckpt_real_sigtimedwait == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return ckpt_real_sigtimedwait(ckpt_unblock_stop(SIG_SETMASK, set,
	    &copy), info, timeout);
}

int
signalfd(int fd, const sigset_t *mask, int flags)
{
	sigset_t copy;

	if (ckpt_real_signalfd == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return ckpt_real_signalfd(fd, ckpt_unblock_stop(SIG_SETMASK, mask,
	    &copy), flags);
}

/* The dispositions: who handles the checkpoint signal. */
int
sigaction(int signo, const struct sigaction *act, struct sigaction *old)
{
	struct sigaction own;
	void *h = act != NULL ? (void *)act->sa_handler : NULL;
	int rc;

	/* a constructor run before libckpt's may come here first */
	if (ckpt_real_sigaction == NULL)
		ckpt_real_sigaction = (ckpt_sigaction_fn)dlsym(RTLD_NEXT,
		    "sigaction");
	if (ckpt_real_sigaction == NULL) {
		errno = ENOSYS;
		return -1;
	}
	/* libckpt's handler, put back: with libckpt's flags */
	if (act != NULL)
		act = ckpt_own_action(act, &own);
	/* h taken before the call: act may be old (glibc allows it) */
	rc = ckpt_real_sigaction(signo, act, old);
	if (rc == 0 && act != NULL)
		ckpt_disposition_set(signo, h);
	return rc;
}

sighandler_t
signal(int signo, sighandler_t handler)
{
	sighandler_t rc;

	if (ckpt_real_signal == NULL)
		ckpt_real_signal = (ckpt_signal_fn)dlsym(RTLD_NEXT, "signal");
	if (ckpt_real_signal == NULL) {
		errno = ENOSYS;
		return SIG_ERR;
	}
	rc = ckpt_real_signal(signo, handler);
	if (rc != SIG_ERR)
		ckpt_disposition_set(signo, (void *)handler);
	return rc;
}

/*
 * madvise: a MADV_DONTFORK region would be left out of the snapshot, the
 * fork not giving it to the child; noted, so that a checkpoint looks for
 * such regions and lets the fork see them (ckpt_dontfork_prepare).
 */
int
madvise(void *addr, size_t len, int advice)
{
	long rc;

	if (advice == MADV_DONTFORK)
		__atomic_store_n(&ckpt_dontfork_seen, 1, __ATOMIC_RELAXED);
	rc = sys_madvise(addr, len, advice);
	if (rc < 0) {
		errno = (int)-rc;
		return -1;
	}
	return 0;
}
