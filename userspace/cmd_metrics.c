// SPDX-License-Identifier: GPL-2.0
/*
 * socktap metrics: every counter and histogram of the module in the
 * Prometheus text format, for node_exporter's textfile collector.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "fetch.h"
#include "fmt.h"
#include "loop.h"
#include "probes.h"
#include "prom.h"
#include "status.h"
#include "util.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: socktap metrics [-o FILE] [--interval SEC] [-h]\n"
		"\n"
		"Every counter and histogram of the module in the Prometheus text\n"
		"exposition format (version 0.0.4), for node_exporter's textfile\n"
		"collector or anything else that reads such files:\n"
		"  socktap_up, socktap_info          the module answered; its version\n"
		"  socktap_probe_*                   hits and missed hits per probe point\n"
		"  socktap_*_table_*                 table capacities, use, what did not fit\n"
		"  socktap_events_*                  the event stream's counters, filter\n"
		"  socktap_tcp_events_total{event}   the counters of 'socktap tcp'\n"
		"  socktap_connect_seconds, ...      the histograms of 'socktap hist'\n"
		"                                    (nanoseconds as seconds, sizes in bytes)\n"
		"  socktap_process_*{pid,comm,...}   per process: connects, accepts,\n"
		"                                    sockets, I/O ('top'), I/O sizes ('hist -P')\n"
		"  socktap_listener_*{port,...}      per listener ('backlog')\n"
		"Histograms are cumulative: le=\"B\" counts the values <= B, B being the\n"
		"largest value a log2 bucket holds (2^(i+1)-1 ns or bytes).  The\n"
		"per-process and listener metrics need CAP_NET_ADMIN: without it they\n"
		"are left out and stderr says so.  Without the module the output is\n"
		"socktap_up 0 alone, and the exit status 3 (--interval keeps going).\n"
		"\n"
		"  -o FILE          write FILE (name it *.prom for the textfile\n"
		"                   collector) atomically: FILE.tmp in the same\n"
		"                   directory first, then renamed over FILE; FILE keeps\n"
		"                   its mode (a new one gets 0644)\n"
		"  --interval SEC   rewrite FILE every SEC seconds until SIGINT or\n"
		"                   SIGTERM (exit status 0); needs -o\n"
		"  -h               this help\n"
		"Without -o: standard output, once.  There is no JSON form (-j).\n");
}

enum {
	ST_M_PROCS = 1 << 0,	/* PROC_GET */
	ST_M_LISTENS = 1 << 1,	/* LISTEN_GET */
	ST_M_SIZES = 1 << 2,	/* SIZE_GET */
};

/* What one read of the module gave. */
struct st_metrics {
	int up;			/* the module answered */
	unsigned int have;	/* ST_M_*: read */
	struct st_status s;
	struct st_probe_list probes;
	struct st_tcp_counters tcp;
	struct st_hist_list hists;
	struct st_proc_list procs;
	struct st_listen_list listens;
	struct st_size_list sizes;
};

static void st_metrics_free(struct st_metrics *m)
{
	st_probes_free(&m->probes);
	st_hist_list_free(&m->hists);
	st_proc_free(&m->procs);
	st_listen_list_free(&m->listens);
	st_size_free(&m->sizes);
}

/* ---- the exposition */

/* A family of one unlabelled sample. */
static void st_one(struct prom *p, const char *name, enum prom_type type,
		   const char *help, uint64_t v)
{
	if (!prom_family(p, name, type, help))
		prom_sample(p, NULL, 0, v);
}

static void st_emit_tables(struct prom *p, const struct st_status *s)
{
	static const enum prom_type type[] = {
		PROM_GAUGE, PROM_GAUGE, PROM_COUNTER
	};
	const struct st_table_desc *t;
	char name[96];
	unsigned int f;
	size_t i;

	for (i = 0; i < st_ntables; i++) {
		t = &st_tables[i];
		if (!(s->have & t->have))
			continue;
		for (f = 0; f < 3; f++) {
			st_table_metric(t, f, name, sizeof(name));
			st_one(p, name, type[f], t->help[f],
			       st_table_val(s, t, f));
		}
	}
}

