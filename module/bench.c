// SPDX-License-Identifier: GPL-2.0
/*
 * Per-event microbenchmark: bench builds only (make CONFIG_SOCKTAP_BENCH=y);
 * the production module carries none of this.
 *
 * A loop calls a target function that is never inlined and fires a
 * tracepoint of this module; a probe of one KIND on it (the tracepoint,
 * an entry kprobe, a kretprobe) runs a handler of one VARIANT, each
 * adding one of socktap's real hot-path helpers to the previous one:
 *
 *   empty    the probe alone (kretprobe: the entry handler saves the
 *            socket, as socktap's do; the return handler does nothing)
 *   counter  + the probe's per-CPU hit counter (st_hit)
 *   proc     + the filter test and the per-process counters (proctab)
 *   hist     + a histogram add (hist.h)
 *   sock     + a socket table lookup and byte count (socktab, as st_io)
 *   event    + a connect record for the stream, built and queued only
 *            if someone listens to connect records (events.c); the
 *            work item then sends it to the listeners
 *
 * The calls pass real sockets (TCP, created with sock_create_kern() and
 * tracked in the socket table), SOCKETS of them taken round-robin.
 *
 * /sys/kernel/debug/socktap/bench (root only): write
 * "KIND VARIANT N [SOCKETS]" (SOCKETS 1 by default) to run one
 * measurement in the writer's context; the next read returns
 *
 *   KIND VARIANT N SOCKETS NS BASELINE total=TOTAL drain=D ftrace=F
 *   missed=M hits=H
 *
 * (one line).  NS is the cost per event in ns, (t - t_baseline) / N,
 * where t is the time of N calls with the probe attached and t_baseline
 * without it (the same loop, measured just before); BASELINE is
 * t_baseline / N, one loop iteration.  Both count only the calls: they
 * run in chunks of ST_BENCH_CHUNK with preemption off, and the CPU is
 * given up between chunks.  TOTAL is the same difference of the time
 * every CPU was busy from the first chunk to the last (idle time
 * excluded): it also holds what ran between chunks, the work item
 * sending the records and their reader.  D is 1 when records are sent
 * (event, and someone listens): then chunks are ST_BENCH_DRAIN_CHUNK
 * calls and after each the loop sleeps until the CPUs go idle (the
 * records sent and read), so that the queue never fills.
 * F: 1 if the kprobe is ftrace-based, 0 if it is a breakpoint, - for the
 * tracepoint.  M: calls the kprobe layer missed; H: handler runs counted
 * (0 for empty).
 * A write fails with EINVAL (bad request), ENOMEM, ENOSPC (the socket
 * table cannot track SOCKETS more sockets), EINTR (killed), or the
 * error of registering the probe.  The measurement writes into the
 * module's real counters, histograms, tables and streams.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/in.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/tick.h>
#include <linux/uaccess.h>
#include <net/inet_sock.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "compat.h"
#include "events.h"
#include "filter.h"
#include "hist.h"
#include "proctab.h"
#include "socktab.h"
#include "socktap.h"

#define CREATE_TRACE_POINTS
#include "bench_trace.h"

#define ST_BENCH_CHUNK		1000UL	/* calls per preemption-off chunk */
#define ST_BENCH_DRAIN_CHUNK	64UL	/* the same when records are sent */
#define ST_BENCH_MAX_N		100000000UL
#define ST_BENCH_MAX_SOCKS	65536U
#define ST_BENCH_LINE		192

enum { ST_BK_TRACEPOINT, ST_BK_KPROBE, ST_BK_KRETPROBE, ST_BK_MAX };

enum {
	ST_BV_EMPTY,
	ST_BV_COUNTER,
	ST_BV_PROC,
	ST_BV_HIST,
	ST_BV_SOCK,
	ST_BV_EVENT,
	ST_BV_MAX
};

