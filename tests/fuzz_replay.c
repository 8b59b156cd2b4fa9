/*
 * fuzz_replay - runs LLVMFuzzerTestOneInput over files without libFuzzer,
 * so make check replays the fuzz corpus with gcc (t-fmt-corpus).  With no
 * arguments it reads $srcdir/tests/corpus and $srcdir/tests/bad; otherwise
 * each argument is a file or a directory.  Each input sits in a buffer of
 * exactly its size, so a sanitizer build sees any overread.
 */
#include <config.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mkimage.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int nfiles;

static void
replay_file(const char *path)
{
	struct mk_buf b;
	uint8_t *exact;

	mk_slurp(path, &b);
	exact = malloc(b.len ? b.len : 1);
	MK_CHECK(exact != NULL);
	if (b.len)
		memcpy(exact, b.p, b.len);
	LLVMFuzzerTestOneInput(exact, b.len);
	free(exact);
	free(b.p);
	nfiles++;
}

static void
replay(const char *path)
{
	struct dirent *d;
	struct stat st;
	char sub[4096];
	DIR *dir;

	if (stat(path, &st) != 0) {
		perror(path);
		exit(99);
	}
	if (!S_ISDIR(st.st_mode)) {
		replay_file(path);
		return;
	}
	if ((dir = opendir(path)) == NULL) {
		perror(path);
		exit(99);
	}
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, d->d_name);
		replay(sub);
	}
	closedir(dir);
}

int
main(int argc, char **argv)
{
	const char *srcdir = getenv("srcdir");
	char path[4096];
	int i;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			replay(argv[i]);
	} else {
		if (srcdir == NULL)
			srcdir = ".";
		snprintf(path, sizeof(path), "%s/tests/corpus", srcdir);
		replay(path);
		snprintf(path, sizeof(path), "%s/tests/bad", srcdir);
		replay(path);
	}
	if (nfiles == 0) {
		fprintf(stderr, "fuzz_replay: no inputs\n");
		return 99;
	}
	printf("fuzz_replay: %d inputs\n", nfiles);
	return 0;
}
