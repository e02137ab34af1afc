// SPDX-License-Identifier: GPL-2.0
/*
 * Latency histograms: written with one this_cpu add per event, so no
 * CPU ever writes another's cache line; readers sum every CPU.
 */
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/string.h>

#include "hist.h"

struct st_hist_pcpu __percpu *st_hists;

int st_hist_init(void)
{
	st_hists = alloc_percpu(struct st_hist_pcpu);
	return st_hists ? 0 : -ENOMEM;
}

/* After every probe is gone. */
void st_hist_exit(void)
{
	free_percpu(st_hists);
	st_hists = NULL;
}

static const char *const st_hist_names[__SOCKTAP_HIST_MAX] = {
	[SOCKTAP_HIST_CONNECT] = "connect",
	[SOCKTAP_HIST_CONNECT_ASYNC] = "connect-async",
	[SOCKTAP_HIST_FIRST_BYTE] = "first-byte",
	[SOCKTAP_HIST_LIFETIME] = "lifetime",
	[SOCKTAP_HIST_LIFETIME_EST] = "lifetime-established",
	[SOCKTAP_HIST_TCP_SEND_SIZE] = "tcp-send-size",
	[SOCKTAP_HIST_TCP_RECV_SIZE] = "tcp-recv-size",
	[SOCKTAP_HIST_STATE_TIME] = "tcp-state-time",
	[SOCKTAP_HIST_TCP_SENDMSG] = "tcp-sendmsg",
	[SOCKTAP_HIST_TCP_RECVMSG] = "tcp-recvmsg",
	[SOCKTAP_HIST_UDP_SENDMSG] = "udp-sendmsg",
	[SOCKTAP_HIST_UDP_RECVMSG] = "udp-recvmsg",
};

const char *st_hist_unit(unsigned int h)
{
	switch (h) {
	case SOCKTAP_HIST_TCP_SEND_SIZE:
	case SOCKTAP_HIST_TCP_RECV_SIZE:
	case SOCKTAP_HIST_TCP_SENDMSG:
	case SOCKTAP_HIST_TCP_RECVMSG:
	case SOCKTAP_HIST_UDP_SENDMSG:
	case SOCKTAP_HIST_UDP_RECVMSG:
		return "bytes";
	default:
		return "ns";
	}
}

const char *st_hist_name(unsigned int h)
{
	/* A name missing for a new id must not become a NULL dereference. */
	return h < __SOCKTAP_HIST_MAX && st_hist_names[h] ? st_hist_names[h] : "?";
}

/* Racy against writers by design: each bucket is read once, untorn. */
void st_hist_read(unsigned int h, struct st_hist_snap *s)
{
	int cpu, i;

	memset(s, 0, sizeof(*s));
	for_each_possible_cpu(cpu) {
		struct st_hist_pcpu *p = per_cpu_ptr(st_hists, cpu);

		for (i = 0; i < SOCKTAP_HIST_BUCKETS; i++)
			s->b[i] += READ_ONCE(p->b[h][i]);
		s->sum += READ_ONCE(p->sum[h]);
	}
	for (i = 0; i < SOCKTAP_HIST_BUCKETS; i++)
		s->count += s->b[i];
}

/* Reset races with concurrent adds; an add in flight may survive it. */
void st_hist_reset(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(st_hists, cpu), 0, sizeof(struct st_hist_pcpu));
}
