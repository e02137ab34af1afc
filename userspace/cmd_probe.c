// SPDX-License-Identifier: GPL-2.0
/* socktap probe: list probe points, or attach/detach one at run time. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "cli.h"
#include "probes.h"
#include "util.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: socktap probe [-j] [-h] list [NAME]\n"
		"       socktap probe [-j] [-h] enable|disable NAME\n"
		"\n"
		"list      the probe points (or one), as in 'socktap status'\n"
		"enable    attach a probe point (needs CAP_NET_ADMIN)\n"
		"disable   detach a probe point; its counters stop (needs CAP_NET_ADMIN)\n"
		"\n"
		"  -j   JSON output: list an array of probe objects, enable and\n"
		"       disable the probe's new state as one object\n"
		"  -h   this help\n");
}

struct st_set_req {
	const char *name;
	int on;
};

static int st_put_set(struct nl_msg *msg, void *arg)
{
	struct st_set_req *r = arg;
	int ret;

	ret = nla_put_string(msg, SOCKTAP_A_PROBE_NAME, r->name);
	if (ret < 0)
		return ret;
	return nla_put_u8(msg, SOCKTAP_A_PROBE_ENABLE, (uint8_t)r->on);
}

static int st_set_cb(struct nlattr **tb, void *arg)
{
	return st_probe_from_attrs(tb, arg);
}

static int st_probe_list(struct st_nl *nl, const char *name,
			 struct st_opts *o)
{
	struct st_probe_list l;
	struct json j;
	size_t i;
	int rc;

	rc = st_probes_fetch(nl, name, &l);
	if (rc)
		return rc;
	if (o->json) {
		json_init(&j, stdout);
		json_begin_array(&j);
		for (i = 0; i < l.n; i++)
			st_probe_json(&j, &l.v[i]);
		json_end_array(&j);
		if (json_finish(&j))
			rc = ST_EXIT_ERROR;
	} else {
		st_probes_print_table(stdout, &l);
	}
	st_probes_free(&l);
	return rc;
}

int cmd_probe(int argc, char **argv, struct st_opts *o)
{
	struct st_probe_rec rec;
	struct st_set_req req;
	const char *verb;
	struct st_nl nl;
	int rc, on;

	rc = st_common_opts(argc, argv, o, usage);
	if (rc >= 0)
		return rc;
	verb = optind < argc ? argv[optind++] : "list";
	if (!strcmp(verb, "list")) {
		if (argc - optind > 1) {
			usage(stderr);
			return ST_EXIT_USAGE;
		}
		rc = st_nl_open(&nl);
		if (rc)
			return rc;
		rc = st_probe_list(&nl, optind < argc ? argv[optind] : NULL, o);
		st_nl_close(&nl);
		return rc;
	}
	on = st_parse_onoff(verb);
	if (on < 0 || argc - optind != 1) {
		if (on < 0)
			fprintf(stderr, "socktap probe: unknown action '%s'\n", verb);
		usage(stderr);
		return ST_EXIT_USAGE;
	}
	if (strlen(argv[optind]) >= SOCKTAP_PROBE_NAME_MAX) {
		fprintf(stderr, "socktap probe: name too long: %s\n", argv[optind]);
		return ST_EXIT_USAGE;
	}
	req.name = argv[optind];
	req.on = on;
	rc = st_nl_open(&nl);
	if (rc)
		return rc;
	rc = st_nl_call(&nl, SOCKTAP_CMD_PROBE_SET, 0, st_put_set, &req,
			st_set_cb, &rec);
	st_nl_close(&nl);
	if (rc)
		return rc;
	if (o->json) {
		struct json j;

		json_init(&j, stdout);
		st_probe_json(&j, &rec);
		return json_finish(&j) ? ST_EXIT_ERROR : ST_EXIT_OK;
	}
	printf("%s: %s\n", rec.name, st_state_name(rec.state));
	return ST_EXIT_OK;
}
