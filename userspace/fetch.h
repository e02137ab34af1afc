/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's tables and counters read over netlink into the CLI's
 * structures: shared by the commands that show one of them and by
 * 'socktap metrics', which shows them all.  Each returns ST_EXIT_* like
 * st_nl_call (nl->quiet applies).
 */
#ifndef SOCKTAP_FETCH_H
#define SOCKTAP_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "hist.h"
#include "nl.h"
#include "proc.h"
#include "sizehist.h"
#include "tcpstat.h"

/* SOCKTAP_CMD_TCP_GET. */
int st_tcp_fetch(struct st_nl *nl, struct st_tcp_counters *t);

/* One histogram: SOCKTAP_CMD_HIST_GET with its id. */
int st_hist_fetch(struct st_nl *nl, unsigned int id, struct st_hist *h);

struct st_hist_list {
	struct st_hist *v;
	size_t n, cap;
};

/* Every histogram of the module (HIST_GET dump), in its order, into l. */
int st_hist_dump(struct st_nl *nl, struct st_hist_list *l);
void st_hist_list_free(struct st_hist_list *l);

/*
 * The process table (PROC_GET, CAP_NET_ADMIN) into l, emptied first;
 * the row of skip_pid (0: none) is left out.
 */
int st_proc_fetch(struct st_nl *nl, struct st_proc_list *l,
		  uint32_t skip_pid);

struct st_listen_list {
	struct st_listen *v;
	size_t n, cap;
};

/* The listeners (LISTEN_GET, CAP_NET_ADMIN) appended to l. */
int st_listen_fetch(struct st_nl *nl, struct st_listen_list *l);
void st_listen_list_free(struct st_listen_list *l);

/* The I/O size table (SIZE_GET, CAP_NET_ADMIN) into l, emptied first. */
int st_size_fetch(struct st_nl *nl, struct st_size_list *l);

#endif
