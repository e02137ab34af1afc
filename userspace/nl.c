// SPDX-License-Identifier: GPL-2.0
#include "nl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static void st_print_nomodule(void)
{
	fprintf(stderr,
		"socktap: the socktap kernel module is not loaded.\n"
		"  load it with:  modprobe socktap   (installed, e.g. by DKMS)\n"
		"            or:  insmod ./socktap.ko (from a source build)\n");
}

int st_nl_open(struct st_nl *nl)
{
	int one = 1;
	int ret;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		fprintf(stderr, "socktap: out of memory\n");
		return ST_EXIT_ERROR;
	}
	ret = genl_connect(nl->sk);
	if (ret < 0) {
		fprintf(stderr, "socktap: cannot open a netlink socket: %s\n",
			nl_geterror(ret));
		goto err;
	}
	/* Ask for the kernel's error strings, without our request echoed. */
	if (setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		       &one, sizeof(one)) < 0 ||
	    setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		       &one, sizeof(one)) < 0) {
		fprintf(stderr, "socktap: netlink socket options: %s\n",
			strerror(errno));
		goto err;
	}
	ret = genl_ctrl_resolve(nl->sk, SOCKTAP_GENL_NAME);
	if (ret < 0) {
		if (ret == -NLE_OBJ_NOTFOUND) {
			st_print_nomodule();
			nl_socket_free(nl->sk);
			nl->sk = NULL;
			return ST_EXIT_NOMODULE;
		}
		fprintf(stderr, "socktap: looking up the netlink family: %s\n",
			nl_geterror(ret));
		goto err;
	}
	nl->family = ret;
	return ST_EXIT_OK;

err:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return ST_EXIT_ERROR;
}

void st_nl_close(struct st_nl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

struct st_call {
	struct st_nl *nl;
	st_msg_fn fn;
	void *arg;
	int done;
	int cb_err;	/* ST_EXIT_* from the user callback */
};

static int st_valid_cb(struct nl_msg *msg, void *arg)
{
	struct st_call *c = arg;
	struct nlattr *tb[SOCKTAP_A_MAX + 1];
	int ret;

	ret = genlmsg_parse(nlmsg_hdr(msg), 0, tb, SOCKTAP_A_MAX, NULL);
	if (ret < 0) {
		fprintf(stderr, "socktap: malformed reply: %s\n",
			nl_geterror(ret));
		c->cb_err = ST_EXIT_ERROR;
		return NL_STOP;
	}
	ret = c->fn ? c->fn(tb, c->arg) : 0;
	if (ret) {
		c->cb_err = ret;
		return NL_STOP;
	}
	return NL_OK;
}

/* The extack TLVs follow the error (capped: without our request). */
static void st_extack(struct st_nl *nl, struct nlmsgerr *e)
{
	struct nlmsghdr *h = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);
	int len;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	len = (int)h->nlmsg_len - NLMSG_HDRLEN - (int)off;
	if (len <= 0)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)e + NLMSG_ALIGN(off)), len,
		      NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(nl->errmsg, sizeof(nl->errmsg), "%s",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]));
}

static int st_err_cb(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct st_call *c = arg;

	(void)who;
	c->nl->err = e->error;
	st_extack(c->nl, e);
	c->done = 1;
	return NL_STOP;
}

static int st_done_cb(struct nl_msg *msg, void *arg)
{
	struct st_call *c = arg;

	(void)msg;
	c->done = 1;
	return NL_STOP;
}

static int st_report_kernel_error(struct st_nl *nl, uint8_t cmd)
{
	const char *what = nl->errmsg[0] ? nl->errmsg : strerror(-nl->err);

	if (nl->err == -EPERM) {
		fprintf(stderr,
			"socktap: permission denied: this needs CAP_NET_ADMIN (run it as root)\n");
		return ST_EXIT_PERM;
	}
	fprintf(stderr, "socktap: the module refused the request (command %u): %s\n",
		cmd, what);
	return ST_EXIT_ERROR;
}

int st_nl_call(struct st_nl *nl, uint8_t cmd, int dump, st_build_fn build,
	       void *build_arg, st_msg_fn fn, void *arg)
{
	struct st_call c = { .nl = nl, .fn = fn, .arg = arg };
	struct nl_msg *msg;
	struct nl_cb *cb;
	int ret, rc = ST_EXIT_ERROR;

	nl->err = 0;
	nl->errmsg[0] = '\0';
	msg = nlmsg_alloc();
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!msg || !cb) {
		fprintf(stderr, "socktap: out of memory\n");
		goto out;
	}
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 dump ? NLM_F_DUMP : 0, cmd, SOCKTAP_GENL_VERSION)) {
		fprintf(stderr, "socktap: cannot build the request\n");
		goto out;
	}
	if (build) {
		ret = build(msg, build_arg);
		if (ret < 0) {
			fprintf(stderr, "socktap: cannot build the request: %s\n",
				nl_geterror(ret));
			goto out;
		}
	}
	if (nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, st_valid_cb, &c) < 0 ||
	    nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, st_done_cb, &c) < 0 ||
	    nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, st_done_cb, &c) < 0 ||
	    nl_cb_err(cb, NL_CB_CUSTOM, st_err_cb, &c) < 0) {
		fprintf(stderr, "socktap: cannot set netlink callbacks\n");
		goto out;
	}
	/* Auto-ack: a doit ends with an ACK, a dump with NLMSG_DONE. */
	ret = nl_send_auto(nl->sk, msg);
	if (ret < 0) {
		fprintf(stderr, "socktap: sending the request: %s\n",
			nl_geterror(ret));
		goto out;
	}
	while (!c.done && !c.cb_err) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret < 0 && !c.done && !c.cb_err) {
			fprintf(stderr, "socktap: receiving the reply: %s\n",
				nl_geterror(ret));
			goto out;
		}
	}
	if (c.cb_err)
		rc = c.cb_err;
	else if (nl->err)
		rc = st_report_kernel_error(nl, cmd);
	else
		rc = ST_EXIT_OK;
out:
	nl_cb_put(cb);
	nlmsg_free(msg);
	return rc;
}
