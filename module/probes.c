// SPDX-License-Identifier: GPL-2.0
/*
 * The probe registry: every family's table attached by one loop.
 *
 * A point the running kernel lacks (inlined, renamed, blacklisted, or a
 * tracepoint added later) is marked unavailable and the others carry on;
 * only allocation failures and bad module parameters stop the load.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "socktap.h"

static unsigned int maxactive = 256;
module_param(maxactive, uint, 0444);
MODULE_PARM_DESC(maxactive,
		 "kretprobe instances per return probe (1..4096: calls in flight, e.g. blocked accept()s); more are counted as missed");

static const struct st_probe_family *const st_families[] = {
	&st_family_sock,
	&st_family_tcp,
	&st_family_drop,
};

static void st_families_exit(unsigned int n)
{
	while (n--)
		if (st_families[n]->exit)
			st_families[n]->exit();
}

static DEFINE_MUTEX(st_probe_mutex);
static struct st_probe **st_index;
static unsigned int st_nprobes;

void st_probes_lock(void)
{
	mutex_lock(&st_probe_mutex);
}

void st_probes_unlock(void)
{
	mutex_unlock(&st_probe_mutex);
}

unsigned int st_probes_count(void)
{
	return st_nprobes;
}

struct st_probe *st_probe_by_index(unsigned int idx)
{
	return idx < st_nprobes ? st_index[idx] : NULL;
}

struct st_probe *st_probe_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < st_nprobes; i++)
		if (!strcmp(st_index[i]->name, name))
			return st_index[i];
	return NULL;
}

const char *st_probe_kind_name(u8 kind)
{
	static const char *const names[__SOCKTAP_PROBE_KIND_MAX] = {
		[SOCKTAP_PROBE_TRACEPOINT] = "tracepoint",
		[SOCKTAP_PROBE_KPROBE] = "kprobe",
		[SOCKTAP_PROBE_KRETPROBE] = "kretprobe",
	};

	return kind < ARRAY_SIZE(names) ? names[kind] : "?";
}

const char *st_probe_state_name(u8 state)
{
	static const char *const names[__SOCKTAP_STATE_MAX] = {
		[SOCKTAP_STATE_ATTACHED] = "attached",
		[SOCKTAP_STATE_UNAVAILABLE] = "unavailable",
		[SOCKTAP_STATE_DISABLED] = "disabled",
		[SOCKTAP_STATE_FAILED] = "failed",
		[SOCKTAP_STATE_STANDBY] = "standby",
	};

	return state < ARRAY_SIZE(names) ? names[state] : "?";
}

u64 st_probe_hits(const struct st_probe *p)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(p->hits, cpu);
	return sum;
}

/* Racy reads of counters the kprobe core bumps: good enough for display. */
u64 st_probe_missed(const struct st_probe *p)
{
	switch (p->kind) {
	case SOCKTAP_PROBE_KPROBE:
		return READ_ONCE(p->kp.nmissed);
	case SOCKTAP_PROBE_KRETPROBE:
		return (u64)READ_ONCE(p->krp.nmissed) +
		       READ_ONCE(p->krp.kp.nmissed);
	default:
		return 0;
	}
}

struct st_tp_lookup {
	const char *event;
	struct tracepoint *tp;
};

static void st_tp_match(struct tracepoint *tp, void *priv)
{
	struct st_tp_lookup *l = priv;

	if (!l->tp && !strcmp(tp->name, l->event))
		l->tp = tp;
}

/*
 * Most tracepoints are not exported to modules; find the built-in ones by
 * name.  The name inside the kernel has no "system:" prefix.
 */
static struct tracepoint *st_tp_find(const char *target)
{
	const char *colon = strchr(target, ':');
	struct st_tp_lookup l = { .event = colon ? colon + 1 : target };

	for_each_kernel_tracepoint(st_tp_match, &l);
	return l.tp;
}

/* Absent or unprobe-able on this kernel, as opposed to broken. */
static bool st_err_unavailable(int err)
{
	return err == -ENOENT || err == -EINVAL || err == -EILSEQ ||
	       err == -EOPNOTSUPP || err == -ENODEV;
}

