// SPDX-License-Identifier: GPL-2.0
/*
 * Formatting and argument parsing of top, hist, watch and filter:
 * addresses, KB, connect results, filter text, netns/pid/port/seconds
 * arguments, and watch's event lines and JSON.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/socktap.h>

#include "event.h"
#include "fmt.h"
#include "unit.h"

static char buf[256];

static const char *addr(const void *a, size_t len)
{
	return st_fmt_addr(a, len, buf, sizeof(buf));
}

static const char *kb(uint64_t b)
{
	return st_fmt_kb(b, buf, sizeof(buf));
}

static const char *result(int64_t r)
{
	return st_result_text(r, buf, sizeof(buf));
}

static const char *filter(uint32_t pid, uint32_t port, uint32_t netns)
{
	return st_fmt_filter(pid, port, netns, buf, sizeof(buf));
}

static int netns_ok(const char *arg, uint32_t want)
{
	const char *why = NULL;
	uint32_t v = 0;

	return st_parse_netns(arg, &v, &why) == 0 && v == want;
}

static int netns_bad(const char *arg)
{
	const char *why = NULL;
	uint32_t v = 0;

	return st_parse_netns(arg, &v, &why) == -1 && why != NULL;
}

static int secs_ok(const char *arg, uint64_t want_ms)
{
	const char *why = NULL;
	uint64_t v = 0;

	return st_parse_seconds(arg, &v, &why) == 0 && v == want_ms;
}

static int secs_bad(const char *arg)
{
	const char *why = NULL;
	uint64_t v = 0;

	return st_parse_seconds(arg, &v, &why) == -1 && why != NULL;
}

static int id_ok(const char *arg, uint32_t max, uint32_t want)
{
	const char *why = NULL;
	uint32_t v = 0;

	return st_parse_id(arg, max, &v, &why) == 0 && v == want;
}

static int id_bad(const char *arg, uint32_t max)
{
	const char *why = NULL;
	uint32_t v = 0;

	return st_parse_id(arg, max, &v, &why) == -1 && why != NULL;
}

/* The inode of our own network namespace, the way readlink shows it. */
static void test_netns_self(void)
{
	char link[64], want[64];
	struct stat st;
	ssize_t n;

	n = readlink("/proc/self/ns/net", link, sizeof(link) - 1);
	if (n < 0 || stat("/proc/self/ns/net", &st)) {
		printf("PASS unit/netns_self_skipped_no_proc\n");
		return;
	}
	link[n] = '\0';
	snprintf(want, sizeof(want), "net:[%llu]", (unsigned long long)st.st_ino);
	CHECK_STR("netns_readlink_form", link, want);
	CHECK("netns_path_proc_self", netns_ok("/proc/self/ns/net", (uint32_t)st.st_ino));
	CHECK("netns_readlink_string", netns_ok(link, (uint32_t)st.st_ino));
	CHECK("netns_not_nsfs", netns_bad("/proc/self/status"));
}

static char *render_line(const struct st_event *e, uint64_t start, int t)
{
	struct st_ev_clock clk = { .start_ns = start, .rel = t };
	static char out[512];
	FILE *f = fmemopen(out, sizeof(out), "w");

	if (!f)
		abort();
	st_event_line(f, e, &clk);
	fclose(f);
	return out;
}

static char *render_header(unsigned int type, int t)
{
	static char out[512];
	FILE *f = fmemopen(out, sizeof(out), "w");

	if (!f)
		abort();
	st_event_header(f, type, t);
	fclose(f);
	return out;
}

static char *render_json(const struct st_event *e)
{
	static char out[1024];
	FILE *f = fmemopen(out, sizeof(out), "w");
	struct json j;

	if (!f)
		abort();
	json_init(&j, f);
	st_event_json(&j, e);
	json_finish(&j);
	fclose(f);
	return out;
}

