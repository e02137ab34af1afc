/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's process table as 'socktap top' handles it: rows, interval
 * deltas, sorting and the flattened per-protocol I/O rows.  Pure logic,
 * unit-tested (tests/unit/test_proc.c).
 */
#ifndef SOCKTAP_PROC_H
#define SOCKTAP_PROC_H

#include <stddef.h>
#include <stdint.h>

#include <linux/socktap.h>

struct st_io {
	uint64_t sends, send_bytes, recvs, recv_bytes;
};

struct st_proc {
	uint32_t pid, uid, netns;
	char comm[32];
	uint64_t connect_ok, connect_inprogress, connect_refused, connect_error;
	uint64_t accepts, created, closed;
	/* Bit proto * __SOCKTAP_FAMILY_MAX + family: an io row was sent. */
	unsigned int io_mask;
	struct st_io io[__SOCKTAP_PROTO_MAX][__SOCKTAP_FAMILY_MAX];
};

struct st_proc_list {
	struct st_proc *v;
	size_t n, cap;
};

#define ST_IO_BIT(proto, family) (1u << ((proto) * __SOCKTAP_FAMILY_MAX + (family)))

/* Append a copy of p; -1 when out of memory. */
int st_proc_push(struct st_proc_list *l, const struct st_proc *p);
void st_proc_free(struct st_proc_list *l);

/* Totals over a process's io rows. */
uint64_t st_proc_sends(const struct st_proc *p);
uint64_t st_proc_recvs(const struct st_proc *p);
uint64_t st_proc_send_bytes(const struct st_proc *p);
uint64_t st_proc_recv_bytes(const struct st_proc *p);
uint64_t st_proc_connects(const struct st_proc *p);
/* Connection columns all zero? */
int st_proc_conn_idle(const struct st_proc *p);
int st_io_idle(const struct st_io *io);
/* Connection columns and every io row zero? */
int st_proc_idle(const struct st_proc *p);

/*
 * out = cur - base, keyed by pid (base is sorted by pid in place).  A pid
 * absent from base, or whose comm changed or a counter went backwards (a
 * reset, a reused pid), counts from zero: its row is cur's.  With
 * omit_idle, rows and io rows without activity are left out.  Returns 0,
 * or -1 when out of memory.
 */
int st_proc_delta(struct st_proc_list *base, const struct st_proc_list *cur,
		  struct st_proc_list *out, int omit_idle);

enum st_sort_key {
	ST_SORT_BYTES,		/* send + receive bytes, the default */
	ST_SORT_PID,		/* ascending; every other key descending */
	ST_SORT_SENDS,
	ST_SORT_RECVS,
	ST_SORT_SEND_KB,
	ST_SORT_RECV_KB,
	ST_SORT_CONNECT,	/* connect() calls of any result */
	ST_SORT_ACCEPT,
};

/* "pid", "sends", "recvs", "send_kb", "recv_kb", "connect", "accept",
 * "bytes"; -1 for anything else. */
int st_sort_key_parse(const char *s);
/* Processes by key (totals of their io rows), ties by pid. */
void st_proc_sort(struct st_proc_list *l, enum st_sort_key key);

/* One row of the I/O table: a process's protocol and family. */
struct st_io_row {
	const struct st_proc *p;
	unsigned int proto, family;
	const struct st_io *io;
};

/*
 * The io rows of every process that has them (skipping idle ones with
 * omit_idle), sorted by key at row level (pid, connect and accept by the
 * process's value), ties by pid, protocol, family.  rows must hold
 * l->n * __SOCKTAP_PROTO_MAX * __SOCKTAP_FAMILY_MAX; returns the count.
 */
size_t st_io_rows(const struct st_proc_list *l, struct st_io_row *rows,
		  int omit_idle, enum st_sort_key key);

#endif
