/* SPDX-License-Identifier: GPL-2.0 */
/* Talking to the module's generic netlink family through libnl-genl-3. */
#ifndef SOCKTAP_NL_H
#define SOCKTAP_NL_H

#include <netlink/attr.h>
#include <netlink/msg.h>

#include <linux/socktap.h>

/*
 * The netlink version this CLI speaks: the UAPI's, unless a test builds a
 * CLI that pretends to be another release (-DST_CLI_GENL_VERSION=N).
 */
#ifndef ST_CLI_GENL_VERSION
#define ST_CLI_GENL_VERSION SOCKTAP_GENL_VERSION
#endif

/* Exit codes the CLI documents in -h. */
enum {
	ST_EXIT_OK = 0,
	ST_EXIT_ERROR = 1,
	ST_EXIT_USAGE = 2,
	ST_EXIT_NOMODULE = 3,
	ST_EXIT_PERM = 4,
};

struct st_nl {
	struct nl_sock *sk;
	int family;
	int err;		/* negative errno from the kernel, or 0 */
	char errmsg[256];	/* extack message, if the kernel sent one */
	int quiet;		/* kernel errors: only err/errmsg, no message */
	struct nl_sock *watch;	/* st_nl_watch: nlctrl's notify group */
	void *rxbuf;		/* st_nl_recv_events' datagram buffer */
};

/* Called per reply message with its attributes parsed (tb[SOCKTAP_A_*]). */
typedef int (*st_msg_fn)(struct nlattr **tb, void *arg);
/* Adds request attributes; returns 0 or a negative libnl error. */
typedef int (*st_build_fn)(struct nl_msg *msg, void *arg);

/*
 * Called per reply message with its header and top-level attributes, for
 * replies that repeat an attribute (nested SOCKTAP_A_IO): tb keeps only
 * the last of each, nlh has them all.
 */
typedef int (*st_raw_fn)(struct nlmsghdr *nlh, struct nlattr **tb, void *arg);

/* Returns an ST_EXIT_* code and prints why on failure. */
int st_nl_open(struct st_nl *nl);
/* st_nl_open, but silent when the module is not loaded (ST_EXIT_NOMODULE). */
int st_nl_try_open(struct st_nl *nl);
void st_nl_close(struct st_nl *nl);

/*
 * Send cmd (a dump if dump != 0), call fn for each reply, wait for the
 * end.  Returns ST_EXIT_* and prints the kernel's error and extack message
 * on failure; with nl->quiet set, a kernel error is only left in nl->err
 * and nl->errmsg (ST_EXIT_PERM for EPERM, else ST_EXIT_ERROR) for the
 * caller to explain, or to hand to st_nl_report_error.  A request that
 * failed because the module was unloaded meanwhile returns
 * ST_EXIT_NOMODULE (and says so unless quiet).
 */
int st_nl_call(struct st_nl *nl, uint8_t cmd, int dump, st_build_fn build,
	       void *build_arg, st_msg_fn fn, void *arg);

/* st_nl_call with a callback that also gets the message. */
int st_nl_call_raw(struct st_nl *nl, uint8_t cmd, int dump, st_build_fn build,
		   void *build_arg, st_raw_fn fn, void *arg);

/* The message st_nl_call prints for nl->err from command cmd; ST_EXIT_*. */
int st_nl_report_error(struct st_nl *nl, uint8_t cmd);

/* Parse a socktap message's attributes into tb[SOCKTAP_A_MAX + 1]. */
int st_nl_parse(struct nlmsghdr *nlh, struct nlattr **tb);

/*
 * Join the multicast group name of the family for events: seq checks off,
 * non-blocking, a receive buffer of rcvbuf bytes (forced past rmem_max
 * when CAP_NET_ADMIN allows).  Returns ST_EXIT_*.
 */
int st_nl_subscribe(struct st_nl *nl, const char *group, int rcvbuf);
/*
 * Read everything queued on a subscribed (non-blocking) socket and call
 * fn for each event message with its attributes; fn returns NL_OK, or
 * NL_STOP to stop early.  The messages are parsed where one receive put
 * them (nl_recvmsgs allocates and copies each of the tens a datagram
 * holds).  Each overrun of the socket (ENOBUFS: the kernel dropped
 * datagrams) adds one to *overruns.  Returns ST_EXIT_OK, or
 * ST_EXIT_ERROR and prints why.
 */
int st_nl_recv_events(struct st_nl *nl, st_msg_fn fn, void *arg,
		      uint64_t *overruns);

/*
 * st_nl_recv_events' walk over one datagram of LEN bytes (for the unit
 * test): NL_STOP when fn asked to stop, NL_OK to read on, -1 (printed)
 * on an error message.
 */
int st_nl_each_event(struct st_nl *nl, void *buf, size_t len, st_msg_fn fn,
		     void *arg);

/* 1 when the module has the multicast group GROUP, 0 when not, <0 error. */
int st_nl_has_group(struct st_nl *nl, const char *group);

/*
 * For sessions that belong to nl's socket (count, stacks): a second
 * socket on nlctrl's "notify" group, readable when a generic netlink
 * family comes or goes, so that an rmmod of the module ends them.
 * Returns ST_EXIT_*; st_nl_close closes it too.
 */
int st_nl_watch(struct st_nl *nl);
/* Its descriptor for st_wait(), or -1 without st_nl_watch. */
int st_nl_watch_fd(const struct st_nl *nl);
/*
 * When st_nl_watch_fd was readable: drains the notifications and asks
 * whether the module's family is still the one nl talks to.  Returns 1
 * gone (unloaded, or reloaded as a new family), 0 still there.
 */
int st_nl_gone(struct st_nl *nl);

/*
 * st_nl_call for a session's socket: when the request fails because the
 * module went away (rmmod), says so and returns ST_EXIT_NOMODULE.
 */
int st_nl_session_call(struct st_nl *nl, uint8_t cmd, int dump,
		       st_build_fn build, void *build_arg, st_msg_fn fn,
		       void *arg);

/* An unsigned attribute of any width (1, 2, 4 or 8 bytes); else 0. */
uint64_t st_nla_uint(const struct nlattr *a);
/* A signed one (s8..s64, sign-extended). */
int64_t st_nla_int(const struct nlattr *a);
/* Copy a string attribute, NUL-terminated even if the kernel's is not. */
void st_nla_strcpy(char *dst, size_t n, const struct nlattr *a);

#endif
