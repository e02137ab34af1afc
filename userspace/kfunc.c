// SPDX-License-Identifier: GPL-2.0
#include "kfunc.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/socktap.h>

#include "ksym.h"
#include "util.h"

int st_kfunc_is_entry(const char *name, const char *mod)
{
	if (!*name || !strncmp(name, "__pfx_", 6) ||
	    !strncmp(name, "__cfi_", 6) || strstr(name, ".cold"))
		return 0;
	/* JIT'ed BPF programs, ftrace/kprobe trampolines and insn slots. */
	if (mod && (!strcmp(mod, "bpf") || !strncmp(mod, "__builtin__", 11)))
		return 0;
	return 1;
}

/* A function entry of kallsyms (t/T): 1 with *f filled, else 0. */
static int st_kfunc_line(char *line, struct st_kfunc *f)
{
	struct st_ksym_line l;

	if (!st_ksym_split(line, &l) || (l.type != 't' && l.type != 'T') ||
	    !st_kfunc_is_entry(l.name, l.mod))
		return 0;
	memset(f, 0, sizeof(*f));
	f->name = l.name;
	f->mod = l.mod;
	f->known = 1;
	return 1;
}

/* By name; equal ones in file order. */
struct st_kfunc_ord {
	struct st_kfunc f;
	size_t seq;
};

static int st_kfunc_ord_cmp(const void *a, const void *b)
{
	const struct st_kfunc_ord *x = a, *y = b;
	int c = strcmp(x->f.name, y->f.name);

	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int st_kfuncs_parse(struct st_kfuncs *k, char *buf)
{
	struct st_kfunc_ord *o = NULL, *no;
	size_t n = 0, cap = 0, i;
	char *line = buf, *nl;
	struct st_kfunc f;

	memset(k, 0, sizeof(*k));
	k->buf = buf;
	while (line && *line) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (st_kfunc_line(line, &f)) {
			if (n == cap) {
				cap = cap ? cap * 2 : 4096;
				no = realloc(o, cap * sizeof(*o));
				if (!no) {
					free(o);
					return -1;
				}
				o = no;
			}
			o[n].f = f;
			o[n].seq = n;
			n++;
		}
		line = nl ? nl + 1 : NULL;
	}
	if (!n)
		return 0;
	qsort(o, n, sizeof(*o), st_kfunc_ord_cmp);
	k->v = malloc(n * sizeof(*k->v));
	if (!k->v) {
		free(o);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (!k->n || strcmp(k->v[k->n - 1].name, o[i].f.name))
			k->v[k->n++] = o[i].f;
	free(o);
	return 0;
}

int st_kfuncs_load(struct st_kfuncs *k, const char *path)
{
	char *buf;

	memset(k, 0, sizeof(*k));
	if (st_read_text(path, &buf))
		return -1;
	if (st_kfuncs_parse(k, buf)) {
		st_kfuncs_free(k);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void st_kfuncs_free(struct st_kfuncs *k)
{
	free(k->v);
	free(k->buf);
	memset(k, 0, sizeof(*k));
}

static int st_kfunc_key_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct st_kfunc *)elem)->name);
}

const struct st_kfunc *st_kfuncs_find(const struct st_kfuncs *k,
				      const char *name)
{
	if (!k->n)
		return NULL;
	return bsearch(name, k->v, k->n, sizeof(*k->v), st_kfunc_key_cmp);
}

static int st_name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int st_blacklist_parse(struct st_names *b, char *buf)
{
	size_t cap = 0, i, n = 0;
	char *line = buf, *nl, *name;
	const char **nv;

	memset(b, 0, sizeof(*b));
	b->buf = buf;
	while (line && *line) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		/* "0xSTART-0xEND" then blanks then the symbol. */
		name = line + strcspn(line, " \t");
		name += strspn(name, " \t");
		name[strcspn(name, " \t")] = '\0';
		if (name != line && *name) {
			if (b->n == cap) {
				cap = cap ? cap * 2 : 1024;
				nv = realloc(b->v, cap * sizeof(*nv));
				if (!nv)
					return -1;
				b->v = nv;
			}
			b->v[b->n++] = name;
		}
		line = nl ? nl + 1 : NULL;
	}
	if (!b->n)
		return 0;
	qsort(b->v, b->n, sizeof(*b->v), st_name_cmp);
	for (i = 0; i < b->n; i++)
		if (!n || strcmp(b->v[n - 1], b->v[i]))
			b->v[n++] = b->v[i];
	b->n = n;
	return 0;
}

