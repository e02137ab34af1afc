// SPDX-License-Identifier: GPL-2.0
/*
 * loadgen - TCP load generator for socktap's overhead benchmarks.
 *
 * The workloads copy netperf's TCP_CRR, TCP_RR and TCP_STREAM so that the
 * packets on the wire are the same as theirs:
 *
 *   crr   per transaction: connect, send a request, read the response of
 *         the same size, close (the client closes first);
 *   rr    one persistent connection per thread, request/response in a loop;
 *   bulk  one connection per thread, large writes; the server discards.
 *
 * The server echoes in crr and rr mode (what arrives goes back, so it needs
 * no request size and cannot disagree with the client about it) and sinks
 * in bulk mode, each connection until the peer's EOF.
 *
 * A fixed count of transactions (-n) is there for runs under QEMU -icount,
 * where "N transactions took T seconds" is the measurement.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define EXIT_USAGE	2
#define MAX_THREADS	1024
#define MAX_SIZE	(16u << 20)
#define BULK_SIZE	(64u << 10)	/* client write size in bulk mode */
#define SINK_SIZE	(128u << 10)	/* server read size in bulk mode */
#define ECHO_SIZE	4096		/* server echo buffer per connection */
#define ACCEPT_BATCH	16		/* accepts per wakeup, for fairness */
#define IO_TIMEOUT_S	30
#define GIVE_UP_ERRORS	100		/* consecutive failures end a thread */
#define NSEC_PER_SEC	1000000000ull
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

enum mode { MODE_CRR, MODE_RR, MODE_BULK };

static const char *const mode_names[] = {
	[MODE_CRR] = "crr",
	[MODE_RR] = "rr",
	[MODE_BULK] = "bulk",
};

/* Common helpers ------------------------------------------------------ */

/* Setup failures only: nothing has been measured yet, so just stop. */
__attribute__((noreturn))
static void die(const char *what, int err)
{
	fprintf(stderr, "loadgen: %s: %s\n", what, strerror(err));
	exit(1);
}

__attribute__((noreturn, format(printf, 2, 3)))
static void usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "loadgen %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\ntry 'loadgen %s -h'\n", cmd);
	exit(EXIT_USAGE);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	/* Only fails for a bad clock id or pointer: a bug, not a condition. */
	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		abort();
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static bool parse_u64(const char *s, uint64_t min, uint64_t max,
		      uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')	/* strtoull takes "-1" and spaces */
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static int parse_mode(const char *s)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mode_names); i++)
		if (!strcmp(s, mode_names[i]))
			return (int)i;
	return -1;
}

static void ignore_sigpipe(void)
{
	struct sigaction sa = { .sa_handler = SIG_IGN };

	/* A peer that goes away must be an EPIPE we count, not a kill. */
	if (sigemptyset(&sa.sa_mask) || sigaction(SIGPIPE, &sa, NULL))
		die("sigaction", errno);
}

static void resolve(const char *host, const char *port, int family,
		    int flags, struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = {
		.ai_family = family,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = flags | AI_NUMERICSERV,
	};
	struct addrinfo *ai;
	int ret;

	ret = getaddrinfo(host, port, &hints, &ai);
	if (ret) {
		fprintf(stderr, "loadgen: %s: %s\n", host ? host : "*",
			gai_strerror(ret));
		exit(1);
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
}

static const char *fmt_addr(const struct sockaddr_storage *ss, socklen_t len,
			    char *buf, size_t size)
{
	char host[NI_MAXHOST], serv[NI_MAXSERV];

	if (getnameinfo((const struct sockaddr *)ss, len, host, sizeof(host),
			serv, sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV))
		snprintf(buf, size, "?");
	else if (ss->ss_family == AF_INET6)
		snprintf(buf, size, "[%s]:%s", host, serv);
	else
		snprintf(buf, size, "%s:%s", host, serv);
	return buf;
}

/* Latency histogram --------------------------------------------------- */

/*
 * Log-linear, like HdrHistogram: nanosecond values below 128 have a bucket
 * each, above that every power of two is cut into 64 buckets.  A bucket is
 * at most 1/64 of its lower bound wide and its midpoint is reported, so a
 * percentile is off by at most 1/128 (0.8 %), in a fixed 30 KiB per thread
 * however many samples there are, and nothing needs sorting.
 */
#define HIST_SUB_BITS	6
#define HIST_SUB	(1u << HIST_SUB_BITS)
#define HIST_EXACT	(2 * HIST_SUB)
#define HIST_BUCKETS	(HIST_EXACT + (64 - HIST_SUB_BITS - 1) * HIST_SUB)

struct hist {
	uint64_t count;
	uint64_t max;
	uint64_t bucket[HIST_BUCKETS];
};

static unsigned int hist_index(uint64_t v)
{
	unsigned int msb, shift;

	if (v < HIST_EXACT)
		return (unsigned int)v;
	msb = 63 - (unsigned int)__builtin_clzll(v);
	shift = msb - HIST_SUB_BITS;
	return HIST_EXACT + (shift - 1) * HIST_SUB +
	       (unsigned int)(v >> shift) - HIST_SUB;
}

/* Midpoint of bucket i's value range. */
static double hist_value(unsigned int i)
{
	unsigned int shift;
	uint64_t low;

	if (i < HIST_EXACT)
		return i;
	shift = (i - HIST_EXACT) / HIST_SUB + 1;
	low = (uint64_t)(HIST_SUB + (i - HIST_EXACT) % HIST_SUB) << shift;
	return (double)low + (double)((1ull << shift) - 1) / 2;
}

static void hist_add(struct hist *h, uint64_t v)
{
	h->bucket[hist_index(v)]++;
	h->count++;
	if (v > h->max)
		h->max = v;
}

static void hist_merge(struct hist *to, const struct hist *from)
{
	unsigned int i;

	for (i = 0; i < HIST_BUCKETS; i++)
		to->bucket[i] += from->bucket[i];
	to->count += from->count;
	if (from->max > to->max)
		to->max = from->max;
}

/* The value at percentile p (0 < p <= 100), nearest-rank. */
static double hist_pct(const struct hist *h, double p)
{
	double want = p / 100 * (double)h->count;
	uint64_t rank = (uint64_t)want, seen = 0;
	unsigned int i;

	if (!h->count)
		return 0;
	if ((double)rank < want || !rank)
		rank++;
	for (i = 0; i < HIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank)
			break;
	}
	/* The midpoint of the top bucket can lie above the exact maximum. */
	if (i == HIST_BUCKETS || hist_value(i) > (double)h->max)
		return (double)h->max;
	return hist_value(i);
}

