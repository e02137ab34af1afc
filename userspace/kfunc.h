/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel functions by name, for funcs, count and stacks: the text
 * symbols of /proc/kallsyms that can be function entries, the kprobe
 * blacklist, shell globs over them, and what a refusal of the kprobe
 * layer means.  Pure logic, unit-tested (tests/unit/test_kfunc.c).
 */
#ifndef SOCKTAP_KFUNC_H
#define SOCKTAP_KFUNC_H

#include <stddef.h>
#include <stdint.h>

#define ST_KALLSYMS_PATH	"/proc/kallsyms"
#define ST_KPROBE_BLACKLIST	"/sys/kernel/debug/kprobes/blacklist"

struct st_kfunc {
	const char *name;
	const char *mod;	/* module, NULL for the kernel itself */
	int known;		/* in kallsyms (else a name given literally) */
	int blacklisted;	/* in the kprobe blacklist */
	int checked;		/* the kernel answered for it */
	uint32_t error;		/* positive errno; 0: probe-able (or unknown) */
	uint32_t flags;		/* enum socktap_func_flags */
};

struct st_kfuncs {
	char *buf;		/* the kallsyms text, split in place */
	struct st_kfunc *v;	/* sorted by name, one per name */
	size_t n;
};

/*
 * Whether a kallsyms text symbol can be a function entry: not a padding
 * or CFI stub before one (__pfx_*, __cfi_*), not a cold part (*.cold*),
 * not in a pseudo-module (BPF programs, ftrace and kprobe trampolines:
 * [bpf], [__builtin__*]).  .isra.N, .constprop.N, .part.N are entries.
 */
int st_kfunc_is_entry(const char *name, const char *mod);

/*
 * Parse kallsyms text: the text symbols (t, T) that are entries, one per
 * name (the first listed, its module kept), sorted by name.  Takes buf
 * (malloc'd, NUL-terminated), freed by st_kfuncs_free even on failure.
 * Returns 0, or -1 out of memory.
 */
int st_kfuncs_parse(struct st_kfuncs *k, char *buf);
/* Read and parse path; 0, or -1 with errno. */
int st_kfuncs_load(struct st_kfuncs *k, const char *path);
void st_kfuncs_free(struct st_kfuncs *k);
const struct st_kfunc *st_kfuncs_find(const struct st_kfuncs *k,
				      const char *name);

/* A sorted list of names, pointing into buf. */
struct st_names {
	char *buf;
	const char **v;
	size_t n;
};

/*
 * The kprobe blacklist's text, lines "0xSTART-0xEND\tsymbol[\t[mod]]":
 * its symbol names.  Takes buf like st_kfuncs_parse.  0, or -1 (ENOMEM).
 */
int st_blacklist_parse(struct st_names *b, char *buf);
/* 0, or -1 with errno (no debugfs, not root: the caller goes on without). */
int st_blacklist_load(struct st_names *b, const char *path);
void st_names_free(struct st_names *b);
int st_names_has(const struct st_names *b, const char *name);

/* No fnmatch wildcard (*, ?, [) in glob. */
int st_glob_is_literal(const char *glob);

/* Functions picked by globs: copies of k's rows, plus literal names. */
struct st_kfunc_sel {
	struct st_kfunc *v;	/* sorted by name; names point into k or argv */
	size_t n, cap;
	size_t too_long;	/* names of SOCKTAP_FUNC_NAME_MAX bytes or more */
	size_t blacklisted;	/* of v, those marked blacklisted */
};

/*
 * The functions of k that match one of the globs (fnmatch, no flags),
 * each once.  A glob without wildcards that names no function of k is
 * taken as given (known = 0: the kernel decides).  Rows in bl are marked
 * blacklisted, still listed.  Names the kernel would not take (longer
 * than SOCKTAP_FUNC_NAME_MAX - 1) are left out and counted.  matched,
 * if not NULL, gets per glob how many names it matched.  Returns 0, or
 * -1 out of memory.
 */
int st_kfuncs_select(const struct st_kfuncs *k, const struct st_names *bl,
		     char *const *globs, int nglobs, size_t *matched,
		     struct st_kfunc_sel *out);
void st_kfunc_sel_free(struct st_kfunc_sel *s);

/*
 * How many rows from v[0..n) go into one FUNC_CHECK/COUNT_ADD request:
 * at most max_names, and their names (with NUL) at most max_bytes in all,
 * unless the first alone is longer.  0 only for n 0.
 */
size_t st_func_batch_len(struct st_kfunc *const *v, size_t n,
			 size_t max_names, size_t max_bytes);

/*
 * A refusal of the kprobe layer in plain words: ENOENT "no such symbol",
 * EINVAL "blacklisted or not a function entry", EILSEQ "not an
 * instruction boundary", EADDRNOTAVAIL "the name is not unique", EBUSY
 * and ENOSPC "count_max reached", EEXIST "already counted"; NULL for
 * others.
 */
const char *st_func_error_words(uint32_t err);
/* The errno's macro name ("EADDRNOTAVAIL"), or "errno N" in buf. */
const char *st_errno_name(uint32_t err, char *buf, size_t n);
/*
 * The reason a row is refused, "Invalid argument (blacklisted or not a
 * function entry)", "on the kprobe blacklist" (not checked), or "" when
 * it is not.  Returns buf.
 */
const char *st_kfunc_reason(const struct st_kfunc *f, char *buf, size_t n);
/*
 * Refused: checked, an error from the kernel; else blacklisted or an
 * error found here (not in kallsyms).
 */
int st_kfunc_refused(const struct st_kfunc *f);

#endif
