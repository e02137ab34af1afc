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

#endif /* _SOCKTAP_COMPAT_H */
