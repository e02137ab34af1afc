/* SPDX-License-Identifier: GPL-2.0 */
/* The module's STATUS reply and its in-kernel filter. */
#ifndef SOCKTAP_STATUS_H
#define SOCKTAP_STATUS_H

#include <stdint.h>

#include "nl.h"

/* Which optional groups of STATUS attributes the module sent. */
enum {
	ST_HAVE_SOCK = 1 << 0,		/* SOCKTAP_A_SOCK_* */
	ST_HAVE_PROC = 1 << 1,		/* SOCKTAP_A_PROC_CAPACITY/USED/DROPPED */
	ST_HAVE_EV = 1 << 2,		/* SOCKTAP_A_EV_QUEUED/LOST/UNDELIVERED */
	ST_HAVE_FILTER = 1 << 3,	/* SOCKTAP_A_FILTER_* or FILTERED */
	ST_HAVE_SIZE = 1 << 4,		/* SOCKTAP_A_SIZE_CAPACITY/USED/DROPPED */
	ST_HAVE_COUNT = 1 << 5,		/* SOCKTAP_A_COUNT_MAX/USED */
	ST_HAVE_STACK = 1 << 6,		/* SOCKTAP_A_STACK_CAPACITY/USED/DROPPED */
	ST_HAVE_STACK_SESSION = 1 << 7,	/* SOCKTAP_A_STACK_FUNC/MODE/HITS/MISSED */
	ST_HAVE_LISTEN = 1 << 8,	/* SOCKTAP_A_LISTEN_CAPACITY/USED/DROPPED */
};

struct st_status {
	char version[64];
	char krelease[128];
	unsigned int genl_version, probe_count;
	unsigned int have;
	uint64_t sock_capacity, sock_used, sock_untracked;
	uint64_t proc_capacity, proc_used, proc_dropped;
	uint64_t ev_queued, ev_lost, ev_undelivered;
	uint32_t filter_pid, filter_port, filter_netns;
	uint64_t filtered;
	uint64_t size_capacity, size_used, size_dropped;
	uint64_t listen_capacity, listen_used, listen_dropped;
	uint64_t count_max, count_used;
	uint64_t stack_capacity, stack_used, stack_dropped;
	char stack_func[SOCKTAP_FUNC_NAME_MAX];	/* the session's function */
	uint32_t stack_mode;			/* enum socktap_stack_mode */
	uint64_t stack_hits, stack_missed;
};

/*
 * The module's bounded tables, as status, status -j and metrics show them:
 * capacity, use and what did not fit (fields of struct st_status).
 */
struct st_table_desc {
	unsigned int have;	/* ST_HAVE_* */
	const char *text;	/* "socket table" */
	const char *rows;	/* what used counts: "sockets tracked" */
	const char *lost;	/* what lost counts: "not tracked" */
	const char *json;	/* key under "tables" */
	const char *json_lost;	/* key of lost */
	const char *prom;	/* metric family prefix */
	const char *prom_lost;	/* suffix of the lost counter */
	const char *help[3];	/* capacity, used, lost */
	size_t off[3];		/* offsetof(struct st_status, ...): the same */
};

extern const struct st_table_desc st_tables[];
extern const size_t st_ntables;

/* Some table of st_tables is in s. */
int st_have_tables(const struct st_status *s);
/* The metric of field i of table t: socktap_socket_table_capacity, ... */
void st_table_metric(const struct st_table_desc *t, unsigned int i,
		     char *buf, size_t n);
/* Field i (0 capacity, 1 used, 2 lost) of table t in s. */
uint64_t st_table_val(const struct st_status *s, const struct st_table_desc *t,
		      unsigned int i);

/* SOCKTAP_CMD_STATUS into s; returns ST_EXIT_*. */
int st_status_fetch(struct st_nl *nl, struct st_status *s);

/* enum socktap_stack_mode bits as "kernel", "user", "kernel+user". */
const char *st_stack_mode_name(uint32_t mode);

/* The -p/-P/-N options of top, hist, watch and filter; 0 = any. */
struct st_filter {
	uint32_t pid, port, netns;
};

#define ST_FILTER_OPTS "p:P:N:"
#define ST_FILTER_USAGE \
	"  -p PID     only this process (thread group id)\n" \
	"  -P PORT    only sockets with this local or remote port\n" \
	"  -N NETNS   only this network namespace: its inode number (as in\n" \
	"             readlink /proc/PID/ns/net -> net:[NUMBER]), net:[NUMBER],\n" \
	"             or a namespace file like /proc/PID/ns/net, /run/netns/NAME\n"

/*
 * Handle getopt option c (one of ST_FILTER_OPTS) for command cmd: 0 done,
 * ST_EXIT_USAGE after printing why, -1 when c is not a filter option.
 */
int st_filter_opt(struct st_filter *f, int c, const char *arg,
		  const char *cmd);
int st_filter_any(const struct st_filter *f);

/*
 * SOCKTAP_CMD_FILTER_SET (CAP_NET_ADMIN).  owned: the kernel clears the
 * filter when nl's socket closes, so keep it open while it should hold.
 * Returns ST_EXIT_*.
 */
int st_filter_set(struct st_nl *nl, const struct st_filter *f, int owned);

/*
 * Start of top, hist and watch: with filter options, set them as an owned
 * filter on nl; without, tell stderr if a filter is active in the module
 * (its counts then cover only what matches).  Returns ST_EXIT_*.
 */
int st_filter_begin(struct st_nl *nl, const struct st_filter *f,
		    const char *cmd);

#endif