static void st_emit_status(struct prom *p, const struct st_status *s)
{
	char gv[16], pid[16], port[16], netns[16];
	struct prom_label l[4];

	snprintf(gv, sizeof(gv), "%u", s->genl_version);
	l[0] = (struct prom_label){ "version", s->version };
	l[1] = (struct prom_label){ "kernel", s->krelease };
	l[2] = (struct prom_label){ "netlink_version", gv };
	l[3] = (struct prom_label){ "cli_version", SOCKTAP_VERSION };
	if (!prom_family(p, "socktap_info", PROM_GAUGE,
			 "The loaded module's version, the running kernel, the netlink interface version and the CLI's version."))
		prom_sample(p, l, 4, 1);
	st_emit_tables(p, s);
	if (s->have & ST_HAVE_STACK_SESSION) {
		l[0] = (struct prom_label){ "function", s->stack_func };
		l[1] = (struct prom_label){ "mode",
					    st_stack_mode_name(s->stack_mode) };
		if (!prom_family(p, "socktap_stack_session_calls_total",
				 PROM_COUNTER,
				 "Calls of the stack session's function (socktap stacks)."))
			prom_sample(p, l, 2, s->stack_hits);
		if (!prom_family(p, "socktap_stack_session_missed_total",
				 PROM_COUNTER,
				 "Calls of the stack session's function the kprobe layer skipped."))
			prom_sample(p, l, 2, s->stack_missed);
	}
	if (s->have & ST_HAVE_COUNT) {
		st_one(p, "socktap_count_probes_max", PROM_GAUGE,
		       "Counting probes allowed (count_max).", s->count_max);
		st_one(p, "socktap_count_probes_used", PROM_GAUGE,
		       "Counting probes attached now (socktap count).",
		       s->count_used);
	}
	if (s->have & ST_HAVE_EV) {
		st_one(p, "socktap_events_queued_total", PROM_COUNTER,
		       "Events queued for the event stream.", s->ev_queued);
		st_one(p, "socktap_events_lost_total", PROM_COUNTER,
		       "Events lost because a per-CPU event queue was full.",
		       s->ev_lost);
		st_one(p, "socktap_events_undelivered_total", PROM_COUNTER,
		       "Events netlink could not deliver to at least one listener.",
		       s->ev_undelivered);
	}
	if (s->have & ST_HAVE_FILTER) {
		st_one(p, "socktap_events_filtered_total", PROM_COUNTER,
		       "Events the module's filter skipped.", s->filtered);
		snprintf(pid, sizeof(pid), "%" PRIu32, s->filter_pid);
		snprintf(port, sizeof(port), "%" PRIu32, s->filter_port);
		snprintf(netns, sizeof(netns), "%" PRIu32, s->filter_netns);
		l[0] = (struct prom_label){ "pid", pid };
		l[1] = (struct prom_label){ "port", port };
		l[2] = (struct prom_label){ "netns", netns };
		if (!prom_family(p, "socktap_filter_info", PROM_GAUGE,
				 "The module's filter (0: any); all 0 when none is set."))
			prom_sample(p, l, 3, 1);
	}
}

static void st_emit_probes(struct prom *p, const struct st_probe_list *pl)
{
	unsigned int by_state[__SOCKTAP_STATE_MAX] = { 0 };
	struct prom_label l[3];
	unsigned int i;
	size_t k;

	for (k = 0; k < pl->n; k++)
		if (pl->v[k].state < __SOCKTAP_STATE_MAX)
			by_state[pl->v[k].state]++;
	if (!prom_family(p, "socktap_probes", PROM_GAUGE,
			 "Probe points by state: attached, unavailable on this kernel, disabled, failed, standby (a fallback not needed here).")) {
		for (i = 0; i < __SOCKTAP_STATE_MAX; i++) {
			l[0] = (struct prom_label){ "state", st_state_name(i) };
			prom_sample(p, l, 1, by_state[i]);
		}
	}
	for (i = 0; i < 2; i++) {
		if (prom_family(p, i ? "socktap_probe_missed_total" :
				"socktap_probe_hits_total", PROM_COUNTER,
				i ? "Hits of a probe point the kprobe layer could not deliver." :
				"Handler runs of a probe point since the module was loaded."))
			continue;
		for (k = 0; k < pl->n; k++) {
			const struct st_probe_rec *r = &pl->v[k];

			l[0] = (struct prom_label){ "probe", r->name };
			l[1] = (struct prom_label){ "kind", st_kind_name(r->kind) };
			l[2] = (struct prom_label){ "state", st_state_name(r->state) };
			prom_sample(p, l, 3, i ? r->missed : r->hits);
		}
	}
}

