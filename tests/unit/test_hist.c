// SPDX-License-Identifier: GPL-2.0
/* hist: bucket labels, bar scaling, deltas, means, the printed layout. */
#include <stdlib.h>

#include "hist.h"
#include "sizehist.h"
#include "unit.h"

static char buf[64];

static const char *label(unsigned int i)
{
	return st_hist_label(i, buf, sizeof(buf));
}

static char *render(const struct st_hist *h, int json)
{
	static char out[8192];
	FILE *f = fmemopen(out, sizeof(out), "w");
	struct json j;

	if (!f)
		abort();
	if (json) {
		json_init(&j, f);
		st_hist_json(&j, h);
		json_finish(&j);
	} else {
		st_hist_print(f, h);
	}
	fclose(f);
	return out;
}

static void hist_init(struct st_hist *h, const char *name)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "%s", name);
}

static void test_labels(void)
{
	CHECK_STR("label_bucket0", label(0), "[0, 2)");
	CHECK_STR("label_bucket1", label(1), "[2, 4)");
	CHECK_STR("label_512", label(9), "[512, 1K)");
	CHECK_STR("label_1K", label(10), "[1K, 2K)");
	CHECK_STR("label_16K", label(14), "[16K, 32K)");
	CHECK_STR("label_512K", label(19), "[512K, 1M)");
	CHECK_STR("label_1M", label(20), "[1M, 2M)");
	CHECK_STR("label_1G", label(30), "[1G, 2G)");
	CHECK_STR("label_1T", label(40), "[1T, 2T)");
	CHECK_STR("label_1P", label(50), "[1P, 2P)");
	CHECK_STR("label_last", label(63), "[8E, 16E)");
	CHECK("lo_bucket0", st_hist_lo(0) == 0);
	CHECK("lo_bucket10", st_hist_lo(10) == 1024);
	CHECK("hi_bucket0", st_hist_hi(0) == 2);
	CHECK("hi_bucket62", st_hist_hi(62) == (uint64_t)1 << 63);
	CHECK("hi_bucket63_saturates", st_hist_hi(63) == UINT64_MAX);
}

static void test_bars(void)
{
	CHECK("bar_max", st_hist_bar(7, 7, 52) == 52);
	CHECK("bar_half", st_hist_bar(5, 10, 52) == 26);
	CHECK("bar_truncates", st_hist_bar(1, 3, 52) == 17);
	CHECK("bar_tiny_is_empty", st_hist_bar(1, 100, 52) == 0);
	CHECK("bar_zero", st_hist_bar(0, 100, 52) == 0);
	CHECK("bar_no_max", st_hist_bar(3, 0, 52) == 0);
	CHECK("bar_huge_no_overflow",
	      st_hist_bar(UINT64_MAX / 2, UINT64_MAX, 52) == 25);
}

