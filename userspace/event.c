// SPDX-License-Identifier: GPL-2.0
#include "event.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "fmt.h"

static const char *const st_ev_names[__SOCKTAP_EV_MAX] = {
	[SOCKTAP_EV_CONNECT] = "connect",
	[SOCKTAP_EV_LIFE] = "life",
	[SOCKTAP_EV_STATE] = "state",
	[SOCKTAP_EV_RETRANS] = "retrans",
	[SOCKTAP_EV_RESET] = "reset",
	[SOCKTAP_EV_ACCEPT] = "accept",
	[SOCKTAP_EV_OVERFLOW] = "overflow",
	[SOCKTAP_EV_DROP] = "drop",
	[SOCKTAP_EV_SEND] = "send",
	[SOCKTAP_EV_RECEIVE] = "receive",
};

/* The multicast group of each record type (the UAPI's names). */
static const char *const st_ev_groups[__SOCKTAP_EV_MAX] = {
	[SOCKTAP_EV_CONNECT] = SOCKTAP_GENL_MCGRP_CONNECT,
	[SOCKTAP_EV_LIFE] = SOCKTAP_GENL_MCGRP_LIFE,
	[SOCKTAP_EV_STATE] = SOCKTAP_GENL_MCGRP_STATE,
	[SOCKTAP_EV_RETRANS] = SOCKTAP_GENL_MCGRP_RETRANS,
	[SOCKTAP_EV_RESET] = SOCKTAP_GENL_MCGRP_RESET,
	[SOCKTAP_EV_ACCEPT] = SOCKTAP_GENL_MCGRP_ACCEPT,
	[SOCKTAP_EV_OVERFLOW] = SOCKTAP_GENL_MCGRP_OVERFLOW,
	[SOCKTAP_EV_DROP] = SOCKTAP_GENL_MCGRP_DROP,
	[SOCKTAP_EV_SEND] = SOCKTAP_GENL_MCGRP_SEND,
	[SOCKTAP_EV_RECEIVE] = SOCKTAP_GENL_MCGRP_RECEIVE,
};

const char *st_event_group(unsigned int type)
{
	return type < __SOCKTAP_EV_MAX && st_ev_groups[type] ?
	       st_ev_groups[type] : SOCKTAP_GENL_MCGRP;
}

int st_ev_attr(int attr)
{
	return (attr >= SOCKTAP_A_EV_TYPE && attr <= SOCKTAP_A_EV_DURATION) ||
	       (attr >= SOCKTAP_A_EV_OLDSTATE && attr <= SOCKTAP_A_EV_STACK);
}

unsigned int st_event_type_parse(const char *s)
{
	unsigned int t;

	for (t = SOCKTAP_EV_CONNECT; t < __SOCKTAP_EV_MAX; t++)
		if (!strcmp(s, st_ev_names[t]))
			return t;
	return 0;
}

const char *st_event_type_name(unsigned int type)
{
	return type < __SOCKTAP_EV_MAX && st_ev_names[type] ?
	       st_ev_names[type] : "unknown";
}

int st_event_type_timed(unsigned int type)
{
	return type == SOCKTAP_EV_RETRANS || type == SOCKTAP_EV_RESET ||
	       type == SOCKTAP_EV_OVERFLOW || type == SOCKTAP_EV_DROP ||
	       type == SOCKTAP_EV_SEND || type == SOCKTAP_EV_RECEIVE;
}

/* include/net/tcp_states.h */
static const char *const st_tcp_states[] = {
	[1] = "ESTABLISHED",
	[2] = "SYN_SENT",
	[3] = "SYN_RECV",
	[4] = "FIN_WAIT1",
	[5] = "FIN_WAIT2",
	[6] = "TIME_WAIT",
	[7] = "CLOSE",
	[8] = "CLOSE_WAIT",
	[9] = "LAST_ACK",
	[10] = "LISTEN",
	[11] = "CLOSING",
	[12] = "NEW_SYN_RECV",
	[13] = "BOUND_INACTIVE",
};