static void st_emit_tcp(struct prom *p, const struct st_tcp_counters *t)
{
	struct prom_label l[1];
	char ev[64];
	unsigned int i;

	if (prom_family(p, "socktap_tcp_events_total", PROM_COUNTER,
			"TCP events by kind, as socktap tcp shows them (its names with _ for -)."))
		return;
	for (i = 0; i < t->n; i++) {
		const char *name = st_tcp_counter_name(i);

		/* A counter of the UAPI this CLI has no name for. */
		if (!name || !strcmp(name, "?"))
			continue;
		l[0] = (struct prom_label){ "event",
					    prom_sanitize(name, ev, sizeof(ev)) };
		prom_sample(p, l, 1, t->c[i]);
	}
}

/* What each histogram measures, by the module's name. */
static const struct {
	const char *name, *help;
} st_hist_help[] = {
	{ "connect", "Duration of connect() calls, entry to return." },
	{ "connect-async", "Non-blocking connect() from the call until the socket is established." },
	{ "first-byte", "Established (connect) or accepted until the application first received data." },
	{ "lifetime", "Socket lifetime: created (or accepted) until closed." },
	{ "lifetime-established", "Connection lifetime: established (or accepted) until closed." },
	{ "tcp-send-size", "Payload bytes of each TCP segment sent." },
	{ "tcp-recv-size", "Payload bytes of each TCP segment received." },
	{ "tcp-state-time", "Time a TCP socket spent in a state, at each state change." },
	{ "tcp-sendmsg", "Bytes each TCP sendmsg() call sent." },
	{ "tcp-recvmsg", "Bytes each TCP recvmsg() call returned." },
	{ "udp-sendmsg", "Bytes each UDP sendmsg() call sent." },
	{ "udp-recvmsg", "Bytes each UDP recvmsg() call returned." },
};

static const char *st_hist_help_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(st_hist_help) / sizeof(st_hist_help[0]); i++)
		if (!strcmp(name, st_hist_help[i].name))
			return st_hist_help[i].help;
	return NULL;
}

/*
 * The family name of a histogram (prefix + its name + the base unit) and
 * the scale of its unit: nanoseconds become seconds, bytes stay bytes.
 */
static unsigned int st_hist_family(const char *prefix, const struct st_hist *h,
				   char *buf, size_t n)
{
	const char *unit = st_hist_unit(h);
	char name[64], u[32];
	unsigned int scale = 0;

	if (!h->name[0] || !strcmp(h->name, "?"))
		snprintf(name, sizeof(name), "hist%u", h->id);
	else
		prom_sanitize(h->name, name, sizeof(name));
	if (!strcmp(unit, "ns")) {
		snprintf(u, sizeof(u), "seconds");
		scale = 9;
	} else {
		prom_sanitize(unit, u, sizeof(u));
	}
	snprintf(buf, n, "%s%s_%s", prefix, name, u);
	return scale;
}

static void st_emit_hists(struct prom *p, const struct st_hist_list *l)
{
	char fam[PROM_NAME_MAX], help[256];
	struct prom_hist ph;
	const char *what;
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct st_hist *h = &l->v[i];

		memset(&ph, 0, sizeof(ph));
		ph.scale = st_hist_family("socktap_", h, fam, sizeof(fam));
		what = st_hist_help_of(h->name);
		if (what)
			snprintf(help, sizeof(help), "%s", what);
		else
			snprintf(help, sizeof(help),
				 "The module's %s histogram (log2 buckets of %s).",
				 h->name, st_hist_unit(h));
		if (prom_family(p, fam, PROM_HISTOGRAM, help))
			continue;
		ph.b = h->b;
		ph.n = SOCKTAP_HIST_BUCKETS;
		ph.layout = PROM_LOG2;
		ph.has_sum = 1;
		ph.sum = h->sum;
		prom_histogram(p, NULL, 0, &ph);
	}
}

/* The labels of a process row: pid, comm, uid, netns, then room for two. */
struct st_plabels {
	char pid[16], uid[16], netns[16];
	struct prom_label l[6];
};

