// SPDX-License-Identifier: GPL-2.0
#include "tcpstat.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "hist.h"

/* module/debugfs.c st_tcp_names */
static const char *const st_tcp_names[__SOCKTAP_TCP_MAX] = {
	[SOCKTAP_TCP_ACCEPT_ESTABLISHED] = "accept-established",
	[SOCKTAP_TCP_CONNECT_REQUEST] = "connect-request",
	[SOCKTAP_TCP_CONNECT_ESTABLISHED] = "connect-established",
	[SOCKTAP_TCP_ACCEPT_REFUSED] = "accept-refused",
	[SOCKTAP_TCP_CONNECT_REFUSED] = "connect-refused",
	[SOCKTAP_TCP_SEND] = "send",
	[SOCKTAP_TCP_RECEIVE] = "receive",
	[SOCKTAP_TCP_STATE_CHANGE] = "state-change",
	[SOCKTAP_TCP_RETRANS] = "retransmits",
	[SOCKTAP_TCP_RETRANS_SEGS] = "retransmit-segments",
	[SOCKTAP_TCP_RETRANS_RTO] = "retransmits-rto",
	[SOCKTAP_TCP_RETRANS_FAST] = "retransmits-fast",
	[SOCKTAP_TCP_RETRANS_TLP] = "retransmits-tlp",
	[SOCKTAP_TCP_RETRANS_SYN] = "retransmits-syn",
	[SOCKTAP_TCP_RETRANS_SYNACK] = "retransmits-synack",
	[SOCKTAP_TCP_RETRANS_OTHER] = "retransmits-other",
	[SOCKTAP_TCP_LOSS_PROBES] = "loss-probes",
	[SOCKTAP_TCP_RST_SENT] = "resets-sent",
	[SOCKTAP_TCP_RST_RECEIVED] = "resets-received",
	[SOCKTAP_TCP_LISTEN_OVERFLOW] = "listen-overflows",
	[SOCKTAP_TCP_SYN_DROP] = "syn-drops",
	[SOCKTAP_TCP_DROPS] = "drops",
};

const char *st_tcp_counter_name(unsigned int i)
{
	if (i >= __SOCKTAP_TCP_MAX)
		return NULL;
	/* A counter added to the enum without a name here. */
	return st_tcp_names[i] ? st_tcp_names[i] : "?";
}

unsigned int st_tcp_counters_parse(struct st_tcp_counters *t,
				   const void *data, size_t len)
{
	size_t n = len / sizeof(uint64_t);

	memset(t, 0, sizeof(*t));
	if (n > __SOCKTAP_TCP_MAX)
		n = __SOCKTAP_TCP_MAX;
	if (data && n)
		memcpy(t->c, data, n * sizeof(uint64_t));
	t->n = (unsigned int)n;
	return t->n;
}

int st_tcp_counters_delta(const struct st_tcp_counters *cur,
			  const struct st_tcp_counters *base,
			  struct st_tcp_counters *out)
{
	unsigned int i, n = cur->n < base->n ? cur->n : base->n;

	*out = *cur;
	for (i = 0; i < n; i++)
		if (cur->c[i] < base->c[i])
			return 1;
	for (i = 0; i < n; i++)
		out->c[i] -= base->c[i];
	return 0;
}

void st_tcp_counters_print(FILE *out, const struct st_tcp_counters *t)
{
	unsigned int i;

	fprintf(out, "%-22s %14s\n", "EVENT", "COUNT");
	for (i = 0; i < t->n; i++)
		fprintf(out, "%-22s %14" PRIu64 "\n", st_tcp_counter_name(i), t->c[i]);
}

void st_tcp_counters_json(struct json *j, const struct st_tcp_counters *t)
{
	unsigned int i;

	json_begin_object(j);
	for (i = 0; i < t->n; i++)
		json_kv_uint(j, st_tcp_counter_name(i), t->c[i]);
	json_end_object(j);
}

static int st_listen_cmp(const void *a, const void *b)
{
	const struct st_listen *x = a, *y = b;

	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return x->netns < y->netns ? -1 : x->netns > y->netns;
}

void st_listen_sort(struct st_listen *v, size_t n)
{
	if (n)
		qsort(v, n, sizeof(*v), st_listen_cmp);
}

const char *st_listen_key(const struct st_listen *v, size_t n, size_t i,
			  char *buf, size_t len)
{
	int same_port = 0, same_fam = 0;
	size_t k;

	for (k = 0; k < n; k++) {
		if (k == i || v[k].port != v[i].port)
			continue;
		same_port = 1;
		if (v[k].family == v[i].family)
			same_fam = 1;
	}
	if (same_fam)
		snprintf(buf, len, "%u, %s, %" PRIu32, v[i].port,
			 st_af_name(v[i].family), v[i].netns);
	else if (same_port)
		snprintf(buf, len, "%u, %s", v[i].port, st_af_name(v[i].family));
	else
		snprintf(buf, len, "%u", v[i].port);
	return buf;
}

void st_listen_print(FILE *out, const struct st_listen *v, size_t n)
{
	char key[64];
	size_t i;

	fprintf(out, "%-5s %-5s %-10s %-7s %-16s %5s %9s %9s %9s\n", "PORT",
		"FAM", "NETNS", "PID", "COMM", "MAX", "CONNS", "OVERFLOWS",
		"SYN_DROPS");
	for (i = 0; i < n; i++)
		fprintf(out, "%-5u %-5s %-10" PRIu32 " %-7" PRIu32 " %-16s %5" PRIu32
			" %9" PRIu64 " %9" PRIu64 " %9" PRIu64 "\n",
			v[i].port, st_af_name(v[i].family), v[i].netns, v[i].pid,
			v[i].comm, v[i].backlog_max, v[i].conns, v[i].overflows,
			v[i].syn_drops);
	for (i = 0; i < n; i++) {
		if (!v[i].conns)
			continue;
		st_listen_key(v, n, i, key, sizeof(key));
		fprintf(out, "\n@acceptq[%s]:\n", key);
		st_hist_rows(out, v[i].acceptq, SOCKTAP_QLEN_BUCKETS, st_qlen_label);
		fprintf(out, "\n@synq[%s]:\n", key);
		st_hist_rows(out, v[i].synq, SOCKTAP_QLEN_BUCKETS, st_qlen_label);
	}
}

void st_listen_json(struct json *j, const struct st_listen *v, size_t n)
{
	size_t i;

	json_begin_array(j);
	for (i = 0; i < n; i++) {
		json_begin_object(j);
		json_kv_uint(j, "port", v[i].port);
		json_kv_string(j, "family", st_af_name(v[i].family));
		json_kv_uint(j, "netns", v[i].netns);
		json_kv_uint(j, "pid", v[i].pid);
		json_kv_string(j, "comm", v[i].comm);
		json_kv_uint(j, "backlog_max", v[i].backlog_max);
		json_kv_uint(j, "conns", v[i].conns);
		json_kv_uint(j, "overflows", v[i].overflows);
		json_kv_uint(j, "syn_drops", v[i].syn_drops);
		json_key(j, "acceptq");
		st_qlen_json(j, v[i].acceptq);
		json_key(j, "synq");
		st_qlen_json(j, v[i].synq);
		json_end_object(j);
	}
	json_end_array(j);
}
