// SPDX-License-Identifier: GPL-2.0
/*
 * TCP layer: DTrace's tcp provider events as counters, state changes with
 * the time spent in each state, retransmissions by cause, resets, and
 * listener backlogs.  Most handlers run in softirq: the process comes
 * from the socket table, never from current.
 */
#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <linux/tcp.h>
#include <linux/timekeeping.h>
#include <net/inet_connection_sock.h>
#include <net/inet_sock.h>
#include <net/request_sock.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <net/tcp_states.h>
#include <trace/events/sock.h>
#include <trace/events/tcp.h>

#include "compat.h"
#include "events.h"
#include "filter.h"
#include "hist.h"
#include "listentab.h"
#include "socktab.h"
#include "socktap.h"
#include "tcpstat.h"
#include "tp_check.h"

struct st_tcp_pcpu {
	u64 c[__SOCKTAP_TCP_MAX];
	/* A tail loss probe in progress on this CPU (timer, socket locked). */
	const struct sock *tlp_sk;
	bool tlp_retrans;
};

static struct st_tcp_pcpu __percpu *st_tcp;

static __always_inline void st_tcp_inc(unsigned int c)
{
	this_cpu_inc(st_tcp->c[c]);
}

void st_tcp_count(unsigned int c)
{
	st_tcp_inc(c);
}

void st_tcp_read(u64 *out)
{
	int cpu, i;

	memset(out, 0, sizeof(u64) * __SOCKTAP_TCP_MAX);
	for_each_possible_cpu(cpu) {
		const struct st_tcp_pcpu *p = per_cpu_ptr(st_tcp, cpu);

		for (i = 0; i < __SOCKTAP_TCP_MAX; i++)
			out[i] += READ_ONCE(p->c[i]);
	}
}

void st_tcp_reset(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(st_tcp, cpu)->c, 0, sizeof(st_tcp->c));
}

static u32 st_netns(const struct sock *sk)
{
	return sock_net(sk)->ns.inum;
}

static u16 st_lport(const struct sock *sk)
{
	return ntohs(inet_sk(sk)->inet_sport);
}

/* Owner of sk from the socket table, and whether the filter passes. */
static bool st_owner(const struct sock *sk, struct st_sock **ep)
{
	struct st_sock *e = st_sock_find(sk);

	*ep = e;
	return st_filter_pass(e ? e->tgid : 0, st_lport(sk),
			      ntohs(sk->sk_dport), st_netns(sk));
}

/* Flow, owner and namespace of an event about sk. */
static void st_ev_sock(struct st_event *ev, u8 type, const struct sock *sk,
		       const struct st_sock *e, u64 now)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->time = now;
	ev->proto = SOCKTAP_PROTO_TCP;
	ev->netns = st_netns(sk);
	ev->newstate = sk->sk_state;
	st_event_flow(ev, sk);
	if (e) {
		ev->pid = e->tgid;
		ev->uid = e->uid;
		memcpy(ev->comm, e->comm, sizeof(ev->comm));
	}
}

/* ---- state changes: a second handler on sock:inet_sock_set_state */

static void st_tcp_state(void *data, const struct sock *sk, const int oldstate,
			 const int newstate)
{
	struct st_sock *e;
	struct st_event ev;
	u64 now, dur = 0, t;

	st_hit(data);
	if (sk->sk_protocol != IPPROTO_TCP)
		return;
	rcu_read_lock();
	if (!st_owner(sk, &e))
		goto out;
	st_tcp_inc(SOCKTAP_TCP_STATE_CHANGE);
	if (oldstate == TCP_CLOSE && newstate == TCP_SYN_SENT)
		st_tcp_inc(SOCKTAP_TCP_CONNECT_REQUEST);
	else if (oldstate == TCP_SYN_SENT && newstate == TCP_ESTABLISHED)
		st_tcp_inc(SOCKTAP_TCP_CONNECT_ESTABLISHED);
	else if (oldstate == TCP_SYN_RECV && newstate == TCP_ESTABLISHED)
		st_tcp_inc(SOCKTAP_TCP_ACCEPT_ESTABLISHED);

	now = ktime_get_ns();
	if (e) {
		t = xchg(&e->t_state, now);
		if (t) {
			dur = now - t;
			st_hist_add(SOCKTAP_HIST_STATE_TIME, dur);
		}
	}
	if (st_events_wanted(SOCKTAP_EV_STATE)) {
		st_ev_sock(&ev, SOCKTAP_EV_STATE, sk, e, now);
		ev.oldstate = oldstate;
		ev.newstate = newstate;
		ev.duration = dur;
		st_event_push(&ev);
	}
out:
	rcu_read_unlock();
}