static int st_attach(struct st_probe *p)
{
	switch (p->kind) {
	case SOCKTAP_PROBE_TRACEPOINT:
		if (!p->tp)
			p->tp = st_tp_find(p->target);
		if (!p->tp)
			return -ENOENT;
		return tracepoint_probe_register(p->tp, p->tp_handler, p);
	case SOCKTAP_PROBE_KPROBE:
		/* The kprobe core keeps state in the struct: start clean. */
		memset(&p->kp, 0, sizeof(p->kp));
		p->kp.symbol_name = p->target;
		p->kp.pre_handler = p->pre_handler;
		return register_kprobe(&p->kp);
	case SOCKTAP_PROBE_KRETPROBE:
		memset(&p->krp, 0, sizeof(p->krp));
		p->krp.kp.symbol_name = p->target;
		p->krp.handler = p->ret_handler;
		p->krp.entry_handler = p->entry_handler;
		p->krp.data_size = p->data_size;
		p->krp.maxactive = maxactive;
		return register_kretprobe(&p->krp);
	}
	return -EINVAL;
}

/* Callers of a tracepoint detach must wait for tracepoint_synchronize_unregister(). */
static void st_detach(struct st_probe *p)
{
	switch (p->kind) {
	case SOCKTAP_PROBE_TRACEPOINT:
		tracepoint_probe_unregister(p->tp, p->tp_handler, p);
		break;
	case SOCKTAP_PROBE_KPROBE:
		unregister_kprobe(&p->kp);
		break;
	case SOCKTAP_PROBE_KRETPROBE:
		unregister_kretprobe(&p->krp);
		break;
	}
}

static void st_try_attach(struct st_probe *p)
{
	int err = st_attach(p);

	p->err = -err;
	if (!err)
		p->state = SOCKTAP_STATE_ATTACHED;
	else if (st_err_unavailable(err))
		p->state = SOCKTAP_STATE_UNAVAILABLE;
	else
		p->state = SOCKTAP_STATE_FAILED;
	if (err)
		pr_info("probe %s (%s %s): %s, error %d\n", p->name,
			st_probe_kind_name(p->kind), p->target,
			st_probe_state_name(p->state), err);
}

/*
 * An attached point of p's group that would count p's events twice: the
 * preferred point excludes everything else in its group; fallbacks (a set
 * that together covers the same calls) exclude only the preferred one.
 */
static struct st_probe *st_group_active(const struct st_probe *p)
{
	unsigned int i;

	if (!p->group)
		return NULL;
	for (i = 0; i < st_nprobes; i++) {
		struct st_probe *o = st_index[i];

		if (o == p || !o->group || strcmp(o->group, p->group) ||
		    o->state != SOCKTAP_STATE_ATTACHED)
			continue;
		if (!o->fallback || !p->fallback)
			return o;
	}
	return NULL;
}

/* Called under st_probe_mutex, from process context. */
int st_probe_set_enabled(struct st_probe *p, bool on)
{
	if (on) {
		if (p->state == SOCKTAP_STATE_ATTACHED)
			return 0;
		/* A point this kernel lacks says so before any group conflict. */
		if (st_group_active(p))
			return p->state == SOCKTAP_STATE_UNAVAILABLE ?
			       -ENOENT : -EBUSY;
		st_try_attach(p);
		return p->state == SOCKTAP_STATE_ATTACHED ? 0 : -p->err;
	}
	/* Nothing to detach, and "not in this kernel" must stay visible. */
	if (p->state == SOCKTAP_STATE_UNAVAILABLE)
		return 0;
	if (p->state == SOCKTAP_STATE_ATTACHED) {
		st_detach(p);
		if (p->kind == SOCKTAP_PROBE_TRACEPOINT)
			tracepoint_synchronize_unregister();
	}
	p->state = SOCKTAP_STATE_DISABLED;
	p->err = 0;
	return 0;
}

/*
 * "a,b,c": every name must exist, so a typo is a load error, not a no-op;
 * "all" disables every probe point.
 */
