/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fixed-capacity keyed table with per-CPU values, for probe context.
 *
 * Rows are claimed once per key with a cmpxchg (no lock, no allocation);
 * after that every event is a this_cpu update of the row's values.  Keys
 * that do not fit are counted as dropped.  The claimer fills the row's
 * metadata (names, owners: written once) and publishes it; readers skip
 * rows not yet published.  Used by the process, listener, size and stack
 * tables.
 */
#ifndef _SOCKTAP_KVTAB_H
#define _SOCKTAP_KVTAB_H

#include <linux/atomic.h>
#include <linux/percpu.h>
#include <linux/types.h>

struct st_kvtab {
	/* set before st_kvtab_init() */
	unsigned int capacity;	/* rows; slots are twice as many */
	size_t meta_size;	/* bytes written once by the claimer */
	size_t val_size;	/* per-CPU bytes per row, a multiple of 8 */

	/* run time */
	void *slots;		/* header + metadata, slot_size each */
	void __percpu **chunks;	/* values, per_chunk rows each */
	size_t slot_size;
	unsigned int nslots, bits, nchunks, per_chunk;
	atomic_t used;
	u64 __percpu *dropped;
};

int st_kvtab_init(struct st_kvtab *t);
void st_kvtab_exit(struct st_kvtab *t);
/* Handlers may race with a reset; what they add in flight may survive. */
void st_kvtab_reset(struct st_kvtab *t);

/*
 * The values of key's row on this CPU, claiming the row on first sight
 * (key must not be 0); *meta points to the row's metadata.  When this
 * call claimed the row (*claimed), fill the metadata, then
 * st_kvtab_publish().  NULL when the table is full (counted).  Probe
 * context: no sleeping, no allocation.
 */
void __percpu *st_kvtab_get(struct st_kvtab *t, u64 key, void **meta,
			    bool *claimed);
void st_kvtab_publish(void *meta);

/*
 * Reads the first published row at or after slot *pos: its key, a copy of
 * its metadata, and its values summed over CPUs as u64s.  Advances *pos
 * past it; false at the end.
 */
bool st_kvtab_read(struct st_kvtab *t, unsigned int *pos, u64 *key,
		   void *meta, u64 *vals);

unsigned int st_kvtab_used(struct st_kvtab *t);
u64 st_kvtab_dropped(struct st_kvtab *t);
/* Bytes this table holds (metadata, and values on every possible CPU). */
size_t st_kvtab_bytes(const struct st_kvtab *t);

#endif /* _SOCKTAP_KVTAB_H */
