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
/* Multicast group of the event streams (SOCKTAP_CMD_EVENT messages). */
#define SOCKTAP_GENL_MCGRP	"events"

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
 * @SOCKTAP_CMD_PROC_GET: dumpit; one message per process in the process
 *	table: %SOCKTAP_A_PROC_* and one nested %SOCKTAP_A_IO per protocol
 *	and family the process used.
 * @SOCKTAP_CMD_HIST_GET: dumpit, or doit with %SOCKTAP_A_HIST_ID; one
 *	message per histogram: %SOCKTAP_A_HIST_*.
 * @SOCKTAP_CMD_FILTER_SET: doit, needs CAP_NET_ADMIN; sets the in-kernel
 *	filter (%SOCKTAP_A_FILTER_*; an absent or zero attribute matches
 *	everything).  With %SOCKTAP_A_FILTER_OWNED the filter is cleared again
 *	when the requesting netlink socket closes.
 * @SOCKTAP_CMD_RESET: doit, needs CAP_NET_ADMIN; empties the process table
 *	and the histograms (the socket table follows live sockets and stays).
 * @SOCKTAP_CMD_EVENT: multicast on %SOCKTAP_GENL_MCGRP, one message per
 *	event: %SOCKTAP_A_EV_*.
 */
enum socktap_cmd {
	SOCKTAP_CMD_UNSPEC,
	SOCKTAP_CMD_STATUS,
	SOCKTAP_CMD_PROBE_GET,
	SOCKTAP_CMD_PROBE_SET,
	SOCKTAP_CMD_PROC_GET,
	SOCKTAP_CMD_HIST_GET,
	SOCKTAP_CMD_FILTER_SET,
	SOCKTAP_CMD_RESET,
	SOCKTAP_CMD_EVENT,

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
 * @SOCKTAP_A_PROBE_GROUP: string, points that do the same job (a stable
 *	tracepoint and its kprobe fallback); the first that attaches wins
 *
 * Status (all u64 unless said): table capacities, use and what did not fit.
 * @SOCKTAP_A_SOCK_CAPACITY: u32, socket table capacity (module parameter)
 * @SOCKTAP_A_SOCK_USED: sockets tracked now
 * @SOCKTAP_A_SOCK_UNTRACKED: sockets not tracked because the table was full
 * @SOCKTAP_A_PROC_CAPACITY: u32, process table capacity (module parameter)
 * @SOCKTAP_A_PROC_USED: processes in the table
 * @SOCKTAP_A_PROC_DROPPED: events of processes that found the table full
 * @SOCKTAP_A_EV_QUEUED: events queued for the stream since load
 * @SOCKTAP_A_EV_LOST: events lost because a per-CPU queue was full
 * @SOCKTAP_A_EV_UNDELIVERED: events the netlink layer could not deliver
 *	to at least one listener (its receive buffer was full)
 *
 * Filter (u32; 0 matches everything):
 * @SOCKTAP_A_FILTER_PID: process id (thread group id)
 * @SOCKTAP_A_FILTER_PORT: local or remote port of the socket
 * @SOCKTAP_A_FILTER_NETNS: network namespace inode number
 * @SOCKTAP_A_FILTER_OWNED: flag; clear the filter when this socket closes
 * @SOCKTAP_A_FILTERED: u64 in STATUS, events the filter skipped
 *
 * Process table rows (PROC_GET):
 * @SOCKTAP_A_PROC_PID: u32, thread group id
 * @SOCKTAP_A_PROC_UID: u32, uid in the initial user namespace
 * @SOCKTAP_A_PROC_COMM: string, command name when first seen
 * @SOCKTAP_A_PROC_NETNS: u32, network namespace inode when first seen
 * @SOCKTAP_A_PROC_CONNECT_OK: connect() that returned 0
 * @SOCKTAP_A_PROC_CONNECT_INPROGRESS: connect() that returned -EINPROGRESS
 * @SOCKTAP_A_PROC_CONNECT_REFUSED: connect() that returned -ECONNREFUSED
 * @SOCKTAP_A_PROC_CONNECT_ERROR: connect() that returned another error
 * @SOCKTAP_A_PROC_ACCEPTS: accept() that returned a socket
 * @SOCKTAP_A_PROC_CREATED: IPv4/IPv6 sockets opened: socket() and accept()
 * @SOCKTAP_A_PROC_CLOSED: IPv4/IPv6 sockets closed (released by the owner)
 * @SOCKTAP_A_IO: nested, one per protocol and family in use:
 * @SOCKTAP_A_IO_PROTO: u8, &enum socktap_proto
 * @SOCKTAP_A_IO_FAMILY: u8, &enum socktap_family
 * @SOCKTAP_A_IO_SENDS: sendmsg calls that sent data or returned 0
 * @SOCKTAP_A_IO_SEND_BYTES: bytes those calls sent
 * @SOCKTAP_A_IO_RECVS: recvmsg calls that returned data or 0
 * @SOCKTAP_A_IO_RECV_BYTES: bytes those calls returned
 *
 * Histograms (HIST_GET): log2 buckets of nanoseconds, bucket i counting
 * values in [2^i, 2^(i+1)) and bucket 0 also counting 0.
 * @SOCKTAP_A_HIST_ID: u32, &enum socktap_hist
 * @SOCKTAP_A_HIST_NAME: string, e.g. "connect"
 * @SOCKTAP_A_HIST_BUCKETS: binary, %SOCKTAP_HIST_BUCKETS native u64s
 * @SOCKTAP_A_HIST_COUNT: u64, sum of the buckets
 * @SOCKTAP_A_HIST_SUM: u64, sum of the values (ns), for the mean
 *
 * Events (EVENT): present as the type needs.
 * @SOCKTAP_A_EV_TYPE: u8, &enum socktap_event
 * @SOCKTAP_A_EV_TIME: u64, ktime_get_ns() of the event (CLOCK_MONOTONIC)
 * @SOCKTAP_A_EV_PID: u32, owner process (from the socket table: right in
 *	softirq too); 0 when unknown
 * @SOCKTAP_A_EV_UID: u32
 * @SOCKTAP_A_EV_COMM: string
 * @SOCKTAP_A_EV_NETNS: u32
 * @SOCKTAP_A_EV_FAMILY: u8, AF_INET or AF_INET6
 * @SOCKTAP_A_EV_PROTO: u8, &enum socktap_proto
 * @SOCKTAP_A_EV_SADDR: binary, 4 or 16 bytes, network order
 * @SOCKTAP_A_EV_DADDR: binary, 4 or 16 bytes, network order
 * @SOCKTAP_A_EV_SPORT: u16, host order
 * @SOCKTAP_A_EV_DPORT: u16, host order
 * @SOCKTAP_A_EV_LATENCY: u64, ns (connect: the connect() call)
 * @SOCKTAP_A_EV_RESULT: s32, connect's return value (0, -EINPROGRESS, ...)
 * @SOCKTAP_A_EV_TX_BYTES: u64, bytes the application sent (life)
 * @SOCKTAP_A_EV_RX_BYTES: u64, bytes the application received (life)
 * @SOCKTAP_A_EV_DURATION: u64, ns from creation (or accept) to close
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