/* ---- segments: __tcp_transmit_skb(sk, skb, ...) sends every segment */

/* Per-segment records only while a filter narrows them: too many else. */
static bool st_segment_wanted(u8 type)
{
	return READ_ONCE(st_filter.active) && st_events_wanted(type);
}

static void st_segment_event(u8 type, const struct sock *sk, u32 len,
			     u32 segs)
{
	struct st_event ev;
	struct st_sock *e;

	rcu_read_lock();
	e = sk_fullsock(sk) ? st_sock_find(sk) : NULL;
	st_ev_sock(&ev, type, sk, e, ktime_get_ns());
	if (type == SOCKTAP_EV_SEND)
		ev.tx = len;
	else
		ev.rx = len;
	ev.segs = segs;
	st_event_push(&ev);
	rcu_read_unlock();
}

static int st_xmit_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct sock *sk = (struct sock *)regs_get_kernel_argument(regs, 0);
	struct sk_buff *skb = (struct sk_buff *)regs_get_kernel_argument(regs, 1);

	st_hit(st_kp_probe(kp));
	if (!st_filter_pass(0, st_lport(sk), ntohs(sk->sk_dport), st_netns(sk)))
		return 0;
	/* Segments, as the MIB counts them: a TSO skb carries several. */
	this_cpu_add(st_tcp->c[SOCKTAP_TCP_SEND], tcp_skb_pcount(skb));
	/* The header is not pushed yet: skb->len is the payload. */
	st_hist_add(SOCKTAP_HIST_TCP_SEND_SIZE, skb->len);
	if (st_segment_wanted(SOCKTAP_EV_SEND))
		st_segment_event(SOCKTAP_EV_SEND, sk, skb->len,
				 tcp_skb_pcount(skb));
	return 0;
}

static void st_rcv(struct sock *sk, const struct sk_buff *skb)
{
	unsigned int hlen = tcp_hdr(skb)->doff * 4;
	unsigned int len = skb->len > hlen ? skb->len - hlen : 0;

	if (!st_filter_pass(0, st_lport(sk), ntohs(sk->sk_dport), st_netns(sk)))
		return;
	st_tcp_inc(SOCKTAP_TCP_RECEIVE);
	st_hist_add(SOCKTAP_HIST_TCP_RECV_SIZE, len);
	if (st_segment_wanted(SOCKTAP_EV_RECEIVE))
		st_segment_event(SOCKTAP_EV_RECEIVE, sk, len, 1);
}

/* tcp:tcp_probe: TP_PROTO(struct sock *sk, struct sk_buff *skb), each
 * segment of an established connection, data at the TCP header.
 */
static void st_tp_probe(void *data, struct sock *sk, ST_TP_PROBE_SKB *skb)
{
	st_hit(data);
	st_rcv(sk, skb);
}

/* tcp_rcv_state_process(sk, skb): segments in every other state. */
static int st_rcv_state_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct sock *sk = (struct sock *)regs_get_kernel_argument(regs, 0);
	struct sk_buff *skb = (struct sk_buff *)regs_get_kernel_argument(regs, 1);

	st_hit(st_kp_probe(kp));
	st_rcv(sk, skb);
	return 0;
}

/*
 * tcp_timewait_state_process(struct inet_timewait_sock *tw, skb, th):
 * segments for TIME_WAIT (and orphaned FIN_WAIT2) minisockets, the peer's
 * FIN among them.  Only the sock_common part of tw is valid.
 */
