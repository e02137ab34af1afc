// SPDX-License-Identifier: GPL-2.0
/*
 * Per-process I/O size histograms.  A table separate from the process
 * table: each row is a few KiB per CPU, so it gets a smaller capacity.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/sched.h>

#include "kvtab.h"
#include "sizetab.h"

static unsigned int size_proc_capacity = 128;
module_param(size_proc_capacity, uint, 0444);
MODULE_PARM_DESC(size_proc_capacity,
		 "processes the per-process I/O size histograms hold (16..65536); I/O of more is counted as dropped");

static struct st_kvtab st_sizes = {
	.meta_size = sizeof(struct st_proc_meta),
	.val_size = sizeof(struct st_size_ctr),
};

void st_size_add(unsigned int h, u64 bytes)
{
	u32 tgid = current->tgid;
	struct st_size_ctr __percpu *c;
	void *meta;
	bool claimed;

	if (unlikely(!tgid))
		return;
	c = st_kvtab_get(&st_sizes, tgid, &meta, &claimed);
	if (unlikely(claimed)) {
		st_proc_meta_fill(meta);
		st_kvtab_publish(meta);
	}
	if (!c)
		return;
	this_cpu_inc(c->b[h][st_size_bucket(bytes)]);
	this_cpu_add(c->sum[h], bytes);
}

bool st_sizetab_read(unsigned int *pos, struct st_size_row *row)
{
	u64 key;

	if (!st_kvtab_read(&st_sizes, pos, &key, &row->m, (u64 *)&row->c))
		return false;
	row->tgid = key;
	return true;
}

unsigned int st_sizetab_capacity(void)
{
	return size_proc_capacity;
}

unsigned int st_sizetab_used(void)
{
	return st_kvtab_used(&st_sizes);
}

u64 st_sizetab_dropped(void)
{
	return st_kvtab_dropped(&st_sizes);
}

size_t st_sizetab_bytes(void)
{
	return st_kvtab_bytes(&st_sizes);
}

void st_sizetab_reset(void)
{
	st_kvtab_reset(&st_sizes);
}

int st_sizetab_init(void)
{
	if (size_proc_capacity < 16 || size_proc_capacity > 65536) {
		pr_err("size_proc_capacity=%u: must be within 16..65536\n",
		       size_proc_capacity);
		return -EINVAL;
	}
	st_sizes.capacity = size_proc_capacity;
	return st_kvtab_init(&st_sizes);
}

void st_sizetab_exit(void)
{
	st_kvtab_exit(&st_sizes);
}
