// SPDX-License-Identifier: GPL-2.0
#include "count.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/socktap.h>

int st_count_push(struct st_count_list *l, const char *name, uint64_t calls,
		  uint64_t missed, uint32_t flags)
{
	struct st_count_row *nv, *r;
	char *copy;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;

		nv = realloc(l->v, cap * sizeof(*nv));
		if (!nv)
			return -1;
		l->v = nv;
		l->cap = cap;
	}
	copy = strdup(name);
	if (!copy)
		return -1;
	r = &l->v[l->n++];
	r->name = copy;
	r->calls = calls;
	r->missed = missed;
	r->flags = flags;
	return 0;
}

void st_count_clear(struct st_count_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].name);
	l->n = 0;
}

void st_count_free(struct st_count_list *l)
{
	st_count_clear(l);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int st_count_cmp(const void *a, const void *b)
{
	const struct st_count_row *x = a, *y = b;

	if (x->calls != y->calls)
		return x->calls > y->calls ? -1 : 1;
	return strcmp(x->name, y->name);
}

void st_count_sort(struct st_count_list *l)
{
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), st_count_cmp);
}

static int st_count_shown(const struct st_count_row *r, int all)
{
	return all || r->calls;
}

void st_count_print(FILE *out, const struct st_count_list *l, int all)
{
	int wname = 4, wcalls = 5, wmissed = 6, w, missed = 0;
	char num[24];
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct st_count_row *r = &l->v[i];

		if (!st_count_shown(r, all))
			continue;
		w = (int)strlen(r->name);
		if (w > wname)
			wname = w;
		w = snprintf(num, sizeof(num), "%" PRIu64, r->calls);
		if (w > wcalls)
			wcalls = w;
		w = snprintf(num, sizeof(num), "%" PRIu64, r->missed);
		if (w > wmissed)
			wmissed = w;
		missed |= r->missed != 0;
	}
	fprintf(out, "%-*s  %*s", wname, "FUNC", wcalls, "CALLS");
	if (missed)
		fprintf(out, "  %*s", wmissed, "MISSED");
	fputc('\n', out);
	for (i = 0; i < l->n; i++) {
		const struct st_count_row *r = &l->v[i];

		if (!st_count_shown(r, all))
			continue;
		fprintf(out, "%-*s  %*" PRIu64, wname, r->name, wcalls, r->calls);
		if (missed)
			fprintf(out, "  %*" PRIu64, wmissed, r->missed);
		fputc('\n', out);
	}
}

void st_count_json(struct json *j, const struct st_count_list *l, int all)
{
	size_t i;

	json_begin_array(j);
	for (i = 0; i < l->n; i++) {
		const struct st_count_row *r = &l->v[i];

		if (!st_count_shown(r, all))
			continue;
		json_begin_object(j);
		json_kv_string(j, "name", r->name);
		json_kv_uint(j, "calls", r->calls);
		json_kv_uint(j, "missed", r->missed);
		json_key(j, "ftrace");
		json_bool(j, !!(r->flags & SOCKTAP_FUNC_FTRACE));
		json_end_object(j);
	}
	json_end_array(j);
}
