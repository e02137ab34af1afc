// SPDX-License-Identifier: GPL-2.0
/*
 * Stack sessions: an entry kprobe on the chosen function whose handler
 * takes the kernel stack (stack_trace_save) and/or walks the caller's
 * user frame pointers with non-faulting copies, hashes the frames and
 * counts them in a keyed per-CPU table allocated for the session.
 *
 * The frames are collected in a per-CPU scratch area: kprobe handlers do
 * not nest on a CPU (a probe hit inside a handler is counted as missed).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compat.h>
#include <linux/jhash.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/ptrace.h>
#include <linux/sched/task_stack.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>

#include "compat.h"
#include "kvtab.h"
#include "socktap.h"
#include "stacks.h"

static unsigned int stack_capacity = 1024;
module_param(stack_capacity, uint, 0444);
MODULE_PARM_DESC(stack_capacity,
		 "distinct stacks a `socktap stacks` session holds (16..65536); calls with new stacks beyond are counted as dropped");

#define ST_FRAMES	(SOCKTAP_KSTACK_MAX + SOCKTAP_USTACK_MAX)
/* The kprobe and unwinder frames above the probed function. */
#define ST_RAW_EXTRA	16

/* A table row's metadata: written once by the handler that claims it. */
struct st_stack_meta {
	u32 tgid;
	u16 nk, nu;
	char comm[TASK_COMM_LEN];
	u64 frames[ST_FRAMES];
};

struct st_stack_scratch {
	unsigned long raw[SOCKTAP_KSTACK_MAX + ST_RAW_EXTRA];
	struct st_stack_meta m;
};

struct st_stack_session {
	struct kprobe kp;
	u32 portid, mode;
	unsigned long gen;
	char func[SOCKTAP_FUNC_NAME_MAX];
	u64 __percpu *hits;
	struct st_stack_scratch __percpu *scratch;
	struct st_kvtab tab;
};

static DEFINE_MUTEX(st_stacks_lock);
static struct st_stack_session *st_session;
static unsigned long st_gen;

/*
 * The probed function first, then its callers: frames above it (the
 * kprobe's int3 or ftrace path, this handler) are dropped by finding the
 * return address inside the function's first bytes (ftrace's call, or
 * the breakpoint's saved ip).  If the unwinder did not show it, all
 * frames are kept.
 */
static unsigned int st_kstack(struct st_stack_scratch *sc, unsigned long addr,
			      u64 *out)
{
	unsigned int n, i, k = 0;

	n = stack_trace_save(sc->raw, ARRAY_SIZE(sc->raw), 0);
	for (i = 0; i < n; i++)
		if (sc->raw[i] - addr < 16)
			break;
	i = i < n ? i + 1 : 0;
	out[k++] = addr;
	for (; i < n && k < SOCKTAP_KSTACK_MAX; i++)
		out[k++] = sc->raw[i];
	return k;
}

/*
 * The user instruction pointer, then the return addresses of the frame
 * pointer chain.  Only a task in a system call has user registers to
 * start from; the walk stops at a frame that does not read, a null
 * return address, or a chain that does not go up the stack.
 */
static unsigned int st_ustack(u64 *out)
{
#ifdef ST_HAVE_USER_FRAME_POINTER
	unsigned long fp, frame[2];
	struct pt_regs *regs;
	unsigned int n = 0;

	if (!in_task() || !current->mm || (current->flags & PF_KTHREAD) ||
	    in_compat_syscall())
		return 0;
	regs = task_pt_regs(current);
	if (!user_mode(regs))
		return 0;
	out[n++] = instruction_pointer(regs);
	fp = st_user_frame_pointer(regs);
	while (n < SOCKTAP_USTACK_MAX && fp && IS_ALIGNED(fp, sizeof(long))) {
		if (copy_from_user_nofault(frame, (const void __user *)fp,
					   sizeof(frame)))
			break;
		if (!frame[1])
			break;
		out[n++] = frame[1];
		if (frame[0] <= fp)
			break;
		fp = frame[0];
	}
	return n;
#else
	return 0;
#endif
}

static u64 st_stack_key(const struct st_stack_meta *m)
{
	u32 len = (m->nk + m->nu) * 2, seed = m->tgid ^ (m->nk << 16 | m->nu);
	const u32 *w = (const u32 *)m->frames;
	u64 key;

	/* Two 32-bit hashes: equal keys for different stacks are ~2^-64. */
	key = (u64)jhash2(w, len, seed) << 32 | jhash2(w, len, ~seed);
	return key ? key : 1;
}

