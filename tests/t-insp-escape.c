/*
 * t-insp-escape.c - unit test of ckpt-inspect's string handling: JSON
 * escaping of arbitrary bytes, terminal escaping, human sizes, command
 * line splitting and times.  Every expected string is written out here by
 * hand; the JSON cases were checked against RFC 8259's grammar.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insp.h"

static int failures;

static void
expect(const char *what, const char *got, const char *want)
{
	if (strcmp(got, want) != 0) {
		printf("FAIL %s: got [%s], want [%s]\n", what, got, want);
		failures++;
	} else
		printf("ok   %s: [%s]\n", what, got);
}

/* Runs one printer into a memory stream and compares its output. */
static void
check_print(void (*fn)(FILE *, const void *, size_t), const char *what,
    const char *in, size_t len, const char *want)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &n)) == NULL) {
		perror("open_memstream");
		exit(99);
	}
	fn(f, in, len);
	fclose(f);
	expect(what, buf, want);
	free(buf);
}

#define JSON(what, lit, want) \
	check_print(insp_json_escape, what, lit, sizeof(lit) - 1, want)
#define TEXT(what, lit, want) \
	check_print(insp_print_bytes, what, lit, sizeof(lit) - 1, want)

static void
check_json(void)
{
	JSON("json empty", "", "\"\"");
	JSON("json plain", "/usr/lib/libc.so.6", "\"/usr/lib/libc.so.6\"");
	JSON("json quote", "a\"b", "\"a\\\"b\"");
	JSON("json backslash", "a\\b", "\"a\\\\b\"");
	JSON("json named controls", "\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
	JSON("json other controls", "\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	JSON("json NUL", "a\0b", "\"a\\u0000b\"");
	JSON("json utf8 2", "caf\xc3\xa9", "\"caf\xc3\xa9\"");
	JSON("json utf8 3", "\xe2\x82\xac", "\"\xe2\x82\xac\"");
	JSON("json utf8 4", "\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");
	JSON("json lone high byte", "a\xff" "b", "\"a\\u00ffb\"");
	JSON("json lone continuation", "\x80", "\"\\u0080\"");
	JSON("json overlong", "\xc0\xaf", "\"\\u00c0\\u00af\"");
	JSON("json surrogate", "\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\"");
	JSON("json above U+10FFFF", "\xf4\x90\x80\x80",
	    "\"\\u00f4\\u0090\\u0080\\u0080\"");
	JSON("json truncated sequence", "\xe2\x82", "\"\\u00e2\\u0082\"");
	JSON("json C1 control", "\xc2\x85", "\"\\u0085\"");
}

static void
check_text(void)
{
	TEXT("text plain", "[heap]", "[heap]");
	TEXT("text escape sequence", "\x1b[2Jx", "\\x1b[2Jx");
	TEXT("text newline tab", "a\nb\tc", "a\\nb\\tc");
	TEXT("text backslash", "a\\b", "a\\\\b");
	TEXT("text utf8", "caf\xc3\xa9", "caf\xc3\xa9");
	TEXT("text bad utf8", "\xff\xc3", "\\xff\\xc3");
	TEXT("text C1 control", "\xc2\x9b", "\\xc2\\x9b");
	TEXT("text deleted", "/tmp/x (deleted)", "/tmp/x (deleted)");
}

static void
check_human(void)
{
	static const struct {
		uint64_t	 n;
		const char	*want;
	} cases[] = {
		{ 0, "0" }, { 1, "1" }, { 1023, "1023" }, { 1024, "1.0K" },
		{ 1536, "1.5K" }, { 4096, "4.0K" }, { 10239, "10.0K" },
		{ 1048575, "1.0M" }, { 1572864, "1.5M" },
		{ 1073741824, "1.0G" }, { 0xffffffffffffffffULL, "16.0E" },
	};
	char out[INSP_HUMAN_MAX], what[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		insp_human(cases[i].n, out);
		snprintf(what, sizeof(what), "human %llu",
		    (unsigned long long)cases[i].n);
		expect(what, out, cases[i].want);
	}
}

static void
check_cmdline(void)
{
	static const char with_nul[] = "prog\0-a\0\0last";
	struct fmt_bytes cmd, arg;
	char joined[64] = "";
	uint32_t pos = 0;

	cmd.p = with_nul;
	cmd.len = sizeof(with_nul) - 1;	/* no final NUL: still split */
	while (insp_cmdline_next(&cmd, &pos, &arg)) {
		strcat(joined, "<");
		strncat(joined, arg.p, arg.len);
		strcat(joined, ">");
	}
	expect("cmdline", joined, "<prog><-a><><last>");

	cmd.len = sizeof(with_nul);	/* with the final NUL */
	pos = 0;
	joined[0] = '\0';
	while (insp_cmdline_next(&cmd, &pos, &arg)) {
		strcat(joined, "<");
		strncat(joined, arg.p, arg.len);
		strcat(joined, ">");
	}
	expect("cmdline with final NUL", joined, "<prog><-a><><last>");

	cmd.len = 0;
	pos = 0;
	expect("cmdline empty",
	    insp_cmdline_next(&cmd, &pos, &arg) ? "an argument" : "none",
	    "none");
}

static void
check_time(void)
{
	char out[INSP_TIME_MAX];

	if (insp_iso_time(0, out) == 0)
		expect("time epoch", out, "1970-01-01T00:00:00Z");
	else
		expect("time epoch", "error", "1970-01-01T00:00:00Z");
	if (insp_iso_time(1700000000999999999ULL, out) == 0)
		expect("time 2023", out, "2023-11-14T22:13:20Z");
	else
		expect("time 2023", "error", "2023-11-14T22:13:20Z");
}

int
main(void)
{
	check_json();
	check_text();
	check_human();
	check_cmdline();
	check_time();
	printf("%d failure(s)\n", failures);
	return failures ? 1 : 0;
}
