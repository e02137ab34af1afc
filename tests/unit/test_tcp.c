// SPDX-License-Identifier: GPL-2.0
/*
 * TCP layer of the CLI: state, retransmit, reset and overflow names,
 * watch's accept/state/retrans/reset/overflow lines and JSON, per-flow
 * retransmit counts (watch retrans -c), accepts per host and port
 * (watch accept -c), the TCP counter array of any
 * width, and the listener table of 'socktap backlog'.
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include <linux/socktap.h>

#include "event.h"
#include "fmt.h"
#include "tcpstat.h"
#include "render.h"
#include "unit.h"

static char sbuf[64];

/* Everything a callback writes to a FILE, as one string. */
static const char *state(unsigned int s)
{
	return st_tcp_state_name(s, sbuf, sizeof(sbuf));
}

static void test_names(void)
{
	CHECK_STR("state_established", state(1), "ESTABLISHED");
	CHECK_STR("state_syn_sent", state(2), "SYN_SENT");
	CHECK_STR("state_syn_recv", state(3), "SYN_RECV");
	CHECK_STR("state_fin_wait1", state(4), "FIN_WAIT1");
	CHECK_STR("state_fin_wait2", state(5), "FIN_WAIT2");
	CHECK_STR("state_time_wait", state(6), "TIME_WAIT");
	CHECK_STR("state_close", state(7), "CLOSE");
	CHECK_STR("state_close_wait", state(8), "CLOSE_WAIT");
	CHECK_STR("state_last_ack", state(9), "LAST_ACK");
	CHECK_STR("state_listen", state(10), "LISTEN");
	CHECK_STR("state_closing", state(11), "CLOSING");
	CHECK_STR("state_new_syn_recv", state(12), "NEW_SYN_RECV");
	CHECK_STR("state_bound_inactive", state(13), "BOUND_INACTIVE");
	CHECK_STR("state_zero", state(0), "STATE(0)");
	CHECK_STR("state_unknown", state(14), "STATE(14)");
	CHECK_STR("state_huge", state(4000000000u), "STATE(4000000000)");

	CHECK_STR("rt_rto", st_retrans_type_name(SOCKTAP_RETRANS_RTO, 0), "RTO");
	CHECK_STR("rt_fast", st_retrans_type_name(SOCKTAP_RETRANS_FAST, 0), "FAST");
	CHECK_STR("rt_tlp", st_retrans_type_name(SOCKTAP_RETRANS_TLP, 0), "TLP");
	CHECK_STR("rt_syn", st_retrans_type_name(SOCKTAP_RETRANS_SYN, 0), "SYN");
	CHECK_STR("rt_synack", st_retrans_type_name(SOCKTAP_RETRANS_SYNACK, 0), "SYNACK");
	CHECK_STR("rt_other", st_retrans_type_name(SOCKTAP_RETRANS_OTHER, 0), "OTHER");
	CHECK_STR("rt_rto_lower", st_retrans_type_name(SOCKTAP_RETRANS_RTO, 1), "rto");
	CHECK_STR("rt_synack_lower", st_retrans_type_name(SOCKTAP_RETRANS_SYNACK, 1), "synack");
	CHECK_STR("rt_unknown", st_retrans_type_name(__SOCKTAP_RETRANS_MAX, 0), "?");
	CHECK_STR("rt_unknown_lower", st_retrans_type_name(99, 1), "?");
	CHECK("rt_letter_tlp", st_retrans_type_letter(SOCKTAP_RETRANS_TLP) == 'L');
	CHECK("rt_letter_rto", st_retrans_type_letter(SOCKTAP_RETRANS_RTO) == 'R');
	CHECK("rt_letter_fast", st_retrans_type_letter(SOCKTAP_RETRANS_FAST) == 'R');
	CHECK("rt_letter_syn", st_retrans_type_letter(SOCKTAP_RETRANS_SYN) == 'R');
	CHECK("rt_letter_synack", st_retrans_type_letter(SOCKTAP_RETRANS_SYNACK) == 'R');
	CHECK("rt_letter_other", st_retrans_type_letter(SOCKTAP_RETRANS_OTHER) == 'R');
	CHECK("rt_letter_unknown", st_retrans_type_letter(77) == 'R');

	CHECK_STR("reset_sent", st_reset_dir_name(SOCKTAP_RESET_SENT), "sent");
	CHECK_STR("reset_received", st_reset_dir_name(SOCKTAP_RESET_RECEIVED), "received");
	CHECK_STR("reset_unknown", st_reset_dir_name(2), "?");
	CHECK_STR("queue_accept", st_overflow_queue_name(SOCKTAP_TCP_LISTEN_OVERFLOW), "accept");
	CHECK_STR("queue_syn", st_overflow_queue_name(SOCKTAP_TCP_SYN_DROP), "syn");
	CHECK_STR("queue_unknown", st_overflow_queue_name(0), "?");

	CHECK("type_accept", st_event_type_parse("accept") == SOCKTAP_EV_ACCEPT);
	CHECK("type_state", st_event_type_parse("state") == SOCKTAP_EV_STATE);
	CHECK("type_retrans", st_event_type_parse("retrans") == SOCKTAP_EV_RETRANS);
	CHECK("type_reset", st_event_type_parse("reset") == SOCKTAP_EV_RESET);
	CHECK("type_overflow", st_event_type_parse("overflow") == SOCKTAP_EV_OVERFLOW);
	CHECK("type_drop", st_event_type_parse("drop") == SOCKTAP_EV_DROP);
	CHECK("timed_drop", st_event_type_timed(SOCKTAP_EV_DROP));
	CHECK("type_unknown", st_event_type_parse("unknown") == 0);
	CHECK_STR("type_name_drop", st_event_type_name(SOCKTAP_EV_DROP), "drop");
	CHECK_STR("type_name_zero", st_event_type_name(0), "unknown");
	CHECK("timed_retrans", st_event_type_timed(SOCKTAP_EV_RETRANS));
	CHECK("timed_not_state", !st_event_type_timed(SOCKTAP_EV_STATE));
}

