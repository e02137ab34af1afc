// SPDX-License-Identifier: GPL-2.0
/*
 * Open addressing on the key over twice the capacity in slots, with a
 * bounded probe distance.  Values live in per-CPU chunks because the
 * per-CPU allocator serves at most 32 KiB at a time.
 */
#include <linux/cpumask.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "kvtab.h"

#define ST_CHUNK_BYTES	(32 * 1024)
#define ST_MAX_PROBE	64	/* slots searched before calling the table full */

struct st_kv_hdr {
	u64 key;	/* 0 = free; claimed by cmpxchg */
	u32 ready;	/* metadata written (release/acquire) */
	u32 pad;
	u8 meta[];
};

static __always_inline struct st_kv_hdr *st_slot(struct st_kvtab *t,
						 unsigned int i)
{
	return t->slots + (size_t)i * t->slot_size;
}

static __always_inline void __percpu *st_val(struct st_kvtab *t, unsigned int i)
{
	return (void __percpu *)((char __percpu *)t->chunks[i / t->per_chunk] +
				 (i % t->per_chunk) * t->val_size);
}

void __percpu *st_kvtab_get(struct st_kvtab *t, u64 key, void **meta,
			    bool *claimed)
{
	unsigned int i, n, idx = hash_64(key, t->bits);
	struct st_kv_hdr *h;
	u64 old;

	*claimed = false;
	for (n = 0; n < ST_MAX_PROBE; n++) {
		i = (idx + n) & (t->nslots - 1);
		h = st_slot(t, i);
		old = READ_ONCE(h->key);
		if (old == key)
			goto found;
		if (old)
			continue;
		/* Past capacity the table is full even with free slots. */
		if (atomic_inc_return(&t->used) > t->capacity) {
			atomic_dec(&t->used);
			break;
		}
		old = cmpxchg64(&h->key, 0, key);
		if (!old) {
			*claimed = true;
			goto found;
		}
		atomic_dec(&t->used);
		if (old == key)
			goto found;
	}
	this_cpu_inc(*t->dropped);
	return NULL;
found:
	*meta = h->meta;
	return st_val(t, i);
}

void st_kvtab_publish(void *meta)
{
	struct st_kv_hdr *h = container_of(meta, struct st_kv_hdr, meta[0]);

	/* Readers that see ready also see the metadata. */
	smp_store_release(&h->ready, 1);
}

bool st_kvtab_read(struct st_kvtab *t, unsigned int *pos, u64 *key,
		   void *meta, u64 *vals)
{
	unsigned int i, k, cpu, nv = t->val_size / sizeof(u64);

	for (i = *pos; i < t->nslots; i++) {
		struct st_kv_hdr *h = st_slot(t, i);
		u64 kv = READ_ONCE(h->key);

		/* Pairs with the release in st_kvtab_publish(). */
		if (!kv || !smp_load_acquire(&h->ready))
			continue;
		*key = kv;
		if (meta)
			memcpy(meta, h->meta, t->meta_size);
		memset(vals, 0, t->val_size);
		for_each_possible_cpu(cpu) {
			const u64 *src = per_cpu_ptr(st_val(t, i), cpu);

			for (k = 0; k < nv; k++)
				vals[k] += READ_ONCE(src[k]);
		}
		*pos = i + 1;
		return true;
	}
	*pos = i;
	return false;
}

unsigned int st_kvtab_used(struct st_kvtab *t)
{
	int n = atomic_read(&t->used);

	return n < 0 ? 0 : min_t(unsigned int, n, t->capacity);
}

u64 st_kvtab_dropped(struct st_kvtab *t)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(t->dropped, cpu);
	return sum;
}

size_t st_kvtab_bytes(const struct st_kvtab *t)
{
	return (size_t)t->nslots * t->slot_size +
	       (size_t)t->nchunks * t->per_chunk * t->val_size *
	       num_possible_cpus();
}

void st_kvtab_reset(struct st_kvtab *t)
{
	unsigned int i, cpu;

	for (i = 0; i < t->nchunks; i++)
		for_each_possible_cpu(cpu)
			memset(per_cpu_ptr(t->chunks[i], cpu), 0,
			       t->val_size * t->per_chunk);
	for (i = 0; i < t->nslots; i++) {
		WRITE_ONCE(st_slot(t, i)->ready, 0);
		WRITE_ONCE(st_slot(t, i)->key, 0);
	}
	atomic_set(&t->used, 0);
	for_each_possible_cpu(cpu) {
		u64 *d = per_cpu_ptr(t->dropped, cpu);

		*d = 0;
	}
}

int st_kvtab_init(struct st_kvtab *t)
{
	unsigned int i;

	if (!t->capacity || t->val_size % sizeof(u64) ||
	    t->val_size > ST_CHUNK_BYTES)
		return -EINVAL;
	t->nslots = roundup_pow_of_two(t->capacity * 2);
	t->bits = ilog2(t->nslots);
	t->slot_size = ALIGN(sizeof(struct st_kv_hdr) + t->meta_size,
			     sizeof(u64));
	t->per_chunk = min_t(unsigned int, ST_CHUNK_BYTES / t->val_size,
			     t->nslots);
	t->nchunks = DIV_ROUND_UP(t->nslots, t->per_chunk);
	atomic_set(&t->used, 0);

	t->slots = vzalloc(array_size(t->nslots, t->slot_size));
	t->chunks = kcalloc(t->nchunks, sizeof(*t->chunks), GFP_KERNEL);
	t->dropped = alloc_percpu(u64);
	if (!t->slots || !t->chunks || !t->dropped)
		goto err;
	for (i = 0; i < t->nchunks; i++) {
		t->chunks[i] = __alloc_percpu(t->val_size * t->per_chunk,
					      __alignof__(u64));
		if (!t->chunks[i])
			goto err;
	}
	return 0;

err:
	st_kvtab_exit(t);
	return -ENOMEM;
}

void st_kvtab_exit(struct st_kvtab *t)
{
	unsigned int i;

	if (t->chunks)
		for (i = 0; i < t->nchunks; i++)
			free_percpu(t->chunks[i]);
	kfree(t->chunks);
	t->chunks = NULL;
	free_percpu(t->dropped);
	t->dropped = NULL;
	vfree(t->slots);
	t->slots = NULL;
}
