/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-kernel filter: pid, port and network namespace.  Handlers test
 * it first, so filtered-out traffic costs a few loads and compares.
 */
#ifndef _SOCKTAP_FILTER_H
#define _SOCKTAP_FILTER_H

#include <linux/percpu.h>
#include <linux/types.h>

struct st_filter {
	u32 pid;	/* tgid; 0 = any */
	u32 port;	/* local or remote port, host order; 0 = any */
	u32 netns;	/* namespace inode; 0 = any */
	u32 active;	/* any of the above set */
};

/* Written by netlink under a spinlock, read locklessly field by field. */
extern struct st_filter st_filter;
extern u64 __percpu *st_filtered;

/* True when the event passes; a zero field in the event means unknown. */
static __always_inline bool st_filter_pass(u32 tgid, u16 sport, u16 dport,
					   u32 netns)
{
	u32 f;

	if (likely(!READ_ONCE(st_filter.active)))
		return true;
	f = READ_ONCE(st_filter.pid);
	if (f && f != tgid)
		goto out;
	f = READ_ONCE(st_filter.port);
	if (f && f != sport && f != dport)
		goto out;
	f = READ_ONCE(st_filter.netns);
	if (f && f != netns)
		goto out;
	return true;
out:
	this_cpu_inc(*st_filtered);
	return false;
}

int st_filter_init(void);
void st_filter_exit(void);
void st_filter_set(u32 pid, u32 port, u32 netns, u32 owner_portid);
void st_filter_get(u32 *pid, u32 *port, u32 *netns);
u64 st_filter_skipped(void);

#endif /* _SOCKTAP_FILTER_H */
