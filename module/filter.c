// SPDX-License-Identifier: GPL-2.0
/*
 * Filter state and its owner: a filter set "owned" by a netlink socket
 * (the CLI's -p/-P/-N) is cleared when that socket closes, so a killed
 * CLI does not leave the module filtering.
 */
#include <linux/spinlock.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <net/net_namespace.h>

#include "filter.h"

struct st_filter st_filter;
u64 __percpu *st_filtered;

static DEFINE_SPINLOCK(st_filter_lock);
static u32 st_filter_owner;	/* netlink portid, 0 = none */

void st_filter_set(u32 pid, u32 port, u32 netns, u32 owner_portid)
{
	spin_lock(&st_filter_lock);
	/* Off first, so no handler sees a half-written filter as active. */
	WRITE_ONCE(st_filter.active, 0);
	WRITE_ONCE(st_filter.pid, pid);
	WRITE_ONCE(st_filter.port, port);
	WRITE_ONCE(st_filter.netns, netns);
	/* Fields before the flag: a handler seeing active sees the values. */
	smp_wmb();
	WRITE_ONCE(st_filter.active, pid || port || netns);
	st_filter_owner = owner_portid;
	spin_unlock(&st_filter_lock);
}

void st_filter_get(u32 *pid, u32 *port, u32 *netns)
{
	spin_lock(&st_filter_lock);
	*pid = st_filter.pid;
	*port = st_filter.port;
	*netns = st_filter.netns;
	spin_unlock(&st_filter_lock);
}

u64 st_filter_skipped(void)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(st_filtered, cpu);
	return sum;
}

/*
 * From netlink_release(): a blocking chain on our kernels, but a spinlock
 * is safe whichever it is.
 */
static int st_filter_urelease(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct netlink_notify *n = ptr;

	/* Portids are per namespace; our family lives in init_net only. */
	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !net_eq(n->net, &init_net))
		return NOTIFY_DONE;
	spin_lock(&st_filter_lock);
	if (st_filter_owner && st_filter_owner == n->portid) {
		WRITE_ONCE(st_filter.active, 0);
		st_filter.pid = 0;
		st_filter.port = 0;
		st_filter.netns = 0;
		st_filter_owner = 0;
	}
	spin_unlock(&st_filter_lock);
	return NOTIFY_DONE;
}

static struct notifier_block st_filter_nb = {
	.notifier_call = st_filter_urelease,
};

int st_filter_init(void)
{
	int err;

	st_filtered = alloc_percpu(u64);
	if (!st_filtered)
		return -ENOMEM;
	err = netlink_register_notifier(&st_filter_nb);
	if (err) {
		free_percpu(st_filtered);
		st_filtered = NULL;
	}
	return err;
}

void st_filter_exit(void)
{
	netlink_unregister_notifier(&st_filter_nb);
	free_percpu(st_filtered);
	st_filtered = NULL;
}
