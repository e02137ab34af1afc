/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure formatting and argument parsing for top, hist, watch and filter:
 * addresses, kilobytes, connect results, enum names, filter arguments.
 * Unit-tested on the host (tests/unit/test_fmt.c).
 */
#ifndef SOCKTAP_FMT_H
#define SOCKTAP_FMT_H

#include <stddef.h>
#include <stdint.h>

/* Longest text st_fmt_addr writes, NUL included (INET6_ADDRSTRLEN). */
#define ST_ADDR_MAX	46

/*
 * Binary address of len 4 (IPv4) or 16 (IPv6) bytes, network order, as
 * inet_ntop prints it; "?" for any other length.  Returns buf.
 */
const char *st_fmt_addr(const void *addr, size_t len, char *buf, size_t n);

/*
 * An address and port as one endpoint: "10.0.0.1:80", "[2001:db8::1]:80"
 * (brackets for IPv6, so the port stays readable); "?:80" for a bad
 * length.  Returns buf.
 */
const char *st_fmt_endpoint(const void *addr, size_t len, unsigned int port,
			    char *buf, size_t n);

/* bytes / 1024 with one decimal: 1536 -> "1.5".  Returns buf. */
const char *st_fmt_kb(uint64_t bytes, char *buf, size_t n);

/*
 * A connect() return value: 0 "OK", -EINPROGRESS "In progress",
 * -ECONNREFUSED "Refused", another -errno its strerror text, a positive
 * value "returned N".  Returns buf.
 */
const char *st_result_text(int64_t result, char *buf, size_t n);

/* enum socktap_proto / socktap_family: "TCP"/"tcp", "INET"/"inet", ... */
const char *st_proto_name(unsigned int proto, int lower);
const char *st_family_name(unsigned int family, int lower);
/* AF_INET/AF_INET6 as "inet"/"inet6", anything else "other". */
const char *st_af_name(unsigned int af);

/*
 * The filter as one phrase: "pid 123 port any netns any" (0 = any), or
 * "none" when all three are 0.  Returns buf.
 */
const char *st_fmt_filter(uint32_t pid, uint32_t port, uint32_t netns,
			  char *buf, size_t n);

/*
 * A network namespace argument: an inode number ("4026531840"), the
 * readlink form ("net:[4026531840]"), or a path to a namespace file
 * (/proc/PID/ns/net, /run/netns/NAME) whose inode stat() gives.  Returns
 * 0, or -1 with the reason in *why.
 */
int st_parse_netns(const char *arg, uint32_t *out, const char **why);

/* A positive number below max (a pid, a port).  0 or junk: -1 and *why. */
int st_parse_id(const char *arg, uint32_t max, uint32_t *out,
		const char **why);

/*
 * Seconds, whole or with up to three decimals ("1", "0.5", "2.25"), as
 * milliseconds in [1, 86400000].  Returns 0, or -1 and *why.
 */
int st_parse_seconds(const char *arg, uint64_t *ms, const char **why);

#endif
