// SPDX-License-Identifier: GPL-2.0
/*
 * The "socktap" generic netlink family: status, probe table, probe control.
 *
 * Strict attribute validation (a new family: every command is validated),
 * one policy for the family, extack messages on every error, and
 * GENL_ADMIN_PERM on anything that changes state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "compat.h"
#include "events.h"
#include "filter.h"
#include "funcs.h"
#include "hist.h"
#include "listentab.h"
#include "proctab.h"
#include "sizetab.h"
#include "socktab.h"
#include "socktap.h"
#include "stacks.h"
#include "tcpstat.h"

static const struct nla_policy st_policy[SOCKTAP_A_MAX + 1] = {
	[SOCKTAP_A_PROBE_NAME] = { .type = NLA_NUL_STRING,
				   .len = SOCKTAP_PROBE_NAME_MAX - 1 },
	[SOCKTAP_A_PROBE_ENABLE] = NLA_POLICY_MAX(NLA_U8, 1),
	[SOCKTAP_A_FILTER_PID] = { .type = NLA_U32 },
	/* nla_policy.max is s16: 65535 would not fit, so checked by hand. */
	[SOCKTAP_A_FILTER_PORT] = { .type = NLA_U32 },
	[SOCKTAP_A_FILTER_NETNS] = { .type = NLA_U32 },
	[SOCKTAP_A_FILTER_OWNED] = { .type = NLA_FLAG },
	[SOCKTAP_A_HIST_ID] = NLA_POLICY_MAX(NLA_U32, __SOCKTAP_HIST_MAX - 1),
	/* Its SOCKTAP_A_FUNC_NAME entries are checked by st_parse_funcs(). */
	[SOCKTAP_A_FUNCS] = { .type = NLA_NESTED },
	[SOCKTAP_A_STACK_FUNC] = { .type = NLA_NUL_STRING,
				   .len = SOCKTAP_FUNC_NAME_MAX - 1 },
	[SOCKTAP_A_STACK_MODE] = { .type = NLA_U32 },
};

/* Group 0 carries every record, group N those of type N. */
static const struct genl_multicast_group st_mcgrps[__SOCKTAP_EV_MAX] = {
	[0] = ST_GENL_MCGRP(SOCKTAP_GENL_MCGRP),
	[SOCKTAP_EV_CONNECT] = ST_GENL_MCGRP(SOCKTAP_GENL_MCGRP_CONNECT),
	[SOCKTAP_EV_LIFE] = ST_GENL_MCGRP(SOCKTAP_GENL_MCGRP_LIFE),
	[SOCKTAP_EV_STATE] = ST_GENL_MCGRP(SOCKTAP_GENL_MCGRP_STATE),
	[SOCKTAP_EV_RETRANS] = ST_GENL_MCGRP(SOCKTAP_GENL_MCGRP_RETRANS),
	[SOCKTAP_EV_RESET] = ST_GENL_MCGRP(SOCKTAP_GENL_MCGRP_RESET),
	[SOCKTAP_EV_ACCEPT] = ST_GENL_MCGRP(SOCKTAP_GENL_MCGRP_ACCEPT),
	[SOCKTAP_EV_OVERFLOW] = ST_GENL_MCGRP(SOCKTAP_GENL_MCGRP_OVERFLOW),
	[SOCKTAP_EV_DROP] = ST_GENL_MCGRP(SOCKTAP_GENL_MCGRP_DROP),
	[SOCKTAP_EV_SEND] = ST_GENL_MCGRP(SOCKTAP_GENL_MCGRP_SEND),
	[SOCKTAP_EV_RECEIVE] = ST_GENL_MCGRP(SOCKTAP_GENL_MCGRP_RECEIVE),
};

static struct genl_family st_genl_family;

static int st_put_u64(struct sk_buff *msg, int type, u64 v)
{
	return nla_put_u64_64bit(msg, type, v, SOCKTAP_A_PAD);
}

/*
 * A table dump: read() copies the row at *pos or after it into row and
 * moves *pos past it (false at the end); put() adds its attributes.  A
 * row that does not fit is read again by the next call (cb->args[0]).
 */
struct st_dump {
	u8 cmd;
	size_t row_size;
	bool (*read)(unsigned long *pos, void *row, struct netlink_callback *cb);
	int (*put)(struct sk_buff *msg, const void *row);
};

static int st_dump_rows(struct sk_buff *skb, struct netlink_callback *cb,
			const struct st_dump *d)
{
	unsigned long pos = cb->args[0], at;
	void *row, *hdr;

	row = kmalloc(d->row_size, GFP_KERNEL);
	if (!row)
		return -ENOMEM;
	for (;;) {
		at = pos;
		if (!d->read(&pos, row, cb))
			break;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &st_genl_family,
				  NLM_F_MULTI, d->cmd);
		if (!hdr || d->put(skb, row)) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			pos = at;
			break;
		}
		genlmsg_end(skb, hdr);
	}
	kfree(row);
	cb->args[0] = pos;
	return skb->len;
}

