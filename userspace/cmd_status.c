// SPDX-License-Identifier: GPL-2.0
/* socktap status: what is loaded, on which kernel, and its probe points. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <netlink/attr.h>

#include "cli.h"
#include "fmt.h"
#include "probes.h"
#include "status.h"
#include "util.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: socktap status [-j] [-h]\n"
		"\n"
		"Show the loaded module's version, the kernel release, the use of\n"
		"its socket and process tables, the event stream's counters, the\n"
		"filter, and every probe point with its kind, state (attached,\n"
		"unavailable on this kernel, disabled, failed), hits and missed hits;\n"
		"with a module that has them, the size table, the counting probes\n"
		"(socktap count) against count_max and the stack table and session\n"
		"(socktap stacks).\n"
		"\n"
		"  -j   JSON output; its \"json_schema\" is the version of every command's\n"
		"       JSON (keys are only added; a removed or changed key bumps it)\n"
		"  -h   this help\n");
}

/* The table, event and filter lines; returns how many it printed. */
static int st_status_counters_text(const struct st_status *s)
{
	const struct st_table_desc *t;
	char buf[96];
	size_t i;
	int n = 0;

	for (i = 0; i < st_ntables; i++) {
		t = &st_tables[i];
		if (!(s->have & t->have))
			continue;
		printf("%s: %" PRIu64 "/%" PRIu64 " %s, %" PRIu64 " %s (table was full)\n",
		       t->text, st_table_val(s, t, 1), st_table_val(s, t, 0),
		       t->rows, st_table_val(s, t, 2), t->lost);
		n++;
	}
	if (s->have & ST_HAVE_EV) {
		printf("events: queued %" PRIu64 ", lost %" PRIu64 ", undelivered %" PRIu64 "\n",
		       s->ev_queued, s->ev_lost, s->ev_undelivered);
		n++;
	}
	if (s->have & ST_HAVE_FILTER) {
		printf("filter: %s (%" PRIu64 " events filtered)\n",
		       st_fmt_filter(s->filter_pid, s->filter_port,
				     s->filter_netns, buf, sizeof(buf)),
		       s->filtered);
		n++;
	}
	if (s->have & ST_HAVE_COUNT) {
		printf("counting probes: %" PRIu64 "/%" PRIu64 " in use (count_max)\n",
		       s->count_used, s->count_max);
		n++;
	}
	if (s->have & ST_HAVE_STACK_SESSION) {
		printf("stack session: %s (%s), %" PRIu64 " calls, %" PRIu64 " missed\n",
		       s->stack_func, st_stack_mode_name(s->stack_mode),
		       s->stack_hits, s->stack_missed);
		n++;
	} else if (s->have & ST_HAVE_STACK) {
		printf("stack session: none\n");
		n++;
	}
	return n;
}

/*
 * The module's debugfs files are a convenience for `cat`; everything the
 * CLI shows comes over netlink.  Say when they are not there, and why.
 */
#define ST_DEBUGFS_DIR "/sys/kernel/debug/socktap"

static int st_debugfs_present(void)
{
	return access(ST_DEBUGFS_DIR, F_OK) == 0;
}

static void st_debugfs_text(void)
{
	FILE *f;
	char line[512];
	int mounted = 0;

	if (st_debugfs_present()) {
		printf("debugfs: " ST_DEBUGFS_DIR "\n");
		return;
	}
	f = fopen("/proc/mounts", "re");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (strstr(line, " debugfs "))
				mounted = 1;
		fclose(f);
	}
	if (mounted)
		printf("debugfs: " ST_DEBUGFS_DIR " not visible (no permission, or locked down): netlink only\n");
	else
		printf("debugfs: not mounted, so " ST_DEBUGFS_DIR " is unavailable: netlink only (mount -t debugfs none /sys/kernel/debug)\n");
}

static void st_status_text(const struct st_status *s,
			   const struct st_probe_list *l)
{
	unsigned int by_state[__SOCKTAP_STATE_MAX] = { 0 };
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].state < __SOCKTAP_STATE_MAX)
			by_state[l->v[i].state]++;
	printf("socktap %s (netlink v%u) on kernel %s\n", s->version,
	       s->genl_version, s->krelease);
	printf("%zu probe points: %u attached, %u standby, %u unavailable, %u disabled, %u failed\n",
	       l->n, by_state[SOCKTAP_STATE_ATTACHED],
	       by_state[SOCKTAP_STATE_STANDBY],
	       by_state[SOCKTAP_STATE_UNAVAILABLE],
	       by_state[SOCKTAP_STATE_DISABLED], by_state[SOCKTAP_STATE_FAILED]);
	st_debugfs_text();
	putchar('\n');
	if (st_status_counters_text(s))
		putchar('\n');
	st_probes_print_table(stdout, l);
}

