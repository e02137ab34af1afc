/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel stack addresses as names: the text symbols of /proc/kallsyms,
 * loaded once, sorted by address and looked up by binary search.
 * Pure logic, unit-tested (tests/unit/test_drop.c).
 */
#ifndef SOCKTAP_KSYM_H
#define SOCKTAP_KSYM_H

#include <stddef.h>
#include <stdint.h>

struct st_ksym {
	uint64_t addr;
	const char *name;
	const char *mod;	/* module, NULL for the kernel itself */
};

struct st_ksyms {
	char *buf;		/* the text, split in place */
	struct st_ksym *v;	/* text symbols by address, one per address */
	size_t n;
	int hidden;		/* every address read 0: kptr_restrict, not root */
};

/* One line of kallsyms: "ADDR TYPE NAME[\t[MOD]]". */
struct st_ksym_line {
	uint64_t addr;
	char type;		/* as kallsyms prints it: t, T, d, ... */
	const char *name;
	const char *mod;	/* module, NULL for the kernel itself */
};

/*
 * Split LINE (NUL-terminated, cut in place) into *l.  Returns 1 when it
 * has that shape (a hex address of at most 16 digits, a type, a name),
 * else 0.  The one kallsyms line parser (ksym.c, kfunc.c).
 */
int st_ksym_split(char *line, struct st_ksym_line *l);

/*
 * Parse kallsyms text ("ffffffff81000000 T _stext", "... t fn\t[mod]"):
 * keeps the text symbols (t, T, w, W), the first of each address.  Takes
 * buf (malloc'd, NUL-terminated), freed by st_ksyms_free even on failure.
 * Returns 0, or -1 out of memory.  Lines it does not understand are skipped.
 */
int st_ksyms_parse(struct st_ksyms *k, char *buf);
/* Read and parse path (/proc/kallsyms).  Returns 0, or -1 with errno. */
int st_ksyms_load(struct st_ksyms *k, const char *path);
void st_ksyms_free(struct st_ksyms *k);

/*
 * addr as "function+0xoff" ("function+0xoff [module]"), or NULL when no
 * symbol precedes it (or the addresses are hidden).  ret: addr is a return
 * address, so the call may have been the function's last instruction: the
 * function is the one holding addr - 1 (the offset stays addr's).
 */
const char *st_ksym_fmt(const struct st_ksyms *k, uint64_t addr, int ret,
			char *buf, size_t n);

#endif
