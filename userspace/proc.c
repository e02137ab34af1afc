// SPDX-License-Identifier: GPL-2.0
#include "proc.h"

#include <stdlib.h>
#include <string.h>

#define ST_NPROTO	__SOCKTAP_PROTO_MAX
#define ST_NFAMILY	__SOCKTAP_FAMILY_MAX

int st_proc_push(struct st_proc_list *l, const struct st_proc *p)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct st_proc *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *p;
	return 0;
}

void st_proc_free(struct st_proc_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

#define ST_IO_SUM(fn, field)						\
uint64_t fn(const struct st_proc *p)					\
{									\
	uint64_t s = 0;							\
	unsigned int i, k;						\
									\
	for (i = 0; i < ST_NPROTO; i++)					\
		for (k = 0; k < ST_NFAMILY; k++)			\
			s += p->io[i][k].field;				\
	return s;							\
}

ST_IO_SUM(st_proc_sends, sends)
ST_IO_SUM(st_proc_recvs, recvs)
ST_IO_SUM(st_proc_send_bytes, send_bytes)
ST_IO_SUM(st_proc_recv_bytes, recv_bytes)

uint64_t st_proc_connects(const struct st_proc *p)
{
	return p->connect_ok + p->connect_inprogress + p->connect_refused +
	       p->connect_error;
}

int st_proc_conn_idle(const struct st_proc *p)
{
	return !st_proc_connects(p) && !p->accepts && !p->created &&
	       !p->closed;
}

int st_io_idle(const struct st_io *io)
{
	return !io->sends && !io->recvs && !io->send_bytes && !io->recv_bytes;
}

int st_proc_idle(const struct st_proc *p)
{
	unsigned int i, k;

	if (!st_proc_conn_idle(p))
		return 0;
	for (i = 0; i < ST_NPROTO; i++)
		for (k = 0; k < ST_NFAMILY; k++)
			if (!st_io_idle(&p->io[i][k]))
				return 0;
	return 1;
}

static int st_cmp_pid(const void *a, const void *b)
{
	const struct st_proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* d = c - b field by field; 1 if any went backwards (d untouched then). */
static int st_sub(uint64_t *d, uint64_t c, uint64_t b)
{
	if (c < b)
		return 1;
	*d = c - b;
	return 0;
}

static int st_proc_sub(struct st_proc *d, const struct st_proc *c,
		       const struct st_proc *b)
{
	unsigned int i, k;
	int back = 0;

	back |= st_sub(&d->connect_ok, c->connect_ok, b->connect_ok);
	back |= st_sub(&d->connect_inprogress, c->connect_inprogress,
		       b->connect_inprogress);
	back |= st_sub(&d->connect_refused, c->connect_refused,
		       b->connect_refused);
	back |= st_sub(&d->connect_error, c->connect_error, b->connect_error);
	back |= st_sub(&d->accepts, c->accepts, b->accepts);
	back |= st_sub(&d->created, c->created, b->created);
	back |= st_sub(&d->closed, c->closed, b->closed);
	for (i = 0; i < ST_NPROTO; i++) {
		for (k = 0; k < ST_NFAMILY; k++) {
			struct st_io *di = &d->io[i][k];
			const struct st_io *ci = &c->io[i][k], *bi = &b->io[i][k];

			back |= st_sub(&di->sends, ci->sends, bi->sends);
			back |= st_sub(&di->send_bytes, ci->send_bytes,
				       bi->send_bytes);
			back |= st_sub(&di->recvs, ci->recvs, bi->recvs);
			back |= st_sub(&di->recv_bytes, ci->recv_bytes,
				       bi->recv_bytes);
		}
	}
	return back;
}

int st_proc_delta(struct st_proc_list *base, const struct st_proc_list *cur,
		  struct st_proc_list *out, int omit_idle)
{
	size_t n;

	if (base->n)
		qsort(base->v, base->n, sizeof(*base->v), st_cmp_pid);
	for (n = 0; n < cur->n; n++) {
		const struct st_proc *c = &cur->v[n];
		const struct st_proc *b = NULL;
		struct st_proc d = *c;
		unsigned int i, k;

		if (base->n)
			b = bsearch(c, base->v, base->n, sizeof(*base->v),
				    st_cmp_pid);
		if (b && !strcmp(b->comm, c->comm) && st_proc_sub(&d, c, b))
			d = *c;
		if (omit_idle) {
			if (st_proc_idle(&d))
				continue;
			for (i = 0; i < ST_NPROTO; i++)
				for (k = 0; k < ST_NFAMILY; k++)
					if (st_io_idle(&d.io[i][k]))
						d.io_mask &= ~ST_IO_BIT(i, k);
		}
		if (st_proc_push(out, &d))
			return -1;
	}
	return 0;
}

int st_sort_key_parse(const char *s)
{
	static const char *const names[] = {
		[ST_SORT_BYTES] = "bytes",
		[ST_SORT_PID] = "pid",
		[ST_SORT_SENDS] = "sends",
		[ST_SORT_RECVS] = "recvs",
		[ST_SORT_SEND_KB] = "send_kb",
		[ST_SORT_RECV_KB] = "recv_kb",
		[ST_SORT_CONNECT] = "connect",
		[ST_SORT_ACCEPT] = "accept",
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i]))
			return (int)i;
	return -1;
}

