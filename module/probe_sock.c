// SPDX-License-Identifier: GPL-2.0
/*
 * Socket layer: connect, accept, create, close and send/receive by
 * process; connect, first-byte and lifetime latencies; connect and
 * tcplife-style records for the stream.
 *
 * Every handler may run in softirq (state changes, destruct) or with
 * preemption off: no sleeping, no allocation, per-CPU counters only.
 */
#include <linux/fcntl.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <linux/timekeeping.h>
#include <net/inet_connection_sock.h>
#include <net/inet_sock.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <net/tcp_states.h>
#include <trace/events/sock.h>

#include "compat.h"
#include "events.h"
#include "filter.h"
#include "hist.h"
#include "proctab.h"
#include "sizetab.h"
#include "socktab.h"
#include "socktap.h"
#include "tp_check.h"

static __always_inline bool st_is_inet(const struct sock *sk)
{
	return sk->sk_family == AF_INET || sk->sk_family == AF_INET6;
}

static __always_inline u32 st_netns(const struct sock *sk)
{
	return sock_net(sk)->ns.inum;
}

static __always_inline bool st_pass_sk(u32 tgid, const struct sock *sk)
{
	return st_filter_pass(tgid, ntohs(inet_sk(sk)->inet_sport),
			      ntohs(sk->sk_dport), st_netns(sk));
}

static void st_ev_task(struct st_event *ev)
{
	ev->pid = current->tgid;
	ev->uid = from_kuid_munged(&init_user_ns, current_uid());
	st_current_comm(ev->comm);
}

/* ---- connect(): inet_stream_connect (TCP) and inet_dgram_connect (UDP) */

struct st_connect_data {
	u64 t0;
	struct sock *sk;
	u8 daddr[16];
	u16 dport;
	u8 family;
};

/* int (struct socket *sock, struct sockaddr *uaddr, int addr_len, int flags) */
static int st_connect_entry(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	struct socket *sock = (struct socket *)regs_get_kernel_argument(regs, 0);
	struct sockaddr *ua = (struct sockaddr *)regs_get_kernel_argument(regs, 1);
	int len = (int)regs_get_kernel_argument(regs, 2);
	int flags = (int)regs_get_kernel_argument(regs, 3);
	struct st_connect_data *d = (struct st_connect_data *)ri->data;
	struct kretprobe *krp = st_get_kretprobe(ri);
	struct sock *sk = sock->sk;
	struct st_sock *e;

	if (krp)
		st_hit(st_krp_probe(krp));
	/* AF_UNSPEC is a disconnect, not a connection attempt. */
	if (!sk || !st_is_inet(sk) || len < (int)sizeof(struct sockaddr_in) ||
	    (ua->sa_family != AF_INET && ua->sa_family != AF_INET6))
		return 1;

	d->family = ua->sa_family;
	memset(d->daddr, 0, sizeof(d->daddr));
	if (ua->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)ua;

		d->dport = ntohs(sin->sin_port);
		memcpy(d->daddr, &sin->sin_addr, 4);
	} else {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ua;

		if (len < (int)sizeof(struct sockaddr_in6))
			return 1;
		d->dport = ntohs(sin6->sin6_port);
		memcpy(d->daddr, &sin6->sin6_addr, 16);
	}
	if (!st_filter_pass(current->tgid, sk->sk_num, d->dport, st_netns(sk)))
		return 1;

	d->sk = sk;
	d->t0 = ktime_get_ns();
	rcu_read_lock();
	e = st_sock_track(sk, d->t0, false);
	if (e) {
		WRITE_ONCE(e->t_connect, d->t0);
		if ((flags & O_NONBLOCK) && sk->sk_protocol == IPPROTO_TCP)
			set_bit(ST_SK_ASYNC, &e->flags);
	}
	rcu_read_unlock();
	return 0;
}

static unsigned int st_connect_class(int rc)
{
	switch (rc) {
	case 0:
		return ST_CONN_OK;
	case -EINPROGRESS:
		return ST_CONN_INPROGRESS;
	case -ECONNREFUSED:
		return ST_CONN_REFUSED;
	default:
		return ST_CONN_ERROR;
	}
}

