// SPDX-License-Identifier: GPL-2.0
/*
 * The "socktap" generic netlink family: status, probe table, probe control.
 *
 * Strict attribute validation (a new family: every command is validated),
 * one policy for the family, extack messages on every error, and
 * GENL_ADMIN_PERM on anything that changes state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/utsname.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "socktap.h"

static const struct nla_policy st_policy[SOCKTAP_A_MAX + 1] = {
	[SOCKTAP_A_PROBE_NAME] = { .type = NLA_NUL_STRING,
				   .len = SOCKTAP_PROBE_NAME_MAX - 1 },
	[SOCKTAP_A_PROBE_ENABLE] = NLA_POLICY_MAX(NLA_U8, 1),
};

static struct genl_family st_genl_family;

static int st_put_status(struct sk_buff *msg)
{
	if (nla_put_string(msg, SOCKTAP_A_VERSION, SOCKTAP_VERSION) ||
	    nla_put_string(msg, SOCKTAP_A_KRELEASE, init_utsname()->release) ||
	    nla_put_u32(msg, SOCKTAP_A_GENL_VERSION, SOCKTAP_GENL_VERSION) ||
	    nla_put_u32(msg, SOCKTAP_A_PROBE_COUNT, st_probes_count()))
		return -EMSGSIZE;
	return 0;
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
	    (p->err && nla_put_u32(msg, SOCKTAP_A_PROBE_ERROR, p->err)))
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
	else if (p->state == SOCKTAP_STATE_UNAVAILABLE)
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "probe point not available on this kernel");
	else
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "kernel refused to attach the probe");
	st_probes_unlock();
	return err;
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
};

int st_netlink_init(void)
{
	return genl_register_family(&st_genl_family);
}

void st_netlink_exit(void)
{
	genl_unregister_family(&st_genl_family);
}
