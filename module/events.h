/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event streams: handlers copy a record into a per-CPU queue; a per-CPU
 * work item sends queued records to the netlink multicast groups (all
 * records, and the record's type) from process context.  Nothing is built
 * unless someone listens to one of the two; every record
 * that does not fit, or that netlink cannot deliver, is counted.
 */
#ifndef _SOCKTAP_EVENTS_H
#define _SOCKTAP_EVENTS_H

#include <linux/sched.h>
#include <linux/types.h>

struct sk_buff;
struct sock;

#define ST_STACK_DEPTH 12

struct st_event {
	u64 stack[ST_STACK_DEPTH];	/* DROP: kernel return addresses */
	u32 nr_stack;
	u64 time, latency, tx, rx, duration;
	u32 pid, uid, netns;
	s32 result;
	u32 segs, backlog, backlog_max, synq, reason;
	u16 sport, dport;
	u8 type, family, proto;
	u8 oldstate, newstate, retrans_type;
	u8 saddr[16], daddr[16];
	char comm[TASK_COMM_LEN];
};

int st_events_init(void);
/* After every probe is detached: cancels the senders. */
void st_events_stop(void);
/* After the netlink family is gone: frees the queues and counters. */
void st_events_exit(void);

/* Family, ports and addresses of an inet socket. */
void st_event_flow(struct st_event *ev, const struct sock *sk);

/* Cheap check handlers make before building a record of TYPE. */
bool st_events_wanted(unsigned int type);
void st_event_push(const struct st_event *ev);

u64 st_events_queued(void);
u64 st_events_lost(void);
u64 st_events_undelivered(void);

/* netlink.c */
bool st_nl_listening(unsigned int group);
int st_nl_event_fill(struct sk_buff *skb, const struct st_event *ev);
int st_nl_event_send(struct sk_buff *skb, unsigned int group);

#endif /* _SOCKTAP_EVENTS_H */