static const char *const st_bench_kinds[ST_BK_MAX] = {
	[ST_BK_TRACEPOINT] = "tracepoint",
	[ST_BK_KPROBE] = "kprobe",
	[ST_BK_KRETPROBE] = "kretprobe",
};

static const char *const st_bench_variants[ST_BV_MAX] = {
	[ST_BV_EMPTY] = "empty",
	[ST_BV_COUNTER] = "counter",
	[ST_BV_PROC] = "proc",
	[ST_BV_HIST] = "hist",
	[ST_BV_SOCK] = "sock",
	[ST_BV_EVENT] = "event",
};

/* Like the registry's points: handlers reach it as theirs reach them. */
static struct st_probe st_bench_probe = { .name = "bench" };

static DEFINE_MUTEX(st_bench_mutex);
static char st_bench_result[ST_BENCH_LINE];
static int st_bench_sink;

/*
 * The measured call: __noipa keeps it a real call the compiler knows
 * nothing about (no inlining, no clone under another name), so the
 * kprobes find it by name; its entry is an ftrace site like any
 * function's.  The empty asm keeps its arguments live.
 */
static __noipa int st_bench_target(struct sock *sk, unsigned long len)
{
	trace_socktap_bench(sk, len);
	asm volatile("" : : "r" (sk), "r" (len) : "memory");
	return (int)len;
}

/*
 * A connect record, as st_connect_ret() builds it.  A function of its
 * own: with CONFIG_INIT_STACK_ALL_ZERO the record on the stack is zeroed
 * where its scope begins, and the other variants must not pay for that.
 */
static __always_inline void st_bench_event(struct sock *sk, unsigned long len)
{
	struct st_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = SOCKTAP_EV_CONNECT;
	ev.time = ktime_get_ns();
	ev.latency = len;
	ev.proto = SOCKTAP_PROTO_TCP;
	ev.netns = sock_net(sk)->ns.inum;
	ev.pid = current->tgid;
	ev.uid = from_kuid_munged(&init_user_ns, current_uid());
	st_current_comm(ev.comm);
	st_event_flow(&ev, sk);
	st_event_push(&ev);
}

/* One handler's work; v is a constant in each caller below. */
static __always_inline void st_bench_body(struct st_probe *p, struct sock *sk,
					  unsigned long len, const int v)
{
	struct st_proc_ctr __percpu *c;
	struct st_sock *e;

	if (v < ST_BV_COUNTER)
		return;
	st_hit(p);
	if (v < ST_BV_PROC)
		return;
	if (!st_filter_pass(current->tgid, ntohs(inet_sk(sk)->inet_sport),
			    ntohs(sk->sk_dport), sock_net(sk)->ns.inum))
		return;
	c = st_proc_ctr();
	if (c) {
		this_cpu_inc(c->io[SOCKTAP_PROTO_TCP][SOCKTAP_FAMILY_INET][ST_IO_SENDS]);
		this_cpu_add(c->io[SOCKTAP_PROTO_TCP][SOCKTAP_FAMILY_INET][ST_IO_SEND_BYTES],
			     len);
	}
	if (v < ST_BV_HIST)
		return;
	st_hist_add(SOCKTAP_HIST_TCP_SENDMSG, len);
	if (v < ST_BV_SOCK)
		return;
	rcu_read_lock();
	e = st_sock_find(sk);
	if (e)
		atomic64_add(len, &e->tx);
	rcu_read_unlock();
	if (v >= ST_BV_EVENT && st_events_wanted(SOCKTAP_EV_CONNECT))
		st_bench_event(sk, len);
}

/* kretprobe entry, every variant: the socket, as socktap's save theirs. */
static int st_bench_krp_entry(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	*(struct sock **)ri->data =
		(struct sock *)regs_get_kernel_argument(regs, 0);
	return 0;
}

static __always_inline void st_bench_tp(void *data, struct sock *sk,
					unsigned long len, const int v)
{
	st_bench_body(data, sk, len, v);
}