static void st_plabels_set(struct st_plabels *b, const struct st_proc *p)
{
	snprintf(b->pid, sizeof(b->pid), "%" PRIu32, p->pid);
	snprintf(b->uid, sizeof(b->uid), "%" PRIu32, p->uid);
	snprintf(b->netns, sizeof(b->netns), "%" PRIu32, p->netns);
	b->l[0] = (struct prom_label){ "pid", b->pid };
	b->l[1] = (struct prom_label){ "comm", p->comm };
	b->l[2] = (struct prom_label){ "uid", b->uid };
	b->l[3] = (struct prom_label){ "netns", b->netns };
}

enum { ST_P_ACCEPTS, ST_P_OPENED, ST_P_CLOSED, ST_P_MAX };
enum { ST_IO_SENDS, ST_IO_SENT, ST_IO_RECVS, ST_IO_RECEIVED, ST_IO_MAX };

static uint64_t st_io_value(const struct st_io *io, int which)
{
	switch (which) {
	case ST_IO_SENDS:
		return io->sends;
	case ST_IO_SENT:
		return io->send_bytes;
	case ST_IO_RECVS:
		return io->recvs;
	default:
		return io->recv_bytes;
	}
}

static void st_emit_proc_io(struct prom *p, const struct st_proc_list *l)
{
	static const char *const names[ST_IO_MAX][2] = {
		[ST_IO_SENDS] = { "socktap_process_sends_total",
				  "sendmsg() calls of the process that sent data or returned 0, by protocol and family." },
		[ST_IO_SENT] = { "socktap_process_sent_bytes_total",
				 "Bytes those sendmsg() calls sent." },
		[ST_IO_RECVS] = { "socktap_process_recvs_total",
				  "recvmsg() calls of the process that returned data or 0, by protocol and family." },
		[ST_IO_RECEIVED] = { "socktap_process_received_bytes_total",
				     "Bytes those recvmsg() calls returned." },
	};
	struct st_plabels b;
	unsigned int i, k;
	size_t n;
	int w;

	for (w = 0; w < ST_IO_MAX; w++) {
		if (prom_family(p, names[w][0], PROM_COUNTER, names[w][1]))
			continue;
		for (n = 0; n < l->n; n++) {
			const struct st_proc *r = &l->v[n];

			st_plabels_set(&b, r);
			for (i = 0; i < __SOCKTAP_PROTO_MAX; i++) {
				for (k = 0; k < __SOCKTAP_FAMILY_MAX; k++) {
					if (!(r->io_mask & ST_IO_BIT(i, k)))
						continue;
					b.l[4] = (struct prom_label){ "proto", st_proto_name(i, 1) };
					b.l[5] = (struct prom_label){ "family", st_family_name(k, 1) };
					prom_sample(p, b.l, 6, st_io_value(&r->io[i][k], w));
				}
			}
		}
	}
}

static void st_emit_procs(struct prom *p, struct st_proc_list *l)
{
	static const char *const names[ST_P_MAX][2] = {
		[ST_P_ACCEPTS] = { "socktap_process_accepts_total",
				   "accept() calls of the process that returned a socket." },
		[ST_P_OPENED] = { "socktap_process_sockets_opened_total",
				  "IPv4/IPv6 sockets the process opened: socket() and accept()." },
		[ST_P_CLOSED] = { "socktap_process_sockets_closed_total",
				  "IPv4/IPv6 sockets the process closed." },
	};
	static const char *const results[] = { "ok", "inprogress", "refused", "error" };
	struct st_plabels b;
	uint64_t v[4];
	size_t n;
	int i;

	st_proc_sort(l, ST_SORT_PID);
	if (!prom_family(p, "socktap_process_connects_total", PROM_COUNTER,
			 "connect() calls of the process by result: ok (returned 0), inprogress (-EINPROGRESS), refused (-ECONNREFUSED), error (another error).")) {
		for (n = 0; n < l->n; n++) {
			const struct st_proc *r = &l->v[n];

			st_plabels_set(&b, r);
			v[0] = r->connect_ok;
			v[1] = r->connect_inprogress;
			v[2] = r->connect_refused;
			v[3] = r->connect_error;
			for (i = 0; i < 4; i++) {
				b.l[4] = (struct prom_label){ "result", results[i] };
				prom_sample(p, b.l, 5, v[i]);
			}
		}
	}
	for (i = 0; i < ST_P_MAX; i++) {
		if (prom_family(p, names[i][0], PROM_COUNTER, names[i][1]))
			continue;
		for (n = 0; n < l->n; n++) {
			const struct st_proc *r = &l->v[n];

			st_plabels_set(&b, r);
			prom_sample(p, b.l, 4, i == ST_P_ACCEPTS ? r->accepts :
				    i == ST_P_OPENED ? r->created : r->closed);
		}
	}
	st_emit_proc_io(p, l);
}

