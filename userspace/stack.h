/* SPDX-License-Identifier: GPL-2.0 */
/*
 * socktap stacks' table: the distinct stacks STACK_GET gives, sorted and
 * printed like bpftrace's @[kstack, ustack] = count().  The symbolizers
 * are callbacks, so this is pure logic, unit-tested
 * (tests/unit/test_stack.c).
 */
#ifndef SOCKTAP_STACK_H
#define SOCKTAP_STACK_H

#include <stdint.h>
#include <stdio.h>

#include "json.h"
#include "usym.h"

struct st_stack {
	uint64_t count;
	uint32_t pid;		/* user stacks; 0 otherwise */
	char comm[64];
	uint64_t *kern;		/* the probed function first, then callers */
	uint64_t *user;		/* the user pc first, then return addresses */
	unsigned int nkern, nuser;
};

struct st_stack_list {
	struct st_stack *v;
	size_t n, cap;
};

/*
 * Append a stack: kern and user are native u64 arrays of klen and ulen
 * bytes (a partial u64 at the end is dropped).  0, or -1 out of memory.
 */
int st_stack_add(struct st_stack_list *l, uint64_t count, uint32_t pid,
		 const char *comm, const void *kern, size_t klen,
		 const void *user, size_t ulen);
void st_stack_free(struct st_stack_list *l);

/*
 * Sort by count ascending (largest last; equal ones by pid, then the
 * frames).  Returns the index of the first to show: the top largest,
 * or all for top 0.
 */
size_t st_stack_sort(struct st_stack_list *l, size_t top);

struct st_stack_syms {
	/* A kernel address as "func+0xoff" ("... [mod]"), or NULL. */
	const char *(*kern)(void *arg, uint64_t addr, int ret, char *buf,
			    size_t n);
	/* A user address of pid, as st_usym_lookup. */
	int (*user)(void *arg, uint32_t pid, uint64_t addr, int ret,
		    struct st_usym *r);
	void *arg;
};

/*
 * One stack, bpftrace's layout with mode's parts (enum
 * socktap_stack_mode): "@[", the kernel frames, "," between the parts,
 * "    comm (pid):" and the user frames, "]: count".  Frames are indented
 * by 8: "func+0xoff", "func+0xoff (libc.so.6)", or "0xaddr [unknown]".
 * Every frame but the first is looked up as a return address.
 */
void st_stack_print(FILE *out, const struct st_stack *s, uint32_t mode,
		    const struct st_stack_syms *sy);
/*
 * {"count","pid","comm" (null without a process),"kernel":[{"addr",
 * "sym"}],"user":[{"addr","sym","module"}]}: sym as printed (without
 * the module of a user frame), "0xaddr [unknown]" too; module null when
 * unknown; the arrays only in mode.
 */
void st_stack_json(struct json *j, const struct st_stack *s, uint32_t mode,
		   const struct st_stack_syms *sy);

/* "N stacks, H calls (D did not fit the table, M missed)" */
void st_stack_summary(FILE *out, size_t stacks, uint64_t calls,
		      uint64_t dropped, uint64_t missed);

#endif