const char *st_tcp_state_name(unsigned int state, char *buf, size_t n)
{
	if (state < sizeof(st_tcp_states) / sizeof(st_tcp_states[0]) &&
	    st_tcp_states[state])
		return st_tcp_states[state];
	snprintf(buf, n, "STATE(%u)", state);
	return buf;
}

const char *st_retrans_type_name(unsigned int type, int lower)
{
	static const char *const up[__SOCKTAP_RETRANS_MAX] = {
		[SOCKTAP_RETRANS_RTO] = "RTO",
		[SOCKTAP_RETRANS_FAST] = "FAST",
		[SOCKTAP_RETRANS_TLP] = "TLP",
		[SOCKTAP_RETRANS_SYN] = "SYN",
		[SOCKTAP_RETRANS_SYNACK] = "SYNACK",
		[SOCKTAP_RETRANS_OTHER] = "OTHER",
	};
	static const char *const low[__SOCKTAP_RETRANS_MAX] = {
		[SOCKTAP_RETRANS_RTO] = "rto",
		[SOCKTAP_RETRANS_FAST] = "fast",
		[SOCKTAP_RETRANS_TLP] = "tlp",
		[SOCKTAP_RETRANS_SYN] = "syn",
		[SOCKTAP_RETRANS_SYNACK] = "synack",
		[SOCKTAP_RETRANS_OTHER] = "other",
	};

	if (type >= __SOCKTAP_RETRANS_MAX)
		return "?";
	return lower ? low[type] : up[type];
}

char st_retrans_type_letter(unsigned int type)
{
	return type == SOCKTAP_RETRANS_TLP ? 'L' : 'R';
}

const char *st_reset_dir_name(unsigned int kind)
{
	switch (kind) {
	case SOCKTAP_RESET_SENT:
		return "sent";
	case SOCKTAP_RESET_RECEIVED:
		return "received";
	default:
		return "?";
	}
}

const char *st_overflow_queue_name(unsigned int reason)
{
	switch (reason) {
	case SOCKTAP_TCP_LISTEN_OVERFLOW:
		return "accept";
	case SOCKTAP_TCP_SYN_DROP:
		return "syn";
	default:
		return "?";
	}
}

static void st_time_header(FILE *out, unsigned int type, int rel)
{
	if (rel)
		fprintf(out, "%-10s ", "TIME(s)");
	else if (st_event_type_timed(type))
		fprintf(out, "%-8s ", "TIME");
}

void st_event_header(FILE *out, unsigned int type, int rel)
{
	st_time_header(out, type, rel);
	switch (type) {
	case SOCKTAP_EV_CONNECT:
		fprintf(out, "%-7s %-16s %-3s %-16s %-5s %8s %s\n", "PID",
			"COMM", "FAM", "ADDRESS", "PORT", "LAT(us)", "RESULT");
		break;
	case SOCKTAP_EV_ACCEPT:
		fprintf(out, "%-6s %-16s %-7s %-5s %-15s %-15s %-5s %-15s %-5s %s\n",
			"UID", "CMD", "PID", "PORT", "IP_SOURCE", "RADDR",
			"RPORT", "LADDR", "LPORT", "BL");
		break;
	case SOCKTAP_EV_STATE:
		fprintf(out, "%-7s %-16s %-15s %-5s %-15s %-5s %-12s -> %-12s %s\n",
			"C-PID", "C-COMM", "LADDR", "LPORT", "RADDR", "RPORT",
			"OLDSTATE", "NEWSTATE", "MS");
		break;
	case SOCKTAP_EV_RETRANS:
		fprintf(out, "%-7s %-2s %-21s %1s> %-21s %-12s %-6s %s\n",
			"PID", "IP", "LADDR:LPORT", "T", "RADDR:RPORT", "STATE",
			"TYPE", "SEGS");
		break;
	case SOCKTAP_EV_RESET:
		fprintf(out, "%-7s %-16s %-8s %-21s %-21s %s\n", "PID", "COMM",
			"DIR", "LADDR:LPORT", "RADDR:RPORT", "STATE");
		break;
	case SOCKTAP_EV_OVERFLOW:
		fprintf(out, "%-5s %-7s %-16s %-6s %7s %5s %5s\n", "PORT", "PID",
			"COMM", "QUEUE", "BACKLOG", "MAX", "SYNQ");
		break;
	case SOCKTAP_EV_DROP:
		fprintf(out, "%-7s %-16s %-2s %-21s > %-21s %-12s %s\n", "PID",
			"COMM", "IP", "SADDR:SPORT", "DADDR:DPORT", "STATE",
			"REASON");
		break;
	case SOCKTAP_EV_SEND:
	case SOCKTAP_EV_RECEIVE:
		fprintf(out, "%-7s %-16s %-2s %-21s %-21s %7s %4s %s\n", "PID",
			"COMM", "IP", "LADDR:LPORT", "RADDR:RPORT", "BYTES",
			"SEGS", "STATE");
		break;
	default:
		fprintf(out, "%-7s %-16s %-15s %-5s %-15s %-5s %6s %6s %s\n",
			"PID", "COMM", "LADDR", "LPORT", "RADDR", "RPORT",
			"TX_KB", "RX_KB", "MS");
	}
}

