/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-listener backlog statistics (tcpsynbl, tcpconnreqmaxq): keyed by
 * network namespace, family and port, so a restarted server keeps its
 * row.  Bounded by a module parameter; listeners that do not fit are
 * counted as dropped.
 */
#ifndef _SOCKTAP_LISTENTAB_H
#define _SOCKTAP_LISTENTAB_H

#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <uapi/linux/socktap.h>

struct sock;

struct st_listen_ctr {
	u64 conns, overflows, syn_drops;
	u64 acceptq[SOCKTAP_QLEN_BUCKETS];
	u64 synq[SOCKTAP_QLEN_BUCKETS];
};

/* The owner is written once; the limit at every event (last seen). */
struct st_listen_meta {
	u32 pid, backlog_max;
	char comm[TASK_COMM_LEN];
};

struct st_listen_row {
	u32 netns;
	u16 port;
	u8 family;
	struct st_listen_meta m;
	struct st_listen_ctr c;
};

int st_listentab_init(void);
void st_listentab_exit(void);
void st_listentab_reset(void);

/* The listener's counters on this CPU (claiming a row); NULL when full. */
struct st_listen_ctr __percpu *st_listen_ctr(const struct sock *sk);
bool st_listentab_read(unsigned int *pos, struct st_listen_row *row);
unsigned int st_listentab_capacity(void);
unsigned int st_listentab_used(void);
u64 st_listentab_dropped(void);
size_t st_listentab_bytes(void);

/* Queue length histogram bucket: 0 -> 0, [2^(i-1), 2^i) -> i. */
static inline unsigned int st_qlen_bucket(u32 n)
{
	unsigned int b = n ? fls(n) : 0;

	return b < SOCKTAP_QLEN_BUCKETS ? b : SOCKTAP_QLEN_BUCKETS - 1;
}

#endif /* _SOCKTAP_LISTENTAB_H */