/* Client -------------------------------------------------------------- */

struct client {
	enum mode mode;
	int family;
	const char *host;
	const char *port;
	unsigned int threads;
	double duration;
	uint64_t count;		/* transactions in all; 0: run for duration */
	size_t size;
	bool json;

	struct sockaddr_storage addr;
	socklen_t addrlen;
	pthread_barrier_t start;
	atomic_bool stop;
};

struct worker {
	pthread_t tid;
	struct client *cl;
	uint64_t quota;		/* attempts, when cl->count is set */
	char *buf;

	uint64_t done;		/* transactions (bulk: writes) that worked */
	uint64_t bytes;		/* payload sent and received */
	uint64_t errors;
	uint64_t connect_errors;
	unsigned int consecutive;
	const char *err_op;	/* the first failure, for the report */
	int err_no;		/* 0: the server closed unexpectedly */
	struct hist hist;
};

static const char client_help[] =
"usage: loadgen client -m crr|rr|bulk [-4|-6] -H HOST -p PORT [-t THREADS]\n"
"                      [-d SECONDS | -n COUNT] [-s SIZE] [-j]\n"
"\n"
"  -m MODE     crr: connect, request, response, close per transaction\n"
"              rr: request/response on one connection per thread\n"
"              bulk: stream writes on one connection per thread\n"
"  -4, -6      use IPv4 or IPv6 only when resolving HOST\n"
"  -H HOST     server name or address\n"
"  -p PORT     server port\n"
"  -t THREADS  parallel connections/threads (default 1)\n"
"  -d SECONDS  run time, fractions allowed (default 5)\n"
"  -n COUNT    run exactly COUNT transactions (bulk: writes) instead,\n"
"              split evenly across the threads; failed ones count too\n"
"  -s SIZE     request and response bytes (default 1); bulk: bytes per\n"
"              write (default 65536)\n"
"  -j          print one JSON object on one line\n"
"\n"
"Latency is per transaction: connect to response for crr, a round trip\n"
"for rr.  bytes counts payload sent plus received; MB/s (JSON \"mbps\") is\n"
"10^6 bytes per second.  Any failed call is an error; errors make the\n"
"exit status 1, and a thread stops after 100 of them in a row.\n";

static void worker_fail(struct worker *w, const char *op, int err)
{
	/* SO_RCVTIMEO and SO_SNDTIMEO expire as EAGAIN. */
	if (err == EAGAIN)
		err = ETIMEDOUT;
	w->errors++;
	w->consecutive++;
	if (!w->err_op) {
		w->err_op = op;
		w->err_no = err;
	}
}

/* Records its own failure: callers already failing may ignore the result. */
static int close_fd(struct worker *w, int fd)
{
	if (!close(fd))
		return 0;
	worker_fail(w, "close", errno);
	return -1;
}

/*
 * Reads (and bulk's writes) give up after IO_TIMEOUT_S so that a dead or
 * wedged server ends the run with errors instead of hanging it.  crr and
 * rr set only the receive timeout, to add one call per connection and not
 * two: their request goes into an empty send buffer and connect() is
 * bounded by tcp_syn_retries anyway.
 */