static void test_ids(void)
{
	unsigned int ids[2] = { 99, 99 };

	CHECK("ids_connect", st_hist_ids("connect", ids) == 1 &&
	      ids[0] == SOCKTAP_HIST_CONNECT);
	CHECK("ids_async", st_hist_ids("connect-async", ids) == 1 &&
	      ids[0] == SOCKTAP_HIST_CONNECT_ASYNC);
	CHECK("ids_first_byte", st_hist_ids("first-byte", ids) == 1 &&
	      ids[0] == SOCKTAP_HIST_FIRST_BYTE);
	CHECK("ids_lifetime_two", st_hist_ids("lifetime", ids) == 2 &&
	      ids[0] == SOCKTAP_HIST_LIFETIME &&
	      ids[1] == SOCKTAP_HIST_LIFETIME_EST);
	CHECK("ids_send_size", st_hist_ids("tcp-send-size", ids) == 1 &&
	      ids[0] == SOCKTAP_HIST_TCP_SEND_SIZE);
	CHECK("ids_recv_size", st_hist_ids("tcp-recv-size", ids) == 1 &&
	      ids[0] == SOCKTAP_HIST_TCP_RECV_SIZE);
	CHECK("ids_state_time", st_hist_ids("tcp-state-time", ids) == 1 &&
	      ids[0] == SOCKTAP_HIST_STATE_TIME);
	CHECK_STR("id_name_state_time", st_hist_id_name(SOCKTAP_HIST_STATE_TIME),
		  "tcp-state-time");
	CHECK("ids_established_alone", st_hist_ids("lifetime-established", ids) == 0);
	CHECK("ids_unknown", st_hist_ids("connects", ids) == 0);
	CHECK_STR("id_name", st_hist_id_name(SOCKTAP_HIST_LIFETIME_EST),
		  "lifetime-established");
	CHECK_STR("id_name_bad", st_hist_id_name(__SOCKTAP_HIST_MAX), "?");
	CHECK("ids_tcp_sendmsg", st_hist_ids("tcp-sendmsg", ids) == 1 &&
	      ids[0] == SOCKTAP_HIST_TCP_SENDMSG);
	CHECK("ids_tcp_recvmsg", st_hist_ids("tcp-recvmsg", ids) == 1 &&
	      ids[0] == SOCKTAP_HIST_TCP_RECVMSG);
	CHECK("ids_udp_sendmsg", st_hist_ids("udp-sendmsg", ids) == 1 &&
	      ids[0] == SOCKTAP_HIST_UDP_SENDMSG);
	CHECK("ids_udp_recvmsg", st_hist_ids("udp-recvmsg", ids) == 1 &&
	      ids[0] == SOCKTAP_HIST_UDP_RECVMSG);
	CHECK("ids_every_id_named", st_hist_id_name(__SOCKTAP_HIST_MAX - 1) &&
	      strcmp(st_hist_id_name(__SOCKTAP_HIST_MAX - 1), "?"));
}

static char *render_sizes(const struct st_size_list *l, unsigned int mask,
			  uint32_t pid, int json)
{
	static char out[16384];
	FILE *f;

	out[0] = '\0';
	f = fmemopen(out, sizeof(out), "w");
	if (!f)
		abort();
	if (json)
		st_size_json(f, l, mask, pid);
	else
		st_size_print(f, l, mask, pid);
	fclose(f);
	return out;
}

