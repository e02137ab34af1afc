/* SPDX-License-Identifier: GPL-2.0 */
/* Small pure helpers of the CLI, unit-tested on the host. */
#ifndef SOCKTAP_UTIL_H
#define SOCKTAP_UTIL_H

#include <stdint.h>

/* Names of the UAPI enums as the module's debugfs files print them. */
const char *st_kind_name(unsigned int kind);
const char *st_state_name(unsigned int state);

/*
 * Parse a whole decimal string into [0, max]: no sign, no junk, no
 * overflow.  Returns 0, or -1 with errno-style reason in *why.
 */
int st_parse_uint(const char *s, uint64_t max, uint64_t *out,
		  const char **why);

/* "enable"/"on"/"1" -> 1, "disable"/"off"/"0" -> 0, else -1. */
int st_parse_onoff(const char *s);

/*
 * The whole file (procfs and tracefs too: their size is unknown) as one
 * malloc'd NUL-terminated string in *out.  Returns 0, or -1 with errno.
 */
int st_read_text(const char *path, char **out);

/*
 * Whether the "CapEff:" line of /proc/PID/status text holds capability
 * cap (CAP_NET_ADMIN is 12): 1 yes, 0 no, -1 no such line.
 */
int st_capeff_has(const char *status, unsigned int cap);
/* The same for this process; -1 when /proc/self/status is unreadable. */
int st_have_cap(unsigned int cap);
#define ST_CAP_NET_ADMIN	12	/* linux/capability.h */

#endif