static int client_socket(struct worker *w, bool nodelay, bool sndtimeo)
{
	struct timeval tv = { .tv_sec = IO_TIMEOUT_S };
	int one = 1;
	int fd;

	fd = socket(w->cl->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		worker_fail(w, "socket", errno);
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    (sndtimeo &&
	     setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv))) ||
	    (nodelay &&
	     setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)))) {
		worker_fail(w, "setsockopt", errno);
		close_fd(w, fd);
		return -1;
	}
	return fd;
}

/* ECONNREFUSED, EADDRNOTAVAIL (no ephemeral port left) and the like. */
static int do_connect(struct worker *w, int fd)
{
	const struct client *cl = w->cl;

	if (!connect(fd, (const struct sockaddr *)&cl->addr, cl->addrlen))
		return 0;
	worker_fail(w, "connect", errno);
	w->connect_errors++;
	return -1;
}

static int client_connect(struct worker *w, bool nodelay, bool sndtimeo)
{
	int fd = client_socket(w, nodelay, sndtimeo);

	if (fd < 0)
		return -1;
	if (do_connect(w, fd)) {
		close_fd(w, fd);
		return -1;
	}
	return fd;
}

static int send_all(struct worker *w, int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			worker_fail(w, "write", n < 0 ? errno : EIO);
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int recv_all(struct worker *w, int fd, char *buf, size_t len)
{
	while (len) {
		ssize_t n = read(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			worker_fail(w, "read", n < 0 ? errno : 0);
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * The client closes first, as netperf's TCP_CRR does, so the TIME_WAIT
 * sockets (60 s each) pile up on the client side, holding their ephemeral
 * ports.  tcp_tw_reuse lets connect() take such a port over once it is a
 * second old (with TCP timestamps); its default, 2, does that for loopback
 * only, 1 everywhere.  That sustains about one ip_local_port_range (~28000)
 * connections per second to one server address and port; past that, or
 * with reuse off, connect() fails with EADDRNOTAVAIL, which is counted.
 */
static int crr_step(struct worker *w)
{
	size_t size = w->cl->size;
	uint64_t t0, lat = 0;
	int fd, ret = -1;

	/* No TCP_NODELAY: one write per connection, Nagle never holds it. */
	fd = client_socket(w, false, false);
	if (fd < 0)
		return -1;
	t0 = now_ns();
	if (!do_connect(w, fd) && !send_all(w, fd, w->buf, size) &&
	    !recv_all(w, fd, w->buf, size)) {
		lat = now_ns() - t0;
		ret = 0;
	}
	if (close_fd(w, fd) || ret)
		return -1;
	hist_add(&w->hist, lat);
	w->bytes += 2 * size;
	return 0;
}

static int rr_step(struct worker *w, int *fd)
{
	size_t size = w->cl->size;
	uint64_t t0;

	if (*fd < 0) {
		*fd = client_connect(w, true, false);
		if (*fd < 0)
			return -1;
	}
	t0 = now_ns();
	if (send_all(w, *fd, w->buf, size) || recv_all(w, *fd, w->buf, size)) {
		/* A new connection on the next attempt, not the end. */
		close_fd(w, *fd);
		*fd = -1;
		return -1;
	}
	hist_add(&w->hist, now_ns() - t0);
	w->bytes += 2 * size;
	return 0;
}

static int bulk_step(struct worker *w, int *fd)
{
	if (*fd < 0) {
		*fd = client_connect(w, false, true);
		if (*fd < 0)
			return -1;
	}
	if (send_all(w, *fd, w->buf, w->cl->size)) {
		close_fd(w, *fd);
		*fd = -1;
		return -1;
	}
	w->bytes += w->cl->size;
	return 0;
}

/*
 * Like netperf, wait for the server to read everything and close, so the
 * clock covers delivery and not only the copy into the send buffer.
 */
static void bulk_drain(struct worker *w, int fd)
{
	ssize_t n;

	if (shutdown(fd, SHUT_WR)) {
		worker_fail(w, "shutdown", errno);
		return;
	}
	do {
		n = read(fd, w->buf, w->cl->size);
	} while (n > 0 || (n < 0 && errno == EINTR));
	if (n < 0)
		worker_fail(w, "read", errno);
}

static bool client_more(const struct worker *w, uint64_t attempts)
{
	/* A server that is gone would otherwise be hammered until the end. */
	if (w->consecutive >= GIVE_UP_ERRORS)
		return false;
	if (w->cl->count)
		return attempts < w->quota;
	return !atomic_load_explicit(&w->cl->stop, memory_order_relaxed);
}

static void *client_thread(void *arg)
{
	struct worker *w = arg;
	enum mode mode = w->cl->mode;
	uint64_t attempts = 0;
	int fd = -1;
	int ret;

	ret = pthread_barrier_wait(&w->cl->start);
	if (ret && ret != PTHREAD_BARRIER_SERIAL_THREAD) {
		worker_fail(w, "pthread_barrier_wait", ret);
		return NULL;
	}
	while (client_more(w, attempts)) {
		attempts++;
		if (mode == MODE_CRR)
			ret = crr_step(w);
		else if (mode == MODE_RR)
			ret = rr_step(w, &fd);
		else
			ret = bulk_step(w, &fd);
		if (!ret) {
			w->done++;
			w->consecutive = 0;
		}
	}
	if (fd >= 0) {
		if (mode == MODE_BULK)
			bulk_drain(w, fd);
		close_fd(w, fd);
	}
	return NULL;
}

static void client_parse(struct client *cl, int argc, char **argv)
{
	bool timed = false;
	int opt, mode = -1;
	uint64_t v;
	char *end;

	cl->family = AF_UNSPEC;
	cl->threads = 1;
	cl->duration = 5;
	opterr = 0;
	while ((opt = getopt(argc, argv, ":46d:hH:jm:n:p:s:t:")) != -1) {
		switch (opt) {
		case '4':
			cl->family = AF_INET;
			break;
		case '6':
			cl->family = AF_INET6;
			break;
		case 'd':
			cl->duration = strtod(optarg, &end);
			/* The negated test also rejects NaN. */
			if (*end || end == optarg ||
			    !(cl->duration > 0 && cl->duration <= 1e6))
				usage_error("client", "bad -d: %s", optarg);
			timed = true;
			break;
		case 'h':
			fputs(client_help, stdout);
			exit(0);
		case 'H':
			cl->host = optarg;
			break;
		case 'j':
			cl->json = true;
			break;
		case 'm':
			mode = parse_mode(optarg);
			if (mode < 0)
				usage_error("client", "bad -m: %s", optarg);
			break;
		case 'n':
			if (!parse_u64(optarg, 1, UINT64_MAX / 2, &cl->count))
				usage_error("client", "bad -n: %s", optarg);
			break;
		case 'p':
			if (!parse_u64(optarg, 1, 65535, &v))
				usage_error("client", "bad -p: %s", optarg);
			cl->port = optarg;
			break;
		case 's':
			if (!parse_u64(optarg, 1, MAX_SIZE, &v))
				usage_error("client", "bad -s: %s", optarg);
			cl->size = (size_t)v;
			break;
		case 't':
			if (!parse_u64(optarg, 1, MAX_THREADS, &v))
				usage_error("client", "bad -t: %s", optarg);
			cl->threads = (unsigned int)v;
			break;
		case ':':
			usage_error("client", "-%c needs an argument", optopt);
		default:
			usage_error("client", "unknown option -%c", optopt);
		}
	}
	if (optind < argc)
		usage_error("client", "unexpected argument %s", argv[optind]);
	if (mode < 0)
		usage_error("client", "-m MODE is required");
	if (!cl->host)
		usage_error("client", "-H HOST is required");
	if (!cl->port)
		usage_error("client", "-p PORT is required");
	if (timed && cl->count)
		usage_error("client", "-d and -n exclude each other");
	cl->mode = (enum mode)mode;
	if (!cl->size)
		cl->size = cl->mode == MODE_BULK ? BULK_SIZE : 1;
}

static void workers_init(struct client *cl, struct worker *ws)
{
	unsigned int i;

	for (i = 0; i < cl->threads; i++) {
		struct worker *w = &ws[i];

		w->cl = cl;
		/* An even split; the first count % threads get one more. */
		w->quota = cl->count / cl->threads +
			   (i < cl->count % cl->threads);
		w->buf = malloc(cl->size);
		if (!w->buf)
			die("malloc", errno);
		memset(w->buf, 'x', cl->size);
	}
}

static void sleep_until(uint64_t deadline)
{
	struct timespec ts = {
		.tv_sec = (time_t)(deadline / NSEC_PER_SEC),
		.tv_nsec = (long)(deadline % NSEC_PER_SEC),
	};
	int ret;

	/* Returns the error number itself, not -1. */
	do {
		ret = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
				      NULL);
	} while (ret == EINTR);
	if (ret)
		die("clock_nanosleep", ret);
}

/* Start the threads together, stop them, and return the elapsed ns. */
static uint64_t client_run(struct client *cl, struct worker *ws)
{
	uint64_t t0;
	unsigned int i;
	int ret;

	ret = pthread_barrier_init(&cl->start, NULL, cl->threads + 1);
	if (ret)
		die("pthread_barrier_init", ret);
	for (i = 0; i < cl->threads; i++) {
		ret = pthread_create(&ws[i].tid, NULL, client_thread, &ws[i]);
		if (ret)
			die("pthread_create", ret);
	}
	ret = pthread_barrier_wait(&cl->start);
	if (ret && ret != PTHREAD_BARRIER_SERIAL_THREAD)
		die("pthread_barrier_wait", ret);
	t0 = now_ns();
	if (!cl->count) {
		sleep_until(t0 + (uint64_t)(cl->duration * NSEC_PER_SEC));
		atomic_store(&cl->stop, true);
	}
	for (i = 0; i < cl->threads; i++) {
		ret = pthread_join(ws[i].tid, NULL);
		if (ret)
			die("pthread_join", ret);
	}
	ret = pthread_barrier_destroy(&cl->start);
	if (ret)
		die("pthread_barrier_destroy", ret);
	return now_ns() - t0;
}

static void report_errors(const struct client *cl, const struct worker *ws)
{
	unsigned int i;

	for (i = 0; i < cl->threads; i++) {
		const struct worker *w = &ws[i];

		if (!w->errors)
			continue;
		fprintf(stderr, "loadgen: thread %u: %" PRIu64
			" errors, first %s: %s%s\n", i, w->errors, w->err_op,
			w->err_no ? strerror(w->err_no) :
			"closed by the server",
			w->consecutive >= GIVE_UP_ERRORS ?
			" (gave up: too many in a row)" : "");
	}
}

static void report_json(const struct client *cl, const struct worker *sum,
			double secs)
{
	const struct hist *h = &sum->hist;

	printf("{\"mode\":\"%s\",\"threads\":%u,\"size\":%zu,"
	       "\"transactions\":%" PRIu64 ",\"seconds\":%.6f,\"rate\":%.1f,",
	       mode_names[cl->mode], cl->threads, cl->size, sum->done, secs,
	       (double)sum->done / secs);
	/* No latencies (bulk, or nothing worked) are null, not zero. */
	if (!h->count)
		printf("\"p50_us\":null,\"p90_us\":null,\"p99_us\":null,"
		       "\"max_us\":null,");
	else
		printf("\"p50_us\":%.3f,\"p90_us\":%.3f,\"p99_us\":%.3f,"
		       "\"max_us\":%.3f,", hist_pct(h, 50) / 1000,
		       hist_pct(h, 90) / 1000, hist_pct(h, 99) / 1000,
		       (double)h->max / 1000);
	printf("\"bytes\":%" PRIu64 ",\"mbps\":%.3f,\"errors\":%" PRIu64
	       ",\"connect_errors\":%" PRIu64 "}\n", sum->bytes,
	       (double)sum->bytes / secs / 1e6, sum->errors,
	       sum->connect_errors);
}

static void report_human(const struct client *cl, const struct worker *sum,
			 double secs)
{
	const struct hist *h = &sum->hist;

	if (cl->mode == MODE_BULK)
		printf("bulk: %" PRIu64 " bytes in %.2f s = %.1f MB/s  writes %"
		       PRIu64, sum->bytes, secs,
		       (double)sum->bytes / secs / 1e6, sum->done);
	else
		printf("%s: %" PRIu64 " transactions in %.2f s = %.1f/s  "
		       "latency us: p50 %.1f p90 %.1f p99 %.1f max %.1f",
		       mode_names[cl->mode], sum->done, secs,
		       (double)sum->done / secs, hist_pct(h, 50) / 1000,
		       hist_pct(h, 90) / 1000, hist_pct(h, 99) / 1000,
		       (double)h->max / 1000);
	printf("  errors %" PRIu64, sum->errors);
	if (sum->connect_errors)
		printf(" (%" PRIu64 " connect)", sum->connect_errors);
	printf("\n");
}

static int client_main(int argc, char **argv)
{
	struct client cl = { 0 };
	struct worker *ws, *sum;
	unsigned int i;
	double secs;
	int status;

	client_parse(&cl, argc, argv);
	ignore_sigpipe();
	resolve(cl.host, cl.port, cl.family, 0, &cl.addr, &cl.addrlen);

	/* The sum lives in the extra last slot. */
	ws = calloc(cl.threads + 1, sizeof(*ws));
	if (!ws)
		die("calloc", errno);
	sum = &ws[cl.threads];
	workers_init(&cl, ws);
	secs = (double)client_run(&cl, ws) / NSEC_PER_SEC;

	for (i = 0; i < cl.threads; i++) {
		sum->done += ws[i].done;
		sum->bytes += ws[i].bytes;
		sum->errors += ws[i].errors;
		sum->connect_errors += ws[i].connect_errors;
		hist_merge(&sum->hist, &ws[i].hist);
	}
	report_errors(&cl, ws);
	if (cl.json)
		report_json(&cl, sum, secs);
	else
		report_human(&cl, sum, secs);
	/* A result lost to a full disk or a closed pipe is a failure too. */
	status = sum->errors ? 1 : 0;
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "loadgen: writing the result failed\n");
		status = 1;
	}
	for (i = 0; i < cl.threads; i++)
		free(ws[i].buf);
	free(ws);
	return status;
}

/* Server -------------------------------------------------------------- */

struct server {
	enum mode mode;
	int family;
	const char *bind;
	const char *port;
	unsigned int threads;
	uint64_t max_conns;	/* 0: until a signal */

	int lfd;
	int stopfd;		/* eventfd, readable once the server stops */
	_Atomic uint64_t completed;
};

/* Each thread keeps its connections on a list to free them at the end. */
struct srv_conn {
	struct srv_conn *next, **pprev;
	int fd;
	bool want_out;		/* waiting for EPOLLOUT to flush buf */
	size_t off, len;	/* unsent echo bytes: buf[off, len) */
	char buf[];		/* ECHO_SIZE bytes in crr and rr mode */
};

struct srv_thread {
	pthread_t tid;
	struct server *srv;
	int epfd;
	struct srv_conn *conns;
	char *sink;		/* bulk mode: where the data goes */

	uint64_t conns_done;
	uint64_t bytes_in;
	uint64_t bytes_out;
	uint64_t errors;
	int fatal;		/* errno that ended the thread, or 0 */
};

static const char server_help[] =
"usage: loadgen server -m crr|rr|bulk [-4|-6] [-b ADDR] -p PORT [-t THREADS]\n"
"                      [-n CONNS]\n"
"\n"
"  -m MODE     crr, rr: echo each connection's bytes back until its EOF\n"
"              bulk: read and discard until EOF\n"
"  -4, -6      IPv4 or IPv6 only (default: IPv6 socket taking both)\n"
"  -b ADDR     local address to listen on (default: any)\n"
"  -p PORT     port to listen on (0: pick one, printed at start)\n"
"  -t THREADS  epoll threads sharing the listening socket (default 1)\n"
"  -n CONNS    exit after CONNS connections completed\n"
"\n"
"Prints one line when listening and one summary line at exit.  SIGINT or\n"
"SIGTERM end the server with status 0.\n";

/* Wake every thread's epoll and the main thread: stopfd stays readable. */
static void server_stop(struct server *srv)
{
	uint64_t one = 1;

	/* EAGAIN: the counter is full, so readable already.  Else a bug. */
	if (write(srv->stopfd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		abort();
}

static void conn_close(struct srv_thread *t, struct srv_conn *c, bool err)
{
	struct server *srv = t->srv;

	*c->pprev = c->next;
	if (c->next)
		c->next->pprev = c->pprev;
	/* close() also takes the socket out of the epoll set. */
	if (close(c->fd))
		err = true;
	free(c);
	t->conns_done++;
	if (err)
		t->errors++;
	if (srv->max_conns &&
	    atomic_fetch_add(&srv->completed, 1) + 1 == srv->max_conns)
		server_stop(srv);
}

static int conn_want(struct srv_thread *t, struct srv_conn *c, bool out)
{
	struct epoll_event ev = {
		.events = out ? EPOLLOUT : EPOLLIN,
		.data.ptr = c,
	};

	if (c->want_out == out)
		return 0;
	c->want_out = out;
	return epoll_ctl(t->epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/*
 * Send what is left of the echo.  Until it is gone the connection waits
 * for EPOLLOUT instead of reading: a client that stops reading stalls only
 * its own connection, and the buffer never grows.
 */
static int conn_flush(struct srv_thread *t, struct srv_conn *c)
{
	while (c->off < c->len) {
		ssize_t n = write(c->fd, c->buf + c->off, c->len - c->off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return conn_want(t, c, true);
		if (n <= 0)
			return -1;
		c->off += (size_t)n;
		t->bytes_out += (uint64_t)n;
	}
	c->off = c->len = 0;
	return conn_want(t, c, false);
}

/* One read per wakeup keeps busy connections from starving the others. */
static void conn_event(struct srv_thread *t, struct srv_conn *c)
{
	bool echo = t->srv->mode != MODE_BULK;
	ssize_t n;

	if (c->off < c->len) {
		if (conn_flush(t, c))
			conn_close(t, c, true);
		return;
	}
	if (echo)
		n = read(c->fd, c->buf, ECHO_SIZE);
	else
		n = read(c->fd, t->sink, SINK_SIZE);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(t, c, n < 0);
		return;
	}
	t->bytes_in += (uint64_t)n;
	if (!echo)
		return;
	c->off = 0;
	c->len = (size_t)n;
	if (conn_flush(t, c))
		conn_close(t, c, true);
}

static void conn_open(struct srv_thread *t, int fd)
{
	bool echo = t->srv->mode != MODE_BULK;
	struct epoll_event ev = { .events = EPOLLIN };
	struct srv_conn *c;
	int one = 1;

	c = calloc(1, sizeof(*c) + (echo ? ECHO_SIZE : 0));
	if (!c) {
		t->errors++;
		if (close(fd))
			t->errors++;
		return;
	}
	c->fd = fd;
	c->next = t->conns;
	if (c->next)
		c->next->pprev = &c->next;
	c->pprev = &t->conns;
	t->conns = c;
	ev.data.ptr = c;
	/* Echoes longer than one segment must not wait for an ACK. */
	if ((echo &&
	     setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one))) ||
	    epoll_ctl(t->epfd, EPOLL_CTL_ADD, fd, &ev))
		conn_close(t, c, true);
}

static void server_accept(struct srv_thread *t)
{
	struct timespec pause = { .tv_nsec = 1000000 };
	unsigned int i;
	int fd;

	for (i = 0; i < ACCEPT_BATCH; i++) {
		fd = accept4(t->srv->lfd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			conn_open(t, fd);
			continue;
		}
		if (errno == EAGAIN)
			return;
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		t->errors++;
		/*
		 * Out of fds or memory: the listener stays readable, so back
		 * off a little instead of spinning on it.
		 */
		if (nanosleep(&pause, NULL) && errno != EINTR)
			t->errors++;
		return;
	}
}

static void *server_thread(void *arg)
{
	struct srv_thread *t = arg;
	struct server *srv = t->srv;
	struct epoll_event ev[64];
	bool running = true;
	int i, n;

	while (running) {
		n = epoll_wait(t->epfd, ev, 64, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			t->fatal = errno;
			server_stop(srv);
			break;
		}
		for (i = 0; i < n; i++) {
			if (ev[i].data.ptr == &srv->stopfd)
				running = false;
			else if (ev[i].data.ptr == &srv->lfd)
				server_accept(t);
			else
				conn_event(t, ev[i].data.ptr);
		}
	}
	while (t->conns)
		conn_close(t, t->conns, false);
	return NULL;
}

static void server_parse(struct server *srv, int argc, char **argv)
{
	int opt, mode = -1;
	uint64_t v;

	srv->family = AF_UNSPEC;
	srv->threads = 1;
	opterr = 0;
	while ((opt = getopt(argc, argv, ":46b:hm:n:p:t:")) != -1) {
		switch (opt) {
		case '4':
			srv->family = AF_INET;
			break;
		case '6':
			srv->family = AF_INET6;
			break;
		case 'b':
			srv->bind = optarg;
			break;
		case 'h':
			fputs(server_help, stdout);
			exit(0);
		case 'm':
			mode = parse_mode(optarg);
			if (mode < 0)
				usage_error("server", "bad -m: %s", optarg);
			break;
		case 'n':
			if (!parse_u64(optarg, 1, UINT64_MAX / 2,
				       &srv->max_conns))
				usage_error("server", "bad -n: %s", optarg);
			break;
		case 'p':
			if (!parse_u64(optarg, 0, 65535, &v))
				usage_error("server", "bad -p: %s", optarg);
			srv->port = optarg;
			break;
		case 't':
			if (!parse_u64(optarg, 1, MAX_THREADS, &v))
				usage_error("server", "bad -t: %s", optarg);
			srv->threads = (unsigned int)v;
			break;
		case ':':
			usage_error("server", "-%c needs an argument", optopt);
		default:
			usage_error("server", "unknown option -%c", optopt);
		}
	}
	if (optind < argc)
		usage_error("server", "unexpected argument %s", argv[optind]);
	if (mode < 0)
		usage_error("server", "-m MODE is required");
	if (!srv->port)
		usage_error("server", "-p PORT is required");
	srv->mode = (enum mode)mode;
}

static int listen_on(const struct server *srv, int family)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1, v6only;
	int fd;

	resolve(srv->bind, srv->port, family, AI_PASSIVE, &ss, &len);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return -1;
	/* Restarting must not wait for the last run's TIME_WAIT sockets. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		die("setsockopt SO_REUSEADDR", errno);
	/* Take IPv4 too on an IPv6 socket unless -6 asked for IPv6 only. */
	v6only = srv->family == AF_INET6;
	if (ss.ss_family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only)))
		die("setsockopt IPV6_V6ONLY", errno);
	if (bind(fd, (struct sockaddr *)&ss, len))
		die("bind", errno);
	/* The kernel caps the backlog at net.core.somaxconn. */
	if (listen(fd, 4096))
		die("listen", errno);
	return fd;
}

