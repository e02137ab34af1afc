// SPDX-License-Identifier: GPL-2.0
#include "hist.h"

#include <inttypes.h>
#include <string.h>

static const char *const st_hist_names[__SOCKTAP_HIST_MAX] = {
	[SOCKTAP_HIST_CONNECT] = "connect",
	[SOCKTAP_HIST_CONNECT_ASYNC] = "connect-async",
	[SOCKTAP_HIST_FIRST_BYTE] = "first-byte",
	[SOCKTAP_HIST_LIFETIME] = "lifetime",
	[SOCKTAP_HIST_LIFETIME_EST] = "lifetime-established",
};

const char *st_hist_id_name(unsigned int id)
{
	return id < __SOCKTAP_HIST_MAX ? st_hist_names[id] : "?";
}

int st_hist_ids(const char *name, unsigned int ids[2])
{
	unsigned int i;

	if (!strcmp(name, "lifetime")) {
		ids[0] = SOCKTAP_HIST_LIFETIME;
		ids[1] = SOCKTAP_HIST_LIFETIME_EST;
		return 2;
	}
	/* lifetime-established alone is not a CLI name: it comes with lifetime. */
	for (i = 0; i < SOCKTAP_HIST_LIFETIME; i++) {
		if (!strcmp(name, st_hist_names[i])) {
			ids[0] = i;
			return 1;
		}
	}
	return 0;
}

const char *st_pow2_label(unsigned int p, char *buf, size_t n)
{
	static const char suffix[] = " KMGTPE";
	unsigned int s = p / 10;

	if (s >= sizeof(suffix) - 1)
		s = sizeof(suffix) - 2;
	if (s)
		snprintf(buf, n, "%" PRIu64 "%c", (uint64_t)1 << (p - 10 * s),
			 suffix[s]);
	else
		snprintf(buf, n, "%" PRIu64, (uint64_t)1 << p);
	return buf;
}

const char *st_hist_label(unsigned int i, char *buf, size_t n)
{
	char lo[16], hi[16];

	if (i == 0)
		snprintf(lo, sizeof(lo), "0");
	else
		st_pow2_label(i, lo, sizeof(lo));
	st_pow2_label(i + 1, hi, sizeof(hi));
	snprintf(buf, n, "[%s, %s)", lo, hi);
	return buf;
}

uint64_t st_hist_lo(unsigned int i)
{
	return i ? (uint64_t)1 << i : 0;
}

uint64_t st_hist_hi(unsigned int i)
{
	return i + 1 < 64 ? (uint64_t)1 << (i + 1) : UINT64_MAX;
}

unsigned int st_hist_bar(uint64_t v, uint64_t max, unsigned int width)
{
	if (!max || !v)
		return 0;
	if (v >= max)
		return width;
	return (unsigned int)((unsigned __int128)v * width / max);
}

void st_hist_recount(struct st_hist *h)
{
	unsigned int i;

	h->count = 0;
	for (i = 0; i < SOCKTAP_HIST_BUCKETS; i++)
		h->count += h->b[i];
}

int st_hist_delta(const struct st_hist *cur, const struct st_hist *base,
		  struct st_hist *out)
{
	int reset = cur->sum < base->sum;
	unsigned int i;

	for (i = 0; i < SOCKTAP_HIST_BUCKETS && !reset; i++)
		if (cur->b[i] < base->b[i])
			reset = 1;
	*out = *cur;
	if (!reset) {
		for (i = 0; i < SOCKTAP_HIST_BUCKETS; i++)
			out->b[i] -= base->b[i];
		out->sum -= base->sum;
	}
	st_hist_recount(out);
	return reset;
}

double st_hist_mean_us(const struct st_hist *h)
{
	return h->count ? (double)h->sum / (double)h->count / 1000.0 : 0.0;
}

/* "connect-async" -> "@connect_async_ns:" */
static void st_hist_title(FILE *out, const char *name)
{
	fputc('@', out);
	for (; *name; name++)
		fputc(*name == '-' ? '_' : *name, out);
	fputs("_ns:\n", out);
}

void st_hist_print(FILE *out, const struct st_hist *h)
{
	unsigned int i, first = SOCKTAP_HIST_BUCKETS, last = 0;
	uint64_t max = 0;

	for (i = 0; i < SOCKTAP_HIST_BUCKETS; i++) {
		if (!h->b[i])
			continue;
		if (first == SOCKTAP_HIST_BUCKETS)
			first = i;
		last = i;
		if (h->b[i] > max)
			max = h->b[i];
	}
	st_hist_title(out, h->name);
	for (i = first; i <= last && first < SOCKTAP_HIST_BUCKETS; i++) {
		char label[32], bar[ST_HIST_BAR_WIDTH + 1];
		unsigned int len = st_hist_bar(h->b[i], max, ST_HIST_BAR_WIDTH);

		memset(bar, ' ', ST_HIST_BAR_WIDTH);
		memset(bar, '@', len);
		bar[ST_HIST_BAR_WIDTH] = '\0';
		fprintf(out, "%-16s%8" PRIu64 " |%s|\n",
			st_hist_label(i, label, sizeof(label)), h->b[i], bar);
	}
	fprintf(out, "count %" PRIu64 ", mean %.3f us\n", h->count,
		st_hist_mean_us(h));
}

void st_hist_json(struct json *j, const struct st_hist *h)
{
	unsigned int i;

	json_begin_object(j);
	json_kv_string(j, "name", h->name);
	json_kv_string(j, "unit", "ns");
	json_kv_uint(j, "count", h->count);
	json_kv_uint(j, "sum", h->sum);
	json_key(j, "buckets");
	json_begin_array(j);
	for (i = 0; i < SOCKTAP_HIST_BUCKETS; i++) {
		if (!h->b[i])
			continue;
		json_begin_object(j);
		json_kv_uint(j, "lo", st_hist_lo(i));
		json_kv_uint(j, "hi", st_hist_hi(i));
		json_kv_uint(j, "count", h->b[i]);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
}
