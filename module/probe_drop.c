// SPDX-License-Identifier: GPL-2.0
/*
 * Dropped TCP packets (tcpdrop): skb:kfree_skb, with the drop reason
 * where the kernel has one (5.17+), the kernel stack, and the owning
 * process and namespace in the same record.
 *
 * kfree_skb fires for every dropped packet of every protocol, so the
 * handler decides "not TCP" in a few loads.  Headers are read with the
 * nofault helpers: a dropped skb may be half built.
 */
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/stacktrace.h>
#include <linux/tcp.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <net/sock.h>
#include <trace/events/skb.h>

#include "compat.h"
#include "events.h"
#include "filter.h"
#include "socktab.h"
#include "socktap.h"
#include "tcpstat.h"
#include "tp_check.h"

/* The TCP flow of skb from its headers; false if it is not TCP. */
static bool st_skb_tcp_flow(const struct sk_buff *skb, struct st_event *ev)
{
	const unsigned char *nh;
	struct tcphdr th;
	unsigned int thoff;
	u8 proto;

	/* Unset on a fresh skb it points at head: the checks below fail. */
	nh = skb_network_header(skb);
	if (skb->protocol == htons(ETH_P_IP)) {
		struct iphdr iph;

		if (copy_from_kernel_nofault(&iph, nh, sizeof(iph)) ||
		    iph.version != 4 || iph.protocol != IPPROTO_TCP)
			return false;
		ev->family = AF_INET;
		memcpy(ev->saddr, &iph.saddr, 4);
		memcpy(ev->daddr, &iph.daddr, 4);
		thoff = iph.ihl * 4;
	} else if (skb->protocol == htons(ETH_P_IPV6)) {
		struct ipv6hdr ip6h;

		if (copy_from_kernel_nofault(&ip6h, nh, sizeof(ip6h)))
			return false;
		proto = ip6h.nexthdr;
		/* Extension headers: not TCP for this purpose. */
		if (proto != IPPROTO_TCP)
			return false;
		ev->family = AF_INET6;
		memcpy(ev->saddr, &ip6h.saddr, 16);
		memcpy(ev->daddr, &ip6h.daddr, 16);
		thoff = sizeof(ip6h);
	} else {
		return false;
	}
	if (copy_from_kernel_nofault(&th, nh + thoff, sizeof(th)))
		return false;
	ev->sport = ntohs(th.source);
	ev->dport = ntohs(th.dest);
	return true;
}

static void st_drop(struct sk_buff *skb, void *location, u32 reason,
		    const struct sock *rx_sk)
{
	const struct sock *sk = skb->sk ? skb->sk : rx_sk;
	unsigned long stack[ST_STACK_DEPTH + 8];
	struct st_event ev;
	struct st_sock *e = NULL;
	unsigned int i, n;

	memset(&ev, 0, sizeof(ev));
	if (!st_skb_tcp_flow(skb, &ev))
		return;
	if (sk && !sk_fullsock(sk))
		sk = NULL;
	ev.netns = sk ? sock_net(sk)->ns.inum :
		   skb->dev ? dev_net(skb->dev)->ns.inum : 0;
	rcu_read_lock();
	if (sk)
		e = st_sock_find(sk);
	if (!st_filter_pass(e ? e->tgid : 0, ev.sport, ev.dport, ev.netns))
		goto out;
	st_tcp_count(SOCKTAP_TCP_DROPS);
	if (!st_events_wanted(SOCKTAP_EV_DROP))
		goto out;
	ev.type = SOCKTAP_EV_DROP;
	ev.time = ktime_get_ns();
	ev.proto = SOCKTAP_PROTO_TCP;
	ev.reason = reason;
	ev.newstate = sk ? sk->sk_state : 0;
	if (e) {
		ev.pid = e->tgid;
		ev.uid = e->uid;
		memcpy(ev.comm, e->comm, sizeof(ev.comm));
	}
	/*
	 * From the caller that dropped it (location) outwards: our own and
	 * the tracepoint's frames come first on the stack, skip them by
	 * finding location rather than by a count that varies by kernel.
	 */
	n = stack_trace_save(stack, ARRAY_SIZE(stack), 0);
	for (i = 0; i < n && stack[i] != (unsigned long)location; i++)
		;
	if (i == n) {
		ev.stack[0] = (u64)(unsigned long)location;
		ev.nr_stack = 1;
	} else {
		for (; i < n && ev.nr_stack < ST_STACK_DEPTH; i++)
			ev.stack[ev.nr_stack++] = stack[i];
	}
	st_event_push(&ev);
out:
	rcu_read_unlock();
}

#if defined(ST_HAVE_TP_KFREE_SKB_RX_SK_CONST)
static void st_tp_kfree_skb(void *data, struct sk_buff *skb, void *location,
			    enum skb_drop_reason reason,
			    const struct sock *rx_sk)
{
	st_hit(data);
	st_drop(skb, location, reason, rx_sk);
}
#elif defined(ST_HAVE_TP_KFREE_SKB_RX_SK)
static void st_tp_kfree_skb(void *data, struct sk_buff *skb, void *location,
			    enum skb_drop_reason reason, struct sock *rx_sk)
{
	st_hit(data);
	st_drop(skb, location, reason, rx_sk);
}
#elif defined(ST_HAVE_TP_KFREE_SKB_REASON)
static void st_tp_kfree_skb(void *data, struct sk_buff *skb, void *location,
			    enum skb_drop_reason reason)
{
	st_hit(data);
	st_drop(skb, location, reason, NULL);
}
#else
/* Before 5.17 there is no reason: 0, "not specified". */
static void st_tp_kfree_skb(void *data, struct sk_buff *skb, void *location)
{
	st_hit(data);
	st_drop(skb, location, 0, NULL);
}
#endif

ST_TP_CHECK(kfree_skb, st_tp_kfree_skb)

static struct st_probe st_drop_probes[] = {
	ST_TP("kfree_skb", "skb:kfree_skb", st_tp_kfree_skb),
};

const struct st_probe_family st_family_drop = {
	.name = "drop",
	.probes = st_drop_probes,
	.count = ARRAY_SIZE(st_drop_probes),
};