static int st_rcv_tw_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct sock_common *skc = (struct sock_common *)regs_get_kernel_argument(regs, 0);
	struct sk_buff *skb = (struct sk_buff *)regs_get_kernel_argument(regs, 1);
	unsigned int hlen = tcp_hdr(skb)->doff * 4;

	st_hit(st_kp_probe(kp));
	if (!st_filter_pass(0, skc->skc_num, ntohs(skc->skc_dport),
			    read_pnet(&skc->skc_net)->ns.inum))
		return 0;
	st_tcp_inc(SOCKTAP_TCP_RECEIVE);
	st_hist_add(SOCKTAP_HIST_TCP_RECV_SIZE,
		    skb->len > hlen ? skb->len - hlen : 0);
	return 0;
}

/* ---- retransmissions */

static unsigned int st_retrans_type(const struct sock *sk,
				    struct st_tcp_pcpu *p)
{
	if (p->tlp_sk == sk) {
		p->tlp_retrans = true;
		return SOCKTAP_RETRANS_TLP;
	}
	if (sk->sk_state == TCP_SYN_SENT)
		return SOCKTAP_RETRANS_SYN;
	switch (inet_csk(sk)->icsk_ca_state) {
	case TCP_CA_Loss:
		return SOCKTAP_RETRANS_RTO;
	case TCP_CA_Recovery:
	case TCP_CA_Disorder:
		return SOCKTAP_RETRANS_FAST;
	default:
		return SOCKTAP_RETRANS_OTHER;
	}
}

static const unsigned int st_retrans_counter[__SOCKTAP_RETRANS_MAX] = {
	[SOCKTAP_RETRANS_RTO] = SOCKTAP_TCP_RETRANS_RTO,
	[SOCKTAP_RETRANS_FAST] = SOCKTAP_TCP_RETRANS_FAST,
	[SOCKTAP_RETRANS_TLP] = SOCKTAP_TCP_RETRANS_TLP,
	[SOCKTAP_RETRANS_SYN] = SOCKTAP_TCP_RETRANS_SYN,
	[SOCKTAP_RETRANS_SYNACK] = SOCKTAP_TCP_RETRANS_SYNACK,
	[SOCKTAP_RETRANS_OTHER] = SOCKTAP_TCP_RETRANS_OTHER,
};

static void st_retrans(const struct sock *sk, const struct sk_buff *skb)
{
	struct st_tcp_pcpu *p = this_cpu_ptr(st_tcp);
	unsigned int type = st_retrans_type(sk, p);
	unsigned int segs = tcp_skb_pcount(skb);
	struct st_event ev;
	struct st_sock *e;

	rcu_read_lock();
	if (!st_owner(sk, &e))
		goto out;
	st_tcp_inc(SOCKTAP_TCP_RETRANS);
	this_cpu_add(st_tcp->c[SOCKTAP_TCP_RETRANS_SEGS], segs);
	st_tcp_inc(st_retrans_counter[type]);
	/* A TLP is reported once, when it ends (st_tlp_ret). */
	if (type != SOCKTAP_RETRANS_TLP &&
	    st_events_wanted(SOCKTAP_EV_RETRANS)) {
		st_ev_sock(&ev, SOCKTAP_EV_RETRANS, sk, e, ktime_get_ns());
		ev.retrans_type = type;
		ev.segs = segs;
		st_event_push(&ev);
	}
out:
	rcu_read_unlock();
}

#ifdef ST_HAVE_TP_RETRANSMIT_ERR
/* 7.x: TP_PROTO(const struct sock *sk, const struct sk_buff *skb, int err) */
static void st_tp_retransmit(void *data, const struct sock *sk,
			     const struct sk_buff *skb, int err)
{
	st_hit(data);
	/* Failed attempts count in RetransSegs too, as before 7.x. */
	st_retrans(sk, skb);
}
#else
/* TP_PROTO(const struct sock *sk, const struct sk_buff *skb) */
static void st_tp_retransmit(void *data, const struct sock *sk,
			     const struct sk_buff *skb)
{
	st_hit(data);
	st_retrans(sk, skb);
}
#endif

