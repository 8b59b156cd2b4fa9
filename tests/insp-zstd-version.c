/*
 * insp-zstd-version.c - prints the version of the libzstd linked in, so
 * that t-insp-golden can tell a real regression from a libzstd whose
 * compressor makes different (equally valid) frames.
 */
#include <stdio.h>
#include <zstd.h>

int
main(void)
{
	printf("%s\n", ZSTD_versionString());
	return 0;
}
