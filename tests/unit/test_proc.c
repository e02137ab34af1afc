// SPDX-License-Identifier: GPL-2.0
/* top: interval deltas keyed by pid, omitted idle rows, sorting. */
#include <stdio.h>
#include <stdlib.h>

#include "proc.h"
#include "unit.h"

static struct st_proc mk(uint32_t pid, const char *comm, uint64_t conn,
			 uint64_t tcp4_sent, uint64_t udp6_recvd)
{
	struct st_proc p;

	memset(&p, 0, sizeof(p));
	p.pid = pid;
	p.uid = 1000;
	p.netns = 4026531840u;
	snprintf(p.comm, sizeof(p.comm), "%s", comm);
	p.connect_ok = conn;
	p.created = conn;
	if (tcp4_sent) {
		p.io_mask |= ST_IO_BIT(SOCKTAP_PROTO_TCP, SOCKTAP_FAMILY_INET);
		p.io[SOCKTAP_PROTO_TCP][SOCKTAP_FAMILY_INET].sends = tcp4_sent / 100;
		p.io[SOCKTAP_PROTO_TCP][SOCKTAP_FAMILY_INET].send_bytes = tcp4_sent;
	}
	if (udp6_recvd) {
		p.io_mask |= ST_IO_BIT(SOCKTAP_PROTO_UDP, SOCKTAP_FAMILY_INET6);
		p.io[SOCKTAP_PROTO_UDP][SOCKTAP_FAMILY_INET6].recvs = udp6_recvd / 10;
		p.io[SOCKTAP_PROTO_UDP][SOCKTAP_FAMILY_INET6].recv_bytes = udp6_recvd;
	}
	return p;
}

static void push(struct st_proc_list *l, struct st_proc p)
{
	if (st_proc_push(l, &p))
		abort();
}

static const struct st_proc *find(const struct st_proc_list *l, uint32_t pid)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].pid == pid)
			return &l->v[i];
	return NULL;
}

static void test_delta(void)
{
	struct st_proc_list base = { 0 }, cur = { 0 }, out = { 0 };
	const struct st_proc *p;
	struct st_proc q;

	/* Base out of pid order on purpose: delta sorts it. */
	push(&base, mk(300, "idle", 1, 1000, 0));
	push(&base, mk(100, "curl", 2, 5000, 0));
	push(&base, mk(200, "dns", 0, 0, 400));
	push(&base, mk(400, "old", 5, 100, 0));

	push(&cur, mk(100, "curl", 3, 8000, 0));	/* grew */
	push(&cur, mk(200, "dns", 0, 0, 400));		/* idle */
	push(&cur, mk(300, "idle", 1, 1000, 0));	/* idle */
	push(&cur, mk(400, "newcomm", 1, 100, 0));	/* pid reused */
	q = mk(500, "new", 1, 0, 30);			/* new pid */
	push(&cur, q);
	q = mk(600, "reset", 1, 50, 0);			/* went backwards */
	push(&base, mk(600, "reset", 4, 90, 0));
	push(&cur, q);

	CHECK("delta_ok", st_proc_delta(&base, &cur, &out, 1) == 0);
	CHECK("delta_rows", out.n == 4);
	p = find(&out, 100);
	CHECK("delta_grew_connect", p && p->connect_ok == 1 && p->created == 1);
	CHECK("delta_grew_bytes", p &&
	      p->io[SOCKTAP_PROTO_TCP][SOCKTAP_FAMILY_INET].send_bytes == 3000 &&
	      p->io[SOCKTAP_PROTO_TCP][SOCKTAP_FAMILY_INET].sends == 30);
	CHECK("delta_idle_omitted", !find(&out, 200) && !find(&out, 300));
	p = find(&out, 400);
	CHECK("delta_reused_pid_counts_from_zero", p && p->connect_ok == 1 &&
	      !strcmp(p->comm, "newcomm") &&
	      p->io[SOCKTAP_PROTO_TCP][SOCKTAP_FAMILY_INET].send_bytes == 100);
	p = find(&out, 500);
	CHECK("delta_new_pid", p && p->connect_ok == 1 &&
	      p->io[SOCKTAP_PROTO_UDP][SOCKTAP_FAMILY_INET6].recv_bytes == 30);
	p = find(&out, 600);
	CHECK("delta_backwards_is_cur", p && p->connect_ok == 1 &&
	      p->io[SOCKTAP_PROTO_TCP][SOCKTAP_FAMILY_INET].send_bytes == 50);

	/* An io row idle in the interval is dropped from the row's mask. */
	st_proc_free(&base);
	st_proc_free(&cur);
	st_proc_free(&out);
	push(&base, mk(100, "both", 0, 1000, 500));
	push(&cur, mk(100, "both", 0, 1000, 800));
	CHECK("delta2_ok", st_proc_delta(&base, &cur, &out, 1) == 0);
	p = find(&out, 100);
	CHECK("delta_idle_io_row_dropped", p &&
	      p->io_mask == ST_IO_BIT(SOCKTAP_PROTO_UDP, SOCKTAP_FAMILY_INET6) &&
	      p->io[SOCKTAP_PROTO_UDP][SOCKTAP_FAMILY_INET6].recv_bytes == 300);
	st_proc_free(&out);
	CHECK("delta_keep_idle", st_proc_delta(&base, &base, &out, 0) == 0 &&
	      out.n == 1 && st_proc_idle(&out.v[0]));
	st_proc_free(&out);
	st_proc_free(&cur);
	CHECK("delta_empty_base", st_proc_delta(&cur, &base, &out, 1) == 0 &&
	      out.n == 1 && out.v[0].io[SOCKTAP_PROTO_UDP][SOCKTAP_FAMILY_INET6].recv_bytes == 500);
	st_proc_free(&base);
	st_proc_free(&out);
}

