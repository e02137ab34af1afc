/* SPDX-License-Identifier: GPL-2.0 */
/* The module's probe table as the CLI reads and prints it. */
#ifndef SOCKTAP_PROBES_H
#define SOCKTAP_PROBES_H

#include <stdint.h>
#include <stdio.h>

#include <linux/socktap.h>

#include "json.h"
#include "nl.h"

struct st_probe_rec {
	char name[SOCKTAP_PROBE_NAME_MAX];
	char target[128];
	char group[32];		/* empty: not in a group */
	unsigned int kind, state, error;
	uint64_t hits, missed;
};

struct st_probe_list {
	struct st_probe_rec *v;
	size_t n, cap;
};

/* Dump all probes (name == NULL) or get one; returns ST_EXIT_*. */
int st_probes_fetch(struct st_nl *nl, const char *name,
		    struct st_probe_list *l);
/* Fill one record from a PROBE_GET/PROBE_SET reply. */
int st_probe_from_attrs(struct nlattr **tb, struct st_probe_rec *r);
void st_probes_free(struct st_probe_list *l);

void st_probes_print_table(FILE *out, const struct st_probe_list *l);
void st_probe_json(struct json *j, const struct st_probe_rec *r);

#endif
