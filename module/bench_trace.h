/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bench build's own tracepoint (module/bench.c, CONFIG_SOCKTAP_BENCH=y
 * only): fired by the benchmark's target function, so a tracepoint probe
 * can be measured like socktap's probes on the kernel's tracepoints.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM socktap_bench

#if !defined(_SOCKTAP_BENCH_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SOCKTAP_BENCH_TRACE_H

#include <linux/tracepoint.h>

struct sock;

TRACE_EVENT(socktap_bench,
	    TP_PROTO(struct sock *sk, unsigned long len),
	    TP_ARGS(sk, len),
	    TP_STRUCT__entry(__field(const void *, sk)
			     __field(unsigned long, len)),
	    TP_fast_assign(__entry->sk = sk;
			   __entry->len = len;),
	    TP_printk("sk=%p len=%lu", __entry->sk, __entry->len)
);

#endif /* _SOCKTAP_BENCH_TRACE_H */

/* Out of tree: Kbuild puts module/ on bench.o's include path. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE bench_trace
#include <trace/define_trace.h>