static __always_inline int st_bench_kp(struct kprobe *kp, struct pt_regs *regs,
				       const int v)
{
	st_bench_body(st_kp_probe(kp),
		      (struct sock *)regs_get_kernel_argument(regs, 0),
		      regs_get_kernel_argument(regs, 1), v);
	return 0;
}

static __always_inline int st_bench_krp(struct kretprobe_instance *ri,
					struct pt_regs *regs, const int v)
{
	struct kretprobe *krp;

	if (v < ST_BV_COUNTER)
		return 0;
	krp = st_get_kretprobe(ri);
	if (krp)
		st_bench_body(st_krp_probe(krp), *(struct sock **)ri->data,
			      (unsigned int)regs_return_value(regs), v);
	return 0;
}

static void st_bench_tp_empty(void *data, struct sock *sk, unsigned long len)
{
	st_bench_tp(data, sk, len, ST_BV_EMPTY);
}

static void st_bench_tp_counter(void *data, struct sock *sk, unsigned long len)
{
	st_bench_tp(data, sk, len, ST_BV_COUNTER);
}

static void st_bench_tp_proc(void *data, struct sock *sk, unsigned long len)
{
	st_bench_tp(data, sk, len, ST_BV_PROC);
}

static void st_bench_tp_hist(void *data, struct sock *sk, unsigned long len)
{
	st_bench_tp(data, sk, len, ST_BV_HIST);
}

static void st_bench_tp_sock(void *data, struct sock *sk, unsigned long len)
{
	st_bench_tp(data, sk, len, ST_BV_SOCK);
}

static void st_bench_tp_event(void *data, struct sock *sk, unsigned long len)
{
	st_bench_tp(data, sk, len, ST_BV_EVENT);
}

static int st_bench_kp_empty(struct kprobe *kp, struct pt_regs *regs)
{
	return st_bench_kp(kp, regs, ST_BV_EMPTY);
}

static int st_bench_kp_counter(struct kprobe *kp, struct pt_regs *regs)
{
	return st_bench_kp(kp, regs, ST_BV_COUNTER);
}

static int st_bench_kp_proc(struct kprobe *kp, struct pt_regs *regs)
{
	return st_bench_kp(kp, regs, ST_BV_PROC);
}

static int st_bench_kp_hist(struct kprobe *kp, struct pt_regs *regs)
{
	return st_bench_kp(kp, regs, ST_BV_HIST);
}

static int st_bench_kp_sock(struct kprobe *kp, struct pt_regs *regs)
{
	return st_bench_kp(kp, regs, ST_BV_SOCK);
}

static int st_bench_kp_event(struct kprobe *kp, struct pt_regs *regs)
{
	return st_bench_kp(kp, regs, ST_BV_EVENT);
}

static int st_bench_krp_empty(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	return st_bench_krp(ri, regs, ST_BV_EMPTY);
}

static int st_bench_krp_counter(struct kretprobe_instance *ri,
				struct pt_regs *regs)
{
	return st_bench_krp(ri, regs, ST_BV_COUNTER);
}

static int st_bench_krp_proc(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	return st_bench_krp(ri, regs, ST_BV_PROC);
}

static int st_bench_krp_hist(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	return st_bench_krp(ri, regs, ST_BV_HIST);
}

static int st_bench_krp_sock(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	return st_bench_krp(ri, regs, ST_BV_SOCK);
}

static int st_bench_krp_event(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	return st_bench_krp(ri, regs, ST_BV_EVENT);
}

static void (*const st_bench_tp_fns[ST_BV_MAX])(void *, struct sock *,
						unsigned long) = {
	st_bench_tp_empty, st_bench_tp_counter, st_bench_tp_proc,
	st_bench_tp_hist, st_bench_tp_sock, st_bench_tp_event,
};

static const kprobe_pre_handler_t st_bench_kp_fns[ST_BV_MAX] = {
	st_bench_kp_empty, st_bench_kp_counter, st_bench_kp_proc,
	st_bench_kp_hist, st_bench_kp_sock, st_bench_kp_event,
};