/* Per-process size histograms (hist -P). */
static void test_sizes(void)
{
	uint64_t b[SOCKTAP_SIZE_BUCKETS] = { 0 }, big[SOCKTAP_HIST_BUCKETS + 8];
	struct st_size_list base = { 0 }, cur = { 0 }, d = { 0 };
	struct st_size_proc *p;
	char *names[] = { "udp-recvmsg", "tcp-sendmsg" }, *bad_names[] = { "connect" };
	unsigned int mask;
	const char *bad = NULL;

	CHECK("size_slot_first", st_size_slot(SOCKTAP_HIST_TCP_SENDMSG) == 0);
	CHECK("size_slot_last", st_size_slot(SOCKTAP_HIST_UDP_RECVMSG) == 3);
	CHECK("size_slot_latency", st_size_slot(SOCKTAP_HIST_CONNECT) == -1);
	CHECK("size_slot_beyond", st_size_slot(SOCKTAP_HIST_TCP_SENDMSG +
					       SOCKTAP_SIZE_HISTS) == -1);
	CHECK("size_mask_all", !st_size_mask(NULL, 0, &mask, &bad) && mask == 0xf);
	CHECK("size_mask_two", !st_size_mask(names, 2, &mask, &bad) && mask == 0x9);
	CHECK("size_mask_bad", st_size_mask(bad_names, 1, &mask, &bad) == -1 &&
	      !strcmp(bad, "connect"));

	/* curl 1234: 3 tcp sends of [1K, 2K), 1 of [0, 2); iperf3: 5 [64K, 128K) */
	b[10] = 3;
	b[0] = 1;
	p = st_size_add(&base, 1234, "curl");
	CHECK("size_add", p != NULL);
	if (!p)
		return;
	st_size_set(p, 0, "tcp-sendmsg", b, sizeof(b), 3 * 1500);
	CHECK("size_set_count", p->h[0].count == 4 && p->have == 1 &&
	      !strcmp(p->h[0].unit, "bytes"));
	memset(b, 0, sizeof(b));
	b[16] = 5;
	p = st_size_add(&base, 99, "iperf3");
	st_size_set(p, 0, NULL, b, sizeof(b), 5 * 65536);
	st_size_set(p, 3, NULL, b, 2 * sizeof(b[0]) + 3, 0);	/* short, ragged */
	CHECK_STR("size_default_name", p->h[3].name, "udp-recvmsg");
	CHECK("size_short_buckets", p->h[3].count == 0 && p->have == 0x9);
	/* Longer than ours: cut, not overflowed. */
	memset(big, 0, sizeof(big));
	big[SOCKTAP_HIST_BUCKETS - 1] = 1;
	big[SOCKTAP_HIST_BUCKETS + 2] = 7;
	st_size_set(p, 1, "tcp-recvmsg", big, sizeof(big), 0);
	CHECK("size_long_buckets", p->h[1].count == 1);

	CHECK_STR("size_print_key",
		  render_sizes(&base, 0x1, 0, 0),
		  "@tcp_sendmsg_bytes[curl, 1234]:\n"
		  "[0, 2)                 1 |@@@@@@@@@@@@@@@@@                                   |\n"
		  "[2, 4)                 0 |                                                    |\n"
		  "[4, 8)                 0 |                                                    |\n"
		  "[8, 16)                0 |                                                    |\n"
		  "[16, 32)               0 |                                                    |\n"
		  "[32, 64)               0 |                                                    |\n"
		  "[64, 128)              0 |                                                    |\n"
		  "[128, 256)             0 |                                                    |\n"
		  "[256, 512)             0 |                                                    |\n"
		  "[512, 1K)              0 |                                                    |\n"
		  "[1K, 2K)               3 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		  "count 4, mean 1125.0 bytes\n"
		  "\n"
		  "@tcp_sendmsg_bytes[iperf3, 99]:\n"
		  "[64K, 128K)            5 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		  "count 5, mean 65536.0 bytes\n");
	CHECK_STR("size_print_pid",
		  render_sizes(&base, 0xf, 99, 0),
		  "@tcp_sendmsg_bytes[iperf3, 99]:\n"
		  "[64K, 128K)            5 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		  "count 5, mean 65536.0 bytes\n"
		  "\n"
		  "@tcp_recvmsg_bytes[iperf3, 99]:\n"
		  "[8E, 16E)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		  "count 1, mean 0.0 bytes\n");
	CHECK_STR("size_print_none", render_sizes(&base, 0x4, 0, 0), "");
	CHECK_STR("size_json",
		  render_sizes(&base, 0x1, 1234, 1),
		  "{\"processes\":[{\"pid\":1234,\"comm\":\"curl\",\"histograms\":[{\"name\":\"tcp-sendmsg\","
		  "\"unit\":\"bytes\",\"count\":4,\"sum\":4500,\"buckets\":["
		  "{\"lo\":0,\"hi\":2,\"count\":1},{\"lo\":1024,\"hi\":2048,\"count\":3}]}]}]}\n");
	CHECK_STR("size_json_none", render_sizes(&base, 0x4, 0, 1),
		  "{\"processes\":[]}\n");

	/* Interval: curl sent one more, iperf3 nothing, a new process. */
	p = st_size_add(&cur, 99, "iperf3");
	p->have = base.v[1].have;
	memcpy(p->h, base.v[1].h, sizeof(p->h));
	p = st_size_add(&cur, 1234, "curl");
	memset(b, 0, sizeof(b));
	b[10] = 4;
	b[0] = 1;
	st_size_set(p, 0, NULL, b, sizeof(b), 4 * 1500);
	p = st_size_add(&cur, 7, "dig");
	memset(b, 0, sizeof(b));
	b[6] = 2;
	st_size_set(p, 2, NULL, b, sizeof(b), 2 * 80);
	CHECK("size_delta", st_size_delta(&cur, &base, &d) == 0);
	CHECK("size_delta_rows", d.n == 2 && d.v[0].pid == 1234 && d.v[1].pid == 7);
	CHECK("size_delta_curl", d.v[0].h[0].count == 1 && d.v[0].h[0].b[10] == 1 &&
	      d.v[0].h[0].sum == 1500 && d.v[0].have == 1);
	CHECK("size_delta_new", d.v[1].h[2].count == 2 && d.v[1].have == 4);
	st_size_free(&base);
	st_size_free(&cur);
	st_size_free(&d);
}

static void test_delta(void)
{
	struct st_hist a, b, d;
	int reset;

	hist_init(&a, "connect");
	hist_init(&b, "connect");
	b.b[3] = 2;
	b.b[10] = 5;
	b.sum = 6000;
	a = b;
	a.b[10] = 8;
	a.b[12] = 1;
	a.sum = 6000 + 3 * 1500 + 5000;
	reset = st_hist_delta(&a, &b, &d);
	CHECK("delta_no_reset", reset == 0);
	CHECK("delta_buckets", d.b[3] == 0 && d.b[10] == 3 && d.b[12] == 1);
	CHECK("delta_count", d.count == 4);
	CHECK("delta_sum", d.sum == 9500);
	CHECK("delta_mean", st_hist_mean_us(&d) > 2.374 && st_hist_mean_us(&d) < 2.376);

	/* A reset in between: the bucket went backwards, show cur as is. */
	a.b[3] = 1;
	reset = st_hist_delta(&a, &b, &d);
	CHECK("delta_reset_detected", reset == 1);
	CHECK("delta_reset_is_cur", d.b[3] == 1 && d.b[10] == 8 && d.count == 10);
	hist_init(&d, "x");
	CHECK("mean_empty", st_hist_mean_us(&d) == 0.0);
}

static void test_print(void)
{
	struct st_hist h;

	hist_init(&h, "connect-async");
	h.b[14] = 3;
	h.b[16] = 6;
	h.b[17] = 1;
	h.sum = 3 * 20000 + 6 * 70000 + 150000;
	st_hist_recount(&h);
	CHECK_STR("print_bpftrace_layout", render(&h, 0),
		  "@connect_async_ns:\n"
		  "[16K, 32K)             3 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		  "[32K, 64K)             0 |                                                    |\n"
		  "[64K, 128K)            6 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		  "[128K, 256K)           1 |@@@@@@@@                                            |\n"
		  "count 10, mean 63.000 us\n");
	CHECK_STR("print_json", render(&h, 1),
		  "{\"name\":\"connect-async\",\"unit\":\"ns\",\"count\":10,\"sum\":630000,"
		  "\"buckets\":[{\"lo\":16384,\"hi\":32768,\"count\":3},"
		  "{\"lo\":65536,\"hi\":131072,\"count\":6},"
		  "{\"lo\":131072,\"hi\":262144,\"count\":1}]}\n");

	hist_init(&h, "lifetime-established");
	CHECK_STR("print_empty", render(&h, 0),
		  "@lifetime_established_ns:\ncount 0, mean 0.000 us\n");
	CHECK_STR("json_empty", render(&h, 1),
		  "{\"name\":\"lifetime-established\",\"unit\":\"ns\",\"count\":0,\"sum\":0,\"buckets\":[]}\n");

	hist_init(&h, "first-byte");
	h.b[0] = 2;
	h.sum = 1;
	st_hist_recount(&h);
	CHECK_STR("print_bucket0", render(&h, 0),
		  "@first_byte_ns:\n"
		  "[0, 2)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		  "count 2, mean 0.001 us\n");
	CHECK_STR("json_bucket0_lo_zero", render(&h, 1),
		  "{\"name\":\"first-byte\",\"unit\":\"ns\",\"count\":2,\"sum\":1,"
		  "\"buckets\":[{\"lo\":0,\"hi\":2,\"count\":2}]}\n");
}

static void test_units(void)
{
	struct st_hist h;

	hist_init(&h, "tcp-send-size");
	snprintf(h.unit, sizeof(h.unit), "bytes");
	h.b[0] = 2;	/* pure ACKs */
	h.b[10] = 1;
	h.b[11] = 1;
	h.sum = 1448 + 2896;
	st_hist_recount(&h);
	CHECK_STR("unit_bytes_print", render(&h, 0),
		  "@tcp_send_size_bytes:\n"
		  "[0, 2)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		  "[2, 4)                 0 |                                                    |\n"
		  "[4, 8)                 0 |                                                    |\n"
		  "[8, 16)                0 |                                                    |\n"
		  "[16, 32)               0 |                                                    |\n"
		  "[32, 64)               0 |                                                    |\n"
		  "[64, 128)              0 |                                                    |\n"
		  "[128, 256)             0 |                                                    |\n"
		  "[256, 512)             0 |                                                    |\n"
		  "[512, 1K)              0 |                                                    |\n"
		  "[1K, 2K)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		  "[2K, 4K)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		  "count 4, mean 1086.0 bytes\n");
	CHECK_STR("unit_bytes_json", render(&h, 1),
		  "{\"name\":\"tcp-send-size\",\"unit\":\"bytes\",\"count\":4,\"sum\":4344,"
		  "\"buckets\":[{\"lo\":0,\"hi\":2,\"count\":2},"
		  "{\"lo\":1024,\"hi\":2048,\"count\":1},"
		  "{\"lo\":2048,\"hi\":4096,\"count\":1}]}\n");
	hist_init(&h, "tcp-recv-size");
	snprintf(h.unit, sizeof(h.unit), "bytes");
	CHECK_STR("unit_bytes_empty", render(&h, 0),
		  "@tcp_recv_size_bytes:\ncount 0, mean 0.0 bytes\n");
	/* No unit from the module (an older one): ns. */
	hist_init(&h, "tcp-state-time");
	CHECK_STR("unit_default_ns", st_hist_unit(&h), "ns");
	CHECK_STR("unit_default_ns_print", render(&h, 0),
		  "@tcp_state_time_ns:\ncount 0, mean 0.000 us\n");
	snprintf(h.unit, sizeof(h.unit), "entries");
	CHECK_STR("unit_other_json", render(&h, 1),
		  "{\"name\":\"tcp-state-time\",\"unit\":\"entries\",\"count\":0,\"sum\":0,\"buckets\":[]}\n");
}

static const char *qlabel(unsigned int i)
{
	return st_qlen_label(i, buf, sizeof(buf));
}

static void test_qlen(void)
{
	uint64_t b[SOCKTAP_QLEN_BUCKETS] = { 0 };
	static char out[4096];
	FILE *f;

	CHECK_STR("qlen_label_0", qlabel(0), "[0]");
	CHECK_STR("qlen_label_1", qlabel(1), "[1]");
	CHECK_STR("qlen_label_2", qlabel(2), "[2, 4)");
	CHECK_STR("qlen_label_3", qlabel(3), "[4, 8)");
	CHECK_STR("qlen_label_10", qlabel(10), "[512, 1K)");
	CHECK_STR("qlen_label_11", qlabel(11), "[1K, 2K)");
	CHECK_STR("qlen_label_21", qlabel(21), "[1M, 2M)");
	CHECK_STR("qlen_label_22", qlabel(22), "[2M, 4M)");
	CHECK_STR("qlen_label_last", qlabel(SOCKTAP_QLEN_BUCKETS - 1), "[4M, ...)");
	CHECK("qlen_lo_0", st_qlen_lo(0) == 0);
	CHECK("qlen_hi_0", st_qlen_hi(0) == 1);
	CHECK("qlen_lo_1", st_qlen_lo(1) == 1);
	CHECK("qlen_hi_1", st_qlen_hi(1) == 2);
	CHECK("qlen_lo_5", st_qlen_lo(5) == 16);
	CHECK("qlen_hi_5", st_qlen_hi(5) == 32);
	CHECK("qlen_hi_last", st_qlen_hi(SOCKTAP_QLEN_BUCKETS - 1) == UINT64_MAX);

	b[1] = 3;
	b[3] = 6;
	b[SOCKTAP_QLEN_BUCKETS - 1] = 1;
	f = fmemopen(out, sizeof(out), "w");
	if (!f)
		abort();
	st_hist_rows(f, b, 4, st_qlen_label);
	fclose(f);
	CHECK_STR("qlen_rows", out,
		  "[1]                    3 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		  "[2, 4)                 0 |                                                    |\n"
		  "[4, 8)                 6 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
	memset(b, 0, sizeof(b));
	f = fmemopen(out, sizeof(out), "w");
	if (!f)
		abort();
	fputs("x", f);
	st_hist_rows(f, b, SOCKTAP_QLEN_BUCKETS, st_qlen_label);
	fclose(f);
	CHECK_STR("qlen_rows_empty", out, "x");
}

int main(void)
{
	test_labels();
	test_bars();
	test_ids();
	test_delta();
	test_print();
	test_units();
	test_qlen();
	test_sizes();
	UNIT_EXIT();
}
