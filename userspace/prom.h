/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Prometheus text exposition format, version 0.0.4, as 'socktap
 * metrics' writes it: metric families with one # HELP and # TYPE each,
 * escaped label values, and the module's log2 histograms as cumulative
 * _bucket{le="..."} series with +Inf, _sum and _count.  Pure formatting,
 * unit-tested (tests/unit/test_prom.c).
 */
#ifndef SOCKTAP_PROM_H
#define SOCKTAP_PROM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Longest metric name, NUL included. */
#define PROM_NAME_MAX	128

enum prom_type {
	PROM_COUNTER,
	PROM_GAUGE,
	PROM_HISTOGRAM,
};

/* One label of a sample; the value is escaped when written. */
struct prom_label {
	const char *name;
	const char *value;
};

/*
 * A writer.  Samples always belong to the family last begun with
 * prom_family(), so a family's samples cannot be split up; a family name
 * used twice, a sample of the wrong kind or an invalid name marks the
 * writer as misused (prom_finish fails).
 */
struct prom {
	FILE *out;
	char fam[PROM_NAME_MAX];	/* current family, "" before the first */
	enum prom_type type;
	char **seen;			/* every family begun */
	size_t nseen, capseen;
	int error;			/* misuse or out of memory */
};

void prom_init(struct prom *p, FILE *out);
/* Frees the writer's memory (not out). */
void prom_free(struct prom *p);

/*
 * Begin family name: "# HELP name help" and "# TYPE name type".  Returns
 * 0, or -1 (and marks the writer) for an invalid or repeated name or when
 * out of memory.
 */
int prom_family(struct prom *p, const char *name, enum prom_type type,
		const char *help);

/* A counter or gauge sample of the current family: name{labels} v. */
void prom_sample(struct prom *p, const struct prom_label *l, size_t nl,
		 uint64_t v);

/* How the buckets of a histogram divide the values. */
enum prom_layout {
	/* bucket i holds [2^i, 2^(i+1)), bucket 0 also 0 (HIST_GET, SIZE_GET) */
	PROM_LOG2,
	/* bucket 0 holds 0, bucket i [2^(i-1), 2^i) (listener queues) */
	PROM_QLEN,
};

/*
 * A histogram of integer values in a unit 10^-scale of the base unit
 * (scale 9: nanoseconds, written as seconds; 0: bytes, lengths).  The
 * last of the n buckets is open-ended: it only counts toward +Inf.
 */
struct prom_hist {
	const uint64_t *b;
	unsigned int n;
	enum prom_layout layout;
	unsigned int scale;
	int has_sum;		/* the module keeps no sum of queue lengths */
	uint64_t sum;		/* in the histogram's unit */
};

/*
 * One histogram of the current family (a PROM_HISTOGRAM): for each bucket
 * but the last, name_bucket{labels,le="B"} with the count of values <= B,
 * B being the largest integer value the bucket holds (2^(i+1) - 1 for
 * PROM_LOG2) in the base unit; then le="+Inf", name_sum (when known) and
 * name_count, both over every bucket.
 */
void prom_histogram(struct prom *p, const struct prom_label *l, size_t nl,
		    const struct prom_hist *h);

/* Largest integer value bucket i of a layout holds (UINT64_MAX: none). */
uint64_t prom_bucket_max(enum prom_layout layout, unsigned int i);

/*
 * v * 10^-scale as an exact decimal without trailing zeros: (1023, 9)
 * is "0.000001023", (2000000000, 9) "2", (7, 0) "7".  Returns buf.
 */
const char *prom_decimal(uint64_t v, unsigned int scale, char *buf, size_t n);

/*
 * A label value as the format wants it, without the quotes: backslash,
 * double quote and newline escaped (\\, \", \n); bytes that are not
 * valid UTF-8 (a comm cut mid-character) become U+FFFD.
 */
void prom_escape_label(FILE *out, const char *s);
/* HELP text: backslash and newline escaped. */
void prom_escape_help(FILE *out, const char *s);

/* [a-zA-Z_:][a-zA-Z0-9_:]* (metric), [a-zA-Z_][a-zA-Z0-9_]* (label). */
int prom_valid_name(const char *s);
int prom_valid_label_name(const char *s);
/*
 * A name part from free text: lower case, anything but [a-z0-9_] as '_'
 * ("connect-async" -> "connect_async").  Returns buf.
 */
const char *prom_sanitize(const char *s, char *buf, size_t n);

/* Finish: 0, or -1 if the writer was misused or out has an error. */
int prom_finish(struct prom *p);

#endif
