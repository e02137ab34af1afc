// SPDX-License-Identifier: GPL-2.0
/*
 * Per-process table: open addressing on the tgid over twice the capacity
 * in slots, a bounded probe distance, and per-CPU counters allocated in
 * chunks (the per-CPU allocator serves at most 32 KiB at a time).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include <linux/nsproxy.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <net/net_namespace.h>

#include "proctab.h"

static unsigned int proc_capacity = 1024;
module_param(proc_capacity, uint, 0444);
MODULE_PARM_DESC(proc_capacity,
		 "processes the per-process table holds (16..1048576); events of more are counted as dropped");

#define ST_CHUNK	32	/* counters per per-CPU allocation */
#define ST_MAX_PROBE	64	/* slots searched before calling the table full */

struct st_proc_slot {
	u32 tgid;	/* 0 = free; claimed by cmpxchg */
	u32 ready;	/* comm/uid/netns written (release/acquire) */
	u32 uid, netns;
	char comm[TASK_COMM_LEN];
};

static struct st_proc_slot *st_slots;
static struct st_proc_ctr __percpu **st_chunks;
static unsigned int st_nslots, st_bits, st_nchunks;
static atomic_t st_used;
static u64 __percpu *st_dropped;

unsigned int st_proctab_capacity(void)
{
	return proc_capacity;
}

unsigned int st_proctab_used(void)
{
	return atomic_read(&st_used);
}

u64 st_proctab_dropped(void)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(st_dropped, cpu);
	return sum;
}

static __always_inline struct st_proc_ctr __percpu *st_ctr(unsigned int i)
{
	return st_chunks[i / ST_CHUNK] + i % ST_CHUNK;
}

static void st_slot_fill(struct st_proc_slot *s)
{
	struct nsproxy *ns = current->nsproxy;

	s->uid = from_kuid_munged(&init_user_ns, current_uid());
	/* nsproxy is NULL only for an exiting task. */
	s->netns = ns ? ns->net_ns->ns.inum : 0;
	get_task_comm(s->comm, current);
	/* Publish: readers that see ready also see the fields above. */
	smp_store_release(&s->ready, 1);
}

struct st_proc_ctr __percpu *st_proc_ctr(void)
{
	u32 tgid = current->tgid;
	unsigned int i, n, idx;
	u32 old;

	/* Kernel threads (tgid 0 is the idle task) are not processes. */
	if (unlikely(!tgid))
		return NULL;
	idx = hash_32(tgid, st_bits);
	for (n = 0; n < ST_MAX_PROBE; n++) {
		i = (idx + n) & (st_nslots - 1);
		old = READ_ONCE(st_slots[i].tgid);
		if (old == tgid)
			return st_ctr(i);
		if (old)
			continue;
		/* Past capacity the table is full even with free slots. */
		if (atomic_inc_return(&st_used) > proc_capacity) {
			atomic_dec(&st_used);
			break;
		}
		old = cmpxchg(&st_slots[i].tgid, 0, tgid);
		if (!old) {
			st_slot_fill(&st_slots[i]);
			return st_ctr(i);
		}
		atomic_dec(&st_used);
		if (old == tgid)
			return st_ctr(i);
	}
	this_cpu_inc(*st_dropped);
	return NULL;
}

bool st_proctab_read(unsigned int *pos, struct st_proc_row *row)
{
	unsigned int i, cpu;

	for (i = *pos; i < st_nslots; i++) {
		struct st_proc_slot *s = &st_slots[i];
		u64 *dst = (u64 *)&row->c;
		unsigned int k;

		/* Pairs with the release in st_slot_fill(). */
		if (!READ_ONCE(s->tgid) || !smp_load_acquire(&s->ready))
			continue;
		row->tgid = s->tgid;
		row->uid = s->uid;
		row->netns = s->netns;
		memcpy(row->comm, s->comm, sizeof(row->comm));
		memset(&row->c, 0, sizeof(row->c));
		for_each_possible_cpu(cpu) {
			const u64 *src = (const u64 *)per_cpu_ptr(st_ctr(i), cpu);

			for (k = 0; k < sizeof(row->c) / sizeof(u64); k++)
				dst[k] += READ_ONCE(src[k]);
		}
		*pos = i + 1;
		return true;
	}
	*pos = i;
	return false;
}

/* Handlers may race with a reset; what they add in flight may survive. */
void st_proctab_reset(void)
{
	unsigned int i, cpu;

	for (i = 0; i < st_nchunks; i++)
		for_each_possible_cpu(cpu)
			memset(per_cpu_ptr(st_chunks[i], cpu), 0,
			       sizeof(struct st_proc_ctr) * ST_CHUNK);
	for (i = 0; i < st_nslots; i++) {
		WRITE_ONCE(st_slots[i].ready, 0);
		WRITE_ONCE(st_slots[i].tgid, 0);
	}
	atomic_set(&st_used, 0);
	for_each_possible_cpu(cpu) {
		u64 *d = per_cpu_ptr(st_dropped, cpu);

		*d = 0;
	}
}

int st_proctab_init(void)
{
	unsigned int i;

	if (proc_capacity < 16 || proc_capacity > (1U << 20)) {
		pr_err("proc_capacity=%u: must be within 16..1048576\n",
		       proc_capacity);
		return -EINVAL;
	}
	st_nslots = roundup_pow_of_two(proc_capacity * 2);
	st_bits = ilog2(st_nslots);
	st_nchunks = DIV_ROUND_UP(st_nslots, ST_CHUNK);
	atomic_set(&st_used, 0);

	st_slots = vzalloc(array_size(st_nslots, sizeof(*st_slots)));
	st_chunks = kcalloc(st_nchunks, sizeof(*st_chunks), GFP_KERNEL);
	st_dropped = alloc_percpu(u64);
	if (!st_slots || !st_chunks || !st_dropped)
		goto err;
	for (i = 0; i < st_nchunks; i++) {
		st_chunks[i] = __alloc_percpu(sizeof(struct st_proc_ctr) * ST_CHUNK,
					      __alignof__(u64));
		if (!st_chunks[i])
			goto err;
	}
	return 0;

err:
	st_proctab_exit();
	return -ENOMEM;
}

void st_proctab_exit(void)
{
	unsigned int i;

	if (st_chunks)
		for (i = 0; i < st_nchunks; i++)
			free_percpu(st_chunks[i]);
	kfree(st_chunks);
	st_chunks = NULL;
	free_percpu(st_dropped);
	st_dropped = NULL;
	vfree(st_slots);
	st_slots = NULL;
}
