// SPDX-License-Identifier: GPL-2.0
#include "probes.h"

#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>

#include "util.h"

int st_probe_from_attrs(struct nlattr **tb, struct st_probe_rec *r)
{
	memset(r, 0, sizeof(*r));
	if (!tb[SOCKTAP_A_PROBE_NAME] || !tb[SOCKTAP_A_PROBE_KIND] ||
	    !tb[SOCKTAP_A_PROBE_STATE]) {
		fprintf(stderr, "socktap: probe record without name, kind or state\n");
		return ST_EXIT_ERROR;
	}
	snprintf(r->name, sizeof(r->name), "%s",
		 nla_get_string(tb[SOCKTAP_A_PROBE_NAME]));
	if (tb[SOCKTAP_A_PROBE_TARGET])
		snprintf(r->target, sizeof(r->target), "%s",
			 nla_get_string(tb[SOCKTAP_A_PROBE_TARGET]));
	r->kind = nla_get_u8(tb[SOCKTAP_A_PROBE_KIND]);
	r->state = nla_get_u8(tb[SOCKTAP_A_PROBE_STATE]);
	if (tb[SOCKTAP_A_PROBE_HITS])
		r->hits = nla_get_u64(tb[SOCKTAP_A_PROBE_HITS]);
	if (tb[SOCKTAP_A_PROBE_MISSED])
		r->missed = nla_get_u64(tb[SOCKTAP_A_PROBE_MISSED]);
	if (tb[SOCKTAP_A_PROBE_ERROR])
		r->error = nla_get_u32(tb[SOCKTAP_A_PROBE_ERROR]);
	if (tb[SOCKTAP_A_PROBE_GROUP])
		snprintf(r->group, sizeof(r->group), "%s",
			 nla_get_string(tb[SOCKTAP_A_PROBE_GROUP]));
	return ST_EXIT_OK;
}

static int st_probe_collect(struct nlattr **tb, void *arg)
{
	struct st_probe_list *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct st_probe_rec *v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			fprintf(stderr, "socktap: out of memory\n");
			return ST_EXIT_ERROR;
		}
		l->v = v;
		l->cap = cap;
	}
	if (st_probe_from_attrs(tb, &l->v[l->n]))
		return ST_EXIT_ERROR;
	l->n++;
	return 0;
}

static int st_put_name(struct nl_msg *msg, void *arg)
{
	return nla_put_string(msg, SOCKTAP_A_PROBE_NAME, arg);
}

int st_probes_fetch(struct st_nl *nl, const char *name,
		    struct st_probe_list *l)
{
	memset(l, 0, sizeof(*l));
	if (name)
		return st_nl_call(nl, SOCKTAP_CMD_PROBE_GET, 0, st_put_name,
				  (void *)name, st_probe_collect, l);
	return st_nl_call(nl, SOCKTAP_CMD_PROBE_GET, 1, NULL, NULL,
			  st_probe_collect, l);
}

void st_probes_free(struct st_probe_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void st_probes_print_table(FILE *out, const struct st_probe_list *l)
{
	size_t i;

	fprintf(out, "%-26s %-10s %-11s %12s %8s  %s\n", "NAME", "KIND",
		"STATE", "HITS", "MISSED", "TARGET");
	for (i = 0; i < l->n; i++) {
		const struct st_probe_rec *r = &l->v[i];

		fprintf(out, "%-26s %-10s %-11s %12llu %8llu  %s", r->name,
			st_kind_name(r->kind), st_state_name(r->state),
			(unsigned long long)r->hits,
			(unsigned long long)r->missed, r->target);
		if (r->state == SOCKTAP_STATE_UNAVAILABLE)
			fputs(" (not in this kernel)", out);
		else if (r->state == SOCKTAP_STATE_STANDBY)
			fputs(" (fallback, not needed here)", out);
		else if (r->error)
			fprintf(out, " (error %u: %s)", r->error,
				strerror((int)r->error));
		fputc('\n', out);
	}
}

void st_probe_json(struct json *j, const struct st_probe_rec *r)
{
	json_begin_object(j);
	json_kv_string(j, "name", r->name);
	json_kv_string(j, "target", r->target);
	json_kv_string(j, "kind", st_kind_name(r->kind));
	json_kv_string(j, "state", st_state_name(r->state));
	json_kv_uint(j, "hits", r->hits);
	json_kv_uint(j, "missed", r->missed);
	json_kv_uint(j, "error", r->error);
	json_key(j, "group");
	json_string(j, r->group[0] ? r->group : NULL);
	json_end_object(j);
}
