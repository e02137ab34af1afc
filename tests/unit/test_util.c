// SPDX-License-Identifier: GPL-2.0
/* Number parsing, the UAPI enum names the CLI prints, reading files. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <linux/socktap.h>

#include "unit.h"
#include "util.h"

static int parses(const char *s, uint64_t max, uint64_t want)
{
	const char *why = NULL;
	uint64_t v = 0;

	return st_parse_uint(s, max, &v, &why) == 0 && v == want;
}

static int rejects(const char *s, uint64_t max)
{
	const char *why = NULL;
	uint64_t v = 0;

	return st_parse_uint(s, max, &v, &why) == -1 && why != NULL;
}

/* A file of n bytes (a pattern, no NUL) read back whole. */
static int reads_back(size_t n)
{
	char path[] = "/tmp/socktap-unit-XXXXXX", *got = NULL, *want;
	int fd, ok;
	size_t i;

	want = malloc(n + 1);
	fd = mkstemp(path);
	if (!want || fd < 0) {
		free(want);
		return 0;
	}
	for (i = 0; i < n; i++)
		want[i] = (char)('a' + i % 26);
	want[n] = '\0';
	ok = write(fd, want, n) == (ssize_t)n && !close(fd) &&
	     !st_read_text(path, &got) && strlen(got) == n && !strcmp(got, want);
	unlink(path);
	free(got);
	free(want);
	return ok;
}

static void test_read_text(void)
{
	char *got = NULL;

	CHECK("read_empty", reads_back(0));
	CHECK("read_small", reads_back(100));
	/* Across the buffer's growth (64 KiB, doubled). */
	CHECK("read_grow", reads_back(65535) && reads_back(65536) &&
	      reads_back(300000));
	/* procfs: size 0 in stat, text when read. */
	CHECK("read_proc", !st_read_text("/proc/self/status", &got) &&
	      !strncmp(got, "Name:", 5));
	free(got);
	errno = 0;
	CHECK("read_missing", st_read_text("/nonexistent/socktap", &got) == -1 &&
	      errno == ENOENT);
	errno = 0;
	CHECK("read_dir", st_read_text("/", &got) == -1 && errno == EISDIR);
}

int main(void)
{
	CHECK("parse_zero", parses("0", 10, 0));
	CHECK("parse_max", parses("65535", 65535, 65535));
	CHECK("parse_u64_max", parses("18446744073709551615", UINT64_MAX,
				      UINT64_MAX));
	CHECK("parse_over_max", rejects("65536", 65535));
	CHECK("parse_u64_overflow", rejects("18446744073709551616", UINT64_MAX));
	CHECK("parse_digit_over_small_max", rejects("7", 5));
	CHECK("parse_empty", rejects("", 10));
	CHECK("parse_sign", rejects("-1", 10));
	CHECK("parse_junk", rejects("12x", 100));
	CHECK("parse_space", rejects(" 1", 100));

	CHECK("onoff_enable", st_parse_onoff("enable") == 1);
	CHECK("onoff_off", st_parse_onoff("off") == 0);
	CHECK("onoff_bad", st_parse_onoff("maybe") == -1);

	CHECK_STR("kind_tracepoint", st_kind_name(SOCKTAP_PROBE_TRACEPOINT),
		  "tracepoint");
	CHECK_STR("kind_kretprobe", st_kind_name(SOCKTAP_PROBE_KRETPROBE),
		  "kretprobe");
	CHECK_STR("kind_out_of_range", st_kind_name(__SOCKTAP_PROBE_KIND_MAX),
		  "unknown");
	CHECK_STR("state_unavailable", st_state_name(SOCKTAP_STATE_UNAVAILABLE),
		  "unavailable");
	CHECK_STR("state_failed", st_state_name(SOCKTAP_STATE_FAILED), "failed");
	CHECK_STR("state_out_of_range", st_state_name(99), "unknown");
	test_read_text();
	UNIT_EXIT();
}
