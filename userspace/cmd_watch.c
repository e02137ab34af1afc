// SPDX-License-Identifier: GPL-2.0
/* socktap watch: the module's event stream, one line per event. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/handlers.h>

#include "cli.h"
#include "drop.h"
#include "fmt.h"
#include "event.h"
#include "loop.h"
#include "status.h"
#include "util.h"

/* Room for bursts: the kernel drops what does not fit and we count it. */
#define ST_WATCH_RCVBUF	(4 << 20)

#define ST_KALLSYMS	"/proc/kallsyms"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: socktap watch TYPE [-n COUNT] [-d SEC] [-t] [-4|-6] [-c] [-s|-S]\n"
		"                     [-p PID] [-P PORT] [-N NETNS] [-j] [-h]\n"
		"       socktap retrans [-c] [OPTIONS]   (socktap watch retrans)\n"
		"\n"
		"Print the module's events of one TYPE as they happen:\n"
		"  connect   every connect() as it returns, like bpftrace's soconnect.bt:\n"
		"            PID COMM FAM ADDRESS PORT LAT(us) RESULT\n"
		"  life      every TCP connection as it closes, like BCC's tcplife:\n"
		"            PID COMM LADDR LPORT RADDR RPORT TX_KB RX_KB MS\n"
		"  accept    every accept() that returned a TCP connection, like\n"
		"            tcpaccept; PORT local port, IP_SOURCE the peer, BL the\n"
		"            listener's accept queue/limit after the accept:\n"
		"            UID CMD PID PORT IP_SOURCE RADDR RPORT LADDR LPORT BL\n"
		"  state     every TCP state change, like BCC's tcpstates; MS the time\n"
		"            spent in OLDSTATE (0 if unknown):\n"
		"            C-PID C-COMM LADDR LPORT RADDR RPORT OLDSTATE -> NEWSTATE MS\n"
		"  retrans   every retransmission, like BCC's tcpretrans; T is R for a\n"
		"            retransmit, L for a tail loss probe; TYPE the cause (RTO,\n"
		"            FAST, TLP, SYN, SYNACK, OTHER), SEGS segments resent (a TLP\n"
		"            that sent new data shows 0):\n"
		"            TIME PID IP LADDR:LPORT T> RADDR:RPORT STATE TYPE SEGS\n"
		"  reset     every TCP RST sent or received (DIR) on a socket:\n"
		"            TIME PID COMM DIR LADDR:LPORT RADDR:RPORT STATE\n"
		"  overflow  every connection a listener dropped because its accept\n"
		"            queue (QUEUE accept) or SYN queue (syn) was full:\n"
		"            TIME PORT PID COMM QUEUE BACKLOG MAX SYNQ\n"
		"  send      every TCP segment sent (payload BYTES, SEGS for TSO), only\n"
		"            while a filter (-p/-P/-N) narrows the stream:\n"
		"            TIME PID COMM IP LADDR:LPORT RADDR:RPORT BYTES SEGS STATE\n"
		"  receive   every TCP segment received, the same way\n"
		"  drop      every TCP packet the kernel dropped, like BCC's tcpdrop;\n"
		"            addresses and ports as in the packet, STATE its socket's\n"
		"            (\"-\": none, like PID), REASON the running kernel's drop\n"
		"            reason name (\"-\" before 5.17, which has none), then the\n"
		"            kernel stack, one function+0xoff per line:\n"
		"            TIME PID COMM IP SADDR:SPORT > DADDR:DPORT STATE REASON\n"
		"TIME is the wall clock (HH:MM:SS).  Ends after COUNT events, SEC seconds\n"
		"or Ctrl-C; then stderr gets \"N events shown; socket overruns: M\"\n"
		"(events the kernel could not queue to this socket because it was full).\n"
		"\n"
		"  -n COUNT   stop after COUNT events\n"
		"  -d SEC     stop after SEC seconds\n"
		"  -t         TIME(s), seconds since watch started, as the first column\n"
		"             (instead of TIME where there is one)\n"
		"  -4, -6     only IPv4 or only IPv6 connections\n"
		"  -c         count instead, and print the counts at the end:\n"
		"             retrans: per flow, like tcpretrans -c:\n"
		"             LADDR:LPORT <-> RADDR:RPORT RETRANSMITS RTO FAST TLP SYN\n"
		"             SYNACK OTHER\n"
		"             accept: per remote host and local port, like DTrace's\n"
		"             tcpaccept.d, most first: HOST PORT COUNT\n"
		"  -s, -S     drop only: show the kernel stack (the default; with -j\n"
		"             the \"stack\" member) or not; names from /proc/kallsyms\n"
		"             (hex when it hides the addresses)\n"
		ST_FILTER_USAGE
		"             A filter (CAP_NET_ADMIN) is set in the module while watch runs.\n"
		"  -j         one JSON object per event, one per line, with every\n"
		"             attribute the event carries (drop: also reason_name and\n"
		"             stack); retrans -c: one per flow; accept -c: one array\n"
		"             of {host, port, count, netns}\n"
		"  -h         this help\n");
}

