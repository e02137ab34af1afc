// SPDX-License-Identifier: GPL-2.0
/* socktap top: per-process connections and socket I/O, refreshed. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fetch.h"
#include "json.h"
#include "fmt.h"
#include "loop.h"
#include "proc.h"
#include "status.h"
#include "util.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: socktap top [-n N] [-d SEC] [-s KEY] [-p PID] [-P PORT] [-N NETNS] [-j] [-h]\n"
		"\n"
		"Per-process connections and socket I/O from the module's process\n"
		"table.  The first screen shows totals since the module was loaded\n"
		"(or reset), each later one what happened during the interval; idle\n"
		"rows are left out then.  Ends after N screens, or on Ctrl-C.\n"
		"\n"
		"  -n N       screens to show (default: until interrupted)\n"
		"  -d SEC     seconds between screens (default 1; 0.5 is fine)\n"
		"  -s KEY     sort by pid (ascending), sends, recvs, send_kb, recv_kb,\n"
		"             connect, accept or bytes (default: sent + received bytes;\n"
		"             all but pid descending)\n"
		ST_FILTER_USAGE
		"             A filter (CAP_NET_ADMIN) is set in the module for as long\n"
		"             as top runs, and every screen shows only what happened\n"
		"             after it was set.\n"
		"  -j         one JSON object per screen, one per line:\n"
		"             {\"time\",\"interval\" (null for totals),\"processes\":[...]}\n"
		"  -h         this help\n"
		"\n"
		"Connections: CONNECT connect() that returned 0, INPROG -EINPROGRESS,\n"
		"REFUSED -ECONNREFUSED, ERROR another error, ACCEPT accept(), OPENED\n"
		"and CLOSED IPv4/IPv6 sockets.  I/O: one row per process, protocol\n"
		"and family, like SystemTap's socktop; KB = 1024 bytes.  top leaves\n"
		"its own process out.\n");
}

struct st_top {
	struct st_opts *o;
	enum st_sort_key key;
	unsigned long count;	/* screens; 0 = until interrupted */
	uint64_t interval_ms;
	int tty;
	int screens;		/* printed so far */
};

static int st_top_fetch(struct st_nl *nl, struct st_proc_list *l)
{
	/* Our own netlink reads would show up on every screen. */
	return st_proc_fetch(nl, l, (uint32_t)getpid());
}