static int server_listen(const struct server *srv)
{
	int fd;

	/* Default to one socket for both families, IPv4 if there is no IPv6. */
	if (srv->family != AF_UNSPEC || srv->bind) {
		fd = listen_on(srv, srv->family);
	} else {
		fd = listen_on(srv, AF_INET6);
		if (fd < 0 && errno == EAFNOSUPPORT)
			fd = listen_on(srv, AF_INET);
	}
	if (fd < 0)
		die("socket", errno);
	return fd;
}

static void thread_init(struct server *srv, struct srv_thread *t)
{
	/* One wakeup per connection rather than all threads racing. */
	struct epoll_event lev = {
		.events = EPOLLIN | EPOLLEXCLUSIVE,
		.data.ptr = &srv->lfd,
	};
	struct epoll_event sev = {
		.events = EPOLLIN,
		.data.ptr = &srv->stopfd,
	};

	t->srv = srv;
	t->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (t->epfd < 0)
		die("epoll_create1", errno);
	if (epoll_ctl(t->epfd, EPOLL_CTL_ADD, srv->lfd, &lev) ||
	    epoll_ctl(t->epfd, EPOLL_CTL_ADD, srv->stopfd, &sev))
		die("epoll_ctl", errno);
	if (srv->mode == MODE_BULK) {
		t->sink = malloc(SINK_SIZE);
		if (!t->sink)
			die("malloc", errno);
	}
}