struct st_watch {
	struct st_opts *o;
	unsigned int type;
	unsigned int family;	/* -4/-6: AF_INET or AF_INET6; 0 both */
	int flows;		/* -c: count per flow (retrans), host (accept) */
	int stacks;		/* drop: -s (default) / -S */
	struct st_dropreasons reasons;
	struct st_ksyms ksyms;
	struct st_drop_names names;
	struct st_ev_clock clk;
	uint64_t count;		/* 0: no limit */
	uint64_t shown, overruns;
	struct st_flow_table ft;
	int done, err;
};

static void st_event_addr(struct nlattr *a, unsigned char *dst,
			  unsigned int *len)
{
	int n = nla_len(a);

	if (n != 4 && n != 16) {
		*len = 0;
		return;
	}
	memcpy(dst, nla_data(a), (size_t)n);
	*len = (unsigned int)n;
}

static void st_event_from_attrs(struct nlattr **tb, struct st_event *e)
{
	int a;

	memset(e, 0, sizeof(*e));
	for (a = SOCKTAP_A_EV_TYPE; a <= SOCKTAP_A_MAX; a++)
		if (tb[a] && st_ev_attr(a))
			e->has |= ST_EV_BIT(a);
	if (tb[SOCKTAP_A_EV_TYPE])
		e->type = (unsigned int)st_nla_uint(tb[SOCKTAP_A_EV_TYPE]);
	if (tb[SOCKTAP_A_EV_TIME])
		e->time_ns = st_nla_uint(tb[SOCKTAP_A_EV_TIME]);
	if (tb[SOCKTAP_A_EV_PID])
		e->pid = (uint32_t)st_nla_uint(tb[SOCKTAP_A_EV_PID]);
	if (tb[SOCKTAP_A_EV_UID])
		e->uid = (uint32_t)st_nla_uint(tb[SOCKTAP_A_EV_UID]);
	if (tb[SOCKTAP_A_EV_COMM])
		st_nla_strcpy(e->comm, sizeof(e->comm), tb[SOCKTAP_A_EV_COMM]);
	if (tb[SOCKTAP_A_EV_NETNS])
		e->netns = (uint32_t)st_nla_uint(tb[SOCKTAP_A_EV_NETNS]);
	if (tb[SOCKTAP_A_EV_FAMILY])
		e->family = (unsigned int)st_nla_uint(tb[SOCKTAP_A_EV_FAMILY]);
	if (tb[SOCKTAP_A_EV_PROTO])
		e->proto = (unsigned int)st_nla_uint(tb[SOCKTAP_A_EV_PROTO]);
	if (tb[SOCKTAP_A_EV_SADDR])
		st_event_addr(tb[SOCKTAP_A_EV_SADDR], e->saddr, &e->saddr_len);
	if (tb[SOCKTAP_A_EV_DADDR])
		st_event_addr(tb[SOCKTAP_A_EV_DADDR], e->daddr, &e->daddr_len);
	if (tb[SOCKTAP_A_EV_SPORT])
		e->sport = (uint16_t)st_nla_uint(tb[SOCKTAP_A_EV_SPORT]);
	if (tb[SOCKTAP_A_EV_DPORT])
		e->dport = (uint16_t)st_nla_uint(tb[SOCKTAP_A_EV_DPORT]);
	if (tb[SOCKTAP_A_EV_LATENCY])
		e->latency_ns = st_nla_uint(tb[SOCKTAP_A_EV_LATENCY]);
	if (tb[SOCKTAP_A_EV_RESULT])
		e->result = st_nla_int(tb[SOCKTAP_A_EV_RESULT]);
	if (tb[SOCKTAP_A_EV_TX_BYTES])
		e->tx_bytes = st_nla_uint(tb[SOCKTAP_A_EV_TX_BYTES]);
	if (tb[SOCKTAP_A_EV_RX_BYTES])
		e->rx_bytes = st_nla_uint(tb[SOCKTAP_A_EV_RX_BYTES]);
	if (tb[SOCKTAP_A_EV_DURATION])
		e->duration_ns = st_nla_uint(tb[SOCKTAP_A_EV_DURATION]);
	if (tb[SOCKTAP_A_EV_OLDSTATE])
		e->oldstate = (unsigned int)st_nla_uint(tb[SOCKTAP_A_EV_OLDSTATE]);
	if (tb[SOCKTAP_A_EV_NEWSTATE])
		e->newstate = (unsigned int)st_nla_uint(tb[SOCKTAP_A_EV_NEWSTATE]);
	if (tb[SOCKTAP_A_EV_RETRANS_TYPE])
		e->retrans_type =
			(unsigned int)st_nla_uint(tb[SOCKTAP_A_EV_RETRANS_TYPE]);
	if (tb[SOCKTAP_A_EV_SEGS])
		e->segs = (uint32_t)st_nla_uint(tb[SOCKTAP_A_EV_SEGS]);
	if (tb[SOCKTAP_A_EV_BACKLOG])
		e->backlog = (uint32_t)st_nla_uint(tb[SOCKTAP_A_EV_BACKLOG]);
	if (tb[SOCKTAP_A_EV_BACKLOG_MAX])
		e->backlog_max = (uint32_t)st_nla_uint(tb[SOCKTAP_A_EV_BACKLOG_MAX]);
	if (tb[SOCKTAP_A_EV_SYNQ])
		e->synq = (uint32_t)st_nla_uint(tb[SOCKTAP_A_EV_SYNQ]);
	if (tb[SOCKTAP_A_EV_REASON])
		e->reason = (uint32_t)st_nla_uint(tb[SOCKTAP_A_EV_REASON]);
	if (tb[SOCKTAP_A_EV_STACK]) {
		int len = nla_len(tb[SOCKTAP_A_EV_STACK]);
		size_t n = len > 0 ? (size_t)len / sizeof(uint64_t) : 0;

		if (n > ST_EV_STACK_MAX)
			n = ST_EV_STACK_MAX;
		/* Native u64s, maybe only 4-byte aligned in the message. */
		memcpy(e->stack, nla_data(tb[SOCKTAP_A_EV_STACK]),
		       n * sizeof(uint64_t));
		e->nr_stack = (unsigned int)n;
	}
}

