/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP counters (SOCKTAP_CMD_TCP_GET) and listener rows
 * (SOCKTAP_CMD_LISTEN_GET) as 'socktap tcp' and 'socktap backlog' print
 * them.  Pure logic, unit-tested (tests/unit/test_tcp.c).
 */
#ifndef SOCKTAP_TCPSTAT_H
#define SOCKTAP_TCPSTAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/socktap.h>

#include "json.h"

/* The counters of enum socktap_tcp_counter this CLI knows. */
struct st_tcp_counters {
	uint64_t c[__SOCKTAP_TCP_MAX];
	unsigned int n;		/* how many of them the module sent */
};

/* Names as the module's debugfs "tcp" file prints them; NULL past the end. */
const char *st_tcp_counter_name(unsigned int i);

/*
 * SOCKTAP_A_TCP_COUNTERS: len bytes of native u64s, as many as the module
 * knows.  An older module sends fewer (the rest stay 0 and are not
 * shown), a newer one more (ignored); a partial u64 at the end is
 * ignored.  Returns t->n.
 */
unsigned int st_tcp_counters_parse(struct st_tcp_counters *t,
				   const void *data, size_t len);
/*
 * out = cur - base for the counters both have.  If one went backwards (a
 * reset in between), out = cur and 1 is returned, else 0.
 */
int st_tcp_counters_delta(const struct st_tcp_counters *cur,
			  const struct st_tcp_counters *base,
			  struct st_tcp_counters *out);
/* "EVENT COUNT" and one row per counter the module sent. */
void st_tcp_counters_print(FILE *out, const struct st_tcp_counters *t);
/* {"accept-established": N, ...} */
void st_tcp_counters_json(struct json *j, const struct st_tcp_counters *t);

/* One listener of SOCKTAP_CMD_LISTEN_GET. */
struct st_listen {
	uint16_t port;
	unsigned int family;	/* AF_INET, AF_INET6 */
	uint32_t netns, pid, backlog_max;
	char comm[32];
	uint64_t conns, overflows, syn_drops;
	uint64_t acceptq[SOCKTAP_QLEN_BUCKETS];
	uint64_t synq[SOCKTAP_QLEN_BUCKETS];
};

/* By port, then family, then netns. */
void st_listen_sort(struct st_listen *v, size_t n);
/*
 * The key of v[i] in "@acceptq[KEY]:": its port; with the family when
 * another row has the same port ("8080, inet6"); with the netns too when
 * that is not enough ("8080, inet6, 4026532001").  Returns buf.
 */
const char *st_listen_key(const struct st_listen *v, size_t n, size_t i,
			  char *buf, size_t len);
/*
 * PORT FAM NETNS PID COMM MAX CONNS OVERFLOWS SYN_DROPS, one row each;
 * then for each listener with connections @acceptq[KEY]: and @synq[KEY]:
 * histograms.
 */
void st_listen_print(FILE *out, const struct st_listen *v, size_t n);
/*
 * [{"port","family","netns","pid","comm","backlog_max","conns",
 * "overflows","syn_drops","acceptq":[{"lo","hi","count"}],"synq":[...]}]
 */
void st_listen_json(struct json *j, const struct st_listen *v, size_t n);

#endif