struct st_llabels {
	char port[8], netns[16], pid[16];
	struct prom_label l[5];
};

static void st_llabels_set(struct st_llabels *b, const struct st_listen *r)
{
	snprintf(b->port, sizeof(b->port), "%u", r->port);
	snprintf(b->netns, sizeof(b->netns), "%" PRIu32, r->netns);
	snprintf(b->pid, sizeof(b->pid), "%" PRIu32, r->pid);
	b->l[0] = (struct prom_label){ "port", b->port };
	b->l[1] = (struct prom_label){ "family", st_af_name(r->family) };
	b->l[2] = (struct prom_label){ "netns", b->netns };
	b->l[3] = (struct prom_label){ "pid", b->pid };
	b->l[4] = (struct prom_label){ "comm", r->comm };
}

enum { ST_L_MAX, ST_L_CONNS, ST_L_OVERFLOWS, ST_L_SYN_DROPS, ST_L_NR };

static uint64_t st_listen_value(const struct st_listen *r, int which)
{
	switch (which) {
	case ST_L_MAX:
		return r->backlog_max;
	case ST_L_CONNS:
		return r->conns;
	case ST_L_OVERFLOWS:
		return r->overflows;
	default:
		return r->syn_drops;
	}
}

static void st_emit_listens(struct prom *p, struct st_listen_list *l)
{
	static const struct {
		const char *name;
		enum prom_type type;
		const char *help;
	} fams[ST_L_NR] = {
		[ST_L_MAX] = { "socktap_listener_backlog_max", PROM_GAUGE,
			       "Accept queue limit of the listener (listen()'s backlog), last seen." },
		[ST_L_CONNS] = { "socktap_listener_connections_total", PROM_COUNTER,
				 "Connections handed to the listener's accept queue." },
		[ST_L_OVERFLOWS] = { "socktap_listener_overflows_total", PROM_COUNTER,
				     "Connections dropped because the accept queue was full (ListenOverflows)." },
		[ST_L_SYN_DROPS] = { "socktap_listener_syn_drops_total", PROM_COUNTER,
				     "SYNs dropped because the SYN queue was full and syncookies could not be used." },
	};
	struct st_llabels b;
	struct prom_hist ph;
	size_t n;
	int i;

	st_listen_sort(l->v, l->n);
	for (i = 0; i < ST_L_NR; i++) {
		if (prom_family(p, fams[i].name, fams[i].type, fams[i].help))
			continue;
		for (n = 0; n < l->n; n++) {
			st_llabels_set(&b, &l->v[n]);
			prom_sample(p, b.l, 5, st_listen_value(&l->v[n], i));
		}
	}
	memset(&ph, 0, sizeof(ph));
	ph.n = SOCKTAP_QLEN_BUCKETS;
	ph.layout = PROM_QLEN;
	for (i = 0; i < 2; i++) {
		if (prom_family(p, i ? "socktap_listener_syn_queue_length" :
				"socktap_listener_accept_queue_length", PROM_HISTOGRAM,
				i ? "SYN queue length of the listener at each new connection (no _sum: the module keeps only the buckets)." :
				"Accept queue length of the listener at each new connection (no _sum: the module keeps only the buckets)."))
			continue;
		for (n = 0; n < l->n; n++) {
			st_llabels_set(&b, &l->v[n]);
			ph.b = i ? l->v[n].synq : l->v[n].acceptq;
			prom_histogram(p, b.l, 5, &ph);
		}
	}
}