static const kretprobe_handler_t st_bench_krp_fns[ST_BV_MAX] = {
	st_bench_krp_empty, st_bench_krp_counter, st_bench_krp_proc,
	st_bench_krp_hist, st_bench_krp_sock, st_bench_krp_event,
};

struct st_bench_req {
	unsigned int kind, variant, nsocks;
	unsigned long n;
};

struct st_bench_time {
	u64 busy;	/* inside the chunks */
	u64 cpu;	/* every CPU's non-idle time, first chunk to last */
};

struct st_bench_res {
	struct st_bench_time probe, base;	/* attached; nothing attached */
	u64 hits, missed;
	int ftrace;			/* -1: not a kprobe */
	bool drain;
};

/* Idle time of every online CPU, ns; 0 if the kernel does not keep it. */
static u64 st_bench_idle(void)
{
	u64 sum = 0, t;
	int cpu;

	for_each_online_cpu(cpu) {
		t = get_cpu_idle_time_us(cpu, NULL);
		if (t == (u64)-1)
			return 0;
		sum += t * NSEC_PER_USEC;
	}
	return sum;
}

/*
 * After a chunk that queued records: sleep until the CPUs were idle for a
 * while (100 us), that is until the work item has sent the records and
 * their reader has read them; at most ~1 s.  Without idle times, one
 * short sleep.
 */
static void st_bench_settle(void)
{
	u64 i0;
	int k;

	for (k = 0; k < 2000; k++) {
		i0 = st_bench_idle();
		usleep_range(200, 400);
		if (!i0 || st_bench_idle() - i0 >= 100 * NSEC_PER_USEC)
			return;
	}
}

/*
 * N calls.  With drain, chunks are short and the loop settles after
 * each, so that the work item and the consumer send and read what a
 * chunk queued (the queue never fills); their time is in cpu, idle time
 * not.
 */
static int st_bench_loop(const struct st_bench_req *rq, struct socket **socks,
			 bool drain, struct st_bench_time *tm)
{
	unsigned long chunk = drain ? ST_BENCH_DRAIN_CHUNK : ST_BENCH_CHUNK;
	unsigned long i = 0, j, n;
	unsigned int s = 0;
	u64 t0, t1, w0, i0;
	int sum = 0;

	tm->busy = 0;
	i0 = st_bench_idle();
	w0 = ktime_get_ns();
	while (i < rq->n) {
		n = min(rq->n - i, chunk);
		preempt_disable();
		t0 = ktime_get_ns();
		for (j = 0; j < n; j++) {
			/* Send sizes 1..4096: every histogram bucket up to 4K. */
			sum += st_bench_target(socks[s]->sk, ((i + j) & 4095) + 1);
			if (++s == rq->nsocks)
				s = 0;
		}
		t1 = ktime_get_ns();
		preempt_enable();
		tm->busy += t1 - t0;
		i += n;
		if (fatal_signal_pending(current))
			return -EINTR;
		if (drain)
			st_bench_settle();
		else
			cond_resched();
	}
	t1 = ktime_get_ns();
	/* Without idle times (no NOHZ): the wall time. */
	tm->cpu = (t1 - w0) * num_online_cpus();
	t0 = st_bench_idle();
	if (i0 && t0 && t0 - i0 <= tm->cpu)
		tm->cpu -= t0 - i0;
	WRITE_ONCE(st_bench_sink, sum);
	return 0;
}

static int st_bench_attach(const struct st_bench_req *rq,
			   struct st_bench_res *res)
{
	struct st_probe *p = &st_bench_probe;
	int err;