	SOCKTAP_A_SOCK_CAPACITY,
	SOCKTAP_A_SOCK_USED,
	SOCKTAP_A_SOCK_UNTRACKED,
	SOCKTAP_A_PROC_CAPACITY,
	SOCKTAP_A_PROC_USED,
	SOCKTAP_A_PROC_DROPPED,
	SOCKTAP_A_EV_QUEUED,
	SOCKTAP_A_EV_LOST,
	SOCKTAP_A_EV_UNDELIVERED,

	SOCKTAP_A_FILTER_PID,
	SOCKTAP_A_FILTER_PORT,
	SOCKTAP_A_FILTER_NETNS,
	SOCKTAP_A_FILTER_OWNED,
	SOCKTAP_A_FILTERED,

	SOCKTAP_A_PROC_PID,
	SOCKTAP_A_PROC_UID,
	SOCKTAP_A_PROC_COMM,
	SOCKTAP_A_PROC_NETNS,
	SOCKTAP_A_PROC_CONNECT_OK,
	SOCKTAP_A_PROC_CONNECT_INPROGRESS,
	SOCKTAP_A_PROC_CONNECT_REFUSED,
	SOCKTAP_A_PROC_CONNECT_ERROR,
	SOCKTAP_A_PROC_ACCEPTS,
	SOCKTAP_A_PROC_CREATED,
	SOCKTAP_A_PROC_CLOSED,
	SOCKTAP_A_IO,
	SOCKTAP_A_IO_PROTO,
	SOCKTAP_A_IO_FAMILY,
	SOCKTAP_A_IO_SENDS,
	SOCKTAP_A_IO_SEND_BYTES,
	SOCKTAP_A_IO_RECVS,
	SOCKTAP_A_IO_RECV_BYTES,

