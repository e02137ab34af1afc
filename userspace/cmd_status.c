// SPDX-License-Identifier: GPL-2.0
/* socktap status: what is loaded, on which kernel, and its probe points. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "cli.h"
#include "probes.h"
#include "util.h"

struct st_status {
	char version[64];
	char krelease[128];
	unsigned int genl_version, probe_count;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: socktap status [-j] [-h]\n"
		"\n"
		"Show the loaded module's version, the kernel release, and every\n"
		"probe point with its kind, state (attached, unavailable on this\n"
		"kernel, disabled, failed), hits and missed hits.\n"
		"\n"
		"  -j   JSON output\n"
		"  -h   this help\n");
}

static int st_status_cb(struct nlattr **tb, void *arg)
{
	struct st_status *s = arg;

	if (!tb[SOCKTAP_A_VERSION] || !tb[SOCKTAP_A_KRELEASE]) {
		fprintf(stderr, "socktap: status reply lacks version or release\n");
		return ST_EXIT_ERROR;
	}
	snprintf(s->version, sizeof(s->version), "%s",
		 nla_get_string(tb[SOCKTAP_A_VERSION]));
	snprintf(s->krelease, sizeof(s->krelease), "%s",
		 nla_get_string(tb[SOCKTAP_A_KRELEASE]));
	if (tb[SOCKTAP_A_GENL_VERSION])
		s->genl_version = nla_get_u32(tb[SOCKTAP_A_GENL_VERSION]);
	if (tb[SOCKTAP_A_PROBE_COUNT])
		s->probe_count = nla_get_u32(tb[SOCKTAP_A_PROBE_COUNT]);
	return 0;
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
	printf("%zu probe points: %u attached, %u unavailable, %u disabled, %u failed\n\n",
	       l->n, by_state[SOCKTAP_STATE_ATTACHED],
	       by_state[SOCKTAP_STATE_UNAVAILABLE],
	       by_state[SOCKTAP_STATE_DISABLED], by_state[SOCKTAP_STATE_FAILED]);
	st_probes_print_table(stdout, l);
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

	memset(&s, 0, sizeof(s));

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
	rc = st_nl_call(&nl, SOCKTAP_CMD_STATUS, 0, NULL, NULL, st_status_cb, &s);
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