static int st_put_stacks_info(struct sk_buff *msg)
{
	struct st_stacks_info si;

	st_stacks_info(&si);
	if (nla_put_u32(msg, SOCKTAP_A_STACK_CAPACITY, si.capacity))
		return -EMSGSIZE;
	if (!si.active)
		return 0;
	if (nla_put_string(msg, SOCKTAP_A_STACK_FUNC, si.func) ||
	    nla_put_u32(msg, SOCKTAP_A_STACK_MODE, si.mode) ||
	    nla_put_u32(msg, SOCKTAP_A_STACK_USED, si.used) ||
	    st_put_u64(msg, SOCKTAP_A_STACK_DROPPED, si.dropped) ||
	    st_put_u64(msg, SOCKTAP_A_STACK_HITS, si.hits) ||
	    st_put_u64(msg, SOCKTAP_A_STACK_MISSED, si.missed))
		return -EMSGSIZE;
	return 0;
}

static int st_put_status(struct sk_buff *msg)
{
	u32 pid, port, netns;

	st_filter_get(&pid, &port, &netns);
	if (nla_put_string(msg, SOCKTAP_A_VERSION, SOCKTAP_VERSION) ||
	    nla_put_string(msg, SOCKTAP_A_KRELEASE, init_utsname()->release) ||
	    nla_put_u32(msg, SOCKTAP_A_GENL_VERSION, SOCKTAP_GENL_VERSION) ||
	    nla_put_u32(msg, SOCKTAP_A_PROBE_COUNT, st_probes_count()) ||
	    nla_put_u32(msg, SOCKTAP_A_SOCK_CAPACITY, st_socktab_capacity()) ||
	    st_put_u64(msg, SOCKTAP_A_SOCK_USED, st_socktab_used()) ||
	    st_put_u64(msg, SOCKTAP_A_SOCK_UNTRACKED, st_socktab_untracked()) ||
	    nla_put_u32(msg, SOCKTAP_A_PROC_CAPACITY, st_proctab_capacity()) ||
	    st_put_u64(msg, SOCKTAP_A_PROC_USED, st_proctab_used()) ||
	    st_put_u64(msg, SOCKTAP_A_PROC_DROPPED, st_proctab_dropped()) ||
	    st_put_u64(msg, SOCKTAP_A_EV_QUEUED, st_events_queued()) ||
	    st_put_u64(msg, SOCKTAP_A_EV_LOST, st_events_lost()) ||
	    st_put_u64(msg, SOCKTAP_A_EV_UNDELIVERED, st_events_undelivered()) ||
	    nla_put_u32(msg, SOCKTAP_A_FILTER_PID, pid) ||
	    nla_put_u32(msg, SOCKTAP_A_FILTER_PORT, port) ||
	    nla_put_u32(msg, SOCKTAP_A_FILTER_NETNS, netns) ||
	    st_put_u64(msg, SOCKTAP_A_FILTERED, st_filter_skipped()) ||
	    nla_put_u32(msg, SOCKTAP_A_COUNT_MAX, st_funcs_count_max()) ||
	    nla_put_u32(msg, SOCKTAP_A_COUNT_USED, st_funcs_count_used()) ||
	    nla_put_u32(msg, SOCKTAP_A_SIZE_CAPACITY, st_sizetab_capacity()) ||
	    nla_put_u32(msg, SOCKTAP_A_SIZE_USED, st_sizetab_used()) ||
	    st_put_u64(msg, SOCKTAP_A_SIZE_DROPPED, st_sizetab_dropped()) ||
	    nla_put_u32(msg, SOCKTAP_A_LISTEN_CAPACITY,
			st_listentab_capacity()) ||
	    nla_put_u32(msg, SOCKTAP_A_LISTEN_USED, st_listentab_used()) ||
	    st_put_u64(msg, SOCKTAP_A_LISTEN_DROPPED, st_listentab_dropped()))
		return -EMSGSIZE;
	return st_put_stacks_info(msg);
}