static int st_size_cmp_pid(const void *a, const void *b)
{
	const struct st_size_proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static void st_emit_sizes(struct prom *p, struct st_size_list *l)
{
	char fam[PROM_NAME_MAX], help[256], pid[16];
	struct prom_label lb[2];
	struct prom_hist ph;
	struct st_hist key;
	const char *what;
	size_t n;
	int slot;

	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), st_size_cmp_pid);
	memset(&ph, 0, sizeof(ph));
	ph.n = SOCKTAP_SIZE_BUCKETS;
	ph.layout = PROM_LOG2;
	ph.has_sum = 1;
	for (slot = 0; slot < SOCKTAP_SIZE_HISTS; slot++) {
		/* The CLI's name of the slot: the same family in every row. */
		memset(&key, 0, sizeof(key));
		key.id = SOCKTAP_HIST_TCP_SENDMSG + (unsigned int)slot;
		snprintf(key.name, sizeof(key.name), "%s", st_hist_id_name(key.id));
		snprintf(key.unit, sizeof(key.unit), "bytes");
		ph.scale = st_hist_family("socktap_process_", &key, fam, sizeof(fam));
		what = st_hist_help_of(key.name);
		snprintf(help, sizeof(help), "Per process: %s",
			 what ? what : key.name);
		if (prom_family(p, fam, PROM_HISTOGRAM, help))
			continue;
		for (n = 0; n < l->n; n++) {
			const struct st_size_proc *r = &l->v[n];

			if (!(r->have & (1u << slot)))
				continue;
			snprintf(pid, sizeof(pid), "%" PRIu32, r->pid);
			lb[0] = (struct prom_label){ "pid", pid };
			lb[1] = (struct prom_label){ "comm", r->comm };
			ph.b = r->h[slot].b;
			ph.sum = r->h[slot].sum;
			prom_histogram(p, lb, 2, &ph);
		}
	}
}

static void st_metrics_emit(struct prom *p, struct st_metrics *m)
{
	st_one(p, "socktap_up", PROM_GAUGE,
	       "1 when the socktap module answered over netlink, 0 when it is not loaded.",
	       m->up ? 1 : 0);
	if (!m->up)
		return;
	st_emit_status(p, &m->s);
	st_emit_probes(p, &m->probes);
	st_emit_tcp(p, &m->tcp);
	st_emit_hists(p, &m->hists);
	if (m->have & ST_M_PROCS)
		st_emit_procs(p, &m->procs);
	if (m->have & ST_M_LISTENS)
		st_emit_listens(p, &m->listens);
	if (m->have & ST_M_SIZES)
		st_emit_sizes(p, &m->sizes);
}

/* The whole exposition to f; what names f in messages.  ST_EXIT_*. */
static int st_metrics_print(FILE *f, struct st_metrics *m, const char *what)
{
	struct prom p;
	int rc = ST_EXIT_OK;

	prom_init(&p, f);
	st_metrics_emit(&p, m);
	errno = 0;
	if (prom_finish(&p)) {
		if (ferror(f) || errno)
			fprintf(stderr, "socktap metrics: writing %s: %s\n", what,
				strerror(errno ? errno : EIO));
		else
			fprintf(stderr, "socktap metrics: out of memory, or a malformed exposition (a bug)\n");
		rc = ST_EXIT_ERROR;
	}
	prom_free(&p);
	return rc;
}

/*
 * FILE.tmp in FILE's directory, then rename(): a reader of FILE sees the
 * old exposition or the new one, never part of one.
 */
