/*
 * rdlopen PLUGIN GOFILE - a program using dlopen'd libraries works across
 * a checkpoint, and can load more after restart.
 *
 * Before the checkpoint: dlopen(PLUGIN), call plugin_step 1..10 (its
 * static counter reaches 55) and plugin_tls_bump three times (its TLS
 * goes 5 -> 8).  libm is not loaded.  "ready", then after GOFILE:
 *   plugin   the same functions answer from the same state (counter 60
 *            after step(5), TLS 9, the constructor's mark, the string),
 *            dlsym finds the same addresses;
 *   thread   a thread started after restart gets the plugin's TLS fresh
 *            (5 -> 6);
 *   libm     dlopen("libm.so.6") after restart, cos() via dlsym is right;
 *   reload   dlclose(PLUGIN) unloads it (RTLD_NOLOAD finds nothing), and
 *            dlopen again gives fresh state (counter 1 after step(1)).
 * PASS or FAIL.
 */
#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "realt.h"

static int (*step)(int);
static const char *(*tag)(void);
static int (*bump)(void);
static int thread_tls;

static void *
look(void *h, const char *name)
{
	void *p = dlsym(h, name);

	if (p == NULL) {
		rt_fail("dlsym", "%s: %s", name, dlerror());
		exit(rt_finish());
	}
	return p;
}

static void *
thread_main(void *arg)
{
	thread_tls = bump();
	return NULL;
}

int
main(int argc, char **argv)
{
	void *h, *m;
	double (*cosp)(double);
	pthread_t t;
	long ticks = 0;
	int i, r = 0, f;

	if (argc != 3) {
		fprintf(stderr, "usage: rdlopen PLUGIN GOFILE\n");
		return 2;
	}
	rt_init();
	h = dlopen(argv[1], RTLD_NOW);
	if (h == NULL) {
		rt_fail("setup", "dlopen: %s", dlerror());
		return rt_finish();
	}
	step = look(h, "plugin_step");
	tag = look(h, "plugin_tag");
	bump = look(h, "plugin_tls_bump");
	for (i = 1; i <= 10; i++)
		r = step(i);
	bump();
	bump();
	if (bump() != 8 || r != 55 * 3 + 42)
		rt_fail("setup", "the plugin answered %d", r);
	if (dlopen("libm.so.6", RTLD_NOW | RTLD_NOLOAD) != NULL)
		rt_say("note: libm is already loaded");
	rt_say("ready");
	rt_wait_go(argv[2], &ticks);

	f = rt_failures;
	if ((r = step(5)) != 60 * 3 + 42)
		rt_fail("plugin", "step(5) gave %d, want %d", r, 60 * 3 + 42);
	if ((r = bump()) != 9)
		rt_fail("plugin", "the plugin's TLS went to %d, want 9", r);
	if (strcmp(tag(), "realplugin 1") != 0)
		rt_fail("plugin", "the plugin's string is \"%s\"", tag());
	if (look(h, "plugin_step") != (void *)step)
		rt_fail("plugin", "dlsym finds plugin_step elsewhere");
	rt_ok_since("plugin", f);

	f = rt_failures;
	if (pthread_create(&t, NULL, thread_main, NULL) != 0)
		rt_fail("thread", "pthread_create failed");
	else if (pthread_join(t, NULL), thread_tls != 6)
		rt_fail("thread", "a new thread's plugin TLS went to %d, "
		    "want 6", thread_tls);
	rt_ok_since("thread", f);

	f = rt_failures;
	m = dlopen("libm.so.6", RTLD_NOW);
	if (m == NULL)
		rt_fail("libm", "dlopen after restart: %s", dlerror());
	else {
		cosp = (double (*)(double))look(m, "cos");
		if (fabs(cosp(0.5) - 0.87758256189037271612) > 1e-15)
			rt_fail("libm", "cos(0.5) = %.17g", cosp(0.5));
	}
	rt_ok_since("libm", f);

	f = rt_failures;
	if (dlclose(h) != 0)
		rt_fail("reload", "dlclose: %s", dlerror());
	if (dlopen(argv[1], RTLD_NOW | RTLD_NOLOAD) != NULL)
		rt_fail("reload", "the plugin is still loaded after dlclose");
	h = dlopen(argv[1], RTLD_NOW);
	if (h == NULL)
		rt_fail("reload", "dlopen again: %s", dlerror());
	else {
		step = look(h, "plugin_step");
		if ((r = step(1)) != 1 * 3 + 42)
			rt_fail("reload", "a reloaded plugin's step(1) gave "
			    "%d, want %d", r, 3 + 42);
	}
	rt_ok_since("reload", f);
	return rt_finish();
}