int st_blacklist_load(struct st_names *b, const char *path)
{
	char *buf;

	memset(b, 0, sizeof(*b));
	if (st_read_text(path, &buf))
		return -1;
	if (st_blacklist_parse(b, buf)) {
		st_names_free(b);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void st_names_free(struct st_names *b)
{
	free(b->v);
	free(b->buf);
	memset(b, 0, sizeof(*b));
}

int st_names_has(const struct st_names *b, const char *name)
{
	if (!b || !b->n)
		return 0;
	return bsearch(&name, b->v, b->n, sizeof(*b->v), st_name_cmp) != NULL;
}

int st_glob_is_literal(const char *glob)
{
	return !strpbrk(glob, "*?[");
}

static int st_sel_push(struct st_kfunc_sel *s, const struct st_kfunc *f)
{
	struct st_kfunc *nv;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;

		nv = realloc(s->v, cap * sizeof(*nv));
		if (!nv)
			return -1;
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = *f;
	return 0;
}

static int st_kfunc_cmp(const void *a, const void *b)
{
	return strcmp(((const struct st_kfunc *)a)->name,
		      ((const struct st_kfunc *)b)->name);
}

int st_kfuncs_select(const struct st_kfuncs *k, const struct st_names *bl,
		     char *const *globs, int nglobs, size_t *matched,
		     struct st_kfunc_sel *out)
{
	struct st_kfunc lit;
	size_t i, n;
	int g, hit;

	memset(out, 0, sizeof(*out));
	if (matched)
		memset(matched, 0, (size_t)nglobs * sizeof(*matched));
	for (i = 0; i < k->n; i++) {
		hit = 0;
		for (g = 0; g < nglobs; g++) {
			if (fnmatch(globs[g], k->v[i].name, 0))
				continue;
			hit = 1;
			if (matched)
				matched[g]++;
		}
		if (!hit)
			continue;
		if (strlen(k->v[i].name) >= SOCKTAP_FUNC_NAME_MAX) {
			out->too_long++;
			continue;
		}
		if (st_sel_push(out, &k->v[i]))
			goto oom;
	}
	/* Literal names kallsyms does not list: the kernel decides. */
	for (g = 0; g < nglobs; g++) {
		if (!st_glob_is_literal(globs[g]) || st_kfuncs_find(k, globs[g]))
			continue;
		for (i = 0; i < out->n && strcmp(out->v[i].name, globs[g]); i++)
			;
		if (i < out->n)
			continue;	/* given twice */
		if (strlen(globs[g]) >= SOCKTAP_FUNC_NAME_MAX) {
			out->too_long++;
			continue;
		}
		memset(&lit, 0, sizeof(lit));
		lit.name = globs[g];
		if (st_sel_push(out, &lit))
			goto oom;
		if (matched)
			matched[g]++;
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), st_kfunc_cmp);
	for (n = 0; n < out->n; n++) {
		out->v[n].blacklisted = st_names_has(bl, out->v[n].name);
		out->blacklisted += out->v[n].blacklisted;
	}
	return 0;
oom:
	st_kfunc_sel_free(out);
	return -1;
}

void st_kfunc_sel_free(struct st_kfunc_sel *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

size_t st_func_batch_len(struct st_kfunc *const *v, size_t n,
			 size_t max_names, size_t max_bytes)
{
	size_t i, bytes = 0, len;

	for (i = 0; i < n && i < max_names; i++) {
		len = strlen(v[i]->name) + 1;
		if (i && bytes + len > max_bytes)
			break;
		bytes += len;
	}
	return i;
}

const char *st_func_error_words(uint32_t err)
{
	switch (err) {
	case ENOENT:
		return "no such symbol";
	case EINVAL:
		return "blacklisted or not a function entry";
	case EILSEQ:
		return "not an instruction boundary";
	case EADDRNOTAVAIL:
		return "the name is not unique";
	case EBUSY:
	case ENOSPC:
		return "count_max reached";
	case EEXIST:
		return "already counted";
	default:
		return NULL;
	}
}

const char *st_errno_name(uint32_t err, char *buf, size_t n)
{
	static const struct {
		uint32_t err;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EIO, "EIO" },
		{ E2BIG, "E2BIG" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
		{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
		{ ENODEV, "ENODEV" }, { EINVAL, "EINVAL" }, { ENOSPC, "ENOSPC" },
		{ ERANGE, "ERANGE" }, { ENOSYS, "ENOSYS" }, { EILSEQ, "EILSEQ" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { EADDRNOTAVAIL, "EADDRNOTAVAIL" },
		{ EMSGSIZE, "EMSGSIZE" }, { EAGAIN, "EAGAIN" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(buf, n, "errno %u", err);
	return buf;
}

int st_kfunc_refused(const struct st_kfunc *f)
{
	/* The kernel's answer, when there is one, over the blacklist file. */
	if (f->checked)
		return f->error != 0;
	return f->blacklisted || f->error;
}

const char *st_kfunc_reason(const struct st_kfunc *f, char *buf, size_t n)
{
	const char *words;

	if (f->error) {
		words = st_func_error_words(f->error);
		if (words)
			snprintf(buf, n, "%s (%s)", strerror((int)f->error), words);
		else
			snprintf(buf, n, "%s", strerror((int)f->error));
	} else if (f->blacklisted && !f->checked) {
		snprintf(buf, n, "on the kprobe blacklist");
	} else if (n) {
		buf[0] = '\0';
	}
	return buf;
}
