/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Drop reason names of the running kernel.  The numbers of enum
 * skb_drop_reason change between kernels, so they are read at run time
 * from the skb:kfree_skb event's format in tracefs, whose print fmt lists
 * them: __print_symbolic(REC->reason, { 2, "NO_SOCKET" }, ...).
 * Pure logic, unit-tested (tests/unit/test_drop.c).
 */
#ifndef SOCKTAP_DROPREASON_H
#define SOCKTAP_DROPREASON_H

#include <stddef.h>
#include <stdint.h>

/* Where the format is: tracefs, or tracefs under debugfs. */
#define ST_KFREE_SKB_FORMAT	"/sys/kernel/tracing/events/skb/kfree_skb/format"
#define ST_KFREE_SKB_FORMAT_DBG	"/sys/kernel/debug/tracing/events/skb/kfree_skb/format"

enum st_dropreason_kind {
	ST_DR_UNKNOWN,	/* the format could not be read: numbers only */
	ST_DR_NONE,	/* kfree_skb has no reason field (before 5.17) */
	ST_DR_TABLE,	/* reasons and, as far as the format lists them, names */
};

struct st_dropreason {
	uint32_t num;
	const char *name;	/* without the SKB_DROP_REASON_ prefix */
};

struct st_dropreasons {
	enum st_dropreason_kind kind;
	char *names;			/* storage of the names */
	struct st_dropreason *v;	/* by number, one per number */
	size_t n;
};

/*
 * Parse the text of a kfree_skb format file.  Returns 0 (kind NONE
 * without a reason field; TABLE with it, empty if the print fmt has no
 * list), or -1 out of memory.
 */
int st_dropreasons_parse(struct st_dropreasons *t, const char *text);
/*
 * Read the first of the ST_KFREE_SKB_FORMAT paths that exists.  Returns
 * 0, or -1 with errno and *path the file that failed (kind UNKNOWN).
 */
int st_dropreasons_load(struct st_dropreasons *t, const char **path);
void st_dropreasons_free(struct st_dropreasons *t);

/* The name of reason, NULL if the table has none for it. */
const char *st_dropreason_name(const struct st_dropreasons *t,
			       uint32_t reason);
/*
 * What a REASON column shows: the name; "-" on a kernel without reasons;
 * else the number.  Returns the name, "-" or buf.
 */
const char *st_dropreason_text(const struct st_dropreasons *t,
			       uint32_t reason, char *buf, size_t n);

#endif
