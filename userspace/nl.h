/* SPDX-License-Identifier: GPL-2.0 */
/* Talking to the module's generic netlink family through libnl-genl-3. */
#ifndef SOCKTAP_NL_H
#define SOCKTAP_NL_H

#include <netlink/attr.h>
#include <netlink/msg.h>

#include <linux/socktap.h>

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
};

/* Called per reply message with its attributes parsed (tb[SOCKTAP_A_*]). */
typedef int (*st_msg_fn)(struct nlattr **tb, void *arg);
/* Adds request attributes; returns 0 or a negative libnl error. */
typedef int (*st_build_fn)(struct nl_msg *msg, void *arg);

/* Returns an ST_EXIT_* code and prints why on failure. */
int st_nl_open(struct st_nl *nl);
void st_nl_close(struct st_nl *nl);

/*
 * Send cmd (a dump if dump != 0), call fn for each reply, wait for the
 * end.  Returns ST_EXIT_* and prints the kernel's error and extack message
 * on failure.
 */
int st_nl_call(struct st_nl *nl, uint8_t cmd, int dump, st_build_fn build,
	       void *build_arg, st_msg_fn fn, void *arg);

#endif