static int st_watch_msg(struct nlattr **tb, void *arg)
{
	struct st_watch *w = arg;
	struct st_event e;
	struct json j;

	if (w->done)
		return NL_STOP;
	st_event_from_attrs(tb, &e);
	if (e.type != w->type || (w->family && e.family != w->family))
		return NL_OK;
	if (w->flows) {
		if (w->type == SOCKTAP_EV_ACCEPT ? st_accept_count_add(&w->ft, &e) :
		    st_flow_add(&w->ft, &e)) {
			fprintf(stderr, "socktap: out of memory\n");
			w->err = ST_EXIT_ERROR;
		}
	} else if (w->o->json) {
		json_init(&j, stdout);
		if (w->type == SOCKTAP_EV_DROP)
			st_drop_json(&j, &e, &w->names);
		else
			st_event_json(&j, &e);
		if (json_finish(&j))
			w->err = ST_EXIT_ERROR;
	} else if (w->type == SOCKTAP_EV_DROP) {
		st_drop_line(stdout, &e, &w->clk, &w->names);
	} else {
		st_event_line(stdout, &e, &w->clk);
	}
	w->shown++;
	if (w->count && w->shown >= w->count)
		w->done = 1;
	return w->done || w->err ? NL_STOP : NL_OK;
}

/* Read everything queued on the non-blocking socket. */
static int st_watch_drain(struct st_watch *w, struct st_nl *nl)
{
	if (st_nl_recv_events(nl, st_watch_msg, w, &w->overruns))
		return ST_EXIT_ERROR;
	if (fflush(stdout)) {
		perror("socktap: stdout");
		return ST_EXIT_ERROR;
	}
	return w->err;
}

