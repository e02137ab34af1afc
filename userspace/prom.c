// SPDX-License-Identifier: GPL-2.0
#include "prom.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void prom_init(struct prom *p, FILE *out)
{
	memset(p, 0, sizeof(*p));
	p->out = out;
}

void prom_free(struct prom *p)
{
	size_t i;

	for (i = 0; i < p->nseen; i++)
		free(p->seen[i]);
	free(p->seen);
	p->seen = NULL;
	p->nseen = p->capseen = 0;
}

static int prom_name_char(int c, int first, int colon)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
		return 1;
	if (c == ':')
		return colon;
	return !first && c >= '0' && c <= '9';
}

int prom_valid_name(const char *s)
{
	const char *c;

	if (!s || !*s)
		return 0;
	for (c = s; *c; c++)
		if (!prom_name_char((unsigned char)*c, c == s, 1))
			return 0;
	return 1;
}

int prom_valid_label_name(const char *s)
{
	const char *c;

	/* Names starting with "__" are Prometheus' own. */
	if (!s || !*s || !strncmp(s, "__", 2))
		return 0;
	for (c = s; *c; c++)
		if (!prom_name_char((unsigned char)*c, c == s, 0))
			return 0;
	return 1;
}

const char *prom_sanitize(const char *s, char *buf, size_t n)
{
	size_t i;

	if (!n)
		return buf;
	for (i = 0; s[i] && i + 1 < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		buf[i] = ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ?
			 (char)c : '_';
	}
	buf[i] = '\0';
	return buf;
}

/* Length of the valid UTF-8 sequence at s (1 to 4), 0 if it is not one. */
static size_t prom_utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		/* Overlong forms and UTF-16 surrogates are not valid. */
		if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

void prom_escape_label(FILE *out, const char *s)
{
	const unsigned char *c = (const unsigned char *)(s ? s : "");
	size_t len;

	while (*c) {
		switch (*c) {
		case '\\':
			fputs("\\\\", out);
			c++;
			continue;
		case '"':
			fputs("\\\"", out);
			c++;
			continue;
		case '\n':
			fputs("\\n", out);
			c++;
			continue;
		}
		len = prom_utf8_len(c);
		if (!len) {
			fputs("\xef\xbf\xbd", out);	/* U+FFFD */
			c++;
			continue;
		}
		fwrite(c, 1, len, out);
		c += len;
	}
}