	res->ftrace = -1;
	switch (rq->kind) {
	case ST_BK_TRACEPOINT:
		return register_trace_socktap_bench(st_bench_tp_fns[rq->variant],
						    p);
	case ST_BK_KPROBE:
		memset(&p->kp, 0, sizeof(p->kp));
		p->kp.symbol_name = "st_bench_target";
		p->kp.pre_handler = st_bench_kp_fns[rq->variant];
		err = register_kprobe(&p->kp);
		if (!err)
			res->ftrace = !!(p->kp.flags & KPROBE_FLAG_FTRACE);
		return err;
	case ST_BK_KRETPROBE:
		memset(&p->krp, 0, sizeof(p->krp));
		p->krp.kp.symbol_name = "st_bench_target";
		p->krp.entry_handler = st_bench_krp_entry;
		p->krp.handler = st_bench_krp_fns[rq->variant];
		p->krp.data_size = sizeof(struct sock *);
		/* One call in flight: the loop's. */
		p->krp.maxactive = 4;
		err = register_kretprobe(&p->krp);
		if (!err)
			res->ftrace = !!(p->krp.kp.flags & KPROBE_FLAG_FTRACE);
		return err;
	}
	return -EINVAL;
}

static void st_bench_detach(const struct st_bench_req *rq,
			    struct st_bench_res *res)
{
	struct st_probe *p = &st_bench_probe;

	switch (rq->kind) {
	case ST_BK_TRACEPOINT:
		unregister_trace_socktap_bench(st_bench_tp_fns[rq->variant], p);
		tracepoint_synchronize_unregister();
		break;
	case ST_BK_KPROBE:
		unregister_kprobe(&p->kp);
		res->missed = p->kp.nmissed;
		break;
	case ST_BK_KRETPROBE:
		unregister_kretprobe(&p->krp);
		res->missed = (u64)p->krp.nmissed + p->krp.kp.nmissed;
		break;
	}
}

/* In the table, as socktap's creation probe would have put it. */
static bool st_bench_track(const struct sock *sk)
{
	struct st_sock *e;

	if (!st_socktab_capacity())
		return true;
	preempt_disable();
	rcu_read_lock();
	e = st_sock_track(sk, ktime_get_ns(), true);
	rcu_read_unlock();
	preempt_enable();
	return e;
}

static int st_bench_run(const struct st_bench_req *rq, struct st_bench_res *res)
{
	struct st_probe *p = &st_bench_probe;
	struct socket **socks, *sock;
	unsigned int made = 0;
	int err = 0, cpu;

	memset(res, 0, sizeof(*res));
	socks = kvcalloc(rq->nsocks, sizeof(*socks), GFP_KERNEL);
	if (!socks)
		return -ENOMEM;
	while (made < rq->nsocks) {
		err = sock_create_kern(&init_net, AF_INET, SOCK_STREAM,
				       IPPROTO_TCP, &sock);
		if (err)
			goto out;
		socks[made++] = sock;
		if (!st_bench_track(sock->sk)) {
			err = -ENOSPC;
			goto out;
		}
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			goto out;
		}
		cond_resched();
	}

	p->hits = alloc_percpu(u64);
	if (!p->hits) {
		err = -ENOMEM;
		goto out;
	}
	/* Records to send: both loops sleep between chunks, alike. */
	res->drain = rq->variant == ST_BV_EVENT &&
		     st_events_wanted(SOCKTAP_EV_CONNECT);
	err = st_bench_loop(rq, socks, res->drain, &res->base);
	if (err)
		goto out_hits;
	err = st_bench_attach(rq, res);
	if (err)
		goto out_hits;
	err = st_bench_loop(rq, socks, res->drain, &res->probe);
	st_bench_detach(rq, res);
	for_each_possible_cpu(cpu)
		res->hits += *per_cpu_ptr(p->hits, cpu);
out_hits:
	free_percpu(p->hits);
	p->hits = NULL;
out:
	while (made--) {
		st_sock_untrack(socks[made]->sk);
		sock_release(socks[made]);
	}
	kvfree(socks);
	/* The entries are free again before the next run's sockets. */
	rcu_barrier();
	return err;
}

