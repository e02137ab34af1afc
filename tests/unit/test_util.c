// SPDX-License-Identifier: GPL-2.0
/* Number parsing and the UAPI enum names the CLI prints. */
#include <stdint.h>

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
	UNIT_EXIT();
}