/* TP_PROTO(const struct sock *sk, const struct request_sock *req) */
static void st_tp_retransmit_synack(void *data, const struct sock *sk,
				    const struct request_sock *req)
{
	struct st_event ev;
	struct st_sock *e;

	st_hit(data);
	rcu_read_lock();
	if (!st_owner(sk, &e))
		goto out;
	st_tcp_inc(SOCKTAP_TCP_RETRANS);
	st_tcp_inc(SOCKTAP_TCP_RETRANS_SEGS);
	st_tcp_inc(SOCKTAP_TCP_RETRANS_SYNACK);
	if (st_events_wanted(SOCKTAP_EV_RETRANS)) {
		/* The listener, with the peer the SYN-ACK went to. */
		st_ev_sock(&ev, SOCKTAP_EV_RETRANS, sk, e, ktime_get_ns());
		ev.dport = ntohs(inet_rsk(req)->ir_rmt_port);
		if (sk->sk_family == AF_INET)
			memcpy(ev.daddr, &inet_rsk(req)->ir_rmt_addr, 4);
#if IS_ENABLED(CONFIG_IPV6)
		else
			memcpy(ev.daddr, &inet_rsk(req)->ir_v6_rmt_addr, 16);
#endif
		ev.newstate = TCP_SYN_RECV;
		ev.retrans_type = SOCKTAP_RETRANS_SYNACK;
		ev.segs = 1;
		st_event_push(&ev);
	}
out:
	rcu_read_unlock();
}

/*
 * tcp_send_loss_probe(struct sock *sk): mark the CPU so a retransmission
 * inside is typed TLP; the kernel counts a probe as sent (TCPLossProbes)
 * exactly when it sets tlp_high_seq, which it requires to be 0 on entry.
 */
struct st_tlp_data {
	const struct sock *sk;
	u32 high_seq;
};

static int st_tlp_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct st_tcp_pcpu *p = this_cpu_ptr(st_tcp);
	struct st_tlp_data *d = (struct st_tlp_data *)ri->data;

	d->sk = (const struct sock *)regs_get_kernel_argument(regs, 0);
	d->high_seq = READ_ONCE(tcp_sk(d->sk)->tlp_high_seq);
	p->tlp_sk = d->sk;
	p->tlp_retrans = false;
	return 0;
}

static int st_tlp_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct st_tlp_data *d = (struct st_tlp_data *)ri->data;
	const struct sock *sk = d->sk;
	struct st_tcp_pcpu *p = this_cpu_ptr(st_tcp);
	struct kretprobe *krp = st_get_kretprobe(ri);
	struct st_event ev;
	struct st_sock *e;

	if (krp)
		st_hit(st_krp_probe(krp));
	p->tlp_sk = NULL;
	if (d->high_seq || !READ_ONCE(tcp_sk(sk)->tlp_high_seq))
		return 0;
	rcu_read_lock();
	if (st_owner(sk, &e)) {
		/* What the kernel counts as TCPLossProbes. */
		st_tcp_inc(SOCKTAP_TCP_LOSS_PROBES);
		if (st_events_wanted(SOCKTAP_EV_RETRANS)) {
			st_ev_sock(&ev, SOCKTAP_EV_RETRANS, sk, e,
				   ktime_get_ns());
			ev.retrans_type = SOCKTAP_RETRANS_TLP;
			ev.segs = p->tlp_retrans;
			st_event_push(&ev);
		}
	}
	rcu_read_unlock();
	return 0;
}

/* ---- resets */

static void st_reset_event(const struct sock *sk, unsigned int kind)
{
	struct st_event ev;
	struct st_sock *e;

	rcu_read_lock();
	if (st_owner(sk, &e) && st_events_wanted(SOCKTAP_EV_RESET)) {
		st_ev_sock(&ev, SOCKTAP_EV_RESET, sk, e, ktime_get_ns());
		ev.reason = kind;
		st_event_push(&ev);
	}
	rcu_read_unlock();
}