/* v / n with two decimals (v may be negative: noise around zero). */
static int st_bench_fmt(char *buf, size_t size, s64 v, unsigned long n)
{
	s64 c = div64_s64(v * 100, (s64)n);
	u64 a = c < 0 ? -c : c;

	return scnprintf(buf, size, "%s%llu.%02llu", c < 0 ? "-" : "",
			 a / 100, a % 100);
}

static void st_bench_format(const struct st_bench_req *rq,
			    const struct st_bench_res *res)
{
	char ns[24], base[24], total[24], ft[4];

	st_bench_fmt(ns, sizeof(ns), (s64)(res->probe.busy - res->base.busy),
		     rq->n);
	st_bench_fmt(base, sizeof(base), (s64)res->base.busy, rq->n);
	st_bench_fmt(total, sizeof(total),
		     (s64)(res->probe.cpu - res->base.cpu), rq->n);
	if (res->ftrace < 0)
		strscpy(ft, "-", sizeof(ft));
	else
		scnprintf(ft, sizeof(ft), "%d", res->ftrace);
	scnprintf(st_bench_result, sizeof(st_bench_result),
		  "%s %s %lu %u %s %s total=%s drain=%d ftrace=%s missed=%llu hits=%llu\n",
		  st_bench_kinds[rq->kind], st_bench_variants[rq->variant],
		  rq->n, rq->nsocks, ns, base, total, res->drain, ft,
		  res->missed, res->hits);
}

static int st_bench_lookup(const char *const *names, unsigned int count,
			   const char *s)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		if (!strcmp(names[i], s))
			return i;
	return -EINVAL;
}

/* "KIND VARIANT N [SOCKETS]": the next word of *cur, or NULL. */
static char *st_bench_word(char **cur)
{
	char *w;

	do {
		w = strsep(cur, " \t\n");
	} while (w && !*w);
	return w;
}

static int st_bench_parse(char *buf, struct st_bench_req *rq)
{
	char *w[5], *cur = buf;
	unsigned int i, nw = 0;
	int k, v;

	while (nw < ARRAY_SIZE(w) && (w[nw] = st_bench_word(&cur)) != NULL)
		nw++;
	if (nw < 3 || nw > 4)
		return -EINVAL;
	k = st_bench_lookup(st_bench_kinds, ST_BK_MAX, w[0]);
	v = st_bench_lookup(st_bench_variants, ST_BV_MAX, w[1]);
	if (k < 0 || v < 0 || kstrtoul(w[2], 10, &rq->n) ||
	    !rq->n || rq->n > ST_BENCH_MAX_N)
		return -EINVAL;
	rq->kind = k;
	rq->variant = v;
	rq->nsocks = 1;
	if (nw == 4 && (kstrtouint(w[3], 10, &i) || !i ||
			i > ST_BENCH_MAX_SOCKS))
		return -EINVAL;
	if (nw == 4)
		rq->nsocks = i;
	return 0;
}

static ssize_t st_bench_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	struct st_bench_req rq;
	struct st_bench_res res;
	char buf[64];
	int err;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	err = st_bench_parse(buf, &rq);
	if (err)
		return err;
	if (mutex_lock_interruptible(&st_bench_mutex))
		return -EINTR;
	st_bench_result[0] = '\0';
	err = st_bench_run(&rq, &res);
	if (!err)
		st_bench_format(&rq, &res);
	mutex_unlock(&st_bench_mutex);
	return err ? err : len;
}

static ssize_t st_bench_read(struct file *file, char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	char buf[ST_BENCH_LINE];

	if (mutex_lock_interruptible(&st_bench_mutex))
		return -EINTR;
	strscpy(buf, st_bench_result, sizeof(buf));
	mutex_unlock(&st_bench_mutex);
	return simple_read_from_buffer(ubuf, len, ppos, buf, strlen(buf));
}

static const struct file_operations st_bench_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = st_bench_read,
	.write = st_bench_write,
	.llseek = default_llseek,
};

struct dentry *st_bench_debugfs_init(struct dentry *dir)
{
	return debugfs_create_file("bench", 0600, dir, NULL, &st_bench_fops);
}