static int st_stack_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct st_stack_session *s = container_of(kp, struct st_stack_session,
						  kp);
	struct st_stack_scratch *sc = this_cpu_ptr(s->scratch);
	struct st_stack_meta *m = &sc->m, *row;
	u64 __percpu *cnt;
	bool claimed;

	this_cpu_inc(*s->hits);
	m->tgid = 0;
	m->nk = 0;
	m->nu = 0;
	if (s->mode & SOCKTAP_STACK_KERNEL)
		m->nk = st_kstack(sc, (unsigned long)kp->addr, m->frames);
	if (s->mode & SOCKTAP_STACK_USER) {
		m->nu = st_ustack(m->frames + m->nk);
		if (m->nu)
			m->tgid = current->tgid;
	}
	cnt = st_kvtab_get(&s->tab, st_stack_key(m), (void **)&row, &claimed);
	if (unlikely(claimed)) {
		row->tgid = m->tgid;
		row->nk = m->nk;
		row->nu = m->nu;
		if (m->tgid)
			st_current_comm(row->comm);
		memcpy(row->frames, m->frames,
		       (m->nk + m->nu) * sizeof(m->frames[0]));
		st_kvtab_publish(row);
	}
	if (cnt)
		this_cpu_inc(*cnt);
	return 0;
}

static void st_session_free(struct st_stack_session *s)
{
	st_kvtab_exit(&s->tab);
	free_percpu(s->scratch);
	free_percpu(s->hits);
	kfree(s);
}

/* Caller has unlinked s. */
static void st_session_stop(struct st_stack_session *s)
{
	/* Waits for running handlers (an RCU grace period). */
	unregister_kprobe(&s->kp);
	st_session_free(s);
}

