// SPDX-License-Identifier: GPL-2.0
#include "status.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "fmt.h"

#define ST_TABLE_OFF(c, u, l) { offsetof(struct st_status, c), \
	offsetof(struct st_status, u), offsetof(struct st_status, l) }

const struct st_table_desc st_tables[] = {
	{ ST_HAVE_SOCK, "socket table", "sockets tracked", "not tracked",
	  "sockets", "untracked", "socktap_socket_table", "untracked_total",
	  { "Sockets the socket table can track (sock_capacity).",
	    "Sockets tracked now.",
	    "Sockets created or accepted while the socket table was full." },
	  ST_TABLE_OFF(sock_capacity, sock_used, sock_untracked) },
	{ ST_HAVE_PROC, "process table", "processes", "events dropped",
	  "processes", "dropped", "socktap_process_table",
	  "dropped_events_total",
	  { "Processes the process table can hold (proc_capacity).",
	    "Processes in the process table.",
	    "Events of processes that found the process table full." },
	  ST_TABLE_OFF(proc_capacity, proc_used, proc_dropped) },
	{ ST_HAVE_SIZE, "size table", "processes", "I/O calls dropped",
	  "sizes", "dropped", "socktap_size_table", "dropped_calls_total",
	  { "Processes the I/O size table can hold (size_proc_capacity).",
	    "Processes in the I/O size table.",
	    "I/O calls of processes that found the size table full." },
	  ST_TABLE_OFF(size_capacity, size_used, size_dropped) },
	{ ST_HAVE_LISTEN, "listener table", "listeners",
	  "SYNs and handshakes dropped", "listeners", "dropped",
	  "socktap_listener_table", "dropped_total",
	  { "Listeners the backlog table can hold (listen_capacity).",
	    "Listeners in the backlog table.",
	    "SYNs and handshakes of listeners that found the backlog table full." },
	  ST_TABLE_OFF(listen_capacity, listen_used, listen_dropped) },
	{ ST_HAVE_STACK, "stack table", "stacks", "calls dropped",
	  "stacks", "dropped", "socktap_stack_table", "dropped_calls_total",
	  { "Distinct stacks the stack table can hold (stack_capacity).",
	    "Distinct stacks in the stack table.",
	    "Calls whose new stack found the stack table full." },
	  ST_TABLE_OFF(stack_capacity, stack_used, stack_dropped) },
};

const size_t st_ntables = sizeof(st_tables) / sizeof(st_tables[0]);

int st_have_tables(const struct st_status *s)
{
	size_t i;

	for (i = 0; i < st_ntables; i++)
		if (s->have & st_tables[i].have)
			return 1;
	return 0;
}

void st_table_metric(const struct st_table_desc *t, unsigned int i,
		     char *buf, size_t n)
{
	static const char *const kind[] = { "capacity", "used" };

	snprintf(buf, n, "%s_%s", t->prom, i < 2 ? kind[i] : t->prom_lost);
}

uint64_t st_table_val(const struct st_status *s, const struct st_table_desc *t,
		      unsigned int i)
{
	uint64_t v;

	memcpy(&v, (const char *)s + t->off[i], sizeof(v));
	return v;
}

static uint64_t st_get(struct nlattr **tb, int attr)
{
	return tb[attr] ? st_nla_uint(tb[attr]) : 0;
}

