/* SPDX-License-Identifier: GPL-2.0 */
/*
 * I/O sizes by process: log2 histograms of the bytes each TCP and UDP
 * sendmsg()/recvmsg() call moved (DTrace's quantize(size) per execname),
 * in a keyed per-CPU table of its own capacity.
 */
#ifndef _SOCKTAP_SIZETAB_H
#define _SOCKTAP_SIZETAB_H

#include <linux/build_bug.h>
#include <linux/log2.h>
#include <linux/types.h>
#include <uapi/linux/socktap.h>

#include "proctab.h"

/* st_io() indexes the four by protocol * 2 + direction. */
static_assert(!SOCKTAP_PROTO_TCP && SOCKTAP_PROTO_UDP - 1 == 0);
static_assert(SOCKTAP_HIST_TCP_RECVMSG - SOCKTAP_HIST_TCP_SENDMSG == 1 &&
	      SOCKTAP_HIST_UDP_SENDMSG - SOCKTAP_HIST_TCP_SENDMSG == 2 &&
	      SOCKTAP_HIST_UDP_RECVMSG - SOCKTAP_HIST_TCP_SENDMSG == 3);

struct st_size_ctr {
	u64 b[SOCKTAP_SIZE_HISTS][SOCKTAP_SIZE_BUCKETS];
	u64 sum[SOCKTAP_SIZE_HISTS];
};

struct st_size_row {
	u32 tgid;
	struct st_proc_meta m;
	struct st_size_ctr c;
};

int st_sizetab_init(void);
void st_sizetab_exit(void);
void st_sizetab_reset(void);

/* h: 0..SOCKTAP_SIZE_HISTS-1, from SOCKTAP_HIST_TCP_SENDMSG.  Probe context. */
void st_size_add(unsigned int h, u64 bytes);

bool st_sizetab_read(unsigned int *pos, struct st_size_row *row);
unsigned int st_sizetab_capacity(void);
unsigned int st_sizetab_used(void);
u64 st_sizetab_dropped(void);
size_t st_sizetab_bytes(void);

/* Bucket i holds [2^i, 2^(i+1)) bytes; 0 goes to bucket 0; the last is open. */
static __always_inline unsigned int st_size_bucket(u64 v)
{
	unsigned int i = v ? ilog2(v) : 0;

	return i < SOCKTAP_SIZE_BUCKETS ? i : SOCKTAP_SIZE_BUCKETS - 1;
}

#endif /* _SOCKTAP_SIZETAB_H */