static void test_endpoint(void)
{
	static const unsigned char v4[4] = { 192, 0, 2, 1 };
	static const unsigned char v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	char b[64];

	CHECK_STR("endpoint_v4", st_fmt_endpoint(v4, 4, 80, b, sizeof(b)), "192.0.2.1:80");
	CHECK_STR("endpoint_v6", st_fmt_endpoint(v6, 16, 443, b, sizeof(b)),
		  "[2001:db8::2]:443");
	CHECK_STR("endpoint_bad", st_fmt_endpoint(v4, 0, 7, b, sizeof(b)), "?:7");
}

static const unsigned char A1[4] = { 192, 0, 2, 1 };
static const unsigned char A2[4] = { 192, 0, 2, 2 };
static const unsigned char B6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

#define EVB(a) ST_EV_BIT(SOCKTAP_A_EV_##a)
#define EV_COMMON (EVB(TYPE) | EVB(TIME) | EVB(PID) | EVB(UID) | EVB(COMM) | \
		   EVB(NETNS) | EVB(FAMILY) | EVB(PROTO) | EVB(SADDR) | \
		   EVB(DADDR) | EVB(SPORT) | EVB(DPORT))

static void ev4(struct st_event *e, unsigned int type)
{
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->has = EV_COMMON;
	e->time_ns = 7000000000ull;
	e->pid = 321;
	e->uid = 1000;
	snprintf(e->comm, sizeof(e->comm), "nginx");
	e->netns = 4026531840u;
	e->family = AF_INET;
	e->proto = SOCKTAP_PROTO_TCP;
	memcpy(e->saddr, A1, 4);
	memcpy(e->daddr, A2, 4);
	e->saddr_len = e->daddr_len = 4;
	e->sport = 8080;
	e->dport = 51000;
}