static int st_status_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &st_genl_family, 0,
				SOCKTAP_CMD_STATUS);
	if (!hdr || st_put_status(msg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* Caller holds the probe lock so state and error are consistent. */
static int st_put_probe(struct sk_buff *msg, const struct st_probe *p)
{
	if (nla_put_string(msg, SOCKTAP_A_PROBE_NAME, p->name) ||
	    nla_put_string(msg, SOCKTAP_A_PROBE_TARGET, p->target) ||
	    nla_put_u8(msg, SOCKTAP_A_PROBE_KIND, p->kind) ||
	    nla_put_u8(msg, SOCKTAP_A_PROBE_STATE, p->state) ||
	    nla_put_u64_64bit(msg, SOCKTAP_A_PROBE_HITS, st_probe_hits(p),
			      SOCKTAP_A_PAD) ||
	    nla_put_u64_64bit(msg, SOCKTAP_A_PROBE_MISSED, st_probe_missed(p),
			      SOCKTAP_A_PAD) ||
	    (p->err && nla_put_u32(msg, SOCKTAP_A_PROBE_ERROR, p->err)) ||
	    (p->group && nla_put_string(msg, SOCKTAP_A_PROBE_GROUP, p->group)))
		return -EMSGSIZE;
	return 0;
}

static int st_reply_probe(struct genl_info *info, const struct st_probe *p,
			  u8 cmd)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &st_genl_family, 0, cmd);
	if (!hdr || st_put_probe(msg, p)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static struct st_probe *st_lookup_probe(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[SOCKTAP_A_PROBE_NAME];
	struct st_probe *p;

	if (!attr) {
		NL_SET_ERR_MSG(info->extack, "missing probe name");
		return ERR_PTR(-EINVAL);
	}
	p = st_probe_by_name(nla_data(attr));
	if (!p) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "no such probe (see socktap status)");
		return ERR_PTR(-ENOENT);
	}
	return p;
}

static int st_probe_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct st_probe *p = st_lookup_probe(info);
	int err;

	if (IS_ERR(p))
		return PTR_ERR(p);
	st_probes_lock();
	err = st_reply_probe(info, p, SOCKTAP_CMD_PROBE_GET);
	st_probes_unlock();
	return err;
}

static int st_probe_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned int idx = cb->args[0];
	struct st_probe *p;
	void *hdr;

	st_probes_lock();
	for (; (p = st_probe_by_index(idx)) != NULL; idx++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &st_genl_family,
				  NLM_F_MULTI, SOCKTAP_CMD_PROBE_GET);
		if (!hdr)
			break;
		if (st_put_probe(skb, p)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	st_probes_unlock();
	cb->args[0] = idx;
	return skb->len;
}

static int st_probe_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *name = info->attrs[SOCKTAP_A_PROBE_NAME];
	struct nlattr *en = info->attrs[SOCKTAP_A_PROBE_ENABLE];
	struct st_probe *p;
	int err;

	p = st_lookup_probe(info);
	if (IS_ERR(p))
		return PTR_ERR(p);
	if (!en) {
		NL_SET_ERR_MSG(info->extack, "missing enable flag");
		return -EINVAL;
	}

	st_probes_lock();
	err = st_probe_set_enabled(p, nla_get_u8(en));
	if (!err)
		err = st_reply_probe(info, p, SOCKTAP_CMD_PROBE_SET);
	else if (err == -EBUSY)
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "another point of its group is attached; disable that one first");
	else if (p->state == SOCKTAP_STATE_UNAVAILABLE)
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "probe point not available on this kernel");
	else
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "kernel refused to attach the probe");
	st_probes_unlock();
	return err;
}

/* ---- process table */

static int st_put_io(struct sk_buff *msg, const struct st_proc_ctr *c)
{
	unsigned int p, f;
	struct nlattr *nest;
	const u64 *io;

	for (p = 0; p < __SOCKTAP_PROTO_MAX; p++) {
		for (f = 0; f < __SOCKTAP_FAMILY_MAX; f++) {
			io = c->io[p][f];
			if (!io[ST_IO_SENDS] && !io[ST_IO_RECVS])
				continue;
			nest = nla_nest_start(msg, SOCKTAP_A_IO);
			if (!nest ||
			    nla_put_u8(msg, SOCKTAP_A_IO_PROTO, p) ||
			    nla_put_u8(msg, SOCKTAP_A_IO_FAMILY, f) ||
			    st_put_u64(msg, SOCKTAP_A_IO_SENDS, io[ST_IO_SENDS]) ||
			    st_put_u64(msg, SOCKTAP_A_IO_SEND_BYTES, io[ST_IO_SEND_BYTES]) ||
			    st_put_u64(msg, SOCKTAP_A_IO_RECVS, io[ST_IO_RECVS]) ||
			    st_put_u64(msg, SOCKTAP_A_IO_RECV_BYTES, io[ST_IO_RECV_BYTES]))
				return -EMSGSIZE;
			nla_nest_end(msg, nest);
		}
	}
	return 0;
}

static int st_put_proc(struct sk_buff *msg, const struct st_proc_row *r)
{
	const struct st_proc_ctr *c = &r->c;

	if (nla_put_u32(msg, SOCKTAP_A_PROC_PID, r->tgid) ||
	    nla_put_u32(msg, SOCKTAP_A_PROC_UID, r->m.uid) ||
	    nla_put_string(msg, SOCKTAP_A_PROC_COMM, r->m.comm) ||
	    nla_put_u32(msg, SOCKTAP_A_PROC_NETNS, r->m.netns) ||
	    st_put_u64(msg, SOCKTAP_A_PROC_CONNECT_OK, c->connect[ST_CONN_OK]) ||
	    st_put_u64(msg, SOCKTAP_A_PROC_CONNECT_INPROGRESS,
		       c->connect[ST_CONN_INPROGRESS]) ||
	    st_put_u64(msg, SOCKTAP_A_PROC_CONNECT_REFUSED,
		       c->connect[ST_CONN_REFUSED]) ||
	    st_put_u64(msg, SOCKTAP_A_PROC_CONNECT_ERROR,
		       c->connect[ST_CONN_ERROR]) ||
	    st_put_u64(msg, SOCKTAP_A_PROC_ACCEPTS, c->accepts) ||
	    st_put_u64(msg, SOCKTAP_A_PROC_CREATED, c->created) ||
	    st_put_u64(msg, SOCKTAP_A_PROC_CLOSED, c->closed))
		return -EMSGSIZE;
	return st_put_io(msg, c);
}

