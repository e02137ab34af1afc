// SPDX-License-Identifier: GPL-2.0
/*
 * Run-time function probes (funccount, stap -l): entry kprobes on
 * functions named by the user, counted per function per CPU.
 *
 * Probes are grouped in sessions, one per netlink socket: a session ends
 * when its socket closes (the CLI exits, is killed, or crashes), so no
 * probe outlives the command that asked for it.  All sessions together
 * hold at most count_max probes.  Registration and removal sleep; they run
 * in netlink and notifier context (process context), under one mutex.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/net_namespace.h>

#include "compat.h"
#include "funcs.h"

static unsigned int count_max = 1024;
module_param(count_max, uint, 0444);
MODULE_PARM_DESC(count_max,
		 "functions `socktap count` may probe at once, all sessions together (1..4096)");

struct st_fprobe {
	struct kprobe kp;
	u64 __percpu *hits;
	char *name;
};

/* One COUNT_ADD request's worth of probes: removed together. */
struct st_fbatch {
	struct list_head node;
	unsigned int n;
	u64 __percpu *hits;	/* SOCKTAP_FUNCS_BATCH_MAX per CPU */
	struct kprobe *kps[SOCKTAP_FUNCS_BATCH_MAX];
	struct st_fprobe p[SOCKTAP_FUNCS_BATCH_MAX];
};

struct st_fsession {
	struct list_head node;
	struct list_head batches;
	u32 portid;
	unsigned int n;
};

static DEFINE_MUTEX(st_funcs_lock);
static LIST_HEAD(st_sessions);
static unsigned int st_count_used;

unsigned int st_funcs_count_max(void)
{
	return count_max;
}

unsigned int st_funcs_count_used(void)
{
	return READ_ONCE(st_count_used);
}

/* The whole handler: one per-CPU increment. */
static int st_count_pre(struct kprobe *kp, struct pt_regs *regs)
{
	this_cpu_inc(*container_of(kp, struct st_fprobe, kp)->hits);
	return 0;
}

static int st_noop_pre(struct kprobe *kp, struct pt_regs *regs)
{
	return 0;
}

static u32 st_kp_flags(const struct kprobe *kp)
{
	return kp->flags & KPROBE_FLAG_FTRACE ? SOCKTAP_FUNC_FTRACE : 0;
}

/*
 * Registers kp on name, disabled (so nothing runs yet).  Our own code is
 * refused: a probe on a handler would only ever count its own misses.
 */
static int st_kp_register(struct kprobe *kp, const char *name,
			  kprobe_pre_handler_t pre)
{
	int err;

	memset(kp, 0, sizeof(*kp));
	kp->symbol_name = name;
	kp->pre_handler = pre;
	kp->flags = KPROBE_FLAG_DISABLED;
	err = register_kprobe(kp);
	if (err)
		return err;
	if (within_module((unsigned long)kp->addr, THIS_MODULE)) {
		unregister_kprobe(kp);
		return -EPERM;
	}
	return 0;
}

void st_funcs_check(const char *const *names, unsigned int n,
		    struct st_func_result *res)
{
	struct kprobe *kp, **done;
	unsigned int i, nd = 0;
	int err;

	kp = kcalloc(n, sizeof(*kp), GFP_KERNEL);
	done = kcalloc(n, sizeof(*done), GFP_KERNEL);
	for (i = 0; i < n; i++) {
		res[i].name = names[i];
		res[i].flags = 0;
		err = kp && done ? st_kp_register(&kp[i], names[i], st_noop_pre)
				 : -ENOMEM;
		res[i].err = -err;
		if (!err) {
			res[i].flags = st_kp_flags(&kp[i]);
			done[nd++] = &kp[i];
		}
	}
	/* One grace period for the whole batch. */
	if (nd)
		unregister_kprobes(done, nd);
	kfree(done);
	kfree(kp);
}

static struct st_fsession *st_session_find(u32 portid)
{
	struct st_fsession *s;

	list_for_each_entry(s, &st_sessions, node)
		if (s->portid == portid)
			return s;
	return NULL;
}

static bool st_session_has(struct st_fsession *s, const char *name)
{
	struct st_fbatch *b;
	unsigned int i;

	list_for_each_entry(b, &s->batches, node)
		for (i = 0; i < b->n; i++)
			if (!strcmp(b->p[i].name, name))
				return true;
	return false;
}

static void st_batch_free(struct st_fbatch *b)
{
	unsigned int i;

	for (i = 0; i < b->n; i++)
		kfree(b->p[i].name);
	free_percpu(b->hits);
	kfree(b);
}

/* Adds what registers to b; res[i] says how each name fared. */
static void st_batch_fill(struct st_fsession *s, struct st_fbatch *b,
			  const char *const *names, unsigned int n,
			  struct st_func_result *res)
{
	struct st_fprobe *fp;
	unsigned int i;
	int err;

	for (i = 0; i < n; i++) {
		res[i].name = names[i];
		res[i].flags = 0;
		fp = &b->p[b->n];
		if (st_count_used >= count_max) {
			err = -ENOSPC;
		} else if (st_session_has(s, names[i])) {
			err = -EEXIST;
		} else {
			fp->name = kstrdup(names[i], GFP_KERNEL);
			err = fp->name ? st_kp_register(&fp->kp, fp->name,
							st_count_pre) : -ENOMEM;
		}
		if (!err) {
			fp->hits = b->hits + b->n;
			err = enable_kprobe(&fp->kp);
			if (err)
				unregister_kprobe(&fp->kp);
		}
		res[i].err = -err;
		if (err) {
			kfree(fp->name);
			fp->name = NULL;
			continue;
		}
		res[i].flags = st_kp_flags(&fp->kp);
		b->kps[b->n++] = &fp->kp;
		WRITE_ONCE(st_count_used, st_count_used + 1);
	}
}

