/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's log2 latency histograms as the CLI prints them, in
 * bpftrace's layout.  Pure logic, unit-tested (tests/unit/test_hist.c).
 */
#ifndef SOCKTAP_HIST_H
#define SOCKTAP_HIST_H

#include <stdint.h>
#include <stdio.h>

#include <linux/socktap.h>

#include "json.h"

/* Width of the bar between the two '|', as in bpftrace. */
#define ST_HIST_BAR_WIDTH	52

/* Bucket i counts [2^i, 2^(i+1)) ns; bucket 0 also counts 0. */
struct st_hist {
	unsigned int id;		/* enum socktap_hist */
	char name[64];			/* "connect", "lifetime-established" */
	uint64_t b[SOCKTAP_HIST_BUCKETS];
	uint64_t count, sum;		/* sum in ns */
};

/*
 * Histogram ids a CLI name stands for: "connect", "connect-async",
 * "first-byte", or "lifetime" (lifetime and lifetime-established).
 * Fills ids[0..1] and returns how many, 0 for an unknown name.
 */
int st_hist_ids(const char *name, unsigned int ids[2]);
/* The module's name of a histogram id ("?" when out of range). */
const char *st_hist_id_name(unsigned int id);

/* "[16K, 32K)"; bucket 0 is "[0, 2)".  Returns buf. */
const char *st_hist_label(unsigned int i, char *buf, size_t n);
/* bpftrace's power-of-two label of 2^p: 512, 1K, 16M, 8E. */
const char *st_pow2_label(unsigned int p, char *buf, size_t n);
/* Bar length for v of a largest bucket max: truncated v * width / max. */
unsigned int st_hist_bar(uint64_t v, uint64_t max, unsigned int width);
/* Lower and upper bound of bucket i in ns (hi of bucket 63 saturates). */
uint64_t st_hist_lo(unsigned int i);
uint64_t st_hist_hi(unsigned int i);

/*
 * out = cur - base, bucket by bucket; count recomputed from the buckets.
 * If anything went backwards (a reset in between), out = cur.  Returns 1
 * when it did, else 0.
 */
int st_hist_delta(const struct st_hist *cur, const struct st_hist *base,
		  struct st_hist *out);
/* Set count from the buckets. */
void st_hist_recount(struct st_hist *h);
/* Mean in microseconds, 0 for an empty histogram. */
double st_hist_mean_us(const struct st_hist *h);

/*
 * "@connect_ns:", one row per bucket from the first to the last non-zero
 * one, then "count N, mean X us".
 */
void st_hist_print(FILE *out, const struct st_hist *h);
/* {"name","unit":"ns","count","sum","buckets":[{"lo","hi","count"}...]} */
void st_hist_json(struct json *j, const struct st_hist *h);

#endif
