// SPDX-License-Identifier: GPL-2.0
#include "dropreason.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define ST_DR_PREFIX	"SKB_DROP_REASON_"

static int st_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* "\tfield:enum skb_drop_reason reason;\toffset:28;..." declares reason. */
static int st_dr_field_is_reason(const char *line, const char *eol)
{
	const char *p = strstr(line, "field:"), *semi, *end;

	if (!p || p >= eol)
		return 0;
	p += strlen("field:");
	semi = memchr(p, ';', (size_t)(eol - p));
	if (!semi)
		return 0;
	end = semi;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	/* An array: "char name[16]". */
	if (end > p && end[-1] == ']') {
		while (end > p && end[-1] != '[')
			end--;
		if (end > p)
			end--;
	}
	p = end;
	while (p > line && st_ident_char(p[-1]))
		p--;
	return end - p == 6 && !memcmp(p, "reason", 6);
}

static int st_dr_has_reason(const char *text)
{
	const char *line = text, *eol;

	while (*line) {
		eol = line + strcspn(line, "\n");
		if (st_dr_field_is_reason(line, eol))
			return 1;
		line = *eol ? eol + 1 : eol;
	}
	return 0;
}

static const char *st_skip_space(const char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

/* Just past "__print_symbolic(REC->reason," of the print fmt, or NULL. */
static const char *st_dr_symbolic(const char *text)
{
	const char *p = strstr(text, "print fmt:");

	while (p && (p = strstr(p, "__print_symbolic(")) != NULL) {
		p = st_skip_space(p + strlen("__print_symbolic("));
		if (strncmp(p, "REC->reason", 11) || st_ident_char(p[11]))
			continue;
		p = st_skip_space(p + 11);
		if (*p == ',')
			return p + 1;
	}
	return NULL;
}

/* A whole number key: decimal, or hex as 0x..; not a symbol. */
static int st_dr_key(const char *s, size_t len, uint32_t *out)
{
	unsigned long long v;
	char num[32], *end;

	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (!len || len >= sizeof(num) || !isdigit((unsigned char)s[0]))
		return -1;
	memcpy(num, s, len);
	num[len] = '\0';
	errno = 0;
	v = strtoull(num, &end, 0);
	if (errno || *end || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int st_dr_cmp(const void *a, const void *b)
{
	const struct st_dropreason *x = a, *y = b;

	return x->num < y->num ? -1 : x->num > y->num;
}

/* By number, then in the order listed (names are stored in that order). */
static int st_dr_sort_cmp(const void *a, const void *b)
{
	const struct st_dropreason *x = a, *y = b;
	int c = st_dr_cmp(a, b);

	if (c)
		return c;
	return x->name < y->name ? -1 : x->name > y->name;
}

/*
 * The { N, "NAME" } pairs from p to the closing parenthesis: names copied
 * to t->names, pairs whose key is not a number (an enum the kernel did
 * not resolve) skipped.  Returns 0, or -1 out of memory.
 */
static int st_dr_pairs(struct st_dropreasons *t, const char *p)
{
	char *dst = t->names;
	size_t cap = 0;
	struct st_dropreason *nv;
	const char *key, *name;
	size_t klen, nlen;
	uint32_t num;

	for (;;) {
		while (isspace((unsigned char)*p) || *p == ',')
			p++;
		if (*p != '{')
			break;
		key = st_skip_space(p + 1);
		klen = strcspn(key, ",}");
		if (key[klen] != ',')
			break;
		name = st_skip_space(key + klen + 1);
		if (*name != '"')
			break;
		name++;
		nlen = strcspn(name, "\"");
		if (name[nlen] != '"')
			break;
		p = st_skip_space(name + nlen + 1);
		if (*p != '}')
			break;
		p++;
		if (st_dr_key(key, klen, &num))
			continue;
		if (nlen > strlen(ST_DR_PREFIX) &&
		    !strncmp(name, ST_DR_PREFIX, strlen(ST_DR_PREFIX))) {
			name += strlen(ST_DR_PREFIX);
			nlen -= strlen(ST_DR_PREFIX);
		}
		if (t->n == cap) {
			cap = cap ? cap * 2 : 128;
			nv = realloc(t->v, cap * sizeof(*nv));
			if (!nv)
				return -1;
			t->v = nv;
		}
		memcpy(dst, name, nlen);
		dst[nlen] = '\0';
		t->v[t->n].num = num;
		t->v[t->n].name = dst;
		t->n++;
		dst += nlen + 1;
	}
	return 0;
}

int st_dropreasons_parse(struct st_dropreasons *t, const char *text)
{
	const char *p;
	size_t i, n;

	memset(t, 0, sizeof(*t));
	if (!st_dr_has_reason(text)) {
		t->kind = ST_DR_NONE;
		return 0;
	}
	t->kind = ST_DR_TABLE;
	p = st_dr_symbolic(text);
	if (!p)
		return 0;
	/* Every name is shorter than the text it comes from. */
	t->names = malloc(strlen(p) + 1);
	if (!t->names || st_dr_pairs(t, p)) {
		st_dropreasons_free(t);
		t->kind = ST_DR_UNKNOWN;
		return -1;
	}
	if (!t->n)
		return 0;
	qsort(t->v, t->n, sizeof(*t->v), st_dr_sort_cmp);
	/* A number listed twice: the first listing wins. */
	for (i = 1, n = 1; i < t->n; i++)
		if (t->v[i].num != t->v[n - 1].num)
			t->v[n++] = t->v[i];
	t->n = n;
	return 0;
}

int st_dropreasons_load(struct st_dropreasons *t, const char **path)
{
	static const char *const paths[] = {
		ST_KFREE_SKB_FORMAT, ST_KFREE_SKB_FORMAT_DBG,
	};
	const char *failed = NULL;
	int err = 0, rc;
	char *text;
	size_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		if (st_read_text(paths[i], &text)) {
			/* Report the first failure that is not "not there". */
			if (!failed || (err == ENOENT && errno != ENOENT)) {
				failed = paths[i];
				err = errno;
			}
			continue;
		}
		rc = st_dropreasons_parse(t, text);
		free(text);
		if (rc) {
			*path = paths[i];
			errno = ENOMEM;
			return -1;
		}
		return 0;
	}
	*path = failed;
	errno = err;
	return -1;
}

void st_dropreasons_free(struct st_dropreasons *t)
{
	free(t->v);
	free(t->names);
	memset(t, 0, sizeof(*t));
}

const char *st_dropreason_name(const struct st_dropreasons *t,
			       uint32_t reason)
{
	struct st_dropreason key = { .num = reason }, *r;

	if (t->kind != ST_DR_TABLE || !t->n)
		return NULL;
	r = bsearch(&key, t->v, t->n, sizeof(*t->v), st_dr_cmp);
	return r ? r->name : NULL;
}

const char *st_dropreason_text(const struct st_dropreasons *t,
			       uint32_t reason, char *buf, size_t n)
{
	const char *name;

	if (t->kind == ST_DR_NONE)
		return "-";
	name = st_dropreason_name(t, reason);
	if (name)
		return name;
	snprintf(buf, n, "%u", reason);
	return buf;
}