static void test_lines(void)
{
	struct st_ev_clock rel = { .start_ns = 5000000000ull, .rel = 1 };
	/* 7 s after the epoch's 00:00:00 plus an hour: 01:00:07 UTC. */
	struct st_ev_clock wall = { .real_off_ns = 3600000000000ll };
	struct st_event e;

	CHECK_STR("hdr_accept", RENDER(512, st_event_header(f, SOCKTAP_EV_ACCEPT, 0)),
		  "UID    CMD              PID     PORT  IP_SOURCE       RADDR           RPORT LADDR           LPORT BL\n");
	ev4(&e, SOCKTAP_EV_ACCEPT);
	e.has |= EVB(BACKLOG) | EVB(BACKLOG_MAX) | EVB(SYNQ) | EVB(REASON);
	e.backlog = 0;
	e.backlog_max = 128;
	e.synq = 1;
	CHECK_STR("line_accept", RENDER(512, st_event_line(f, &e, &wall)),
		  "1000   nginx            321     8080  192.0.2.2       192.0.2.2       51000 192.0.2.1       8080  0/128\n");
	CHECK_STR("line_accept_rel", RENDER(512, st_event_line(f, &e, &rel)),
		  "2.000      1000   nginx            321     8080  192.0.2.2       192.0.2.2       51000 192.0.2.1       8080  0/128\n");
	CHECK_STR("json_accept", RENDER_JSON(1024, st_event_json(&j, &e)),
		  "{\"type\":\"accept\",\"time_ns\":7000000000,\"pid\":321,\"uid\":1000,"
		  "\"comm\":\"nginx\",\"netns\":4026531840,\"family\":\"inet\",\"proto\":\"tcp\","
		  "\"saddr\":\"192.0.2.1\",\"daddr\":\"192.0.2.2\",\"sport\":8080,\"dport\":51000,"
		  "\"backlog\":0,\"backlog_max\":128,\"synq\":1,\"reason\":0}\n");

	CHECK_STR("hdr_state", RENDER(512, st_event_header(f, SOCKTAP_EV_STATE, 0)),
		  "C-PID   C-COMM           LADDR           LPORT RADDR           RPORT OLDSTATE     -> NEWSTATE     MS\n");
	ev4(&e, SOCKTAP_EV_STATE);
	e.has |= EVB(OLDSTATE) | EVB(NEWSTATE) | EVB(DURATION);
	e.oldstate = 2;
	e.newstate = 1;
	e.duration_ns = 1234567;
	CHECK_STR("line_state", RENDER(512, st_event_line(f, &e, &wall)),
		  "321     nginx            192.0.2.1       8080  192.0.2.2       51000 SYN_SENT     -> ESTABLISHED  1.235\n");
	e.oldstate = 12;
	e.newstate = 99;
	e.duration_ns = 0;
	CHECK_STR("line_state_unknown", RENDER(512, st_event_line(f, &e, &wall)),
		  "321     nginx            192.0.2.1       8080  192.0.2.2       51000 NEW_SYN_RECV -> STATE(99)    0.000\n");
	e.oldstate = 7;
	e.newstate = 2;
	e.duration_ns = 42;
	CHECK_STR("json_state", RENDER_JSON(1024, st_event_json(&j, &e)),
		  "{\"type\":\"state\",\"time_ns\":7000000000,\"pid\":321,\"uid\":1000,"
		  "\"comm\":\"nginx\",\"netns\":4026531840,\"family\":\"inet\",\"proto\":\"tcp\","
		  "\"saddr\":\"192.0.2.1\",\"daddr\":\"192.0.2.2\",\"sport\":8080,\"dport\":51000,"
		  "\"duration_ns\":42,\"oldstate\":\"CLOSE\",\"newstate\":\"SYN_SENT\"}\n");

	CHECK_STR("hdr_retrans", RENDER(512, st_event_header(f, SOCKTAP_EV_RETRANS, 0)),
		  "TIME     PID     IP LADDR:LPORT           T> RADDR:RPORT           STATE        TYPE   SEGS\n");
	CHECK_STR("hdr_retrans_rel", RENDER(512, st_event_header(f, SOCKTAP_EV_RETRANS, 1)),
		  "TIME(s)    PID     IP LADDR:LPORT           T> RADDR:RPORT           STATE        TYPE   SEGS\n");
	ev4(&e, SOCKTAP_EV_RETRANS);
	e.has |= EVB(NEWSTATE) | EVB(RETRANS_TYPE) | EVB(SEGS);
	e.newstate = 1;
	e.retrans_type = SOCKTAP_RETRANS_RTO;
	e.segs = 2;
	CHECK_STR("line_retrans", RENDER(512, st_event_line(f, &e, &wall)),
		  "01:00:07 321     4  192.0.2.1:8080        R> 192.0.2.2:51000       ESTABLISHED  RTO    2\n");
	CHECK_STR("line_retrans_rel", RENDER(512, st_event_line(f, &e, &rel)),
		  "2.000      321     4  192.0.2.1:8080        R> 192.0.2.2:51000       ESTABLISHED  RTO    2\n");
	e.retrans_type = SOCKTAP_RETRANS_TLP;
	e.segs = 0;
	CHECK_STR("line_retrans_tlp", RENDER(512, st_event_line(f, &e, &wall)),
		  "01:00:07 321     4  192.0.2.1:8080        L> 192.0.2.2:51000       ESTABLISHED  TLP    0\n");
	CHECK_STR("json_retrans", RENDER_JSON(1024, st_event_json(&j, &e)),
		  "{\"type\":\"retrans\",\"time_ns\":7000000000,\"pid\":321,\"uid\":1000,"
		  "\"comm\":\"nginx\",\"netns\":4026531840,\"family\":\"inet\",\"proto\":\"tcp\","
		  "\"saddr\":\"192.0.2.1\",\"daddr\":\"192.0.2.2\",\"sport\":8080,\"dport\":51000,"
		  "\"state\":\"ESTABLISHED\",\"retrans_type\":\"tlp\",\"segs\":0}\n");
	e.family = AF_INET6;
	memcpy(e.daddr, B6, 16);
	e.daddr_len = 16;
	e.saddr_len = 16;
	memset(e.saddr, 0, 16);
	e.newstate = 3;
	e.retrans_type = SOCKTAP_RETRANS_SYNACK;
	e.segs = 1;
	CHECK_STR("line_retrans_v6", RENDER(512, st_event_line(f, &e, &wall)),
		  "01:00:07 321     6  [::]:8080             R> [2001:db8::1]:51000   SYN_RECV     SYNACK 1\n");

	CHECK_STR("hdr_reset", RENDER(512, st_event_header(f, SOCKTAP_EV_RESET, 0)),
		  "TIME     PID     COMM             DIR      LADDR:LPORT           RADDR:RPORT           STATE\n");
	ev4(&e, SOCKTAP_EV_RESET);
	e.has |= EVB(NEWSTATE) | EVB(REASON);
	e.newstate = 2;
	e.reason = SOCKTAP_RESET_RECEIVED;
	CHECK_STR("line_reset", RENDER(512, st_event_line(f, &e, &wall)),
		  "01:00:07 321     nginx            received 192.0.2.1:8080        192.0.2.2:51000       SYN_SENT\n");
	e.reason = SOCKTAP_RESET_SENT;
	CHECK_STR("json_reset", RENDER_JSON(1024, st_event_json(&j, &e)),
		  "{\"type\":\"reset\",\"time_ns\":7000000000,\"pid\":321,\"uid\":1000,"
		  "\"comm\":\"nginx\",\"netns\":4026531840,\"family\":\"inet\",\"proto\":\"tcp\","
		  "\"saddr\":\"192.0.2.1\",\"daddr\":\"192.0.2.2\",\"sport\":8080,\"dport\":51000,"
		  "\"state\":\"SYN_SENT\",\"direction\":\"sent\"}\n");

	CHECK_STR("hdr_overflow", RENDER(512, st_event_header(f, SOCKTAP_EV_OVERFLOW, 0)),
		  "TIME     PORT  PID     COMM             QUEUE  BACKLOG   MAX  SYNQ\n");
	ev4(&e, SOCKTAP_EV_OVERFLOW);
	e.has |= EVB(BACKLOG) | EVB(BACKLOG_MAX) | EVB(SYNQ) | EVB(REASON);
	e.backlog = 2;
	e.backlog_max = 1;
	e.synq = 0;
	e.reason = SOCKTAP_TCP_LISTEN_OVERFLOW;
	CHECK_STR("line_overflow", RENDER(512, st_event_line(f, &e, &wall)),
		  "01:00:07 8080  321     nginx            accept       2     1     0\n");
	e.reason = SOCKTAP_TCP_SYN_DROP;
	CHECK_STR("line_overflow_syn_rel", RENDER(512, st_event_line(f, &e, &rel)),
		  "2.000      8080  321     nginx            syn          2     1     0\n");
	CHECK_STR("json_overflow", RENDER_JSON(1024, st_event_json(&j, &e)),
		  "{\"type\":\"overflow\",\"time_ns\":7000000000,\"pid\":321,\"uid\":1000,"
		  "\"comm\":\"nginx\",\"netns\":4026531840,\"family\":\"inet\",\"proto\":\"tcp\","
		  "\"saddr\":\"192.0.2.1\",\"daddr\":\"192.0.2.2\",\"sport\":8080,\"dport\":51000,"
		  "\"backlog\":2,\"backlog_max\":1,\"synq\":0,\"queue\":\"syn\"}\n");
}