static bool st_proc_read(unsigned long *pos, void *row,
			 struct netlink_callback *cb)
{
	unsigned int p = *pos;
	bool ok = st_proctab_read(&p, row);

	*pos = p;
	return ok;
}

static int st_proc_put(struct sk_buff *msg, const void *row)
{
	return st_put_proc(msg, row);
}

static const struct st_dump st_proc_dump = {
	.cmd = SOCKTAP_CMD_PROC_GET,
	.row_size = sizeof(struct st_proc_row),
	.read = st_proc_read,
	.put = st_proc_put,
};

static int st_proc_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return st_dump_rows(skb, cb, &st_proc_dump);
}

/* ---- histograms */

static int st_put_hist(struct sk_buff *msg, unsigned int h)
{
	struct st_hist_snap s;

	st_hist_read(h, &s);
	if (nla_put_u32(msg, SOCKTAP_A_HIST_ID, h) ||
	    nla_put_string(msg, SOCKTAP_A_HIST_NAME, st_hist_name(h)) ||
	    nla_put_string(msg, SOCKTAP_A_HIST_UNIT, st_hist_unit(h)) ||
	    nla_put(msg, SOCKTAP_A_HIST_BUCKETS, sizeof(s.b), s.b) ||
	    st_put_u64(msg, SOCKTAP_A_HIST_COUNT, s.count) ||
	    st_put_u64(msg, SOCKTAP_A_HIST_SUM, s.sum))
		return -EMSGSIZE;
	return 0;
}

static int st_hist_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *id = info->attrs[SOCKTAP_A_HIST_ID];
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (!id) {
		NL_SET_ERR_MSG(info->extack, "missing histogram id");
		return -EINVAL;
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &st_genl_family, 0,
				SOCKTAP_CMD_HIST_GET);
	err = hdr ? st_put_hist(msg, nla_get_u32(id)) : -EMSGSIZE;
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int st_hist_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned int h = cb->args[0];
	void *hdr;

	for (; h < __SOCKTAP_HIST_MAX; h++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &st_genl_family,
				  NLM_F_MULTI, SOCKTAP_CMD_HIST_GET);
		if (!hdr)
			break;
		if (st_put_hist(skb, h)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = h;
	return skb->len;
}

/* ---- filter and reset */

static u32 st_attr_u32(struct genl_info *info, int type)
{
	return info->attrs[type] ? nla_get_u32(info->attrs[type]) : 0;
}

static int st_filter_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	bool owned = nla_get_flag(info->attrs[SOCKTAP_A_FILTER_OWNED]);

	if (st_attr_u32(info, SOCKTAP_A_FILTER_PORT) > 65535) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[SOCKTAP_A_FILTER_PORT],
				    "port must be within 0..65535");
		return -ERANGE;
	}
	st_filter_set(st_attr_u32(info, SOCKTAP_A_FILTER_PID),
		      st_attr_u32(info, SOCKTAP_A_FILTER_PORT),
		      st_attr_u32(info, SOCKTAP_A_FILTER_NETNS),
		      owned ? info->snd_portid : 0);
	return 0;
}

static int st_reset_doit(struct sk_buff *skb, struct genl_info *info)
{
	st_proctab_reset();
	st_sizetab_reset();
	st_listentab_reset();
	st_tcp_reset();
	st_hist_reset();
	return 0;
}

/* ---- TCP counters and listeners */

