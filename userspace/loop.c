// SPDX-License-Identifier: GPL-2.0
#include "loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t st_stop;
static sigset_t st_wait_mask;	/* the mask inside ppoll: ours unblocked */

static void st_on_signal(int sig)
{
	(void)sig;
	st_stop = 1;
}

int st_loop_init(void)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = st_on_signal;
	if (sigemptyset(&sa.sa_mask) || sigemptyset(&set) ||
	    sigaddset(&set, SIGINT) || sigaddset(&set, SIGTERM))
		return -1;
	if (sigprocmask(SIG_BLOCK, &set, &st_wait_mask) ||
	    sigdelset(&st_wait_mask, SIGINT) || sigdelset(&st_wait_mask, SIGTERM))
		return -1;
	/* No SA_RESTART: the signal only ever lands inside ppoll(). */
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		return -1;
	return 0;
}

int st_loop_stopped(void)
{
	return st_stop;
}

int st_loop_pending(void)
{
	sigset_t set;

	if (st_stop)
		return 1;
	if (sigpending(&set))
		return 0;
	return sigismember(&set, SIGINT) == 1 || sigismember(&set, SIGTERM) == 1;
}

static uint64_t st_now(clockid_t clk)
{
	struct timespec ts;

	if (clock_gettime(clk, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t st_now_mono(void)
{
	return st_now(CLOCK_MONOTONIC);
}

uint64_t st_now_real(void)
{
	return st_now(CLOCK_REALTIME);
}

int st_wait2(int fd, int fd2, uint64_t deadline_ns)
{
	/* poll() skips an entry whose descriptor is negative. */
	struct pollfd pfd[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = fd2, .events = POLLIN },
	};
	struct timespec ts, *tsp = NULL;
	uint64_t now, left;
	int ret;

	for (;;) {
		if (st_stop)
			return -1;
		if (deadline_ns) {
			now = st_now_mono();
			if (now >= deadline_ns)
				return 0;
			left = deadline_ns - now;
			ts.tv_sec = (time_t)(left / 1000000000ull);
			ts.tv_nsec = (long)(left % 1000000000ull);
			tsp = &ts;
		}
		ret = ppoll(pfd, 2, tsp, &st_wait_mask);
		/* The first one first: events before the news of an unload. */
		if (ret > 0)
			return pfd[0].revents ? 1 : 2;
		if (ret < 0 && errno != EINTR)
			return -2;
		if (ret == 0 && deadline_ns)
			continue;	/* re-checks the clock: returns 0 */
	}
}

int st_wait(int fd, uint64_t deadline_ns)
{
	return st_wait2(fd, -1, deadline_ns);
}
