// SPDX-License-Identifier: GPL-2.0
#include "util.h"

#include <ctype.h>
#include <string.h>

#include <linux/socktap.h>

const char *st_kind_name(unsigned int kind)
{
	static const char *const names[__SOCKTAP_PROBE_KIND_MAX] = {
		[SOCKTAP_PROBE_TRACEPOINT] = "tracepoint",
		[SOCKTAP_PROBE_KPROBE] = "kprobe",
		[SOCKTAP_PROBE_KRETPROBE] = "kretprobe",
	};

	return kind < __SOCKTAP_PROBE_KIND_MAX ? names[kind] : "unknown";
}

const char *st_state_name(unsigned int state)
{
	static const char *const names[__SOCKTAP_STATE_MAX] = {
		[SOCKTAP_STATE_ATTACHED] = "attached",
		[SOCKTAP_STATE_UNAVAILABLE] = "unavailable",
		[SOCKTAP_STATE_DISABLED] = "disabled",
		[SOCKTAP_STATE_FAILED] = "failed",
		[SOCKTAP_STATE_STANDBY] = "standby",
	};

	return state < __SOCKTAP_STATE_MAX ? names[state] : "unknown";
}

int st_parse_uint(const char *s, uint64_t max, uint64_t *out,
		  const char **why)
{
	uint64_t v = 0;

	if (!s || !*s) {
		*why = "empty number";
		return -1;
	}
	for (; *s; s++) {
		unsigned int d;

		if (!isdigit((unsigned char)*s)) {
			*why = "not a decimal number";
			return -1;
		}
		d = (unsigned int)(*s - '0');
		if (d > max || v > (max - d) / 10) {
			*why = "number too large";
			return -1;
		}
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int st_parse_onoff(const char *s)
{
	static const char *const on[] = { "enable", "on", "1" };
	static const char *const off[] = { "disable", "off", "0" };
	unsigned int i;

	for (i = 0; i < sizeof(on) / sizeof(on[0]); i++) {
		if (!strcmp(s, on[i]))
			return 1;
		if (!strcmp(s, off[i]))
			return 0;
	}
	return -1;
}
