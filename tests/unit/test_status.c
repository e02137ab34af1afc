// SPDX-License-Identifier: GPL-2.0
/*
 * status: the table of bounded tables that status, status -j and metrics
 * print from: each entry reads its own three fields of struct st_status,
 * has its own presence bit, and makes valid, distinct metric names.
 */
#include <stdlib.h>

#include "prom.h"
#include "status.h"
#include "unit.h"

int main(void)
{
	struct st_status s;
	const struct st_table_desc *t, *u;
	unsigned int seen = 0, f, bad;
	char name[128], label[160];
	size_t i, k;

	/* Every field a different value: a wrong offset reads another. */
	memset(&s, 0, sizeof(s));
	s.sock_capacity = 101, s.sock_used = 102, s.sock_untracked = 103;
	s.proc_capacity = 201, s.proc_used = 202, s.proc_dropped = 203;
	s.size_capacity = 301, s.size_used = 302, s.size_dropped = 303;
	s.listen_capacity = 401, s.listen_used = 402, s.listen_dropped = 403;
	s.stack_capacity = 501, s.stack_used = 502, s.stack_dropped = 503;

	CHECK("tables_five", st_ntables == 5);
	for (i = 0; i < st_ntables; i++) {
		t = &st_tables[i];
		snprintf(label, sizeof(label), "table_%s_fields", t->json);
		bad = 0;
		for (f = 0; f < 3; f++)
			bad += st_table_val(&s, t, f) != (i + 1) * 100 + f + 1;
		CHECK(label, !bad);

		snprintf(label, sizeof(label), "table_%s_own_bit", t->json);
		CHECK(label, t->have && !(t->have & (t->have - 1)) &&
		      !(seen & t->have));
		seen |= t->have;

		snprintf(label, sizeof(label), "table_%s_metric_names", t->json);
		bad = 0;
		for (f = 0; f < 3; f++) {
			st_table_metric(t, f, name, sizeof(name));
			bad += !prom_valid_name(name) || !t->help[f][0];
		}
		CHECK(label, !bad);

		snprintf(label, sizeof(label), "table_%s_distinct", t->json);
		bad = 0;
		for (k = 0; k < i; k++) {
			u = &st_tables[k];
			bad += !strcmp(u->json, t->json) || !strcmp(u->prom, t->prom) ||
			       !strcmp(u->text, t->text);
		}
		CHECK(label, !bad);
	}
	CHECK("have_tables_none", !st_have_tables(&s));
	s.have = ST_HAVE_LISTEN;
	CHECK("have_tables_listen", st_have_tables(&s));
	s.have = ST_HAVE_COUNT | ST_HAVE_EV;
	CHECK("have_tables_not_count_or_events", !st_have_tables(&s));
	st_table_metric(&st_tables[0], 2, name, sizeof(name));
	CHECK_STR("metric_socket_untracked", name,
		  "socktap_socket_table_untracked_total");
	st_table_metric(&st_tables[3], 0, name, sizeof(name));
	CHECK_STR("metric_listener_capacity", name,
		  "socktap_listener_table_capacity");
	CHECK("tables_bits", seen == (ST_HAVE_SOCK | ST_HAVE_PROC | ST_HAVE_SIZE |
				      ST_HAVE_LISTEN | ST_HAVE_STACK));
	UNIT_EXIT();
}
