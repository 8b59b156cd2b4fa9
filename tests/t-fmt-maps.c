/*
 * t-fmt-maps - /proc/PID/maps lines become the right region: protection,
 * sharing, anonymity, kernel regions (NODATA), heap and stack, paths with
 * spaces; malformed lines are refused.  Also parses this process's own
 * maps, every line of which must be accepted.  smaps' VmFlags lines give
 * the advice bits, also for a region of our own marked with madvise.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mkimage.h"

static struct fmt_region
parse(const char *line)
{
	struct fmt_region r;

	if (fmt_parse_maps_line(line, strlen(line), &r) != 0) {
		fprintf(stderr, "refused: %s", line);
		exit(1);
	}
	return r;
}

static int
path_is(const struct fmt_region *r, const char *s)
{
	return r->path.len == strlen(s) && memcmp(r->path.p, s, r->path.len)
	    == 0;
}

int
main(void)
{
	static const char *bad[] = {
		"", "\n", "0000-1000", "00400000-00401000 r-xp",
		"00400000-00401000 rwzp 00000000 08:01 1 /x\n",
		"00400000-00401000 r-xp 00000000 08:01 /x\n",
		"00400000-00401000 r-xp 00000000 0801 1 /x\n",
		"00401000-00400000 r-xp 00000000 08:01 1 /x\n",
		"00400001-00401000 r-xp 00000000 08:01 1 /x\n",
		"g0400000-00401000 r-xp 00000000 08:01 1 /x\n",
		"00400000-00401000 r-xp 00000000 08:01 1x /x\n",
	};
	struct fmt_region r;
	char line[4096];
	const char *vm;
	uint32_t adv;
	void *mem;
	size_t i;
	int found, in = 0;
	FILE *f;
	int n = 0;

	r = parse("00400000-00452000 r-xp 00001000 08:1f 173521   "
	    "/usr/bin/my prog (deleted)\n");
	MK_CHECK(r.start == 0x400000 && r.end == 0x452000);
	MK_CHECK(r.offset == 0x1000 && r.inode == 173521);
	MK_CHECK(r.dev_major == 8 && r.dev_minor == 0x1f);
	MK_CHECK(r.prot == 5 && r.flags == 0 && r.kind == FMT_K_MEMORY);
	MK_CHECK(path_is(&r, "/usr/bin/my prog (deleted)"));

	r = parse("7f0000000000-7f0000021000 rw-p 00000000 00:00 0 \n");
	MK_CHECK(r.prot == 3 && r.flags == FMT_R_ANON && r.path.len == 0);
	r = parse("01a5f000-01a80000 rw-p 00000000 00:00 0      [heap]");
	MK_CHECK(r.flags == (FMT_R_ANON | FMT_R_HEAP));
	r = parse("7ffc1000-7ffc2000 rw-p 00000000 00:00 0   [stack]\n");
	MK_CHECK(r.flags == (FMT_R_ANON | FMT_R_STACK));
	r = parse("7ffd1000-7ffd3000 r-xp 00000000 00:00 0   [vdso]\n");
	MK_CHECK(r.kind == FMT_K_VDSO && r.flags == (FMT_R_ANON |
	    FMT_R_NODATA));
	r = parse("7ffd0000-7ffd1000 r--p 00000000 00:00 0   [vvar]\n");
	MK_CHECK(r.kind == FMT_K_VVAR && (r.flags & FMT_R_NODATA));
	r = parse("7ffd4000-7ffd5000 r--p 00000000 00:00 0 [vvar_vclock]\n");
	MK_CHECK(r.kind == FMT_K_VVAR_VCLOCK && (r.flags & FMT_R_NODATA));
	r = parse("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0"
	    "                  [vsyscall]\n");
	MK_CHECK(r.kind == FMT_K_VSYSCALL && r.prot == 4);
	MK_CHECK(r.end == 0xffffffffff601000ULL);
	r = parse("7f1000000000-7f1000001000 rw-s 00000000 00:01 2048 "
	    "/dev/zero (deleted)\n");
	MK_CHECK(r.flags == (FMT_R_SHARED | FMT_R_ANON));
	r = parse("7f1000000000-7f1000001000 rw-s 00000000 00:01 32769 "
	    "/SYSV00001234 (deleted)\n");
	MK_CHECK(r.flags == (FMT_R_SHARED | FMT_R_ANON));
	r = parse("7f1000000000-7f1000001000 rw-s 00000000 00:01 5 "
	    "/memfd:x (deleted)\n");
	MK_CHECK(r.flags == FMT_R_SHARED);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (fmt_parse_maps_line(bad[i], strlen(bad[i]), &r) !=
		    FMT_E_CORRUPT) {
			fprintf(stderr, "accepted: %s\n", bad[i]);
			return 1;
		}

	f = fopen("/proc/self/maps", "r");
	MK_CHECK(f != NULL);
	while (fgets(line, sizeof(line), f) != NULL) {
		parse(line);
		n++;
	}
	fclose(f);
	MK_CHECK(n > 3);

	/* VmFlags: the six known mnemonics, none of the others */
	adv = 99;
	vm = "VmFlags: rd wr mr mw me ac sd\n";
	MK_CHECK(fmt_parse_vmflags(vm, strlen(vm), &adv) == 0 && adv == 0);
	vm = "VmFlags: rd wr mr mw me lo dd ac hg nh mg wf sd";
	MK_CHECK(fmt_parse_vmflags(vm, strlen(vm), &adv) == 0);
	MK_CHECK(adv == FMT_A_ALL);
	vm = "VmFlags: hgx nhh d dd";
	MK_CHECK(fmt_parse_vmflags(vm, strlen(vm), &adv) == 0);
	MK_CHECK(adv == FMT_A_DONTDUMP);
	vm = "Size:               4 kB";
	MK_CHECK(fmt_parse_vmflags(vm, strlen(vm), &adv) == -1);

	/* and this process's smaps, for a region marked dontdump */
	mem = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	MK_CHECK(mem != MAP_FAILED);
	MK_CHECK(madvise(mem, 1 << 20, MADV_DONTDUMP) == 0);
	f = fopen("/proc/self/smaps", "r");
	MK_CHECK(f != NULL);
	found = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (fmt_parse_vmflags(line, strlen(line), &adv) == 0) {
			if (in)
				found += (adv & FMT_A_DONTDUMP) != 0;
			in = 0;
		} else if (fmt_parse_maps_line(line, strlen(line), &r) == 0)
			in = r.start == (uintptr_t)mem;
	}
	fclose(f);
	MK_CHECK(found == 1);
	printf("t-fmt-maps: ok (%d lines of our own maps)\n", n);
	return 0;
}