static void st_time_col(FILE *out, const struct st_event *e,
			const struct st_ev_clock *clk)
{
	time_t secs;
	struct tm tm;
	char hms[16];

	if (clk->rel) {
		fprintf(out, "%-10.3f ",
			((double)e->time_ns - (double)clk->start_ns) / 1e9);
		return;
	}
	if (!st_event_type_timed(e->type))
		return;
	secs = (time_t)(((int64_t)e->time_ns + clk->real_off_ns) / 1000000000);
	if (!localtime_r(&secs, &tm) ||
	    !strftime(hms, sizeof(hms), "%H:%M:%S", &tm))
		snprintf(hms, sizeof(hms), "?");
	fprintf(out, "%-8s ", hms);
}

static unsigned int st_ipver(unsigned int family)
{
	return family == AF_INET6 ? 6 : family == AF_INET ? 4 : 0;
}

void st_event_drop_line(FILE *out, const struct st_event *e,
			const struct st_ev_clock *clk, const char *reason)
{
	char se[ST_ADDR_MAX + 8], de[ST_ADDR_MAX + 8], pid[16], st[24];

	st_time_col(out, e, clk);
	if (e->pid)
		snprintf(pid, sizeof(pid), "%" PRIu32, e->pid);
	else
		snprintf(pid, sizeof(pid), "-");
	fprintf(out, "%-7s %-16s %-2u %-21s > %-21s %-12s %s\n", pid,
		e->pid && e->comm[0] ? e->comm : "-", st_ipver(e->family),
		st_fmt_endpoint(e->saddr, e->saddr_len, e->sport, se, sizeof(se)),
		st_fmt_endpoint(e->daddr, e->daddr_len, e->dport, de, sizeof(de)),
		e->newstate ? st_tcp_state_name(e->newstate, st, sizeof(st)) : "-",
		reason);
}