static void rt(struct st_event *e, const unsigned char *sa, uint16_t sport,
	       const unsigned char *da, uint16_t dport, unsigned int type,
	       uint32_t segs)
{
	ev4(e, SOCKTAP_EV_RETRANS);
	memcpy(e->saddr, sa, 4);
	memcpy(e->daddr, da, 4);
	e->sport = sport;
	e->dport = dport;
	e->retrans_type = type;
	e->segs = segs;
}

static void test_flows(void)
{
	struct st_flow_table t = { 0 };
	struct st_event e;
	int ok = 1;
	unsigned int i;

	rt(&e, A1, 22, A2, 40000, SOCKTAP_RETRANS_RTO, 1);
	ok &= !st_flow_add(&t, &e);
	rt(&e, A1, 22, A2, 40000, SOCKTAP_RETRANS_FAST, 3);
	ok &= !st_flow_add(&t, &e);
	rt(&e, A1, 22, A2, 40000, SOCKTAP_RETRANS_TLP, 0);
	ok &= !st_flow_add(&t, &e);
	/* Another flow: the same addresses, another port. */
	rt(&e, A1, 22, A2, 40001, SOCKTAP_RETRANS_RTO, 1);
	ok &= !st_flow_add(&t, &e);
	/* Another namespace: another flow, even with the same 4-tuple. */
	rt(&e, A1, 22, A2, 40001, SOCKTAP_RETRANS_RTO, 1);
	e.netns = 4026532000u;
	ok &= !st_flow_add(&t, &e);
	/* A type this CLI does not know counts as OTHER. */
	rt(&e, A2, 80, A1, 50000, 42, 1);
	ok &= !st_flow_add(&t, &e);
	rt(&e, A2, 80, A1, 50000, SOCKTAP_RETRANS_SYN, 1);
	ok &= !st_flow_add(&t, &e);
	CHECK("flow_add_ok", ok);
	CHECK("flow_count", t.n == 4);
	st_flow_sort(&t);
	CHECK("flow_sorted_first", t.v[0].total == 3 && t.v[0].dport == 40000 &&
	      t.v[0].segs == 4);
	CHECK("flow_by_type", t.v[0].by_type[SOCKTAP_RETRANS_RTO] == 1 &&
	      t.v[0].by_type[SOCKTAP_RETRANS_FAST] == 1 &&
	      t.v[0].by_type[SOCKTAP_RETRANS_TLP] == 1 &&
	      t.v[0].by_type[SOCKTAP_RETRANS_OTHER] == 0);
	CHECK("flow_unknown_is_other", t.v[1].total == 2 && t.v[1].sport == 80 &&
	      t.v[1].by_type[SOCKTAP_RETRANS_OTHER] == 1 &&
	      t.v[1].by_type[SOCKTAP_RETRANS_SYN] == 1);
	CHECK("flow_netns_apart", t.v[2].total == 1 && t.v[3].total == 1 &&
	      t.v[2].netns != t.v[3].netns && t.v[2].dport == 40001 &&
	      t.v[3].dport == 40001);
	/* Still a working table after sorting. */
	rt(&e, A1, 22, A2, 40001, SOCKTAP_RETRANS_RTO, 1);
	ok = !st_flow_add(&t, &e);
	CHECK("flow_add_after_sort", ok && t.n == 4 &&
	      (t.v[2].total == 2 || t.v[3].total == 2));

	CHECK_STR("flow_header", RENDER(256, st_flow_header(f)),
		  "LADDR:LPORT               RADDR:RPORT           RETRANSMITS    RTO   FAST    TLP    SYN SYNACK  OTHER\n");
	CHECK_STR("flow_line", RENDER(256, st_flow_line(f, &t.v[0])),
		  "192.0.2.1:22          <-> 192.0.2.2:40000                 3      1      1      1      0      0      0\n");
	CHECK_STR("flow_json", RENDER_JSON(512, st_flow_json(&j, &t.v[0])),
		  "{\"family\":\"inet\",\"netns\":4026531840,\"saddr\":\"192.0.2.1\",\"sport\":22,"
		  "\"daddr\":\"192.0.2.2\",\"dport\":40000,\"retransmits\":3,\"segs\":4,"
		  "\"rto\":1,\"fast\":1,\"tlp\":1,\"syn\":0,\"synack\":0,\"other\":0}\n");
	st_flow_free(&t);
	CHECK("flow_free", t.n == 0 && !t.v && !t.slot);

	/* Many flows: the table grows and keeps every one apart. */
	ok = 1;
	for (i = 0; i < 3000; i++) {
		rt(&e, A1, (uint16_t)(1000 + i % 1000), A2, 443,
		   SOCKTAP_RETRANS_RTO, 1);
		e.netns = i / 1000;
		ok &= !st_flow_add(&t, &e);
	}
	for (i = 0; i < 1000; i++) {
		rt(&e, A1, (uint16_t)(1000 + i), A2, 443, SOCKTAP_RETRANS_FAST, 1);
		e.netns = 1;
		ok &= !st_flow_add(&t, &e);
	}
	CHECK("flow_many_ok", ok && t.n == 3000);
	st_flow_sort(&t);
	ok = 1;
	for (i = 0; i < t.n; i++)
		ok &= i < 1000 ? t.v[i].total == 2 && t.v[i].netns == 1 :
			t.v[i].total == 1 && t.v[i].netns != 1;
	CHECK("flow_many_counts", ok);
	st_flow_free(&t);
}