static void st_status_counters_json(struct json *j, const struct st_status *s)
{
	const struct st_table_desc *t;
	size_t i;

	if (st_have_tables(s)) {
		json_key(j, "tables");
		json_begin_object(j);
		for (i = 0; i < st_ntables; i++) {
			t = &st_tables[i];
			if (!(s->have & t->have))
				continue;
			json_key(j, t->json);
			json_begin_object(j);
			json_kv_uint(j, "capacity", st_table_val(s, t, 0));
			json_kv_uint(j, "used", st_table_val(s, t, 1));
			json_kv_uint(j, t->json_lost, st_table_val(s, t, 2));
			json_end_object(j);
		}
		json_end_object(j);
	}
	if (s->have & ST_HAVE_COUNT) {
		json_key(j, "count_probes");
		json_begin_object(j);
		json_kv_uint(j, "max", s->count_max);
		json_kv_uint(j, "used", s->count_used);
		json_end_object(j);
	}
	if (s->have & ST_HAVE_STACK) {
		json_key(j, "stack_session");
		if (s->have & ST_HAVE_STACK_SESSION) {
			json_begin_object(j);
			json_kv_string(j, "function", s->stack_func);
			json_kv_string(j, "mode", st_stack_mode_name(s->stack_mode));
			json_kv_uint(j, "hits", s->stack_hits);
			json_kv_uint(j, "missed", s->stack_missed);
			json_end_object(j);
		} else {
			json_null(j);
		}
	}
	if (s->have & ST_HAVE_EV) {
		json_key(j, "events");
		json_begin_object(j);
		json_kv_uint(j, "queued", s->ev_queued);
		json_kv_uint(j, "lost", s->ev_lost);
		json_kv_uint(j, "undelivered", s->ev_undelivered);
		json_end_object(j);
	}
	if (s->have & ST_HAVE_FILTER) {
		json_key(j, "filter");
		json_begin_object(j);
		json_kv_uint(j, "pid", s->filter_pid);
		json_kv_uint(j, "port", s->filter_port);
		json_kv_uint(j, "netns", s->filter_netns);
		json_kv_uint(j, "filtered", s->filtered);
		json_end_object(j);
	}
}

static int st_status_json(const struct st_status *s,
			  const struct st_probe_list *l)
{
	struct json j;
	size_t i;

	json_init(&j, stdout);
	json_begin_object(&j);
	json_kv_string(&j, "version", s->version);
	json_kv_string(&j, "kernel", s->krelease);
	json_kv_uint(&j, "genl_version", s->genl_version);
	json_kv_uint(&j, "json_schema", ST_JSON_SCHEMA);
	json_key(&j, "debugfs");
	json_bool(&j, st_debugfs_present());
	st_status_counters_json(&j, s);
	json_key(&j, "probes");
	json_begin_array(&j);
	for (i = 0; i < l->n; i++)
		st_probe_json(&j, &l->v[i]);
	json_end_array(&j);
	json_end_object(&j);
	return json_finish(&j) ? ST_EXIT_ERROR : ST_EXIT_OK;
}

int cmd_status(int argc, char **argv, struct st_opts *o)
{
	struct st_status s;
	struct st_probe_list l;
	struct st_nl nl;
	int rc;

	rc = st_common_opts(argc, argv, o, usage);
	if (rc >= 0)
		return rc;
	if (optind != argc) {
		usage(stderr);
		return ST_EXIT_USAGE;
	}
	rc = st_nl_open(&nl);
	if (rc)
		return rc;
	rc = st_status_fetch(&nl, &s);
	if (!rc)
		rc = st_probes_fetch(&nl, NULL, &l);
	if (!rc) {
		if (l.n != s.probe_count)
			fprintf(stderr, "socktap: warning: %zu probes listed, module reports %u\n",
				l.n, s.probe_count);
		if (o->json)
			rc = st_status_json(&s, &l);
		else
			st_status_text(&s, &l);
		st_probes_free(&l);
	}
	st_nl_close(&nl);
	if (!rc && fflush(stdout)) {
		perror("socktap: stdout");
		rc = ST_EXIT_ERROR;
	}
	return rc;
}
