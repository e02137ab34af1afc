// SPDX-License-Identifier: GPL-2.0
/*
 * socktap stacks: the kernel and/or user stacks of every call of a kernel
 * function, counted, like bpftrace's @[kstack, ustack] = count() or bcc's
 * stackcount.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>

#include "cli.h"
#include "fmt.h"
#include "json.h"
#include "kfunc.h"
#include "ksym.h"
#include "loop.h"
#include "nl.h"
#include "stack.h"
#include "status.h"
#include "usym.h"
#include "util.h"

/* Processes whose maps are kept; more are left unnamed. */
#define ST_USYM_PROCS_MAX	4096

static void usage(FILE *out)
{
	fprintf(out,
		"usage: socktap stacks [-k] [-u] [-d SEC] [-n TOP] [-j] [-h] [FUNC]\n"
		"\n"
		"Count the distinct stacks of the calls of kernel function FUNC\n"
		"(default ip_output) until Ctrl-C or for SEC seconds, like bpftrace's\n"
		"@[kstack, ustack] = count() or bcc's stackcount (CAP_NET_ADMIN; one\n"
		"stacks session at a time in the module).  A FUNC kallsyms lacks is\n"
		"tried as a system call: __sys_FUNC, then __x64_sys_FUNC or\n"
		"__arm64_sys_FUNC (stacks -u connect probes __sys_connect).\n"
		"\n"
		"  -k, --kernel   kernel stacks (the default)\n"
		"  -u, --user     user stacks of the calling process (calls in process\n"
		"                 context; the walk follows frame pointers, so code\n"
		"                 built without them ends it early); with -k both\n"
		"  -d SEC         sample for SEC seconds (Ctrl-C ends it early)\n"
		"  -n TOP         only the TOP stacks with the most calls\n"
		"  -j             one JSON object: {\"function\",\"mode\",\"hits\",\"missed\",\n"
		"                 \"dropped\",\"stacks\":[{\"count\",\"pid\",\"comm\",\n"
		"                 \"kernel\":[{\"addr\",\"sym\"}],\"user\":[{\"addr\",\"sym\",\n"
		"                 \"module\"}]}]}\n"
		"  -h             this help\n"
		"\n"
		"Each stack is printed innermost frame first, as func+0xoff (kernel\n"
		"frames from /proc/kallsyms, ' [module]' for a module's), user frames\n"
		"as func+0xoff (library) under 'comm (pid):', with ':' and the count\n"
		"last; the stacks with fewest calls come first.  An address nothing\n"
		"names is 0xADDR [unknown].  User frames are named from the process's\n"
		"memory maps and ELF symbol tables (and /usr/lib/debug), read while\n"
		"it runs: stacks polls the module once a second for new processes; one\n"
		"that exits sooner shows addresses only.  The last line: N stacks,\n"
		"H calls (D did not fit the table, M missed).\n");
}

struct st_stacks {
	struct st_opts *o;
	char func[SOCKTAP_FUNC_NAME_MAX];
	uint32_t mode;
	uint64_t ms;
	size_t top;
	struct st_ksyms ks;
	int have_ks;
	struct st_usyms *us;
	size_t snap_failed, snap_skipped;
	struct st_stack_list l;
};

/* FUNC, else its system call entries; returns the name to probe. */
static const char *st_stacks_resolve(const char *func, char *buf, size_t n)
{
	static const char *const prefixes[] = {
		"__sys_", "__x64_sys_", "__arm64_sys_",
	};
	struct st_kfuncs k;
	const char *use = func;
	size_t i;

	if (st_kfuncs_load(&k, ST_KALLSYMS_PATH)) {
		fprintf(stderr, "socktap stacks: %s: %s: probing '%s' as given\n",
			ST_KALLSYMS_PATH, strerror(errno), func);
		return func;
	}
	if (!st_kfuncs_find(&k, func)) {
		for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
			snprintf(buf, n, "%s%s", prefixes[i], func);
			if (st_kfuncs_find(&k, buf)) {
				use = buf;
				break;
			}
		}
		if (use != func)
			fprintf(stderr, "socktap stacks: %s is not a kernel function: probing %s\n",
				func, use);
	}
	st_kfuncs_free(&k);
	return use;
}

struct st_start_req {
	const char *func;
	uint32_t mode;
};

static int st_put_start(struct nl_msg *msg, void *arg)
{
	struct st_start_req *r = arg;
	int ret;

	ret = nla_put_string(msg, SOCKTAP_A_STACK_FUNC, r->func);
	if (ret < 0)
		return ret;
	return nla_put_u32(msg, SOCKTAP_A_STACK_MODE, r->mode);
}

