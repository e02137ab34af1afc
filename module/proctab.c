// SPDX-License-Identifier: GPL-2.0
/*
 * Per-process table: a keyed per-CPU table on the tgid.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/moduleparam.h>
#include <linux/nsproxy.h>
#include <linux/string.h>
#include <net/net_namespace.h>

#include "kvtab.h"
#include "proctab.h"
#include "socktap.h"

static unsigned int proc_capacity = 1024;
module_param(proc_capacity, uint, 0444);
MODULE_PARM_DESC(proc_capacity,
		 "processes the per-process table holds (16..1048576); events of more are counted as dropped");

static struct st_kvtab st_procs = {
	.meta_size = sizeof(struct st_proc_meta),
	.val_size = sizeof(struct st_proc_ctr),
};

unsigned int st_proctab_capacity(void)
{
	return proc_capacity;
}

unsigned int st_proctab_used(void)
{
	return st_kvtab_used(&st_procs);
}

u64 st_proctab_dropped(void)
{
	return st_kvtab_dropped(&st_procs);
}

size_t st_proctab_bytes(void)
{
	return st_kvtab_bytes(&st_procs);
}

void st_proc_meta_fill(struct st_proc_meta *m)
{
	struct nsproxy *ns = current->nsproxy;

	m->uid = from_kuid_munged(&init_user_ns, current_uid());
	/* nsproxy is NULL only for an exiting task. */
	m->netns = ns ? ns->net_ns->ns.inum : 0;
	st_current_comm(m->comm);
}

struct st_proc_ctr __percpu *st_proc_ctr(void)
{
	u32 tgid = current->tgid;
	struct st_proc_ctr __percpu *c;
	void *meta;
	bool claimed;

	/* Kernel threads (tgid 0 is the idle task) are not processes. */
	if (unlikely(!tgid))
		return NULL;
	c = st_kvtab_get(&st_procs, tgid, &meta, &claimed);
	if (unlikely(claimed)) {
		st_proc_meta_fill(meta);
		st_kvtab_publish(meta);
	}
	return c;
}

bool st_proctab_read(unsigned int *pos, struct st_proc_row *row)
{
	u64 key;

	if (!st_kvtab_read(&st_procs, pos, &key, &row->m, (u64 *)&row->c))
		return false;
	row->tgid = key;
	return true;
}

void st_proctab_reset(void)
{
	st_kvtab_reset(&st_procs);
}

int st_proctab_init(void)
{
	if (proc_capacity < 16 || proc_capacity > (1U << 20)) {
		pr_err("proc_capacity=%u: must be within 16..1048576\n",
		       proc_capacity);
		return -EINVAL;
	}
	st_procs.capacity = proc_capacity;
	return st_kvtab_init(&st_procs);
}

void st_proctab_exit(void)
{
	st_kvtab_exit(&st_procs);
}
