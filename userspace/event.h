/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event stream records (SOCKTAP_CMD_EVENT) as 'socktap watch' prints
 * them: connect like bpftrace's soconnect.bt, life like BCC's tcplife,
 * accept like tcpaccept (and tcpaccept.d's counts per host and port),
 * state like tcpstates, retrans like tcpretrans (and its -c per-flow
 * counts), reset, overflow, and drop like tcpdrop (its names and stack:
 * drop.h).
 * Pure logic, unit-tested (tests/unit/test_fmt.c, tests/unit/test_tcp.c,
 * tests/unit/test_drop.c).
 */
#ifndef SOCKTAP_EVENT_H
#define SOCKTAP_EVENT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/socktap.h>

#include "json.h"

/* Stack addresses kept of a DROP event (the module sends 12). */
#define ST_EV_STACK_MAX	64

struct st_event {
	uint64_t has;		/* ST_EV_BIT(attr) for each attribute sent */
	unsigned int type;	/* enum socktap_event */
	uint64_t time_ns;
	uint32_t pid, uid, netns;
	char comm[32];
	unsigned int family, proto;
	unsigned char saddr[16], daddr[16];
	unsigned int saddr_len, daddr_len;
	uint16_t sport, dport;
	uint64_t latency_ns;
	int64_t result;
	uint64_t tx_bytes, rx_bytes, duration_ns;
	unsigned int oldstate, newstate;	/* TCP_* numbering */
	unsigned int retrans_type;		/* enum socktap_retrans_type */
	uint32_t segs, backlog, backlog_max, synq;
	uint32_t reason;	/* RESET: socktap_reset_kind; OVERFLOW: counter;
				 * DROP: the kernel's skb_drop_reason */
	uint64_t stack[ST_EV_STACK_MAX];	/* DROP: kernel addresses */
	unsigned int nr_stack;
};

/* Every SOCKTAP_A_EV_* is within 64 of SOCKTAP_A_EV_TYPE. */
#define ST_EV_BIT(attr)		(1ull << ((attr) - SOCKTAP_A_EV_TYPE))
#define ST_EV_HAS(e, attr)	(!!((e)->has & ST_EV_BIT(attr)))
/* attr is one of the event attributes (SOCKTAP_A_EV_*). */
int st_ev_attr(int attr);

/* How watch shows time: TIME(s) since start (-t), or the wall clock. */
struct st_ev_clock {
	uint64_t start_ns;	/* CLOCK_MONOTONIC when watch began */
	int64_t real_off_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC then */
	int rel;		/* -t */
};

/*
 * "connect", "life", "accept", "state", "retrans", "reset", "overflow",
 * "drop" -> SOCKTAP_EV_*, else 0.
 */
unsigned int st_event_type_parse(const char *s);
/* And back; "unknown" for another type. */
const char *st_event_type_name(unsigned int type);
/* The multicast group carrying only records of TYPE. */
const char *st_event_group(unsigned int type);
/* Types whose lines start with TIME (wall clock, or TIME(s) with -t). */
int st_event_type_timed(unsigned int type);

/*
 * TCP state as tcpstates prints it: 1 "ESTABLISHED" ... 12
 * "NEW_SYN_RECV" (include/net/tcp_states.h), 13 "BOUND_INACTIVE";
 * another number as "STATE(N)".  Returns the name or buf.
 */
const char *st_tcp_state_name(unsigned int state, char *buf, size_t n);
/* enum socktap_retrans_type: "RTO".."OTHER" or "rto".."other"; else "?". */
const char *st_retrans_type_name(unsigned int type, int lower);
/* tcpretrans's T column: 'L' for a tail loss probe, else 'R'. */
char st_retrans_type_letter(unsigned int type);
/* enum socktap_reset_kind: "sent", "received", else "?". */
const char *st_reset_dir_name(unsigned int kind);
/*
 * OVERFLOW reason: SOCKTAP_TCP_LISTEN_OVERFLOW "accept",
 * SOCKTAP_TCP_SYN_DROP "syn", else "?".
 */
const char *st_overflow_queue_name(unsigned int reason);

/* Column header of a type's lines; rel adds (or makes TIME) TIME(s). */
void st_event_header(FILE *out, unsigned int type, int rel);
/*
 * One line.  With clk->rel first TIME(s): (time_ns - start_ns) / 1e9;
 * else retrans, reset, overflow and drop start with TIME, the local wall
 * clock HH:MM:SS of time_ns + real_off_ns.  A drop shows its reason as a
 * number here (st_drop_line: the name, and the stack).
 */
void st_event_line(FILE *out, const struct st_event *e,
		   const struct st_ev_clock *clk);
/*
 * tcpdrop's line of a DROP event, REASON as given: TIME PID COMM IP
 * SADDR:SPORT > DADDR:DPORT STATE REASON, the addresses and ports those
 * of the packet; PID, COMM and STATE "-" when the packet had no socket
 * (pid 0, state 0).
 */
void st_event_drop_line(FILE *out, const struct st_event *e,
			const struct st_ev_clock *clk, const char *reason);
/* One object with every attribute the event carried. */
void st_event_json(struct json *j, const struct st_event *e);
/* Its members, for an object the caller opens, extends and closes. */
void st_event_json_members(struct json *j, const struct st_event *e);

/*
 * tcpretrans -c: retransmissions counted per flow; also tcpaccept.d's
 * accepted connections per remote host (daddr) and local port (sport).
 */
struct st_flow {
	uint32_t netns;
	unsigned int family;
	unsigned char saddr[16], daddr[16];
	unsigned int saddr_len, daddr_len;
	uint16_t sport, dport;
	uint64_t total, segs;
	uint64_t by_type[__SOCKTAP_RETRANS_MAX];
};

struct st_flow_table {
	struct st_flow *v;
	size_t n, cap;
	uint32_t *slot;		/* open addressing: index + 1, 0 free */
	size_t nslot;		/* a power of two, at least 2 * cap */
};

/*
 * Count a RETRANS event in the flow of its netns, addresses and ports
 * (a type the CLI does not know counts as OTHER).  Returns 0, or -1 out
 * of memory (the table is unchanged then).
 */
int st_flow_add(struct st_flow_table *t, const struct st_event *e);
/* Most retransmissions first; ties by family, addresses and ports. */
void st_flow_sort(struct st_flow_table *t);
void st_flow_free(struct st_flow_table *t);
/* LADDR:LPORT <-> RADDR:RPORT RETRANSMITS RTO FAST TLP SYN SYNACK OTHER */
void st_flow_header(FILE *out);
void st_flow_line(FILE *out, const struct st_flow *f);
/*
 * {"family","netns","saddr","sport","daddr","dport","retransmits","segs",
 * "rto","fast","tlp","syn","synack","other"}
 */
void st_flow_json(struct json *j, const struct st_flow *f);

/*
 * Count an ACCEPT event under its netns, remote address and local port
 * (total; the other counts stay 0).  Returns 0, or -1 out of memory.
 * st_flow_sort then orders the table most accepted first.
 */
int st_accept_count_add(struct st_flow_table *t, const struct st_event *e);
/* HOST PORT COUNT, a header and one line per row, HOST as wide as needed. */
void st_accept_count_print(FILE *out, const struct st_flow_table *t);
/* [{"host","port","count","netns"}, ...] in the table's order. */
void st_accept_count_json(struct json *j, const struct st_flow_table *t);

#endif
