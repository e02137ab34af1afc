// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/socktap/: text views for `cat`.
 *
 * Read-only files only; anything that changes state goes through netlink,
 * where GENL_ADMIN_PERM and extack give permission checks and errors.
 * (A bench build adds the root-only "bench" file: module/bench.c.)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/seq_file.h>

#include "events.h"
#include "filter.h"
#include "funcs.h"
#include "hist.h"
#include "listentab.h"
#include "proctab.h"
#include "sizetab.h"
#include "socktab.h"
#include "socktap.h"
#include "stacks.h"
#include "tcpstat.h"

static struct dentry *st_dir;

DEFINE_SHOW_ATTRIBUTE(st_funcs);
DEFINE_SHOW_ATTRIBUTE(st_stacks);

static int st_version_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", SOCKTAP_VERSION);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(st_version);

static int st_probes_show(struct seq_file *m, void *v)
{
	unsigned int i;
	struct st_probe *p;

	seq_printf(m, "%-26s %-10s %-11s %12s %8s %5s  %s\n", "NAME", "KIND",
		   "STATE", "HITS", "MISSED", "ERR", "TARGET");
	st_probes_lock();
	for (i = 0; (p = st_probe_by_index(i)) != NULL; i++)
		seq_printf(m, "%-26s %-10s %-11s %12llu %8llu %5d  %s\n",
			   p->name, st_probe_kind_name(p->kind),
			   st_probe_state_name(p->state), st_probe_hits(p),
			   st_probe_missed(p), p->err, p->target);
	st_probes_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(st_probes);

/* Tables and streams: what is used, and what did not fit. */
static int st_status_show(struct seq_file *m, void *v)
{
	u32 pid, port, netns;

	st_filter_get(&pid, &port, &netns);
	seq_printf(m, "sock_capacity %u\nsock_used %u\nsock_untracked %llu\n",
		   st_socktab_capacity(), st_socktab_used(),
		   st_socktab_untracked());
	seq_printf(m, "proc_capacity %u\nproc_used %u\nproc_dropped %llu\n",
		   st_proctab_capacity(), st_proctab_used(),
		   st_proctab_dropped());
	seq_printf(m, "size_capacity %u\nsize_used %u\nsize_dropped %llu\n",
		   st_sizetab_capacity(), st_sizetab_used(),
		   st_sizetab_dropped());
	seq_printf(m, "listen_capacity %u\nlisten_used %u\nlisten_dropped %llu\n",
		   st_listentab_capacity(), st_listentab_used(),
		   st_listentab_dropped());
	/* What the tables hold, all CPUs: the cost of their parameters. */
	seq_printf(m, "proc_bytes %zu\nsize_bytes %zu\nlisten_bytes %zu\n",
		   st_proctab_bytes(), st_sizetab_bytes(),
		   st_listentab_bytes());
	seq_printf(m, "events_queued %llu\nevents_lost %llu\nevents_undelivered %llu\n",
		   st_events_queued(), st_events_lost(),
		   st_events_undelivered());
	seq_printf(m, "filter_pid %u\nfilter_port %u\nfilter_netns %u\nfiltered %llu\n",
		   pid, port, netns, st_filter_skipped());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(st_status);

static const char *const st_proto_names[] = { "TCP", "UDP", "other" };
static const char *const st_family_names[] = { "INET", "INET6", "other" };

/* One line per process, then one per protocol and family it used. */
static int st_procs_show(struct seq_file *m, void *v)
{
	struct st_proc_row row;
	unsigned int pos = 0, p, f;

	seq_printf(m, "%-8s %-6s %-16s %-10s %7s %7s %7s %7s %7s %7s %7s\n",
		   "PID", "UID", "COMM", "NETNS", "CONNECT", "INPROG",
		   "REFUSED", "ERROR", "ACCEPT", "OPENED", "CLOSED");
	while (st_proctab_read(&pos, &row)) {
		const struct st_proc_ctr *c = &row.c;

		seq_printf(m, "%-8u %-6u %-16s %-10u %7llu %7llu %7llu %7llu %7llu %7llu %7llu\n",
			   row.tgid, row.m.uid, row.m.comm, row.m.netns,
			   c->connect[ST_CONN_OK], c->connect[ST_CONN_INPROGRESS],
			   c->connect[ST_CONN_REFUSED], c->connect[ST_CONN_ERROR],
			   c->accepts, c->created, c->closed);
		for (p = 0; p < __SOCKTAP_PROTO_MAX; p++)
			for (f = 0; f < __SOCKTAP_FAMILY_MAX; f++) {
				const u64 *io = c->io[p][f];

				if (!io[ST_IO_SENDS] && !io[ST_IO_RECVS])
					continue;
				seq_printf(m, "  io %-5s %-5s sends %llu bytes %llu recvs %llu bytes %llu\n",
					   st_proto_names[p], st_family_names[f],
					   io[ST_IO_SENDS], io[ST_IO_SEND_BYTES],
					   io[ST_IO_RECVS], io[ST_IO_RECV_BYTES]);
			}
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(st_procs);

/* bpftrace's power-of-two labels: 512, 1K, 2K, ... 1M, 1G. */
static void st_hist_label(char *buf, size_t len, unsigned int i)
{
	static const char suffix[] = " KMGTPE";
	unsigned int k = i / 10;

	snprintf(buf, len, "%llu%c", 1ULL << (i - k * 10),
		 k ? suffix[k] : '\0');
}

static void st_hist_print(struct seq_file *m, unsigned int h)
{
	struct st_hist_snap s;
	char lo[16], hi[16];
	unsigned int i, first = SOCKTAP_HIST_BUCKETS, last = 0, w;
	u64 max = 0;
	const char *name = st_hist_name(h);

	st_hist_read(h, &s);
	seq_puts(m, "@");
	for (; *name; name++)
		seq_putc(m, *name == '-' ? '_' : *name);
	seq_printf(m, "_%s: count %llu", st_hist_unit(h), s.count);
	if (s.count)
		seq_printf(m, ", mean %llu %s", div64_u64(s.sum, s.count),
			   st_hist_unit(h));
	seq_putc(m, '\n');
	for (i = 0; i < SOCKTAP_HIST_BUCKETS; i++) {
		if (!s.b[i])
			continue;
		first = min(first, i);
		last = i;
		max = max(max, s.b[i]);
	}
	for (i = first; i <= last && max; i++) {
		if (i == 0)
			strscpy(lo, "0", sizeof(lo));
		else
			st_hist_label(lo, sizeof(lo), i);
		st_hist_label(hi, sizeof(hi), i + 1);
		w = (unsigned int)div64_u64(s.b[i] * 52, max);
		seq_printf(m, "[%s, %s)%*s%8llu |%.*s%*s|\n", lo, hi,
			   (int)(16 - strlen(lo) - strlen(hi)), "", s.b[i],
			   w, "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@",
			   52 - w, "");
	}
	seq_putc(m, '\n');
}

static int st_hist_show(struct seq_file *m, void *v)
{
	unsigned int h;

	for (h = 0; h < __SOCKTAP_HIST_MAX; h++)
		st_hist_print(m, h);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(st_hist);

static const char *const st_tcp_names[__SOCKTAP_TCP_MAX] = {
	[SOCKTAP_TCP_ACCEPT_ESTABLISHED] = "accept-established",
	[SOCKTAP_TCP_CONNECT_REQUEST] = "connect-request",
	[SOCKTAP_TCP_CONNECT_ESTABLISHED] = "connect-established",
	[SOCKTAP_TCP_ACCEPT_REFUSED] = "accept-refused",
	[SOCKTAP_TCP_CONNECT_REFUSED] = "connect-refused",
	[SOCKTAP_TCP_SEND] = "send",
	[SOCKTAP_TCP_RECEIVE] = "receive",
	[SOCKTAP_TCP_STATE_CHANGE] = "state-change",
	[SOCKTAP_TCP_RETRANS] = "retransmits",
	[SOCKTAP_TCP_RETRANS_SEGS] = "retransmit-segments",
	[SOCKTAP_TCP_RETRANS_RTO] = "retransmits-rto",
	[SOCKTAP_TCP_RETRANS_FAST] = "retransmits-fast",
	[SOCKTAP_TCP_RETRANS_TLP] = "retransmits-tlp",
	[SOCKTAP_TCP_RETRANS_SYN] = "retransmits-syn",
	[SOCKTAP_TCP_RETRANS_SYNACK] = "retransmits-synack",
	[SOCKTAP_TCP_RETRANS_OTHER] = "retransmits-other",
	[SOCKTAP_TCP_LOSS_PROBES] = "loss-probes",
	[SOCKTAP_TCP_RST_SENT] = "resets-sent",
	[SOCKTAP_TCP_RST_RECEIVED] = "resets-received",
	[SOCKTAP_TCP_LISTEN_OVERFLOW] = "listen-overflows",
	[SOCKTAP_TCP_SYN_DROP] = "syn-drops",
	[SOCKTAP_TCP_DROPS] = "drops",
};

static int st_tcp_show(struct seq_file *m, void *v)
{
	u64 c[__SOCKTAP_TCP_MAX];
	unsigned int i;

	st_tcp_read(c);
	for (i = 0; i < __SOCKTAP_TCP_MAX; i++)
		seq_printf(m, "%-22s %llu\n", st_tcp_names[i] ?: "?", c[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(st_tcp);

static int st_listeners_show(struct seq_file *m, void *v)
{
	struct st_listen_row row;
	unsigned int pos = 0;

	seq_printf(m, "%-6s %-5s %-10s %-8s %-16s %7s %8s %9s %9s\n", "PORT",
		   "FAM", "NETNS", "PID", "COMM", "BACKLOG", "CONNS",
		   "OVERFLOWS", "SYN_DROPS");
	while (st_listentab_read(&pos, &row))
		seq_printf(m, "%-6u %-5s %-10u %-8u %-16s %7u %8llu %9llu %9llu\n",
			   row.port, row.family == AF_INET6 ? "inet6" : "inet",
			   row.netns, row.m.pid, row.m.comm, row.m.backlog_max,
			   row.c.conns, row.c.overflows, row.c.syn_drops);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(st_listeners);

int st_debugfs_init(void)
{
	struct dentry *d;

	st_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(st_dir)) {
		int err = PTR_ERR(st_dir);

		st_dir = NULL;
		/* A kernel without debugfs still has the netlink interface. */
		if (err == -ENODEV) {
			pr_warn("debugfs not available: netlink interface only\n");
			return 0;
		}
		return err;
	}
	d = debugfs_create_file("version", 0444, st_dir, NULL,
				&st_version_fops);
	if (IS_ERR(d))
		goto err;
	d = debugfs_create_file("probes", 0444, st_dir, NULL, &st_probes_fops);
	if (IS_ERR(d))
		goto err;
	d = debugfs_create_file("status", 0444, st_dir, NULL, &st_status_fops);
	if (IS_ERR(d))
		goto err;
	/* Processes and flows: root only, like their netlink dumps. */
	d = debugfs_create_file("procs", 0400, st_dir, NULL, &st_procs_fops);
	if (IS_ERR(d))
		goto err;
	d = debugfs_create_file("hist", 0444, st_dir, NULL, &st_hist_fops);
	if (IS_ERR(d))
		goto err;
	d = debugfs_create_file("tcp", 0444, st_dir, NULL, &st_tcp_fops);
	if (IS_ERR(d))
		goto err;
	d = debugfs_create_file("listeners", 0400, st_dir, NULL,
				&st_listeners_fops);
	if (IS_ERR(d))
		goto err;
	d = debugfs_create_file("count", 0400, st_dir, NULL, &st_funcs_fops);
	if (IS_ERR(d))
		goto err;
	d = debugfs_create_file("stacks", 0400, st_dir, NULL, &st_stacks_fops);
	if (IS_ERR(d))
		goto err;
#ifdef SOCKTAP_BENCH
	d = st_bench_debugfs_init(st_dir);
	if (IS_ERR(d))
		goto err;
#endif
	return 0;

err:
	debugfs_remove_recursive(st_dir);
	st_dir = NULL;
	return PTR_ERR(d);
}

/* debugfs waits for readers still inside our show functions. */
void st_debugfs_exit(void)
{
	debugfs_remove_recursive(st_dir);
	st_dir = NULL;
}