void st_event_line(FILE *out, const struct st_event *e,
		   const struct st_ev_clock *clk)
{
	char sa[ST_ADDR_MAX], da[ST_ADDR_MAX], res[64];
	char se[ST_ADDR_MAX + 8], de[ST_ADDR_MAX + 8], s1[24], s2[24];

	if (e->type == SOCKTAP_EV_DROP) {
		snprintf(res, sizeof(res), "%" PRIu32, e->reason);
		st_event_drop_line(out, e, clk, res);
		return;
	}
	st_time_col(out, e, clk);
	st_fmt_addr(e->saddr, e->saddr_len, sa, sizeof(sa));
	st_fmt_addr(e->daddr, e->daddr_len, da, sizeof(da));
	st_fmt_endpoint(e->saddr, e->saddr_len, e->sport, se, sizeof(se));
	st_fmt_endpoint(e->daddr, e->daddr_len, e->dport, de, sizeof(de));
	switch (e->type) {
	case SOCKTAP_EV_CONNECT:
		fprintf(out, "%-7" PRIu32 " %-16s %-3u %-16s %-5u %8" PRIu64 " %s\n",
			e->pid, e->comm, e->family, da, e->dport,
			e->latency_ns / 1000,
			st_result_text(e->result, res, sizeof(res)));
		break;
	case SOCKTAP_EV_ACCEPT:
		snprintf(res, sizeof(res), "%" PRIu32 "/%" PRIu32, e->backlog,
			 e->backlog_max);
		fprintf(out, "%-6" PRIu32 " %-16s %-7" PRIu32 " %-5u %-15s %-15s %-5u %-15s %-5u %s\n",
			e->uid, e->comm, e->pid, e->sport, da, da, e->dport,
			sa, e->sport, res);
		break;
	case SOCKTAP_EV_STATE:
		fprintf(out, "%-7" PRIu32 " %-16s %-15s %-5u %-15s %-5u %-12s -> %-12s %.3f\n",
			e->pid, e->comm, sa, e->sport, da, e->dport,
			st_tcp_state_name(e->oldstate, s1, sizeof(s1)),
			st_tcp_state_name(e->newstate, s2, sizeof(s2)),
			(double)e->duration_ns / 1e6);
		break;
	case SOCKTAP_EV_RETRANS:
		fprintf(out, "%-7" PRIu32 " %-2u %-21s %c> %-21s %-12s %-6s %" PRIu32 "\n",
			e->pid, st_ipver(e->family), se,
			st_retrans_type_letter(e->retrans_type), de,
			st_tcp_state_name(e->newstate, s1, sizeof(s1)),
			st_retrans_type_name(e->retrans_type, 0), e->segs);
		break;
	case SOCKTAP_EV_SEND:
	case SOCKTAP_EV_RECEIVE:
		fprintf(out, "%-7" PRIu32 " %-16s %-2u %-21s %-21s %7" PRIu64
			" %4" PRIu32 " %s\n",
			e->pid, e->comm, st_ipver(e->family), se, de,
			e->type == SOCKTAP_EV_SEND ? e->tx_bytes : e->rx_bytes,
			e->segs, st_tcp_state_name(e->newstate, s1, sizeof(s1)));
		break;
	case SOCKTAP_EV_RESET:
		fprintf(out, "%-7" PRIu32 " %-16s %-8s %-21s %-21s %s\n",
			e->pid, e->comm, st_reset_dir_name(e->reason), se, de,
			st_tcp_state_name(e->newstate, s1, sizeof(s1)));
		break;
	case SOCKTAP_EV_OVERFLOW:
		fprintf(out, "%-5u %-7" PRIu32 " %-16s %-6s %7" PRIu32 " %5" PRIu32
			" %5" PRIu32 "\n",
			e->sport, e->pid, e->comm,
			st_overflow_queue_name(e->reason), e->backlog,
			e->backlog_max, e->synq);
		break;
	default:
		fprintf(out, "%-7" PRIu32 " %-16s %-15s %-5u %-15s %-5u %6" PRIu64
			" %6" PRIu64 " %.2f\n",
			e->pid, e->comm, sa, e->sport, da, e->dport,
			e->tx_bytes / 1024, e->rx_bytes / 1024,
			(double)e->duration_ns / 1e6);
	}
}

/* REASON means something else in each type that carries it. */
static void st_event_json_reason(struct json *j, const struct st_event *e)
{
	if (e->type == SOCKTAP_EV_RESET)
		json_kv_string(j, "direction", st_reset_dir_name(e->reason));
	else if (e->type == SOCKTAP_EV_OVERFLOW)
		json_kv_string(j, "queue", st_overflow_queue_name(e->reason));
	else
		json_kv_uint(j, "reason", e->reason);
}

void st_event_json(struct json *j, const struct st_event *e)
{
	json_begin_object(j);
	st_event_json_members(j, e);
	json_end_object(j);
}

