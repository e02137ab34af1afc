// SPDX-License-Identifier: GPL-2.0
/* socktap tcp: the module's TCP event counters (DTrace's tcp provider). */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "fetch.h"
#include "fmt.h"
#include "loop.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: socktap tcp [-d SEC] [-j] [-h]\n"
		"\n"
		"The module's TCP event counters, like DTrace's tcp provider, as\n"
		"EVENT COUNT rows:\n"
		"  accept-established   passive opens completed (SYN_RECV -> ESTABLISHED)\n"
		"  connect-request      SYNs sent (CLOSE -> SYN_SENT)\n"
		"  connect-established  active opens completed\n"
		"  accept-refused       RSTs sent for a SYN to a closed port\n"
		"  connect-refused      RSTs received in SYN_SENT\n"
		"  send, receive        segments sent and received by sockets\n"
		"  state-change         TCP state changes\n"
		"  retransmits          retransmitted skbs, retransmit-segments their\n"
		"                       segments, retransmits-rto/-fast/-tlp/-syn/\n"
		"                       -synack/-other by cause\n"
		"  loss-probes          tail loss probes sent\n"
		"  resets-sent, resets-received\n"
		"  listen-overflows     connections dropped on a full accept queue\n"
		"  syn-drops            SYNs dropped on a full SYN queue\n"
		"  drops                TCP packets the kernel freed as dropped\n"
		"A module older than this CLI shows the counters it has.\n"
		"\n"
		"Without -d: totals since the module was loaded (or reset).\n"
		"\n"
		"  -d SEC     only what happens during the next SEC seconds (Ctrl-C\n"
		"             ends the wait early and prints what was counted)\n"
		"  -j         one JSON object: {\"accept-established\": N, ...}\n"
		"  -h         this help\n");
}

static int st_tcp_show(struct st_opts *o, const struct st_tcp_counters *t)
{
	struct json j;
	int rc = ST_EXIT_OK;

	if (o->json) {
		json_init(&j, stdout);
		st_tcp_counters_json(&j, t);
		if (json_finish(&j))
			rc = ST_EXIT_ERROR;
	} else {
		st_tcp_counters_print(stdout, t);
	}
	if (fflush(stdout)) {
		perror("socktap: stdout");
		rc = ST_EXIT_ERROR;
	}
	return rc;
}

int cmd_tcp(int argc, char **argv, struct st_opts *o)
{
	struct st_tcp_counters base, cur, out;
	const char *why = NULL;
	uint64_t ms = 0;
	struct st_nl nl;
	int c, rc;

	optind = 0;
	while ((c = getopt(argc, argv, "hjd:")) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return ST_EXIT_OK;
		case 'j':
			o->json = 1;
			break;
		case 'd':
			if (st_parse_seconds(optarg, &ms, &why)) {
				fprintf(stderr, "socktap tcp: -d %s: %s\n", optarg, why);
				return ST_EXIT_USAGE;
			}
			break;
		default:
			usage(stderr);
			return ST_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "socktap tcp: unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		return ST_EXIT_USAGE;
	}
	if (ms && st_loop_init()) {
		perror("socktap: signals");
		return ST_EXIT_ERROR;
	}
	rc = st_nl_open(&nl);
	if (rc)
		return rc;
	rc = st_tcp_fetch(&nl, ms ? &base : &out);
	if (!rc && ms) {
		if (st_wait(-1, st_now_mono() + ms * 1000000ull) == -2) {
			perror("socktap: waiting");
			rc = ST_EXIT_ERROR;
		}
		if (!rc)
			rc = st_tcp_fetch(&nl, &cur);
		if (!rc && st_tcp_counters_delta(&cur, &base, &out))
			fprintf(stderr,
				"socktap tcp: the counters were reset meanwhile: showing them since the reset\n");
	}
	if (!rc && !out.n)
		fprintf(stderr, "socktap tcp: the module sent no counters\n");
	if (!rc)
		rc = st_tcp_show(o, &out);
	st_nl_close(&nl);
	return rc;
}
