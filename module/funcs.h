/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Run-time function probes: checking which functions the kprobe layer
 * accepts (funcs) and counting calls of chosen ones (count), in sessions
 * owned by netlink sockets.
 */
#ifndef _SOCKTAP_FUNCS_H
#define _SOCKTAP_FUNCS_H

#include <linux/types.h>
#include <uapi/linux/socktap.h>

struct seq_file;

/* One function's result in FUNC_CHECK / COUNT_ADD replies. */
struct st_func_result {
	const char *name;
	u32 err;	/* positive errno or 0 */
	u32 flags;	/* enum socktap_func_flags */
};

int st_funcs_init(void);
void st_funcs_exit(void);

/* Fills res[i] for names[i]; process context, may sleep. */
void st_funcs_check(const char *const *names, unsigned int n,
		    struct st_func_result *res);
/*
 * Attaches counting probes for the socket portid.  Returns 0 (each
 * function's own result in res) or a negative errno for the request.
 */
int st_funcs_count_add(u32 portid, const char *const *names, unsigned int n,
		       struct st_func_result *res);

/* Per-function rows of portid's session, from *pos on. */
struct st_func_row {
	char name[SOCKTAP_FUNC_NAME_MAX];
	u64 hits, missed;
	u32 flags;
};

bool st_funcs_count_read(u32 portid, unsigned long *pos,
			 struct st_func_row *row);
unsigned int st_funcs_count_max(void);
unsigned int st_funcs_count_used(void);
int st_funcs_show(struct seq_file *m, void *v);

#endif /* _SOCKTAP_FUNCS_H */
