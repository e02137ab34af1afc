// SPDX-License-Identifier: GPL-2.0
/* socktap backlog: listeners, their queue limits, overflows and queues. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>

#include "cli.h"
#include "json.h"
#include "nl.h"
#include "tcpstat.h"

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

struct st_listen_list {
	struct st_listen *v;
	size_t n, cap;
};

static uint64_t st_get(struct nlattr **tb, int attr)
{
	return tb[attr] ? st_nla_uint(tb[attr]) : 0;
}

/* A queue histogram; shorter (or longer) than ours is tolerated. */
static void st_get_qlen(struct nlattr *a, uint64_t *b)
{
	size_t len;

	memset(b, 0, SOCKTAP_QLEN_BUCKETS * sizeof(*b));
	if (!a)
		return;
	len = (size_t)nla_len(a) / sizeof(*b) * sizeof(*b);
	if (len > SOCKTAP_QLEN_BUCKETS * sizeof(*b))
		len = SOCKTAP_QLEN_BUCKETS * sizeof(*b);
	memcpy(b, nla_data(a), len);
}

static int st_listen_cb(struct nlattr **tb, void *arg)
{
	struct st_listen_list *l = arg;
	struct st_listen *r;

	if (!tb[SOCKTAP_A_LISTEN_PORT]) {
		fprintf(stderr, "socktap: listener record without a port\n");
		return ST_EXIT_ERROR;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct st_listen *v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			fprintf(stderr, "socktap: out of memory\n");
			return ST_EXIT_ERROR;
		}
		l->v = v;
		l->cap = cap;
	}
	r = &l->v[l->n++];
	memset(r, 0, sizeof(*r));
	r->port = (uint16_t)st_get(tb, SOCKTAP_A_LISTEN_PORT);
	r->family = (unsigned int)st_get(tb, SOCKTAP_A_LISTEN_FAMILY);
	r->netns = (uint32_t)st_get(tb, SOCKTAP_A_LISTEN_NETNS);
	r->pid = (uint32_t)st_get(tb, SOCKTAP_A_LISTEN_PID);
	if (tb[SOCKTAP_A_LISTEN_COMM])
		st_nla_strcpy(r->comm, sizeof(r->comm), tb[SOCKTAP_A_LISTEN_COMM]);
	r->backlog_max = (uint32_t)st_get(tb, SOCKTAP_A_LISTEN_BACKLOG_MAX);
	r->conns = st_get(tb, SOCKTAP_A_LISTEN_CONNS);
	r->overflows = st_get(tb, SOCKTAP_A_LISTEN_OVERFLOWS);
	r->syn_drops = st_get(tb, SOCKTAP_A_LISTEN_SYN_DROPS);
	st_get_qlen(tb[SOCKTAP_A_LISTEN_ACCEPTQ], r->acceptq);
	st_get_qlen(tb[SOCKTAP_A_LISTEN_SYNQ], r->synq);
	return 0;
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
	rc = st_nl_call(&nl, SOCKTAP_CMD_LISTEN_GET, 1, NULL, NULL,
			st_listen_cb, &l);
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
	free(l.v);
	return rc;
}