int st_stacks_start(u32 portid, const char *func, u32 mode, const char **why)
{
	struct st_stack_session *s;
	int err;

#ifndef ST_HAVE_USER_FRAME_POINTER
	if (mode & SOCKTAP_STACK_USER) {
		*why = "user stacks are not supported on this architecture";
		return -EOPNOTSUPP;
	}
#endif
	s = kzalloc_obj(*s, GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->portid = portid;
	s->mode = mode;
	strscpy(s->func, func, sizeof(s->func));
	s->hits = alloc_percpu(u64);
	s->scratch = alloc_percpu(struct st_stack_scratch);
	s->tab.capacity = stack_capacity;
	s->tab.meta_size = sizeof(struct st_stack_meta);
	s->tab.val_size = sizeof(u64);
	if (!s->hits || !s->scratch || st_kvtab_init(&s->tab)) {
		st_session_free(s);
		return -ENOMEM;
	}
	s->kp.symbol_name = s->func;
	s->kp.pre_handler = st_stack_pre;
	s->kp.flags = KPROBE_FLAG_DISABLED;

	mutex_lock(&st_stacks_lock);
	if (st_session) {
		*why = "another stacks session is running";
		err = -EBUSY;
		goto err_unlock;
	}
	err = register_kprobe(&s->kp);
	if (err) {
		*why = err == -ENOENT ? "no such kernel function" :
		       "the kprobe layer refused the function";
		goto err_unlock;
	}
	if (within_module((unsigned long)s->kp.addr, THIS_MODULE)) {
		/* Not EPERM: that is what a missing CAP_NET_ADMIN gets. */
		*why = "socktap's own functions cannot be probed";
		err = -EINVAL;
		goto err_unregister;
	}
	s->gen = ++st_gen;
	/* Published before the first handler can run. */
	st_session = s;
	err = enable_kprobe(&s->kp);
	if (err) {
		st_session = NULL;
		*why = "the kprobe layer could not arm the probe";
		goto err_unregister;
	}
	mutex_unlock(&st_stacks_lock);
	return 0;

err_unregister:
	unregister_kprobe(&s->kp);
err_unlock:
	mutex_unlock(&st_stacks_lock);
	st_session_free(s);
	return err;
}

void st_stacks_info(struct st_stacks_info *info)
{
	struct st_stack_session *s;
	int cpu;

	memset(info, 0, sizeof(*info));
	info->capacity = stack_capacity;
	mutex_lock(&st_stacks_lock);
	s = st_session;
	if (s) {
		info->active = true;
		strscpy(info->func, s->func, sizeof(info->func));
		info->mode = s->mode;
		info->used = st_kvtab_used(&s->tab);
		info->dropped = st_kvtab_dropped(&s->tab);
		info->missed = s->kp.nmissed;
		for_each_possible_cpu(cpu)
			info->hits += *per_cpu_ptr(s->hits, cpu);
	}
	mutex_unlock(&st_stacks_lock);
}

bool st_stacks_read(unsigned long *pos, unsigned long *gen,
		    struct st_stack_row *row)
{
	struct st_stack_meta *m;
	unsigned int p = *pos;
	bool found = false;
	u64 key;

	/* Too big for a dump's stack frame. */
	m = kmalloc_obj(*m, GFP_KERNEL);
	if (!m)
		return false;
	mutex_lock(&st_stacks_lock);
	if (!st_session || (*gen && *gen != st_session->gen))
		goto out;
	*gen = st_session->gen;
	found = st_kvtab_read(&st_session->tab, &p, &key, m, &row->count);
	if (found) {
		row->tgid = m->tgid;
		row->nk = min_t(u16, m->nk, SOCKTAP_KSTACK_MAX);
		row->nu = min_t(u16, m->nu, SOCKTAP_USTACK_MAX);
		memcpy(row->comm, m->comm, sizeof(row->comm));
		memcpy(row->frames, m->frames,
		       (row->nk + row->nu) * sizeof(row->frames[0]));
	}
	*pos = p;
out:
	mutex_unlock(&st_stacks_lock);
	kfree(m);
	return found;
}

int st_stacks_show(struct seq_file *m, void *v)
{
	struct st_stacks_info info;
	unsigned long pos = 0, gen = 0;
	struct st_stack_row *row;
	unsigned int i;

	st_stacks_info(&info);
	seq_printf(m, "capacity %u\n", info.capacity);
	if (!info.active)
		return 0;
	seq_printf(m, "func %s\nmode%s%s\nhits %llu\nmissed %llu\nused %u\ndropped %llu\n",
		   info.func, info.mode & SOCKTAP_STACK_KERNEL ? " kernel" : "",
		   info.mode & SOCKTAP_STACK_USER ? " user" : "", info.hits,
		   info.missed, info.used, info.dropped);
	row = kmalloc_obj(*row, GFP_KERNEL);
	if (!row)
		return -ENOMEM;
	while (st_stacks_read(&pos, &gen, row)) {
		seq_puts(m, "\n");
		for (i = 0; i < row->nk; i++)
			seq_printf(m, "    %pS\n", (void *)(unsigned long)row->frames[i]);
		if (row->nu)
			seq_printf(m, "    [user] %s (%u)\n", row->comm, row->tgid);
		for (i = 0; i < row->nu; i++)
			seq_printf(m, "    0x%llx\n", row->frames[row->nk + i]);
		seq_printf(m, "  %llu\n", row->count);
	}
	kfree(row);
	return 0;
}

static int st_stacks_urelease(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct netlink_notify *n = ptr;
	struct st_stack_session *s = NULL;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !net_eq(n->net, &init_net))
		return NOTIFY_DONE;
	mutex_lock(&st_stacks_lock);
	if (st_session && st_session->portid == n->portid) {
		s = st_session;
		st_session = NULL;
	}
	mutex_unlock(&st_stacks_lock);
	if (s)
		st_session_stop(s);
	return NOTIFY_DONE;
}

static struct notifier_block st_stacks_nb = {
	.notifier_call = st_stacks_urelease,
};

int st_stacks_init(void)
{
	if (stack_capacity < 16 || stack_capacity > 65536) {
		pr_err("stack_capacity=%u: must be within 16..65536\n",
		       stack_capacity);
		return -EINVAL;
	}
	return netlink_register_notifier(&st_stacks_nb);
}

void st_stacks_exit(void)
{
	struct st_stack_session *s;

	netlink_unregister_notifier(&st_stacks_nb);
	mutex_lock(&st_stacks_lock);
	s = st_session;
	st_session = NULL;
	mutex_unlock(&st_stacks_lock);
	if (s)
		st_session_stop(s);
}
