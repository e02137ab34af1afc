// SPDX-License-Identifier: GPL-2.0
/* socktap filter: the module's persistent filter; socktap reset. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "fmt.h"
#include "status.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: socktap filter [-p PID] [-P PORT] [-N NETNS] [-j] [-h]\n"
		"       socktap filter clear\n"
		"\n"
		"Without options: show the module's filter.  With options: set it\n"
		"(CAP_NET_ADMIN) until changed or cleared; options left out match\n"
		"anything.  While a filter is set the module counts, records and\n"
		"streams only the matching activity.  top, hist and watch take the\n"
		"same options to filter only while they run.\n"
		"\n"
		ST_FILTER_USAGE
		"  -j         JSON output: {\"pid\",\"port\",\"netns\",\"filtered\"} (0 = any)\n"
		"  -h         this help\n");
}

static int st_filter_show(struct st_nl *nl, struct st_opts *o)
{
	struct st_status s;
	struct json j;
	char buf[96];
	int rc;

	rc = st_status_fetch(nl, &s);
	if (rc)
		return rc;
	if (!(s.have & ST_HAVE_FILTER)) {
		fprintf(stderr, "socktap filter: the loaded module reports no filter (too old?)\n");
		return ST_EXIT_ERROR;
	}
	if (o->json) {
		json_init(&j, stdout);
		json_begin_object(&j);
		json_kv_uint(&j, "pid", s.filter_pid);
		json_kv_uint(&j, "port", s.filter_port);
		json_kv_uint(&j, "netns", s.filter_netns);
		json_kv_uint(&j, "filtered", s.filtered);
		json_end_object(&j);
		if (json_finish(&j))
			return ST_EXIT_ERROR;
	} else {
		printf("filter: %s (%" PRIu64 " events filtered)\n",
		       st_fmt_filter(s.filter_pid, s.filter_port, s.filter_netns,
				     buf, sizeof(buf)),
		       s.filtered);
	}
	return ST_EXIT_OK;
}

int cmd_filter(int argc, char **argv, struct st_opts *o)
{
	struct st_filter f = { 0 };
	struct st_nl nl;
	int c, rc, set = 0;

	optind = 0;
	while ((c = getopt(argc, argv, "hj" ST_FILTER_OPTS)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return ST_EXIT_OK;
		case 'j':
			o->json = 1;
			break;
		default:
			rc = st_filter_opt(&f, c, optarg, "filter");
			if (!rc) {
				set = 1;
				break;
			}
			if (rc < 0)
				usage(stderr);
			return ST_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		if (set || argc - optind != 1 || strcmp(argv[optind], "clear")) {
			fprintf(stderr, "socktap filter: unexpected argument '%s'\n",
				argv[optind]);
			usage(stderr);
			return ST_EXIT_USAGE;
		}
		set = 1;	/* clear: set to all zero */
	}
	rc = st_nl_open(&nl);
	if (rc)
		return rc;
	if (set)
		rc = st_filter_set(&nl, &f, 0);
	if (!rc)
		rc = st_filter_show(&nl, o);
	st_nl_close(&nl);
	if (!rc && fflush(stdout)) {
		perror("socktap: stdout");
		rc = ST_EXIT_ERROR;
	}
	return rc;
}

static void reset_usage(FILE *out)
{
	fprintf(out,
		"usage: socktap reset [-j] [-h]\n"
		"\n"
		"Empty the module's process table, histograms, TCP counters and\n"
		"listener table (CAP_NET_ADMIN); top, hist, tcp and backlog then\n"
		"count from zero.  The socket table follows live sockets and stays.\n"
		"\n"
		"  -j   JSON output: {\"reset\": true}\n"
		"  -h   this help\n");
}

int cmd_reset(int argc, char **argv, struct st_opts *o)
{
	struct st_nl nl;
	int rc;

	rc = st_common_opts(argc, argv, o, reset_usage);
	if (rc >= 0)
		return rc;
	if (optind != argc) {
		reset_usage(stderr);
		return ST_EXIT_USAGE;
	}
	rc = st_nl_open(&nl);
	if (rc)
		return rc;
	rc = st_nl_call(&nl, SOCKTAP_CMD_RESET, 0, NULL, NULL, NULL, NULL);
	st_nl_close(&nl);
	if (rc)
		return rc;
	if (o->json)
		printf("{\"reset\":true}\n");
	else
		printf("process table and histograms reset\n");
	if (fflush(stdout)) {
		perror("socktap: stdout");
		return ST_EXIT_ERROR;
	}
	return ST_EXIT_OK;
}
