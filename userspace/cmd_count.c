// SPDX-License-Identifier: GPL-2.0
/* socktap count: calls per kernel function, like funccount. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <netlink/attr.h>

#include "cli.h"
#include "count.h"
#include "fmt.h"
#include "funcnl.h"
#include "json.h"
#include "kfunc.h"
#include "loop.h"
#include "nl.h"
#include "status.h"
#include "util.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: socktap count [-d SEC] [-i SEC] [-a] [-j] [-h] GLOB...\n"
		"\n"
		"Count the calls of the kernel functions whose names match the shell\n"
		"GLOBs (as 'socktap funcs' lists them; a name without wildcards is\n"
		"tried even when kallsyms lacks it), like bcc's funccount: a counting\n"
		"kprobe on each, attached for as long as count runs (CAP_NET_ADMIN).\n"
		"Functions the kprobe layer refuses are named on stderr and skipped;\n"
		"the count_max module parameter bounds how many are attached at once.\n"
		"\n"
		"Without -d: every SEC seconds (-i, default 1) a table of the calls\n"
		"since the start, until Ctrl-C; then the final table.  With -d: one\n"
		"table after SEC seconds (Ctrl-C ends the wait early).\n"
		"\n"
		"  -d SEC     count for SEC seconds, then print the table\n"
		"  -i SEC     seconds between tables (default 1; with -d: refresh too)\n"
		"  -a         also the functions that were not called\n"
		"  -j         one JSON object at the end, no refreshing:\n"
		"             {\"functions\":[{\"name\",\"calls\",\"missed\",\"ftrace\"}],\n"
		"             \"attached\",\"skipped\":[{\"name\",\"error\",\"reason\"}]}\n"
		"  -h         this help\n"
		"\n"
		"Table: FUNC CALLS, most calls first; MISSED (calls the kprobe layer\n"
		"skipped, e.g. recursion) appears when any is non-zero.  count's own\n"
		"netlink requests are counted too.\n"
		"\n"
		"  socktap count 'tcp_*'        socktap count -d 10 tcp_sendmsg 'ip_*'\n");
}

struct st_count {
	struct st_opts *o;
	struct st_kfuncs k;
	struct st_names bl;
	struct st_kfunc_sel sel;
	struct st_count_list rows;
	uint64_t dur_ms, int_ms;
	int all, int_given, tty, refresh, screens;
	size_t attached, skipped;
	uint64_t start;
};

static int st_count_cb(struct nlattr **tb, void *arg)
{
	struct st_count_list *l = arg;
	char name[SOCKTAP_FUNC_NAME_MAX];

	if (!tb[SOCKTAP_A_FUNC_NAME]) {
		fprintf(stderr, "socktap: count record without a name\n");
		return ST_EXIT_ERROR;
	}
	st_nla_strcpy(name, sizeof(name), tb[SOCKTAP_A_FUNC_NAME]);
	if (st_count_push(l, name,
			  tb[SOCKTAP_A_FUNC_HITS] ?
			  st_nla_uint(tb[SOCKTAP_A_FUNC_HITS]) : 0,
			  tb[SOCKTAP_A_FUNC_MISSED] ?
			  st_nla_uint(tb[SOCKTAP_A_FUNC_MISSED]) : 0,
			  tb[SOCKTAP_A_FUNC_FLAGS] ?
			  (uint32_t)st_nla_uint(tb[SOCKTAP_A_FUNC_FLAGS]) : 0)) {
		fprintf(stderr, "socktap: out of memory\n");
		return ST_EXIT_ERROR;
	}
	return 0;
}

static int st_count_fetch(struct st_count *t, struct st_nl *nl)
{
	int rc;

	st_count_clear(&t->rows);
	rc = st_nl_session_call(nl, SOCKTAP_CMD_COUNT_GET, 1, NULL, NULL,
				st_count_cb, &t->rows);
	if (!rc)
		st_count_sort(&t->rows);
	return rc;
}

/* Which limit a full count table is. */
static void st_count_full(const struct st_status *s, size_t left)
{
	if (s->have & ST_HAVE_COUNT)
		fprintf(stderr,
			"socktap count: the module's count_max parameter (%" PRIu64 ") is reached: %zu more\n"
			"  functions not attached (load the module with a larger count_max=N)\n",
			s->count_max, left);
	else
		fprintf(stderr,
			"socktap count: the module's count_max parameter is reached: %zu more functions\n"
			"  not attached (load the module with a larger count_max=N)\n",
			left);
}

static void st_count_say_skipped(const struct st_kfunc *f)
{
	char reason[128];

	fprintf(stderr, "skipped %s: %s\n", f->name,
		f->checked || f->blacklisted ?
		st_kfunc_reason(f, reason, sizeof(reason)) :
		"the module did not answer");
}

