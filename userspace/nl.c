// SPDX-License-Identifier: GPL-2.0
#include "nl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>
#include <netlink/genl/genl.h>

#include "util.h"

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

/*
 * The family's id (>= 0) and the version it registered with, from the
 * generic netlink controller; a negative libnl error when there is none.
 */
static int st_nl_resolve(struct nl_sock *sk, unsigned int *version)
{
	struct genl_family *fam;
	struct nl_cache *cache;
	int ret;

	ret = genl_ctrl_alloc_cache(sk, &cache);
	if (ret < 0)
		return ret;
	fam = genl_ctrl_search_by_name(cache, SOCKTAP_GENL_NAME);
	if (!fam) {
		nl_cache_free(cache);
		return -NLE_OBJ_NOTFOUND;
	}
	ret = genl_family_get_id(fam);
	*version = genl_family_get_version(fam);
	genl_family_put(fam);
	nl_cache_free(cache);
	return ret;
}

static int st_nl_open_opt(struct st_nl *nl, int quiet)
{
	unsigned int version = 0;
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
	ret = st_nl_resolve(nl->sk, &version);
	if (ret < 0) {
		if (ret == -NLE_OBJ_NOTFOUND) {
			if (!quiet)
				st_print_nomodule();
			nl_socket_free(nl->sk);
			nl->sk = NULL;
			return ST_EXIT_NOMODULE;
		}
		fprintf(stderr, "socktap: looking up the netlink family: %s\n",
			nl_geterror(ret));
		goto err;
	}
	/*
	 * Attributes and commands are only ever added within a version, so
	 * any module of the same version serves this CLI; another version
	 * changed something incompatibly.
	 */
	if (version != ST_CLI_GENL_VERSION) {
		fprintf(stderr,
			"socktap: the loaded module speaks socktap netlink version %u, this CLI (%s) version %u:\n"
			"  install the module and the CLI of the same socktap release (modinfo socktap, socktap -V)\n",
			version, SOCKTAP_VERSION, ST_CLI_GENL_VERSION);
		nl_socket_free(nl->sk);
		nl->sk = NULL;
		return ST_EXIT_ERROR;
	}
	nl->family = ret;
	return ST_EXIT_OK;

err:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return ST_EXIT_ERROR;
}

int st_nl_open(struct st_nl *nl)
{
	return st_nl_open_opt(nl, 0);
}

int st_nl_try_open(struct st_nl *nl)
{
	return st_nl_open_opt(nl, 1);
}

void st_nl_close(struct st_nl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
	if (nl->watch)
		nl_socket_free(nl->watch);
	nl->watch = NULL;
	free(nl->rxbuf);
	nl->rxbuf = NULL;
}

int st_nl_watch(struct st_nl *nl)
{
	int grp, ret;

	nl->watch = nl_socket_alloc();
	if (!nl->watch) {
		fprintf(stderr, "socktap: out of memory\n");
		return ST_EXIT_ERROR;
	}
	ret = genl_connect(nl->watch);
	if (ret >= 0) {
		grp = genl_ctrl_resolve_grp(nl->watch, "nlctrl", "notify");
		ret = grp < 0 ? grp : nl_socket_set_nonblocking(nl->watch);
		if (ret >= 0) {
			nl_socket_disable_seq_check(nl->watch);
			ret = nl_socket_add_membership(nl->watch, grp);
		}
	}
	if (ret < 0) {
		fprintf(stderr, "socktap: watching for the module's unload: %s\n",
			nl_geterror(ret));
		nl_socket_free(nl->watch);
		nl->watch = NULL;
		return ST_EXIT_ERROR;
	}
	return ST_EXIT_OK;
}

int st_nl_watch_fd(const struct st_nl *nl)
{
	return nl->watch ? nl_socket_get_fd(nl->watch) : -1;
}

/* The family nl talks to is no longer registered (or is another one). */
static int st_nl_family_gone(struct st_nl *nl)
{
	int id = genl_ctrl_resolve(nl->sk, SOCKTAP_GENL_NAME);

	if (id < 0 && id != -NLE_OBJ_NOTFOUND)
		return 0;	/* cannot tell: assume it is there */
	return id != nl->family;
}