static int st_metrics_to_file(const char *path, struct st_metrics *m)
{
	char tmp[PATH_MAX];
	mode_t mode = 0644;
	struct stat st;
	FILE *f;
	int fd, rc;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		fprintf(stderr, "socktap metrics: -o %s: name too long\n", path);
		return ST_EXIT_ERROR;
	}
	if (!stat(path, &st) && S_ISREG(st.st_mode))
		mode = st.st_mode & 07777;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0) {
		fprintf(stderr, "socktap metrics: %s: %s\n", tmp, strerror(errno));
		return ST_EXIT_ERROR;
	}
	/* The collector runs as another user: the mode, not our umask. */
	if (fchmod(fd, mode)) {
		fprintf(stderr, "socktap metrics: %s: %s\n", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return ST_EXIT_ERROR;
	}
	f = fdopen(fd, "w");
	if (!f) {
		fprintf(stderr, "socktap metrics: %s: %s\n", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return ST_EXIT_ERROR;
	}
	rc = st_metrics_print(f, m, tmp);
	if (!rc && fsync(fd)) {
		fprintf(stderr, "socktap metrics: %s: %s\n", tmp, strerror(errno));
		rc = ST_EXIT_ERROR;
	}
	if (fclose(f) && !rc) {
		fprintf(stderr, "socktap metrics: %s: %s\n", tmp, strerror(errno));
		rc = ST_EXIT_ERROR;
	}
	if (!rc && rename(tmp, path)) {
		fprintf(stderr, "socktap metrics: renaming %s to %s: %s\n", tmp,
			path, strerror(errno));
		rc = ST_EXIT_ERROR;
	}
	if (rc)
		unlink(tmp);
	return rc;
}

/* ---- reading the module */

/* A read that may be refused (CAP_NET_ADMIN) or unknown to an old module. */
static int st_metrics_optional(struct st_nl *nl, int rc, unsigned int bit,
			       struct st_metrics *m, unsigned int *denied,
			       unsigned int *missing)
{
	if (!rc) {
		m->have |= bit;
		return ST_EXIT_OK;
	}
	if (nl->err == -EPERM) {
		*denied |= bit;
		return ST_EXIT_OK;
	}
	if (nl->err == -EOPNOTSUPP) {
		*missing |= bit;
		return ST_EXIT_OK;
	}
	return rc;
}

/* Everything into m; *cmd the request that failed.  ST_EXIT_*. */
static int st_metrics_read(struct st_nl *nl, struct st_metrics *m,
			   unsigned int *denied, unsigned int *missing,
			   uint8_t *cmd)
{
	int rc;

	*cmd = SOCKTAP_CMD_STATUS;
	rc = st_status_fetch(nl, &m->s);
	if (rc)
		return rc;
	*cmd = SOCKTAP_CMD_PROBE_GET;
	rc = st_probes_fetch(nl, NULL, &m->probes);
	if (rc)
		return rc;
	*cmd = SOCKTAP_CMD_TCP_GET;
	rc = st_tcp_fetch(nl, &m->tcp);
	if (rc)
		return rc;
	*cmd = SOCKTAP_CMD_HIST_GET;
	rc = st_hist_dump(nl, &m->hists);
	if (rc)
		return rc;
	*cmd = SOCKTAP_CMD_PROC_GET;
	rc = st_metrics_optional(nl, st_proc_fetch(nl, &m->procs, 0),
				 ST_M_PROCS, m, denied, missing);
	if (rc)
		return rc;
	*cmd = SOCKTAP_CMD_LISTEN_GET;
	rc = st_metrics_optional(nl, st_listen_fetch(nl, &m->listens),
				 ST_M_LISTENS, m, denied, missing);
	if (rc)
		return rc;
	*cmd = SOCKTAP_CMD_SIZE_GET;
	return st_metrics_optional(nl, st_size_fetch(nl, &m->sizes),
				   ST_M_SIZES, m, denied, missing);
}

/* "per-process counters, listeners" for the bits of mask. */
static const char *st_metrics_parts(unsigned int mask, char *buf, size_t n)
{
	static const char *const names[] = {
		"per-process counters (socktap_process_*_total)",
		"listeners (socktap_listener_*)",
		"per-process I/O sizes (socktap_process_*_bytes)",
	};
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && len < n; i++)
		if (mask & (1u << i))
			len += (size_t)snprintf(buf + len, n - len, "%s%s",
						len ? ", " : "", names[i]);
	return buf;
}

struct st_metrics_run {
	const char *path;	/* -o; NULL: stdout */
	int interval;		/* --interval given */
	int was_up;		/* -1 before the first read */
	unsigned int told;	/* ST_M_* already said to be left out */
};