static int st_count_attach(struct st_count *t, struct st_nl *nl,
			   const struct st_status *s)
{
	size_t i, n = 0, off, len, un, full_from = 0, nfull = 0;
	struct st_kfunc **v;
	int rc = ST_EXIT_OK, full = 0;

	v = malloc((t->sel.n ? t->sel.n : 1) * sizeof(*v));
	if (!v) {
		fprintf(stderr, "socktap: out of memory\n");
		return ST_EXIT_ERROR;
	}
	for (i = 0; i < t->sel.n; i++) {
		if (t->sel.v[i].blacklisted)
			st_count_say_skipped(&t->sel.v[i]);
		else
			v[n++] = &t->sel.v[i];
	}
	if ((s->have & ST_HAVE_COUNT) && s->count_used + n > s->count_max)
		fprintf(stderr,
			"socktap count: %zu functions, but count_max is %" PRIu64 " (%" PRIu64 " in use)\n",
			n, s->count_max, s->count_used);
	nl->quiet = 1;
	for (off = 0; off < n; off += len) {
		/* Ctrl-C while attaching: count what is attached so far. */
		if (st_loop_pending()) {
			for (i = off; i < n; i++)
				v[i]->error = EINTR;
			fprintf(stderr, "socktap count: interrupted: %zu functions not attached\n",
				n - off);
			break;
		}
		len = st_funcs_batch_len(v + off, n - off);
		rc = st_funcs_request(nl, SOCKTAP_CMD_COUNT_ADD, v + off, len,
				      &un);
		if (rc && (nl->err == -ENOSPC || nl->err == -EBUSY)) {
			/* The whole request: nothing of it attached. */
			rc = ST_EXIT_OK;
			full = 1;
			full_from = off;
			break;
		}
		if (rc) {
			if (rc == ST_EXIT_PERM)
				fprintf(stderr,
					"socktap: permission denied: this needs CAP_NET_ADMIN (run it as root)\n");
			else if (nl->err == -EOPNOTSUPP)
				fprintf(stderr,
					"socktap count: the loaded module is older than this CLI (no COUNT_ADD)\n");
			else
				st_nl_report_error(nl, SOCKTAP_CMD_COUNT_ADD);
			break;
		}
		for (i = off; i < off + len; i++) {
			if (v[i]->checked && !v[i]->error)
				t->attached++;
			else if (v[i]->error == ENOSPC || v[i]->error == EBUSY)
				nfull++;
			else
				st_count_say_skipped(v[i]);
		}
		if (nfull) {
			full = 1;
			full_from = off + len;
			break;
		}
	}
	nl->quiet = 0;
	if (full) {
		for (i = full_from; i < n; i++, nfull++)
			v[i]->error = ENOSPC;
		st_count_full(s, nfull);
	}
	t->skipped = t->sel.n - t->attached;
	free(v);
	return rc;
}

static void st_count_header(struct st_count *t, int final)
{
	double secs = (double)(st_now_mono() - t->start) / 1e9;
	time_t now = time(NULL);
	char when[16];
	struct tm tm;

	if (!localtime_r(&now, &tm) ||
	    !strftime(when, sizeof(when), "%H:%M:%S", &tm))
		snprintf(when, sizeof(when), "?");
	if (t->tty && !final)
		fputs("\033[H\033[2J", stdout);
	else if (t->screens)
		putchar('\n');
	printf("=== %s: %s%zu functions, %.1f s ===\n", when,
	       final ? "final, " : "", t->attached, secs);
}

/* The functions not attached: blacklisted, refused, or no room. */
static void st_count_skipped_json(struct json *j, const struct st_count *t)
{
	char reason[128], num[24];
	size_t i;

	json_begin_array(j);
	for (i = 0; i < t->sel.n; i++) {
		const struct st_kfunc *f = &t->sel.v[i];

		if (f->checked && !f->error)
			continue;
		json_begin_object(j);
		json_kv_string(j, "name", f->name);
		json_key(j, "error");
		if (f->error)
			json_string(j, st_errno_name(f->error, num, sizeof(num)));
		else
			json_null(j);
		json_kv_string(j, "reason", f->error || f->blacklisted ?
			       st_kfunc_reason(f, reason, sizeof(reason)) :
			       "the module did not answer");
		json_end_object(j);
	}
	json_end_array(j);
}

static int st_count_show(struct st_count *t, int final)
{
	int rc = ST_EXIT_OK;

	if (t->o->json) {
		struct json j;

		json_init(&j, stdout);
		json_begin_object(&j);
		json_key(&j, "functions");
		st_count_json(&j, &t->rows, t->all);
		json_kv_uint(&j, "attached", t->attached);
		json_key(&j, "skipped");
		st_count_skipped_json(&j, t);
		json_end_object(&j);
		if (json_finish(&j))
			rc = ST_EXIT_ERROR;
	} else {
		if (t->refresh)
			st_count_header(t, final);
		st_count_print(stdout, &t->rows, t->all);
		t->screens++;
	}
	if (fflush(stdout)) {
		perror("socktap: stdout");
		rc = ST_EXIT_ERROR;
	}
	return rc;
}