static int st_stacks_start(struct st_stacks *t, struct st_nl *nl)
{
	struct st_start_req r = { .func = t->func, .mode = t->mode };
	const char *words, *said = "";
	char head[SOCKTAP_FUNC_NAME_MAX + 160];
	int rc, err;

	nl->quiet = 1;
	rc = st_nl_call(nl, SOCKTAP_CMD_STACK_START, 0, st_put_start, &r,
			NULL, NULL);
	nl->quiet = 0;
	if (!rc)
		return rc;
	err = -nl->err;
	/* GENL_ADMIN_PERM says nothing more; the module's own EPERM does. */
	if (rc == ST_EXIT_PERM && !nl->errmsg[0]) {
		fprintf(stderr,
			"socktap: permission denied: this needs CAP_NET_ADMIN (run it as root)\n");
		return rc;
	}
	if (err == EBUSY) {
		said = "another stacks session is running";
		snprintf(head, sizeof(head), "%s", said);
	} else if (err == EOPNOTSUPP && !nl->errmsg[0]) {
		snprintf(head, sizeof(head),
			 "the loaded module is older than this CLI (no STACK_START)");
	} else if (err == ENOENT || err == EINVAL || err == EILSEQ ||
		   err == EADDRNOTAVAIL || err == EPERM || err == EOPNOTSUPP) {
		words = st_func_error_words((uint32_t)err);
		snprintf(head, sizeof(head), "cannot probe %s: %s%s%s%s", t->func,
			 strerror(err), words ? " (" : "", words ? words : "",
			 words ? ")" : "");
	} else {
		return st_nl_report_error(nl, SOCKTAP_CMD_STACK_START);
	}
	fprintf(stderr, "socktap stacks: %s\n", head);
	if (nl->errmsg[0] && strcmp(nl->errmsg, said))
		fprintf(stderr, "  the module says: %s\n", nl->errmsg);
	return ST_EXIT_ERROR;
}

/* A process in the table: keep its maps while it is there to read. */
static void st_stacks_snapshot(struct st_stacks *t, uint32_t pid)
{
	size_t before;

	if (!t->us || !pid)
		return;
	before = st_usyms_count(t->us);
	if (before >= ST_USYM_PROCS_MAX) {
		t->snap_skipped++;	/* counts repeats too: only "some" */
		return;
	}
	if (st_usyms_add(t->us, pid) && st_usyms_count(t->us) > before)
		t->snap_failed++;
}

static int st_poll_cb(struct nlattr **tb, void *arg)
{
	struct st_stacks *t = arg;

	if (tb[SOCKTAP_A_STACK_PID])
		st_stacks_snapshot(t, (uint32_t)st_nla_uint(tb[SOCKTAP_A_STACK_PID]));
	return 0;
}

static int st_stack_cb(struct nlattr **tb, void *arg)
{
	struct st_stacks *t = arg;
	struct nlattr *k = tb[SOCKTAP_A_STACK_KERNEL];
	struct nlattr *u = tb[SOCKTAP_A_STACK_USER];
	char comm[64] = "";
	uint32_t pid = 0;

	if (!tb[SOCKTAP_A_STACK_COUNT]) {
		fprintf(stderr, "socktap: stack record without a count\n");
		return ST_EXIT_ERROR;
	}
	if (tb[SOCKTAP_A_STACK_PID])
		pid = (uint32_t)st_nla_uint(tb[SOCKTAP_A_STACK_PID]);
	if (tb[SOCKTAP_A_STACK_COMM])
		st_nla_strcpy(comm, sizeof(comm), tb[SOCKTAP_A_STACK_COMM]);
	st_stacks_snapshot(t, pid);
	if (st_stack_add(&t->l, st_nla_uint(tb[SOCKTAP_A_STACK_COUNT]), pid,
			 comm, k ? nla_data(k) : NULL,
			 k ? (size_t)nla_len(k) : 0, u ? nla_data(u) : NULL,
			 u ? (size_t)nla_len(u) : 0)) {
		fprintf(stderr, "socktap: out of memory\n");
		return ST_EXIT_ERROR;
	}
	return 0;
}