static int st_connect_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct st_connect_data *d = (struct st_connect_data *)ri->data;
	/* An int in eax: not sign-extended in the register. */
	int rc = (int)regs_return_value(regs);
	u64 lat = ktime_get_ns() - d->t0;
	struct st_proc_ctr __percpu *c;
	struct st_event ev;

	st_hist_add(SOCKTAP_HIST_CONNECT, lat);
	c = st_proc_ctr();
	if (c)
		this_cpu_inc(c->connect[st_connect_class(rc)]);

	if (!st_events_wanted(SOCKTAP_EV_CONNECT))
		return 0;
	memset(&ev, 0, sizeof(ev));
	ev.type = SOCKTAP_EV_CONNECT;
	ev.time = d->t0 + lat;
	ev.latency = lat;
	ev.result = rc;
	ev.proto = st_proto_index(d->sk->sk_protocol);
	ev.netns = st_netns(d->sk);
	st_ev_task(&ev);
	st_event_flow(&ev, d->sk);
	/* What the caller asked for, even if a failure reset the socket. */
	ev.family = d->family;
	ev.dport = d->dport;
	memcpy(ev.daddr, d->daddr, sizeof(ev.daddr));
	st_event_push(&ev);
	return 0;
}

/* ---- accept(): inet_csk_accept(struct sock *listener, ...) returns the
 * new socket or NULL; only the first argument is the same on every kernel.
 */

static int st_accept_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	*(struct sock **)ri->data =
		(struct sock *)regs_get_kernel_argument(regs, 0);
	return 0;
}

/* tcpaccept's record: the new connection and the listener's backlog. */
static void st_accept_event(const struct sock *lsk, const struct sock *sk,
			    u64 now)
{
	struct st_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = SOCKTAP_EV_ACCEPT;
	ev.time = now;
	ev.proto = SOCKTAP_PROTO_TCP;
	ev.netns = st_netns(sk);
	st_ev_task(&ev);
	st_event_flow(&ev, sk);
	ev.backlog = READ_ONCE(lsk->sk_ack_backlog);
	ev.backlog_max = READ_ONCE(lsk->sk_max_ack_backlog);
	ev.synq = inet_csk_reqsk_queue_len(lsk);
	st_event_push(&ev);
}

static int st_accept_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct sock *sk = (struct sock *)regs_return_value(regs);
	struct sock *lsk = *(struct sock **)ri->data;
	struct kretprobe *krp = st_get_kretprobe(ri);
	struct st_proc_ctr __percpu *c;
	struct st_sock *e;
	u64 now;

	if (krp)
		st_hit(st_krp_probe(krp));
	if (!sk || !st_pass_sk(current->tgid, sk))
		return 0;
	c = st_proc_ctr();
	if (c) {
		this_cpu_inc(c->accepts);
		/* A socket the process now owns: opened, and later closed. */
		this_cpu_inc(c->created);
	}
	now = ktime_get_ns();
	rcu_read_lock();
	e = st_sock_track(sk, now, true);
	if (e) {
		WRITE_ONCE(e->t_est, now);
		set_bit(ST_SK_ACCEPTED, &e->flags);
	}
	rcu_read_unlock();
	if (sk->sk_protocol == IPPROTO_TCP &&
	    st_events_wanted(SOCKTAP_EV_ACCEPT))
		st_accept_event(lsk, sk, now);
	return 0;
}

/* ---- creation: sock_init_data(struct socket *sock, struct sock *sk) */

static int st_create_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct sock *sk = (struct sock *)regs_get_kernel_argument(regs, 1);
	struct st_proc_ctr __percpu *c;

	st_hit(st_kp_probe(kp));
	/* Ports are not known yet: a port filter counts from connect/accept. */
	if (!sk || !st_is_inet(sk) ||
	    !st_filter_pass(current->tgid, 0, 0, st_netns(sk)))
		return 0;
	c = st_proc_ctr();
	if (c)
		this_cpu_inc(c->created);
	rcu_read_lock();
	st_sock_track(sk, ktime_get_ns(), true);
	rcu_read_unlock();
	return 0;
}

/* ---- close(): inet_release(struct socket *sock), in the owner's context */

static int st_release_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct socket *sock = (struct socket *)regs_get_kernel_argument(regs, 0);
	struct sock *sk = sock->sk;
	struct st_proc_ctr __percpu *c;
	struct st_sock *e;
	u64 now, t;

	st_hit(st_kp_probe(kp));
	if (!sk || !st_is_inet(sk) || !st_pass_sk(current->tgid, sk))
		return 0;
	c = st_proc_ctr();
	if (c)
		this_cpu_inc(c->closed);
	rcu_read_lock();
	e = st_sock_find(sk);
	if (e && !test_and_set_bit(ST_SK_CLOSED, &e->flags)) {
		now = ktime_get_ns();
		if (test_bit(ST_SK_CREATED, &e->flags))
			st_hist_add(SOCKTAP_HIST_LIFETIME, now - e->t_create);
		t = READ_ONCE(e->t_est);
		if (t)
			st_hist_add(SOCKTAP_HIST_LIFETIME_EST, now - t);
	}
	rcu_read_unlock();
	return 0;
}