int st_funcs_count_add(u32 portid, const char *const *names, unsigned int n,
		       struct st_func_result *res)
{
	struct st_fsession *s;
	struct st_fbatch *b;
	bool created = false;

	if (n > SOCKTAP_FUNCS_BATCH_MAX)
		return -E2BIG;
	b = kzalloc_obj(*b, GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->hits = __alloc_percpu(sizeof(u64) * SOCKTAP_FUNCS_BATCH_MAX,
				 __alignof__(u64));
	if (!b->hits) {
		kfree(b);
		return -ENOMEM;
	}

	mutex_lock(&st_funcs_lock);
	s = st_session_find(portid);
	if (!s) {
		s = kzalloc_obj(*s, GFP_KERNEL);
		if (!s) {
			mutex_unlock(&st_funcs_lock);
			st_batch_free(b);
			return -ENOMEM;
		}
		s->portid = portid;
		INIT_LIST_HEAD(&s->batches);
		list_add(&s->node, &st_sessions);
		created = true;
	}
	st_batch_fill(s, b, names, n, res);
	if (b->n) {
		list_add_tail(&b->node, &s->batches);
		s->n += b->n;
		b = NULL;
	} else if (created) {
		list_del(&s->node);
		kfree(s);
	}
	mutex_unlock(&st_funcs_lock);
	if (b)
		st_batch_free(b);
	return 0;
}

/* Caller has unlinked s: nobody else can reach it. */
static void st_session_free(struct st_fsession *s)
{
	struct st_fbatch *b, *tmp;

	list_for_each_entry_safe(b, tmp, &s->batches, node) {
		/* Waits for running handlers (an RCU grace period). */
		unregister_kprobes(b->kps, b->n);
		list_del(&b->node);
		st_batch_free(b);
	}
	kfree(s);
}

static void st_session_unlink(struct st_fsession *s)
{
	list_del(&s->node);
	WRITE_ONCE(st_count_used, st_count_used - s->n);
}

bool st_funcs_count_read(u32 portid, unsigned long *pos,
			 struct st_func_row *row)
{
	unsigned long skip = *pos;
	struct st_fsession *s;
	struct st_fbatch *b;
	struct st_fprobe *fp;
	bool found = false;
	int cpu;

	mutex_lock(&st_funcs_lock);
	s = st_session_find(portid);
	if (!s || skip >= s->n)
		goto out;
	list_for_each_entry(b, &s->batches, node) {
		if (skip >= b->n) {
			skip -= b->n;
			continue;
		}
		fp = &b->p[skip];
		strscpy(row->name, fp->name, sizeof(row->name));
		row->hits = 0;
		for_each_possible_cpu(cpu)
			row->hits += *per_cpu_ptr(fp->hits, cpu);
		row->missed = fp->kp.nmissed;
		row->flags = st_kp_flags(&fp->kp);
		found = true;
		break;
	}
out:
	mutex_unlock(&st_funcs_lock);
	if (found)
		(*pos)++;
	return found;
}

int st_funcs_show(struct seq_file *m, void *v)
{
	struct st_fsession *s;
	struct st_fbatch *b;
	unsigned int i;
	u64 hits;
	int cpu;

	seq_printf(m, "count_max %u\ncount_used %u\n", count_max,
		   READ_ONCE(st_count_used));
	seq_printf(m, "%-10s %-40s %12s %8s %s\n", "SESSION", "FUNC", "CALLS",
		   "MISSED", "HOW");
	mutex_lock(&st_funcs_lock);
	list_for_each_entry(s, &st_sessions, node)
		list_for_each_entry(b, &s->batches, node)
			for (i = 0; i < b->n; i++) {
				hits = 0;
				for_each_possible_cpu(cpu)
					hits += *per_cpu_ptr(b->p[i].hits, cpu);
				seq_printf(m, "%-10u %-40s %12llu %8lu %s\n",
					   s->portid, b->p[i].name, hits,
					   b->p[i].kp.nmissed,
					   st_kp_flags(&b->p[i].kp) ?
					   "ftrace" : "int3");
			}
	mutex_unlock(&st_funcs_lock);
	return 0;
}

/* netlink_release(): a blocking notifier chain, so removal may sleep. */
static int st_funcs_urelease(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct netlink_notify *n = ptr;
	struct st_fsession *s;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !net_eq(n->net, &init_net))
		return NOTIFY_DONE;
	mutex_lock(&st_funcs_lock);
	s = st_session_find(n->portid);
	if (s)
		st_session_unlink(s);
	mutex_unlock(&st_funcs_lock);
	if (s)
		st_session_free(s);
	return NOTIFY_DONE;
}

static struct notifier_block st_funcs_nb = {
	.notifier_call = st_funcs_urelease,
};

int st_funcs_init(void)
{
	if (count_max < 1 || count_max > 4096) {
		pr_err("count_max=%u: must be within 1..4096\n", count_max);
		return -EINVAL;
	}
	return netlink_register_notifier(&st_funcs_nb);
}

/* After the family is gone: no new sessions; remove what is left. */
void st_funcs_exit(void)
{
	struct st_fsession *s;

	netlink_unregister_notifier(&st_funcs_nb);
	for (;;) {
		mutex_lock(&st_funcs_lock);
		s = list_first_entry_or_null(&st_sessions, struct st_fsession,
					     node);
		if (s)
			st_session_unlink(s);
		mutex_unlock(&st_funcs_lock);
		if (!s)
			break;
		st_session_free(s);
	}
}
