/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DROP events as 'socktap watch drop' shows them, like BCC's tcpdrop:
 * the line with the drop reason's name, then the kernel stack.
 * Pure logic, unit-tested (tests/unit/test_drop.c).
 */
#ifndef SOCKTAP_DROP_H
#define SOCKTAP_DROP_H

#include <stdio.h>

#include "dropreason.h"
#include "event.h"
#include "json.h"
#include "ksym.h"

struct st_drop_names {
	const struct st_dropreasons *reasons;
	const struct st_ksyms *ksyms;	/* NULL: the stack in hex */
	int stacks;			/* show the stack (-s, the default) */
};

/*
 * The index of the stack entry that follows the first (the call site):
 * past a repeat of the call site within the next few entries, else 1.
 */
unsigned int st_drop_stack_next(const struct st_event *e);

/*
 * st_event_drop_line with the reason's name, then with stacks one line
 * per address, a tab and "function+0xoff" (0x... if unknown; the first
 * address is where kfree_skb was called, the rest return addresses; the
 * call site's repeat left out, see st_drop_stack_next), and an empty
 * line.
 */
void st_drop_line(FILE *out, const struct st_event *e,
		  const struct st_ev_clock *clk, const struct st_drop_names *d);
/*
 * st_event_json's object plus "reason_name" (null when not known) and
 * with stacks "stack": [{"addr":"0x...","sym":"fn+0x1f" or null}, ...]
 * (the entries the line shows).
 */
void st_drop_json(struct json *j, const struct st_event *e,
		  const struct st_drop_names *d);

#endif