/* Until -d runs out or Ctrl-C; polling for new processes for -u. */
static int st_stacks_wait(struct st_stacks *t, struct st_nl *nl)
{
	uint64_t now = st_now_mono(), end = 0, deadline;
	int w, rc;

	if (t->ms)
		end = now + t->ms * 1000000ull;
	for (;;) {
		deadline = end;
		if (t->us) {
			uint64_t tick = st_now_mono() + 1000000000ull;

			if (!deadline || tick < deadline)
				deadline = tick;
		}
		w = st_wait(st_nl_watch_fd(nl), deadline);
		if (w == -1)
			return ST_EXIT_OK;
		if (w < 0) {
			perror("socktap: waiting");
			return ST_EXIT_ERROR;
		}
		if (w == 1) {
			if (!st_nl_gone(nl))
				continue;
			fprintf(stderr, "socktap: the socktap module was unloaded\n");
			return ST_EXIT_NOMODULE;
		}
		if (end && st_now_mono() >= end)
			return ST_EXIT_OK;
		rc = st_nl_session_call(nl, SOCKTAP_CMD_STACK_GET, 1, NULL,
					NULL, st_poll_cb, t);
		if (rc)
			return rc;
	}
}

/*
 * The table and the session's totals.  The session runs on while they
 * are read: when its hits moved during the dump, read again (a few
 * times), so that the counts add up to the hits when calls pause.
 */
static int st_stacks_collect(struct st_stacks *t, struct st_nl *nl,
			     struct st_status *s)
{
	struct st_status before;
	int rc, tries;

	for (tries = 0; tries < 3; tries++) {
		rc = st_status_fetch(nl, &before);
		st_stack_free(&t->l);
		if (!rc)
			rc = st_nl_session_call(nl, SOCKTAP_CMD_STACK_GET, 1,
						NULL, NULL, st_stack_cb, t);
		if (!rc)
			rc = st_status_fetch(nl, s);
		if (rc || before.stack_hits == s->stack_hits)
			break;
	}
	return rc;
}

static const char *st_stacks_ksym(void *arg, uint64_t addr, int ret,
				  char *buf, size_t n)
{
	struct st_stacks *t = arg;

	return t->have_ks ? st_ksym_fmt(&t->ks, addr, ret, buf, n) : NULL;
}

static int st_stacks_usym(void *arg, uint32_t pid, uint64_t addr, int ret,
			  struct st_usym *r)
{
	struct st_stacks *t = arg;

	return t->us ? st_usym_lookup(t->us, pid, addr, ret, r) : -1;
}

static int st_stacks_show(struct st_stacks *t, const struct st_status *s)
{
	struct st_stack_syms sy = {
		.kern = st_stacks_ksym, .user = st_stacks_usym, .arg = t,
	};
	uint64_t hits = 0;
	size_t i, first;
	struct json j;
	int rc = ST_EXIT_OK;

	for (i = 0; i < t->l.n; i++)
		hits += t->l.v[i].count;
	if (s->have & ST_HAVE_STACK_SESSION)
		hits = s->stack_hits;
	first = st_stack_sort(&t->l, t->top);
	if (t->o->json) {
		json_init(&j, stdout);
		json_begin_object(&j);
		json_kv_string(&j, "function", t->func);
		json_kv_string(&j, "mode", st_stack_mode_name(t->mode));
		json_kv_uint(&j, "hits", hits);
		json_kv_uint(&j, "missed", s->stack_missed);
		json_kv_uint(&j, "dropped", s->stack_dropped);
		json_key(&j, "stacks");
		json_begin_array(&j);
		for (i = first; i < t->l.n; i++)
			st_stack_json(&j, &t->l.v[i], t->mode, &sy);
		json_end_array(&j);
		json_end_object(&j);
		if (json_finish(&j))
			rc = ST_EXIT_ERROR;
	} else {
		for (i = first; i < t->l.n; i++)
			st_stack_print(stdout, &t->l.v[i], t->mode, &sy);
		if (t->l.n)
			putchar('\n');
		if (first)
			printf("(the %zu stacks with the most calls of %zu)\n",
			       t->l.n - first, t->l.n);
		st_stack_summary(stdout, t->l.n, hits, s->stack_dropped,
				 s->stack_missed);
	}
	if (fflush(stdout)) {
		perror("socktap: stdout");
		rc = ST_EXIT_ERROR;
	}
	return rc;
}

static void st_stacks_ksyms(struct st_stacks *t)
{
	if (!(t->mode & SOCKTAP_STACK_KERNEL))
		return;
	if (st_ksyms_load(&t->ks, ST_KALLSYMS_PATH)) {
		fprintf(stderr, "socktap stacks: kernel frames shown in hex: %s: %s\n",
			ST_KALLSYMS_PATH, strerror(errno));
		return;
	}
	if (t->ks.hidden) {
		fprintf(stderr,
			"socktap stacks: kernel frames shown in hex: %s shows no addresses\n"
			"  (kptr_restrict, or not root)\n", ST_KALLSYMS_PATH);
		return;
	}
	t->have_ks = 1;
}

