// SPDX-License-Identifier: GPL-2.0
#include "fmt.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <linux/magic.h>
#include <linux/socktap.h>

#include "util.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

const char *st_fmt_addr(const void *addr, size_t len, char *buf, size_t n)
{
	int af = len == 4 ? AF_INET : len == 16 ? AF_INET6 : AF_UNSPEC;

	if (!n)
		return buf;
	/*
	 * IPv4 by hand: glibc's inet_ntop goes through sprintf, which was a
	 * quarter of what watch -j spends on a record.
	 */
	if (af == AF_INET && addr && n >= INET_ADDRSTRLEN) {
		const unsigned char *b = addr;
		char *o = buf;
		int i;

		for (i = 0; i < 4; i++) {
			if (i)
				*o++ = '.';
			if (b[i] >= 100)
				*o++ = (char)('0' + b[i] / 100);
			if (b[i] >= 10)
				*o++ = (char)('0' + b[i] / 10 % 10);
			*o++ = (char)('0' + b[i] % 10);
		}
		*o = '\0';
		return buf;
	}
	if (af == AF_UNSPEC || !addr ||
	    !inet_ntop(af, addr, buf, (socklen_t)n))
		snprintf(buf, n, "?");
	return buf;
}

const char *st_fmt_endpoint(const void *addr, size_t len, unsigned int port,
			    char *buf, size_t n)
{
	char a[ST_ADDR_MAX];

	st_fmt_addr(addr, len, a, sizeof(a));
	if (len == 16 && addr)
		snprintf(buf, n, "[%s]:%u", a, port);
	else
		snprintf(buf, n, "%s:%u", a, port);
	return buf;
}

const char *st_fmt_kb(uint64_t bytes, char *buf, size_t n)
{
	/* Rounded to the nearest tenth, in integers: exact for any u64. */
	uint64_t tenths = bytes / 1024 * 10 + (bytes % 1024 * 10 + 512) / 1024;

	snprintf(buf, n, "%" PRIu64 ".%" PRIu64, tenths / 10, tenths % 10);
	return buf;
}

const char *st_result_text(int64_t result, char *buf, size_t n)
{
	if (result == 0)
		snprintf(buf, n, "OK");
	else if (result == -EINPROGRESS)
		snprintf(buf, n, "In progress");
	else if (result == -ECONNREFUSED)
		snprintf(buf, n, "Refused");
	else if (result < 0 && result > -4096)
		snprintf(buf, n, "%s", strerror((int)-result));
	else
		snprintf(buf, n, "returned %" PRId64, result);
	return buf;
}

const char *st_proto_name(unsigned int proto, int lower)
{
	switch (proto) {
	case SOCKTAP_PROTO_TCP:
		return lower ? "tcp" : "TCP";
	case SOCKTAP_PROTO_UDP:
		return lower ? "udp" : "UDP";
	default:
		return "other";
	}
}

const char *st_family_name(unsigned int family, int lower)
{
	switch (family) {
	case SOCKTAP_FAMILY_INET:
		return lower ? "inet" : "INET";
	case SOCKTAP_FAMILY_INET6:
		return lower ? "inet6" : "INET6";
	default:
		return "other";
	}
}

const char *st_af_name(unsigned int af)
{
	return af == AF_INET ? "inet" : af == AF_INET6 ? "inet6" : "other";
}

const char *st_fmt_filter(uint32_t pid, uint32_t port, uint32_t netns,
			  char *buf, size_t n)
{
	char p[16] = "any", q[16] = "any", s[16] = "any";

	if (!pid && !port && !netns) {
		snprintf(buf, n, "none");
		return buf;
	}
	if (pid)
		snprintf(p, sizeof(p), "%" PRIu32, pid);
	if (port)
		snprintf(q, sizeof(q), "%" PRIu32, port);
	if (netns)
		snprintf(s, sizeof(s), "%" PRIu32, netns);
	snprintf(buf, n, "pid %s port %s netns %s", p, q, s);
	return buf;
}

static int st_netns_inode(uint64_t ino, uint32_t *out, const char **why)
{
	if (!ino || ino > UINT32_MAX) {
		*why = "not a network namespace inode number";
		return -1;
	}
	*out = (uint32_t)ino;
	return 0;
}

int st_parse_netns(const char *arg, uint32_t *out, const char **why)
{
	struct statfs sfs;
	struct stat st;
	uint64_t v;

	if (!arg || !*arg) {
		*why = "empty namespace argument";
		return -1;
	}
	if (isdigit((unsigned char)arg[0])) {
		if (st_parse_uint(arg, UINT32_MAX, &v, why))
			return -1;
		return st_netns_inode(v, out, why);
	}
	/* What readlink /proc/PID/ns/net prints. */
	if (!strncmp(arg, "net:[", 5)) {
		char num[24];
		size_t len = strlen(arg + 5);

		if (len < 2 || len >= sizeof(num) || arg[5 + len - 1] != ']') {
			*why = "expected net:[NUMBER]";
			return -1;
		}
		memcpy(num, arg + 5, len - 1);
		num[len - 1] = '\0';
		if (st_parse_uint(num, UINT32_MAX, &v, why))
			return -1;
		return st_netns_inode(v, out, why);
	}
	if (stat(arg, &st) || statfs(arg, &sfs)) {
		*why = strerror(errno);
		return -1;
	}
	if (sfs.f_type != NSFS_MAGIC) {
		*why = "not a namespace file (like /proc/PID/ns/net or /run/netns/NAME)";
		return -1;
	}
	return st_netns_inode(st.st_ino, out, why);
}

int st_parse_id(const char *arg, uint32_t max, uint32_t *out,
		const char **why)
{
	uint64_t v;

	if (st_parse_uint(arg, max, &v, why))
		return -1;
	if (!v) {
		*why = "0 is not allowed (leave the option out to match any)";
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

int st_parse_seconds(const char *arg, uint64_t *ms, const char **why)
{
	const uint64_t max = 86400000;
	uint64_t v = 0;
	int decimals = -1;
	const char *p;

	if (!arg || !*arg) {
		*why = "empty number of seconds";
		return -1;
	}
	for (p = arg; *p; p++) {
		if (*p == '.' && decimals < 0 && p != arg && p[1]) {
			decimals = 0;
			continue;
		}
		if (!isdigit((unsigned char)*p)) {
			*why = "not a number of seconds (like 1 or 0.5)";
			return -1;
		}
		if (decimals >= 0 && ++decimals > 3) {
			*why = "at most three decimals (milliseconds)";
			return -1;
		}
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > max * 1000) {
			*why = "more than a day";
			return -1;
		}
	}
	for (decimals = decimals < 0 ? 0 : decimals; decimals < 3; decimals++)
		v *= 10;
	if (!v) {
		*why = "must be more than 0";
		return -1;
	}
	if (v > max) {
		*why = "more than a day";
		return -1;
	}
	*ms = v;
	return 0;
}
