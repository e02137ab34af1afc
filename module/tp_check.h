/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compile-time proof that each tracepoint handler matches the target
 * kernel's TP_PROTO: register_trace_<event>() from the kernel's own
 * header takes exactly that prototype, so a mismatch fails the build
 * instead of corrupting arguments at run time.  The calls are dead code.
 */
#ifndef _SOCKTAP_TP_CHECK_H
#define _SOCKTAP_TP_CHECK_H

#include <linux/compiler.h>

#define ST_TP_CHECK(event, fn)						\
	static void __maybe_unused st_tp_check_##event(void)		\
	{								\
		if (0)							\
			register_trace_##event(fn, NULL);		\
	}

#endif /* _SOCKTAP_TP_CHECK_H */