static int st_tcp_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	u64 c[__SOCKTAP_TCP_MAX];
	struct sk_buff *msg;
	void *hdr;

	st_tcp_read(c);
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &st_genl_family, 0,
				SOCKTAP_CMD_TCP_GET);
	if (!hdr || nla_put(msg, SOCKTAP_A_TCP_COUNTERS, sizeof(c), c)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int st_put_listen(struct sk_buff *msg, const struct st_listen_row *r)
{
	const struct st_listen_ctr *c = &r->c;

	if (nla_put_u16(msg, SOCKTAP_A_LISTEN_PORT, r->port) ||
	    nla_put_u8(msg, SOCKTAP_A_LISTEN_FAMILY, r->family) ||
	    nla_put_u32(msg, SOCKTAP_A_LISTEN_NETNS, r->netns) ||
	    nla_put_u32(msg, SOCKTAP_A_LISTEN_PID, r->m.pid) ||
	    nla_put_string(msg, SOCKTAP_A_LISTEN_COMM, r->m.comm) ||
	    nla_put_u32(msg, SOCKTAP_A_LISTEN_BACKLOG_MAX, r->m.backlog_max) ||
	    st_put_u64(msg, SOCKTAP_A_LISTEN_CONNS, c->conns) ||
	    st_put_u64(msg, SOCKTAP_A_LISTEN_OVERFLOWS, c->overflows) ||
	    st_put_u64(msg, SOCKTAP_A_LISTEN_SYN_DROPS, c->syn_drops) ||
	    nla_put(msg, SOCKTAP_A_LISTEN_ACCEPTQ, sizeof(c->acceptq), c->acceptq) ||
	    nla_put(msg, SOCKTAP_A_LISTEN_SYNQ, sizeof(c->synq), c->synq))
		return -EMSGSIZE;
	return 0;
}

static bool st_listen_read(unsigned long *pos, void *row,
			   struct netlink_callback *cb)
{
	unsigned int p = *pos;
	bool ok = st_listentab_read(&p, row);

	*pos = p;
	return ok;
}

static int st_listen_put(struct sk_buff *msg, const void *row)
{
	return st_put_listen(msg, row);
}

static const struct st_dump st_listen_dump = {
	.cmd = SOCKTAP_CMD_LISTEN_GET,
	.row_size = sizeof(struct st_listen_row),
	.read = st_listen_read,
	.put = st_listen_put,
};

static int st_listen_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return st_dump_rows(skb, cb, &st_listen_dump);
}

/* ---- run-time probes: funcs, count */

/* Names point into the request, which outlives the doit. */
static int st_parse_funcs(struct genl_info *info, const char **names,
			  unsigned int *n)
{
	struct nlattr *list = info->attrs[SOCKTAP_A_FUNCS], *a;
	const char *name;
	int rem, len;

	*n = 0;
	if (!list) {
		NL_SET_ERR_MSG(info->extack, "missing function list");
		return -EINVAL;
	}
	nla_for_each_nested(a, list, rem) {
		if (nla_type(a) != SOCKTAP_A_FUNC_NAME) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "a function list holds only function names");
			return -EINVAL;
		}
		if (*n >= SOCKTAP_FUNCS_BATCH_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "too many functions in one request (SOCKTAP_FUNCS_BATCH_MAX)");
			return -E2BIG;
		}
		name = nla_data(a);
		len = nla_len(a);
		if (len < 2 || len > SOCKTAP_FUNC_NAME_MAX ||
		    strnlen(name, len) != len - 1) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "function name must be a NUL-terminated string of 1..511 bytes");
			return -EINVAL;
		}
		names[(*n)++] = name;
	}
	if (rem) {
		NL_SET_ERR_MSG_ATTR(info->extack, list, "malformed function list");
		return -EINVAL;
	}
	if (!*n) {
		NL_SET_ERR_MSG_ATTR(info->extack, list, "empty function list");
		return -EINVAL;
	}
	return 0;
}

static int st_funcs_reply(struct genl_info *info, u8 cmd,
			  const struct st_func_result *res, unsigned int n)
{
	struct nlattr *list, *one;
	size_t size = nla_total_size(0);
	struct sk_buff *msg;
	unsigned int i;
	void *hdr;

	for (i = 0; i < n; i++)
		size += nla_total_size(0) + nla_total_size(strlen(res[i].name) + 1) +
			2 * nla_total_size(sizeof(u32));
	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &st_genl_family, 0, cmd);
	if (!hdr)
		goto nospace;
	list = nla_nest_start(msg, SOCKTAP_A_FUNCS);
	if (!list)
		goto nospace;
	for (i = 0; i < n; i++) {
		one = nla_nest_start(msg, SOCKTAP_A_FUNC);
		if (!one ||
		    nla_put_string(msg, SOCKTAP_A_FUNC_NAME, res[i].name) ||
		    nla_put_u32(msg, SOCKTAP_A_FUNC_ERROR, res[i].err) ||
		    nla_put_u32(msg, SOCKTAP_A_FUNC_FLAGS, res[i].flags))
			goto nospace;
		nla_nest_end(msg, one);
	}
	nla_nest_end(msg, list);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int st_funcs_doit(struct sk_buff *skb, struct genl_info *info)
{
	const char *names[SOCKTAP_FUNCS_BATCH_MAX];
	struct st_func_result *res;
	u8 cmd = info->genlhdr->cmd;
	unsigned int n;
	int err;

	err = st_parse_funcs(info, names, &n);
	if (err)
		return err;
	res = kcalloc(n, sizeof(*res), GFP_KERNEL);
	if (!res)
		return -ENOMEM;
	if (cmd == SOCKTAP_CMD_FUNC_CHECK) {
		st_funcs_check(names, n, res);
	} else {
		err = st_funcs_count_add(info->snd_portid, names, n, res);
		if (err)
			NL_SET_ERR_MSG(info->extack, "could not add counting probes");
	}
	if (!err)
		err = st_funcs_reply(info, cmd, res, n);
	kfree(res);
	return err;
}

