// SPDX-License-Identifier: GPL-2.0
#include "stack.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/socktap.h>

static int st_stack_copy(uint64_t **dst, unsigned int *n, const void *src,
			 size_t len)
{
	*n = (unsigned int)(len / sizeof(uint64_t));
	*dst = NULL;
	if (!*n)
		return 0;
	*dst = malloc(*n * sizeof(uint64_t));
	if (!*dst)
		return -1;
	memcpy(*dst, src, *n * sizeof(uint64_t));
	return 0;
}

int st_stack_add(struct st_stack_list *l, uint64_t count, uint32_t pid,
		 const char *comm, const void *kern, size_t klen,
		 const void *user, size_t ulen)
{
	struct st_stack *nv, *s;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;

		nv = realloc(l->v, cap * sizeof(*nv));
		if (!nv)
			return -1;
		l->v = nv;
		l->cap = cap;
	}
	s = &l->v[l->n];
	memset(s, 0, sizeof(*s));
	s->count = count;
	s->pid = pid;
	snprintf(s->comm, sizeof(s->comm), "%s", comm ? comm : "");
	if (st_stack_copy(&s->kern, &s->nkern, kern, kern ? klen : 0) ||
	    st_stack_copy(&s->user, &s->nuser, user, user ? ulen : 0)) {
		free(s->kern);
		return -1;
	}
	l->n++;
	return 0;
}

void st_stack_free(struct st_stack_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].kern);
		free(l->v[i].user);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int st_frames_cmp(const uint64_t *a, unsigned int na,
			 const uint64_t *b, unsigned int nb)
{
	unsigned int i;

	for (i = 0; i < na && i < nb; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return na < nb ? -1 : na > nb;
}

static int st_stack_cmp(const void *a, const void *b)
{
	const struct st_stack *x = a, *y = b;
	int c;

	if (x->count != y->count)
		return x->count < y->count ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	c = st_frames_cmp(x->kern, x->nkern, y->kern, y->nkern);
	if (c)
		return c;
	return st_frames_cmp(x->user, x->nuser, y->user, y->nuser);
}

size_t st_stack_sort(struct st_stack_list *l, size_t top)
{
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), st_stack_cmp);
	return top && top < l->n ? l->n - top : 0;
}

static const char *st_kframe(const struct st_stack_syms *sy, uint64_t addr,
			     int ret, char *buf, size_t n)
{
	return sy && sy->kern ? sy->kern(sy->arg, addr, ret, buf, n) : NULL;
}

static int st_uframe(const struct st_stack_syms *sy, uint32_t pid,
		     uint64_t addr, int ret, struct st_usym *r)
{
	memset(r, 0, sizeof(*r));
	return sy && sy->user ? sy->user(sy->arg, pid, addr, ret, r) : -1;
}

static void st_stack_print_user(FILE *out, const struct st_stack *s,
				const struct st_stack_syms *sy)
{
	struct st_usym r;
	unsigned int i;

	if (s->pid)
		fprintf(out, "    %s (%" PRIu32 "):\n", s->comm[0] ? s->comm : "?",
			s->pid);
	else
		fprintf(out, "    [no process]\n");
	if (!s->nuser)
		fprintf(out, "        [no user stack]\n");
	for (i = 0; i < s->nuser; i++) {
		switch (st_uframe(sy, s->pid, s->user[i], i > 0, &r)) {
		case 0:
			fprintf(out, "        %s+0x%" PRIx64 " (%s)\n", r.func,
				r.off, r.mod ? r.mod : "?");
			break;
		case 1:
			fprintf(out, "        0x%" PRIx64 " [unknown] (%s)\n",
				s->user[i], r.mod ? r.mod : "?");
			break;
		default:
			fprintf(out, "        0x%" PRIx64 " [unknown]\n",
				s->user[i]);
			break;
		}
	}
}

void st_stack_print(FILE *out, const struct st_stack *s, uint32_t mode,
		    const struct st_stack_syms *sy)
{
	char buf[512];
	const char *sym;
	unsigned int i;

	fputs("@[\n", out);
	if (mode & SOCKTAP_STACK_KERNEL) {
		if (!s->nkern)
			fprintf(out, "        [no kernel stack]\n");
		for (i = 0; i < s->nkern; i++) {
			sym = st_kframe(sy, s->kern[i], i > 0, buf, sizeof(buf));
			if (sym)
				fprintf(out, "        %s\n", sym);
			else
				fprintf(out, "        0x%" PRIx64 " [unknown]\n",
					s->kern[i]);
		}
	}
	if ((mode & SOCKTAP_STACK_KERNEL) && (mode & SOCKTAP_STACK_USER))
		fputs(",\n", out);
	if (mode & SOCKTAP_STACK_USER)
		st_stack_print_user(out, s, sy);
	fprintf(out, "]: %" PRIu64 "\n", s->count);
}

static void st_json_addr(struct json *j, uint64_t addr)
{
	char hex[24];

	snprintf(hex, sizeof(hex), "0x%" PRIx64, addr);
	json_kv_string(j, "addr", hex);
}

static void st_json_unknown(struct json *j, uint64_t addr)
{
	char buf[48];

	snprintf(buf, sizeof(buf), "0x%" PRIx64 " [unknown]", addr);
	json_kv_string(j, "sym", buf);
}

void st_stack_json(struct json *j, const struct st_stack *s, uint32_t mode,
		   const struct st_stack_syms *sy)
{
	char buf[512];
	const char *sym;
	struct st_usym r;
	unsigned int i;
	int ret;

	json_begin_object(j);
	json_kv_uint(j, "count", s->count);
	json_key(j, "pid");
	if (s->pid)
		json_uint(j, s->pid);
	else
		json_null(j);
	json_key(j, "comm");
	if (s->pid || s->comm[0])
		json_string(j, s->comm);
	else
		json_null(j);
	if (mode & SOCKTAP_STACK_KERNEL) {
		json_key(j, "kernel");
		json_begin_array(j);
		for (i = 0; i < s->nkern; i++) {
			json_begin_object(j);
			st_json_addr(j, s->kern[i]);
			sym = st_kframe(sy, s->kern[i], i > 0, buf, sizeof(buf));
			if (sym)
				json_kv_string(j, "sym", sym);
			else
				st_json_unknown(j, s->kern[i]);
			json_end_object(j);
		}
		json_end_array(j);
	}
	if (mode & SOCKTAP_STACK_USER) {
		json_key(j, "user");
		json_begin_array(j);
		for (i = 0; i < s->nuser; i++) {
			ret = st_uframe(sy, s->pid, s->user[i], i > 0, &r);
			json_begin_object(j);
			st_json_addr(j, s->user[i]);
			if (!ret) {
				snprintf(buf, sizeof(buf), "%s+0x%" PRIx64, r.func,
					 r.off);
				json_kv_string(j, "sym", buf);
			} else {
				st_json_unknown(j, s->user[i]);
			}
			json_key(j, "module");
			if (ret >= 0 && r.mod)
				json_string(j, r.mod);
			else
				json_null(j);
			json_end_object(j);
		}
		json_end_array(j);
	}
	json_end_object(j);
}

void st_stack_summary(FILE *out, size_t stacks, uint64_t calls,
		      uint64_t dropped, uint64_t missed)
{
	fprintf(out, "%zu stacks, %" PRIu64 " calls (%" PRIu64 " did not fit the table, %" PRIu64 " missed)\n",
		stacks, calls, dropped, missed);
}