void st_event_json_members(struct json *j, const struct st_event *e)
{
	char buf[ST_ADDR_MAX];

	json_kv_string(j, "type", st_event_type_name(e->type));
	if (ST_EV_HAS(e, SOCKTAP_A_EV_TIME))
		json_kv_uint(j, "time_ns", e->time_ns);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_PID))
		json_kv_uint(j, "pid", e->pid);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_UID))
		json_kv_uint(j, "uid", e->uid);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_COMM))
		json_kv_string(j, "comm", e->comm);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_NETNS))
		json_kv_uint(j, "netns", e->netns);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_FAMILY))
		json_kv_string(j, "family", st_af_name(e->family));
	if (ST_EV_HAS(e, SOCKTAP_A_EV_PROTO))
		json_kv_string(j, "proto", st_proto_name(e->proto, 1));
	if (ST_EV_HAS(e, SOCKTAP_A_EV_SADDR))
		json_kv_string(j, "saddr",
			       st_fmt_addr(e->saddr, e->saddr_len, buf, sizeof(buf)));
	if (ST_EV_HAS(e, SOCKTAP_A_EV_DADDR))
		json_kv_string(j, "daddr",
			       st_fmt_addr(e->daddr, e->daddr_len, buf, sizeof(buf)));
	if (ST_EV_HAS(e, SOCKTAP_A_EV_SPORT))
		json_kv_uint(j, "sport", e->sport);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_DPORT))
		json_kv_uint(j, "dport", e->dport);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_LATENCY))
		json_kv_uint(j, "latency_ns", e->latency_ns);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_RESULT))
		json_kv_int(j, "result", e->result);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_TX_BYTES))
		json_kv_uint(j, "tx_bytes", e->tx_bytes);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_RX_BYTES))
		json_kv_uint(j, "rx_bytes", e->rx_bytes);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_DURATION))
		json_kv_uint(j, "duration_ns", e->duration_ns);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_OLDSTATE))
		json_kv_string(j, "oldstate",
			       st_tcp_state_name(e->oldstate, buf, sizeof(buf)));
	/*
	 * The state after a change, else the socket's state; a dropped
	 * packet that found no socket has none.
	 */
	if (ST_EV_HAS(e, SOCKTAP_A_EV_NEWSTATE)) {
		json_key(j, e->type == SOCKTAP_EV_STATE ? "newstate" : "state");
		if (e->type == SOCKTAP_EV_DROP && !e->newstate)
			json_null(j);
		else
			json_string(j, st_tcp_state_name(e->newstate, buf,
							 sizeof(buf)));
	}
	if (ST_EV_HAS(e, SOCKTAP_A_EV_RETRANS_TYPE))
		json_kv_string(j, "retrans_type",
			       st_retrans_type_name(e->retrans_type, 1));
	if (ST_EV_HAS(e, SOCKTAP_A_EV_SEGS))
		json_kv_uint(j, "segs", e->segs);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_BACKLOG))
		json_kv_uint(j, "backlog", e->backlog);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_BACKLOG_MAX))
		json_kv_uint(j, "backlog_max", e->backlog_max);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_SYNQ))
		json_kv_uint(j, "synq", e->synq);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_REASON))
		st_event_json_reason(j, e);
}

/* ---- tcpretrans -c */

static int st_flow_match(const struct st_flow *f, const struct st_flow *k)
{
	return f->netns == k->netns && f->family == k->family &&
	       f->sport == k->sport && f->dport == k->dport &&
	       f->saddr_len == k->saddr_len && f->daddr_len == k->daddr_len &&
	       !memcmp(f->saddr, k->saddr, k->saddr_len) &&
	       !memcmp(f->daddr, k->daddr, k->daddr_len);
}

/* FNV-1a over the flow's fields. */
static uint32_t st_fnv(uint32_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--) {
		h ^= *c++;
		h *= 16777619u;
	}
	return h;
}

static uint32_t st_flow_hash_f(const struct st_flow *f)
{
	uint32_t h = 2166136261u;

	h = st_fnv(h, &f->netns, sizeof(f->netns));
	h = st_fnv(h, &f->family, sizeof(f->family));
	h = st_fnv(h, f->saddr, f->saddr_len);
	h = st_fnv(h, f->daddr, f->daddr_len);
	h = st_fnv(h, &f->sport, sizeof(f->sport));
	return st_fnv(h, &f->dport, sizeof(f->dport));
}

static void st_flow_place(uint32_t *slot, size_t nslot, uint32_t h,
			  uint32_t idx1)
{
	size_t i = h & (nslot - 1);

	while (slot[i])
		i = (i + 1) & (nslot - 1);
	slot[i] = idx1;
}