static void acc(struct st_event *e, const unsigned char *peer,
		unsigned int len, uint16_t peer_port, uint16_t lport)
{
	ev4(e, SOCKTAP_EV_ACCEPT);
	e->family = len == 16 ? AF_INET6 : AF_INET;
	memset(e->saddr, 0, sizeof(e->saddr));
	memset(e->daddr, 0, sizeof(e->daddr));
	e->saddr_len = e->daddr_len = len;
	memcpy(e->daddr, peer, len);
	e->dport = peer_port;
	e->sport = lport;
}

static void test_accept_counts(void)
{
	static const unsigned char V6L[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34,
					       0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
					       0x11, 0x22, 0x33, 0x44 };
	struct st_flow_table t = { 0 };
	struct st_event e;
	unsigned int i;
	int ok = 1;

	/* Three from A2 to 8080, each from another port: one row. */
	for (i = 0; i < 3; i++) {
		acc(&e, A2, 4, (uint16_t)(50000 + i), 8080);
		ok &= !st_accept_count_add(&t, &e);
	}
	/* The same host on another local port: another row. */
	acc(&e, A2, 4, 50010, 22);
	ok &= !st_accept_count_add(&t, &e);
	acc(&e, A1, 4, 50011, 8080);
	ok &= !st_accept_count_add(&t, &e);
	acc(&e, A1, 4, 50012, 8080);
	ok &= !st_accept_count_add(&t, &e);
	acc(&e, B6, 16, 50013, 443);
	ok &= !st_accept_count_add(&t, &e);
	/* The local address does not split a row. */
	acc(&e, B6, 16, 50014, 443);
	e.saddr[15] = 9;
	ok &= !st_accept_count_add(&t, &e);
	/* Another namespace does. */
	acc(&e, A2, 4, 50015, 22);
	e.netns = 1;
	ok &= !st_accept_count_add(&t, &e);
	CHECK("acc_add_ok", ok);
	CHECK("acc_rows", t.n == 5);
	st_flow_sort(&t);
	CHECK("acc_sorted", t.v[0].total == 3 && t.v[0].sport == 8080 &&
	      !memcmp(t.v[0].daddr, A2, 4) && t.v[1].total == 2 &&
	      t.v[2].total == 2 && t.v[3].total == 1 && t.v[4].total == 1);
	CHECK_STR("acc_print", RENDER(1024, st_accept_count_print(f, &t)),
		  "HOST            PORT       COUNT\n"
		  "192.0.2.2       8080           3\n"
		  "192.0.2.1       8080           2\n"
		  "2001:db8::1     443            2\n"
		  "192.0.2.2       22             1\n"
		  "192.0.2.2       22             1\n");
	CHECK_STR("acc_json", RENDER_JSON(1024, st_accept_count_json(&j, &t)),
		  "[{\"host\":\"192.0.2.2\",\"port\":8080,\"count\":3,\"netns\":4026531840},"
		  "{\"host\":\"192.0.2.1\",\"port\":8080,\"count\":2,\"netns\":4026531840},"
		  "{\"host\":\"2001:db8::1\",\"port\":443,\"count\":2,\"netns\":4026531840},"
		  "{\"host\":\"192.0.2.2\",\"port\":22,\"count\":1,\"netns\":1},"
		  "{\"host\":\"192.0.2.2\",\"port\":22,\"count\":1,\"netns\":4026531840}]\n");
	/* A long IPv6 host widens the column. */
	acc(&e, V6L, 16, 1, 80);
	ok = !st_accept_count_add(&t, &e);
	CHECK("acc_add_v6", ok && t.n == 6);
	CHECK_STR("acc_print_wide", RENDER(1024, st_accept_count_print(f, &t)),
		  "HOST                                   PORT       COUNT\n"
		  "192.0.2.2                              8080           3\n"
		  "192.0.2.1                              8080           2\n"
		  "2001:db8::1                            443            2\n"
		  "192.0.2.2                              22             1\n"
		  "192.0.2.2                              22             1\n"
		  "2001:db8:1234:5678:9abc:def0:1122:3344 80             1\n");
	st_flow_free(&t);
	CHECK_STR("acc_print_empty", RENDER(256, st_accept_count_print(f, &t)),
		  "HOST            PORT       COUNT\n");
	CHECK_STR("acc_json_empty", RENDER_JSON(64, st_accept_count_json(&j, &t)), "[]\n");
}

