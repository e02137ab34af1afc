/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-socket table: timestamps, bytes and the owning process of each
 * IPv4/IPv6 socket, so events in softirq (state changes, close) know
 * their process.  Bounded by a module parameter; sockets that find it
 * full are counted as untracked.
 */
#ifndef _SOCKTAP_SOCKTAB_H
#define _SOCKTAP_SOCKTAB_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/types.h>

struct sock;

/* Flag bits of st_sock.flags */
enum {
	ST_SK_ASYNC,		/* non-blocking connect() in flight */
	ST_SK_FIRST_BYTE,	/* first byte already received */
	ST_SK_CLOSED,		/* released by the owner */
	ST_SK_ACCEPTED,		/* came from accept() */
	ST_SK_CREATED,		/* seen from its creation (or accept) on */
};

struct st_sock {
	struct hlist_node node;
	struct rcu_head rcu;
	const struct sock *sk;	/* key; checked again after every lookup */
	u64 t_create;		/* created, or accepted */
	u64 t_connect;		/* connect() entered */
	u64 t_est;		/* established, or accepted */
	u64 t_state;		/* last TCP state change */
	atomic64_t tx, rx;	/* bytes sent and received by the owner */
	unsigned long flags;
	u32 tgid, uid;
	char comm[TASK_COMM_LEN];
};

int st_socktab_init(void);
/* After every probe is detached: waits for pending frees. */
void st_socktab_exit(void);

/* Probe context, under rcu_read_lock(). */
struct st_sock *st_sock_find(const struct sock *sk);
/*
 * Returns the (new or existing) entry, or NULL if the table is full.
 * fresh: the socket was just created (or accepted), so an entry found
 * for its address is stale and starts over, marked ST_SK_CREATED.
 */
struct st_sock *st_sock_track(const struct sock *sk, u64 now, bool fresh);
void st_sock_untrack(const struct sock *sk);

unsigned int st_socktab_capacity(void);
unsigned int st_socktab_used(void);
u64 st_socktab_untracked(void);

#endif /* _SOCKTAP_SOCKTAB_H */
