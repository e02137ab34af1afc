// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU event queues drained by per-CPU work items into netlink.
 *
 * A handler takes only its own CPU's queue lock (a raw spinlock, so it
 * also holds on PREEMPT_RT with preemption off), and kicks the work item
 * only when the queue goes from empty to non-empty.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/inet_sock.h>
#include <net/sock.h>
#include <uapi/linux/socktap.h>

#include "events.h"

static unsigned int event_queue = 4096;
module_param(event_queue, uint, 0444);
MODULE_PARM_DESC(event_queue,
		 "stream records queued per CPU (16..1048576); records that find the queue full are counted as lost");

static unsigned int event_delay = 10;
module_param(event_delay, uint, 0444);
MODULE_PARM_DESC(event_delay,
		 "milliseconds records may wait to be sent together (0..1000; sooner when a queue is half full): fewer wakeups of the readers");

static unsigned long st_ev_delay;	/* event_delay in jiffies */

#define ST_EV_BATCH 32

struct st_ev_ring {
	raw_spinlock_t lock;
	unsigned int head, tail;	/* free-running; used = head - tail */
	int cpu;
	struct delayed_work work;
	struct st_event scratch[ST_EV_BATCH];
	struct st_event ev[];
};

static struct st_ev_ring **st_rings;
static u64 __percpu *st_queued;
static u64 __percpu *st_lost;
static atomic64_t st_undelivered;

static u64 st_pcpu_sum(u64 __percpu *c)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(c, cpu);
	return sum;
}

u64 st_events_queued(void)
{
	return st_pcpu_sum(st_queued);
}

u64 st_events_lost(void)
{
	return st_pcpu_sum(st_lost);
}

u64 st_events_undelivered(void)
{
	return atomic64_read(&st_undelivered);
}

void st_event_flow(struct st_event *ev, const struct sock *sk)
{
	ev->family = sk->sk_family;
	/* Not sk_num: inet_put_port() zeroes it before the final state change. */
	ev->sport = ntohs(inet_sk(sk)->inet_sport);
	ev->dport = ntohs(sk->sk_dport);
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		memcpy(ev->saddr, &sk->sk_v6_rcv_saddr, 16);
		memcpy(ev->daddr, &sk->sk_v6_daddr, 16);
		return;
	}
#endif
	memcpy(ev->saddr, &sk->sk_rcv_saddr, 4);
	memcpy(ev->daddr, &sk->sk_daddr, 4);
}

bool st_events_wanted(unsigned int type)
{
	return st_nl_listening(type) || st_nl_listening(0);
}

void st_event_push(const struct st_event *ev)
{
	struct st_ev_ring *r = st_rings[smp_processor_id()];
	unsigned int used;
	unsigned long flags;
	bool kick;

	raw_spin_lock_irqsave(&r->lock, flags);
	if (r->head - r->tail >= event_queue) {
		raw_spin_unlock_irqrestore(&r->lock, flags);
		this_cpu_inc(*st_lost);
		return;
	}
	kick = r->head == r->tail;
	r->ev[r->head % event_queue] = *ev;
	r->head++;
	used = r->head - r->tail;
	raw_spin_unlock_irqrestore(&r->lock, flags);
	this_cpu_inc(*st_queued);
	/*
	 * The first record arms the sender; records arriving meanwhile go
	 * in the same messages.  Half full: no more waiting, nothing lost.
	 */
	if (kick)
		queue_delayed_work_on(r->cpu, system_wq, &r->work, st_ev_delay);
	else if (used == event_queue / 2)
		mod_delayed_work_on(r->cpu, system_wq, &r->work, 0);
}

static unsigned int st_ring_take(struct st_ev_ring *r)
{
	unsigned long flags;
	unsigned int n, i;

	raw_spin_lock_irqsave(&r->lock, flags);
	n = min_t(unsigned int, r->head - r->tail, ST_EV_BATCH);
	for (i = 0; i < n; i++)
		r->scratch[i] = r->ev[(r->tail + i) % event_queue];
	r->tail += n;
	raw_spin_unlock_irqrestore(&r->lock, flags);
	return n;
}

