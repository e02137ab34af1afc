/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-process table: connections and socket I/O by process, in a
 * keyed per-CPU table (kvtab.h).  When the table is full, events of new
 * processes are counted as dropped.
 */
#ifndef _SOCKTAP_PROCTAB_H
#define _SOCKTAP_PROCTAB_H

#include <linux/in.h>
#include <linux/percpu.h>
#include <linux/socket.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <uapi/linux/socktap.h>

enum st_conn_result {
	ST_CONN_OK,
	ST_CONN_INPROGRESS,
	ST_CONN_REFUSED,
	ST_CONN_ERROR,
	ST_CONN_MAX
};

enum { ST_IO_SENDS, ST_IO_SEND_BYTES, ST_IO_RECVS, ST_IO_RECV_BYTES, ST_IO_MAX };

struct st_proc_ctr {
	u64 connect[ST_CONN_MAX];
	u64 accepts, created, closed;
	u64 io[__SOCKTAP_PROTO_MAX][__SOCKTAP_FAMILY_MAX][ST_IO_MAX];
};

/* Written once when the process is first seen. */
struct st_proc_meta {
	u32 uid, netns;
	char comm[TASK_COMM_LEN];
};

/* What a dump reads of one row. */
struct st_proc_row {
	u32 tgid;
	struct st_proc_meta m;
	struct st_proc_ctr c;
};

int st_proctab_init(void);
void st_proctab_exit(void);
void st_proctab_reset(void);

/*
 * The current process's counters on this CPU, claiming a slot on first
 * sight; NULL when the table is full (counted).  Probe context only.
 */
struct st_proc_ctr __percpu *st_proc_ctr(void);

unsigned int st_proctab_capacity(void);
unsigned int st_proctab_used(void);
u64 st_proctab_dropped(void);
size_t st_proctab_bytes(void);
/* uid, netns and comm of current (the size table keeps the same). */
void st_proc_meta_fill(struct st_proc_meta *m);
/* Fills row from slot *pos onwards; returns false past the end. */
bool st_proctab_read(unsigned int *pos, struct st_proc_row *row);

static __always_inline unsigned int st_proto_index(int protocol)
{
	return protocol == IPPROTO_TCP ? SOCKTAP_PROTO_TCP :
	       protocol == IPPROTO_UDP ? SOCKTAP_PROTO_UDP : SOCKTAP_PROTO_OTHER;
}

static __always_inline unsigned int st_family_index(int family)
{
	return family == AF_INET ? SOCKTAP_FAMILY_INET :
	       family == AF_INET6 ? SOCKTAP_FAMILY_INET6 : SOCKTAP_FAMILY_OTHER;
}

#endif /* _SOCKTAP_PROCTAB_H */
