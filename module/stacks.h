/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stack sessions (stackcount, @[kstack, ustack] = count()): every call of
 * one function, aggregated by its kernel and/or user stack in a bounded
 * table.  One session at a time, owned by a netlink socket.
 */
#ifndef _SOCKTAP_STACKS_H
#define _SOCKTAP_STACKS_H

#include <linux/sched.h>
#include <linux/types.h>
#include <uapi/linux/socktap.h>

struct seq_file;

struct st_stack_row {
	u64 count;
	u32 tgid;
	u16 nk, nu;
	char comm[TASK_COMM_LEN];
	u64 frames[SOCKTAP_KSTACK_MAX + SOCKTAP_USTACK_MAX];
};

struct st_stacks_info {
	bool active;
	char func[SOCKTAP_FUNC_NAME_MAX];
	u32 mode, capacity, used;
	u64 hits, missed, dropped;
};

int st_stacks_init(void);
void st_stacks_exit(void);

/* Process context.  Negative errno; *why says it in words for extack. */
int st_stacks_start(u32 portid, const char *func, u32 mode, const char **why);
void st_stacks_info(struct st_stacks_info *info);
/* Rows of the running session from *pos on; *gen pins the session. */
bool st_stacks_read(unsigned long *pos, unsigned long *gen,
		    struct st_stack_row *row);
int st_stacks_show(struct seq_file *m, void *v);

#endif /* _SOCKTAP_STACKS_H */
