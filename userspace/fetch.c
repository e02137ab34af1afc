// SPDX-License-Identifier: GPL-2.0
#include "fetch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

static uint64_t st_get(struct nlattr **tb, int attr)
{
	return tb[attr] ? st_nla_uint(tb[attr]) : 0;
}

/* ---- TCP counters */

static int st_tcp_cb(struct nlattr **tb, void *arg)
{
	struct st_tcp_counters *t = arg;
	struct nlattr *a = tb[SOCKTAP_A_TCP_COUNTERS];

	if (!a) {
		fprintf(stderr, "socktap: TCP counter reply without counters\n");
		return ST_EXIT_ERROR;
	}
	st_tcp_counters_parse(t, nla_data(a), (size_t)nla_len(a));
	return 0;
}

int st_tcp_fetch(struct st_nl *nl, struct st_tcp_counters *t)
{
	st_tcp_counters_parse(t, NULL, 0);
	return st_nl_call(nl, SOCKTAP_CMD_TCP_GET, 0, NULL, NULL, st_tcp_cb, t);
}

/* ---- histograms */

static int st_hist_from_attrs(struct nlattr **tb, struct st_hist *h)
{
	size_t len;

	if (!tb[SOCKTAP_A_HIST_BUCKETS]) {
		fprintf(stderr, "socktap: histogram reply without buckets\n");
		return ST_EXIT_ERROR;
	}
	if (tb[SOCKTAP_A_HIST_NAME])
		st_nla_strcpy(h->name, sizeof(h->name), tb[SOCKTAP_A_HIST_NAME]);
	/* Older modules only had nanoseconds and did not say. */
	if (tb[SOCKTAP_A_HIST_UNIT])
		st_nla_strcpy(h->unit, sizeof(h->unit), tb[SOCKTAP_A_HIST_UNIT]);
	len = (size_t)nla_len(tb[SOCKTAP_A_HIST_BUCKETS]);
	if (len > sizeof(h->b))
		len = sizeof(h->b);
	memset(h->b, 0, sizeof(h->b));
	memcpy(h->b, nla_data(tb[SOCKTAP_A_HIST_BUCKETS]), len);
	if (tb[SOCKTAP_A_HIST_SUM])
		h->sum = st_nla_uint(tb[SOCKTAP_A_HIST_SUM]);
	st_hist_recount(h);
	return 0;
}

static int st_hist_cb(struct nlattr **tb, void *arg)
{
	return st_hist_from_attrs(tb, arg);
}

static int st_put_hist_id(struct nl_msg *msg, void *arg)
{
	return nla_put_u32(msg, SOCKTAP_A_HIST_ID, *(unsigned int *)arg);
}

int st_hist_fetch(struct st_nl *nl, unsigned int id, struct st_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->id = id;
	snprintf(h->name, sizeof(h->name), "%s", st_hist_id_name(id));
	return st_nl_call(nl, SOCKTAP_CMD_HIST_GET, 0, st_put_hist_id, &id,
			  st_hist_cb, h);
}

static int st_hist_dump_cb(struct nlattr **tb, void *arg)
{
	struct st_hist_list *l = arg;
	struct st_hist *h;

	if (!tb[SOCKTAP_A_HIST_ID]) {
		fprintf(stderr, "socktap: histogram reply without an id\n");
		return ST_EXIT_ERROR;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;

		h = realloc(l->v, cap * sizeof(*h));
		if (!h) {
			fprintf(stderr, "socktap: out of memory\n");
			return ST_EXIT_ERROR;
		}
		l->v = h;
		l->cap = cap;
	}
	h = &l->v[l->n];
	memset(h, 0, sizeof(*h));
	h->id = (unsigned int)st_nla_uint(tb[SOCKTAP_A_HIST_ID]);
	snprintf(h->name, sizeof(h->name), "%s", st_hist_id_name(h->id));
	if (st_hist_from_attrs(tb, h))
		return ST_EXIT_ERROR;
	l->n++;
	return 0;
}

int st_hist_dump(struct st_nl *nl, struct st_hist_list *l)
{
	l->n = 0;
	return st_nl_call(nl, SOCKTAP_CMD_HIST_GET, 1, NULL, NULL,
			  st_hist_dump_cb, l);
}