/* Size and listener tables, counting probes and the stack session. */
static void st_status_new_cb(struct nlattr **tb, struct st_status *s)
{
	if (tb[SOCKTAP_A_SIZE_CAPACITY] || tb[SOCKTAP_A_SIZE_USED])
		s->have |= ST_HAVE_SIZE;
	s->size_capacity = st_get(tb, SOCKTAP_A_SIZE_CAPACITY);
	s->size_used = st_get(tb, SOCKTAP_A_SIZE_USED);
	s->size_dropped = st_get(tb, SOCKTAP_A_SIZE_DROPPED);

	if (tb[SOCKTAP_A_LISTEN_CAPACITY])
		s->have |= ST_HAVE_LISTEN;
	s->listen_capacity = st_get(tb, SOCKTAP_A_LISTEN_CAPACITY);
	s->listen_used = st_get(tb, SOCKTAP_A_LISTEN_USED);
	s->listen_dropped = st_get(tb, SOCKTAP_A_LISTEN_DROPPED);

	if (tb[SOCKTAP_A_COUNT_MAX])
		s->have |= ST_HAVE_COUNT;
	s->count_max = st_get(tb, SOCKTAP_A_COUNT_MAX);
	s->count_used = st_get(tb, SOCKTAP_A_COUNT_USED);

	if (tb[SOCKTAP_A_STACK_CAPACITY])
		s->have |= ST_HAVE_STACK;
	s->stack_capacity = st_get(tb, SOCKTAP_A_STACK_CAPACITY);
	s->stack_used = st_get(tb, SOCKTAP_A_STACK_USED);
	s->stack_dropped = st_get(tb, SOCKTAP_A_STACK_DROPPED);

	if (tb[SOCKTAP_A_STACK_FUNC]) {
		s->have |= ST_HAVE_STACK_SESSION;
		st_nla_strcpy(s->stack_func, sizeof(s->stack_func),
			      tb[SOCKTAP_A_STACK_FUNC]);
	}
	s->stack_mode = (uint32_t)st_get(tb, SOCKTAP_A_STACK_MODE);
	s->stack_hits = st_get(tb, SOCKTAP_A_STACK_HITS);
	s->stack_missed = st_get(tb, SOCKTAP_A_STACK_MISSED);
}

const char *st_stack_mode_name(uint32_t mode)
{
	switch (mode & (SOCKTAP_STACK_KERNEL | SOCKTAP_STACK_USER)) {
	case SOCKTAP_STACK_KERNEL:
		return "kernel";
	case SOCKTAP_STACK_USER:
		return "user";
	case SOCKTAP_STACK_KERNEL | SOCKTAP_STACK_USER:
		return "kernel+user";
	default:
		return "none";
	}
}

static int st_status_cb(struct nlattr **tb, void *arg)
{
	struct st_status *s = arg;

	if (!tb[SOCKTAP_A_VERSION] || !tb[SOCKTAP_A_KRELEASE]) {
		fprintf(stderr, "socktap: status reply lacks version or release\n");
		return ST_EXIT_ERROR;
	}
	st_nla_strcpy(s->version, sizeof(s->version), tb[SOCKTAP_A_VERSION]);
	st_nla_strcpy(s->krelease, sizeof(s->krelease), tb[SOCKTAP_A_KRELEASE]);
	if (tb[SOCKTAP_A_GENL_VERSION])
		s->genl_version = (unsigned int)st_nla_uint(tb[SOCKTAP_A_GENL_VERSION]);
	if (tb[SOCKTAP_A_PROBE_COUNT])
		s->probe_count = (unsigned int)st_nla_uint(tb[SOCKTAP_A_PROBE_COUNT]);

	if (tb[SOCKTAP_A_SOCK_USED]) {
		s->have |= ST_HAVE_SOCK;
		s->sock_used = st_nla_uint(tb[SOCKTAP_A_SOCK_USED]);
	}
	if (tb[SOCKTAP_A_SOCK_CAPACITY])
		s->sock_capacity = st_nla_uint(tb[SOCKTAP_A_SOCK_CAPACITY]);
	if (tb[SOCKTAP_A_SOCK_UNTRACKED])
		s->sock_untracked = st_nla_uint(tb[SOCKTAP_A_SOCK_UNTRACKED]);

	if (tb[SOCKTAP_A_PROC_USED]) {
		s->have |= ST_HAVE_PROC;
		s->proc_used = st_nla_uint(tb[SOCKTAP_A_PROC_USED]);
	}
	if (tb[SOCKTAP_A_PROC_CAPACITY])
		s->proc_capacity = st_nla_uint(tb[SOCKTAP_A_PROC_CAPACITY]);
	if (tb[SOCKTAP_A_PROC_DROPPED])
		s->proc_dropped = st_nla_uint(tb[SOCKTAP_A_PROC_DROPPED]);

	if (tb[SOCKTAP_A_EV_QUEUED]) {
		s->have |= ST_HAVE_EV;
		s->ev_queued = st_nla_uint(tb[SOCKTAP_A_EV_QUEUED]);
	}
	if (tb[SOCKTAP_A_EV_LOST])
		s->ev_lost = st_nla_uint(tb[SOCKTAP_A_EV_LOST]);
	if (tb[SOCKTAP_A_EV_UNDELIVERED])
		s->ev_undelivered = st_nla_uint(tb[SOCKTAP_A_EV_UNDELIVERED]);

	if (tb[SOCKTAP_A_FILTER_PID] || tb[SOCKTAP_A_FILTER_PORT] ||
	    tb[SOCKTAP_A_FILTER_NETNS] || tb[SOCKTAP_A_FILTERED])
		s->have |= ST_HAVE_FILTER;
	if (tb[SOCKTAP_A_FILTER_PID])
		s->filter_pid = (uint32_t)st_nla_uint(tb[SOCKTAP_A_FILTER_PID]);
	if (tb[SOCKTAP_A_FILTER_PORT])
		s->filter_port = (uint32_t)st_nla_uint(tb[SOCKTAP_A_FILTER_PORT]);
	if (tb[SOCKTAP_A_FILTER_NETNS])
		s->filter_netns = (uint32_t)st_nla_uint(tb[SOCKTAP_A_FILTER_NETNS]);
	if (tb[SOCKTAP_A_FILTERED])
		s->filtered = st_nla_uint(tb[SOCKTAP_A_FILTERED]);
	st_status_new_cb(tb, s);
	return 0;
}

