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
	[SOCKTAP_HIST_TCP_SEND_SIZE] = "tcp-send-size",
	[SOCKTAP_HIST_TCP_RECV_SIZE] = "tcp-recv-size",
	[SOCKTAP_HIST_STATE_TIME] = "tcp-state-time",
	[SOCKTAP_HIST_TCP_SENDMSG] = "tcp-sendmsg",
	[SOCKTAP_HIST_TCP_RECVMSG] = "tcp-recvmsg",
	[SOCKTAP_HIST_UDP_SENDMSG] = "udp-sendmsg",
	[SOCKTAP_HIST_UDP_RECVMSG] = "udp-recvmsg",
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
	for (i = 0; i < __SOCKTAP_HIST_MAX; i++) {
		if (i == SOCKTAP_HIST_LIFETIME_EST || !st_hist_names[i])
			continue;
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

const char *st_hist_unit(const struct st_hist *h)
{
	return h->unit[0] ? h->unit : "ns";
}

/* "connect-async" -> "@connect_async_ns:", with a key "@x_bytes[key]:" */
static void st_hist_title(FILE *out, const char *name, const char *unit,
			  const char *key)
{
	fputc('@', out);
	for (; *name; name++)
		fputc(*name == '-' ? '_' : *name, out);
	if (key)
		fprintf(out, "_%s[%s]:\n", unit, key);
	else
		fprintf(out, "_%s:\n", unit);
}

void st_hist_rows(FILE *out, const uint64_t *b, unsigned int n,
		  const char *(*label)(unsigned int i, char *buf, size_t n))
{
	unsigned int i, first = n, last = 0;
	uint64_t max = 0;

	for (i = 0; i < n; i++) {
		if (!b[i])
			continue;
		if (first == n)
			first = i;
		last = i;
		if (b[i] > max)
			max = b[i];
	}
	for (i = first; i <= last && first < n; i++) {
		char lbl[32], bar[ST_HIST_BAR_WIDTH + 1];
		unsigned int len = st_hist_bar(b[i], max, ST_HIST_BAR_WIDTH);

		memset(bar, ' ', ST_HIST_BAR_WIDTH);
		memset(bar, '@', len);
		bar[ST_HIST_BAR_WIDTH] = '\0';
		fprintf(out, "%-16s%8" PRIu64 " |%s|\n",
			label(i, lbl, sizeof(lbl)), b[i], bar);
	}
}

void st_hist_print(FILE *out, const struct st_hist *h)
{
	st_hist_print_key(out, h, NULL);
}

void st_hist_print_key(FILE *out, const struct st_hist *h, const char *key)
{
	const char *unit = st_hist_unit(h);

	st_hist_title(out, h->name, unit, key);
	st_hist_rows(out, h->b, SOCKTAP_HIST_BUCKETS, st_hist_label);
	if (!strcmp(unit, "ns"))
		fprintf(out, "count %" PRIu64 ", mean %.3f us\n", h->count,
			st_hist_mean_us(h));
	else
		fprintf(out, "count %" PRIu64 ", mean %.1f %s\n", h->count,
			h->count ? (double)h->sum / (double)h->count : 0.0, unit);
}

const char *st_qlen_label(unsigned int i, char *buf, size_t n)
{
	char lo[16], hi[16];

	if (i < 2) {
		snprintf(buf, n, "[%u]", i);
		return buf;
	}
	st_pow2_label(i - 1, lo, sizeof(lo));
	if (i + 1 >= SOCKTAP_QLEN_BUCKETS)
		snprintf(hi, sizeof(hi), "...");
	else
		st_pow2_label(i, hi, sizeof(hi));
	snprintf(buf, n, "[%s, %s)", lo, hi);
	return buf;
}

uint64_t st_qlen_lo(unsigned int i)
{
	return i ? (uint64_t)1 << (i - 1) : 0;
}

uint64_t st_qlen_hi(unsigned int i)
{
	return i + 1 < SOCKTAP_QLEN_BUCKETS ? (uint64_t)1 << i : UINT64_MAX;
}

void st_qlen_json(struct json *j, const uint64_t *b)
{
	unsigned int i;

	json_begin_array(j);
	for (i = 0; i < SOCKTAP_QLEN_BUCKETS; i++) {
		if (!b[i])
			continue;
		json_begin_object(j);
		json_kv_uint(j, "lo", st_qlen_lo(i));
		json_kv_uint(j, "hi", st_qlen_hi(i));
		json_kv_uint(j, "count", b[i]);
		json_end_object(j);
	}
	json_end_array(j);
}

void st_hist_json(struct json *j, const struct st_hist *h)
{
	unsigned int i;

	json_begin_object(j);
	json_kv_string(j, "name", h->name);
	json_kv_string(j, "unit", st_hist_unit(h));
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