int st_nl_gone(struct st_nl *nl)
{
	int i;

	/* Whatever they say (even an overrun), the lookup below decides. */
	for (i = 0; nl->watch && i < 64; i++)
		if (nl_recvmsgs_default(nl->watch) < 0)
			break;
	return st_nl_family_gone(nl);
}

/*
 * A request that failed because the module went away: sent to a family id
 * that is gone (ENOENT from the generic netlink core), or a dump while
 * rmmod runs (the module's refcount can no longer be taken:
 * EPROTONOSUPPORT).  The family lookup decides, not the errno alone.
 */
static int st_nl_unloaded(struct st_nl *nl)
{
	int err = nl->err;

	if (err != -EPROTONOSUPPORT && err != -ENOENT)
		return 0;
	if (err == -ENOENT && !st_nl_family_gone(nl))
		return 0;
	if (!nl->quiet)
		fprintf(stderr, "socktap: the socktap module was unloaded\n");
	return 1;
}

struct st_call {
	struct st_nl *nl;
	st_msg_fn fn;
	st_raw_fn raw;
	void *arg;
	int done;
	int cb_err;	/* ST_EXIT_* from the user callback */
};

static int st_valid_cb(struct nl_msg *msg, void *arg)
{
	struct st_call *c = arg;
	struct nlattr *tb[SOCKTAP_A_MAX + 1];
	int ret;

	ret = st_nl_parse(nlmsg_hdr(msg), tb);
	if (ret < 0) {
		fprintf(stderr, "socktap: malformed reply: %s\n",
			nl_geterror(ret));
		c->cb_err = ST_EXIT_ERROR;
		return NL_STOP;
	}
	if (c->raw)
		ret = c->raw(nlmsg_hdr(msg), tb, c->arg);
	else
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

int st_nl_report_error(struct st_nl *nl, uint8_t cmd)
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

int st_nl_parse(struct nlmsghdr *nlh, struct nlattr **tb)
{
	return genlmsg_parse(nlh, 0, tb, SOCKTAP_A_MAX, NULL);
}

static int st_nl_do(struct st_nl *nl, uint8_t cmd, int dump, st_build_fn build,
		    void *build_arg, struct st_call *c)
{
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
			 dump ? NLM_F_DUMP : 0, cmd, ST_CLI_GENL_VERSION)) {
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
	if (nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, st_valid_cb, c) < 0 ||
	    nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, st_done_cb, c) < 0 ||
	    nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, st_done_cb, c) < 0 ||
	    nl_cb_err(cb, NL_CB_CUSTOM, st_err_cb, c) < 0) {
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
	while (!c->done && !c->cb_err) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret < 0 && !c->done && !c->cb_err) {
			fprintf(stderr, "socktap: receiving the reply: %s\n",
				nl_geterror(ret));
			goto out;
		}
	}
	if (c->cb_err)
		rc = c->cb_err;
	else if (nl->err && st_nl_unloaded(nl))
		rc = ST_EXIT_NOMODULE;
	else if (nl->err && nl->quiet)
		rc = nl->err == -EPERM ? ST_EXIT_PERM : ST_EXIT_ERROR;
	else if (nl->err)
		rc = st_nl_report_error(nl, cmd);
	else
		rc = ST_EXIT_OK;
out:
	nl_cb_put(cb);
	nlmsg_free(msg);
	return rc;
}

int st_nl_call(struct st_nl *nl, uint8_t cmd, int dump, st_build_fn build,
	       void *build_arg, st_msg_fn fn, void *arg)
{
	struct st_call c = { .nl = nl, .fn = fn, .arg = arg };

	return st_nl_do(nl, cmd, dump, build, build_arg, &c);
}

int st_nl_call_raw(struct st_nl *nl, uint8_t cmd, int dump, st_build_fn build,
		   void *build_arg, st_raw_fn fn, void *arg)
{
	struct st_call c = { .nl = nl, .raw = fn, .arg = arg };

	return st_nl_do(nl, cmd, dump, build, build_arg, &c);
}

