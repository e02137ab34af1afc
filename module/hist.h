/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU log2 histograms of nanoseconds, summed on read.
 */
#ifndef _SOCKTAP_HIST_H
#define _SOCKTAP_HIST_H

#include <linux/log2.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <uapi/linux/socktap.h>

struct st_hist_pcpu {
	u64 b[__SOCKTAP_HIST_MAX][SOCKTAP_HIST_BUCKETS];
	u64 sum[__SOCKTAP_HIST_MAX];
};

/* Dynamic: modules get only a few KiB of static per-CPU space. */
extern struct st_hist_pcpu __percpu *st_hists;

/* Bucket i holds [2^i, 2^(i+1)); 0 goes to bucket 0 with 1. */
static __always_inline void st_hist_add(unsigned int h, u64 v)
{
	unsigned int i = v ? ilog2(v) : 0;

	this_cpu_inc(st_hists->b[h][i]);
	this_cpu_add(st_hists->sum[h], v);
}

struct st_hist_snap {
	u64 b[SOCKTAP_HIST_BUCKETS];
	u64 count, sum;
};

int st_hist_init(void);
void st_hist_exit(void);
const char *st_hist_name(unsigned int h);
const char *st_hist_unit(unsigned int h);
void st_hist_read(unsigned int h, struct st_hist_snap *s);
void st_hist_reset(void);

#endif /* _SOCKTAP_HIST_H */
