// SPDX-License-Identifier: GPL-2.0
#include "drop.h"

#include <inttypes.h>

/* How far into the stack the call site may repeat (see below). */
#define ST_DROP_REPEAT_MAX	4

/*
 * Where the stack goes on after its first entry, the call site.  The
 * module's unwinder starts inside the tracepoint, so the call site can
 * come again as a return address, after tracing frames or right away
 * (5.10, 6.1 and 6.12 send it twice in a row): the chain goes on after
 * that repeat.  With none, it goes on with the second entry.
 */
unsigned int st_drop_stack_next(const struct st_event *e)
{
	unsigned int i;

	for (i = 1; i < e->nr_stack && i <= ST_DROP_REPEAT_MAX; i++)
		if (e->stack[i] == e->stack[0])
			return i + 1;
	return 1;
}

/* Stack entry i: the first is the call site itself, the rest return addresses. */
static const char *st_drop_sym(const struct st_drop_names *d,
			       const struct st_event *e, unsigned int i,
			       char *buf, size_t n)
{
	if (!d->ksyms)
		return NULL;
	return st_ksym_fmt(d->ksyms, e->stack[i], i > 0, buf, n);
}

void st_drop_line(FILE *out, const struct st_event *e,
		  const struct st_ev_clock *clk, const struct st_drop_names *d)
{
	char num[16], sym[512];
	const char *s;
	unsigned int i;

	st_event_drop_line(out, e, clk,
			   st_dropreason_text(d->reasons, e->reason, num,
					      sizeof(num)));
	if (!d->stacks)
		return;
	for (i = 0; i < e->nr_stack; i = i ? i + 1 : st_drop_stack_next(e)) {
		s = st_drop_sym(d, e, i, sym, sizeof(sym));
		if (s)
			fprintf(out, "\t%s\n", s);
		else
			fprintf(out, "\t0x%016" PRIx64 "\n", e->stack[i]);
	}
	fputc('\n', out);
}

void st_drop_json(struct json *j, const struct st_event *e,
		  const struct st_drop_names *d)
{
	char addr[24], sym[512];
	const char *s;
	unsigned int i;

	json_begin_object(j);
	st_event_json_members(j, e);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_REASON)) {
		s = st_dropreason_name(d->reasons, e->reason);
		json_key(j, "reason_name");
		if (s)
			json_string(j, s);
		else
			json_null(j);
	}
	if (d->stacks && ST_EV_HAS(e, SOCKTAP_A_EV_STACK)) {
		json_key(j, "stack");
		json_begin_array(j);
		for (i = 0; i < e->nr_stack;
		     i = i ? i + 1 : st_drop_stack_next(e)) {
			json_begin_object(j);
			snprintf(addr, sizeof(addr), "0x%016" PRIx64, e->stack[i]);
			json_kv_string(j, "addr", addr);
			s = st_drop_sym(d, e, i, sym, sizeof(sym));
			json_key(j, "sym");
			if (s)
				json_string(j, s);
			else
				json_null(j);
			json_end_object(j);
		}
		json_end_array(j);
	}
	json_end_object(j);
}
