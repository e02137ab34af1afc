// SPDX-License-Identifier: GPL-2.0
/* socktap hist: the module's histograms, in bpftrace's layout. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "cli.h"
#include "fmt.h"
#include "hist.h"
#include "loop.h"
#include "status.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: socktap hist NAME [-d SEC] [-p PID] [-P PORT] [-N NETNS] [-j] [-h]\n"
		"\n"
		"A histogram of the module, in log2 buckets of nanoseconds:\n"
		"  connect         the connect() call, entry to return\n"
		"  connect-async   non-blocking connect() until established\n"
		"  first-byte      established or accepted until the first data read\n"
		"  lifetime        created (or accepted) until closed, and\n"
		"                  lifetime-established: established until closed\n"
		"  tcp-state-time  time a TCP socket spent in a state, at each change\n"
		"or of bytes:\n"
		"  tcp-send-size   payload of each TCP segment sent (pure ACKs: 0)\n"
		"  tcp-recv-size   payload of each TCP segment received\n"
		"The title names the unit (@connect_ns:, @tcp_send_size_bytes:); the\n"
		"last line is the count and the mean (us for ns, else in the unit).\n"
		"\n"
		"Without -d: totals since the module was loaded (or reset).\n"
		"\n"
		"  -d SEC     only what happens during the next SEC seconds (Ctrl-C\n"
		"             ends the wait early and prints what was collected)\n"
		ST_FILTER_USAGE
		"             A filter (CAP_NET_ADMIN) is set in the module while hist\n"
		"             runs, so it needs -d.\n"
		"  -j         one JSON object per histogram, one per line:\n"
		"             {\"name\",\"unit\",\"count\",\"sum\",\"buckets\":[{\"lo\",\"hi\",\"count\"}]}\n"
		"             (unit \"ns\" or \"bytes\", as the module says)\n"
		"  -h         this help\n");
}

static int st_hist_cb(struct nlattr **tb, void *arg)
{
	struct st_hist *h = arg;
	size_t len;

	if (!tb[SOCKTAP_A_HIST_BUCKETS]) {
		fprintf(stderr, "socktap: histogram reply without buckets\n");
		return ST_EXIT_ERROR;
	}
	if (tb[SOCKTAP_A_HIST_NAME])
		st_nla_strcpy(h->name, sizeof(h->name), tb[SOCKTAP_A_HIST_NAME]);
	/* Older modules only had nanoseconds and did not say. */
	if (tb[SOCKTAP_A_HIST_UNIT])
		st_nla_strcpy(h->unit, sizeof(h->unit), tb[SOCKTAP_A_HIST_UNIT]);
	len = (size_t)nla_len(tb[SOCKTAP_A_HIST_BUCKETS]);
	if (len > sizeof(h->b))
		len = sizeof(h->b);
	memset(h->b, 0, sizeof(h->b));
	memcpy(h->b, nla_data(tb[SOCKTAP_A_HIST_BUCKETS]), len);
	if (tb[SOCKTAP_A_HIST_SUM])
		h->sum = st_nla_uint(tb[SOCKTAP_A_HIST_SUM]);
	st_hist_recount(h);
	return 0;
}

static int st_put_hist_id(struct nl_msg *msg, void *arg)
{
	return nla_put_u32(msg, SOCKTAP_A_HIST_ID, *(unsigned int *)arg);
}

static int st_hist_fetch(struct st_nl *nl, unsigned int id, struct st_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->id = id;
	snprintf(h->name, sizeof(h->name), "%s", st_hist_id_name(id));
	return st_nl_call(nl, SOCKTAP_CMD_HIST_GET, 0, st_put_hist_id, &id,
			  st_hist_cb, h);
}

static int st_hist_fetch_all(struct st_nl *nl, const unsigned int *ids,
			     int n, struct st_hist *h)
{
	int i, rc;

	for (i = 0; i < n; i++) {
		rc = st_hist_fetch(nl, ids[i], &h[i]);
		if (rc)
			return rc;
	}
	return ST_EXIT_OK;
}

static int st_hist_show(struct st_opts *o, const struct st_hist *h, int n)
{
	struct json j;
	int i, rc = ST_EXIT_OK;

	for (i = 0; i < n; i++) {
		if (o->json) {
			json_init(&j, stdout);
			st_hist_json(&j, &h[i]);
			if (json_finish(&j))
				rc = ST_EXIT_ERROR;
		} else {
			if (i)
				putchar('\n');
			st_hist_print(stdout, &h[i]);
		}
	}
	if (fflush(stdout)) {
		perror("socktap: stdout");
		rc = ST_EXIT_ERROR;
	}
	return rc;
}

int cmd_hist(int argc, char **argv, struct st_opts *o)
{
	struct st_hist base[2], cur[2], out[2];
	struct st_filter f = { 0 };
	const char *why = NULL;
	unsigned int ids[2];
	uint64_t ms = 0;
	struct st_nl nl;
	int c, i, n, rc;

	optind = 0;
	while ((c = getopt(argc, argv, "hjd:" ST_FILTER_OPTS)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return ST_EXIT_OK;
		case 'j':
			o->json = 1;
			break;
		case 'd':
			if (st_parse_seconds(optarg, &ms, &why)) {
				fprintf(stderr, "socktap hist: -d %s: %s\n", optarg, why);
				return ST_EXIT_USAGE;
			}
			break;
		default:
			rc = st_filter_opt(&f, c, optarg, "hist");
			if (!rc)
				break;
			if (rc < 0)
				usage(stderr);
			return ST_EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "socktap hist: %s\n", optind < argc ?
			"one histogram NAME at a time" : "which histogram? (NAME)");
		usage(stderr);
		return ST_EXIT_USAGE;
	}
	n = st_hist_ids(argv[optind], ids);
	if (!n) {
		fprintf(stderr,
			"socktap hist: unknown histogram '%s' (connect, connect-async, first-byte,\n"
			"  lifetime, tcp-state-time, tcp-send-size, tcp-recv-size)\n",
			argv[optind]);
		return ST_EXIT_USAGE;
	}
	if (st_filter_any(&f) && !ms) {
		fprintf(stderr,
			"socktap hist: -p, -P and -N need -d SEC: the histograms hold totals since\n"
			"  load, so only what happens after the filter is set can be shown\n");
		return ST_EXIT_USAGE;
	}
	if (ms && st_loop_init()) {
		perror("socktap: signals");
		return ST_EXIT_ERROR;
	}
	rc = st_nl_open(&nl);
	if (rc)
		return rc;
	rc = st_filter_begin(&nl, &f, "hist");
	if (!rc)
		rc = st_hist_fetch_all(&nl, ids, n, ms ? base : out);
	if (!rc && ms) {
		if (st_wait(-1, st_now_mono() + ms * 1000000ull) == -2) {
			perror("socktap: waiting");
			rc = ST_EXIT_ERROR;
		}
		if (!rc)
			rc = st_hist_fetch_all(&nl, ids, n, cur);
		for (i = 0; !rc && i < n; i++)
			if (st_hist_delta(&cur[i], &base[i], &out[i]))
				fprintf(stderr,
					"socktap hist: %s was reset meanwhile: showing it since the reset\n",
					cur[i].name);
	}
	if (!rc)
		rc = st_hist_show(o, out, n);
	st_nl_close(&nl);
	return rc;
}