int st_status_fetch(struct st_nl *nl, struct st_status *s)
{
	memset(s, 0, sizeof(*s));
	return st_nl_call(nl, SOCKTAP_CMD_STATUS, 0, NULL, NULL, st_status_cb, s);
}

int st_filter_opt(struct st_filter *f, int c, const char *arg,
		  const char *cmd)
{
	const char *why = NULL;
	int ret;

	switch (c) {
	case 'p':
		ret = st_parse_id(arg, INT32_MAX, &f->pid, &why);
		break;
	case 'P':
		ret = st_parse_id(arg, 65535, &f->port, &why);
		break;
	case 'N':
		ret = st_parse_netns(arg, &f->netns, &why);
		break;
	default:
		return -1;
	}
	if (ret) {
		fprintf(stderr, "socktap %s: -%c %s: %s\n", cmd, c, arg, why);
		return ST_EXIT_USAGE;
	}
	return 0;
}

int st_filter_any(const struct st_filter *f)
{
	return f->pid || f->port || f->netns;
}

struct st_filter_req {
	const struct st_filter *f;
	int owned;
};

static int st_put_filter(struct nl_msg *msg, void *arg)
{
	const struct st_filter_req *r = arg;
	int ret = 0;

	if (r->f->pid)
		ret = nla_put_u32(msg, SOCKTAP_A_FILTER_PID, r->f->pid);
	if (!ret && r->f->port)
		ret = nla_put_u32(msg, SOCKTAP_A_FILTER_PORT, r->f->port);
	if (!ret && r->f->netns)
		ret = nla_put_u32(msg, SOCKTAP_A_FILTER_NETNS, r->f->netns);
	if (!ret && r->owned)
		ret = nla_put_flag(msg, SOCKTAP_A_FILTER_OWNED);
	return ret;
}

int st_filter_set(struct st_nl *nl, const struct st_filter *f, int owned)
{
	struct st_filter_req r = { .f = f, .owned = owned };

	return st_nl_call(nl, SOCKTAP_CMD_FILTER_SET, 0, st_put_filter, &r,
			  NULL, NULL);
}

int st_filter_begin(struct st_nl *nl, const struct st_filter *f,
		    const char *cmd)
{
	struct st_status s;
	char buf[96];
	int rc;

	rc = st_status_fetch(nl, &s);
	if (rc)
		return rc;
	st_fmt_filter(s.filter_pid, s.filter_port, s.filter_netns, buf,
		      sizeof(buf));
	if (!st_filter_any(f)) {
		if (s.filter_pid || s.filter_port || s.filter_netns)
			fprintf(stderr,
				"socktap %s: note: the module's filter is set (%s): only matching activity is counted\n",
				cmd, buf);
		return ST_EXIT_OK;
	}
	if (s.filter_pid || s.filter_port || s.filter_netns)
		fprintf(stderr,
			"socktap %s: note: this replaces the module's filter (%s);\n"
			"  it is cleared, not restored, when %s ends\n",
			cmd, buf, cmd);
	return st_filter_set(nl, f, 1);
}