/* ---- destruction: inet_sock_destruct(struct sock *sk), maybe softirq */

static int st_destruct_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct sock *sk = (struct sock *)regs_get_kernel_argument(regs, 0);

	st_hit(st_kp_probe(kp));
	/* Never filtered: the entry must go whoever the owner was. */
	if (sk && st_is_inet(sk))
		st_sock_untrack(sk);
	return 0;
}

/* ---- TCP state: TP_PROTO(const struct sock *sk, int oldstate, int newstate) */

static void st_life_event(const struct sock *sk, struct st_sock *e, u64 now)
{
	struct st_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = SOCKTAP_EV_LIFE;
	ev.time = now;
	ev.proto = SOCKTAP_PROTO_TCP;
	ev.netns = st_netns(sk);
	/* Softirq has no useful current: the owner comes from the table. */
	ev.pid = e->tgid;
	ev.uid = e->uid;
	memcpy(ev.comm, e->comm, sizeof(ev.comm));
	st_event_flow(&ev, sk);
	/*
	 * What the application sent and received, counted by socktap: exact,
	 * unlike bytes_acked/bytes_received, which include SYN and FIN.
	 */
	ev.tx = atomic64_read(&e->tx);
	ev.rx = atomic64_read(&e->rx);
	ev.duration = now - e->t_create;
	st_event_push(&ev);
}

static void st_tp_set_state(void *data, const struct sock *sk,
			    const int oldstate, const int newstate)
{
	struct st_sock *e;
	u64 now, t;

	st_hit(data);
	if (sk->sk_protocol != IPPROTO_TCP)
		return;
	if (oldstate == TCP_SYN_SENT && newstate == TCP_ESTABLISHED) {
		rcu_read_lock();
		e = st_sock_find(sk);
		if (e && st_pass_sk(e->tgid, sk)) {
			now = ktime_get_ns();
			WRITE_ONCE(e->t_est, now);
			t = READ_ONCE(e->t_connect);
			if (test_and_clear_bit(ST_SK_ASYNC, &e->flags) && t)
				st_hist_add(SOCKTAP_HIST_CONNECT_ASYNC, now - t);
		}
		rcu_read_unlock();
	} else if (newstate == TCP_CLOSE &&
		   st_events_wanted(SOCKTAP_EV_LIFE)) {
		rcu_read_lock();
		e = st_sock_find(sk);
		if (e && READ_ONCE(e->t_est) && st_pass_sk(e->tgid, sk))
			st_life_event(sk, e, ktime_get_ns());
		rcu_read_unlock();
	}
}

/* ---- send/receive: bytes by process, protocol and family */

static __always_inline void st_io(struct sock *sk, int ret, bool rx)
{
	struct st_proc_ctr __percpu *c;
	unsigned int p, f;
	bool inet;
	struct st_sock *e;
	u64 t;

	/*
	 * Netlink is the kernel's control plane (and socktap's own CLI), not
	 * network I/O: left out, so reading socktap does not fill its table.
	 */
	if (ret < 0 || !sk || sk->sk_family == AF_NETLINK)
		return;
	inet = st_is_inet(sk);
	if (!st_filter_pass(current->tgid,
			    inet ? ntohs(inet_sk(sk)->inet_sport) : 0,
			    inet ? ntohs(sk->sk_dport) : 0, st_netns(sk)))
		return;
	p = st_proto_index(sk->sk_protocol);
	f = st_family_index(sk->sk_family);
	c = st_proc_ctr();
	if (c) {
		this_cpu_inc(c->io[p][f][rx ? ST_IO_RECVS : ST_IO_SENDS]);
		this_cpu_add(c->io[p][f][rx ? ST_IO_RECV_BYTES : ST_IO_SEND_BYTES],
			     ret);
	}
	if (!inet)
		return;
	if (p != SOCKTAP_PROTO_OTHER) {
		/* TCP_SENDMSG, TCP_RECVMSG, UDP_SENDMSG, UDP_RECVMSG in order */
		unsigned int h = p * 2 + rx;

		st_hist_add(SOCKTAP_HIST_TCP_SENDMSG + h, ret);
		st_size_add(h, ret);
	}
	rcu_read_lock();
	e = st_sock_find(sk);
	if (e) {
		atomic64_add(ret, rx ? &e->rx : &e->tx);
		if (rx && ret > 0 && p == SOCKTAP_PROTO_TCP &&
		    !test_bit(ST_SK_FIRST_BYTE, &e->flags) &&
		    !test_and_set_bit(ST_SK_FIRST_BYTE, &e->flags)) {
			t = READ_ONCE(e->t_est);
			if (t)
				st_hist_add(SOCKTAP_HIST_FIRST_BYTE,
					    ktime_get_ns() - t);
		}
	}
	rcu_read_unlock();
}