/*
 * SIGINT and SIGTERM are blocked in every thread and read through a
 * signalfd here, so a stop never interrupts a thread in the middle of a
 * connection; the threads learn of it from stopfd.
 */
static int signals_fd(void)
{
	sigset_t set;
	int fd, ret;

	if (sigemptyset(&set) || sigaddset(&set, SIGINT) ||
	    sigaddset(&set, SIGTERM))
		die("sigaddset", errno);
	ret = pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (ret)
		die("pthread_sigmask", ret);
	fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (fd < 0)
		die("signalfd", errno);
	return fd;
}

static void server_wait(struct server *srv, int sigfd)
{
	struct pollfd pfd[2] = {
		{ .fd = sigfd, .events = POLLIN },
		{ .fd = srv->stopfd, .events = POLLIN },
	};

	while (poll(pfd, 2, -1) < 0)
		if (errno != EINTR)
			die("poll", errno);
	server_stop(srv);
}

static void server_announce(const struct server *srv)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char addr[NI_MAXHOST + NI_MAXSERV + 4];

	if (getsockname(srv->lfd, (struct sockaddr *)&ss, &len))
		die("getsockname", errno);
	printf("loadgen server: %s on %s, threads %u\n", mode_names[srv->mode],
	       fmt_addr(&ss, len, addr, sizeof(addr)), srv->threads);
	/* Scripts wait for this line: it must not sit in a buffer. */
	if (fflush(stdout))
		die("stdout", errno);
}

