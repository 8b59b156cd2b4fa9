/*
 * mkimage - writes the deterministic synthetic test image (mk_lib.c).
 *
 *   mkimage [-c chunk_max] [-l level] [-s] [-o] [-p] [-R IN] [-P how]
 *           [-V major.minor] [-x n] [-t] [-T] [-u] [-i] OUT|-
 *
 * With no options the output is the golden input other tests rely on;
 * keep it stable.  -s makes the data text only, for a tiny image.  -o
 * adds optional records through the writer API; -p writes each region's
 * non-zero pages as PAGES chunks (2.0).  The other options
 * re-encode the image (mk_rewrite): -V sets the header version, -x appends
 * n bytes to every fixed record body, -t adds unknown TLV fields, -T an
 * unknown critical one, -u an unknown non-optional record, -i skews one
 * index entry, -P damages the first PAGES record's page list (how: an
 * MK_PB_* number from 1 to 6, mkimage.h).  -R re-encodes the image IN
 * (any image, one libckpt wrote say) instead of the synthetic one.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mkimage.h"

static void
usage(void)
{
	fprintf(stderr, "usage: mkimage [-c chunk_max] [-l level] [-s] [-o] "
	    "[-p] [-R IN] [-P how] [-V major.minor] [-x n] [-t] [-T] [-u] "
	    "[-i] OUT|-\n");
	exit(99);
}

int
main(int argc, char **argv)
{
	struct mk_opts o;
	struct mk_edit e;
	struct mk_buf img, re;
	const char *from = NULL;
	unsigned maj, min;
	int ch, edit = 0, rc;
	FILE *f;

	mk_opts_default(&o);
	memset(&e, 0, sizeof(e));
	while ((ch = getopt(argc, argv, "c:l:sopP:R:V:x:tTui")) != -1) {
		switch (ch) {
		case 'c':
			o.chunk_max = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'l':
			o.level = atoi(optarg);
			break;
		case 's':
			o.small = 1;
			break;
		case 'o':
			o.optional = 1;
			break;
		case 'p':
			o.pages = 1;
			break;
		case 'R':
			from = optarg;
			break;
		case 'P':
			e.pages_bad = atoi(optarg);
			if (e.pages_bad < MK_PB_FIRST ||
			    e.pages_bad > MK_PB_RESERVED)
				usage();
			edit = 1;
			break;
		case 'V':
			if (sscanf(optarg, "%u.%u", &maj, &min) != 2 ||
			    maj > 65535 || min > 65535)
				usage();
			e.set_version = 1;
			e.major = (uint16_t)maj;
			e.minor = (uint16_t)min;
			edit = 1;
			break;
		case 'x':
			e.extra_fixed = (uint32_t)strtoul(optarg, NULL, 0);
			edit = 1;
			break;
		case 't':
			e.extra_tlv = edit = 1;
			break;
		case 'T':
			e.critical_tlv = edit = 1;
			break;
		case 'u':
			e.unknown_rec = edit = 1;
			break;
		case 'i':
			e.index_skew = edit = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	if (from != NULL)
		mk_slurp(from, &img);
	else if ((rc = mk_build_mem(&o, &img)) != 0) {
		fprintf(stderr, "mkimage: %s\n", fmt_strerror(rc));
		return 99;
	}
	if (edit) {
		if (mk_rewrite(img.p, img.len, &e, &re) != 0) {
			fprintf(stderr, "mkimage: cannot rewrite the image\n");
			return 99;
		}
		free(img.p);
		img = re;
	}
	f = strcmp(argv[optind], "-") == 0 ? stdout :
	    fopen(argv[optind], "wb");
	if (f == NULL || fwrite(img.p, 1, img.len, f) != img.len ||
	    fflush(f) != 0) {
		perror(argv[optind]);
		return 99;
	}
	if (f != stdout)
		fclose(f);
	free(img.p);
	return 0;
}
