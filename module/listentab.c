// SPDX-License-Identifier: GPL-2.0
/*
 * Listener table: a keyed per-CPU table on netns << 32 | family << 16 |
 * port.  The owner comes from the socket table (the listener's creator),
 * never from softirq's current.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/string.h>
#include <net/inet_connection_sock.h>
#include <net/sock.h>

#include "kvtab.h"
#include "listentab.h"
#include "socktab.h"

static unsigned int listen_capacity = 256;
module_param(listen_capacity, uint, 0444);
MODULE_PARM_DESC(listen_capacity,
		 "listeners (netns, family, port) the backlog table holds (4..65536); more are counted as dropped");

static struct st_kvtab st_listeners = {
	.meta_size = sizeof(struct st_listen_meta),
	.val_size = sizeof(struct st_listen_ctr),
};

unsigned int st_listentab_capacity(void)
{
	return listen_capacity;
}

unsigned int st_listentab_used(void)
{
	return st_kvtab_used(&st_listeners);
}

u64 st_listentab_dropped(void)
{
	return st_kvtab_dropped(&st_listeners);
}

size_t st_listentab_bytes(void)
{
	return st_kvtab_bytes(&st_listeners);
}

static void st_meta_fill(struct st_listen_meta *m, const struct sock *sk)
{
	struct st_sock *e;

	rcu_read_lock();
	e = st_sock_find(sk);
	if (e) {
		m->pid = e->tgid;
		memcpy(m->comm, e->comm, sizeof(m->comm));
	}
	rcu_read_unlock();
}

struct st_listen_ctr __percpu *st_listen_ctr(const struct sock *sk)
{
	u64 key = (u64)sock_net(sk)->ns.inum << 32 |
		  (u64)sk->sk_family << 16 | sk->sk_num;
	struct st_listen_ctr __percpu *c;
	struct st_listen_meta *m;
	bool claimed;

	c = st_kvtab_get(&st_listeners, key, (void **)&m, &claimed);
	if (!c)
		return NULL;
	WRITE_ONCE(m->backlog_max, READ_ONCE(sk->sk_max_ack_backlog));
	if (unlikely(claimed)) {
		st_meta_fill(m, sk);
		st_kvtab_publish(m);
	}
	return c;
}

bool st_listentab_read(unsigned int *pos, struct st_listen_row *row)
{
	u64 key;

	if (!st_kvtab_read(&st_listeners, pos, &key, &row->m, (u64 *)&row->c))
		return false;
	row->netns = key >> 32;
	row->family = (key >> 16) & 0xff;
	row->port = key & 0xffff;
	return true;
}

void st_listentab_reset(void)
{
	st_kvtab_reset(&st_listeners);
}

int st_listentab_init(void)
{
	if (listen_capacity < 4 || listen_capacity > 65536) {
		pr_err("listen_capacity=%u: must be within 4..65536\n",
		       listen_capacity);
		return -EINVAL;
	}
	st_listeners.capacity = listen_capacity;
	return st_kvtab_init(&st_listeners);
}

void st_listentab_exit(void)
{
	st_kvtab_exit(&st_listeners);
}
