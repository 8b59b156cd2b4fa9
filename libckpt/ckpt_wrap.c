/*
 * ckpt_wrap.c - the few libc entry points libckpt must see through.
 *
 * A checkpoint stops every thread with CKPT_STOP_SIG.  Programs commonly
 * block every signal in their worker threads (sigfillset plus
 * pthread_sigmask, leaving one thread to handle signals); such a thread
 * would never stop and no checkpoint could be taken.  So the calls that set
 * a signal mask go through here and lose CKPT_STOP_SIG, which no program
 * can be waiting for; everything else about the mask is the program's.
 * The real functions are found once, at load time, with RTLD_NEXT.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>

#include "ckpt.h"

typedef int	(*ckpt_mask_fn)(int, const sigset_t *, sigset_t *);
typedef int	(*ckpt_suspend_fn)(const sigset_t *);

static ckpt_mask_fn	ckpt_real_sigprocmask;
static ckpt_mask_fn	ckpt_real_pthread_sigmask;
static ckpt_suspend_fn	ckpt_real_sigsuspend;

void
ckpt_wrap_init(void)
{
	ckpt_real_sigprocmask = (ckpt_mask_fn)dlsym(RTLD_NEXT, "sigprocmask");
	ckpt_real_pthread_sigmask = (ckpt_mask_fn)dlsym(RTLD_NEXT,
	    "pthread_sigmask");
	ckpt_real_sigsuspend = (ckpt_suspend_fn)dlsym(RTLD_NEXT,
	    "sigsuspend");
}

/* The mask the program asked for, less the stop signal. */
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