static int st_flow_grow(struct st_flow_table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 16, nslot = cap * 2, i;
	struct st_flow *v;
	uint32_t *slot;

	if (cap > UINT32_MAX / 4)
		return -1;
	v = realloc(t->v, cap * sizeof(*v));
	if (!v)
		return -1;
	t->v = v;
	slot = calloc(nslot, sizeof(*slot));
	if (!slot)
		return -1;
	for (i = 0; i < t->n; i++)
		st_flow_place(slot, nslot, st_flow_hash_f(&t->v[i]),
			      (uint32_t)i + 1);
	free(t->slot);
	t->slot = slot;
	t->nslot = nslot;
	t->cap = cap;
	return 0;
}

/*
 * The row of key (its netns, family, addresses and ports), added with
 * zero counts if new; NULL out of memory (the table is unchanged then).
 */
static struct st_flow *st_flow_get(struct st_flow_table *t,
				   const struct st_flow *key)
{
	uint32_t h = st_flow_hash_f(key);
	struct st_flow *f;
	size_t i;

	if (t->nslot) {
		for (i = h & (t->nslot - 1); t->slot[i];
		     i = (i + 1) & (t->nslot - 1)) {
			f = &t->v[t->slot[i] - 1];
			if (st_flow_match(f, key))
				return f;
		}
	}
	if (t->n == t->cap && st_flow_grow(t))
		return NULL;
	f = &t->v[t->n];
	memset(f, 0, sizeof(*f));
	f->netns = key->netns;
	f->family = key->family;
	memcpy(f->saddr, key->saddr, sizeof(f->saddr));
	memcpy(f->daddr, key->daddr, sizeof(f->daddr));
	f->saddr_len = key->saddr_len;
	f->daddr_len = key->daddr_len;
	f->sport = key->sport;
	f->dport = key->dport;
	t->n++;
	st_flow_place(t->slot, t->nslot, h, (uint32_t)t->n);
	return f;
}

/* A key of the event's whole flow. */
static void st_flow_key(struct st_flow *k, const struct st_event *e)
{
	memset(k, 0, sizeof(*k));
	k->netns = e->netns;
	k->family = e->family;
	memcpy(k->saddr, e->saddr, sizeof(k->saddr));
	memcpy(k->daddr, e->daddr, sizeof(k->daddr));
	k->saddr_len = e->saddr_len;
	k->daddr_len = e->daddr_len;
	k->sport = e->sport;
	k->dport = e->dport;
}

int st_flow_add(struct st_flow_table *t, const struct st_event *e)
{
	unsigned int type = e->retrans_type < __SOCKTAP_RETRANS_MAX ?
			    e->retrans_type : SOCKTAP_RETRANS_OTHER;
	struct st_flow key, *f;

	st_flow_key(&key, e);
	f = st_flow_get(t, &key);
	if (!f)
		return -1;
	f->total++;
	f->segs += e->segs;
	f->by_type[type]++;
	return 0;
}

static int st_flow_cmp(const void *a, const void *b)
{
	const struct st_flow *x = a, *y = b;
	int c;

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	c = memcmp(x->saddr, y->saddr, sizeof(x->saddr));
	if (!c)
		c = memcmp(x->daddr, y->daddr, sizeof(x->daddr));
	if (c)
		return c;
	if (x->sport != y->sport)
		return x->sport < y->sport ? -1 : 1;
	if (x->dport != y->dport)
		return x->dport < y->dport ? -1 : 1;
	return x->netns < y->netns ? -1 : x->netns > y->netns;
}

void st_flow_sort(struct st_flow_table *t)
{
	size_t i;

	if (!t->n)
		return;
	qsort(t->v, t->n, sizeof(*t->v), st_flow_cmp);
	/* Keep the table usable: the slots point to the new order. */
	memset(t->slot, 0, t->nslot * sizeof(*t->slot));
	for (i = 0; i < t->n; i++)
		st_flow_place(t->slot, t->nslot, st_flow_hash_f(&t->v[i]),
			      (uint32_t)i + 1);
}

