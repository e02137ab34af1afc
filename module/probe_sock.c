// SPDX-License-Identifier: GPL-2.0
/*
 * Socket-layer probe points: connect, accept, state changes, and the
 * send/receive length tracepoints of 6.12+.
 */
#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <net/sock.h>

#include "compat.h"
#include "socktap.h"

/* TP_PROTO(const struct sock *sk, const int oldstate, const int newstate) */
static void st_tp_set_state(void *data, const struct sock *sk,
			    const int oldstate, const int newstate)
{
	st_hit(data);
}

/*
 * 6.12+ (sock_send_length, sock_recv_length):
 * TP_PROTO(struct sock *sk, __u16 family, __u16 protocol, int ret, int flags)
 * Older kernels lack the events: the points show as unavailable there.
 */
static void st_tp_msg_length(void *data, struct sock *sk, __u16 family,
			     __u16 protocol, int ret, int flags)
{
	st_hit(data);
}

static int st_kp_count(struct kprobe *kp, struct pt_regs *regs)
{
	st_hit(st_kp_probe(kp));
	return 0;
}

/* inet_csk_accept() returns the child socket or NULL (6.10 changed its args). */
static int st_krp_accept_ret(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct kretprobe *krp = st_get_kretprobe(ri);

	if (krp)
		st_hit(st_krp_probe(krp));
	return 0;
}

static struct st_probe st_sock_probes[] = {
	ST_TP("inet_sock_set_state", "sock:inet_sock_set_state",
	      st_tp_set_state),
	ST_KP(tcp_v4_connect, st_kp_count),
	ST_KP(tcp_v6_connect, st_kp_count),
	ST_KRP(inet_csk_accept, NULL, st_krp_accept_ret, 0),
	ST_TP("sock_send_length", "sock:sock_send_length", st_tp_msg_length),
	ST_TP("sock_recv_length", "sock:sock_recv_length", st_tp_msg_length),
};

const struct st_probe_family st_family_sock = {
	.name = "sock",
	.probes = st_sock_probes,
	.count = ARRAY_SIZE(st_sock_probes),
};
