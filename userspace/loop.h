/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Long-running commands (top, hist -d, watch): SIGINT/SIGTERM end them
 * cleanly.  The signals stay blocked except inside st_wait(), so one that
 * arrives between two checks is not lost.
 */
#ifndef SOCKTAP_LOOP_H
#define SOCKTAP_LOOP_H

#include <stdint.h>

/* Install the handlers and block the signals; returns 0 or -1 (errno). */
int st_loop_init(void);
/* A stop signal has arrived. */
int st_loop_stopped(void);
/* A stop signal has arrived or waits, blocked, for the next st_wait(). */
int st_loop_pending(void);

/*
 * Wait until fd (or nothing, fd < 0) is readable, deadline_ns
 * (CLOCK_MONOTONIC; 0: none) passes, or a stop signal comes.  Returns 1
 * readable, 0 deadline reached, -1 stopped, -2 error (errno set).
 */
int st_wait(int fd, uint64_t deadline_ns);
/* st_wait on two descriptors (either may be -1): 1 or 2 says which. */
int st_wait2(int fd, int fd2, uint64_t deadline_ns);

/* CLOCK_MONOTONIC and CLOCK_REALTIME in ns. */
uint64_t st_now_mono(void);
uint64_t st_now_real(void);

#endif
