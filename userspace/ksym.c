// SPDX-License-Identifier: GPL-2.0
#include "ksym.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* t/T text, w/W weak (text in practice): what a stack can point into. */
static int st_ksym_text_type(char type)
{
	type = (char)tolower((unsigned char)type);
	return type == 't' || type == 'w';
}

static int st_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int st_ksym_split(char *line, struct st_ksym_line *l)
{
	char *p = line, *name, *mod = NULL, *end;
	uint64_t a = 0;
	int d, digits = 0;

	while ((d = st_hexval(*p)) >= 0) {
		if (++digits > 16)
			return 0;
		a = a << 4 | (uint64_t)d;
		p++;
	}
	if (!digits || *p != ' ' || !p[1] || p[2] != ' ' || !p[3])
		return 0;
	name = p + 3;
	end = name + strcspn(name, " \t");
	if (*end) {
		/* "\t[module]" */
		*end++ = '\0';
		end += strspn(end, " \t");
		if (*end == '[') {
			mod = end + 1;
			mod[strcspn(mod, "]")] = '\0';
		}
	}
	if (!*name)
		return 0;
	l->addr = a;
	l->type = p[1];
	l->name = name;
	l->mod = mod && *mod ? mod : NULL;
	return 1;
}


/* By address; equal ones in file order (the caller's index). */
struct st_ksym_ord {
	struct st_ksym s;
	size_t seq;
};

static int st_ksym_cmp(const void *a, const void *b)
{
	const struct st_ksym_ord *x = a, *y = b;

	if (x->s.addr != y->s.addr)
		return x->s.addr < y->s.addr ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int st_ksyms_parse(struct st_ksyms *k, char *buf)
{
	struct st_ksym_ord *o = NULL, *no;
	size_t n = 0, cap = 0, i, lines_with_addr = 0, nonzero = 0;
	char *line = buf, *nl;
	struct st_ksym_line l;
	struct st_ksym s;
	int has;

	memset(k, 0, sizeof(*k));
	k->buf = buf;
	while (line && *line) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		has = st_ksym_split(line, &l);
		if (has && st_ksym_text_type(l.type)) {
			s.addr = l.addr;
			s.name = l.name;
			s.mod = l.mod;
			if (n == cap) {
				cap = cap ? cap * 2 : 4096;
				no = realloc(o, cap * sizeof(*o));
				if (!no) {
					free(o);
					return -1;
				}
				o = no;
			}
			o[n].s = s;
			o[n].seq = n;
			n++;
		}
		if (has) {
			lines_with_addr++;
			nonzero += l.addr != 0;
		}
		line = nl ? nl + 1 : NULL;
	}
	/* kptr_restrict (or no CAP_SYSLOG) shows every address as 0. */
	if (lines_with_addr && !nonzero) {
		k->hidden = 1;
		free(o);
		return 0;
	}
	if (!n) {
		free(o);
		return 0;
	}
	qsort(o, n, sizeof(*o), st_ksym_cmp);
	k->v = malloc(n * sizeof(*k->v));
	if (!k->v) {
		free(o);
		return -1;
	}
	/* One name per address: the first kallsyms lists. */
	for (i = 0; i < n; i++)
		if (!k->n || k->v[k->n - 1].addr != o[i].s.addr)
			k->v[k->n++] = o[i].s;
	free(o);
	return 0;
}

int st_ksyms_load(struct st_ksyms *k, const char *path)
{
	char *buf;

	memset(k, 0, sizeof(*k));
	if (st_read_text(path, &buf))
		return -1;
	return st_ksyms_parse(k, buf);
}

void st_ksyms_free(struct st_ksyms *k)
{
	free(k->v);
	free(k->buf);
	memset(k, 0, sizeof(*k));
}

const char *st_ksym_fmt(const struct st_ksyms *k, uint64_t addr, int ret,
			char *buf, size_t n)
{
	uint64_t key = ret && addr ? addr - 1 : addr;
	size_t lo = 0, hi = k->n;
	const struct st_ksym *s;

	if (!k->n || k->hidden || key < k->v[0].addr)
		return NULL;
	/* The last symbol at or below key. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->v[mid].addr <= key)
			lo = mid;
		else
			hi = mid;
	}
	s = &k->v[lo];
	if (s->mod)
		snprintf(buf, n, "%s+0x%" PRIx64 " [%s]", s->name, addr - s->addr,
			 s->mod);
	else
		snprintf(buf, n, "%s+0x%" PRIx64, s->name, addr - s->addr);
	return buf;
}
