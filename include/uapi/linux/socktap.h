/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * socktap: network stack tracing from a loadable module.
 *
 * The one interface shared by the module and the CLI: the generic netlink
 * family, its commands and attributes, and the enums both sides print.
 * Numbers here are ABI: append, never renumber.
 */
#ifndef _UAPI_LINUX_SOCKTAP_H
#define _UAPI_LINUX_SOCKTAP_H

#define SOCKTAP_GENL_NAME	"socktap"
#define SOCKTAP_GENL_VERSION	1

/* Longest probe name, including the terminating NUL. */
#define SOCKTAP_PROBE_NAME_MAX	64

/**
 * enum socktap_cmd - generic netlink commands of the "socktap" family
 * @SOCKTAP_CMD_STATUS: doit; reply carries %SOCKTAP_A_VERSION,
 *	%SOCKTAP_A_KRELEASE, %SOCKTAP_A_GENL_VERSION and %SOCKTAP_A_PROBE_COUNT.
 * @SOCKTAP_CMD_PROBE_GET: dumpit; one message per probe point with the
 *	%SOCKTAP_A_PROBE_* attributes.
 * @SOCKTAP_CMD_PROBE_SET: doit, needs CAP_NET_ADMIN; attaches or detaches
 *	the probe named by %SOCKTAP_A_PROBE_NAME as %SOCKTAP_A_PROBE_ENABLE says.
 *	Replies with the probe's new state, like one PROBE_GET message.
 */
enum socktap_cmd {
	SOCKTAP_CMD_UNSPEC,
	SOCKTAP_CMD_STATUS,
	SOCKTAP_CMD_PROBE_GET,
	SOCKTAP_CMD_PROBE_SET,

	__SOCKTAP_CMD_MAX,
	SOCKTAP_CMD_MAX = __SOCKTAP_CMD_MAX - 1
};

/**
 * enum socktap_attr - attributes of the "socktap" family
 * @SOCKTAP_A_PAD: padding for 64-bit attributes
 * @SOCKTAP_A_VERSION: string, module version (as modinfo shows it)
 * @SOCKTAP_A_KRELEASE: string, release of the running kernel
 * @SOCKTAP_A_GENL_VERSION: u32, %SOCKTAP_GENL_VERSION of the module
 * @SOCKTAP_A_PROBE_COUNT: u32, number of probe points the module knows
 * @SOCKTAP_A_PROBE_NAME: string, stable name of a probe point
 * @SOCKTAP_A_PROBE_TARGET: string, kernel function or "system:event"
 * @SOCKTAP_A_PROBE_KIND: u8, &enum socktap_probe_kind
 * @SOCKTAP_A_PROBE_STATE: u8, &enum socktap_probe_state
 * @SOCKTAP_A_PROBE_HITS: u64, handler runs since load (summed over CPUs)
 * @SOCKTAP_A_PROBE_MISSED: u64, hits the kprobe layer could not deliver
 * @SOCKTAP_A_PROBE_ERROR: u32, positive errno of the last failed attach
 * @SOCKTAP_A_PROBE_ENABLE: u8, 1 to attach, 0 to detach (PROBE_SET)
 */
enum socktap_attr {
	SOCKTAP_A_UNSPEC,
	SOCKTAP_A_PAD,
	SOCKTAP_A_VERSION,
	SOCKTAP_A_KRELEASE,
	SOCKTAP_A_GENL_VERSION,
	SOCKTAP_A_PROBE_COUNT,
	SOCKTAP_A_PROBE_NAME,
	SOCKTAP_A_PROBE_TARGET,
	SOCKTAP_A_PROBE_KIND,
	SOCKTAP_A_PROBE_STATE,
	SOCKTAP_A_PROBE_HITS,
	SOCKTAP_A_PROBE_MISSED,
	SOCKTAP_A_PROBE_ERROR,
	SOCKTAP_A_PROBE_ENABLE,

	__SOCKTAP_A_MAX,
	SOCKTAP_A_MAX = __SOCKTAP_A_MAX - 1
};

/**
 * enum socktap_probe_kind - how a probe point is attached
 * @SOCKTAP_PROBE_TRACEPOINT: a kernel tracepoint (stable, cheapest)
 * @SOCKTAP_PROBE_KPROBE: a kprobe at function entry
 * @SOCKTAP_PROBE_KRETPROBE: a kretprobe, used where the return value matters
 */
enum socktap_probe_kind {
	SOCKTAP_PROBE_TRACEPOINT,
	SOCKTAP_PROBE_KPROBE,
	SOCKTAP_PROBE_KRETPROBE,

	__SOCKTAP_PROBE_KIND_MAX
};

/**
 * enum socktap_probe_state - what a probe point is doing
 * @SOCKTAP_STATE_ATTACHED: registered and counting
 * @SOCKTAP_STATE_UNAVAILABLE: this kernel lacks the function or tracepoint
 *	(inlined, renamed, blacklisted or not built); the others keep working
 * @SOCKTAP_STATE_DISABLED: switched off by the "disable" module parameter
 *	or %SOCKTAP_CMD_PROBE_SET
 * @SOCKTAP_STATE_FAILED: the kernel refused it for another reason, see
 *	%SOCKTAP_A_PROBE_ERROR
 */
enum socktap_probe_state {
	SOCKTAP_STATE_ATTACHED,
	SOCKTAP_STATE_UNAVAILABLE,
	SOCKTAP_STATE_DISABLED,
	SOCKTAP_STATE_FAILED,

	__SOCKTAP_STATE_MAX
};

#endif /* _UAPI_LINUX_SOCKTAP_H */