static void test_events(void)
{
	static const unsigned char lo4[4] = { 127, 0, 0, 1 };
	static const unsigned char ten[4] = { 10, 1, 2, 3 };
	static const unsigned char lo6[16] = { [15] = 1 };
	struct st_event e;

	memset(&e, 0, sizeof(e));
	e.type = SOCKTAP_EV_CONNECT;
	e.has = ST_EV_BIT(SOCKTAP_A_EV_TYPE) | ST_EV_BIT(SOCKTAP_A_EV_TIME) |
		ST_EV_BIT(SOCKTAP_A_EV_PID) | ST_EV_BIT(SOCKTAP_A_EV_COMM) |
		ST_EV_BIT(SOCKTAP_A_EV_FAMILY) | ST_EV_BIT(SOCKTAP_A_EV_DADDR) |
		ST_EV_BIT(SOCKTAP_A_EV_DPORT) | ST_EV_BIT(SOCKTAP_A_EV_LATENCY) |
		ST_EV_BIT(SOCKTAP_A_EV_RESULT);
	e.time_ns = 5500000000ull;
	e.pid = 4242;
	snprintf(e.comm, sizeof(e.comm), "curl");
	e.family = AF_INET;
	memcpy(e.daddr, ten, 4);
	e.daddr_len = 4;
	e.dport = 443;
	e.latency_ns = 43999;
	e.result = -EINPROGRESS;
	CHECK_STR("ev_connect_header", render_header(SOCKTAP_EV_CONNECT, 0),
		  "PID     COMM             FAM ADDRESS          PORT   LAT(us) RESULT\n");
	CHECK_STR("ev_connect_line", render_line(&e, 0, 0),
		  "4242    curl             2   10.1.2.3         443         43 In progress\n");
	CHECK_STR("ev_connect_time", render_line(&e, 5000000000ull, 1),
		  "0.500      4242    curl             2   10.1.2.3         443         43 In progress\n");
	CHECK_STR("ev_connect_json", render_json(&e),
		  "{\"type\":\"connect\",\"time_ns\":5500000000,\"pid\":4242,\"comm\":\"curl\",\"family\":\"inet\",\"daddr\":\"10.1.2.3\",\"dport\":443,\"latency_ns\":43999,\"result\":-115}\n");

	memset(&e, 0, sizeof(e));
	e.type = SOCKTAP_EV_LIFE;
	e.has = ST_EV_BIT(SOCKTAP_A_EV_TYPE) | ST_EV_BIT(SOCKTAP_A_EV_SADDR) |
		ST_EV_BIT(SOCKTAP_A_EV_DADDR) | ST_EV_BIT(SOCKTAP_A_EV_FAMILY) |
		ST_EV_BIT(SOCKTAP_A_EV_TX_BYTES) | ST_EV_BIT(SOCKTAP_A_EV_DURATION);
	e.pid = 7;
	snprintf(e.comm, sizeof(e.comm), "python3");
	e.family = AF_INET6;
	memcpy(e.saddr, lo6, 16);
	memcpy(e.daddr, lo6, 16);
	e.saddr_len = e.daddr_len = 16;
	e.sport = 40000;
	e.dport = 8080;
	e.tx_bytes = 5000;
	e.rx_bytes = 1023;
	e.duration_ns = 1234567;
	CHECK_STR("ev_life_header", render_header(SOCKTAP_EV_LIFE, 1),
		  "TIME(s)    PID     COMM             LADDR           LPORT RADDR           RPORT  TX_KB  RX_KB MS\n");
	CHECK_STR("ev_life_line", render_line(&e, 0, 0),
		  "7       python3          ::1             40000 ::1             8080       4      0 1.23\n");
	CHECK_STR("ev_life_json_only_present", render_json(&e),
		  "{\"type\":\"life\",\"family\":\"inet6\",\"saddr\":\"::1\",\"daddr\":\"::1\",\"tx_bytes\":5000,\"duration_ns\":1234567}\n");
	memcpy(e.saddr, lo4, 4);
	e.saddr_len = 4;
	e.daddr_len = 0;
	CHECK_STR("ev_life_bad_addr", render_line(&e, 0, 0),
		  "7       python3          127.0.0.1       40000 ?               8080       4      0 1.23\n");

	CHECK("ev_type_connect", st_event_type_parse("connect") == SOCKTAP_EV_CONNECT);
	CHECK("ev_type_life", st_event_type_parse("life") == SOCKTAP_EV_LIFE);
	CHECK("ev_type_bad", st_event_type_parse("conn") == 0);
	CHECK_STR("ev_type_name_unknown", st_event_type_name(99), "unknown");
}