int st_nl_has_group(struct st_nl *nl, const char *group)
{
	int grp = genl_ctrl_resolve_grp(nl->sk, SOCKTAP_GENL_NAME, group);

	if (grp == -NLE_OBJ_NOTFOUND)
		return 0;
	if (grp < 0) {
		fprintf(stderr, "socktap: looking up the '%s' group: %s\n",
			group, nl_geterror(grp));
		return grp;
	}
	return 1;
}

/* Larger than any datagram the module sends (a NLMSG_GOODSIZE skb). */
#define ST_RXBUF_SIZE (64 * 1024)

int st_nl_each_event(struct st_nl *nl, void *buf, size_t len, st_msg_fn fn,
		     void *arg)
{
	struct nlattr *tb[SOCKTAP_A_MAX + 1];
	struct nlmsghdr *nlh = buf;
	int rem = (int)len;

	for (; nlmsg_ok(nlh, rem); nlh = nlmsg_next(nlh, &rem)) {
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = nlmsg_data(nlh);

			if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)) ||
			    !e->error)
				continue;
			fprintf(stderr, "socktap: receiving events: %s\n",
				strerror(-e->error));
			return -1;
		}
		/* Anything else (a late ack) is not an event. */
		if (nlh->nlmsg_type != nl->family ||
		    !genlmsg_valid_hdr(nlh, 0) ||
		    ((struct genlmsghdr *)nlmsg_data(nlh))->cmd !=
			    SOCKTAP_CMD_EVENT ||
		    st_nl_parse(nlh, tb) < 0)
			continue;
		if (fn(tb, arg) == NL_STOP)
			return NL_STOP;
	}
	return NL_OK;
}

int st_nl_recv_events(struct st_nl *nl, st_msg_fn fn, void *arg,
		      uint64_t *overruns)
{
	int fd = nl_socket_get_fd(nl->sk), r;
	struct sockaddr_nl from;
	struct iovec iov;
	struct msghdr mh;
	ssize_t n;

	if (!nl->rxbuf) {
		nl->rxbuf = malloc(ST_RXBUF_SIZE);
		if (!nl->rxbuf) {
			fprintf(stderr, "socktap: out of memory\n");
			return ST_EXIT_ERROR;
		}
	}
	for (;;) {
		iov.iov_base = nl->rxbuf;
		iov.iov_len = ST_RXBUF_SIZE;
		memset(&mh, 0, sizeof(mh));
		mh.msg_name = &from;
		mh.msg_namelen = sizeof(from);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		n = recvmsg(fd, &mh, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return ST_EXIT_OK;
		/* The kernel dropped datagrams for us: counted, read on. */
		if (n < 0 && errno == ENOBUFS) {
			(*overruns)++;
			continue;
		}
		if (n < 0) {
			fprintf(stderr, "socktap: receiving events: %s\n",
				strerror(errno));
			return ST_EXIT_ERROR;
		}
		if (mh.msg_flags & MSG_TRUNC) {
			fprintf(stderr,
				"socktap: receiving events: a message larger than %d bytes\n",
				ST_RXBUF_SIZE);
			return ST_EXIT_ERROR;
		}
		/* Only the kernel sends to this socket's groups. */
		if (mh.msg_namelen != sizeof(from) || from.nl_pid != 0)
			continue;
		r = st_nl_each_event(nl, nl->rxbuf, (size_t)n, fn, arg);
		if (r < 0)
			return ST_EXIT_ERROR;
		if (r == NL_STOP)
			return ST_EXIT_OK;
	}
}

int st_nl_subscribe(struct st_nl *nl, const char *group, int rcvbuf)
{
	int grp, ret, one = 1;

	grp = genl_ctrl_resolve_grp(nl->sk, SOCKTAP_GENL_NAME, group);
	if (grp < 0) {
		if (grp == -NLE_OBJ_NOTFOUND)
			fprintf(stderr,
				"socktap: the loaded module has no '%s' multicast group (too old?)\n",
				group);
		else
			fprintf(stderr, "socktap: looking up the '%s' group: %s\n",
				group, nl_geterror(grp));
		return ST_EXIT_ERROR;
	}
	/* Past net.core.rmem_max when we may (CAP_NET_ADMIN), else capped. */
	if (setsockopt(nl_socket_get_fd(nl->sk), SOL_SOCKET, SO_RCVBUFFORCE,
		       &rcvbuf, sizeof(rcvbuf)) < 0) {
		ret = nl_socket_set_buffer_size(nl->sk, rcvbuf, 0);
		if (ret < 0) {
			fprintf(stderr, "socktap: setting the receive buffer: %s\n",
				nl_geterror(ret));
			return ST_EXIT_ERROR;
		}
	}
	/*
	 * Let the module see our overruns: without this, netlink tells a
	 * broadcaster nothing when only our buffer was full (-ESRCH, "no
	 * listener"), and its "undelivered" counter stays 0.
	 */
	if (setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK,
		       NETLINK_BROADCAST_ERROR, &one, sizeof(one)) < 0) {
		fprintf(stderr, "socktap: netlink socket options: %s\n",
			strerror(errno));
		return ST_EXIT_ERROR;
	}
	nl_socket_disable_seq_check(nl->sk);
	ret = nl_socket_set_nonblocking(nl->sk);
	/*
	 * Kernels before 6.7 (without its backport: 5.10) let anyone join and
	 * the module then sends only to CAP_NET_ADMIN receivers: refuse here,
	 * or an unprivileged watch would wait for events that never come.
	 */
	if (ret >= 0 && st_have_cap(ST_CAP_NET_ADMIN) == 0)
		ret = -NLE_PERM;
	if (ret >= 0)
		ret = nl_socket_add_membership(nl->sk, grp);
	if (ret == -NLE_PERM) {
		fprintf(stderr,
			"socktap: permission denied: the '%s' stream needs CAP_NET_ADMIN (run it as root)\n",
			group);
		return ST_EXIT_PERM;
	}
	if (ret < 0) {
		fprintf(stderr, "socktap: joining the '%s' group: %s\n", group,
			nl_geterror(ret));
		return ST_EXIT_ERROR;
	}
	return ST_EXIT_OK;
}