static void st_top_header(struct st_top *t, uint64_t real_ns, double secs)
{
	time_t now = (time_t)(real_ns / 1000000000ull);
	char when[32];
	struct tm tm;

	if (!localtime_r(&now, &tm) ||
	    !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(when, sizeof(when), "%lld", (long long)now);
	if (t->tty)
		fputs("\033[H\033[2J", stdout);
	else if (t->screens)
		putchar('\n');
	if (secs < 0)
		printf("=== %s: totals since the module was loaded or reset ===\n",
		       when);
	else
		printf("=== %s: the last %.2f s ===\n", when, secs);
}

static void st_top_text(const struct st_proc_list *l, int interval,
			 const struct st_io_row *rows, size_t nrows)
{
	char s[24], r[24];
	size_t i;

	printf("%-7s %6s %-16s %10s %7s %6s %7s %6s %6s %6s %6s\n", "PID",
	       "UID", "COMM", "NETNS", "CONNECT", "INPROG", "REFUSED", "ERROR",
	       "ACCEPT", "OPENED", "CLOSED");
	for (i = 0; i < l->n; i++) {
		const struct st_proc *p = &l->v[i];

		if (interval && st_proc_conn_idle(p))
			continue;
		printf("%-7" PRIu32 " %6" PRIu32 " %-16s %10" PRIu32 " %7" PRIu64
		       " %6" PRIu64 " %7" PRIu64 " %6" PRIu64 " %6" PRIu64
		       " %6" PRIu64 " %6" PRIu64 "\n",
		       p->pid, p->uid, p->comm, p->netns, p->connect_ok,
		       p->connect_inprogress, p->connect_refused,
		       p->connect_error, p->accepts, p->created, p->closed);
	}
	printf("\n%-7s %6s %7s %7s %9s %9s %-5s %-6s %s\n", "PID", "UID",
	       "#SEND", "#RECV", "SEND_KB", "RECV_KB", "PROT", "FAMILY",
	       "COMMAND");
	for (i = 0; i < nrows; i++) {
		const struct st_io_row *w = &rows[i];

		printf("%-7" PRIu32 " %6" PRIu32 " %7" PRIu64 " %7" PRIu64
		       " %9s %9s %-5s %-6s %s\n",
		       w->p->pid, w->p->uid, w->io->sends, w->io->recvs,
		       st_fmt_kb(w->io->send_bytes, s, sizeof(s)),
		       st_fmt_kb(w->io->recv_bytes, r, sizeof(r)),
		       st_proto_name(w->proto, 0), st_family_name(w->family, 0),
		       w->p->comm);
	}
}

static int st_top_json(const struct st_proc_list *l, uint64_t real_ns,
		       double secs)
{
	struct json j;
	unsigned int i, k;
	size_t n;

	json_init(&j, stdout);
	json_begin_object(&j);
	json_key(&j, "time");
	json_fixed(&j, (double)real_ns / 1e9, 3);
	json_key(&j, "interval");
	if (secs < 0)
		json_null(&j);
	else
		json_fixed(&j, secs, 3);
	json_key(&j, "processes");
	json_begin_array(&j);
	for (n = 0; n < l->n; n++) {
		const struct st_proc *p = &l->v[n];

		json_begin_object(&j);
		json_kv_uint(&j, "pid", p->pid);
		json_kv_uint(&j, "uid", p->uid);
		json_kv_string(&j, "comm", p->comm);
		json_kv_uint(&j, "netns", p->netns);
		json_kv_uint(&j, "connect_ok", p->connect_ok);
		json_kv_uint(&j, "connect_inprogress", p->connect_inprogress);
		json_kv_uint(&j, "connect_refused", p->connect_refused);
		json_kv_uint(&j, "connect_error", p->connect_error);
		json_kv_uint(&j, "accepts", p->accepts);
		json_kv_uint(&j, "created", p->created);
		json_kv_uint(&j, "closed", p->closed);
		json_key(&j, "io");
		json_begin_array(&j);
		for (i = 0; i < __SOCKTAP_PROTO_MAX; i++) {
			for (k = 0; k < __SOCKTAP_FAMILY_MAX; k++) {
				const struct st_io *io = &p->io[i][k];

				if (!(p->io_mask & ST_IO_BIT(i, k)))
					continue;
				json_begin_object(&j);
				json_kv_string(&j, "proto", st_proto_name(i, 1));
				json_kv_string(&j, "family", st_family_name(k, 1));
				json_kv_uint(&j, "sends", io->sends);
				json_kv_uint(&j, "send_bytes", io->send_bytes);
				json_kv_uint(&j, "recvs", io->recvs);
				json_kv_uint(&j, "recv_bytes", io->recv_bytes);
				json_end_object(&j);
			}
		}
		json_end_array(&j);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
	return json_finish(&j) ? ST_EXIT_ERROR : ST_EXIT_OK;
}

/* One screen of l; secs < 0: totals, else an interval of that length. */
static int st_top_show(struct st_top *t, struct st_proc_list *l,
		       uint64_t real_ns, double secs)
{
	struct st_io_row *rows = NULL;
	size_t nrows = 0;
	int rc = ST_EXIT_OK;

	st_proc_sort(l, t->key);
	if (t->o->json) {
		rc = st_top_json(l, real_ns, secs);
	} else {
		if (l->n) {
			rows = calloc(l->n * __SOCKTAP_PROTO_MAX *
				      __SOCKTAP_FAMILY_MAX, sizeof(*rows));
			if (!rows) {
				fprintf(stderr, "socktap: out of memory\n");
				return ST_EXIT_ERROR;
			}
			nrows = st_io_rows(l, rows, secs >= 0, t->key);
		}
		st_top_header(t, real_ns, secs);
		st_top_text(l, secs >= 0, rows, nrows);
		free(rows);
	}
	t->screens++;
	if (fflush(stdout)) {
		perror("socktap: stdout");
		rc = ST_EXIT_ERROR;
	}
	return rc;
}

static int st_top_run(struct st_top *t, struct st_nl *nl, int baseline)
{
	struct st_proc_list prev = { 0 }, cur = { 0 }, delta = { 0 }, tmp;
	uint64_t prev_t = 0, step = t->interval_ms * 1000000ull;
	unsigned long i;
	int rc = ST_EXIT_OK, w;

	if (baseline) {
		rc = st_top_fetch(nl, &prev);
		prev_t = st_now_mono();
	}
	for (i = 0; !rc && (!t->count || i < t->count); i++) {
		if (i || baseline) {
			w = st_wait(-1, prev_t + step);
			if (w == -1)
				break;
			if (w < 0) {
				perror("socktap: waiting");
				rc = ST_EXIT_ERROR;
				break;
			}
		}
		rc = st_top_fetch(nl, &cur);
		if (rc)
			break;
		if (!i && !baseline) {
			prev_t = st_now_mono();
			rc = st_top_show(t, &cur, st_now_real(), -1.0);
		} else {
			uint64_t now = st_now_mono();

			delta.n = 0;
			if (st_proc_delta(&prev, &cur, &delta, 1)) {
				fprintf(stderr, "socktap: out of memory\n");
				rc = ST_EXIT_ERROR;
				break;
			}
			rc = st_top_show(t, &delta, st_now_real(),
					 (double)(now - prev_t) / 1e9);
			prev_t = now;
		}
		tmp = prev;
		prev = cur;
		cur = tmp;
	}
	st_proc_free(&prev);
	st_proc_free(&cur);
	st_proc_free(&delta);
	return rc;
}

int cmd_top(int argc, char **argv, struct st_opts *o)
{
	struct st_top t = { .o = o, .key = ST_SORT_BYTES, .interval_ms = 1000 };
	struct st_filter f = { 0 };
	const char *why = NULL;
	struct st_nl nl;
	uint64_t v;
	int c, rc;

	optind = 0;
	while ((c = getopt(argc, argv, "hjn:d:s:" ST_FILTER_OPTS)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return ST_EXIT_OK;
		case 'j':
			o->json = 1;
			break;
		case 'n':
			if (st_parse_uint(optarg, 1000000000, &v, &why) || !v) {
				fprintf(stderr, "socktap top: -n %s: %s\n", optarg,
					why ? why : "must be at least 1");
				return ST_EXIT_USAGE;
			}
			t.count = (unsigned long)v;
			break;
		case 'd':
			if (st_parse_seconds(optarg, &t.interval_ms, &why)) {
				fprintf(stderr, "socktap top: -d %s: %s\n", optarg, why);
				return ST_EXIT_USAGE;
			}
			break;
		case 's':
			rc = st_sort_key_parse(optarg);
			if (rc < 0) {
				fprintf(stderr, "socktap top: -s %s: unknown sort key\n",
					optarg);
				usage(stderr);
				return ST_EXIT_USAGE;
			}
			t.key = (enum st_sort_key)rc;
			break;
		default:
			rc = st_filter_opt(&f, c, optarg, "top");
			if (!rc)
				break;
			if (rc < 0)
				usage(stderr);
			return ST_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "socktap top: unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		return ST_EXIT_USAGE;
	}
	if (st_loop_init()) {
		perror("socktap: signals");
		return ST_EXIT_ERROR;
	}
	t.tty = !o->json && isatty(STDOUT_FILENO);
	rc = st_nl_open(&nl);
	if (rc)
		return rc;
	rc = st_filter_begin(&nl, &f, "top");
	if (!rc)
		rc = st_top_run(&t, &nl, st_filter_any(&f));
	/* Closing the socket clears an owned filter. */
	st_nl_close(&nl);
	return rc;
}
