// SPDX-License-Identifier: GPL-2.0
#include "sizehist.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

int st_size_slot(unsigned int id)
{
	if (id < SOCKTAP_HIST_TCP_SENDMSG ||
	    id >= SOCKTAP_HIST_TCP_SENDMSG + SOCKTAP_SIZE_HISTS)
		return -1;
	return (int)(id - SOCKTAP_HIST_TCP_SENDMSG);
}

static void st_size_init_slots(struct st_size_proc *p)
{
	unsigned int i;

	for (i = 0; i < SOCKTAP_SIZE_HISTS; i++) {
		memset(&p->h[i], 0, sizeof(p->h[i]));
		p->h[i].id = SOCKTAP_HIST_TCP_SENDMSG + i;
		snprintf(p->h[i].name, sizeof(p->h[i].name), "%s",
			 st_hist_id_name(p->h[i].id));
		snprintf(p->h[i].unit, sizeof(p->h[i].unit), "bytes");
	}
}

struct st_size_proc *st_size_add(struct st_size_list *l, uint32_t pid,
				 const char *comm)
{
	struct st_size_proc *nv, *p;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;

		nv = realloc(l->v, cap * sizeof(*nv));
		if (!nv)
			return NULL;
		l->v = nv;
		l->cap = cap;
	}
	p = &l->v[l->n++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	snprintf(p->comm, sizeof(p->comm), "%s", comm ? comm : "");
	st_size_init_slots(p);
	return p;
}

void st_size_free(struct st_size_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void st_size_set(struct st_size_proc *p, int slot, const char *name,
		 const void *buckets, size_t len, uint64_t sum)
{
	struct st_hist *h = &p->h[slot];

	if (name && *name)
		snprintf(h->name, sizeof(h->name), "%s", name);
	len = len / sizeof(h->b[0]) * sizeof(h->b[0]);
	if (len > sizeof(h->b))
		len = sizeof(h->b);
	memset(h->b, 0, sizeof(h->b));
	if (len)
		memcpy(h->b, buckets, len);
	h->sum = sum;
	st_hist_recount(h);
	p->have |= 1u << slot;
}

static const struct st_size_proc *st_size_find(const struct st_size_list *l,
					       const struct st_size_proc *p)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].pid == p->pid && !strcmp(l->v[i].comm, p->comm))
			return &l->v[i];
	return NULL;
}

int st_size_delta(const struct st_size_list *cur,
		  const struct st_size_list *base, struct st_size_list *out)
{
	const struct st_size_proc *c, *b;
	struct st_size_proc *o;
	struct st_hist empty;
	unsigned int k;
	size_t i;

	memset(&empty, 0, sizeof(empty));
	for (i = 0; i < cur->n; i++) {
		c = &cur->v[i];
		b = st_size_find(base, c);
		o = st_size_add(out, c->pid, c->comm);
		if (!o)
			return -1;
		for (k = 0; k < SOCKTAP_SIZE_HISTS; k++) {
			if (!(c->have & (1u << k)))
				continue;
			st_hist_delta(&c->h[k], b && (b->have & (1u << k)) ?
				      &b->h[k] : &empty, &o->h[k]);
			if (o->h[k].count)
				o->have |= 1u << k;
		}
		if (!o->have)
			out->n--;
	}
	return 0;
}

int st_size_mask(char *const *names, int n, unsigned int *mask,
		 const char **bad)
{
	unsigned int ids[2];
	int i, slot;

	*mask = 0;
	for (i = 0; i < n; i++) {
		slot = st_hist_ids(names[i], ids) == 1 ? st_size_slot(ids[0]) : -1;
		if (slot < 0) {
			*bad = names[i];
			return -1;
		}
		*mask |= 1u << slot;
	}
	if (!*mask)
		*mask = (1u << SOCKTAP_SIZE_HISTS) - 1;
	return 0;
}

static int st_size_has(const struct st_size_proc *p, int slot, uint32_t pid)
{
	return (!pid || p->pid == pid) && (p->have & (1u << slot)) &&
	       p->h[slot].count;
}

/* Fewest sizes first, then by pid; arg: the slot. */
static int st_size_cmp(const void *a, const void *b, void *arg)
{
	const struct st_size_proc *x = *(const struct st_size_proc *const *)a;
	const struct st_size_proc *y = *(const struct st_size_proc *const *)b;
	int slot = *(const int *)arg;
	uint64_t cx = x->h[slot].count, cy = y->h[slot].count;

	if (cx != cy)
		return cx < cy ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

long st_size_print(FILE *out, const struct st_size_list *l,
		   unsigned int mask, uint32_t pid)
{
	const struct st_size_proc **v;
	size_t i, n;
	char key[96];
	long printed = 0;
	int slot;

	if (!l->n)
		return 0;
	v = malloc(l->n * sizeof(*v));
	if (!v)
		return -1;
	for (slot = 0; slot < SOCKTAP_SIZE_HISTS; slot++) {
		if (!(mask & (1u << slot)))
			continue;
		for (i = n = 0; i < l->n; i++)
			if (st_size_has(&l->v[i], slot, pid))
				v[n++] = &l->v[i];
		if (n)
			qsort_r(v, n, sizeof(*v), st_size_cmp, &slot);
		for (i = 0; i < n; i++) {
			if (printed++)
				fputc('\n', out);
			snprintf(key, sizeof(key), "%s, %" PRIu32, v[i]->comm,
				 v[i]->pid);
			st_hist_print_key(out, &v[i]->h[slot], key);
		}
	}
	free(v);
	return printed;
}

long st_size_json(FILE *out, const struct st_size_list *l, unsigned int mask,
		  uint32_t pid)
{
	struct json j;
	long n = 0;
	size_t i;
	int slot, any;

	json_init(&j, out);
	json_begin_object(&j);
	json_key(&j, "processes");
	json_begin_array(&j);
	for (i = 0; i < l->n; i++) {
		const struct st_size_proc *p = &l->v[i];

		for (slot = any = 0; slot < SOCKTAP_SIZE_HISTS; slot++)
			any |= (mask & (1u << slot)) && st_size_has(p, slot, pid);
		if (!any)
			continue;
		json_begin_object(&j);
		json_kv_uint(&j, "pid", p->pid);
		json_kv_string(&j, "comm", p->comm);
		json_key(&j, "histograms");
		json_begin_array(&j);
		for (slot = 0; slot < SOCKTAP_SIZE_HISTS; slot++)
			if ((mask & (1u << slot)) && st_size_has(p, slot, pid))
				st_hist_json(&j, &p->h[slot]);
		json_end_array(&j);
		json_end_object(&j);
		n++;
	}
	json_end_array(&j);
	json_end_object(&j);
	return json_finish(&j) ? -1 : n;
}
