// SPDX-License-Identifier: GPL-2.0
/* socktap backlog: listeners, their queue limits, overflows and queues. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "fetch.h"
#include "json.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: socktap backlog [-j] [-h]\n"
		"\n"
		"Every TCP listener the module has seen since it was loaded (or\n"
		"reset), one row each, sorted by port:\n"
		"  PORT FAM NETNS PID COMM MAX CONNS OVERFLOWS SYN_DROPS\n"
		"PID and COMM made the listener; MAX is its last seen accept queue\n"
		"limit (listen()'s backlog); CONNS connections handed to its accept\n"
		"queue; OVERFLOWS connections dropped because that queue was full (the\n"
		"kernel's ListenOverflows); SYN_DROPS SYNs dropped because the SYN\n"
		"queue was full and syncookies could not be used.\n"
		"\n"
		"Then, for each listener with connections, the length of its accept\n"
		"queue and of its SYN queue at each new connection, as bpftrace\n"
		"histograms (@acceptq[PORT]:, @synq[PORT]:; the family and netns join\n"
		"PORT when two listeners share it).  Needs CAP_NET_ADMIN.\n"
		"\n"
		"  -j         one JSON array of listener objects: {\"port\",\"family\",\n"
		"             \"netns\",\"pid\",\"comm\",\"backlog_max\",\"conns\",\"overflows\",\n"
		"             \"syn_drops\",\"acceptq\":[{\"lo\",\"hi\",\"count\"}],\"synq\":[...]}\n"
		"             (non-zero buckets; hi exclusive)\n"
		"  -h         this help\n");
}

int cmd_backlog(int argc, char **argv, struct st_opts *o)
{
	struct st_listen_list l = { 0 };
	struct st_nl nl;
	struct json j;
	int rc;

	rc = st_common_opts(argc, argv, o, usage);
	if (rc >= 0)
		return rc;
	if (optind != argc) {
		fprintf(stderr, "socktap backlog: unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		return ST_EXIT_USAGE;
	}
	rc = st_nl_open(&nl);
	if (rc)
		return rc;
	rc = st_listen_fetch(&nl, &l);
	st_nl_close(&nl);
	if (!rc) {
		st_listen_sort(l.v, l.n);
		if (o->json) {
			json_init(&j, stdout);
			st_listen_json(&j, l.v, l.n);
			if (json_finish(&j))
				rc = ST_EXIT_ERROR;
		} else {
			st_listen_print(stdout, l.v, l.n);
		}
		if (fflush(stdout)) {
			perror("socktap: stdout");
			rc = ST_EXIT_ERROR;
		}
	}
	st_listen_list_free(&l);
	return rc;
}
