/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's log2 histograms (latencies, sizes) and the listeners'
 * queue length histograms as the CLI prints them, in bpftrace's layout.
 * Pure logic, unit-tested (tests/unit/test_hist.c).
 */
#ifndef SOCKTAP_HIST_H
#define SOCKTAP_HIST_H

#include <stdint.h>
#include <stdio.h>

#include <linux/socktap.h>

#include "json.h"

/* Width of the bar between the two '|', as in bpftrace. */
#define ST_HIST_BAR_WIDTH	52

/* Bucket i counts [2^i, 2^(i+1)) units; bucket 0 also counts 0. */
struct st_hist {
	unsigned int id;		/* enum socktap_hist */
	char name[64];			/* "connect", "lifetime-established" */
	char unit[16];			/* "ns" (also when empty), "bytes" */
	uint64_t b[SOCKTAP_HIST_BUCKETS];
	uint64_t count, sum;		/* sum in units */
};

/*
 * Histogram ids a CLI name stands for: "connect", "connect-async",
 * "first-byte", "tcp-send-size", "tcp-recv-size", "tcp-state-time",
 * "tcp-sendmsg", "tcp-recvmsg", "udp-sendmsg", "udp-recvmsg", or
 * "lifetime" (lifetime and lifetime-established).  Fills ids[0..1] and
 * returns how many, 0 for an unknown name.
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
/* h->unit, or "ns" when the module did not say. */
const char *st_hist_unit(const struct st_hist *h);

/*
 * "@connect_ns:" ("@tcp_send_size_bytes:": the unit), one row per bucket
 * from the first to the last non-zero one, then "count N, mean X us"
 * for ns ("mean X bytes", "mean X UNIT" for the others).
 */
void st_hist_print(FILE *out, const struct st_hist *h);
/* The same as one entry of a keyed map: "@tcp_sendmsg_bytes[curl, 42]:". */
void st_hist_print_key(FILE *out, const struct st_hist *h, const char *key);
/* {"name","unit","count","sum","buckets":[{"lo","hi","count"}...]} */
void st_hist_json(struct json *j, const struct st_hist *h);

/*
 * bpftrace's rows of n buckets, from the first to the last non-zero one,
 * each labelled by label(i): "LABEL   COUNT |@@@@   |".  Nothing for
 * all-zero buckets.
 */
void st_hist_rows(FILE *out, const uint64_t *b, unsigned int n,
		  const char *(*label)(unsigned int i, char *buf, size_t n));

/*
 * Queue length histograms (SOCKTAP_QLEN_BUCKETS): bucket 0 holds 0,
 * bucket i [2^(i-1), 2^i), the last one everything from 2^(i-1) up.
 * Labels as bpftrace's hist(): "[0]", "[1]", "[2, 4)", "[1K, 2K)", and
 * "[4M, ...)" for the last bucket.
 */
const char *st_qlen_label(unsigned int i, char *buf, size_t n);
uint64_t st_qlen_lo(unsigned int i);
/* Exclusive; UINT64_MAX for the last bucket. */
uint64_t st_qlen_hi(unsigned int i);
/* [{"lo","hi","count"}...] of the non-zero buckets. */
void st_qlen_json(struct json *j, const uint64_t *b);

#endif