static uint64_t st_proc_value(const struct st_proc *p, enum st_sort_key key)
{
	switch (key) {
	case ST_SORT_PID:
		return p->pid;
	case ST_SORT_SENDS:
		return st_proc_sends(p);
	case ST_SORT_RECVS:
		return st_proc_recvs(p);
	case ST_SORT_SEND_KB:
		return st_proc_send_bytes(p);
	case ST_SORT_RECV_KB:
		return st_proc_recv_bytes(p);
	case ST_SORT_CONNECT:
		return st_proc_connects(p);
	case ST_SORT_ACCEPT:
		return p->accepts;
	case ST_SORT_BYTES:
	default:
		return st_proc_send_bytes(p) + st_proc_recv_bytes(p);
	}
}

static uint64_t st_io_value(const struct st_io_row *r, enum st_sort_key key)
{
	switch (key) {
	case ST_SORT_SENDS:
		return r->io->sends;
	case ST_SORT_RECVS:
		return r->io->recvs;
	case ST_SORT_SEND_KB:
		return r->io->send_bytes;
	case ST_SORT_RECV_KB:
		return r->io->recv_bytes;
	case ST_SORT_BYTES:
		return r->io->send_bytes + r->io->recv_bytes;
	default:
		return st_proc_value(r->p, key);
	}
}

/* Descending, except pid ascending. */
static int st_cmp_value(uint64_t x, uint64_t y, enum st_sort_key key)
{
	int c = (x > y) - (x < y);

	return key == ST_SORT_PID ? c : -c;
}

static int st_cmp_proc(const void *a, const void *b, void *arg)
{
	const struct st_proc *x = a, *y = b;
	enum st_sort_key key = *(enum st_sort_key *)arg;
	int c = st_cmp_value(st_proc_value(x, key), st_proc_value(y, key), key);

	return c ? c : st_cmp_pid(x, y);
}

void st_proc_sort(struct st_proc_list *l, enum st_sort_key key)
{
	if (l->n)
		qsort_r(l->v, l->n, sizeof(*l->v), st_cmp_proc, &key);
}

static int st_cmp_io_row(const void *a, const void *b, void *arg)
{
	const struct st_io_row *x = a, *y = b;
	enum st_sort_key key = *(enum st_sort_key *)arg;
	int c = st_cmp_value(st_io_value(x, key), st_io_value(y, key), key);

	if (!c)
		c = st_cmp_pid(x->p, y->p);
	if (!c)
		c = (x->proto > y->proto) - (x->proto < y->proto);
	if (!c)
		c = (x->family > y->family) - (x->family < y->family);
	return c;
}

size_t st_io_rows(const struct st_proc_list *l, struct st_io_row *rows,
		  int omit_idle, enum st_sort_key key)
{
	size_t n, m = 0;
	unsigned int i, k;

	for (n = 0; n < l->n; n++) {
		const struct st_proc *p = &l->v[n];

		for (i = 0; i < ST_NPROTO; i++) {
			for (k = 0; k < ST_NFAMILY; k++) {
				if (!(p->io_mask & ST_IO_BIT(i, k)))
					continue;
				if (omit_idle && st_io_idle(&p->io[i][k]))
					continue;
				rows[m].p = p;
				rows[m].proto = i;
				rows[m].family = k;
				rows[m].io = &p->io[i][k];
				m++;
			}
		}
	}
	if (m)
		qsort_r(rows, m, sizeof(*rows), st_cmp_io_row, &key);
	return m;
}
