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

static void test_capeff(void)
{
	static const char root[] =
		"Name:\tcat\nCapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\n"
		"CapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\n";
	static const char user[] =
		"Name:\tcat\nCapPrm:\t0000000000001000\nCapEff:\t0000000000000000\n";
	static const char net_admin_only[] = "CapEff:\t0000000000001000\n";

	CHECK("capeff_root_net_admin", st_capeff_has(root, 12) == 1);
	CHECK("capeff_root_cap_40", st_capeff_has(root, 40) == 1);
	CHECK("capeff_root_cap_41", st_capeff_has(root, 41) == 0);
	CHECK("capeff_user_not_prm", st_capeff_has(user, 12) == 0);
	CHECK("capeff_only_bit_12", st_capeff_has(net_admin_only, 12) == 1 &&
	      st_capeff_has(net_admin_only, 13) == 0 &&
	      st_capeff_has(net_admin_only, 0) == 0);
	CHECK("capeff_missing", st_capeff_has("Name:\tx\n", 12) == -1);
	CHECK("capeff_empty", st_capeff_has("CapEff:\t\n", 12) == -1);
	CHECK("capeff_self", st_have_cap(12) >= 0);
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
	test_capeff();
	UNIT_EXIT();
}