/* 6.12+: TP_PROTO(struct sock *sk, int ret, int flags) */
static void st_tp_send_length(void *data, struct sock *sk, int ret, int flags)
{
	st_hit(data);
	st_io(sk, ret, false);
}

static void st_tp_recv_length(void *data, struct sock *sk, int ret, int flags)
{
	st_hit(data);
	st_io(sk, ret, true);
}

/*
 * Older kernels: inet_sendmsg/inet6_sendmsg and inet_recvmsg/inet6_recvmsg
 * (struct socket *sock, struct msghdr *msg, ...), reached through the
 * socket's ops and so never inlined; sock_sendmsg() is inlined into the
 * send syscalls of Debian's 6.1 (a probe there saw no send()).  Other
 * families (UNIX, netlink) are counted only with the tracepoints.
 */
static int st_msg_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct socket *sock = (struct socket *)regs_get_kernel_argument(regs, 0);

	*(struct sock **)ri->data = sock->sk;
	return 0;
}

static int st_send_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct kretprobe *krp = st_get_kretprobe(ri);

	if (krp)
		st_hit(st_krp_probe(krp));
	st_io(*(struct sock **)ri->data, (int)regs_return_value(regs), false);
	return 0;
}

static int st_recv_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct kretprobe *krp = st_get_kretprobe(ri);

	if (krp)
		st_hit(st_krp_probe(krp));
	st_io(*(struct sock **)ri->data, (int)regs_return_value(regs), true);
	return 0;
}

ST_TP_CHECK(inet_sock_set_state, st_tp_set_state)
#ifdef ST_HAVE_TP_SOCK_MSG_LENGTH
ST_TP_CHECK(sock_send_length, st_tp_send_length)
ST_TP_CHECK(sock_recv_length, st_tp_recv_length)
#endif

static struct st_probe st_sock_probes[] = {
	ST_TP("inet_sock_set_state", "sock:inet_sock_set_state",
	      st_tp_set_state),
	ST_KRP(inet_stream_connect, st_connect_entry, st_connect_ret,
	       sizeof(struct st_connect_data)),
	ST_KRP(inet_dgram_connect, st_connect_entry, st_connect_ret,
	       sizeof(struct st_connect_data)),
	ST_KRP(inet_csk_accept, st_accept_entry, st_accept_ret,
	       sizeof(struct sock *)),
	ST_KP(sock_init_data, st_create_pre),
	ST_KP(inet_release, st_release_pre),
	ST_KP(inet_sock_destruct, st_destruct_pre),
	/* The tracepoints where they exist (6.12+), else the return probes. */
	ST_TP_GROUP("sock_send_length", "sock:sock_send_length",
		    st_tp_send_length, "send"),
	ST_KRP_FALLBACK(inet_sendmsg, st_msg_entry, st_send_ret,
			sizeof(struct sock *), "send"),
	ST_KRP_FALLBACK(inet6_sendmsg, st_msg_entry, st_send_ret,
			sizeof(struct sock *), "send"),
	ST_TP_GROUP("sock_recv_length", "sock:sock_recv_length",
		    st_tp_recv_length, "recv"),
	ST_KRP_FALLBACK(inet_recvmsg, st_msg_entry, st_recv_ret,
			sizeof(struct sock *), "recv"),
	ST_KRP_FALLBACK(inet6_recvmsg, st_msg_entry, st_recv_ret,
			sizeof(struct sock *), "recv"),
};

const struct st_probe_family st_family_sock = {
	.name = "sock",
	.probes = st_sock_probes,
	.count = ARRAY_SIZE(st_sock_probes),
};
