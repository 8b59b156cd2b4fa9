/*
 * realplugin.c - the shared library rdlopen dlopen()s (built as a libtool
 * module, tests/.libs/realplugin.so): static state, a constructor, a
 * string constant and thread-local storage of its own (dynamic TLS, which
 * glibc allocates on first use in each thread).
 */
int plugin_step(int x);
const char *plugin_tag(void);
int plugin_tls_bump(void);

static int counter;
static int ctor_ran;
static __thread int plugin_tls = 5;

__attribute__((constructor)) static void
plugin_init(void)
{
	ctor_ran = 42;
}

int
plugin_step(int x)
{
	counter += x;
	return counter * 3 + ctor_ran;
}

const char *
plugin_tag(void)
{
	return "realplugin 1";
}

int
plugin_tls_bump(void)
{
	return ++plugin_tls;
}
