/*
 * rmaps GOFILE N - a process of N small mappings: N pages mapped as one
 * block, each page filled with its number, every other one made
 * read-only, so that the kernel keeps N mappings.  Prints "ready", waits
 * for GOFILE, then checks every page's contents and that /proc/self/maps
 * still lists the pages apart with their protections.  PASS or FAIL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#define PG	4096UL

int
main(int argc, char **argv)
{
	unsigned long n, i, ro = 0, rw = 0, lo, hi;
	unsigned char *p;
	char line[512], perm[8];
	FILE *f;

	if (argc != 3)
		return 2;
	n = strtoul(argv[2], NULL, 10);
	p = mmap(NULL, n * PG, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (i = 0; i < n; i++) {
		memset(p + i * PG, (int)(i % 251) + 1, PG);
		memcpy(p + i * PG, &i, sizeof(i));
		if ((i & 1) && mprotect(p + i * PG, PG, PROT_READ) != 0) {
			perror("mprotect");
			return 1;
		}
	}
	printf("ready\n");
	fflush(stdout);
	while (access(argv[1], F_OK) != 0)
		usleep(20000);
	for (i = 0; i < n; i++) {
		unsigned long got;

		memcpy(&got, p + i * PG, sizeof(got));
		if (got != i || p[i * PG + 100] != (unsigned char)(i % 251 + 1) ||
		    p[i * PG + PG - 1] != (unsigned char)(i % 251 + 1)) {
			printf("FAIL: page %lu holds the wrong bytes\n", i);
			return 1;
		}
	}
	if ((f = fopen("/proc/self/maps", "r")) == NULL)
		return 1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perm) == 3 &&
		    lo >= (unsigned long)p && hi <= (unsigned long)p + n * PG) {
			if (hi - lo != PG) {
				printf("FAIL: %lx-%lx is not one page\n", lo,
				    hi);
				return 1;
			}
			if (strcmp(perm, ((lo - (unsigned long)p) / PG) & 1 ?
			    "r--p" : "rw-p") != 0) {
				printf("FAIL: page at %lx is %s\n", lo, perm);
				return 1;
			}
			(((lo - (unsigned long)p) / PG) & 1) ? ro++ : rw++;
		}
	fclose(f);
	if (ro + rw != n) {
		printf("FAIL: %lu of %lu pages listed\n", ro + rw, n);
		return 1;
	}
	printf("PASS: %lu pages, %lu read-only\n", n, ro);
	return 0;
}
