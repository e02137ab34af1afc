/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User stack addresses as names, with elfutils' libdwfl: a snapshot of
 * each process's memory maps and ELF symbol tables, taken while it runs,
 * so that its addresses still resolve after it exited.  Unit-tested
 * (tests/unit/test_usym.c).
 */
#ifndef SOCKTAP_USYM_H
#define SOCKTAP_USYM_H

#include <stddef.h>
#include <stdint.h>

struct st_usyms;	/* the snapshots, by pid */

/* What an address is. */
struct st_usym {
	const char *func;	/* symbol, NULL if none covers the address */
	uint64_t off;		/* address - symbol start */
	const char *mod;	/* module basename ("libc.so.6"), NULL if unmapped */
};

/* An empty set of snapshots; NULL out of memory. */
struct st_usyms *st_usyms_new(void);
void st_usyms_free(struct st_usyms *u);

/*
 * Snapshot pid: its mappings (/proc/PID/maps) with every mapped ELF file
 * opened and its symbol table read now.  Once per pid: a later call
 * returns the first one's result.  Returns 0, or -1 with errno (ESRCH or
 * ENOENT: gone; EACCES: not ours).
 */
int st_usyms_add(struct st_usyms *u, uint32_t pid);
/* Snapshots taken (or tried) so far. */
size_t st_usyms_count(const struct st_usyms *u);

/*
 * Look addr up in pid's snapshot.  ret: addr is a return address, so the
 * call may have been the last instruction of its function: the symbol is
 * the one holding addr - 1, the offset still addr's.  Returns 0 with
 * func, off and mod set; 1 with only mod set (mapped, no symbol); -1
 * when nothing is known (no snapshot of pid, or addr not mapped).
 */
int st_usym_lookup(struct st_usyms *u, uint32_t pid, uint64_t addr, int ret,
		   struct st_usym *r);

/*
 * addr as "func+0xoff (module)", "0xaddr [unknown] (module)" or
 * "0xaddr [unknown]".  Returns buf.
 */
const char *st_usym_fmt(struct st_usyms *u, uint32_t pid, uint64_t addr,
			int ret, char *buf, size_t n);

#endif