/* The functions of the requester's session. */
static bool st_count_read(unsigned long *pos, void *row,
			  struct netlink_callback *cb)
{
	return st_funcs_count_read(NETLINK_CB(cb->skb).portid, pos, row);
}

static int st_count_put(struct sk_buff *msg, const void *row)
{
	const struct st_func_row *r = row;

	if (nla_put_string(msg, SOCKTAP_A_FUNC_NAME, r->name) ||
	    st_put_u64(msg, SOCKTAP_A_FUNC_HITS, r->hits) ||
	    st_put_u64(msg, SOCKTAP_A_FUNC_MISSED, r->missed) ||
	    nla_put_u32(msg, SOCKTAP_A_FUNC_FLAGS, r->flags))
		return -EMSGSIZE;
	return 0;
}

static const struct st_dump st_count_dump = {
	.cmd = SOCKTAP_CMD_COUNT_GET,
	.row_size = sizeof(struct st_func_row),
	.read = st_count_read,
	.put = st_count_put,
};

static int st_count_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return st_dump_rows(skb, cb, &st_count_dump);
}

/* ---- stacks */

static int st_stack_start_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *func = info->attrs[SOCKTAP_A_STACK_FUNC];
	u32 mode = SOCKTAP_STACK_KERNEL;
	const char *why = "could not start the stacks session";
	int err;

	if (!func) {
		NL_SET_ERR_MSG(info->extack, "missing function name");
		return -EINVAL;
	}
	if (info->attrs[SOCKTAP_A_STACK_MODE])
		mode = nla_get_u32(info->attrs[SOCKTAP_A_STACK_MODE]);
	if (!mode || mode & ~(SOCKTAP_STACK_KERNEL | SOCKTAP_STACK_USER)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[SOCKTAP_A_STACK_MODE],
				    "mode must be kernel, user or both");
		return -EINVAL;
	}
	err = st_stacks_start(info->snd_portid, nla_data(func), mode, &why);
	/* NL_SET_ERR_MSG wants a literal; why points to one. */
	if (err && info->extack) {
		info->extack->_msg = why;
		info->extack->bad_attr = func;
	}
	return err;
}

static int st_put_stack(struct sk_buff *msg, const struct st_stack_row *r)
{
	if (st_put_u64(msg, SOCKTAP_A_STACK_COUNT, r->count) ||
	    nla_put(msg, SOCKTAP_A_STACK_KERNEL, r->nk * sizeof(u64),
		    r->frames) ||
	    nla_put(msg, SOCKTAP_A_STACK_USER, r->nu * sizeof(u64),
		    r->frames + r->nk) ||
	    nla_put_u32(msg, SOCKTAP_A_STACK_PID, r->tgid) ||
	    (r->tgid && nla_put_string(msg, SOCKTAP_A_STACK_COMM, r->comm)))
		return -EMSGSIZE;
	return 0;
}

/* cb->args[1]: the session being read (a new one ends the dump). */
static bool st_stack_read(unsigned long *pos, void *row,
			  struct netlink_callback *cb)
{
	unsigned long gen = cb->args[1];
	bool ok = st_stacks_read(pos, &gen, row);

	cb->args[1] = gen;
	return ok;
}

static int st_stack_put(struct sk_buff *msg, const void *row)
{
	return st_put_stack(msg, row);
}

static const struct st_dump st_stack_dump = {
	.cmd = SOCKTAP_CMD_STACK_GET,
	.row_size = sizeof(struct st_stack_row),
	.read = st_stack_read,
	.put = st_stack_put,
};

static int st_stack_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return st_dump_rows(skb, cb, &st_stack_dump);
}

/* ---- I/O sizes by process */

static int st_put_size(struct sk_buff *msg, const struct st_size_row *r)
{
	struct nlattr *nest;
	unsigned int h, i;
	u64 count;

	if (nla_put_u32(msg, SOCKTAP_A_PROC_PID, r->tgid) ||
	    nla_put_u32(msg, SOCKTAP_A_PROC_UID, r->m.uid) ||
	    nla_put_string(msg, SOCKTAP_A_PROC_COMM, r->m.comm) ||
	    nla_put_u32(msg, SOCKTAP_A_PROC_NETNS, r->m.netns))
		return -EMSGSIZE;
	for (h = 0; h < SOCKTAP_SIZE_HISTS; h++) {
		for (count = 0, i = 0; i < SOCKTAP_SIZE_BUCKETS; i++)
			count += r->c.b[h][i];
		if (!count)
			continue;
		nest = nla_nest_start(msg, SOCKTAP_A_SIZE_HIST);
		if (!nest ||
		    nla_put_u32(msg, SOCKTAP_A_HIST_ID, SOCKTAP_HIST_TCP_SENDMSG + h) ||
		    nla_put_string(msg, SOCKTAP_A_HIST_NAME,
				   st_hist_name(SOCKTAP_HIST_TCP_SENDMSG + h)) ||
		    nla_put(msg, SOCKTAP_A_HIST_BUCKETS, sizeof(r->c.b[h]),
			    r->c.b[h]) ||
		    st_put_u64(msg, SOCKTAP_A_HIST_COUNT, count) ||
		    st_put_u64(msg, SOCKTAP_A_HIST_SUM, r->c.sum[h]))
			return -EMSGSIZE;
		nla_nest_end(msg, nest);
	}
	return 0;
}