int st_nl_session_call(struct st_nl *nl, uint8_t cmd, int dump,
		       st_build_fn build, void *build_arg, st_msg_fn fn,
		       void *arg)
{
	int quiet = nl->quiet, rc;

	nl->quiet = 1;
	rc = st_nl_call(nl, cmd, dump, build, build_arg, fn, arg);
	nl->quiet = quiet;
	if (!rc || !nl->err)
		return rc;
	/* Or it went between the request and st_nl_call's lookup. */
	if (rc == ST_EXIT_NOMODULE || st_nl_gone(nl)) {
		fprintf(stderr, "socktap: the socktap module was unloaded\n");
		return ST_EXIT_NOMODULE;
	}
	return quiet ? rc : st_nl_report_error(nl, cmd);
}

uint64_t st_nla_uint(const struct nlattr *a)
{
	const void *p = nla_data(a);
	uint64_t v64;
	uint32_t v32;
	uint16_t v16;

	switch (nla_len(a)) {
	case 1:
		return *(const uint8_t *)p;
	case 2:
		memcpy(&v16, p, sizeof(v16));
		return v16;
	case 4:
		memcpy(&v32, p, sizeof(v32));
		return v32;
	case 8:
		memcpy(&v64, p, sizeof(v64));
		return v64;
	default:
		return 0;
	}
}

int64_t st_nla_int(const struct nlattr *a)
{
	uint64_t v = st_nla_uint(a);

	switch (nla_len(a)) {
	case 1:
		return (int8_t)v;
	case 2:
		return (int16_t)v;
	case 4:
		return (int32_t)v;
	default:
		return (int64_t)v;
	}
}

void st_nla_strcpy(char *dst, size_t n, const struct nlattr *a)
{
	size_t len = (size_t)nla_len(a);

	if (!n)
		return;
	if (len >= n)
		len = n - 1;
	memcpy(dst, nla_data(a), len);
	dst[len] = '\0';
}