static void test_counters(void)
{
	uint64_t raw[__SOCKTAP_TCP_MAX + 3];
	struct st_tcp_counters t, b, d;
	unsigned int i;
	char want[64];
	int ok;

	for (i = 0; i < __SOCKTAP_TCP_MAX + 3; i++)
		raw[i] = 100 + i;
	CHECK_STR("ctr_name_first", st_tcp_counter_name(0), "accept-established");
	CHECK_STR("ctr_name_rst", st_tcp_counter_name(SOCKTAP_TCP_RST_SENT), "resets-sent");
	CHECK_STR("ctr_name_syn_drop", st_tcp_counter_name(SOCKTAP_TCP_SYN_DROP), "syn-drops");
	CHECK_STR("ctr_name_drops", st_tcp_counter_name(SOCKTAP_TCP_DROPS), "drops");
	ok = 1;
	for (i = 0; i < __SOCKTAP_TCP_MAX; i++)
		ok &= strcmp(st_tcp_counter_name(i), "?") != 0;
	CHECK("ctr_every_counter_named", ok);
	CHECK("ctr_name_past", st_tcp_counter_name(__SOCKTAP_TCP_MAX) == NULL);

	CHECK("ctr_exact", st_tcp_counters_parse(&t, raw, __SOCKTAP_TCP_MAX * 8) ==
	      __SOCKTAP_TCP_MAX && t.c[__SOCKTAP_TCP_MAX - 1] == 100 + __SOCKTAP_TCP_MAX - 1);
	/* An older module: fewer counters, the rest 0 and not shown. */
	CHECK("ctr_older", st_tcp_counters_parse(&t, raw, 5 * 8) == 5 &&
	      t.c[4] == 104 && t.c[5] == 0);
	CHECK_STR("ctr_older_print", RENDER(2048, st_tcp_counters_print(f, &t)),
		  "EVENT                           COUNT\n"
		  "accept-established                100\n"
		  "connect-request                   101\n"
		  "connect-established               102\n"
		  "accept-refused                    103\n"
		  "connect-refused                   104\n");
	CHECK_STR("ctr_older_json", RENDER_JSON(2048, st_tcp_counters_json(&j, &t)),
		  "{\"accept-established\":100,\"connect-request\":101,"
		  "\"connect-established\":102,\"accept-refused\":103,\"connect-refused\":104}\n");
	/* A newer module: more counters, ignored. */
	CHECK("ctr_newer", st_tcp_counters_parse(&t, raw, sizeof(raw)) ==
	      __SOCKTAP_TCP_MAX && t.c[__SOCKTAP_TCP_MAX - 1] == 100 + __SOCKTAP_TCP_MAX - 1);
	snprintf(want, sizeof(want), "\"%s\":%u}\n",
		 st_tcp_counter_name(__SOCKTAP_TCP_MAX - 1), 100 + __SOCKTAP_TCP_MAX - 1);
	CHECK("ctr_newer_json_ends_with_known", strstr(RENDER_JSON(4096,
	      st_tcp_counters_json(&j, &t)), want) != NULL);
	/* A partial u64 is not a counter. */
	CHECK("ctr_partial", st_tcp_counters_parse(&t, raw, 2 * 8 + 5) == 2 &&
	      t.c[2] == 0);
	CHECK("ctr_empty", st_tcp_counters_parse(&t, raw, 7) == 0);
	CHECK("ctr_null", st_tcp_counters_parse(&t, NULL, 0) == 0);
	CHECK_STR("ctr_empty_print", RENDER(256, st_tcp_counters_print(f, &t)),
		  "EVENT                           COUNT\n");

	st_tcp_counters_parse(&b, raw, 4 * 8);
	for (i = 0; i < 4; i++)
		raw[i] += i * 10;
	st_tcp_counters_parse(&t, raw, 4 * 8);
	CHECK("ctr_delta", st_tcp_counters_delta(&t, &b, &d) == 0 && d.n == 4 &&
	      d.c[0] == 0 && d.c[1] == 10 && d.c[3] == 30);
	raw[2] = 0;
	st_tcp_counters_parse(&t, raw, 4 * 8);
	CHECK("ctr_delta_reset", st_tcp_counters_delta(&t, &b, &d) == 1 &&
	      d.c[1] == 111 && d.c[2] == 0);
}

