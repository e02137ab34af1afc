// SPDX-License-Identifier: GPL-2.0
/*
 * Listener table: rows claimed once with a cmpxchg on a packed key, then
 * per-CPU counters, as in the process table.  The owner comes from the
 * socket table (the listener's creator), never from softirq's current.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <net/inet_connection_sock.h>
#include <net/sock.h>

#include "listentab.h"
#include "socktab.h"

static unsigned int listen_capacity = 256;
module_param(listen_capacity, uint, 0444);
MODULE_PARM_DESC(listen_capacity,
		 "listeners (netns, family, port) the backlog table holds (4..65536); more are counted as dropped");

#define ST_CHUNK	16	/* counters per per-CPU allocation (< 32 KiB) */
#define ST_MAX_PROBE	32

struct st_listen_slot {
	u64 key;	/* 0 = free; netns << 32 | family << 16 | port */
	u32 ready, pid, backlog_max;
	char comm[TASK_COMM_LEN];
};

static struct st_listen_slot *st_slots;
static struct st_listen_ctr __percpu **st_chunks;
static unsigned int st_nslots, st_bits, st_nchunks;
static atomic_t st_used;
static u64 __percpu *st_dropped;

static struct st_listen_ctr __percpu *st_ctr(unsigned int i)
{
	return st_chunks[i / ST_CHUNK] + i % ST_CHUNK;
}

u64 st_listentab_dropped(void)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(st_dropped, cpu);
	return sum;
}

static void st_slot_fill(struct st_listen_slot *s, const struct sock *sk)
{
	struct st_sock *e;

	rcu_read_lock();
	e = st_sock_find(sk);
	if (e) {
		s->pid = e->tgid;
		memcpy(s->comm, e->comm, sizeof(s->comm));
	}
	rcu_read_unlock();
	/* Publish the fields before the row becomes readable. */
	smp_store_release(&s->ready, 1);
}

struct st_listen_ctr __percpu *st_listen_ctr(const struct sock *sk)
{
	u64 key = (u64)sock_net(sk)->ns.inum << 32 |
		  (u64)sk->sk_family << 16 | sk->sk_num;
	unsigned int i, n, idx = hash_64(key, st_bits);
	u64 old;

	for (n = 0; n < ST_MAX_PROBE; n++) {
		i = (idx + n) & (st_nslots - 1);
		old = READ_ONCE(st_slots[i].key);
		if (old == key)
			goto found;
		if (old)
			continue;
		if (atomic_inc_return(&st_used) > listen_capacity) {
			atomic_dec(&st_used);
			break;
		}
		old = cmpxchg64(&st_slots[i].key, 0, key);
		if (!old) {
			st_slot_fill(&st_slots[i], sk);
			goto found;
		}
		atomic_dec(&st_used);
		if (old == key)
			goto found;
	}
	this_cpu_inc(*st_dropped);
	return NULL;
found:
	WRITE_ONCE(st_slots[i].backlog_max, READ_ONCE(sk->sk_max_ack_backlog));
	return st_ctr(i);
}

bool st_listentab_read(unsigned int *pos, struct st_listen_row *row)
{
	unsigned int i, k, cpu;

	for (i = *pos; i < st_nslots; i++) {
		struct st_listen_slot *s = &st_slots[i];
		u64 *dst = (u64 *)&row->c;
		u64 key = READ_ONCE(s->key);

		/* Pairs with the release in st_slot_fill(). */
		if (!key || !smp_load_acquire(&s->ready))
			continue;
		row->netns = key >> 32;
		row->family = (key >> 16) & 0xff;
		row->port = key & 0xffff;
		row->pid = s->pid;
		row->backlog_max = READ_ONCE(s->backlog_max);
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

void st_listentab_reset(void)
{
	unsigned int i, cpu;

	for (i = 0; i < st_nchunks; i++)
		for_each_possible_cpu(cpu)
			memset(per_cpu_ptr(st_chunks[i], cpu), 0,
			       sizeof(struct st_listen_ctr) * ST_CHUNK);
	for (i = 0; i < st_nslots; i++) {
		WRITE_ONCE(st_slots[i].ready, 0);
		WRITE_ONCE(st_slots[i].key, 0);
	}
	atomic_set(&st_used, 0);
}

int st_listentab_init(void)
{
	unsigned int i;

	if (listen_capacity < 4 || listen_capacity > 65536) {
		pr_err("listen_capacity=%u: must be within 4..65536\n",
		       listen_capacity);
		return -EINVAL;
	}
	st_nslots = roundup_pow_of_two(listen_capacity * 2);
	st_bits = ilog2(st_nslots);
	st_nchunks = DIV_ROUND_UP(st_nslots, ST_CHUNK);
	atomic_set(&st_used, 0);
	st_slots = vzalloc(array_size(st_nslots, sizeof(*st_slots)));
	st_chunks = kcalloc(st_nchunks, sizeof(*st_chunks), GFP_KERNEL);
	st_dropped = alloc_percpu(u64);
	if (!st_slots || !st_chunks || !st_dropped)
		goto err;
	for (i = 0; i < st_nchunks; i++) {
		st_chunks[i] = __alloc_percpu(sizeof(struct st_listen_ctr) * ST_CHUNK,
					      __alignof__(u64));
		if (!st_chunks[i])
			goto err;
	}
	return 0;
err:
	st_listentab_exit();
	return -ENOMEM;
}

void st_listentab_exit(void)
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