static bool st_size_read(unsigned long *pos, void *row,
			 struct netlink_callback *cb)
{
	unsigned int p = *pos;
	bool ok = st_sizetab_read(&p, row);

	*pos = p;
	return ok;
}

static int st_size_put(struct sk_buff *msg, const void *row)
{
	return st_put_size(msg, row);
}

static const struct st_dump st_size_dump = {
	.cmd = SOCKTAP_CMD_SIZE_GET,
	.row_size = sizeof(struct st_size_row),
	.read = st_size_read,
	.put = st_size_put,
};

static int st_size_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return st_dump_rows(skb, cb, &st_size_dump);
}

/* ---- event stream */

bool st_nl_listening(unsigned int group)
{
	return genl_has_listeners(&st_genl_family, &init_net, group);
}

static int st_put_addr(struct sk_buff *msg, int type, u8 family, const u8 *a)
{
	return nla_put(msg, type, family == AF_INET6 ? 16 : 4, a);
}

int st_nl_event_fill(struct sk_buff *skb, const struct st_event *ev)
{
	void *hdr;

	hdr = genlmsg_put(skb, 0, 0, &st_genl_family, 0, SOCKTAP_CMD_EVENT);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u8(skb, SOCKTAP_A_EV_TYPE, ev->type) ||
	    st_put_u64(skb, SOCKTAP_A_EV_TIME, ev->time) ||
	    nla_put_u32(skb, SOCKTAP_A_EV_PID, ev->pid) ||
	    nla_put_u32(skb, SOCKTAP_A_EV_UID, ev->uid) ||
	    nla_put_string(skb, SOCKTAP_A_EV_COMM, ev->comm) ||
	    nla_put_u32(skb, SOCKTAP_A_EV_NETNS, ev->netns) ||
	    nla_put_u8(skb, SOCKTAP_A_EV_FAMILY, ev->family) ||
	    nla_put_u8(skb, SOCKTAP_A_EV_PROTO, ev->proto) ||
	    st_put_addr(skb, SOCKTAP_A_EV_SADDR, ev->family, ev->saddr) ||
	    st_put_addr(skb, SOCKTAP_A_EV_DADDR, ev->family, ev->daddr) ||
	    nla_put_u16(skb, SOCKTAP_A_EV_SPORT, ev->sport) ||
	    nla_put_u16(skb, SOCKTAP_A_EV_DPORT, ev->dport))
		goto cancel;
	switch (ev->type) {
	case SOCKTAP_EV_CONNECT:
		if (st_put_u64(skb, SOCKTAP_A_EV_LATENCY, ev->latency) ||
		    nla_put_s32(skb, SOCKTAP_A_EV_RESULT, ev->result))
			goto cancel;
		break;
	case SOCKTAP_EV_LIFE:
		if (st_put_u64(skb, SOCKTAP_A_EV_TX_BYTES, ev->tx) ||
		    st_put_u64(skb, SOCKTAP_A_EV_RX_BYTES, ev->rx) ||
		    st_put_u64(skb, SOCKTAP_A_EV_DURATION, ev->duration))
			goto cancel;
		break;
	case SOCKTAP_EV_STATE:
		if (nla_put_u8(skb, SOCKTAP_A_EV_OLDSTATE, ev->oldstate) ||
		    nla_put_u8(skb, SOCKTAP_A_EV_NEWSTATE, ev->newstate) ||
		    st_put_u64(skb, SOCKTAP_A_EV_DURATION, ev->duration))
			goto cancel;
		break;
	case SOCKTAP_EV_RETRANS:
		if (nla_put_u8(skb, SOCKTAP_A_EV_NEWSTATE, ev->newstate) ||
		    nla_put_u8(skb, SOCKTAP_A_EV_RETRANS_TYPE, ev->retrans_type) ||
		    nla_put_u32(skb, SOCKTAP_A_EV_SEGS, ev->segs))
			goto cancel;
		break;
	case SOCKTAP_EV_RESET:
		if (nla_put_u8(skb, SOCKTAP_A_EV_NEWSTATE, ev->newstate) ||
		    nla_put_u32(skb, SOCKTAP_A_EV_REASON, ev->reason))
			goto cancel;
		break;
	case SOCKTAP_EV_SEND:
	case SOCKTAP_EV_RECEIVE:
		if (nla_put_u8(skb, SOCKTAP_A_EV_NEWSTATE, ev->newstate) ||
		    nla_put_u32(skb, SOCKTAP_A_EV_SEGS, ev->segs) ||
		    st_put_u64(skb, ev->type == SOCKTAP_EV_SEND ?
			       SOCKTAP_A_EV_TX_BYTES : SOCKTAP_A_EV_RX_BYTES,
			       ev->type == SOCKTAP_EV_SEND ? ev->tx : ev->rx))
			goto cancel;
		break;
	case SOCKTAP_EV_DROP:
		if (nla_put_u8(skb, SOCKTAP_A_EV_NEWSTATE, ev->newstate) ||
		    nla_put_u32(skb, SOCKTAP_A_EV_REASON, ev->reason) ||
		    nla_put(skb, SOCKTAP_A_EV_STACK,
			    ev->nr_stack * sizeof(ev->stack[0]), ev->stack))
			goto cancel;
		break;
	case SOCKTAP_EV_ACCEPT:
	case SOCKTAP_EV_OVERFLOW:
		if (nla_put_u32(skb, SOCKTAP_A_EV_BACKLOG, ev->backlog) ||
		    nla_put_u32(skb, SOCKTAP_A_EV_BACKLOG_MAX, ev->backlog_max) ||
		    nla_put_u32(skb, SOCKTAP_A_EV_SYNQ, ev->synq) ||
		    nla_put_u32(skb, SOCKTAP_A_EV_REASON, ev->reason))
			goto cancel;
		break;
	}
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* Consumes skb.  -ENOBUFS: some listener's receive buffer was full. */
int st_nl_event_send(struct sk_buff *skb, unsigned int group)
{
	return st_genl_multicast(&st_genl_family, skb, group);
}