static int st_apply_disable(const char *list)
{
	char *copy, *cur, *tok;
	struct st_probe *p;
	int err = 0;

	if (!list || !*list)
		return 0;
	copy = kstrdup(list, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	cur = copy;
	while ((tok = strsep(&cur, ",")) != NULL) {
		tok = strim(tok);
		if (!*tok)
			continue;
		if (!strcmp(tok, "all")) {
			unsigned int i;

			for (i = 0; i < st_nprobes; i++)
				st_index[i]->state = SOCKTAP_STATE_DISABLED;
			continue;
		}
		p = st_probe_by_name(tok);
		if (!p) {
			pr_err("disable=: no probe named '%s' (see the probes file)\n",
			       tok);
			err = -EINVAL;
			break;
		}
		p->state = SOCKTAP_STATE_DISABLED;
	}
	kfree(copy);
	return err;
}

static void st_free_index(void)
{
	unsigned int i;

	for (i = 0; i < st_nprobes; i++) {
		free_percpu(st_index[i]->hits);
		st_index[i]->hits = NULL;
	}
	kfree(st_index);
	st_index = NULL;
	st_nprobes = 0;
}

int st_probes_init(const char *disable)
{
	unsigned int f, i, n = 0;
	struct st_probe *p;
	int err;

	/*
	 * Every instance is allocated at registration: 0 would be the
	 * kprobe layer's own default, and 4096 is its tracer's limit
	 * (KRETPROBE_MAXACTIVE_MAX).
	 */
	if (maxactive < 1 || maxactive > 4096) {
		pr_err("maxactive=%u: must be within 1..4096\n", maxactive);
		return -EINVAL;
	}
	for (f = 0; f < ARRAY_SIZE(st_families); f++)
		n += st_families[f]->count;

	st_index = kcalloc(n, sizeof(*st_index), GFP_KERNEL);
	if (!st_index)
		return -ENOMEM;

	for (f = 0; f < ARRAY_SIZE(st_families); f++) {
		for (i = 0; i < st_families[f]->count; i++) {
			p = &st_families[f]->probes[i];
			p->hits = alloc_percpu(u64);
			if (!p->hits) {
				err = -ENOMEM;
				goto err_free;
			}
			p->state = SOCKTAP_STATE_UNAVAILABLE;
			p->err = 0;
			st_index[st_nprobes++] = p;
		}
	}

	for (f = 0; f < ARRAY_SIZE(st_families); f++) {
		if (!st_families[f]->init)
			continue;
		err = st_families[f]->init();
		if (err) {
			st_families_exit(f);
			goto err_free;
		}
	}

	err = st_apply_disable(disable);
	if (err)
		goto err_families;
	return 0;

err_families:
	st_families_exit(ARRAY_SIZE(st_families));
err_free:
	st_free_index();
	return err;
}

/* In table order, so a group's preferred point (listed first) wins. */
void st_probes_attach(void)
{
	unsigned int i;
	struct st_probe *p;

	mutex_lock(&st_probe_mutex);
	for (i = 0; i < st_nprobes; i++) {
		p = st_index[i];
		if (p->state == SOCKTAP_STATE_DISABLED)
			continue;
		if (st_group_active(p)) {
			p->state = SOCKTAP_STATE_STANDBY;
			continue;
		}
		st_try_attach(p);
	}
	mutex_unlock(&st_probe_mutex);
}

void st_probes_detach(void)
{
	unsigned int i;

	mutex_lock(&st_probe_mutex);
	for (i = 0; i < st_nprobes; i++) {
		if (st_index[i]->state == SOCKTAP_STATE_ATTACHED)
			st_detach(st_index[i]);
		st_index[i]->state = SOCKTAP_STATE_DISABLED;
	}
	mutex_unlock(&st_probe_mutex);
	/*
	 * Kprobe unregistration already waited for running handlers;
	 * tracepoint handlers may still be running on another CPU.
	 */
	tracepoint_synchronize_unregister();
}

void st_probes_exit(void)
{
	st_families_exit(ARRAY_SIZE(st_families));
	st_free_index();
}
