/*
 * fuzz_fmt - the libFuzzer target: any bytes go through fmt_image_open,
 * fmt_image_verify and fmt_describe_error.  Built with clang by `make fuzz`;
 * make check replays the seed corpus through the same function with
 * fuzz_replay.c.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fmt.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fmt_image img;
	char msg[256];

	if (fmt_image_open(&img, data, size) == 0) {
		fmt_image_verify(&img);
		fmt_describe_error(&img, msg, sizeof(msg));
		fmt_image_close(&img);
	} else
		fmt_describe_error(&img, msg, sizeof(msg));
	/* the description is always one terminated line */
	if (memchr(msg, '\0', sizeof(msg)) == NULL || strchr(msg, '\n'))
		__builtin_trap();
	return 0;
}