/* One read and one exposition.  ST_EXIT_*. */
static int st_metrics_tick(struct st_metrics_run *r)
{
	unsigned int denied = 0, missing = 0;
	struct st_metrics m;
	struct st_nl nl;
	uint8_t cmd = 0;
	char buf[256];
	int rc, wrc;

	memset(&m, 0, sizeof(m));
	rc = r->interval ? st_nl_try_open(&nl) : st_nl_open(&nl);
	if (rc && rc != ST_EXIT_NOMODULE)
		return rc;
	if (!rc) {
		nl.quiet = 1;
		rc = st_metrics_read(&nl, &m, &denied, &missing, &cmd);
		/* A dump pins the module: during an rmmod that is EPROTONOSUPPORT. */
		if (rc && nl.err &&
		    (nl.err == -EPROTONOSUPPORT || st_nl_gone(&nl))) {
			if (!r->interval)
				fprintf(stderr, "socktap: the socktap module was unloaded\n");
			rc = ST_EXIT_NOMODULE;
		} else if (rc && nl.err) {
			rc = st_nl_report_error(&nl, cmd);
		}
		st_nl_close(&nl);
		if (rc && rc != ST_EXIT_NOMODULE) {
			st_metrics_free(&m);
			return rc;
		}
	}
	m.up = !rc;
	if (r->interval && !m.up && r->was_up != 0)
		fprintf(stderr,
			"socktap metrics: the socktap module is not loaded: writing socktap_up 0 until it is\n");
	else if (r->interval && m.up && r->was_up == 0)
		fprintf(stderr, "socktap metrics: the socktap module is loaded\n");
	r->was_up = m.up;
	if (denied & ~r->told)
		fprintf(stderr, "socktap metrics: left out, as they need CAP_NET_ADMIN: %s\n",
			st_metrics_parts(denied & ~r->told, buf, sizeof(buf)));
	if (missing & ~r->told)
		fprintf(stderr, "socktap metrics: left out, as the loaded module does not have them: %s\n",
			st_metrics_parts(missing & ~r->told, buf, sizeof(buf)));
	r->told |= denied | missing;

	if (r->path)
		wrc = st_metrics_to_file(r->path, &m);
	else
		wrc = st_metrics_print(stdout, &m, "standard output");
	st_metrics_free(&m);
	if (wrc)
		return wrc;
	return m.up || r->interval ? ST_EXIT_OK : ST_EXIT_NOMODULE;
}

enum { ST_OPT_INTERVAL = 256 };

static const struct option st_metrics_longopts[] = {
	{ "interval", required_argument, NULL, ST_OPT_INTERVAL },
	{ NULL, 0, NULL, 0 },
};

int cmd_metrics(int argc, char **argv, struct st_opts *o)
{
	struct st_metrics_run r = { .was_up = -1 };
	uint64_t ms = 0, step, next, now;
	const char *why = NULL;
	int c, rc, w;

	optind = 0;
	while ((c = getopt_long(argc, argv, "ho:j", st_metrics_longopts,
				NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return ST_EXIT_OK;
		case 'o':
			if (!*optarg) {
				fprintf(stderr, "socktap metrics: -o: empty file name\n");
				return ST_EXIT_USAGE;
			}
			r.path = optarg;
			break;
		case ST_OPT_INTERVAL:
			if (st_parse_seconds(optarg, &ms, &why)) {
				fprintf(stderr, "socktap metrics: --interval %s: %s\n",
					optarg, why);
				return ST_EXIT_USAGE;
			}
			r.interval = 1;
			break;
		case 'j':
			o->json = 1;
			break;
		default:
			usage(stderr);
			return ST_EXIT_USAGE;
		}
	}
	if (o->json) {
		fprintf(stderr,
			"socktap metrics: no JSON output: the output is the Prometheus text format\n");
		return ST_EXIT_USAGE;
	}
	if (optind != argc) {
		fprintf(stderr, "socktap metrics: unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		return ST_EXIT_USAGE;
	}
	if (r.interval && !r.path) {
		fprintf(stderr, "socktap metrics: --interval rewrites a file: it needs -o FILE\n");
		return ST_EXIT_USAGE;
	}
	/* Signals only land between two writes: no FILE.tmp is left behind. */
	if (r.path && st_loop_init()) {
		perror("socktap: signals");
		return ST_EXIT_ERROR;
	}
	step = ms * 1000000ull;
	next = st_now_mono();
	for (;;) {
		rc = st_metrics_tick(&r);
		if (rc || !r.interval)
			return rc;
		next += step;
		now = st_now_mono();
		if (next <= now)	/* a slow read: skip the ticks it missed */
			next = now + step;
		w = st_wait(-1, next);
		if (w == -1)
			return ST_EXIT_OK;
		if (w == -2) {
			perror("socktap: waiting");
			return ST_EXIT_ERROR;
		}
	}
}
