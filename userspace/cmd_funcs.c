// SPDX-License-Identifier: GPL-2.0
/*
 * socktap funcs: the kernel functions a kprobe can attach to, like
 * stap -l 'kernel.function("tcp_*")' or bpftrace -l 'kprobe:tcp_*'.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "funcnl.h"
#include "json.h"
#include "kfunc.h"
#include "nl.h"
#include "util.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: socktap funcs [-a] [-j] [-h] [GLOB...]\n"
		"\n"
		"The kernel functions a kprobe can attach to, whose names match one\n"
		"of the shell GLOBs (default: all), one per line, sorted: the text\n"
		"symbols of /proc/kallsyms that are function entries (no __pfx_,\n"
		"__cfi_ or .cold parts; .isra.N, .constprop.N, .part.N are), each\n"
		"name once, with ' [module]' for a module's, less the kprobe\n"
		"blacklist (/sys/kernel/debug/kprobes/blacklist, when readable and\n"
		"the kprobe layer cannot be asked).\n"
		"A GLOB without wildcards that kallsyms lacks is looked up too.\n"
		"\n"
		"With the module loaded and CAP_NET_ADMIN, the kprobe layer is asked\n"
		"about each one (a disabled kprobe is registered and removed again;\n"
		"for thousands of functions this takes a while) and the line says\n"
		"how it would attach: [FTRACE] through ftrace at the entry, [INT3]\n"
		"through a breakpoint.  Otherwise stderr says why not, and the list\n"
		"is what kallsyms and the blacklist allow.\n"
		"\n"
		"  -a         also the refused functions, each with the reason:\n"
		"             no such symbol, blacklisted or not a function entry,\n"
		"             not an instruction boundary, the name is not unique\n"
		"  -j         one JSON array: {\"name\",\"module\" (null for the kernel),\n"
		"             \"checked\",\"probeable\",\"ftrace\" (null if not checked),\n"
		"             \"error\" (\"EINVAL\", ... or null),\"reason\"}\n"
		"  -h         this help\n"
		"\n"
		"The last line, on stderr: N functions (M checked, K refused); N\n"
		"counts the probe-able ones listed, K those refused.\n"
		"\n"
		"  socktap funcs 'tcp_*'        socktap funcs -a 'tcp_v4_*' 'inet_*'\n");
}

struct st_funcs {
	struct st_kfuncs k;
	struct st_names bl;
	struct st_kfunc_sel sel;
	int all;
	size_t checked, refused, shown;
};

/*
 * Ask the kprobe layer about every row, the blacklisted ones too: its
 * answer is the one that counts.
 */
static int st_funcs_check(struct st_funcs *f, struct st_nl *nl,
			  const char **why, char *whybuf, size_t whylen)
{
	struct st_kfunc **v;
	size_t i, n = 0, off, len, lost = 0, un;
	int rc = ST_EXIT_OK;

	v = malloc((f->sel.n ? f->sel.n : 1) * sizeof(*v));
	if (!v) {
		fprintf(stderr, "socktap: out of memory\n");
		return ST_EXIT_ERROR;
	}
	for (i = 0; i < f->sel.n; i++)
		v[n++] = &f->sel.v[i];
	if (n > 4096)
		fprintf(stderr, "socktap funcs: asking the kprobe layer about %zu functions...\n",
			n);
	nl->quiet = 1;
	for (off = 0; off < n; off += len) {
		len = st_funcs_batch_len(v + off, n - off);
		rc = st_funcs_request(nl, SOCKTAP_CMD_FUNC_CHECK, v + off, len,
				      &un);
		if (rc)
			break;
		lost += un;
	}
	nl->quiet = 0;
	if (rc) {
		/* Half an answer is no answer: list them all unchecked. */
		for (i = 0; i < n; i++)
			v[i]->checked = v[i]->error = v[i]->flags = 0;
		if (rc == ST_EXIT_PERM)
			*why = "permission denied (needs CAP_NET_ADMIN)";
		else if (nl->err == -EOPNOTSUPP)
			*why = "the loaded module is older than this CLI (no FUNC_CHECK)";
		else if (nl->err) {
			snprintf(whybuf, whylen, "the module refused: %s",
				 nl->errmsg[0] ? nl->errmsg : strerror(-nl->err));
			*why = whybuf;
		} else {
			*why = "talking to the module failed";
		}
	} else if (lost) {
		fprintf(stderr, "socktap funcs: warning: the module did not answer for %zu functions\n",
			lost);
	}
	free(v);
	return rc;
}

/* Not checked: names kallsyms lacks are refused here. */
static void st_funcs_unchecked(struct st_funcs *f)
{
	size_t i;

	for (i = 0; i < f->sel.n; i++)
		if (!f->sel.v[i].known)
			f->sel.v[i].error = ENOENT;
}

static void st_funcs_count(struct st_funcs *f)
{
	size_t i;

	for (i = 0; i < f->sel.n; i++) {
		const struct st_kfunc *r = &f->sel.v[i];

		f->checked += r->checked;
		if (st_kfunc_refused(r))
			f->refused++;
		else
			f->shown++;
	}
}