static int server_main(int argc, char **argv)
{
	struct server srv = { 0 };
	struct srv_thread *ts, sum = { 0 };
	unsigned int i;
	int sigfd, ret, status = 0;

	server_parse(&srv, argc, argv);
	ignore_sigpipe();
	sigfd = signals_fd();
	srv.lfd = server_listen(&srv);
	srv.stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (srv.stopfd < 0)
		die("eventfd", errno);
	ts = calloc(srv.threads, sizeof(*ts));
	if (!ts)
		die("calloc", errno);
	for (i = 0; i < srv.threads; i++) {
		thread_init(&srv, &ts[i]);
		ret = pthread_create(&ts[i].tid, NULL, server_thread, &ts[i]);
		if (ret)
			die("pthread_create", ret);
	}
	server_announce(&srv);
	server_wait(&srv, sigfd);

	for (i = 0; i < srv.threads; i++) {
		ret = pthread_join(ts[i].tid, NULL);
		if (ret)
			die("pthread_join", ret);
		sum.conns_done += ts[i].conns_done;
		sum.bytes_in += ts[i].bytes_in;
		sum.bytes_out += ts[i].bytes_out;
		sum.errors += ts[i].errors;
		if (ts[i].fatal) {
			fprintf(stderr, "loadgen: epoll_wait: %s\n",
				strerror(ts[i].fatal));
			status = 1;
		}
		if (close(ts[i].epfd))
			die("close", errno);
		free(ts[i].sink);
	}
	printf("loadgen server: %" PRIu64 " connections, %" PRIu64
	       " bytes in, %" PRIu64 " bytes out, %" PRIu64 " errors\n",
	       sum.conns_done, sum.bytes_in, sum.bytes_out, sum.errors);
	if (fflush(stdout))
		status = 1;
	if (close(srv.lfd) || close(srv.stopfd) || close(sigfd))
		die("close", errno);
	free(ts);
	return status;
}

/* Main ---------------------------------------------------------------- */

static const char main_help[] =
"usage: loadgen server -m crr|rr|bulk [-4|-6] [-b ADDR] -p PORT [-t THREADS]\n"
"                      [-n CONNS]\n"
"       loadgen client -m crr|rr|bulk [-4|-6] -H HOST -p PORT [-t THREADS]\n"
"                      [-d SECONDS | -n COUNT] [-s SIZE] [-j]\n"
"       loadgen server|client -h\n";

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(main_help, stderr);
		return EXIT_USAGE;
	}
	/* getopt sees the mode word as the program name. */
	if (!strcmp(argv[1], "server"))
		return server_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "client"))
		return client_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(main_help, stdout);
		return 0;
	}
	fprintf(stderr, "loadgen: unknown command %s\n", argv[1]);
	fputs(main_help, stderr);
	return EXIT_USAGE;
}