static void test_listeners(void)
{
	struct st_listen v[4];
	char key[64];

	memset(v, 0, sizeof(v));
	v[0].port = 8080;
	v[0].family = AF_INET6;
	v[0].netns = 10;
	v[1].port = 22;
	v[1].family = AF_INET;
	v[1].netns = 10;
	v[1].pid = 1;
	snprintf(v[1].comm, sizeof(v[1].comm), "sshd");
	v[1].backlog_max = 128;
	v[1].conns = 5;
	v[1].acceptq[0] = 4;
	v[1].acceptq[2] = 1;
	v[1].synq[1] = 5;
	v[2].port = 8080;
	v[2].family = AF_INET;
	v[2].netns = 10;
	v[3].port = 8080;
	v[3].family = AF_INET;
	v[3].netns = 11;
	st_listen_sort(v, 4);
	CHECK("listen_sorted", v[0].port == 22 && v[1].port == 8080 &&
	      v[1].family == AF_INET && v[1].netns == 10 && v[2].netns == 11 &&
	      v[3].family == AF_INET6);
	CHECK_STR("listen_key_unique", st_listen_key(v, 4, 0, key, sizeof(key)), "22");
	CHECK_STR("listen_key_netns", st_listen_key(v, 4, 1, key, sizeof(key)),
		  "8080, inet, 10");
	CHECK_STR("listen_key_family", st_listen_key(v, 4, 3, key, sizeof(key)),
		  "8080, inet6");
	CHECK_STR("listen_print", RENDER(4096, st_listen_print(f, v, 2)),
		  "PORT  FAM   NETNS      PID     COMM               MAX     CONNS OVERFLOWS SYN_DROPS\n"
		  "22    inet  10         1       sshd               128         5         0         0\n"
		  "8080  inet  10         0                            0         0         0         0\n"
		  "\n"
		  "@acceptq[22]:\n"
		  "[0]                    4 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		  "[1]                    0 |                                                    |\n"
		  "[2, 4)                 1 |@@@@@@@@@@@@@                                       |\n"
		  "\n"
		  "@synq[22]:\n"
		  "[1]                    5 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
	CHECK_STR("listen_json", RENDER_JSON(4096, st_listen_json(&j, v, 1)),
		  "[{\"port\":22,\"family\":\"inet\",\"netns\":10,\"pid\":1,\"comm\":\"sshd\","
		  "\"backlog_max\":128,\"conns\":5,\"overflows\":0,\"syn_drops\":0,"
		  "\"acceptq\":[{\"lo\":0,\"hi\":1,\"count\":4},{\"lo\":2,\"hi\":4,\"count\":1}],"
		  "\"synq\":[{\"lo\":1,\"hi\":2,\"count\":5}]}]\n");
	CHECK_STR("listen_json_empty", RENDER_JSON(64, st_listen_json(&j, v, 0)), "[]\n");
}

int main(void)
{
	/* The wall clock column in UTC, whatever the host's zone. */
	setenv("TZ", "UTC", 1);
	tzset();
	test_names();
	test_endpoint();
	test_lines();
	test_flows();
	test_accept_counts();
	test_counters();
	test_listeners();
	UNIT_EXIT();
}