static void st_funcs_text(const struct st_funcs *f)
{
	char reason[128];
	size_t i;

	for (i = 0; i < f->sel.n; i++) {
		const struct st_kfunc *r = &f->sel.v[i];
		int refused = st_kfunc_refused(r);

		if (refused && !f->all)
			continue;
		fputs(r->name, stdout);
		if (r->mod)
			printf(" [%s]", r->mod);
		if (refused)
			printf(" refused: %s", st_kfunc_reason(r, reason,
							     sizeof(reason)));
		else if (r->checked)
			fputs(r->flags & SOCKTAP_FUNC_FTRACE ? " [FTRACE]" :
			      " [INT3]", stdout);
		putchar('\n');
	}
}

static int st_funcs_json(const struct st_funcs *f)
{
	char reason[128], num[24];
	struct json j;
	size_t i;

	json_init(&j, stdout);
	json_begin_array(&j);
	for (i = 0; i < f->sel.n; i++) {
		const struct st_kfunc *r = &f->sel.v[i];
		int refused = st_kfunc_refused(r);

		if (refused && !f->all)
			continue;
		json_begin_object(&j);
		json_kv_string(&j, "name", r->name);
		json_key(&j, "module");
		if (r->mod)
			json_string(&j, r->mod);
		else
			json_null(&j);
		json_key(&j, "checked");
		json_bool(&j, r->checked);
		json_key(&j, "probeable");
		json_bool(&j, !refused);
		json_key(&j, "ftrace");
		if (r->checked && !refused)
			json_bool(&j, !!(r->flags & SOCKTAP_FUNC_FTRACE));
		else
			json_null(&j);
		json_key(&j, "error");
		if (r->error)
			json_string(&j, st_errno_name(r->error, num, sizeof(num)));
		else
			json_null(&j);
		json_key(&j, "reason");
		if (refused)
			json_string(&j, st_kfunc_reason(r, reason, sizeof(reason)));
		else
			json_null(&j);
		json_end_object(&j);
	}
	json_end_array(&j);
	return json_finish(&j) ? ST_EXIT_ERROR : ST_EXIT_OK;
}

int cmd_funcs(int argc, char **argv, struct st_opts *o)
{
	static char *all_glob[] = { "*" };
	struct st_funcs f = { 0 };
	char whybuf[300];
	const char *why = NULL;
	char **globs;
	struct st_nl nl;
	int c, nglobs, cap, rc;

	optind = 0;
	while ((c = getopt(argc, argv, "ahj")) != -1) {
		switch (c) {
		case 'a':
			f.all = 1;
			break;
		case 'h':
			usage(stdout);
			return ST_EXIT_OK;
		case 'j':
			o->json = 1;
			break;
		default:
			usage(stderr);
			return ST_EXIT_USAGE;
		}
	}
	globs = optind < argc ? argv + optind : all_glob;
	nglobs = optind < argc ? argc - optind : 1;
	if (st_kfuncs_load(&f.k, ST_KALLSYMS_PATH)) {
		fprintf(stderr, "socktap funcs: %s: %s\n", ST_KALLSYMS_PATH,
			strerror(errno));
		return ST_EXIT_ERROR;
	}
	/* Unreadable (no debugfs, not root): the kprobe layer still says. */
	if (st_blacklist_load(&f.bl, ST_KPROBE_BLACKLIST))
		memset(&f.bl, 0, sizeof(f.bl));
	if (st_kfuncs_select(&f.k, &f.bl, globs, nglobs, NULL, &f.sel)) {
		fprintf(stderr, "socktap: out of memory\n");
		rc = ST_EXIT_ERROR;
		goto out;
	}

	cap = st_have_cap(ST_CAP_NET_ADMIN);
	rc = ST_EXIT_ERROR;
	if (cap == 0) {
		why = "needs CAP_NET_ADMIN (run it as root)";
	} else {
		rc = st_nl_try_open(&nl);
		if (rc == ST_EXIT_NOMODULE)
			why = "the socktap module is not loaded";
		else if (rc)
			why = "cannot talk to the module";
	}
	if (!rc) {
		rc = st_funcs_check(&f, &nl, &why, whybuf, sizeof(whybuf));
		st_nl_close(&nl);
	}
	if (rc) {
		fprintf(stderr, "socktap funcs: not checked against the kprobe layer: %s\n",
			why);
		st_funcs_unchecked(&f);
	}
	st_funcs_count(&f);
	rc = ST_EXIT_OK;
	if (o->json)
		rc = st_funcs_json(&f);
	else
		st_funcs_text(&f);
	if (fflush(stdout)) {
		perror("socktap: stdout");
		rc = ST_EXIT_ERROR;
	}
	fprintf(stderr, "%zu functions (%zu checked, %zu refused)\n", f.shown,
		f.checked, f.refused);
	if (f.sel.too_long)
		fprintf(stderr, "%zu names skipped: longer than %d bytes\n",
			f.sel.too_long, SOCKTAP_FUNC_NAME_MAX - 1);
out:
	st_kfunc_sel_free(&f.sel);
	st_names_free(&f.bl);
	st_kfuncs_free(&f.k);
	return rc;
}