static const struct genl_ops st_genl_ops[] = {
	{
		.cmd = SOCKTAP_CMD_STATUS,
		.doit = st_status_doit,
	},
	{
		.cmd = SOCKTAP_CMD_PROBE_GET,
		.doit = st_probe_get_doit,
		.dumpit = st_probe_get_dumpit,
	},
	{
		.cmd = SOCKTAP_CMD_PROBE_SET,
		.doit = st_probe_set_doit,
		.flags = GENL_ADMIN_PERM,
	},
	/* Who talks to whom is for the administrator only. */
	{
		.cmd = SOCKTAP_CMD_PROC_GET,
		.dumpit = st_proc_get_dumpit,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = SOCKTAP_CMD_HIST_GET,
		.doit = st_hist_get_doit,
		.dumpit = st_hist_get_dumpit,
	},
	{
		.cmd = SOCKTAP_CMD_FILTER_SET,
		.doit = st_filter_set_doit,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = SOCKTAP_CMD_RESET,
		.doit = st_reset_doit,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = SOCKTAP_CMD_TCP_GET,
		.doit = st_tcp_get_doit,
	},
	{
		.cmd = SOCKTAP_CMD_LISTEN_GET,
		.dumpit = st_listen_get_dumpit,
		.flags = GENL_ADMIN_PERM,
	},
	/* Even a disabled kprobe is kernel state: for the administrator. */
	{
		.cmd = SOCKTAP_CMD_FUNC_CHECK,
		.doit = st_funcs_doit,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = SOCKTAP_CMD_COUNT_ADD,
		.doit = st_funcs_doit,
		.flags = GENL_ADMIN_PERM,
	},
	/* Only the requester's own session, which needed the admin. */
	{
		.cmd = SOCKTAP_CMD_COUNT_GET,
		.dumpit = st_count_get_dumpit,
	},
	{
		.cmd = SOCKTAP_CMD_STACK_START,
		.doit = st_stack_start_doit,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = SOCKTAP_CMD_STACK_GET,
		.dumpit = st_stack_get_dumpit,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = SOCKTAP_CMD_SIZE_GET,
		.dumpit = st_size_get_dumpit,
		.flags = GENL_ADMIN_PERM,
	},
};

/*
 * Only the initial network namespace: the module sees every namespace's
 * sockets, which a container must not be able to read.
 */
static struct genl_family st_genl_family __ro_after_init = {
	.name = SOCKTAP_GENL_NAME,
	.version = SOCKTAP_GENL_VERSION,
	.maxattr = SOCKTAP_A_MAX,
	.policy = st_policy,
	.netnsok = false,
	.module = THIS_MODULE,
	.ops = st_genl_ops,
	.n_ops = ARRAY_SIZE(st_genl_ops),
	/* Events carry addresses and processes: CAP_NET_ADMIN to subscribe. */
	.mcgrps = st_mcgrps,
	.n_mcgrps = ARRAY_SIZE(st_mcgrps),
};

int st_netlink_init(void)
{
	return genl_register_family(&st_genl_family);
}

void st_netlink_exit(void)
{
	genl_unregister_family(&st_genl_family);
}
