// SPDX-License-Identifier: GPL-2.0
/* socktap hist: the module's histograms, in bpftrace's layout. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fetch.h"
#include "fmt.h"
#include "hist.h"
#include "loop.h"
#include "sizehist.h"
#include "status.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: socktap hist NAME [-d SEC] [-p PID] [-P PORT] [-N NETNS] [-j] [-h]\n"
		"       socktap hist -P [-p PID] [-d SEC] [-j] [NAME...]\n"
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
		"  tcp-sendmsg     bytes each TCP sendmsg() call sent\n"
		"  tcp-recvmsg     bytes each TCP recvmsg() call returned\n"
		"  udp-sendmsg     bytes each UDP sendmsg() call sent\n"
		"  udp-recvmsg     bytes each UDP recvmsg() call returned\n"
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
		"  -h         this help\n"
		"\n"
		"Per process (-P, or --per-process; -P followed by a number is the\n"
		"port filter; CAP_NET_ADMIN): the sizes of sendmsg/recvmsg calls by\n"
		"process, one histogram per process and NAME (tcp-sendmsg,\n"
		"tcp-recvmsg, udp-sendmsg, udp-recvmsg; default all four) like\n"
		"bpftrace's @bytes[comm, pid] = hist(size): @tcp_sendmsg_bytes[curl,\n"
		"1234]:, the processes with fewest calls first.  -p PID shows one\n"
		"process, -d SEC what happens during SEC seconds.  -j: one JSON\n"
		"object {\"processes\":[{\"pid\",\"comm\",\"histograms\":[{\"name\",\n"
		"\"unit\",\"count\",\"sum\",\"buckets\"}]}]}.\n");
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

/* ---- per process (-P): SIZE_GET */

enum { ST_OPT_PER_PROCESS = 256 };

static const struct option st_hist_longopts[] = {
	{ "per-process", no_argument, NULL, ST_OPT_PER_PROCESS },
	{ NULL, 0, NULL, 0 },
};

static int st_is_number(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/*
 * -P is the port filter when a number follows it (-P 80, -P80), else the
 * per-process switch: rewrite that "-P" as "--per-process".  Arguments
 * of the other options are stepped over, as getopt would take them.
 */
static void st_hist_argv_per_process(int argc, char **argv)
{
	static char per_process[] = "--per-process";
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-P")) {
			if (i + 1 < argc && st_is_number(argv[i + 1]))
				i++;
			else
				argv[i] = per_process;
		} else if (!strcmp(argv[i], "-d") || !strcmp(argv[i], "-p") ||
			   !strcmp(argv[i], "-N")) {
			i++;
		}
	}
}

static int st_hist_sizes(struct st_opts *o, const struct st_filter *f,
			 uint64_t ms, char *const *names, int nnames)
{
	struct st_size_list base = { 0 }, cur = { 0 }, delta = { 0 };
	const struct st_size_list *show = &base;
	unsigned int mask;
	const char *bad;
	struct st_nl nl;
	long n;
	int rc;

	if (st_size_mask(names, nnames, &mask, &bad)) {
		fprintf(stderr,
			"socktap hist: -P: '%s' is not a size histogram (tcp-sendmsg, tcp-recvmsg,\n"
			"  udp-sendmsg, udp-recvmsg)\n", bad);
		return ST_EXIT_USAGE;
	}
	if (f->port || f->netns) {
		fprintf(stderr, "socktap hist: -P shows processes: -p PID only, no port or netns filter\n");
		return ST_EXIT_USAGE;
	}
	if (ms && st_loop_init()) {
		perror("socktap: signals");
		return ST_EXIT_ERROR;
	}
	rc = st_nl_open(&nl);
	if (rc)
		return rc;
	rc = st_size_fetch(&nl, &base);
	if (!rc && ms) {
		if (st_wait(-1, st_now_mono() + ms * 1000000ull) == -2) {
			perror("socktap: waiting");
			rc = ST_EXIT_ERROR;
		}
		if (!rc)
			rc = st_size_fetch(&nl, &cur);
		if (!rc && st_size_delta(&cur, &base, &delta)) {
			fprintf(stderr, "socktap: out of memory\n");
			rc = ST_EXIT_ERROR;
		}
		show = &delta;
	}
	st_nl_close(&nl);
	if (!rc) {
		if (o->json)
			n = st_size_json(stdout, show, mask, f->pid);
		else
			n = st_size_print(stdout, show, mask, f->pid);
		if (n < 0) {
			fprintf(stderr, "socktap: out of memory\n");
			rc = ST_EXIT_ERROR;
		} else if (!n && f->pid) {
			fprintf(stderr, "socktap hist: no I/O sizes of pid %u%s\n",
				f->pid, ms ? " in that time" : "");
		} else if (!n) {
			fprintf(stderr, "socktap hist: no I/O sizes recorded%s\n",
				ms ? " in that time" : "");
		}
		if (fflush(stdout)) {
			perror("socktap: stdout");
			rc = ST_EXIT_ERROR;
		}
	}
	st_size_free(&base);
	st_size_free(&cur);
	st_size_free(&delta);
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
	int c, i, n, rc, per_proc = 0;

	st_hist_argv_per_process(argc, argv);
	optind = 0;
	while ((c = getopt_long(argc, argv, "hjd:" ST_FILTER_OPTS,
				st_hist_longopts, NULL)) != -1) {
		switch (c) {
		case ST_OPT_PER_PROCESS:
			per_proc = 1;
			break;
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
	if (per_proc)
		return st_hist_sizes(o, &f, ms, argv + optind, argc - optind);
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
			"  lifetime, tcp-state-time, tcp-send-size, tcp-recv-size, tcp-sendmsg,\n"
			"  tcp-recvmsg, udp-sendmsg, udp-recvmsg)\n",
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