void st_flow_free(struct st_flow_table *t)
{
	free(t->v);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

void st_flow_header(FILE *out)
{
	unsigned int i;

	fprintf(out, "%-21s     %-21s %11s", "LADDR:LPORT", "RADDR:RPORT",
		"RETRANSMITS");
	for (i = 0; i < __SOCKTAP_RETRANS_MAX; i++)
		fprintf(out, " %6s", st_retrans_type_name(i, 0));
	fputc('\n', out);
}

void st_flow_line(FILE *out, const struct st_flow *f)
{
	char se[ST_ADDR_MAX + 8], de[ST_ADDR_MAX + 8];
	unsigned int i;

	fprintf(out, "%-21s <-> %-21s %11" PRIu64,
		st_fmt_endpoint(f->saddr, f->saddr_len, f->sport, se, sizeof(se)),
		st_fmt_endpoint(f->daddr, f->daddr_len, f->dport, de, sizeof(de)),
		f->total);
	for (i = 0; i < __SOCKTAP_RETRANS_MAX; i++)
		fprintf(out, " %6" PRIu64, f->by_type[i]);
	fputc('\n', out);
}

void st_flow_json(struct json *j, const struct st_flow *f)
{
	char buf[ST_ADDR_MAX];
	unsigned int i;

	json_begin_object(j);
	json_kv_string(j, "family", st_af_name(f->family));
	json_kv_uint(j, "netns", f->netns);
	json_kv_string(j, "saddr", st_fmt_addr(f->saddr, f->saddr_len, buf, sizeof(buf)));
	json_kv_uint(j, "sport", f->sport);
	json_kv_string(j, "daddr", st_fmt_addr(f->daddr, f->daddr_len, buf, sizeof(buf)));
	json_kv_uint(j, "dport", f->dport);
	json_kv_uint(j, "retransmits", f->total);
	json_kv_uint(j, "segs", f->segs);
	for (i = 0; i < __SOCKTAP_RETRANS_MAX; i++)
		json_kv_uint(j, st_retrans_type_name(i, 1), f->by_type[i]);
	json_end_object(j);
}

/* ---- tcpaccept.d: accepted connections per remote host and local port */

int st_accept_count_add(struct st_flow_table *t, const struct st_event *e)
{
	struct st_flow key, *f;

	/* ACCEPT: saddr/sport the local end, daddr the peer. */
	memset(&key, 0, sizeof(key));
	key.netns = e->netns;
	key.family = e->family;
	memcpy(key.daddr, e->daddr, sizeof(key.daddr));
	key.daddr_len = e->daddr_len;
	key.sport = e->sport;
	f = st_flow_get(t, &key);
	if (!f)
		return -1;
	f->total++;
	return 0;
}

void st_accept_count_print(FILE *out, const struct st_flow_table *t)
{
	char host[ST_ADDR_MAX];
	int w = 15, len;
	size_t i;

	for (i = 0; i < t->n; i++) {
		len = (int)strlen(st_fmt_addr(t->v[i].daddr, t->v[i].daddr_len,
					      host, sizeof(host)));
		if (len > w)
			w = len;
	}
	fprintf(out, "%-*s %-5s %10s\n", w, "HOST", "PORT", "COUNT");
	for (i = 0; i < t->n; i++)
		fprintf(out, "%-*s %-5u %10" PRIu64 "\n", w,
			st_fmt_addr(t->v[i].daddr, t->v[i].daddr_len, host,
				    sizeof(host)),
			t->v[i].sport, t->v[i].total);
}

void st_accept_count_json(struct json *j, const struct st_flow_table *t)
{
	char host[ST_ADDR_MAX];
	size_t i;

	json_begin_array(j);
	for (i = 0; i < t->n; i++) {
		json_begin_object(j);
		json_kv_string(j, "host", st_fmt_addr(t->v[i].daddr,
						      t->v[i].daddr_len, host,
						      sizeof(host)));
		json_kv_uint(j, "port", t->v[i].sport);
		json_kv_uint(j, "count", t->v[i].total);
		json_kv_uint(j, "netns", t->v[i].netns);
		json_end_object(j);
	}
	json_end_array(j);
}
