/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal declarations shared by socktap's files.
 */
#ifndef _SOCKTAP_H
#define _SOCKTAP_H

#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/types.h>
#include <uapi/linux/socktap.h>

struct seq_file;

/*
 * One probe point: a tracepoint, an entry kprobe or a kretprobe.
 *
 * Probe families declare arrays of these (one file per family) with the
 * static part filled in; probes.c attaches them all in one loop and owns
 * the run-time part.  Handlers reach their st_probe through the tracepoint
 * data pointer or container_of() on the kprobe, so one handler function
 * could serve several points.
 */
struct st_probe {
	/* static: set by the family table */
	const char *name;	/* stable, shown to users, unique */
	const char *target;	/* function, or "system:event" for tracepoints */
	const char *group;	/* same job as other points; NULL if none */
	bool fallback;		/* attach only if the group's preferred one can't */
	u8 kind;		/* enum socktap_probe_kind */
	void *tp_handler;	/* tracepoint: void fn(void *data, TP_PROTO) */
	kprobe_pre_handler_t pre_handler;	/* kprobe */
	kretprobe_handler_t entry_handler;	/* kretprobe, may be NULL */
	kretprobe_handler_t ret_handler;	/* kretprobe */
	size_t data_size;	/* kretprobe per-instance data */

	/* run time: owned by probes.c, under st_probes_lock */
	u8 state;		/* enum socktap_probe_state */
	int err;		/* last attach error, positive errno */
	u64 __percpu *hits;
	struct tracepoint *tp;
	union {
		struct kprobe kp;
		struct kretprobe krp;
	};
};

struct st_probe_family {
	const char *name;
	struct st_probe *probes;
	unsigned int count;
	/* Optional: the family's own data, before attach / after detach. */
	int (*init)(void);
	void (*exit)(void);
};

/* Table entries: the name of a kprobe point is its function. */
#define ST_TP(_name, _target, _fn) \
	{ .name = _name, .target = _target, \
	  .kind = SOCKTAP_PROBE_TRACEPOINT, .tp_handler = _fn }
#define ST_TP_GROUP(_name, _target, _fn, _group) \
	{ .name = _name, .target = _target, .group = _group, \
	  .kind = SOCKTAP_PROBE_TRACEPOINT, .tp_handler = _fn }
#define ST_KP(_target, _fn) \
	{ .name = #_target, .target = #_target, \
	  .kind = SOCKTAP_PROBE_KPROBE, .pre_handler = _fn }
#define ST_KRP(_target, _entry, _ret, _size) \
	{ .name = #_target, .target = #_target, \
	  .kind = SOCKTAP_PROBE_KRETPROBE, .entry_handler = _entry, \
	  .ret_handler = _ret, .data_size = _size }
#define ST_KRP_FALLBACK(_target, _entry, _ret, _size, _group) \
	{ .name = #_target, .target = #_target, .group = _group, \
	  .fallback = true, .kind = SOCKTAP_PROBE_KRETPROBE, \
	  .entry_handler = _entry, .ret_handler = _ret, .data_size = _size }

/*
 * The current task's name, for probe context: get_task_comm() takes the
 * task lock on older kernels (a deadlock when the probed code holds it, a
 * sleeping lock on PREEMPT_RT), so copy without it, as BPF's
 * bpf_get_current_comm() does; a rename racing with it may be torn.
 */
static __always_inline void st_current_comm(char buf[TASK_COMM_LEN])
{
	strscpy_pad(buf, current->comm, TASK_COMM_LEN);
}

/* Handlers count themselves first: one per-CPU add, no shared state. */
static __always_inline void st_hit(struct st_probe *p)
{
	this_cpu_inc(*p->hits);
}

static __always_inline struct st_probe *st_kp_probe(struct kprobe *kp)
{
	return container_of(kp, struct st_probe, kp);
}

static __always_inline struct st_probe *st_krp_probe(struct kretprobe *krp)
{
	return container_of(krp, struct st_probe, krp);
}

/* probes.c: init/exit allocate and free, attach/detach run the probes */
int st_probes_init(const char *disable);
void st_probes_attach(void);
void st_probes_detach(void);
void st_probes_exit(void);
unsigned int st_probes_count(void);
struct st_probe *st_probe_by_index(unsigned int idx);
struct st_probe *st_probe_by_name(const char *name);
int st_probe_set_enabled(struct st_probe *p, bool on);
u64 st_probe_hits(const struct st_probe *p);
u64 st_probe_missed(const struct st_probe *p);
void st_probes_lock(void);
void st_probes_unlock(void);
const char *st_probe_kind_name(u8 kind);
const char *st_probe_state_name(u8 state);

/* Families: one file each. */
extern const struct st_probe_family st_family_sock;
extern const struct st_probe_family st_family_tcp;
extern const struct st_probe_family st_family_drop;

/* debugfs.c */
int st_debugfs_init(void);
void st_debugfs_exit(void);

#ifdef SOCKTAP_BENCH
/* bench.c, bench builds only: the "bench" file in debugfs dir */
struct dentry;
struct dentry *st_bench_debugfs_init(struct dentry *dir);
#endif

/* netlink.c */
int st_netlink_init(void);
void st_netlink_exit(void);

#endif /* _SOCKTAP_H */
