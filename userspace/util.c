// SPDX-License-Identifier: GPL-2.0
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int st_read_text(const char *path, char **out)
{
	size_t len = 0, cap = 0;
	char *buf = NULL, *nb;
	ssize_t r;
	int fd, e;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	for (;;) {
		if (cap - len < 2) {
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				errno = ENOMEM;
				goto fail;
			}
			buf = nb;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (!r)
			break;
		len += (size_t)r;
	}
	if (close(fd)) {
		e = errno;
		free(buf);
		errno = e;
		return -1;
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
fail:
	e = errno;
	free(buf);
	(void)close(fd);	/* the first error is the one to report */
	errno = e;
	return -1;
}

int st_capeff_has(const char *status, unsigned int cap)
{
	const char *p = status;
	uint64_t v = 0;
	int digits = 0;

	while (p && strncmp(p, "CapEff:", 7)) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p || cap > 63)
		return -1;
	for (p += 7; *p == ' ' || *p == '\t'; p++)
		;
	for (; isxdigit((unsigned char)*p) && digits < 16; p++, digits++)
		v = v << 4 | (uint64_t)(isdigit((unsigned char)*p) ? *p - '0' :
					 tolower((unsigned char)*p) - 'a' + 10);
	if (!digits)
		return -1;
	return (int)(v >> cap & 1);
}

int st_have_cap(unsigned int cap)
{
	char *buf;
	int ret;

	if (st_read_text("/proc/self/status", &buf))
		return -1;
	ret = st_capeff_has(buf, cap);
	free(buf);
	return ret;
}