void st_hist_list_free(struct st_hist_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* ---- process table */

static unsigned int st_clamp(uint64_t v, unsigned int max)
{
	return v < max ? (unsigned int)v : max - 1;
}

static void st_io_from_attrs(struct st_proc *p, struct nlattr *nest)
{
	struct nlattr *tb[SOCKTAP_A_MAX + 1];
	unsigned int proto = SOCKTAP_PROTO_OTHER, fam = SOCKTAP_FAMILY_OTHER;
	struct st_io *io;

	if (nla_parse_nested(tb, SOCKTAP_A_MAX, nest, NULL) < 0)
		return;
	if (tb[SOCKTAP_A_IO_PROTO])
		proto = st_clamp(st_nla_uint(tb[SOCKTAP_A_IO_PROTO]),
				 __SOCKTAP_PROTO_MAX);
	if (tb[SOCKTAP_A_IO_FAMILY])
		fam = st_clamp(st_nla_uint(tb[SOCKTAP_A_IO_FAMILY]),
			       __SOCKTAP_FAMILY_MAX);
	io = &p->io[proto][fam];
	p->io_mask |= ST_IO_BIT(proto, fam);
	io->sends += st_get(tb, SOCKTAP_A_IO_SENDS);
	io->send_bytes += st_get(tb, SOCKTAP_A_IO_SEND_BYTES);
	io->recvs += st_get(tb, SOCKTAP_A_IO_RECVS);
	io->recv_bytes += st_get(tb, SOCKTAP_A_IO_RECV_BYTES);
}

struct st_proc_req {
	struct st_proc_list *l;
	uint32_t skip_pid;
};

static int st_proc_cb(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct st_proc_req *r = arg;
	struct st_proc p;
	struct nlattr *a;
	int rem;

	memset(&p, 0, sizeof(p));
	if (!tb[SOCKTAP_A_PROC_PID]) {
		fprintf(stderr, "socktap: process record without a pid\n");
		return ST_EXIT_ERROR;
	}
	p.pid = (uint32_t)st_get(tb, SOCKTAP_A_PROC_PID);
	p.uid = (uint32_t)st_get(tb, SOCKTAP_A_PROC_UID);
	p.netns = (uint32_t)st_get(tb, SOCKTAP_A_PROC_NETNS);
	if (tb[SOCKTAP_A_PROC_COMM])
		st_nla_strcpy(p.comm, sizeof(p.comm), tb[SOCKTAP_A_PROC_COMM]);
	p.connect_ok = st_get(tb, SOCKTAP_A_PROC_CONNECT_OK);
	p.connect_inprogress = st_get(tb, SOCKTAP_A_PROC_CONNECT_INPROGRESS);
	p.connect_refused = st_get(tb, SOCKTAP_A_PROC_CONNECT_REFUSED);
	p.connect_error = st_get(tb, SOCKTAP_A_PROC_CONNECT_ERROR);
	p.accepts = st_get(tb, SOCKTAP_A_PROC_ACCEPTS);
	p.created = st_get(tb, SOCKTAP_A_PROC_CREATED);
	p.closed = st_get(tb, SOCKTAP_A_PROC_CLOSED);
	if (r->skip_pid && p.pid == r->skip_pid)
		return 0;
	/* tb keeps the last SOCKTAP_A_IO only: walk them all. */
	nla_for_each_attr(a, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), rem)
		if (nla_type(a) == SOCKTAP_A_IO)
			st_io_from_attrs(&p, a);
	if (st_proc_push(r->l, &p)) {
		fprintf(stderr, "socktap: out of memory\n");
		return ST_EXIT_ERROR;
	}
	return 0;
}

int st_proc_fetch(struct st_nl *nl, struct st_proc_list *l, uint32_t skip_pid)
{
	struct st_proc_req r = { .l = l, .skip_pid = skip_pid };

	l->n = 0;
	return st_nl_call_raw(nl, SOCKTAP_CMD_PROC_GET, 1, NULL, NULL,
			      st_proc_cb, &r);
}

/* ---- listeners */

/* A queue histogram; shorter (or longer) than ours is tolerated. */
static void st_get_qlen(struct nlattr *a, uint64_t *b)
{
	size_t len;

	memset(b, 0, SOCKTAP_QLEN_BUCKETS * sizeof(*b));
	if (!a)
		return;
	len = (size_t)nla_len(a) / sizeof(*b) * sizeof(*b);
	if (len > SOCKTAP_QLEN_BUCKETS * sizeof(*b))
		len = SOCKTAP_QLEN_BUCKETS * sizeof(*b);
	memcpy(b, nla_data(a), len);
}

