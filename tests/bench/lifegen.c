// SPDX-License-Identifier: GPL-2.0
/*
 * lifegen - socket lifecycles as fast as one thread makes them, for the
 * event-rate measurement of tests/bench/micro.sh.
 *
 * Each cycle: socket(AF_INET, SOCK_DGRAM), connect() to 127.0.0.1:PORT
 * (UDP: no packet is sent, nothing needs to listen), close().  Under
 * socktap a cycle is one creation, one connect() with its stream record,
 * one close and one destruction.
 *
 * usage: lifegen [-n CYCLES] [-p PORT] [-r RATE]
 * -r paces the cycles at RATE per second (sleeping until each one is
 * due) instead of making them as fast as possible.
 * Prints one JSON object: {"cycles":N,"errors":E,"seconds":S,"rate":R,
 * "utime":U,"stime":T} (rate in cycles per second of CLOCK_MONOTONIC; U
 * and T its user and system CPU seconds).  Exit status 1 if a call
 * failed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv(struct timeval t)
{
	return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

static unsigned long number(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || !v || v > max) {
		fprintf(stderr, "lifegen: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	unsigned long n = 10000, i, errors = 0, rate = 0;
	unsigned short port = 9;
	int opt, fd, first_err = 0;
	struct rusage ru;
	struct timespec due;
	double t0, t;

	while ((opt = getopt(argc, argv, "n:p:r:h")) != -1) {
		switch (opt) {
		case 'n':
			n = number(optarg, 1000000000UL);
			break;
		case 'p':
			port = (unsigned short)number(optarg, 65535);
			break;
		case 'r':
			rate = number(optarg, 1000000000UL);
			break;
		default:
			fprintf(stderr, "usage: lifegen [-n CYCLES] [-p PORT] [-r RATE]\n");
			return opt == 'h' ? 0 : 2;
		}
	}
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	t0 = now();
	clock_gettime(CLOCK_MONOTONIC, &due);
	for (i = 0; i < n; i++) {
		if (rate) {
			/* Cycle i is due at start + i / rate. */
			due.tv_nsec += 1000000000L / (long)rate;
			while (due.tv_nsec >= 1000000000L) {
				due.tv_nsec -= 1000000000L;
				due.tv_sec++;
			}
			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) == EINTR)
				;
		}
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd < 0) {
			first_err = first_err ? first_err : errno;
			errors++;
			continue;
		}
		if (connect(fd, (struct sockaddr *)&sin, sizeof(sin))) {
			first_err = first_err ? first_err : errno;
			errors++;
		}
		close(fd);
	}
	t = now() - t0;
	getrusage(RUSAGE_SELF, &ru);
	printf("{\"cycles\":%lu,\"errors\":%lu,\"seconds\":%.6f,\"rate\":%.1f,"
	       "\"paced\":%lu,\"utime\":%.3f,\"stime\":%.3f}\n",
	       n, errors, t, t > 0 ? (double)n / t : 0.0, rate, tv(ru.ru_utime),
	       tv(ru.ru_stime));
	if (errors)
		fprintf(stderr, "lifegen: %lu failed calls, first: %s\n", errors,
			strerror(first_err));
	return errors ? 1 : 0;
}