static int order(const struct st_proc_list *l, uint32_t a, uint32_t b,
		 uint32_t c)
{
	return l->n == 3 && l->v[0].pid == a && l->v[1].pid == b &&
	       l->v[2].pid == c;
}

static void test_sort(void)
{
	struct st_proc_list l = { 0 };
	struct st_io_row rows[3 * 9];
	struct st_proc p;
	size_t n;

	push(&l, mk(30, "a", 1, 100, 50));	/* 150 bytes */
	push(&l, mk(10, "b", 7, 2000, 0));	/* 2000 bytes */
	push(&l, mk(20, "c", 1, 0, 900));	/* 900 bytes */
	l.v[2].accepts = 4;

	CHECK("key_default", st_sort_key_parse("bytes") == ST_SORT_BYTES);
	CHECK("key_recv_kb", st_sort_key_parse("recv_kb") == ST_SORT_RECV_KB);
	CHECK("key_accept", st_sort_key_parse("accept") == ST_SORT_ACCEPT);
	CHECK("key_unknown", st_sort_key_parse("comm") == -1);

	st_proc_sort(&l, ST_SORT_BYTES);
	CHECK("sort_bytes_desc", order(&l, 10, 20, 30));
	st_proc_sort(&l, ST_SORT_PID);
	CHECK("sort_pid_asc", order(&l, 10, 20, 30));
	st_proc_sort(&l, ST_SORT_RECV_KB);
	CHECK("sort_recv_kb", order(&l, 20, 30, 10));
	st_proc_sort(&l, ST_SORT_CONNECT);
	CHECK("sort_connect_ties_by_pid", order(&l, 10, 20, 30));
	st_proc_sort(&l, ST_SORT_ACCEPT);
	CHECK("sort_accept", order(&l, 20, 10, 30));
	st_proc_sort(&l, ST_SORT_SENDS);
	CHECK("sort_sends", order(&l, 10, 30, 20));

	/* io rows: pid 30 has two rows, sorted among the others per row. */
	n = st_io_rows(&l, rows, 0, ST_SORT_BYTES);
	CHECK("io_rows_count", n == 4);
	CHECK("io_rows_by_row_bytes", n == 4 &&
	      rows[0].p->pid == 10 && rows[1].p->pid == 20 &&
	      rows[2].p->pid == 30 && rows[2].proto == SOCKTAP_PROTO_TCP &&
	      rows[3].p->pid == 30 && rows[3].proto == SOCKTAP_PROTO_UDP &&
	      rows[3].family == SOCKTAP_FAMILY_INET6 &&
	      rows[3].io->recv_bytes == 50);
	n = st_io_rows(&l, rows, 0, ST_SORT_PID);
	CHECK("io_rows_pid_then_proto", n == 4 && rows[0].p->pid == 10 &&
	      rows[2].p->pid == 30 && rows[2].proto == SOCKTAP_PROTO_TCP &&
	      rows[3].proto == SOCKTAP_PROTO_UDP);

	/* An io row that was sent but is all zero: kept for totals only. */
	memset(&p, 0, sizeof(p));
	p.pid = 40;
	p.io_mask = ST_IO_BIT(SOCKTAP_PROTO_OTHER, SOCKTAP_FAMILY_OTHER);
	push(&l, p);
	CHECK("io_rows_totals_keep_zero", st_io_rows(&l, rows, 0, ST_SORT_BYTES) == 5);
	CHECK("io_rows_interval_omit_zero", st_io_rows(&l, rows, 1, ST_SORT_BYTES) == 4);

	CHECK("sums", st_proc_send_bytes(&l.v[0]) + st_proc_recv_bytes(&l.v[0]) > 0);
	st_proc_free(&l);
	CHECK("free_resets", l.v == NULL && l.n == 0 && l.cap == 0);
}

int main(void)
{
	test_delta();
	test_sort();
	UNIT_EXIT();
}