static int st_watch_run(struct st_watch *w, struct st_nl *nl, uint64_t ms)
{
	uint64_t deadline = 0;
	int rc = ST_EXIT_OK, r;

	w->clk.real_off_ns = (int64_t)(st_now_real() - st_now_mono());
	w->clk.start_ns = st_now_mono();
	if (ms)
		deadline = w->clk.start_ns + ms * 1000000ull;
	if (!w->o->json && !w->flows) {
		st_event_header(stdout, w->type, w->clk.rel);
		if (fflush(stdout)) {
			perror("socktap: stdout");
			rc = ST_EXIT_ERROR;
		}
	}
	while (!rc && !w->done) {
		r = st_wait2(nl_socket_get_fd(nl->sk), st_nl_watch_fd(nl),
			     deadline);
		if (r == 0 || r == -1)
			break;
		if (r < 0) {
			perror("socktap: waiting for events");
			rc = ST_EXIT_ERROR;
			break;
		}
		if (r == 2 && st_nl_gone(nl)) {
			/* What the module flushed at unload, then the end. */
			rc = st_watch_drain(w, nl);
			if (!rc) {
				fprintf(stderr, "socktap: the socktap module was unloaded\n");
				rc = ST_EXIT_NOMODULE;
			}
			break;
		}
		if (r == 1)
			rc = st_watch_drain(w, nl);
	}
	return rc;
}

/* -c: the per-flow counts, most retransmitted (or accepted) first. */
static int st_watch_flows_print(struct st_watch *w)
{
	struct json j;
	size_t i;
	int rc = ST_EXIT_OK;

	st_flow_sort(&w->ft);
	if (w->type == SOCKTAP_EV_ACCEPT && w->o->json) {
		json_init(&j, stdout);
		st_accept_count_json(&j, &w->ft);
		if (json_finish(&j))
			rc = ST_EXIT_ERROR;
	} else if (w->type == SOCKTAP_EV_ACCEPT) {
		st_accept_count_print(stdout, &w->ft);
	} else if (w->o->json) {
		for (i = 0; i < w->ft.n; i++) {
			json_init(&j, stdout);
			st_flow_json(&j, &w->ft.v[i]);
			if (json_finish(&j))
				rc = ST_EXIT_ERROR;
		}
	} else {
		st_flow_header(stdout);
		for (i = 0; i < w->ft.n; i++)
			st_flow_line(stdout, &w->ft.v[i]);
	}
	if (fflush(stdout)) {
		perror("socktap: stdout");
		rc = ST_EXIT_ERROR;
	}
	return rc;
}

/*
 * watch drop: the running kernel's drop reason names and, for stacks, its
 * symbols.  What is missing is said once; the events show numbers then.
 */
static void st_watch_drop_names(struct st_watch *w)
{
	const char *path = NULL;

	w->names.reasons = &w->reasons;
	w->names.stacks = w->stacks;
	if (st_dropreasons_load(&w->reasons, &path))
		fprintf(stderr, "socktap: drop reasons shown as numbers: %s: %s\n",
			path, strerror(errno));
	if (!w->stacks)
		return;
	if (st_ksyms_load(&w->ksyms, ST_KALLSYMS)) {
		fprintf(stderr, "socktap: stacks shown in hex: %s: %s\n",
			ST_KALLSYMS, strerror(errno));
		return;
	}
	if (w->ksyms.hidden) {
		fprintf(stderr,
			"socktap: stacks shown in hex: %s shows no addresses\n"
			"  (kptr_restrict, or not root)\n", ST_KALLSYMS);
		return;
	}
	w->names.ksyms = &w->ksyms;
}

static int st_watch_family(struct st_watch *w, unsigned int family)
{
	if (w->family && w->family != family) {
		fprintf(stderr, "socktap watch: -4 and -6 exclude each other (leave both out for both)\n");
		return ST_EXIT_USAGE;
	}
	w->family = family;
	return 0;
}

