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
/* Multicast group of every event stream (SOCKTAP_CMD_EVENT messages). */
#define SOCKTAP_GENL_MCGRP	"events"
/*
 * Each record type (&enum socktap_event) also has a group of its own, the
 * family's group number N carrying the records of type N, named as below.
 * A reader joins the groups of the types it shows: it is not woken for the
 * others, and the module builds no record nobody receives.
 */
#define SOCKTAP_GENL_MCGRP_CONNECT	"connect"
#define SOCKTAP_GENL_MCGRP_LIFE		"life"
#define SOCKTAP_GENL_MCGRP_STATE	"state"
#define SOCKTAP_GENL_MCGRP_RETRANS	"retrans"
#define SOCKTAP_GENL_MCGRP_RESET	"reset"
#define SOCKTAP_GENL_MCGRP_ACCEPT	"accept"
#define SOCKTAP_GENL_MCGRP_OVERFLOW	"overflow"
#define SOCKTAP_GENL_MCGRP_DROP		"drop"
#define SOCKTAP_GENL_MCGRP_SEND		"send"
#define SOCKTAP_GENL_MCGRP_RECEIVE	"receive"

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
 * @SOCKTAP_CMD_TCP_GET: doit; the TCP event counters as
 *	%SOCKTAP_A_TCP_COUNTERS.
 * @SOCKTAP_CMD_LISTEN_GET: dumpit, needs CAP_NET_ADMIN; one message per
 *	listener seen: %SOCKTAP_A_LISTEN_*.
 * @SOCKTAP_CMD_FUNC_CHECK: doit, needs CAP_NET_ADMIN; asks the kprobe layer
 *	whether each function of %SOCKTAP_A_FUNCS can be probed (registers a
 *	disabled kprobe and removes it again).  Replies with one nested
 *	%SOCKTAP_A_FUNC per name: its %SOCKTAP_A_FUNC_ERROR and flags.
 * @SOCKTAP_CMD_COUNT_ADD: doit, needs CAP_NET_ADMIN; attaches a counting
 *	kprobe to each function of %SOCKTAP_A_FUNCS (at most
 *	%SOCKTAP_FUNCS_BATCH_MAX per request, at most the count_max module
 *	parameter in all).  The probes belong to the requesting netlink socket
 *	and are removed when it closes.  Replies like FUNC_CHECK.
 * @SOCKTAP_CMD_COUNT_GET: dumpit; one message per function counted for
 *	the requesting socket: %SOCKTAP_A_FUNC_NAME, %SOCKTAP_A_FUNC_HITS,
 *	%SOCKTAP_A_FUNC_MISSED, %SOCKTAP_A_FUNC_FLAGS.
 * @SOCKTAP_CMD_STACK_START: doit, needs CAP_NET_ADMIN; starts aggregating
 *	the stacks of every call of %SOCKTAP_A_STACK_FUNC
 *	(%SOCKTAP_A_STACK_MODE says which stacks) into an empty table of
 *	stack_capacity rows.  One stack session at a time (EBUSY otherwise);
 *	it belongs to the requesting socket and ends when that closes.
 * @SOCKTAP_CMD_STACK_GET: dumpit; one message per distinct stack:
 *	%SOCKTAP_A_STACK_COUNT, _KERNEL, _USER, _PID, _COMM.  STATUS carries
 *	the session (%SOCKTAP_A_STACK_FUNC, _MODE, _HITS, _MISSED) and the
 *	table's use (_CAPACITY, _USED, _DROPPED).
 * @SOCKTAP_CMD_SIZE_GET: dumpit; one message per process in the I/O size
 *	table: %SOCKTAP_A_PROC_PID, %SOCKTAP_A_PROC_COMM and one nested
 *	%SOCKTAP_A_SIZE_HIST per size histogram the process has data in.
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
	SOCKTAP_CMD_TCP_GET,
	SOCKTAP_CMD_LISTEN_GET,
	SOCKTAP_CMD_FUNC_CHECK,
	SOCKTAP_CMD_COUNT_ADD,
	SOCKTAP_CMD_COUNT_GET,
	SOCKTAP_CMD_STACK_START,
	SOCKTAP_CMD_STACK_GET,
	SOCKTAP_CMD_SIZE_GET,

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
 * TCP layer:
 * @SOCKTAP_A_TCP_COUNTERS: binary, native u64 per &enum socktap_tcp_counter,
 *	as many as the module knows (newer CLIs must accept fewer)
 * @SOCKTAP_A_HIST_UNIT: string in HIST_GET: "ns", "bytes" or "entries"
 * @SOCKTAP_A_EV_OLDSTATE: u8, TCP state before (STATE), TCP_* numbering
 * @SOCKTAP_A_EV_NEWSTATE: u8, TCP state after (STATE), or the socket's
 *	state (RETRANS, RESET, DROP)
 * @SOCKTAP_A_EV_RETRANS_TYPE: u8, &enum socktap_retrans_type
 * @SOCKTAP_A_EV_SEGS: u32, segments the retransmitted skb carried
 * @SOCKTAP_A_EV_BACKLOG: u32, accept queue length of the listener
 * @SOCKTAP_A_EV_BACKLOG_MAX: u32, its limit (listen()'s backlog)
 * @SOCKTAP_A_EV_SYNQ: u32, SYN (request) queue length of the listener
 * @SOCKTAP_A_EV_REASON: u32, drop reason number of the running kernel
 *	(names differ between kernels: read them from the kfree_skb event's
 *	format in tracefs), or &enum socktap_reset_kind for RESET
 * @SOCKTAP_A_EV_STACK: binary, native u64 kernel return addresses
 * @SOCKTAP_A_LISTEN_PORT: u16, listening port
 * @SOCKTAP_A_LISTEN_FAMILY: u8
 * @SOCKTAP_A_LISTEN_NETNS: u32
 * @SOCKTAP_A_LISTEN_PID: u32, process that created the listener
 * @SOCKTAP_A_LISTEN_COMM: string
 * @SOCKTAP_A_LISTEN_BACKLOG_MAX: u32, last seen limit
 * @SOCKTAP_A_LISTEN_CONNS: u64, connections handed to the accept queue
 * @SOCKTAP_A_LISTEN_OVERFLOWS: u64, dropped because the accept queue was
 *	full (the kernel's ListenOverflows)
 * @SOCKTAP_A_LISTEN_SYN_DROPS: u64, SYNs dropped because the SYN queue was
 *	full and syncookies could not be used
 * @SOCKTAP_A_LISTEN_ACCEPTQ: binary, u64[%SOCKTAP_QLEN_BUCKETS] histogram
 *	of the accept queue length at each new connection (log2: bucket 0
 *	holds 0, bucket i holds [2^(i-1), 2^i))
 * @SOCKTAP_A_LISTEN_SYNQ: binary, the same for the SYN queue
 *
 * Run-time probes (FUNC_CHECK, COUNT_*):
 * @SOCKTAP_A_FUNCS: nested, a list of %SOCKTAP_A_FUNC_NAME (requests) or
 *	of %SOCKTAP_A_FUNC (replies)
 * @SOCKTAP_A_FUNC: nested, one function's result
 * @SOCKTAP_A_FUNC_NAME: string, kernel function (at most
 *	%SOCKTAP_FUNC_NAME_MAX bytes with the NUL)
 * @SOCKTAP_A_FUNC_ERROR: u32, 0 or a positive errno: from the kprobe
 *	layer (ENOENT: no such symbol; EINVAL: blacklisted or not a function
 *	entry; EILSEQ: not an instruction boundary; EADDRNOTAVAIL: the name
 *	is not unique) or from socktap (EPERM: one of socktap's own
 *	functions; EEXIST: already counted by this socket; ENOSPC: count_max
 *	reached)
 * @SOCKTAP_A_FUNC_FLAGS: u32, &enum socktap_func_flags
 * @SOCKTAP_A_FUNC_HITS: u64, calls counted (summed over CPUs)
 * @SOCKTAP_A_FUNC_MISSED: u64, calls the kprobe layer skipped (recursion)
 * @SOCKTAP_A_COUNT_MAX: u32 in STATUS, the count_max module parameter
 * @SOCKTAP_A_COUNT_USED: u32 in STATUS, counting probes attached now
 *
 * Stacks (STACK_*):
 * @SOCKTAP_A_STACK_FUNC: string, the function whose calls are sampled
 * @SOCKTAP_A_STACK_MODE: u32, &enum socktap_stack_mode bits
 * @SOCKTAP_A_STACK_COUNT: u64, calls with this stack
 * @SOCKTAP_A_STACK_KERNEL: binary, native u64 kernel addresses, the probed
 *	function first, then its callers
 * @SOCKTAP_A_STACK_USER: binary, native u64 user addresses: the
 *	instruction pointer, then return addresses found by walking frame
 *	pointers (a frame without one ends the walk early)
 * @SOCKTAP_A_STACK_PID: u32, process (user stacks only; 0 otherwise)
 * @SOCKTAP_A_STACK_COMM: string (user stacks only)
 * @SOCKTAP_A_STACK_CAPACITY: u32, rows of the stack table (stack_capacity)
 * @SOCKTAP_A_STACK_USED: u32, distinct stacks in the table
 * @SOCKTAP_A_STACK_DROPPED: u64, calls whose new stack found the table full
 * @SOCKTAP_A_STACK_HITS: u64, calls of the function seen in this session
 * @SOCKTAP_A_STACK_MISSED: u64, calls the kprobe layer skipped
 *
 * I/O sizes per process (SIZE_GET):
 * @SOCKTAP_A_SIZE_HIST: nested: %SOCKTAP_A_HIST_ID, %SOCKTAP_A_HIST_NAME,
 *	%SOCKTAP_A_HIST_BUCKETS (%SOCKTAP_SIZE_BUCKETS u64s, log2 of bytes),
 *	%SOCKTAP_A_HIST_COUNT, %SOCKTAP_A_HIST_SUM
 * @SOCKTAP_A_SIZE_CAPACITY: u32 in STATUS, size_proc_capacity
 * @SOCKTAP_A_SIZE_USED: u32 in STATUS, processes in the size table
 * @SOCKTAP_A_SIZE_DROPPED: u64 in STATUS, I/O of processes that found the
 *	size table full
 * @SOCKTAP_A_LISTEN_CAPACITY: u32 in STATUS, listeners the backlog table
 *	holds (listen_capacity)
 * @SOCKTAP_A_LISTEN_USED: u32 in STATUS, listeners in it
 * @SOCKTAP_A_LISTEN_DROPPED: u64 in STATUS, SYNs and handshakes of
 *	listeners that found it full
 *
 * Status (all u64 unless said): table capacities, use and what did not fit.
 * @SOCKTAP_A_SOCK_CAPACITY: u32, socket table capacity (module parameter)
 * @SOCKTAP_A_SOCK_USED: sockets tracked now
 * @SOCKTAP_A_SOCK_UNTRACKED: sockets created or accepted while the table was
 *	full (each counted once)
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

	SOCKTAP_A_TCP_COUNTERS,
	SOCKTAP_A_HIST_UNIT,
	SOCKTAP_A_EV_OLDSTATE,
	SOCKTAP_A_EV_NEWSTATE,
	SOCKTAP_A_EV_RETRANS_TYPE,
	SOCKTAP_A_EV_SEGS,
	SOCKTAP_A_EV_BACKLOG,
	SOCKTAP_A_EV_BACKLOG_MAX,
	SOCKTAP_A_EV_SYNQ,
	SOCKTAP_A_EV_REASON,
	SOCKTAP_A_EV_STACK,
	SOCKTAP_A_LISTEN_PORT,
	SOCKTAP_A_LISTEN_FAMILY,
	SOCKTAP_A_LISTEN_NETNS,
	SOCKTAP_A_LISTEN_PID,
	SOCKTAP_A_LISTEN_COMM,
	SOCKTAP_A_LISTEN_BACKLOG_MAX,
	SOCKTAP_A_LISTEN_CONNS,
	SOCKTAP_A_LISTEN_OVERFLOWS,
	SOCKTAP_A_LISTEN_SYN_DROPS,
	SOCKTAP_A_LISTEN_ACCEPTQ,
	SOCKTAP_A_LISTEN_SYNQ,

	SOCKTAP_A_FUNCS,
	SOCKTAP_A_FUNC,
	SOCKTAP_A_FUNC_NAME,
	SOCKTAP_A_FUNC_ERROR,
	SOCKTAP_A_FUNC_FLAGS,
	SOCKTAP_A_FUNC_HITS,
	SOCKTAP_A_FUNC_MISSED,
	SOCKTAP_A_COUNT_MAX,
	SOCKTAP_A_COUNT_USED,
	SOCKTAP_A_STACK_FUNC,
	SOCKTAP_A_STACK_MODE,
	SOCKTAP_A_STACK_COUNT,
	SOCKTAP_A_STACK_KERNEL,
	SOCKTAP_A_STACK_USER,
	SOCKTAP_A_STACK_PID,
	SOCKTAP_A_STACK_COMM,
	SOCKTAP_A_STACK_CAPACITY,
	SOCKTAP_A_STACK_USED,
	SOCKTAP_A_STACK_DROPPED,
	SOCKTAP_A_STACK_HITS,
	SOCKTAP_A_STACK_MISSED,
	SOCKTAP_A_SIZE_HIST,
	SOCKTAP_A_SIZE_CAPACITY,
	SOCKTAP_A_SIZE_USED,
	SOCKTAP_A_SIZE_DROPPED,
	SOCKTAP_A_LISTEN_CAPACITY,
	SOCKTAP_A_LISTEN_USED,
	SOCKTAP_A_LISTEN_DROPPED,

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
 * @SOCKTAP_HIST_TCP_SEND_SIZE: payload bytes of each TCP segment sent
 * @SOCKTAP_HIST_TCP_RECV_SIZE: payload bytes of each TCP segment received
 * @SOCKTAP_HIST_STATE_TIME: time spent in a TCP state, at each change
 * @SOCKTAP_HIST_TCP_SENDMSG: bytes each TCP sendmsg() call sent (what
 *	it returned: the size asked for unless it was cut short)
 * @SOCKTAP_HIST_TCP_RECVMSG: bytes each TCP recvmsg() call returned
 * @SOCKTAP_HIST_UDP_SENDMSG: bytes each UDP sendmsg() call sent
 * @SOCKTAP_HIST_UDP_RECVMSG: bytes each UDP recvmsg() call returned
 *
 * The last four also exist per process (SIZE_GET), with
 * %SOCKTAP_SIZE_BUCKETS buckets.
 */
enum socktap_hist {
	SOCKTAP_HIST_CONNECT,
	SOCKTAP_HIST_CONNECT_ASYNC,
	SOCKTAP_HIST_FIRST_BYTE,
	SOCKTAP_HIST_LIFETIME,
	SOCKTAP_HIST_LIFETIME_EST,
	SOCKTAP_HIST_TCP_SEND_SIZE,
	SOCKTAP_HIST_TCP_RECV_SIZE,
	SOCKTAP_HIST_STATE_TIME,
	SOCKTAP_HIST_TCP_SENDMSG,
	SOCKTAP_HIST_TCP_RECVMSG,
	SOCKTAP_HIST_UDP_SENDMSG,
	SOCKTAP_HIST_UDP_RECVMSG,

	__SOCKTAP_HIST_MAX
};

/**
 * enum socktap_event - event stream record types
 * @SOCKTAP_EV_CONNECT: a connect() returned (soconnect: PID COMM FAM
 *	ADDRESS PORT LAT RESULT)
 * @SOCKTAP_EV_LIFE: a TCP connection closed (tcplife: PID COMM LADDR LPORT
 *	RADDR RPORT TX RX MS)
 * @SOCKTAP_EV_STATE: a TCP state change (tcpstates), %SOCKTAP_A_EV_DURATION
 *	being the time spent in the old state (0 if unknown)
 * @SOCKTAP_EV_RETRANS: a retransmission (tcpretrans), with its type
 * @SOCKTAP_EV_RESET: a RST sent or received, %SOCKTAP_A_EV_REASON saying
 *	which (&enum socktap_reset_kind)
 * @SOCKTAP_EV_ACCEPT: accept() returned a connection (tcpaccept), with the
 *	listener's backlog
 * @SOCKTAP_EV_OVERFLOW: a connection dropped by a full accept or SYN
 *	queue, with the listener's port, limit and owner
 * @SOCKTAP_EV_DROP: a TCP packet freed as dropped, with the reason and
 *	the kernel stack
 * @SOCKTAP_EV_SEND: a TCP segment sent (%SOCKTAP_A_EV_TX_BYTES payload,
 *	%SOCKTAP_A_EV_SEGS segments), streamed only while a filter is set
 * @SOCKTAP_EV_RECEIVE: a TCP segment received (%SOCKTAP_A_EV_RX_BYTES),
 *	streamed only while a filter is set
 */
enum socktap_event {
	SOCKTAP_EV_CONNECT = 1,
	SOCKTAP_EV_LIFE,
	SOCKTAP_EV_STATE,
	SOCKTAP_EV_RETRANS,
	SOCKTAP_EV_RESET,
	SOCKTAP_EV_ACCEPT,
	SOCKTAP_EV_OVERFLOW,
	SOCKTAP_EV_DROP,
	SOCKTAP_EV_SEND,
	SOCKTAP_EV_RECEIVE,

	__SOCKTAP_EV_MAX
};

/**
 * enum socktap_tcp_counter - DTrace tcp provider events and more
 * @SOCKTAP_TCP_ACCEPT_ESTABLISHED: passive open completed (SYN_RECV to
 *	ESTABLISHED)
 * @SOCKTAP_TCP_CONNECT_REQUEST: SYN sent (CLOSE to SYN_SENT)
 * @SOCKTAP_TCP_CONNECT_ESTABLISHED: active open completed
 * @SOCKTAP_TCP_ACCEPT_REFUSED: RST sent for a SYN to a closed port
 * @SOCKTAP_TCP_CONNECT_REFUSED: RST received in SYN_SENT
 * @SOCKTAP_TCP_SEND: segments sent from a socket, retransmissions and
 *	pure ACKs included (a TSO skb counts its segments; its payload size
 *	goes to the send-size histogram once); SYN-ACKs of request sockets
 *	and RST/ACK replies sent without a full socket are not included
 * @SOCKTAP_TCP_RECEIVE: segments received by a socket (established ones
 *	through tcp:tcp_probe, other full sockets through
 *	tcp_rcv_state_process, TIME_WAIT ones through
 *	tcp_timewait_state_process): InSegs less those that found no socket
 * @SOCKTAP_TCP_STATE_CHANGE: state changes
 * @SOCKTAP_TCP_RETRANS: retransmitted skbs (each of one or more segments)
 * @SOCKTAP_TCP_RETRANS_SEGS: retransmitted segments (the kernel's
 *	RetransSegs counts these)
 * @SOCKTAP_TCP_RETRANS_RTO: retransmitted skbs after a timeout
 * @SOCKTAP_TCP_RETRANS_FAST: ... in fast recovery (dupacks or SACK)
 * @SOCKTAP_TCP_RETRANS_TLP: ... as a tail loss probe
 * @SOCKTAP_TCP_RETRANS_SYN: ... of a SYN
 * @SOCKTAP_TCP_RETRANS_SYNACK: SYN-ACKs retransmitted for request sockets
 * @SOCKTAP_TCP_RETRANS_OTHER: ... for any other reason
 * @SOCKTAP_TCP_LOSS_PROBES: tail loss probes sent (new data or a
 *	retransmission; the kernel's TCPLossProbes)
 * @SOCKTAP_TCP_RST_SENT: resets sent
 * @SOCKTAP_TCP_RST_RECEIVED: resets received
 * @SOCKTAP_TCP_LISTEN_OVERFLOW: connections dropped on a full accept queue
 * @SOCKTAP_TCP_SYN_DROP: SYNs dropped on a full SYN queue
 * @SOCKTAP_TCP_DROPS: TCP packets freed as dropped (skb:kfree_skb)
 */
enum socktap_tcp_counter {
	SOCKTAP_TCP_ACCEPT_ESTABLISHED,
	SOCKTAP_TCP_CONNECT_REQUEST,
	SOCKTAP_TCP_CONNECT_ESTABLISHED,
	SOCKTAP_TCP_ACCEPT_REFUSED,
	SOCKTAP_TCP_CONNECT_REFUSED,
	SOCKTAP_TCP_SEND,
	SOCKTAP_TCP_RECEIVE,
	SOCKTAP_TCP_STATE_CHANGE,
	SOCKTAP_TCP_RETRANS,
	SOCKTAP_TCP_RETRANS_SEGS,
	SOCKTAP_TCP_RETRANS_RTO,
	SOCKTAP_TCP_RETRANS_FAST,
	SOCKTAP_TCP_RETRANS_TLP,
	SOCKTAP_TCP_RETRANS_SYN,
	SOCKTAP_TCP_RETRANS_SYNACK,
	SOCKTAP_TCP_RETRANS_OTHER,
	SOCKTAP_TCP_LOSS_PROBES,
	SOCKTAP_TCP_RST_SENT,
	SOCKTAP_TCP_RST_RECEIVED,
	SOCKTAP_TCP_LISTEN_OVERFLOW,
	SOCKTAP_TCP_SYN_DROP,
	SOCKTAP_TCP_DROPS,

	__SOCKTAP_TCP_MAX
};

/**
 * enum socktap_retrans_type - why a segment was sent again
 * @SOCKTAP_RETRANS_RTO: the retransmission timer fired (CA state Loss)
 * @SOCKTAP_RETRANS_FAST: fast retransmit / recovery (CA state Recovery or
 *	Disorder)
 * @SOCKTAP_RETRANS_TLP: a tail loss probe retransmitting the last segment
 * @SOCKTAP_RETRANS_SYN: a SYN (socket in SYN_SENT)
 * @SOCKTAP_RETRANS_SYNACK: a SYN-ACK of a request socket
 * @SOCKTAP_RETRANS_OTHER: none of these (e.g. MTU probing, SACK reneging)
 */
enum socktap_retrans_type {
	SOCKTAP_RETRANS_RTO,
	SOCKTAP_RETRANS_FAST,
	SOCKTAP_RETRANS_TLP,
	SOCKTAP_RETRANS_SYN,
	SOCKTAP_RETRANS_SYNACK,
	SOCKTAP_RETRANS_OTHER,

	__SOCKTAP_RETRANS_MAX
};

/* RESET events: which way the RST went. */
enum socktap_reset_kind {
	SOCKTAP_RESET_SENT,
	SOCKTAP_RESET_RECEIVED,
};

#define SOCKTAP_QLEN_BUCKETS	24

/* Run-time probes: names per request, and the longest name with its NUL. */
#define SOCKTAP_FUNCS_BATCH_MAX	64
#define SOCKTAP_FUNC_NAME_MAX	512

/**
 * enum socktap_func_flags - how a run-time probe is attached
 * @SOCKTAP_FUNC_FTRACE: through ftrace at the function's entry (cheap, no
 *	breakpoint); otherwise a breakpoint instruction
 */
enum socktap_func_flags {
	SOCKTAP_FUNC_FTRACE = 1 << 0,
};

/**
 * enum socktap_stack_mode - which stacks a stack session collects
 * @SOCKTAP_STACK_KERNEL: the kernel stack at the call
 * @SOCKTAP_STACK_USER: the calling process's user stack (calls in process
 *	context only; the process becomes part of the key)
 */
enum socktap_stack_mode {
	SOCKTAP_STACK_KERNEL = 1 << 0,
	SOCKTAP_STACK_USER = 1 << 1,
};

/* Deepest stacks kept: deeper ones are cut (the outermost frames). */
#define SOCKTAP_KSTACK_MAX	48
#define SOCKTAP_USTACK_MAX	32

/*
 * Buckets of the per-process size histograms: [2^i, 2^(i+1)) bytes, 0 in
 * bucket 0, and the last bucket also holding everything larger.
 */
#define SOCKTAP_SIZE_BUCKETS	32
/* Histograms per process in the size table, from SOCKTAP_HIST_TCP_SENDMSG. */
#define SOCKTAP_SIZE_HISTS	4

#endif /* _UAPI_LINUX_SOCKTAP_H */