/* tcp:tcp_receive_reset: TP_PROTO(struct sock *sk), from tcp_reset(). */
static void st_tp_receive_reset(void *data, struct sock *sk)
{
	st_hit(data);
	st_tcp_inc(SOCKTAP_TCP_RST_RECEIVED);
	if (sk->sk_state == TCP_SYN_SENT)
		st_tcp_inc(SOCKTAP_TCP_CONNECT_REFUSED);
	st_reset_event(sk, SOCKTAP_RESET_RECEIVED);
}

/*
 * tcp_v4_send_reset / tcp_v6_send_reset(const struct sock *sk,
 * struct sk_buff *skb, ...): a RST answering skb; without a socket and
 * for a SYN, that is a refused connection attempt.
 */
static int st_send_reset_pre(struct kprobe *kp, struct pt_regs *regs)
{
	const struct sock *sk = (const struct sock *)regs_get_kernel_argument(regs, 0);
	struct sk_buff *skb = (struct sk_buff *)regs_get_kernel_argument(regs, 1);
	const struct tcphdr *th = tcp_hdr(skb);

	st_hit(st_kp_probe(kp));
	/* The kernel sends no RST in answer to a RST. */
	if (th->rst)
		return 0;
	st_tcp_inc(SOCKTAP_TCP_RST_SENT);
	if (!sk && th->syn && !th->ack)
		st_tcp_inc(SOCKTAP_TCP_ACCEPT_REFUSED);
	if (sk && sk_fullsock(sk))
		st_reset_event(sk, SOCKTAP_RESET_SENT);
	return 0;
}

/* tcp_send_active_reset(struct sock *sk, ...): abort, close with unread data. */
static int st_active_reset_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct sock *sk = (struct sock *)regs_get_kernel_argument(regs, 0);

	st_hit(st_kp_probe(kp));
	st_tcp_inc(SOCKTAP_TCP_RST_SENT);
	st_reset_event(sk, SOCKTAP_RESET_SENT);
	return 0;
}

/* ---- listeners: backlog at each connection, overflows */

static void st_overflow_event(const struct sock *sk, unsigned int counter)
{
	struct st_event ev;
	struct st_sock *e;

	st_tcp_inc(counter);
	if (!st_events_wanted(SOCKTAP_EV_OVERFLOW))
		return;
	rcu_read_lock();
	e = st_sock_find(sk);
	st_ev_sock(&ev, SOCKTAP_EV_OVERFLOW, sk, e, ktime_get_ns());
	ev.backlog = READ_ONCE(sk->sk_ack_backlog);
	ev.backlog_max = READ_ONCE(sk->sk_max_ack_backlog);
	ev.synq = inet_csk_reqsk_queue_len(sk);
	ev.reason = counter;
	st_event_push(&ev);
	rcu_read_unlock();
}

/*
 * tcp_conn_request(rsk_ops, af_ops, struct sock *sk, skb): a SYN for a
 * listener.  The kernel drops it (ListenOverflows) when the accept queue
 * is full, or when the SYN queue is full and cookies are off.
 */
static int st_conn_request_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct sock *sk = (struct sock *)regs_get_kernel_argument(regs, 2);
	struct st_listen_ctr __percpu *c;

	st_hit(st_kp_probe(kp));
	if (!st_filter_pass(0, sk->sk_num, 0, st_netns(sk)))
		return 0;
	c = st_listen_ctr(sk);
	if (sk_acceptq_is_full(sk)) {
		if (c)
			this_cpu_inc(c->overflows);
		st_overflow_event(sk, SOCKTAP_TCP_LISTEN_OVERFLOW);
	} else if (inet_csk_reqsk_queue_is_full(sk) &&
		   !READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_syncookies)) {
		if (c)
			this_cpu_inc(c->syn_drops);
		st_overflow_event(sk, SOCKTAP_TCP_SYN_DROP);
	}
	return 0;
}

