/* SPDX-License-Identifier: GPL-2.0 */
/* TCP event counters of probe_tcp.c, for the interfaces. */
#ifndef _SOCKTAP_TCPSTAT_H
#define _SOCKTAP_TCPSTAT_H

#include <linux/types.h>
#include <uapi/linux/socktap.h>

/* out: u64[__SOCKTAP_TCP_MAX], summed over CPUs. */
void st_tcp_read(u64 *out);
void st_tcp_reset(void);
/* Probe context: one more of counter c on this CPU. */
void st_tcp_count(unsigned int c);

#endif /* _SOCKTAP_TCPSTAT_H */