/* The message being filled for one multicast group, and its records. */
struct st_ev_out {
	struct sk_buff *skb;
	unsigned int n;
};

/* -ESRCH: nobody listens any more, which loses nothing anyone wanted. */
static void st_send(struct st_ev_out *o, unsigned int group)
{
	int err;

	if (!o->skb)
		return;
	err = st_nl_event_send(o->skb, group);
	if (err && err != -ESRCH)
		atomic64_add(o->n, &st_undelivered);
	o->skb = NULL;
	o->n = 0;
}

/* One record into GROUP's message; a full message is sent first. */
static void st_out_add(struct st_ev_out *o, unsigned int group,
		       const struct st_event *ev)
{
	if (o->skb && st_nl_event_fill(o->skb, ev) == 0) {
		o->n++;
		return;
	}
	st_send(o, group);
	o->skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (o->skb && st_nl_event_fill(o->skb, ev) == 0) {
		o->n = 1;
		return;
	}
	/* No memory; a record larger than a message cannot happen. */
	nlmsg_free(o->skb);
	o->skb = NULL;
	atomic64_inc(&st_undelivered);
}

/*
 * Each record goes to the group of every record, and to its type's group,
 * each only when someone listens there (a reader joins the type's group).
 */
static void st_ev_work(struct work_struct *work)
{
	struct st_ev_ring *r = container_of(to_delayed_work(work),
					    struct st_ev_ring, work);
	struct st_ev_out out[__SOCKTAP_EV_MAX] = {};
	unsigned int n, i, type;
	bool all;

	while ((n = st_ring_take(r)) > 0) {
		all = st_nl_listening(0);
		for (i = 0; i < n; i++) {
			type = r->scratch[i].type;
			if (all)
				st_out_add(&out[0], 0, &r->scratch[i]);
			if (type && type < __SOCKTAP_EV_MAX &&
			    st_nl_listening(type))
				st_out_add(&out[type], type, &r->scratch[i]);
		}
		cond_resched();
	}
	for (type = 0; type < __SOCKTAP_EV_MAX; type++)
		st_send(&out[type], type);
}

int st_events_init(void)
{
	int cpu;

	if (event_queue < 16 || event_queue > (1U << 20)) {
		pr_err("event_queue=%u: must be within 16..1048576\n",
		       event_queue);
		return -EINVAL;
	}
	if (event_delay > 1000) {
		pr_err("event_delay=%u: must be within 0..1000\n", event_delay);
		return -EINVAL;
	}
	st_ev_delay = msecs_to_jiffies(event_delay);
	atomic64_set(&st_undelivered, 0);
	st_rings = kcalloc(nr_cpu_ids, sizeof(*st_rings), GFP_KERNEL);
	st_queued = alloc_percpu(u64);
	st_lost = alloc_percpu(u64);
	if (!st_rings || !st_queued || !st_lost)
		goto err;
	for_each_possible_cpu(cpu) {
		struct st_ev_ring *r;

		r = kvzalloc(struct_size(r, ev, event_queue), GFP_KERNEL);
		if (!r)
			goto err;
		raw_spin_lock_init(&r->lock);
		r->cpu = cpu;
		INIT_DELAYED_WORK(&r->work, st_ev_work);
		st_rings[cpu] = r;
	}
	return 0;

err:
	st_events_exit();
	return -ENOMEM;
}

/* After the probes are gone: what is queued is sent, then no more. */
void st_events_stop(void)
{
	int cpu;

	if (!st_rings)
		return;
	for_each_possible_cpu(cpu)
		if (st_rings[cpu])
			flush_delayed_work(&st_rings[cpu]->work);
}

void st_events_exit(void)
{
	int cpu;

	st_events_stop();
	if (st_rings)
		for_each_possible_cpu(cpu)
			kvfree(st_rings[cpu]);
	kfree(st_rings);
	st_rings = NULL;
	free_percpu(st_lost);
	st_lost = NULL;
	free_percpu(st_queued);
	st_queued = NULL;
}
