/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where kernel versions differ for socktap.
 *
 * Each difference is a feature macro named for what changed, with the
 * release and the change that introduced it.  The macros come from
 * feature tests in Kbuild (grepping the target's headers), so a
 * distribution backport is honoured; code elsewhere tests the feature,
 * never a version number.
 */
#ifndef _SOCKTAP_COMPAT_H
#define _SOCKTAP_COMPAT_H

#include <linux/kprobes.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>

/*
 * ST_HAVE_GET_KRETPROBE: 5.11, d741bf41d7c7 ("kprobes: Remove kretprobe
 * hash"): a kretprobe instance no longer carries ->rp; get_kretprobe()
 * reads it, RCU-safe.
 */

static inline struct kretprobe *st_get_kretprobe(struct kretprobe_instance *ri)
{
#ifdef ST_HAVE_GET_KRETPROBE
	return get_kretprobe(ri);
#else
	return ri->rp;
#endif
}

/*
 * ST_HAVE_TP_SOCK_MSG_LENGTH: the sock:sock_send_length and
 * sock:sock_recv_length tracepoints (added after 6.1: present in the 6.12
 * and 7.x headers, absent in 5.10 and 6.1), TP_PROTO(struct sock *sk,
 * int ret, int flags).  Without them socket I/O is counted by return
 * probes on sock_sendmsg/sock_recvmsg; the registry picks at run time,
 * this macro only enables the prototype check in tp_check.h.
 */

/*
 * ST_HAVE_TP_RETRANSMIT_ERR: tcp:tcp_retransmit_skb gained an "err"
 * argument after 6.12 (present in the 7.x headers): TP_PROTO(sk, skb,
 * err); it then also fires for failed attempts, which RetransSegs has
 * always counted.
 */

/*
 * ST_HAVE_TP_PROBE_CONST_SKB: tcp:tcp_probe takes a const skb in the 7.x
 * headers (TP_PROTO(struct sock *sk, const struct sk_buff *skb)), a
 * plain one up to 6.12.
 */
#ifdef ST_HAVE_TP_PROBE_CONST_SKB
#define ST_TP_PROBE_SKB const struct sk_buff
#else
#define ST_TP_PROBE_SKB struct sk_buff
#endif

/*
 * skb:kfree_skb, one prototype per kernel of the matrix:
 * ST_HAVE_TP_KFREE_SKB_REASON: 5.17, c504e5c2f964 ("net: skb: introduce
 * kfree_skb_reason()"): (skb, location, reason).
 * ST_HAVE_TP_KFREE_SKB_RX_SK: 6.11?, in the 6.12 headers: + struct sock
 * *rx_sk, the receiving socket.  ST_HAVE_TP_KFREE_SKB_RX_SK_CONST: the
 * 7.x headers make it const.  Reason numbers differ between kernels: the
 * CLI names them from tracefs.
 */

/*
 * 6.1, 9c5d03d36251 ("genetlink: start to validate reserved header bytes"):
 * genl_family grew resv_start_op.  New families leave it at zero, which
 * means strict validation of every command; older kernels always validate
 * strictly unless an op opts out, so nothing to do but document it here.
 */

/*
 * 6.10, 92ef0fd55ac8 ("net: change proto and proto_ops accept type"):
 * inet_csk_accept() lost its flags/err arguments, so only the return
 * value (the new socket) is read; that is stable on every kernel.
 */

/*
 * ST_HAVE_GENL_MCAST_CAP: 6.7, 4d54cc32112d ("genetlink: add CAP_NET_ADMIN
 * test for multicast bind"), in Debian's 6.1 too: the core refuses to
 * subscribe sockets without CAP_NET_ADMIN.  Without it (5.10) anyone may
 * join a generic netlink group, so the stream is sent only to receivers
 * whose opener had CAP_NET_ADMIN: events name processes and addresses.
 */
#ifdef ST_HAVE_GENL_MCAST_CAP
#define ST_GENL_MCGRP(_name) { .name = _name, .flags = GENL_MCAST_CAP_NET_ADMIN }
#else
#define ST_GENL_MCGRP(_name) { .name = _name }
#endif

#ifndef ST_HAVE_GENL_MCAST_CAP
static inline int st_mc_unprivileged(struct sock *dsk, struct sk_buff *skb,
				     void *data)
{
	return !sk_ns_capable(dsk, &init_user_ns, CAP_NET_ADMIN);
}
#endif

static inline int st_genl_multicast(const struct genl_family *family,
				    struct sk_buff *skb, unsigned int group)
{
#ifdef ST_HAVE_GENL_MCAST_CAP
	return genlmsg_multicast(family, skb, 0, group, GFP_KERNEL);
#else
	u32 id = family->mcgrp_offset + group;

	NETLINK_CB(skb).dst_group = id;
	return netlink_broadcast_filtered(init_net.genl_sock, skb, 0, id,
					  GFP_KERNEL, st_mc_unprivileged, NULL);
#endif
}

/*
 * User stacks walk frame pointers from the registers a system call saved
 * (x86-64: rbp; arm64: x29, both pointing at {caller's frame pointer,
 * return address}).  Architectures not listed get no user stacks.  The
 * walk reads with copy_from_user_nofault() (5.8, c0ee37e85e0e, "maccess:
 * rename probe_user_{read,write} to copy_{from,to}_user_nofault"): every
 * kernel we support has it.
 */
#if defined(CONFIG_X86_64)
#define ST_HAVE_USER_FRAME_POINTER
#define st_user_frame_pointer(r)	((r)->bp)
#elif defined(CONFIG_ARM64)
#define ST_HAVE_USER_FRAME_POINTER
#define st_user_frame_pointer(r)	((r)->regs[29])
#endif

/*
 * ST_HAVE_KMALLOC_OBJ: typed allocation helpers in slab.h (added after
 * 6.12: present in the 7.3 headers, absent in 6.12), kmalloc_obj(VAR_OR_TYPE,
 * gfp) allocating sizeof that; checkpatch asks for them.  Older
 * kernels get the same from kmalloc().
 */
#ifndef ST_HAVE_KMALLOC_OBJ
#define kmalloc_obj(P, gfp)	kmalloc(sizeof(P), gfp)
#define kzalloc_obj(P, gfp)	kzalloc(sizeof(P), gfp)
#endif

#endif /* _SOCKTAP_COMPAT_H */
