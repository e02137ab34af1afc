/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-process I/O size histograms (SIZE_GET): tcp-sendmsg, tcp-recvmsg,
 * udp-sendmsg, udp-recvmsg per process, printed like bpftrace's
 * @bytes[comm, pid] = hist(size).  Pure logic, unit-tested
 * (tests/unit/test_hist.c).
 */
#ifndef SOCKTAP_SIZEHIST_H
#define SOCKTAP_SIZEHIST_H

#include <stdint.h>
#include <stdio.h>

#include <linux/socktap.h>

#include "hist.h"

struct st_size_proc {
	uint32_t pid;
	char comm[64];
	unsigned int have;		/* bit i: h[i] came from the module */
	struct st_hist h[SOCKTAP_SIZE_HISTS];
};

struct st_size_list {
	struct st_size_proc *v;
	size_t n, cap;
};

/* The slot of histogram id in a row (id - SOCKTAP_HIST_TCP_SENDMSG), or -1. */
int st_size_slot(unsigned int id);

/* Append a row for pid, empty; NULL out of memory. */
struct st_size_proc *st_size_add(struct st_size_list *l, uint32_t pid,
				 const char *comm);
void st_size_free(struct st_size_list *l);

/*
 * Fill slot of p: name (NULL: the CLI's name of the id), buckets of any
 * length in bytes (whole u64s; past SOCKTAP_HIST_BUCKETS cut), the sum;
 * the count is recomputed from the buckets.
 */
void st_size_set(struct st_size_proc *p, int slot, const char *name,
		 const void *buckets, size_t len, uint64_t sum);

/*
 * out = cur - base per process (same pid and comm) and histogram; a
 * process new in cur, or whose counts went backwards, is taken whole.
 * Rows without data in the interval are left out.  0, or -1 (ENOMEM).
 */
int st_size_delta(const struct st_size_list *cur,
		  const struct st_size_list *base, struct st_size_list *out);

/*
 * Histogram names ("tcp-sendmsg", ...) as a mask of slots; none: all.
 * Returns 0, or -1 with *bad the unknown name.
 */
int st_size_mask(char *const *names, int n, unsigned int *mask,
		 const char **bad);

/*
 * For each slot of mask, the processes with data (pid 0: all), fewest
 * sizes first, as "@tcp_sendmsg_bytes[curl, 1234]:" histograms, a blank
 * line between.  Returns how many it printed, -1 out of memory.
 */
long st_size_print(FILE *out, const struct st_size_list *l,
		   unsigned int mask, uint32_t pid);
/*
 * One JSON document of the processes with data (pid 0: all):
 * {"processes":[{"pid","comm","histograms":[{"name","unit","count",
 * "sum","buckets"}]}]}.  Returns how many, or -1 if the JSON writer
 * failed.
 */
long st_size_json(FILE *out, const struct st_size_list *l, unsigned int mask,
		  uint32_t pid);

#endif