int cmd_watch(int argc, char **argv, struct st_opts *o)
{
	struct st_watch w = { .o = o, .stacks = -1 };
	struct st_filter f = { 0 };
	const char *why = NULL;
	uint64_t ms = 0;
	struct st_nl nl;
	int c, rc;

	optind = 0;
	while ((c = getopt(argc, argv, "hjn:d:t46csS" ST_FILTER_OPTS)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return ST_EXIT_OK;
		case 'j':
			o->json = 1;
			break;
		case 'n':
			if (st_parse_uint(optarg, UINT64_MAX, &w.count, &why) ||
			    !w.count) {
				fprintf(stderr, "socktap watch: -n %s: %s\n", optarg,
					why ? why : "must be at least 1");
				return ST_EXIT_USAGE;
			}
			break;
		case 'd':
			if (st_parse_seconds(optarg, &ms, &why)) {
				fprintf(stderr, "socktap watch: -d %s: %s\n", optarg, why);
				return ST_EXIT_USAGE;
			}
			break;
		case 't':
			w.clk.rel = 1;
			break;
		case '4':
		case '6':
			if (st_watch_family(&w, c == '4' ? AF_INET : AF_INET6))
				return ST_EXIT_USAGE;
			break;
		case 'c':
			w.flows = 1;
			break;
		case 's':
		case 'S':
			w.stacks = c == 's';
			break;
		default:
			rc = st_filter_opt(&f, c, optarg, "watch");
			if (!rc)
				break;
			if (rc < 0)
				usage(stderr);
			return ST_EXIT_USAGE;
		}
	}
	if (argc - optind != 1 || !st_event_type_parse(argv[optind])) {
		if (optind < argc)
			fprintf(stderr,
				"socktap watch: '%s': expected connect, life, accept, state, retrans,\n"
				"  reset, overflow or drop\n", argv[optind]);
		usage(stderr);
		return ST_EXIT_USAGE;
	}
	w.type = st_event_type_parse(argv[optind]);
	if (w.flows && w.type != SOCKTAP_EV_RETRANS &&
	    w.type != SOCKTAP_EV_ACCEPT) {
		fprintf(stderr, "socktap watch: -c counts: only with retrans or accept\n");
		return ST_EXIT_USAGE;
	}
	if (w.stacks >= 0 && w.type != SOCKTAP_EV_DROP) {
		fprintf(stderr, "socktap watch: -s and -S: only with drop\n");
		return ST_EXIT_USAGE;
	}
	/* Like tcpdrop: stacks unless -S. */
	if (w.stacks < 0)
		w.stacks = 1;
	if (st_loop_init()) {
		perror("socktap: signals");
		return ST_EXIT_ERROR;
	}
	rc = st_nl_open(&nl);
	if (rc)
		return rc;
	rc = st_filter_begin(&nl, &f, "watch");
	if (!rc) {
		/*
		 * The type's own group: not woken for other records, and the
		 * module builds none nobody receives.  A module of the same
		 * netlink version without it has the group of every record.
		 */
		c = st_nl_has_group(&nl, st_event_group(w.type));
		if (c < 0)
			rc = ST_EXIT_ERROR;
		else
			rc = st_nl_subscribe(&nl, c ? st_event_group(w.type) :
					     SOCKTAP_GENL_MCGRP, ST_WATCH_RCVBUF);
	}
	/* An rmmod sends no event: nlctrl's notification of it ends us. */
	if (!rc)
		rc = st_nl_watch(&nl);
	/* Subscribed first: events wait in the socket while this reads. */
	if (!rc && w.type == SOCKTAP_EV_DROP)
		st_watch_drop_names(&w);
	if (!rc) {
		rc = st_watch_run(&w, &nl, ms);
		/* Counted so far: shown even after an error, like the summary. */
		if (w.flows && (!rc || w.shown)) {
			c = st_watch_flows_print(&w);
			if (!rc)
				rc = c;
		}
		fprintf(stderr, "%llu events %s; socket overruns: %llu\n",
			(unsigned long long)w.shown,
			w.flows ? "counted" : "shown",
			(unsigned long long)w.overruns);
	}
	st_flow_free(&w.ft);
	st_dropreasons_free(&w.reasons);
	st_ksyms_free(&w.ksyms);
	st_nl_close(&nl);
	return rc;
}

/* socktap retrans ARGS: socktap watch retrans ARGS. */
int cmd_retrans(int argc, char **argv, struct st_opts *o)
{
	char **args;
	int i, rc;

	args = calloc((size_t)argc + 2, sizeof(*args));
	if (!args) {
		fprintf(stderr, "socktap: out of memory\n");
		return ST_EXIT_ERROR;
	}
	for (i = 0; i < argc; i++)
		args[i] = argv[i];
	/* getopt permutes: the type may come after the options. */
	args[argc] = "retrans";
	rc = cmd_watch(argc + 1, args, o);
	free(args);
	return rc;
}