static int st_count_run(struct st_count *t, struct st_nl *nl)
{
	uint64_t end = 0, next, deadline, now, step = t->int_ms * 1000000ull;
	int w, rc;

	t->refresh = !t->o->json && (!t->dur_ms || t->int_given);
	t->start = st_now_mono();
	if (t->dur_ms)
		end = t->start + t->dur_ms * 1000000ull;
	next = t->start + step;
	for (;;) {
		deadline = t->refresh ? next : end;
		if (end && end < deadline)
			deadline = end;
		w = st_wait(st_nl_watch_fd(nl), deadline);
		if (w == -1)
			break;
		if (w < 0) {
			perror("socktap: waiting");
			return ST_EXIT_ERROR;
		}
		if (w == 1) {
			if (!st_nl_gone(nl))
				continue;
			fprintf(stderr, "socktap: the socktap module was unloaded\n");
			return ST_EXIT_NOMODULE;
		}
		now = st_now_mono();
		if (end && now >= end)
			break;
		rc = st_count_fetch(t, nl);
		if (!rc)
			rc = st_count_show(t, 0);
		if (rc)
			return rc;
		while (next <= now)
			next += step;
	}
	rc = st_count_fetch(t, nl);
	if (!rc)
		rc = st_count_show(t, 1);
	return rc;
}

int cmd_count(int argc, char **argv, struct st_opts *o)
{
	struct st_count t = { .o = o, .int_ms = 1000 };
	struct st_status s;
	const char *why = NULL;
	size_t *matched = NULL;
	struct st_nl nl;
	int c, g, nglobs, rc;

	optind = 0;
	while ((c = getopt(argc, argv, "ad:i:hj")) != -1) {
		switch (c) {
		case 'a':
			t.all = 1;
			break;
		case 'd':
			if (st_parse_seconds(optarg, &t.dur_ms, &why)) {
				fprintf(stderr, "socktap count: -d %s: %s\n", optarg, why);
				return ST_EXIT_USAGE;
			}
			break;
		case 'i':
			if (st_parse_seconds(optarg, &t.int_ms, &why)) {
				fprintf(stderr, "socktap count: -i %s: %s\n", optarg, why);
				return ST_EXIT_USAGE;
			}
			t.int_given = 1;
			break;
		case 'h':
			usage(stdout);
			return ST_EXIT_OK;
		case 'j':
			o->json = 1;
			break;
		default:
			usage(stderr);
			return ST_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "socktap count: which functions? (GLOB...)\n");
		usage(stderr);
		return ST_EXIT_USAGE;
	}
	nglobs = argc - optind;
	if (st_loop_init()) {
		perror("socktap: signals");
		return ST_EXIT_ERROR;
	}
	t.tty = !o->json && isatty(STDOUT_FILENO);
	rc = st_nl_open(&nl);
	if (rc)
		return rc;
	if (st_kfuncs_load(&t.k, ST_KALLSYMS_PATH))
		fprintf(stderr, "socktap count: %s: %s: only names without wildcards work\n",
			ST_KALLSYMS_PATH, strerror(errno));
	if (st_blacklist_load(&t.bl, ST_KPROBE_BLACKLIST))
		memset(&t.bl, 0, sizeof(t.bl));
	matched = calloc((size_t)nglobs, sizeof(*matched));
	if (!matched || st_kfuncs_select(&t.k, &t.bl, argv + optind, nglobs,
					 matched, &t.sel)) {
		fprintf(stderr, "socktap: out of memory\n");
		rc = ST_EXIT_ERROR;
		goto out;
	}
	for (g = 0; g < nglobs; g++)
		if (!matched[g])
			fprintf(stderr, "socktap count: no kernel function matches '%s'\n",
				argv[optind + g]);
	if (t.sel.too_long)
		fprintf(stderr, "socktap count: %zu names skipped: longer than %d bytes\n",
			t.sel.too_long, SOCKTAP_FUNC_NAME_MAX - 1);
	rc = st_status_fetch(&nl, &s);
	if (!rc)
		rc = st_nl_watch(&nl);
	if (!rc)
		rc = st_count_attach(&t, &nl, &s);
	if (rc)
		goto out;
	fprintf(stderr, "attached %zu of %zu functions (%zu skipped)\n",
		t.attached, t.sel.n, t.skipped);
	if (!t.attached) {
		fprintf(stderr, "socktap count: nothing to count\n");
		rc = ST_EXIT_ERROR;
		goto out;
	}
	if (t.dur_ms)
		fprintf(stderr, "counting for %.3g s (Ctrl-C ends it early)\n",
			(double)t.dur_ms / 1000.0);
	else
		fprintf(stderr, "counting, Ctrl-C to end\n");
	rc = st_count_run(&t, &nl);
out:
	/* Closing the socket detaches the probes. */
	st_nl_close(&nl);
	free(matched);
	st_count_free(&t.rows);
	st_kfunc_sel_free(&t.sel);
	st_names_free(&t.bl);
	st_kfuncs_free(&t.k);
	return rc;
}
