// SPDX-License-Identifier: GPL-2.0
#include "funcnl.h"

#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

size_t st_funcs_batch_len(struct st_kfunc *const *v, size_t n)
{
	return st_func_batch_len(v, n, SOCKTAP_FUNCS_BATCH_MAX,
				 ST_FUNCS_BATCH_BYTES);
}

struct st_funcs_req {
	struct st_kfunc **v;
	size_t n;
	size_t answered;
};

/* Nested SOCKTAP_A_FUNCS of SOCKTAP_A_FUNC_NAME strings. */
static int st_put_funcs(struct nl_msg *msg, void *arg)
{
	struct st_funcs_req *r = arg;
	struct nlattr *nest;
	size_t i;
	int ret;

	/* NLA_F_NESTED: a strictly validating kernel wants it. */
	nest = nla_nest_start(msg, SOCKTAP_A_FUNCS | NLA_F_NESTED);
	if (!nest)
		return -NLE_NOMEM;
	for (i = 0; i < r->n; i++) {
		ret = nla_put_string(msg, SOCKTAP_A_FUNC_NAME, r->v[i]->name);
		if (ret < 0) {
			nla_nest_cancel(msg, nest);
			return ret;
		}
	}
	return nla_nest_end(msg, nest);
}

/* One nested SOCKTAP_A_FUNC of the reply. */
static void st_func_answer(struct st_funcs_req *r, struct nlattr *a)
{
	struct nlattr *tb[SOCKTAP_A_MAX + 1];
	char name[SOCKTAP_FUNC_NAME_MAX];
	struct st_kfunc *f;
	size_t i;

	if (nla_parse_nested(tb, SOCKTAP_A_MAX, a, NULL) < 0 ||
	    !tb[SOCKTAP_A_FUNC_NAME])
		return;
	st_nla_strcpy(name, sizeof(name), tb[SOCKTAP_A_FUNC_NAME]);
	for (i = 0; i < r->n && strcmp(r->v[i]->name, name); i++)
		;
	if (i == r->n)
		return;
	f = r->v[i];
	if (!f->checked)
		r->answered++;
	f->checked = 1;
	f->error = tb[SOCKTAP_A_FUNC_ERROR] ?
		   (uint32_t)st_nla_uint(tb[SOCKTAP_A_FUNC_ERROR]) : 0;
	f->flags = tb[SOCKTAP_A_FUNC_FLAGS] ?
		   (uint32_t)st_nla_uint(tb[SOCKTAP_A_FUNC_FLAGS]) : 0;
}

static int st_funcs_cb(struct nlattr **tb, void *arg)
{
	struct st_funcs_req *r = arg;
	struct nlattr *a;
	int rem;

	if (!tb[SOCKTAP_A_FUNCS]) {
		fprintf(stderr, "socktap: function reply without a list\n");
		return ST_EXIT_ERROR;
	}
	nla_for_each_nested(a, tb[SOCKTAP_A_FUNCS], rem)
		if (nla_type(a) == SOCKTAP_A_FUNC)
			st_func_answer(r, a);
	return 0;
}

int st_funcs_request(struct st_nl *nl, uint8_t cmd, struct st_kfunc **v,
		     size_t n, size_t *unanswered)
{
	struct st_funcs_req r = { .v = v, .n = n };
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		v[i]->checked = 0;
	rc = st_nl_call(nl, cmd, 0, st_put_funcs, &r, st_funcs_cb, &r);
	if (unanswered)
		*unanswered = rc ? 0 : n - r.answered;
	return rc;
}