int main(void)
{
	static const unsigned char v4[4] = { 192, 168, 0, 1 };
	static const unsigned char v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const unsigned char mapped[16] = { [10] = 0xff, [11] = 0xff,
						  127, 0, 0, 1 };

	CHECK_STR("addr_v4", addr(v4, 4), "192.168.0.1");
	CHECK_STR("addr_v6", addr(v6, 16), "2001:db8::1");
	CHECK_STR("addr_v6_mapped", addr(mapped, 16), "::ffff:127.0.0.1");
	CHECK_STR("addr_bad_len", addr(v6, 8), "?");
	/* The hand-made IPv4 path against inet_ntop, every octet value. */
	{
		unsigned char a4[4];
		char want[INET_ADDRSTRLEN];
		int i, v, same = 1;

		for (i = 0; i < 4; i++)
			for (v = 0; v < 256; v++) {
				memcpy(a4, "\x0a\x00\xff\x07", 4);
				a4[i] = (unsigned char)v;
				inet_ntop(AF_INET, a4, want, sizeof(want));
				if (strcmp(addr(a4, 4), want))
					same = 0;
			}
		CHECK("addr_v4_every_octet_as_inet_ntop", same);
	}
	CHECK_STR("addr_null", addr(NULL, 4), "?");

	CHECK_STR("kb_zero", kb(0), "0.0");
	CHECK_STR("kb_one", kb(1024), "1.0");
	CHECK_STR("kb_half", kb(1536), "1.5");
	CHECK_STR("kb_round_down", kb(1000), "1.0");
	CHECK_STR("kb_small", kb(51), "0.0");
	CHECK_STR("kb_round_up", kb(52), "0.1");
	CHECK_STR("kb_carry", kb(2047), "2.0");
	CHECK_STR("kb_u64_max", kb(UINT64_MAX), "18014398509481984.0");

	CHECK_STR("result_ok", result(0), "OK");
	CHECK_STR("result_inprogress", result(-EINPROGRESS), "In progress");
	CHECK_STR("result_refused", result(-ECONNREFUSED), "Refused");
	CHECK_STR("result_unreach", result(-ENETUNREACH), strerror(ENETUNREACH));
	CHECK_STR("result_positive", result(3), "returned 3");
	CHECK_STR("result_huge_negative", result(-100000), "returned -100000");

	CHECK_STR("proto_tcp", st_proto_name(SOCKTAP_PROTO_TCP, 0), "TCP");
	CHECK_STR("proto_udp_lower", st_proto_name(SOCKTAP_PROTO_UDP, 1), "udp");
	CHECK_STR("proto_other", st_proto_name(77, 0), "other");
	CHECK_STR("family_inet6", st_family_name(SOCKTAP_FAMILY_INET6, 0), "INET6");
	CHECK_STR("family_inet_lower", st_family_name(SOCKTAP_FAMILY_INET, 1), "inet");
	CHECK_STR("family_other", st_family_name(SOCKTAP_FAMILY_OTHER, 1), "other");
	CHECK_STR("af_inet6", st_af_name(AF_INET6), "inet6");
	CHECK_STR("af_unix", st_af_name(AF_UNIX), "other");

	CHECK_STR("filter_none", filter(0, 0, 0), "none");
	CHECK_STR("filter_pid", filter(123, 0, 0), "pid 123 port any netns any");
	CHECK_STR("filter_all", filter(1, 80, 4026531840u),
		  "pid 1 port 80 netns 4026531840");

	CHECK("netns_number", netns_ok("4026531840", 4026531840u));
	CHECK("netns_readlink", netns_ok("net:[4026532001]", 4026532001u));
	CHECK("netns_zero", netns_bad("0"));
	CHECK("netns_too_big", netns_bad("4294967296"));
	CHECK("netns_junk", netns_bad("12ab"));
	CHECK("netns_bracket_open", netns_bad("net:[123"));
	CHECK("netns_bracket_empty", netns_bad("net:[]"));
	CHECK("netns_empty", netns_bad(""));
	CHECK("netns_missing_path", netns_bad("/nonexistent/ns/net"));
	CHECK("netns_not_a_path", netns_bad("eth0"));
	test_netns_self();

	CHECK("id_pid", id_ok("1234", INT32_MAX, 1234));
	CHECK("id_port_max", id_ok("65535", 65535, 65535));
	CHECK("id_port_over", id_bad("65536", 65535));
	CHECK("id_zero", id_bad("0", 65535));
	CHECK("id_negative", id_bad("-5", 65535));

	CHECK("secs_whole", secs_ok("1", 1000));
	CHECK("secs_half", secs_ok("0.5", 500));
	CHECK("secs_ms", secs_ok("2.25", 2250));
	CHECK("secs_three_decimals", secs_ok("0.001", 1));
	CHECK("secs_day", secs_ok("86400", 86400000));
	CHECK("secs_zero", secs_bad("0"));
	CHECK("secs_zero_decimal", secs_bad("0.000"));
	CHECK("secs_four_decimals", secs_bad("0.0001"));
	CHECK("secs_over_day", secs_bad("86401"));
	CHECK("secs_huge", secs_bad("99999999999999999999999"));
	CHECK("secs_trailing_dot", secs_bad("1."));
	CHECK("secs_leading_dot", secs_bad(".5"));
	CHECK("secs_two_dots", secs_bad("1.2.3"));
	CHECK("secs_negative", secs_bad("-1"));
	CHECK("secs_empty", secs_bad(""));

	test_events();
	UNIT_EXIT();
}