/*
 * tcp_v4_syn_recv_sock / tcp_v6_syn_recv_sock(const struct sock *sk, ...):
 * the handshake's last ACK makes a child for the accept queue (tcpsynbl's
 * moment), or overflows it (ListenOverflows).
 */
static void st_syn_recv_sock(struct sock *sk)
{
	struct st_listen_ctr __percpu *c;

	if (!st_filter_pass(0, sk->sk_num, 0, st_netns(sk)))
		return;
	c = st_listen_ctr(sk);
	if (sk_acceptq_is_full(sk)) {
		if (c)
			this_cpu_inc(c->overflows);
		st_overflow_event(sk, SOCKTAP_TCP_LISTEN_OVERFLOW);
		return;
	}
	if (c) {
		this_cpu_inc(c->conns);
		this_cpu_inc(c->acceptq[st_qlen_bucket(READ_ONCE(sk->sk_ack_backlog))]);
		this_cpu_inc(c->synq[st_qlen_bucket(inet_csk_reqsk_queue_len(sk))]);
	}
}

static int st_syn_recv_sock4_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct sock *sk = (struct sock *)regs_get_kernel_argument(regs, 0);

	st_hit(st_kp_probe(kp));
	/* The v6 one calls it for v4-mapped peers: counted there already. */
	if (sk->sk_family == AF_INET)
		st_syn_recv_sock(sk);
	return 0;
}

static int st_syn_recv_sock6_pre(struct kprobe *kp, struct pt_regs *regs)
{
	st_hit(st_kp_probe(kp));
	st_syn_recv_sock((struct sock *)regs_get_kernel_argument(regs, 0));
	return 0;
}

ST_TP_CHECK(inet_sock_set_state, st_tcp_state)
ST_TP_CHECK(tcp_probe, st_tp_probe)
ST_TP_CHECK(tcp_retransmit_skb, st_tp_retransmit)
ST_TP_CHECK(tcp_retransmit_synack, st_tp_retransmit_synack)
ST_TP_CHECK(tcp_receive_reset, st_tp_receive_reset)

static struct st_probe st_tcp_probes[] = {
	ST_TP("tcp_state", "sock:inet_sock_set_state", st_tcp_state),
	ST_KP(__tcp_transmit_skb, st_xmit_pre),
	ST_TP("tcp_probe", "tcp:tcp_probe", st_tp_probe),
	ST_KP(tcp_rcv_state_process, st_rcv_state_pre),
	ST_KP(tcp_timewait_state_process, st_rcv_tw_pre),
	ST_TP("tcp_retransmit_skb", "tcp:tcp_retransmit_skb",
	      st_tp_retransmit),
	ST_TP("tcp_retransmit_synack", "tcp:tcp_retransmit_synack",
	      st_tp_retransmit_synack),
	ST_KRP(tcp_send_loss_probe, st_tlp_entry, st_tlp_ret,
	       sizeof(struct st_tlp_data)),
	ST_TP("tcp_receive_reset", "tcp:tcp_receive_reset",
	      st_tp_receive_reset),
	ST_KP(tcp_v4_send_reset, st_send_reset_pre),
	ST_KP(tcp_v6_send_reset, st_send_reset_pre),
	ST_KP(tcp_send_active_reset, st_active_reset_pre),
	ST_KP(tcp_conn_request, st_conn_request_pre),
	ST_KP(tcp_v4_syn_recv_sock, st_syn_recv_sock4_pre),
	ST_KP(tcp_v6_syn_recv_sock, st_syn_recv_sock6_pre),
};

static int st_tcp_init(void)
{
	st_tcp = alloc_percpu(struct st_tcp_pcpu);
	return st_tcp ? 0 : -ENOMEM;
}

static void st_tcp_exit(void)
{
	free_percpu(st_tcp);
	st_tcp = NULL;
}

const struct st_probe_family st_family_tcp = {
	.name = "tcp",
	.probes = st_tcp_probes,
	.count = ARRAY_SIZE(st_tcp_probes),
	.init = st_tcp_init,
	.exit = st_tcp_exit,
};
