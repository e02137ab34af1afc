// SPDX-License-Identifier: GPL-2.0
/*
 * Socket table: a fixed array of entries (allocated at load, so handlers
 * never allocate: PREEMPT_RT forbids it with preemption off), a bitmap of
 * used entries, and hash buckets guarded by hashed raw spinlocks (raw:
 * they are taken with preemption off, also on PREEMPT_RT).  Lookups are
 * lock-free under RCU; an entry is reused only after a grace period.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/cred.h>
#include <linux/hash.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>

#include "socktab.h"
#include "socktap.h"

static unsigned int sock_capacity = 16384;
module_param(sock_capacity, uint, 0444);
MODULE_PARM_DESC(sock_capacity,
		 "sockets the per-socket table holds (16..4194304); more are counted as untracked. 0: no per-socket table (counters and histograms only: no lifetime, first-byte, async-connect or state-time histograms, no owner for softirq events)");

static struct st_sock *st_entries;
static unsigned long *st_usedmap;
#define ST_LOCK_BITS 8

static struct hlist_head *st_buckets;
static raw_spinlock_t st_locks[1 << ST_LOCK_BITS];
static unsigned int st_bucket_bits;
static atomic_t st_nused;
static u64 __percpu *st_untracked;

unsigned int st_socktab_capacity(void)
{
	return sock_capacity;
}

unsigned int st_socktab_used(void)
{
	return atomic_read(&st_nused);
}

u64 st_socktab_untracked(void)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(st_untracked, cpu);
	return sum;
}

static unsigned int st_hash(const struct sock *sk)
{
	return hash_ptr(sk, st_bucket_bits);
}

static raw_spinlock_t *st_lock(unsigned int h)
{
	return &st_locks[h & ((1 << ST_LOCK_BITS) - 1)];
}

struct st_sock *st_sock_find(const struct sock *sk)
{
	struct st_sock *e;

	if (!sock_capacity)
		return NULL;
	hlist_for_each_entry_rcu(e, &st_buckets[st_hash(sk)], node)
		if (READ_ONCE(e->sk) == sk)
			return e;
	return NULL;
}

/*
 * Claim a free entry.  Searching from a per-CPU start keeps CPUs off each
 * other's bitmap words; test_and_set_bit settles races.
 */
static struct st_sock *st_entry_alloc(void)
{
	unsigned int start = (smp_processor_id() * 64) % sock_capacity;
	unsigned int i = start;
	bool wrapped = false;

	for (;;) {
		i = find_next_zero_bit(st_usedmap, sock_capacity, i);
		if (i >= sock_capacity) {
			if (wrapped)
				return NULL;
			wrapped = true;
			i = 0;
			continue;
		}
		if (wrapped && i >= start)
			return NULL;
		if (!test_and_set_bit(i, st_usedmap)) {
			atomic_inc(&st_nused);
			return &st_entries[i];
		}
	}
}

static void st_entry_free_rcu(struct rcu_head *head)
{
	struct st_sock *e = container_of(head, struct st_sock, rcu);

	clear_bit(e - st_entries, st_usedmap);
	atomic_dec(&st_nused);
}

static void st_entry_init(struct st_sock *e, u64 now, bool fresh)
{
	WRITE_ONCE(e->t_create, now);
	WRITE_ONCE(e->t_connect, 0);
	WRITE_ONCE(e->t_est, 0);
	WRITE_ONCE(e->t_state, 0);
	atomic64_set(&e->tx, 0);
	atomic64_set(&e->rx, 0);
	WRITE_ONCE(e->flags, fresh ? BIT(ST_SK_CREATED) : 0);
	e->tgid = current->tgid;
	e->uid = from_kuid_munged(&init_user_ns, current_uid());
	st_current_comm(e->comm);
}

struct st_sock *st_sock_track(const struct sock *sk, u64 now, bool fresh)
{
	struct st_sock *e, *old;
	unsigned long irqflags;
	unsigned int h;

	/* No table (sock_capacity=0): nothing is tracked, nothing counted. */
	if (!sock_capacity)
		return NULL;
	h = st_hash(sk);
	e = st_sock_find(sk);
	if (e) {
		/* A destruct we did not see left it behind: start over. */
		if (fresh)
			st_entry_init(e, now, fresh);
		return e;
	}
	e = st_entry_alloc();
	if (!e) {
		/*
		 * Sockets, not attempts: a socket is fresh once (socket() or
		 * accept()); its connect() finding the table full again, or
		 * that of a socket from before the load, is not counted.
		 */
		if (fresh)
			this_cpu_inc(*st_untracked);
		return NULL;
	}
	st_entry_init(e, now, fresh);

	/* Softirq handlers take bucket locks too: keep them off this CPU. */
	raw_spin_lock_irqsave(st_lock(h), irqflags);
	old = st_sock_find(sk);
	if (old) {
		/* Lost a race with another CPU tracking the same socket. */
		raw_spin_unlock_irqrestore(st_lock(h), irqflags);
		clear_bit(e - st_entries, st_usedmap);
		atomic_dec(&st_nused);
		return old;
	}
	WRITE_ONCE(e->sk, sk);
	hlist_add_head_rcu(&e->node, &st_buckets[h]);
	raw_spin_unlock_irqrestore(st_lock(h), irqflags);
	return e;
}

void st_sock_untrack(const struct sock *sk)
{
	unsigned long irqflags;
	struct st_sock *e;
	unsigned int h;

	if (!sock_capacity)
		return;
	h = st_hash(sk);
	raw_spin_lock_irqsave(st_lock(h), irqflags);
	e = st_sock_find(sk);
	if (e) {
		hlist_del_rcu(&e->node);
		/* Lookups that still hold it see a key that matches nothing. */
		WRITE_ONCE(e->sk, NULL);
	}
	raw_spin_unlock_irqrestore(st_lock(h), irqflags);
	if (e)
		call_rcu(&e->rcu, st_entry_free_rcu);
}

int st_socktab_init(void)
{
	unsigned int i, nbuckets;

	if (sock_capacity && (sock_capacity < 16 || sock_capacity > (1U << 22))) {
		pr_err("sock_capacity=%u: must be 0 or within 16..4194304\n",
		       sock_capacity);
		return -EINVAL;
	}
	atomic_set(&st_nused, 0);
	st_untracked = alloc_percpu(u64);
	if (!st_untracked)
		return -ENOMEM;
	if (!sock_capacity)
		return 0;
	nbuckets = roundup_pow_of_two(sock_capacity);
	st_bucket_bits = ilog2(nbuckets);

	st_entries = vzalloc(array_size(sock_capacity, sizeof(*st_entries)));
	st_usedmap = bitmap_zalloc(sock_capacity, GFP_KERNEL);
	st_buckets = vmalloc(array_size(nbuckets, sizeof(*st_buckets)));
	if (!st_entries || !st_usedmap || !st_buckets) {
		st_socktab_exit();
		return -ENOMEM;
	}
	for (i = 0; i < nbuckets; i++)
		INIT_HLIST_HEAD(&st_buckets[i]);
	for (i = 0; i < ARRAY_SIZE(st_locks); i++)
		raw_spin_lock_init(&st_locks[i]);
	return 0;
}

void st_socktab_exit(void)
{
	/* Frees queued by the last untracks must run before the memory goes. */
	rcu_barrier();
	free_percpu(st_untracked);
	st_untracked = NULL;
	vfree(st_buckets);
	st_buckets = NULL;
	bitmap_free(st_usedmap);
	st_usedmap = NULL;
	vfree(st_entries);
	st_entries = NULL;
}