static int st_listen_cb(struct nlattr **tb, void *arg)
{
	struct st_listen_list *l = arg;
	struct st_listen *r;

	if (!tb[SOCKTAP_A_LISTEN_PORT]) {
		fprintf(stderr, "socktap: listener record without a port\n");
		return ST_EXIT_ERROR;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct st_listen *v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			fprintf(stderr, "socktap: out of memory\n");
			return ST_EXIT_ERROR;
		}
		l->v = v;
		l->cap = cap;
	}
	r = &l->v[l->n++];
	memset(r, 0, sizeof(*r));
	r->port = (uint16_t)st_get(tb, SOCKTAP_A_LISTEN_PORT);
	r->family = (unsigned int)st_get(tb, SOCKTAP_A_LISTEN_FAMILY);
	r->netns = (uint32_t)st_get(tb, SOCKTAP_A_LISTEN_NETNS);
	r->pid = (uint32_t)st_get(tb, SOCKTAP_A_LISTEN_PID);
	if (tb[SOCKTAP_A_LISTEN_COMM])
		st_nla_strcpy(r->comm, sizeof(r->comm), tb[SOCKTAP_A_LISTEN_COMM]);
	r->backlog_max = (uint32_t)st_get(tb, SOCKTAP_A_LISTEN_BACKLOG_MAX);
	r->conns = st_get(tb, SOCKTAP_A_LISTEN_CONNS);
	r->overflows = st_get(tb, SOCKTAP_A_LISTEN_OVERFLOWS);
	r->syn_drops = st_get(tb, SOCKTAP_A_LISTEN_SYN_DROPS);
	st_get_qlen(tb[SOCKTAP_A_LISTEN_ACCEPTQ], r->acceptq);
	st_get_qlen(tb[SOCKTAP_A_LISTEN_SYNQ], r->synq);
	return 0;
}

int st_listen_fetch(struct st_nl *nl, struct st_listen_list *l)
{
	return st_nl_call(nl, SOCKTAP_CMD_LISTEN_GET, 1, NULL, NULL,
			  st_listen_cb, l);
}

void st_listen_list_free(struct st_listen_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* ---- I/O sizes per process */

static int st_size_proc_cb(struct nlmsghdr *nlh, struct nlattr **tb,
			   void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct nlattr *h[SOCKTAP_A_MAX + 1];
	struct st_size_list *l = arg;
	char comm[64] = "", name[64];
	struct st_size_proc *p;
	struct nlattr *a;
	int rem, slot;

	if (!tb[SOCKTAP_A_PROC_PID]) {
		fprintf(stderr, "socktap: size record without a pid\n");
		return ST_EXIT_ERROR;
	}
	if (tb[SOCKTAP_A_PROC_COMM])
		st_nla_strcpy(comm, sizeof(comm), tb[SOCKTAP_A_PROC_COMM]);
	p = st_size_add(l, (uint32_t)st_nla_uint(tb[SOCKTAP_A_PROC_PID]), comm);
	if (!p) {
		fprintf(stderr, "socktap: out of memory\n");
		return ST_EXIT_ERROR;
	}
	/* tb keeps the last SOCKTAP_A_SIZE_HIST only: walk them all. */
	nla_for_each_attr(a, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), rem) {
		if (nla_type(a) != SOCKTAP_A_SIZE_HIST ||
		    nla_parse_nested(h, SOCKTAP_A_MAX, a, NULL) < 0 ||
		    !h[SOCKTAP_A_HIST_ID] || !h[SOCKTAP_A_HIST_BUCKETS])
			continue;
		/* A histogram this CLI does not know yet: left out. */
		slot = st_size_slot((unsigned int)st_nla_uint(h[SOCKTAP_A_HIST_ID]));
		if (slot < 0)
			continue;
		name[0] = '\0';
		if (h[SOCKTAP_A_HIST_NAME])
			st_nla_strcpy(name, sizeof(name), h[SOCKTAP_A_HIST_NAME]);
		st_size_set(p, slot, name, nla_data(h[SOCKTAP_A_HIST_BUCKETS]),
			    (size_t)nla_len(h[SOCKTAP_A_HIST_BUCKETS]),
			    h[SOCKTAP_A_HIST_SUM] ?
			    st_nla_uint(h[SOCKTAP_A_HIST_SUM]) : 0);
	}
	return 0;
}

int st_size_fetch(struct st_nl *nl, struct st_size_list *l)
{
	l->n = 0;
	return st_nl_call_raw(nl, SOCKTAP_CMD_SIZE_GET, 1, NULL, NULL,
			      st_size_proc_cb, l);
}