void prom_escape_help(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

static const char *prom_type_name(enum prom_type t)
{
	switch (t) {
	case PROM_COUNTER:
		return "counter";
	case PROM_GAUGE:
		return "gauge";
	case PROM_HISTOGRAM:
		return "histogram";
	}
	return "untyped";
}

/* Remember name; -1 if it was begun before or out of memory. */
static int prom_seen_add(struct prom *p, const char *name)
{
	char **v;
	size_t i;

	for (i = 0; i < p->nseen; i++)
		if (!strcmp(p->seen[i], name))
			return -1;
	if (p->nseen == p->capseen) {
		size_t cap = p->capseen ? p->capseen * 2 : 64;

		v = realloc(p->seen, cap * sizeof(*v));
		if (!v)
			return -1;
		p->seen = v;
		p->capseen = cap;
	}
	p->seen[p->nseen] = strdup(name);
	if (!p->seen[p->nseen])
		return -1;
	p->nseen++;
	return 0;
}

int prom_family(struct prom *p, const char *name, enum prom_type type,
		const char *help)
{
	if (!prom_valid_name(name) || strlen(name) >= PROM_NAME_MAX ||
	    prom_seen_add(p, name)) {
		p->error = 1;
		p->fam[0] = '\0';
		return -1;
	}
	snprintf(p->fam, sizeof(p->fam), "%s", name);
	p->type = type;
	fprintf(p->out, "# HELP %s ", name);
	prom_escape_help(p->out, help ? help : "");
	fprintf(p->out, "\n# TYPE %s %s\n", name, prom_type_name(type));
	return 0;
}

/* {a="x",b="y"} (with le last when given); nothing without labels. */
static void prom_labels(struct prom *p, const struct prom_label *l, size_t nl,
			const char *le)
{
	size_t i;

	if (!nl && !le)
		return;
	fputc('{', p->out);
	for (i = 0; i < nl; i++) {
		if (!prom_valid_label_name(l[i].name) ||
		    (p->type == PROM_HISTOGRAM && !strcmp(l[i].name, "le")))
			p->error = 1;
		fprintf(p->out, "%s%s=\"", i ? "," : "", l[i].name);
		prom_escape_label(p->out, l[i].value);
		fputc('"', p->out);
	}
	if (le)
		fprintf(p->out, "%sle=\"%s\"", nl ? "," : "", le);
	fputc('}', p->out);
}

void prom_sample(struct prom *p, const struct prom_label *l, size_t nl,
		 uint64_t v)
{
	if (!p->fam[0] || p->type == PROM_HISTOGRAM) {
		p->error = 1;
		return;
	}
	fputs(p->fam, p->out);
	prom_labels(p, l, nl, NULL);
	fprintf(p->out, " %" PRIu64 "\n", v);
}

uint64_t prom_bucket_max(enum prom_layout layout, unsigned int i)
{
	if (layout == PROM_QLEN) {
		if (i == 0)
			return 0;
		return i < 64 ? ((uint64_t)1 << i) - 1 : UINT64_MAX;
	}
	return i < 63 ? ((uint64_t)1 << (i + 1)) - 1 : UINT64_MAX;
}

const char *prom_decimal(uint64_t v, unsigned int scale, char *buf, size_t n)
{
	uint64_t div = 1, ip, fp;
	unsigned int i;
	int w;

	/* 10^19 is the largest power of ten a u64 holds. */
	if (scale > 19)
		scale = 19;
	for (i = 0; i < scale; i++)
		div *= 10;
	ip = v / div;
	fp = v % div;
	if (!fp) {
		snprintf(buf, n, "%" PRIu64, ip);
		return buf;
	}
	w = (int)scale;
	while (fp % 10 == 0) {
		fp /= 10;
		w--;
	}
	snprintf(buf, n, "%" PRIu64 ".%0*" PRIu64, ip, w, fp);
	return buf;
}

void prom_histogram(struct prom *p, const struct prom_label *l, size_t nl,
		    const struct prom_hist *h)
{
	char le[32], sum[32];
	uint64_t cum = 0;
	unsigned int i;

	if (!p->fam[0] || p->type != PROM_HISTOGRAM) {
		p->error = 1;
		return;
	}
	for (i = 0; i + 1 < h->n; i++) {
		cum += h->b[i];
		prom_decimal(prom_bucket_max(h->layout, i), h->scale, le,
			     sizeof(le));
		fprintf(p->out, "%s_bucket", p->fam);
		prom_labels(p, l, nl, le);
		fprintf(p->out, " %" PRIu64 "\n", cum);
	}
	if (h->n)
		cum += h->b[h->n - 1];
	fprintf(p->out, "%s_bucket", p->fam);
	prom_labels(p, l, nl, "+Inf");
	fprintf(p->out, " %" PRIu64 "\n", cum);
	if (h->has_sum) {
		fprintf(p->out, "%s_sum", p->fam);
		prom_labels(p, l, nl, NULL);
		fprintf(p->out, " %s\n",
			prom_decimal(h->sum, h->scale, sum, sizeof(sum)));
	}
	fprintf(p->out, "%s_count", p->fam);
	prom_labels(p, l, nl, NULL);
	fprintf(p->out, " %" PRIu64 "\n", cum);
}

int prom_finish(struct prom *p)
{
	if (fflush(p->out) || ferror(p->out))
		return -1;
	return p->error ? -1 : 0;
}