static const struct option st_stacks_longopts[] = {
	{ "kernel", no_argument, NULL, 'k' },
	{ "user", no_argument, NULL, 'u' },
	{ NULL, 0, NULL, 0 },
};

static int st_stacks_opts(struct st_stacks *t, int argc, char **argv)
{
	const char *why = NULL;
	uint64_t v;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "kud:n:hj", st_stacks_longopts,
				NULL)) != -1) {
		switch (c) {
		case 'k':
			t->mode |= SOCKTAP_STACK_KERNEL;
			break;
		case 'u':
			t->mode |= SOCKTAP_STACK_USER;
			break;
		case 'd':
			if (st_parse_seconds(optarg, &t->ms, &why)) {
				fprintf(stderr, "socktap stacks: -d %s: %s\n", optarg, why);
				return ST_EXIT_USAGE;
			}
			break;
		case 'n':
			if (st_parse_uint(optarg, 1000000000, &v, &why) || !v) {
				fprintf(stderr, "socktap stacks: -n %s: %s\n", optarg,
					why ? why : "must be at least 1");
				return ST_EXIT_USAGE;
			}
			t->top = (size_t)v;
			break;
		case 'h':
			usage(stdout);
			return ST_EXIT_OK;
		case 'j':
			t->o->json = 1;
			break;
		default:
			usage(stderr);
			return ST_EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "socktap stacks: one function at a time\n");
		usage(stderr);
		return ST_EXIT_USAGE;
	}
	if (!t->mode)
		t->mode = SOCKTAP_STACK_KERNEL;
	return -1;
}

int cmd_stacks(int argc, char **argv, struct st_opts *o)
{
	struct st_stacks t = { .o = o };
	char alias[SOCKTAP_FUNC_NAME_MAX + 16];
	const char *func;
	struct st_status s;
	struct st_nl nl;
	int rc;

	rc = st_stacks_opts(&t, argc, argv);
	if (rc >= 0)
		return rc;
	func = optind < argc ? argv[optind] : "ip_output";
	if (!*func || strlen(func) >= SOCKTAP_FUNC_NAME_MAX) {
		fprintf(stderr, "socktap stacks: not a function name: '%s'\n", func);
		return ST_EXIT_USAGE;
	}
	func = st_stacks_resolve(func, alias, sizeof(alias));
	if (strlen(func) >= SOCKTAP_FUNC_NAME_MAX) {
		fprintf(stderr, "socktap stacks: name too long: %s\n", func);
		return ST_EXIT_USAGE;
	}
	snprintf(t.func, sizeof(t.func), "%.*s", (int)sizeof(t.func) - 1, func);
	if (st_loop_init()) {
		perror("socktap: signals");
		return ST_EXIT_ERROR;
	}
	rc = st_nl_open(&nl);
	if (rc)
		return rc;
	rc = st_nl_watch(&nl);
	if (!rc)
		rc = st_stacks_start(&t, &nl);
	if (rc)
		goto out;
	st_stacks_ksyms(&t);
	if (t.mode & SOCKTAP_STACK_USER) {
		/* Symbols from the files here, never fetched over the network. */
		if (unsetenv("DEBUGINFOD_URLS"))
			perror("socktap: unsetenv");
		t.us = st_usyms_new();
		if (!t.us) {
			fprintf(stderr, "socktap: out of memory\n");
			rc = ST_EXIT_ERROR;
			goto out;
		}
	}
	if (t.ms)
		fprintf(stderr, "sampling %s stacks of %s for %.3g s (Ctrl-C ends it early)\n",
			st_stack_mode_name(t.mode), t.func, (double)t.ms / 1000.0);
	else
		fprintf(stderr, "sampling %s stacks of %s, Ctrl-C to end\n",
			st_stack_mode_name(t.mode), t.func);
	rc = st_stacks_wait(&t, &nl);
	if (!rc)
		rc = st_stacks_collect(&t, &nl, &s);
	/* Closing the socket ends the session. */
	st_nl_close(&nl);
	if (rc)
		goto free;
	if (t.snap_failed)
		fprintf(stderr,
			"socktap stacks: %zu processes were gone (or not readable) before their\n"
			"  memory maps were read: their user frames are [unknown]\n",
			t.snap_failed);
	if (t.snap_skipped)
		fprintf(stderr,
			"socktap stacks: more than %d processes: the user frames of some are [unknown]\n",
			ST_USYM_PROCS_MAX);
	rc = st_stacks_show(&t, &s);
	goto free;
out:
	st_nl_close(&nl);
free:
	st_stack_free(&t.l);
	st_usyms_free(t.us);
	st_ksyms_free(&t.ks);
	return rc;
}