	SOCKTAP_A_HIST_ID,
	SOCKTAP_A_HIST_NAME,
	SOCKTAP_A_HIST_BUCKETS,
	SOCKTAP_A_HIST_COUNT,
	SOCKTAP_A_HIST_SUM,

	SOCKTAP_A_EV_TYPE,
	SOCKTAP_A_EV_TIME,
	SOCKTAP_A_EV_PID,
	SOCKTAP_A_EV_UID,
	SOCKTAP_A_EV_COMM,
	SOCKTAP_A_EV_NETNS,
	SOCKTAP_A_EV_FAMILY,
	SOCKTAP_A_EV_PROTO,
	SOCKTAP_A_EV_SADDR,
	SOCKTAP_A_EV_DADDR,
	SOCKTAP_A_EV_SPORT,
	SOCKTAP_A_EV_DPORT,
	SOCKTAP_A_EV_LATENCY,
	SOCKTAP_A_EV_RESULT,
	SOCKTAP_A_EV_TX_BYTES,
	SOCKTAP_A_EV_RX_BYTES,
	SOCKTAP_A_EV_DURATION,
	SOCKTAP_A_PROBE_GROUP,

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
 * @SOCKTAP_STATE_STANDBY: a fallback not needed on this kernel: another
 *	point of its group (%SOCKTAP_A_PROBE_GROUP) is attached
 */
enum socktap_probe_state {
	SOCKTAP_STATE_ATTACHED,
	SOCKTAP_STATE_UNAVAILABLE,
	SOCKTAP_STATE_DISABLED,
	SOCKTAP_STATE_FAILED,
	SOCKTAP_STATE_STANDBY,

	__SOCKTAP_STATE_MAX
};

/* Protocol index of the per-process I/O rows. */
enum socktap_proto {
	SOCKTAP_PROTO_TCP,
	SOCKTAP_PROTO_UDP,
	SOCKTAP_PROTO_OTHER,

	__SOCKTAP_PROTO_MAX
};

/* Family index of the per-process I/O rows (UNIX, netlink, ... are OTHER). */
enum socktap_family {
	SOCKTAP_FAMILY_INET,
	SOCKTAP_FAMILY_INET6,
	SOCKTAP_FAMILY_OTHER,

	__SOCKTAP_FAMILY_MAX
};

#define SOCKTAP_HIST_BUCKETS	64

/**
 * enum socktap_hist - the latency histograms
 * @SOCKTAP_HIST_CONNECT: the connect() call, entry to return
 * @SOCKTAP_HIST_CONNECT_ASYNC: non-blocking connect() entry until the
 *	socket is established
 * @SOCKTAP_HIST_FIRST_BYTE: established (connect) or accepted, until the
 *	application first receives data
 * @SOCKTAP_HIST_LIFETIME: socket created (or accepted) until closed
 * @SOCKTAP_HIST_LIFETIME_EST: established (or accepted) until closed
 */
enum socktap_hist {
	SOCKTAP_HIST_CONNECT,
	SOCKTAP_HIST_CONNECT_ASYNC,
	SOCKTAP_HIST_FIRST_BYTE,
	SOCKTAP_HIST_LIFETIME,
	SOCKTAP_HIST_LIFETIME_EST,

	__SOCKTAP_HIST_MAX
};

/**
 * enum socktap_event - event stream record types
 * @SOCKTAP_EV_CONNECT: a connect() returned (soconnect: PID COMM FAM
 *	ADDRESS PORT LAT RESULT)
 * @SOCKTAP_EV_LIFE: a TCP connection closed (tcplife: PID COMM LADDR LPORT
 *	RADDR RPORT TX RX MS)
 */
enum socktap_event {
	SOCKTAP_EV_CONNECT = 1,
	SOCKTAP_EV_LIFE,

	__SOCKTAP_EV_MAX
};

#endif /* _UAPI_LINUX_SOCKTAP_H */
