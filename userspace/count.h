/* SPDX-License-Identifier: GPL-2.0 */
/*
 * socktap count's table: calls per kernel function, as COUNT_GET gives
 * them, sorted and printed.  Pure logic, unit-tested
 * (tests/unit/test_kfunc.c).
 */
#ifndef SOCKTAP_COUNT_H
#define SOCKTAP_COUNT_H

#include <stdint.h>
#include <stdio.h>

#include "json.h"

struct st_count_row {
	char *name;		/* malloc'd */
	uint64_t calls, missed;
	uint32_t flags;		/* enum socktap_func_flags */
};

struct st_count_list {
	struct st_count_row *v;
	size_t n, cap;
};

/* Append a row (name copied); 0, or -1 out of memory. */
int st_count_push(struct st_count_list *l, const char *name, uint64_t calls,
		  uint64_t missed, uint32_t flags);
/* Drop the rows, keep the room. */
void st_count_clear(struct st_count_list *l);
void st_count_free(struct st_count_list *l);
/* Most calls first, then by name. */
void st_count_sort(struct st_count_list *l);

/*
 * "FUNC  CALLS" (and "MISSED" when a shown row missed any), the name
 * column as wide as the longest name; rows without calls only with all.
 */
void st_count_print(FILE *out, const struct st_count_list *l, int all);
/* [{"name","calls","missed","ftrace"}...], the rows print would show. */
void st_count_json(struct json *j, const struct st_count_list *l, int all);

#endif
