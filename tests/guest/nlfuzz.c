// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: fuzz the "socktap" generic netlink family and its debugfs files
 * (guest test helper; raw AF_NETLINK sockets, no libnl, so it is fast
 * enough under TCG).
 *
 *   nlfuzz [-s SEED] [-n COUNT] [-k KPROBES] [-p TOGGLES] [-C] fuzz
 *	COUNT requests (default 1000000): random bytes, structured mutations
 *	of valid requests for every SOCKTAP_CMD_*, valid requests, several
 *	per datagram; every one must be answered (an ACK, a reply, a dump's
 *	DONE or an error; a request without NLM_F_ACK is followed by a
 *	NLMSG_NOOP with NLM_F_ACK whose ACK ends it).  Every reply is
 *	checked (header, command, attribute sizes), every error for an
 *	extack message.  Besides: dumps abandoned midway, sockets closed with
 *	requests and replies in flight, and (unless -C) a child process doing
 *	the same concurrently.  KPROBES bounds the function names that may
 *	reach the kprobe layer (FUNC_CHECK, COUNT_ADD, STACK_START), TOGGLES
 *	the PROBE_SET requests naming a real probe point.  At the end the
 *	filter is cleared and the probe points are put back as they were.
 *   nlfuzz perm
 *	each command once, valid, and those with GENL_ADMIN_PERM also with an
 *	unknown attribute: without CAP_NET_ADMIN these must fail with EPERM
 *	(before any validation), the others succeed; as root the valid ones
 *	succeed and the others fail with EINVAL.  The op table the kernel
 *	reports must be module/netlink.c's.  Then whether the events group
 *	can be joined and whether events arrive (loopback connections made).
 *   nlfuzz [-s SEED] [-n OPS] debugfs DIR
 *	writes random data to every file of DIR (opened O_WRONLY, O_RDWR):
 *	each write must fail; reads at odd offsets and sizes (lseek, pread,
 *	1-byte reads) must not fail except where the API says EINVAL.
 *
 * Output: "stat NAME VALUE" lines (the test script reads them), "nomsg"
 * lines for errors without an extack message, "BAD ..." lines for
 * failures.  Exit status: 0 no failure, 1 failures, 2 usage or setup.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/socktap.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAXBATCH 8
#define MAXMSG (70 * 1024)
#define RCVBUF (4 << 20)
#define RXBUF (64 * 1024)
#define RXVEC 16

static int failures;

static void bad(const char *fmt, ...)
{
	va_list ap;

	failures++;
	if (failures > 50)
		return;
	printf("BAD ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* ---- PRNG: splitmix64, so one seed replays a run */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rn(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

/* true with probability pct/100 */
static int chance(unsigned int pct)
{
	return rn(100) < pct;
}

static void rfill(uint8_t *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(i & 7))
			v = rnd();
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- what module/netlink.c registers (st_genl_ops) */

struct opdesc {
	const char *name;
	uint8_t doit, dumpit, admin;
	uint8_t kflags;		/* CTRL_ATTR_OP_FLAGS from the kernel */
	uint8_t kseen;
};

static struct opdesc ops[256] = {
	[SOCKTAP_CMD_STATUS] = { "STATUS", 1, 0, 0, 0, 0 },
	[SOCKTAP_CMD_PROBE_GET] = { "PROBE_GET", 1, 1, 0, 0, 0 },
	[SOCKTAP_CMD_PROBE_SET] = { "PROBE_SET", 1, 0, 1, 0, 0 },
	[SOCKTAP_CMD_PROC_GET] = { "PROC_GET", 0, 1, 1, 0, 0 },
	[SOCKTAP_CMD_HIST_GET] = { "HIST_GET", 1, 1, 0, 0, 0 },
	[SOCKTAP_CMD_FILTER_SET] = { "FILTER_SET", 1, 0, 1, 0, 0 },
	[SOCKTAP_CMD_RESET] = { "RESET", 1, 0, 1, 0, 0 },
	[SOCKTAP_CMD_TCP_GET] = { "TCP_GET", 1, 0, 0, 0, 0 },
	[SOCKTAP_CMD_LISTEN_GET] = { "LISTEN_GET", 0, 1, 1, 0, 0 },
	[SOCKTAP_CMD_FUNC_CHECK] = { "FUNC_CHECK", 1, 0, 1, 0, 0 },
	[SOCKTAP_CMD_COUNT_ADD] = { "COUNT_ADD", 1, 0, 1, 0, 0 },
	[SOCKTAP_CMD_COUNT_GET] = { "COUNT_GET", 0, 1, 0, 0, 0 },
	[SOCKTAP_CMD_STACK_START] = { "STACK_START", 1, 0, 1, 0, 0 },
	[SOCKTAP_CMD_STACK_GET] = { "STACK_GET", 0, 1, 1, 0, 0 },
	[SOCKTAP_CMD_SIZE_GET] = { "SIZE_GET", 0, 1, 1, 0, 0 },
};

static int op_known(unsigned int cmd)
{
	return cmd < 256 && (ops[cmd].doit || ops[cmd].dumpit);
}

static const char *cmdname(unsigned int cmd)
{
	static char buf[16];

	if (cmd < 256 && ops[cmd].name)
		return ops[cmd].name;
	if (cmd == SOCKTAP_CMD_EVENT)
		return "EVENT";
	snprintf(buf, sizeof(buf), "cmd%u", cmd);
	return buf;
}

/* ---- attribute kinds, for checking replies (the UAPI header's doc) */

enum { K_NONE, K_U8, K_U16, K_U32, K_U64, K_STR, K_BIN, K_NEST, K_FLAG };
/* The payload size of the fixed-size kinds. */
static const unsigned int ksize[] = {
	[K_U8] = 1, [K_U16] = 2, [K_U32] = 4, [K_U64] = 8, [K_FLAG] = 0,
};

static const uint8_t akind[SOCKTAP_A_MAX + 1] = {
	[SOCKTAP_A_PAD] = K_BIN,
	[SOCKTAP_A_VERSION] = K_STR,
	[SOCKTAP_A_KRELEASE] = K_STR,
	[SOCKTAP_A_GENL_VERSION] = K_U32,
	[SOCKTAP_A_PROBE_COUNT] = K_U32,
	[SOCKTAP_A_PROBE_NAME] = K_STR,
	[SOCKTAP_A_PROBE_TARGET] = K_STR,
	[SOCKTAP_A_PROBE_KIND] = K_U8,
	[SOCKTAP_A_PROBE_STATE] = K_U8,
	[SOCKTAP_A_PROBE_HITS] = K_U64,
	[SOCKTAP_A_PROBE_MISSED] = K_U64,
	[SOCKTAP_A_PROBE_ERROR] = K_U32,
	[SOCKTAP_A_PROBE_ENABLE] = K_U8,
	[SOCKTAP_A_SOCK_CAPACITY] = K_U32,
	[SOCKTAP_A_SOCK_USED] = K_U64,
	[SOCKTAP_A_SOCK_UNTRACKED] = K_U64,
	[SOCKTAP_A_PROC_CAPACITY] = K_U32,
	[SOCKTAP_A_PROC_USED] = K_U64,
	[SOCKTAP_A_PROC_DROPPED] = K_U64,
	[SOCKTAP_A_EV_QUEUED] = K_U64,
	[SOCKTAP_A_EV_LOST] = K_U64,
	[SOCKTAP_A_EV_UNDELIVERED] = K_U64,
	[SOCKTAP_A_FILTER_PID] = K_U32,
	[SOCKTAP_A_FILTER_PORT] = K_U32,
	[SOCKTAP_A_FILTER_NETNS] = K_U32,
	[SOCKTAP_A_FILTER_OWNED] = K_FLAG,
	[SOCKTAP_A_FILTERED] = K_U64,
	[SOCKTAP_A_PROC_PID] = K_U32,
	[SOCKTAP_A_PROC_UID] = K_U32,
	[SOCKTAP_A_PROC_COMM] = K_STR,
	[SOCKTAP_A_PROC_NETNS] = K_U32,
	[SOCKTAP_A_PROC_CONNECT_OK] = K_U64,
	[SOCKTAP_A_PROC_CONNECT_INPROGRESS] = K_U64,
	[SOCKTAP_A_PROC_CONNECT_REFUSED] = K_U64,
	[SOCKTAP_A_PROC_CONNECT_ERROR] = K_U64,
	[SOCKTAP_A_PROC_ACCEPTS] = K_U64,
	[SOCKTAP_A_PROC_CREATED] = K_U64,
	[SOCKTAP_A_PROC_CLOSED] = K_U64,
	[SOCKTAP_A_IO] = K_NEST,
	[SOCKTAP_A_IO_PROTO] = K_U8,
	[SOCKTAP_A_IO_FAMILY] = K_U8,
	[SOCKTAP_A_IO_SENDS] = K_U64,
	[SOCKTAP_A_IO_SEND_BYTES] = K_U64,
	[SOCKTAP_A_IO_RECVS] = K_U64,
	[SOCKTAP_A_IO_RECV_BYTES] = K_U64,
	[SOCKTAP_A_HIST_ID] = K_U32,
	[SOCKTAP_A_HIST_NAME] = K_STR,
	[SOCKTAP_A_HIST_BUCKETS] = K_BIN,
	[SOCKTAP_A_HIST_COUNT] = K_U64,
	[SOCKTAP_A_HIST_SUM] = K_U64,
	[SOCKTAP_A_EV_TYPE] = K_U8,
	[SOCKTAP_A_EV_TIME] = K_U64,
	[SOCKTAP_A_EV_PID] = K_U32,
	[SOCKTAP_A_EV_UID] = K_U32,
	[SOCKTAP_A_EV_COMM] = K_STR,
	[SOCKTAP_A_EV_NETNS] = K_U32,
	[SOCKTAP_A_EV_FAMILY] = K_U8,
	[SOCKTAP_A_EV_PROTO] = K_U8,
	[SOCKTAP_A_EV_SADDR] = K_BIN,
	[SOCKTAP_A_EV_DADDR] = K_BIN,
	[SOCKTAP_A_EV_SPORT] = K_U16,
	[SOCKTAP_A_EV_DPORT] = K_U16,
	[SOCKTAP_A_EV_LATENCY] = K_U64,
	[SOCKTAP_A_EV_RESULT] = K_U32,
	[SOCKTAP_A_EV_TX_BYTES] = K_U64,
	[SOCKTAP_A_EV_RX_BYTES] = K_U64,
	[SOCKTAP_A_EV_DURATION] = K_U64,
	[SOCKTAP_A_PROBE_GROUP] = K_STR,
	[SOCKTAP_A_TCP_COUNTERS] = K_BIN,
	[SOCKTAP_A_HIST_UNIT] = K_STR,
	[SOCKTAP_A_EV_OLDSTATE] = K_U8,
	[SOCKTAP_A_EV_NEWSTATE] = K_U8,
	[SOCKTAP_A_EV_RETRANS_TYPE] = K_U8,
	[SOCKTAP_A_EV_SEGS] = K_U32,
	[SOCKTAP_A_EV_BACKLOG] = K_U32,
	[SOCKTAP_A_EV_BACKLOG_MAX] = K_U32,
	[SOCKTAP_A_EV_SYNQ] = K_U32,
	[SOCKTAP_A_EV_REASON] = K_U32,
	[SOCKTAP_A_EV_STACK] = K_BIN,
	[SOCKTAP_A_LISTEN_PORT] = K_U16,
	[SOCKTAP_A_LISTEN_FAMILY] = K_U8,
	[SOCKTAP_A_LISTEN_NETNS] = K_U32,
	[SOCKTAP_A_LISTEN_PID] = K_U32,
	[SOCKTAP_A_LISTEN_COMM] = K_STR,
	[SOCKTAP_A_LISTEN_BACKLOG_MAX] = K_U32,
	[SOCKTAP_A_LISTEN_CONNS] = K_U64,
	[SOCKTAP_A_LISTEN_OVERFLOWS] = K_U64,
	[SOCKTAP_A_LISTEN_SYN_DROPS] = K_U64,
	[SOCKTAP_A_LISTEN_ACCEPTQ] = K_BIN,
	[SOCKTAP_A_LISTEN_SYNQ] = K_BIN,
	[SOCKTAP_A_FUNCS] = K_NEST,
	[SOCKTAP_A_FUNC] = K_NEST,
	[SOCKTAP_A_FUNC_NAME] = K_STR,
	[SOCKTAP_A_FUNC_ERROR] = K_U32,
	[SOCKTAP_A_FUNC_FLAGS] = K_U32,
	[SOCKTAP_A_FUNC_HITS] = K_U64,
	[SOCKTAP_A_FUNC_MISSED] = K_U64,
	[SOCKTAP_A_COUNT_MAX] = K_U32,
	[SOCKTAP_A_COUNT_USED] = K_U32,
	[SOCKTAP_A_STACK_FUNC] = K_STR,
	[SOCKTAP_A_STACK_MODE] = K_U32,
	[SOCKTAP_A_STACK_COUNT] = K_U64,
	[SOCKTAP_A_STACK_KERNEL] = K_BIN,
	[SOCKTAP_A_STACK_USER] = K_BIN,
	[SOCKTAP_A_STACK_PID] = K_U32,
	[SOCKTAP_A_STACK_COMM] = K_STR,
	[SOCKTAP_A_STACK_CAPACITY] = K_U32,
	[SOCKTAP_A_STACK_USED] = K_U32,
	[SOCKTAP_A_STACK_DROPPED] = K_U64,
	[SOCKTAP_A_STACK_HITS] = K_U64,
	[SOCKTAP_A_STACK_MISSED] = K_U64,
	[SOCKTAP_A_SIZE_HIST] = K_NEST,
	[SOCKTAP_A_SIZE_CAPACITY] = K_U32,
	[SOCKTAP_A_SIZE_USED] = K_U32,
	[SOCKTAP_A_SIZE_DROPPED] = K_U64,
	[SOCKTAP_A_LISTEN_CAPACITY] = K_U32,
	[SOCKTAP_A_LISTEN_USED] = K_U32,
	[SOCKTAP_A_LISTEN_DROPPED] = K_U64,
};

/* One attribute every reply of the command carries. */
static const uint16_t must_have[SOCKTAP_CMD_MAX + 1] = {
	[SOCKTAP_CMD_STATUS] = SOCKTAP_A_KRELEASE,
	[SOCKTAP_CMD_PROBE_GET] = SOCKTAP_A_PROBE_NAME,
	[SOCKTAP_CMD_PROBE_SET] = SOCKTAP_A_PROBE_STATE,
	[SOCKTAP_CMD_PROC_GET] = SOCKTAP_A_PROC_PID,
	[SOCKTAP_CMD_HIST_GET] = SOCKTAP_A_HIST_BUCKETS,
	[SOCKTAP_CMD_TCP_GET] = SOCKTAP_A_TCP_COUNTERS,
	[SOCKTAP_CMD_LISTEN_GET] = SOCKTAP_A_LISTEN_PORT,
	[SOCKTAP_CMD_FUNC_CHECK] = SOCKTAP_A_FUNCS,
	[SOCKTAP_CMD_COUNT_ADD] = SOCKTAP_A_FUNCS,
	[SOCKTAP_CMD_COUNT_GET] = SOCKTAP_A_FUNC_NAME,
	[SOCKTAP_CMD_STACK_GET] = SOCKTAP_A_STACK_COUNT,
	[SOCKTAP_CMD_SIZE_GET] = SOCKTAP_A_PROC_PID,
};

static uint16_t get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* 0 when p..p+len is a well-formed list of socktap attributes. */
static int check_attrs(const uint8_t *p, size_t len, int depth, uint16_t want,
		       int *found, char *why, size_t whylen)
{
	size_t plen, adv;
	uint16_t alen, type;
	const uint8_t *d;

	while (len >= NLA_HDRLEN) {
		alen = get16(p);
		type = get16(p + 2) & NLA_TYPE_MASK;
		if (alen < NLA_HDRLEN || alen > len) {
			snprintf(why, whylen, "attribute %u length %u of %zu", type, alen, len);
			return -1;
		}
		if (type == 0 || type > SOCKTAP_A_MAX || akind[type] == K_NONE) {
			snprintf(why, whylen, "unknown attribute %u", type);
			return -1;
		}
		if (type == want)
			*found = 1;
		d = p + NLA_HDRLEN;
		plen = alen - NLA_HDRLEN;
		switch (akind[type]) {
		case K_U8:
		case K_U16:
		case K_U32:
		case K_U64:
		case K_FLAG:
			if (plen != ksize[akind[type]])
				goto size;
			break;
		case K_STR:
			if (!plen || d[plen - 1] || strlen((const char *)d) != plen - 1) {
				snprintf(why, whylen, "attribute %u: not a string", type);
				return -1;
			}
			break;
		case K_NEST:
			if (depth > 3 || check_attrs(d, plen, depth + 1, want, found, why, whylen)) {
				if (depth > 3)
					snprintf(why, whylen, "nested too deep");
				return -1;
			}
			break;
		default:
			break;
		}
		adv = NLA_ALIGN(alen);
		if (adv > len)
			adv = len;
		p += adv;
		len -= adv;
	}
	if (len) {
		snprintf(why, whylen, "%zu bytes left over", len);
		return -1;
	}
	return 0;
size:
	snprintf(why, whylen, "attribute %u: %zu bytes", type, plen);
	return -1;
}

/* ---- sockets */

static uint16_t fam_id;
static uint32_t mcgrp_id;

static int nl_open(int rcvbuf)
{
	int fd, one = 1, sz = 2 << 20;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0) {
		perror("nlfuzz: socket");
		exit(2);
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("nlfuzz: bind");
		exit(2);
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	return fd;
}

static int nl_send(int fd, const void *buf, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	return (int)sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa));
}

/* Message builder. */
struct mb {
	uint8_t *p;
	size_t len, cap;
};

static uint8_t *mb_put(struct mb *m, const void *data, size_t n)
{
	uint8_t *at;

	if (m->len + NLA_ALIGN(n) > m->cap) {
		fprintf(stderr, "nlfuzz: message buffer overflow\n");
		exit(2);
	}
	at = m->p + m->len;
	if (data)
		memcpy(at, data, n);
	memset(at + n, 0, NLA_ALIGN(n) - n);
	m->len += NLA_ALIGN(n);
	return at;
}

static void mb_attr(struct mb *m, uint16_t type, const void *data, size_t n)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + n), .nla_type = type };

	mb_put(m, &a, NLA_HDRLEN);
	if (n)
		mb_put(m, data, n);
}

static size_t mb_nest_start(struct mb *m, uint16_t type)
{
	size_t at = m->len;

	mb_attr(m, type, NULL, 0);
	return at;
}

static void mb_nest_end(struct mb *m, size_t at)
{
	uint16_t l = (uint16_t)(m->len - at);

	memcpy(m->p + at, &l, 2);
}

/* nlmsghdr + genlmsghdr at m->len; returns its offset. */
static size_t mb_msg(struct mb *m, uint16_t type, uint16_t flags, uint32_t seq,
		     uint8_t cmd, uint8_t version)
{
	struct nlmsghdr h = { .nlmsg_type = type, .nlmsg_flags = flags, .nlmsg_seq = seq };
	struct genlmsghdr g = { .cmd = cmd, .version = version };
	size_t at = m->len;

	mb_put(m, &h, sizeof(h));
	mb_put(m, &g, sizeof(g));
	return at;
}

static void mb_msg_end(struct mb *m, size_t at)
{
	uint32_t l = (uint32_t)(m->len - at);

	memcpy(m->p + at, &l, 4);
}

static uint8_t *rxbufs;

/* Reads one datagram into rxbufs; < 0 on error or timeout (ms). */
static ssize_t nl_recv1(int fd, int timeout)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (poll(&pfd, 1, timeout) <= 0)
		return -ETIMEDOUT;
	n = recv(fd, rxbufs, RXBUF, MSG_DONTWAIT);
	return n < 0 ? -errno : n;
}

/* Walks a datagram: fn(nlh) for each message. */
#define FOR_NLMSG(nlh, buf, n)						\
	for (struct nlmsghdr *nlh = (struct nlmsghdr *)(buf);		\
	     (n) >= (ssize_t)NLMSG_HDRLEN && nlh->nlmsg_len >= NLMSG_HDRLEN && \
	     (ssize_t)nlh->nlmsg_len <= (n);					\
	     (n) -= NLMSG_ALIGN(nlh->nlmsg_len),				\
	     nlh = (struct nlmsghdr *)((uint8_t *)nlh + NLMSG_ALIGN(nlh->nlmsg_len)))

/* The extack message of an NLMSG_ERROR or NLMSG_DONE, or NULL. */
static const char *extack_msg(const struct nlmsghdr *nlh, uint32_t *offs, int *has_offs)
{
	const uint8_t *p = NLMSG_DATA(nlh), *end = (const uint8_t *)nlh + nlh->nlmsg_len;
	const char *msg = NULL;
	uint16_t alen, type;

	*has_offs = 0;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = (const void *)p;

		p += sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			p += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	} else {
		p += sizeof(int);
	}
	while (p + NLA_HDRLEN <= end) {
		alen = get16(p);
		type = get16(p + 2) & NLA_TYPE_MASK;
		if (alen < NLA_HDRLEN || p + alen > end)
			break;
		if (type == NLMSGERR_ATTR_MSG && alen > NLA_HDRLEN &&
		    p[alen - 1] == 0)
			msg = (const char *)p + NLA_HDRLEN;
		if (type == NLMSGERR_ATTR_OFFS && alen == NLA_HDRLEN + 4) {
			*offs = get32(p + NLA_HDRLEN);
			*has_offs = 1;
		}
		p += NLA_ALIGN(alen);
	}
	return msg;
}

/* ---- the family: id, group, ops (CTRL_CMD_GETFAMILY) */

static void parse_ops(const uint8_t *p, size_t len)
{
	const uint8_t *q, *end = p + len;
	uint32_t id, flags;
	int have_id;

	while (p + NLA_HDRLEN <= end && get16(p) >= NLA_HDRLEN && p + get16(p) <= end) {
		q = p + NLA_HDRLEN;
		id = 0;
		flags = 0;
		have_id = 0;
		while (q + NLA_HDRLEN <= p + get16(p) && get16(q) >= NLA_HDRLEN) {
			uint16_t t = get16(q + 2) & NLA_TYPE_MASK;

			if (t == CTRL_ATTR_OP_ID && get16(q) == 8) {
				id = get32(q + 4);
				have_id = 1;
			} else if (t == CTRL_ATTR_OP_FLAGS && get16(q) == 8) {
				flags = get32(q + 4);
			}
			q += NLA_ALIGN(get16(q));
		}
		if (have_id && id < 256) {
			ops[id].kseen = 1;
			ops[id].kflags = (uint8_t)flags;
		}
		p += NLA_ALIGN(get16(p));
	}
}

static void parse_groups(const uint8_t *p, size_t len)
{
	const uint8_t *q, *end = p + len;
	uint32_t id;
	const char *name;

	while (p + NLA_HDRLEN <= end && get16(p) >= NLA_HDRLEN && p + get16(p) <= end) {
		q = p + NLA_HDRLEN;
		id = 0;
		name = NULL;
		while (q + NLA_HDRLEN <= p + get16(p) && get16(q) >= NLA_HDRLEN) {
			uint16_t t = get16(q + 2) & NLA_TYPE_MASK;

			if (t == CTRL_ATTR_MCAST_GRP_ID && get16(q) == 8)
				id = get32(q + 4);
			else if (t == CTRL_ATTR_MCAST_GRP_NAME)
				name = (const char *)q + NLA_HDRLEN;
			q += NLA_ALIGN(get16(q));
		}
		if (name && !strcmp(name, SOCKTAP_GENL_MCGRP))
			mcgrp_id = id;
		p += NLA_ALIGN(get16(p));
	}
}

static int resolve_family(void)
{
	uint8_t buf[256];
	struct mb m = { buf, 0, sizeof(buf) };
	int fd = nl_open(0), found = 0;
	size_t at;
	ssize_t n;

	at = mb_msg(&m, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, 1, CTRL_CMD_GETFAMILY, 2);
	mb_attr(&m, CTRL_ATTR_FAMILY_NAME, SOCKTAP_GENL_NAME, sizeof(SOCKTAP_GENL_NAME));
	mb_msg_end(&m, at);
	if (nl_send(fd, buf, m.len) < 0) {
		perror("nlfuzz: send GETFAMILY");
		exit(2);
	}
	for (;;) {
		n = nl_recv1(fd, 5000);
		if (n < 0) {
			fprintf(stderr, "nlfuzz: GETFAMILY: %s\n", strerror((int)-n));
			exit(2);
		}
		FOR_NLMSG(nlh, rxbufs, n) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nlh);

				if (e->error) {
					fprintf(stderr, "nlfuzz: family %s: %s (module not loaded?)\n",
						SOCKTAP_GENL_NAME, strerror(-e->error));
					exit(2);
				}
				close(fd);
				if (!found) {
					fprintf(stderr, "nlfuzz: no family id in the reply\n");
					exit(2);
				}
				return 0;
			}
			if (nlh->nlmsg_type != GENL_ID_CTRL)
				continue;
			const uint8_t *p = (const uint8_t *)NLMSG_DATA(nlh) + GENL_HDRLEN;
			const uint8_t *end = (const uint8_t *)nlh + nlh->nlmsg_len;

			while (p + NLA_HDRLEN <= end && get16(p) >= NLA_HDRLEN && p + get16(p) <= end) {
				uint16_t t = get16(p + 2) & NLA_TYPE_MASK, l = get16(p);

				if (t == CTRL_ATTR_FAMILY_ID && l >= 6) {
					fam_id = get16(p + 4);
					found = 1;
				} else if (t == CTRL_ATTR_OPS) {
					parse_ops(p + NLA_HDRLEN, l - NLA_HDRLEN);
				} else if (t == CTRL_ATTR_MCAST_GROUPS) {
					parse_groups(p + NLA_HDRLEN, l - NLA_HDRLEN);
				}
				p += NLA_ALIGN(l);
			}
		}
	}
}

/* The kernel's op table must be module/netlink.c's. */
static int check_optable(void)
{
	unsigned int c, bad_ops = 0;
	uint8_t want;

	for (c = 0; c < 256; c++) {
		if (!op_known(c) && !ops[c].kseen)
			continue;
		want = (ops[c].admin ? GENL_ADMIN_PERM : 0) |
		       (ops[c].doit ? GENL_CMD_CAP_DO : 0) |
		       (ops[c].dumpit ? GENL_CMD_CAP_DUMP : 0);
		/* HASPOL and the newer UNS_ADMIN flags are not ours to check. */
		if (!ops[c].kseen ||
		    (ops[c].kflags & (GENL_ADMIN_PERM | GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP)) != want) {
			bad("optable %s: kernel flags 0x%x (seen %d), module/netlink.c says 0x%x",
			    cmdname(c), ops[c].kflags, ops[c].kseen, want);
			bad_ops++;
		}
	}
	printf("stat optable_mismatches %u\n", bad_ops);
	return bad_ops;
}

/* ---- probe points (for valid PROBE_* requests, and to put them back) */

#define MAXPROBES 128
static char probe_names[MAXPROBES][SOCKTAP_PROBE_NAME_MAX];
static uint8_t probe_state0[MAXPROBES], probe_state[MAXPROBES];
static unsigned int nprobes;

/* A dump of PROBE_GET into probe_state (names into probe_names if init). */
static int read_probes(int fd, int init)
{
	uint8_t buf[64];
	struct mb m = { buf, 0, sizeof(buf) };
	size_t at;
	ssize_t n;
	unsigned int i;

	at = mb_msg(&m, fam_id, NLM_F_REQUEST | NLM_F_DUMP, 7, SOCKTAP_CMD_PROBE_GET,
		    SOCKTAP_GENL_VERSION);
	mb_msg_end(&m, at);
	if (nl_send(fd, buf, m.len) < 0)
		return -1;
	if (init)
		nprobes = 0;
	for (;;) {
		n = nl_recv1(fd, 10000);
		if (n < 0)
			return -1;
		FOR_NLMSG(nlh, rxbufs, n) {
			if (nlh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (nlh->nlmsg_type == NLMSG_ERROR)
				return -1;
			if (nlh->nlmsg_type != fam_id || nlh->nlmsg_seq != 7)
				continue;
			const uint8_t *p = (const uint8_t *)NLMSG_DATA(nlh) + GENL_HDRLEN;
			const uint8_t *end = (const uint8_t *)nlh + nlh->nlmsg_len;
			const char *name = NULL;
			int st = -1;

			while (p + NLA_HDRLEN <= end && get16(p) >= NLA_HDRLEN) {
				uint16_t t = get16(p + 2) & NLA_TYPE_MASK;

				if (t == SOCKTAP_A_PROBE_NAME)
					name = (const char *)p + NLA_HDRLEN;
				else if (t == SOCKTAP_A_PROBE_STATE)
					st = p[NLA_HDRLEN];
				p += NLA_ALIGN(get16(p));
			}
			if (!name || st < 0)
				continue;
			if (init && nprobes < MAXPROBES) {
				snprintf(probe_names[nprobes], SOCKTAP_PROBE_NAME_MAX, "%s", name);
				probe_state0[nprobes] = probe_state[nprobes] = (uint8_t)st;
				nprobes++;
				continue;
			}
			for (i = 0; i < nprobes; i++)
				if (!strcmp(probe_names[i], name))
					probe_state[i] = (uint8_t)st;
		}
	}
}

/* One doit with NLM_F_ACK, waits for its ACK: the error (0 ok). */
static int simple_doit(int fd, uint8_t cmd, const uint8_t *attrs, size_t alen)
{
	static uint32_t seq = 0x70000000;
	uint8_t buf[1024];
	struct mb m = { buf, 0, sizeof(buf) };
	size_t at;
	ssize_t n;

	at = mb_msg(&m, fam_id, NLM_F_REQUEST | NLM_F_ACK, ++seq, cmd, SOCKTAP_GENL_VERSION);
	if (alen)
		mb_put(&m, attrs, alen);
	mb_msg_end(&m, at);
	if (nl_send(fd, buf, m.len) < 0)
		return -errno;
	for (;;) {
		n = nl_recv1(fd, 20000);
		if (n < 0)
			return (int)n;
		FOR_NLMSG(nlh, rxbufs, n) {
			if (nlh->nlmsg_type == NLMSG_ERROR && nlh->nlmsg_seq == seq)
				return ((const struct nlmsgerr *)NLMSG_DATA(nlh))->error;
		}
	}
}

static int set_probe(int fd, unsigned int i, int on)
{
	uint8_t buf[128], en = (uint8_t)on;
	struct mb m = { buf, 0, sizeof(buf) };

	mb_attr(&m, SOCKTAP_A_PROBE_NAME, probe_names[i], strlen(probe_names[i]) + 1);
	mb_attr(&m, SOCKTAP_A_PROBE_ENABLE, &en, 1);
	return simple_doit(fd, SOCKTAP_CMD_PROBE_SET, buf, m.len);
}

/* Puts the probe points and the filter back as they were at the start. */
static void restore_state(void)
{
	int fd = nl_open(RCVBUF), err, diff = 0, unavail_disabled = 0;
	unsigned int i;

	err = simple_doit(fd, SOCKTAP_CMD_FILTER_SET, NULL, 0);
	if (err)
		bad("clearing the filter: %s", strerror(-err));
	if (read_probes(fd, 0)) {
		bad("reading the probe points at the end");
		close(fd);
		return;
	}
	/* Off first what was not on, so a group's primary can come back. */
	for (i = 0; i < nprobes; i++)
		if (probe_state[i] == SOCKTAP_STATE_ATTACHED &&
		    probe_state0[i] != SOCKTAP_STATE_ATTACHED)
			set_probe(fd, i, 0);
	for (i = 0; i < nprobes; i++)
		if (probe_state0[i] == SOCKTAP_STATE_ATTACHED &&
		    probe_state[i] != SOCKTAP_STATE_ATTACHED)
			set_probe(fd, i, 1);
	read_probes(fd, 0);
	for (i = 0; i < nprobes; i++) {
		/* A standby point detached by hand comes back as disabled. */
		int was = probe_state0[i] == SOCKTAP_STATE_STANDBY ? SOCKTAP_STATE_DISABLED :
			  probe_state0[i];
		int is = probe_state[i] == SOCKTAP_STATE_STANDBY ? SOCKTAP_STATE_DISABLED :
			 probe_state[i];

		/*
		 * PROBE_SET disable turns an unavailable point into a disabled
		 * one, which enable cannot undo while its group's other point
		 * is attached (EBUSY): counted apart.
		 */
		if (was == SOCKTAP_STATE_UNAVAILABLE && is == SOCKTAP_STATE_DISABLED) {
			unavail_disabled++;
			continue;
		}
		if (was != is) {
			bad("probe %s: state %u at the start, %u at the end",
			    probe_names[i], probe_state0[i], probe_state[i]);
			diff++;
		}
	}
	printf("stat probes_not_restored %d\n", diff);
	printf("stat probes_unavailable_left_disabled %d\n", unavail_disabled);
	close(fd);
}

/* ---- counters */

struct stats {
	uint64_t sent, sentinels, datagrams, answered, unanswered;
	uint64_t replies, replies_bad, acks, done, done_err, silent;
	uint64_t err_msg, err_nomsg_core, err_nomsg_socktap, stray, anomalies;
	uint64_t valid_sent, valid_failed, bad_offs, send_err, overruns;
	uint64_t k_random, k_struct, k_valid, k_badhdr;
	uint64_t abandoned, inflight, reopen;
	uint64_t kprobe_names, probe_toggles;
};

static struct stats st;

/*
 * Errors by (class, command, dump, errno); commands past SOCKTAP_CMD_MAX
 * share a row.  Classes: with an extack message; without, from the genl
 * core before socktap's policy (why: genl header cut short, no such
 * command or no handler of that kind, CAP_NET_ADMIN, a dump already
 * running on the socket); without, from socktap's policy or handlers.
 */
enum { C_MSG, C_SHORT, C_NOOP, C_PERM, C_BUSY, C_SOCKTAP, NCLASS };
static const char *const class_name[NCLASS] = {
	"msg", "nomsg core:genl-header-short", "nomsg core:no-such-op",
	"nomsg core:admin-perm", "nomsg core:dump-running", "nomsg socktap",
};
#define CMDROWS (SOCKTAP_CMD_MAX + 2)
static uint32_t errcnt[NCLASS][CMDROWS][2][256];
static uint64_t errfirst[NCLASS][CMDROWS][2][256];

/* ---- request generation */

static const char *const func_names[] = {
	"tcp_sendmsg", "udp_sendmsg", "tcp_v4_connect", "inet_csk_accept",
	"ip_output", "tcp_close", "sock_recvmsg", "tcp_rcv_established",
	"nlfuzz_no_such_function", "kprobe_int3_handler", "st_status_doit", "",
};

static uint64_t kprobe_budget, toggle_budget, total_count, iter_no;

/*
 * Spend a budget evenly over the run: at iteration i at most
 * budget * i / total (plus a small burst) may be used.
 */
static int budget_allows(uint64_t used, uint64_t budget, uint64_t cost)
{
	uint64_t pace;

	if (cost > budget)
		return 0;
	pace = total_count ? budget * iter_no / total_count + budget / 50 + cost : budget;
	return used + cost <= pace;
}

struct attr {
	uint16_t type;		/* with NLA_F_* bits */
	uint32_t len;		/* payload; nla_len may be forced */
	int force_len;		/* nla_len written as is (lies) */
	uint16_t nla_len;
	uint8_t *data;
};

#define MAXATTR 80
struct tmpl {
	uint8_t cmd, version, reserved;
	uint16_t flags, type;
	int dump;
	int nattr;
	struct attr a[MAXATTR];
	int expect_ok;
};

/* Scratch memory for attribute payloads, reset per request. */
static uint8_t arena[1 << 20];
static size_t arena_used;

static uint8_t *alloc_data(size_t n)
{
	uint8_t *p;

	n = NLA_ALIGN(n);
	if (arena_used + n > sizeof(arena))
		return NULL;
	p = arena + arena_used;
	arena_used += n;
	return p;
}

static int add_attr(struct tmpl *t, uint16_t type, const void *data, size_t len)
{
	struct attr *a;

	if (t->nattr >= MAXATTR || len > 65000)
		return -1;
	a = &t->a[t->nattr];
	a->data = alloc_data(len);
	if (!a->data)
		return -1;
	if (data)
		memcpy(a->data, data, len);
	else
		rfill(a->data, len);
	a->type = type;
	a->len = (uint32_t)len;
	a->force_len = 0;
	t->nattr++;
	return 0;
}

static void add_u8(struct tmpl *t, uint16_t type, uint8_t v)
{
	add_attr(t, type, &v, 1);
}

static void add_u32(struct tmpl *t, uint16_t type, uint32_t v)
{
	add_attr(t, type, &v, 4);
}

static void add_str(struct tmpl *t, uint16_t type, const char *s)
{
	add_attr(t, type, s, strlen(s) + 1);
}

/* A nest of FUNC_NAMEs (NLA_F_NESTED, as strict validation wants). */
static void add_funcs(struct tmpl *t, unsigned int n)
{
	uint8_t buf[64 * 48];
	struct mb m = { buf, 0, sizeof(buf) };
	unsigned int i;
	const char *f;

	for (i = 0; i < n; i++) {
		f = func_names[rn(ARRAY_SIZE(func_names) - 1)];
		mb_attr(&m, SOCKTAP_A_FUNC_NAME, f, strlen(f) + 1);
	}
	add_attr(t, SOCKTAP_A_FUNCS | NLA_F_NESTED, buf, m.len);
}

static const char *some_probe(void)
{
	return nprobes && chance(90) ? probe_names[rn(nprobes)] : "nlfuzz_no_probe";
}

/* A valid request for cmd (doit or dump as dump says). */
static void make_valid(struct tmpl *t, uint8_t cmd, int dump)
{
	memset(t, 0, offsetof(struct tmpl, a));
	t->cmd = cmd;
	t->version = SOCKTAP_GENL_VERSION;
	t->type = fam_id;
	t->dump = dump;
	t->flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : 0) | (chance(70) ? NLM_F_ACK : 0);
	t->expect_ok = 1;
	if (dump)
		return;
	switch (cmd) {
	case SOCKTAP_CMD_PROBE_GET: {
		const char *p = some_probe();

		add_str(t, SOCKTAP_A_PROBE_NAME, p);
		t->expect_ok = strcmp(p, "nlfuzz_no_probe") != 0;
		break;
	}
	case SOCKTAP_CMD_PROBE_SET:
		add_str(t, SOCKTAP_A_PROBE_NAME, some_probe());
		add_u8(t, SOCKTAP_A_PROBE_ENABLE, (uint8_t)rn(2));
		t->expect_ok = 0;	/* a group's other point, unavailable */
		break;
	case SOCKTAP_CMD_HIST_GET:
		add_u32(t, SOCKTAP_A_HIST_ID, rn(__SOCKTAP_HIST_MAX));
		break;
	case SOCKTAP_CMD_FILTER_SET:
		if (chance(50))
			add_u32(t, SOCKTAP_A_FILTER_PID, chance(50) ? (uint32_t)getpid() : rn(100000));
		if (chance(50))
			add_u32(t, SOCKTAP_A_FILTER_PORT, rn(65536));
		if (chance(30))
			add_u32(t, SOCKTAP_A_FILTER_NETNS, (uint32_t)rnd());
		if (chance(80))
			add_attr(t, SOCKTAP_A_FILTER_OWNED, NULL, 0);
		break;
	case SOCKTAP_CMD_FUNC_CHECK:
	case SOCKTAP_CMD_COUNT_ADD:
		add_funcs(t, 1 + rn(3));
		break;
	case SOCKTAP_CMD_STACK_START:
		add_str(t, SOCKTAP_A_STACK_FUNC, func_names[rn(ARRAY_SIZE(func_names))]);
		if (chance(70))
			add_u32(t, SOCKTAP_A_STACK_MODE, 1 + rn(3));
		t->expect_ok = 0;	/* one session at a time: EBUSY */
		break;
	default:
		break;
	}
}

static uint16_t random_type(void)
{
	switch (rn(4)) {
	case 0:
		return (uint16_t)(SOCKTAP_A_MAX + 1 + rn(64));	/* unknown */
	case 1:
		return (uint16_t)(rnd() & 0xffff);		/* anything, flags too */
	default:
		return (uint16_t)(1 + rn(SOCKTAP_A_MAX));	/* known, often not in the policy */
	}
}

/* An attribute nested depth levels deep around a random leaf. */
static void add_deep_nest(struct tmpl *t, unsigned int depth)
{
	uint8_t *buf, *p;
	size_t len, leaf = rn(16);
	unsigned int i;
	uint16_t l, ty;

	len = depth * NLA_HDRLEN + NLA_ALIGN(leaf) + NLA_HDRLEN;
	if (len > 65000)
		return;
	buf = alloc_data(len);
	if (!buf)
		return;
	p = buf;
	for (i = 0; i < depth; i++) {
		l = (uint16_t)(len - (size_t)(p - buf));
		ty = (uint16_t)((chance(50) ? SOCKTAP_A_FUNCS : random_type()) |
				(chance(80) ? NLA_F_NESTED : 0));
		memcpy(p, &l, 2);
		memcpy(p + 2, &ty, 2);
		p += NLA_HDRLEN;
	}
	l = (uint16_t)(NLA_HDRLEN + leaf);
	ty = chance(50) ? SOCKTAP_A_FUNC_NAME : random_type();
	memcpy(p, &l, 2);
	memcpy(p + 2, &ty, 2);
	rfill(p + NLA_HDRLEN, NLA_ALIGN(leaf));
	if (t->nattr < MAXATTR) {
		/* The outermost header is the attribute's own. */
		struct attr *a = &t->a[t->nattr++];

		a->type = get16(buf + 2);
		a->data = buf + NLA_HDRLEN;
		a->len = (uint32_t)(len - NLA_HDRLEN);
		a->force_len = 0;
	}
}

/* A FUNCS list that is wrong in one way. */
static void add_bad_funcs(struct tmpl *t)
{
	static uint8_t buf[66000];
	struct mb m = { buf, 0, sizeof(buf) };
	unsigned int i, n;
	char name[600];
	size_t l;

	switch (rn(8)) {
	case 0:		/* too many */
		n = SOCKTAP_FUNCS_BATCH_MAX + 1 + rn(40);
		for (i = 0; i < n; i++)
			mb_attr(&m, SOCKTAP_A_FUNC_NAME, "nlfuzz_x", 9);
		break;
	case 1:		/* empty */
		break;
	case 2:		/* a name of another type */
		mb_attr(&m, SOCKTAP_A_FUNC_NAME, "tcp_close", 10);
		mb_attr(&m, random_type(), NULL, rn(12));
		break;
	case 3:		/* names of odd lengths: 0, 1, 511, 512, no NUL */
		l = rn(4) ? rn(3) : SOCKTAP_FUNC_NAME_MAX - 2 + rn(4);
		memset(name, 'a', sizeof(name));
		if (l)
			name[l - 1] = chance(70) ? 0 : 'z';
		mb_attr(&m, SOCKTAP_A_FUNC_NAME, name, l);
		break;
	case 4:		/* embedded NUL */
		mb_attr(&m, SOCKTAP_A_FUNC_NAME, "tcp\0close", 10);
		break;
	case 5:		/* trailing garbage: rem != 0 */
		mb_attr(&m, SOCKTAP_A_FUNC_NAME, "nlfuzz_y", 9);
		mb_put(&m, "\x03\x00", 2);
		m.len -= 2;
		m.len += 1 + rn(3);
		break;
	case 6:		/* a nest in the list */
		i = (unsigned int)mb_nest_start(&m, SOCKTAP_A_FUNC_NAME | NLA_F_NESTED);
		mb_attr(&m, SOCKTAP_A_FUNC_NAME, "tcp_close", 10);
		mb_nest_end(&m, i);
		break;
	default:	/* random bytes */
		rfill(buf, n = rn(200));
		m.len = n;
		break;
	}
	add_attr(t, (uint16_t)(SOCKTAP_A_FUNCS | (chance(85) ? NLA_F_NESTED : 0) |
			       (chance(5) ? NLA_F_NET_BYTEORDER : 0)), buf, m.len);
}

static void mutate(struct tmpl *t)
{
	unsigned int n = 1 + rn(3), i, k;
	struct attr *a;

	while (n--) {
		k = t->nattr ? rn((uint32_t)t->nattr) : 0;
		a = t->nattr ? &t->a[k] : NULL;
		switch (rn(20)) {
		case 0:		/* drop one: a required one missing */
			if (a) {
				memmove(a, a + 1, (size_t)(t->nattr - k - 1) * sizeof(*a));
				t->nattr--;
			}
			break;
		case 1:		/* duplicate one */
			if (a && t->nattr < MAXATTR)
				t->a[t->nattr++] = *a;
			break;
		case 2:		/* unknown or unexpected attribute */
			add_attr(t, random_type(), NULL, rn(chance(90) ? 24 : 2000));
			break;
		case 3:		/* another type */
			if (a)
				a->type = random_type();
			break;
		case 4:		/* shorter */
			if (a && a->len)
				a->len = rn(a->len);
			break;
		case 5:		/* longer */
			if (a) {
				uint8_t *d = alloc_data(a->len + 64);

				if (d) {
					memcpy(d, a->data, a->len);
					a->len += 1 + rn(63);
					rfill(d + a->len - 1, 1);
					a->data = d;
				}
			}
			break;
		case 6:		/* payload of another size: u8, u16, u32, u64, odd */
			if (a) {
				static const uint8_t sizes[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 16 };

				a->len = sizes[rn(sizeof(sizes))];
				a->data = alloc_data(a->len);
				if (a->data)
					rfill(a->data, a->len);
				else
					a->len = 0;
			}
			break;
		case 7:		/* a string without its NUL, or too long */
			if (a) {
				size_t l = chance(50) ? 1 + rn(16) : 60 + rn(600);

				a->data = alloc_data(l);
				if (a->data) {
					memset(a->data, 'n', l);
					a->len = (uint32_t)l;
					if (chance(40))
						a->data[l - 1] = 0;
				} else {
					a->len = 0;
				}
			}
			break;
		case 8:		/* deep nest */
			add_deep_nest(t, chance(80) ? 2 + rn(10) : 100 + rn(3000));
			break;
		case 9:		/* oversize attribute */
			add_attr(t, chance(50) && a ? a->type : random_type(), NULL,
				 1000 + rn(60000));
			break;
		case 10:	/* a bad function list */
			add_bad_funcs(t);
			break;
		case 11:	/* NLA_F_* bits */
			if (a)
				a->type ^= chance(50) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER;
			break;
		case 12:	/* nla_len lies: past the end, or too small */
			if (a) {
				a->force_len = 1;
				a->nla_len = chance(50) ? (uint16_t)(a->len + NLA_HDRLEN + 1 + rn(4000)) :
					     (uint16_t)rn(NLA_HDRLEN);
			}
			break;
		case 13:	/* unknown command */
			t->cmd = (uint8_t)(chance(50) ? (chance(50) ? 0 : SOCKTAP_CMD_EVENT) :
					   SOCKTAP_CMD_MAX + 1 + rn(255 - SOCKTAP_CMD_MAX));
			break;
		case 14:	/* another command with these attributes */
			t->cmd = (uint8_t)(1 + rn(SOCKTAP_CMD_MAX));
			break;
		case 15:	/* dump <-> doit */
			t->flags ^= NLM_F_DUMP;
			break;
		case 16:	/* ACK <-> no ACK */
			t->flags ^= NLM_F_ACK;
			break;
		case 17:	/* random flags */
			t->flags = (uint16_t)rnd();
			if (chance(90))
				t->flags |= NLM_F_REQUEST;
			break;
		case 18:	/* genl header: version, reserved */
			if (chance(50))
				t->version = (uint8_t)rnd();
			else
				t->reserved = (uint8_t)(1 + rn(255));
			break;
		default:	/* shuffle */
			for (i = 0; t->nattr > 1 && i < 3; i++) {
				struct attr x = t->a[0];
				unsigned int j = rn((uint32_t)t->nattr);

				t->a[0] = t->a[j];
				t->a[j] = x;
			}
			break;
		}
	}
	t->expect_ok = 0;
}

static int is_expensive(uint8_t cmd)
{
	return cmd == SOCKTAP_CMD_FUNC_CHECK || cmd == SOCKTAP_CMD_COUNT_ADD ||
	       cmd == SOCKTAP_CMD_STACK_START;
}

/*
 * Function names that may reach the kprobe layer, and PROBE_SET requests
 * naming a real point, are bounded: what exceeds the budget is dropped
 * (FUNCS, STACK_FUNC) or renamed (PROBE_NAME) before sending.
 */
/* A function list st_parse_funcs() refuses before any kprobe is asked. */
static void cheap_bad_funcs(struct attr *a)
{
	static uint8_t buf[2048];
	struct mb m = { buf, 0, sizeof(buf) };
	unsigned int i;

	switch (rn(5)) {
	case 0:		/* too many: refused at the 65th */
		for (i = 0; i <= SOCKTAP_FUNCS_BATCH_MAX; i++)
			mb_attr(&m, SOCKTAP_A_FUNC_NAME, "x", 2);
		break;
	case 1:		/* empty */
		break;
	case 2:		/* another type in the list */
		mb_attr(&m, SOCKTAP_A_FUNC_NAME, "tcp_close", 10);
		mb_attr(&m, SOCKTAP_A_PROBE_NAME, "y", 2);
		break;
	case 3:		/* embedded NUL */
		mb_attr(&m, SOCKTAP_A_FUNC_NAME, "tcp\0close", 10);
		break;
	default:	/* trailing bytes */
		mb_attr(&m, SOCKTAP_A_FUNC_NAME, "tcp_close", 10);
		m.len += 1 + rn(3);
		break;
	}
	a->data = alloc_data(m.len);
	if (a->data)
		memcpy(a->data, buf, m.len);
	a->len = a->data ? (uint32_t)m.len : 0;
	a->force_len = 0;
}

/*
 * Function names that may reach the kprobe layer, and PROBE_SET requests
 * naming a real point, are bounded and paced: what the budget does not
 * allow is made to fail before it (a function list st_parse_funcs()
 * refuses, a stacks mode out of range, an unknown probe point).
 */
static void apply_budget(struct tmpl *t)
{
	int i, cost = 0;
	uint16_t ty;

	for (i = 0; i < t->nattr; i++) {
		ty = t->a[i].type & NLA_TYPE_MASK;
		if (ty == SOCKTAP_A_FUNCS)
			cost += (int)(t->a[i].len / 12) + 1;
		else if (ty == SOCKTAP_A_STACK_FUNC)
			cost++;
	}
	if (cost && is_expensive(t->cmd)) {
		if (budget_allows(st.kprobe_names, kprobe_budget, (uint64_t)cost)) {
			st.kprobe_names += (uint64_t)cost;
		} else {
			for (i = 0; i < t->nattr; i++) {
				ty = t->a[i].type & NLA_TYPE_MASK;
				if (ty == SOCKTAP_A_FUNCS) {
					t->a[i].type = SOCKTAP_A_FUNCS | NLA_F_NESTED;
					cheap_bad_funcs(&t->a[i]);
				} else if (ty == SOCKTAP_A_STACK_FUNC || ty == SOCKTAP_A_STACK_MODE) {
					/* mode 0: refused before the function is looked up */
					uint32_t zero = 0;

					t->a[i].type = SOCKTAP_A_STACK_MODE;
					t->a[i].data = alloc_data(4);
					if (t->a[i].data)
						memcpy(t->a[i].data, &zero, 4);
					t->a[i].len = t->a[i].data ? 4 : 0;
					t->a[i].force_len = 0;
				}
			}
			if (t->cmd == SOCKTAP_CMD_STACK_START && !rn(4))
				t->nattr = 0;	/* no function at all */
			t->expect_ok = 0;
		}
	}
	if (t->cmd != SOCKTAP_CMD_PROBE_SET)
		return;
	for (i = 0; i < t->nattr; i++) {
		if ((t->a[i].type & NLA_TYPE_MASK) != SOCKTAP_A_PROBE_NAME)
			continue;
		if (budget_allows(st.probe_toggles, toggle_budget, 1)) {
			st.probe_toggles++;
		} else {
			t->a[i].data = (uint8_t *)"nlfuzz_no_probe";
			t->a[i].len = 16;
		}
	}
}

/* What one sent message expects. */
struct ent {
	uint32_t seq;
	uint8_t cmd, sentinel, dumpish, ack, done, got_err, got_reply, valid, expect_ok;
	uint8_t short_genl;
	int owner;		/* sentinel: index of its request */
	uint64_t iter;
	size_t off, len;	/* in the send buffer */
};

static struct ent ents[2 * MAXBATCH + 2];
static unsigned int nents;
static uint32_t seq_next = 1000;
static uint8_t *txbuf;
static size_t txlen;

static void add_sentinel(struct mb *m, int owner)
{
	struct nlmsghdr h = { .nlmsg_len = NLMSG_HDRLEN, .nlmsg_type = NLMSG_NOOP,
			      .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK, .nlmsg_seq = seq_next };
	struct ent *e = &ents[nents++];

	memset(e, 0, sizeof(*e));
	e->seq = seq_next++;
	e->sentinel = 1;
	e->owner = owner;
	e->off = m->len;
	e->len = NLMSG_HDRLEN;
	mb_put(m, &h, sizeof(h));
	st.sentinels++;
}

/* Serialises t into m, recording what it expects. */
static void emit(struct mb *m, struct tmpl *t, int kind)
{
	struct ent *e = &ents[nents];
	size_t at = m->len, genl_len;
	int i, truncate = 0, lie_end = 0, flips = 0;
	uint16_t ty;

	memset(e, 0, sizeof(*e));
	e->seq = seq_next++;
	e->cmd = t->cmd;
	e->iter = iter_no;
	e->valid = kind == 2;
	e->expect_ok = e->valid && t->expect_ok;
	mb_msg(m, t->type, t->flags, e->seq, t->cmd, t->version);
	m->p[at + NLMSG_HDRLEN + 2] = t->reserved;
	m->p[at + NLMSG_HDRLEN + 3] = 0;
	for (i = 0; i < t->nattr; i++) {
		struct attr *a = &t->a[i];
		struct nlattr h = { .nla_len = (uint16_t)(NLA_HDRLEN + a->len), .nla_type = a->type };

		if (a->force_len)
			h.nla_len = a->nla_len;
		/* What does not fit the datagram is left out. */
		if (m->len + NLA_HDRLEN + NLA_ALIGN(a->len) + 64 > m->cap)
			break;
		mb_put(m, &h, NLA_HDRLEN);
		if (a->len)
			mb_put(m, a->data, a->len);
	}
	if (kind == 1) {
		/* Byte-level damage after serialising, not for budgeted commands. */
		if (!is_expensive(t->cmd) && chance(15)) {
			flips = 1 + (int)rn(4);
			for (i = 0; i < flips && m->len > at + GENL_HDRLEN + NLMSG_HDRLEN; i++)
				m->p[at + NLMSG_HDRLEN + GENL_HDRLEN +
				     rn((uint32_t)(m->len - at - NLMSG_HDRLEN - GENL_HDRLEN))] ^=
					(uint8_t)(1u << rn(8));
		}
		if (chance(8))
			truncate = 1;
		else if (chance(5))
			lie_end = 1;
	}
	if (truncate && m->len > at + NLMSG_HDRLEN + GENL_HDRLEN) {
		/* Cut inside an attribute header or payload. */
		m->len -= 1 + rn((uint32_t)(m->len - at - NLMSG_HDRLEN - GENL_HDRLEN));
		if (chance(30) && m->len - at > NLMSG_HDRLEN + GENL_HDRLEN + 4)
			m->len -= 1 + rn(3);
	}
	if (kind == 1 && chance(3)) {
		/* The genl header itself cut short. */
		m->len = at + NLMSG_HDRLEN + rn(GENL_HDRLEN);
	}
	mb_msg_end(m, at);
	if (lie_end && m->len - at >= NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN) {
		/* The last attribute's nla_len past the message end. */
		uint8_t *p = m->p + at + NLMSG_HDRLEN + GENL_HDRLEN, *end = m->p + m->len, *last = p;

		while (p + NLA_HDRLEN <= end && get16(p) >= NLA_HDRLEN &&
		       p + NLA_ALIGN(get16(p)) + NLA_HDRLEN <= end)
			last = p = p + NLA_ALIGN(get16(p));
		uint16_t l = (uint16_t)(end - last + 1 + rn(100));

		memcpy(last, &l, 2);
	}
	genl_len = m->len - at - NLMSG_HDRLEN;
	/* Padding to the next message. */
	while (m->len & 3)
		m->p[m->len++] = 0;
	e->off = at;
	e->len = m->len - at;
	e->short_genl = genl_len < GENL_HDRLEN;
	ty = t->type;
	e->ack = (t->flags & NLM_F_ACK) != 0;
	e->dumpish = ty >= NLMSG_MIN_TYPE && (t->flags & NLM_F_REQUEST) &&
		     (t->flags & NLM_F_DUMP) == NLM_F_DUMP;
	/* A dump after another in one datagram: EBUSY, one at a time. */
	for (i = 0; e->dumpish && i < (int)nents; i++)
		if (ents[i].dumpish)
			e->expect_ok = 0;
	nents++;
	st.sent++;
	if (e->valid)
		st.valid_sent++;
	if (!e->dumpish && !e->ack)
		add_sentinel(m, (int)nents - 1);
}

static void gen_random(struct tmpl *t)
{
	memset(t, 0, offsetof(struct tmpl, a));
	t->type = fam_id;
	t->cmd = (uint8_t)(chance(50) ? rn(SOCKTAP_CMD_MAX + 2) : rnd());
	t->version = (uint8_t)(chance(50) ? SOCKTAP_GENL_VERSION : rnd());
	t->reserved = chance(80) ? 0 : (uint8_t)rnd();
	t->flags = chance(50) ? (uint16_t)(NLM_F_REQUEST | (rnd() & (NLM_F_ACK | NLM_F_DUMP))) :
		   (uint16_t)rnd();
	if (chance(2))
		t->type = (uint16_t)rn(NLMSG_MIN_TYPE);	/* NOOP, ERROR, DONE, OVERRUN... */
	/* One raw "attribute" holding random bytes, header included. */
	if (t->nattr < MAXATTR) {
		size_t len = chance(90) ? rn(200) : rn(chance(90) ? 4000 : 65000);
		struct attr *a = &t->a[t->nattr];

		a->data = alloc_data(len + NLA_HDRLEN);
		if (!a->data)
			return;
		rfill(a->data, len + NLA_HDRLEN);
		/* Written as is: the "header" is the first 4 random bytes. */
		a->len = (uint32_t)len;
		a->force_len = 1;
		a->nla_len = get16(a->data);
		a->type = get16(a->data + 2);
		a->data += NLA_HDRLEN;
		t->nattr = 1;
		if (!len && chance(50))
			t->nattr = 0;
	}
}

static uint8_t pick_cmd(int *dump)
{
	uint8_t c;

	do
		c = (uint8_t)(1 + rn(SOCKTAP_CMD_MAX));
	while (!op_known(c));
	if (ops[c].doit && ops[c].dumpit)
		*dump = (int)rn(2);
	else
		*dump = ops[c].dumpit;
	return c;
}

/* Appends one request (and maybe its sentinel) to m. */
static void gen_request(struct mb *m)
{
	static struct tmpl t;
	int dump, r = (int)rn(100), kind;
	uint8_t cmd;

	arena_used = 0;
	if (r < 30) {
		gen_random(&t);
		kind = 0;
		st.k_random++;
	} else {
		cmd = pick_cmd(&dump);
		make_valid(&t, cmd, dump);
		if (r < 90) {
			mutate(&t);
			kind = 1;
			st.k_struct++;
		} else {
			kind = 2;
			st.k_valid++;
		}
		apply_budget(&t);
	}
	if (kind == 0 && is_expensive(t.cmd) && !budget_allows(st.kprobe_names, kprobe_budget, 1))
		t.nattr = 0;
	emit(m, &t, kind);
}

/* ---- answers */

/* Errors the generic netlink core gives before socktap's code or policy. */
static int core_class(const struct ent *e, int err)
{
	const struct opdesc *o = &ops[e->cmd];

	if (e->short_genl)
		return C_SHORT;
	if (!op_known(e->cmd) || (e->dumpish ? !o->dumpit : !o->doit))
		return C_NOOP;
	if (err == -EPERM && o->admin)
		return C_PERM;
	if (err == -EBUSY && e->dumpish)
		return C_BUSY;
	return C_SOCKTAP;
}

static void count_error(struct ent *e, int err, int has_msg)
{
	int cls = has_msg ? C_MSG : core_class(e, err), ne = -err;
	unsigned int row = e->cmd <= SOCKTAP_CMD_MAX ? e->cmd : SOCKTAP_CMD_MAX + 1;

	if (ne < 0 || ne > 255)
		ne = 255;
	if (!errcnt[cls][row][e->dumpish][ne]++)
		errfirst[cls][row][e->dumpish][ne] = e->iter;
	if (cls == C_MSG)
		st.err_msg++;
	else if (cls == C_SOCKTAP)
		st.err_nomsg_socktap++;
	else
		st.err_nomsg_core++;
}

static void dump_req(const struct ent *e)
{
	size_t i, n = e->len < 48 ? e->len : 48;

	printf("  request (iteration %llu, %zu bytes):", (unsigned long long)e->iter, e->len);
	for (i = 0; i < n; i++)
		printf(" %02x", txbuf[e->off + i]);
	printf("\n");
}

/* Distinct extack messages and how often each came. */
#define MAXMSGS 128
static char *msg_text[MAXMSGS];
static uint64_t msg_count[MAXMSGS];
static unsigned int nmsgs;

static void count_msg(const char *msg)
{
	unsigned int i;

	for (i = 0; i < nmsgs; i++)
		if (!strcmp(msg_text[i], msg)) {
			msg_count[i]++;
			return;
		}
	if (nmsgs < MAXMSGS) {
		msg_text[nmsgs] = strdup(msg);
		msg_count[nmsgs++] = 1;
	}
}

static void on_error_msg(struct ent *e, const struct nlmsghdr *nlh, int err)
{
	uint32_t offs = 0;
	int has_offs;
	const char *msg = extack_msg(nlh, &offs, &has_offs);

	if (!err)
		return;
	if (has_offs && offs >= e->len) {
		st.bad_offs++;
		bad("extack offset %u past the request (%zu bytes), %s errno %d",
		    offs, e->len, cmdname(e->cmd), -err);
	}
	count_error(e, err, msg != NULL);
	if (msg)
		count_msg(msg);
	if (e->expect_ok) {
		st.valid_failed++;
		bad("valid %s%s failed: %s (%s)", cmdname(e->cmd), e->dumpish ? " dump" : "",
		    strerror(-err), msg ? msg : "no message");
		dump_req(e);
	}
}

static struct ent *find_ent(uint32_t seq)
{
	unsigned int i;

	for (i = 0; i < nents; i++)
		if (ents[i].seq == seq)
			return &ents[i];
	return NULL;
}

static void finish(struct ent *e)
{
	if (!e->done) {
		e->done = 1;
		st.answered++;
	}
}

static void handle(const struct nlmsghdr *nlh)
{
	struct ent *e = find_ent(nlh->nlmsg_seq), *o;
	char why[128];
	int err, found;

	if (!e) {
		st.stray++;
		bad("message type %u seq %u answers no request of this batch",
		    nlh->nlmsg_type, nlh->nlmsg_seq);
		return;
	}
	if (e->done) {
		st.anomalies++;
		bad("message type %u after %s seq %u was answered", nlh->nlmsg_type,
		    e->sentinel ? "sentinel" : cmdname(e->cmd), e->seq);
		return;
	}
	if (e->sentinel) {
		o = &ents[e->owner];
		if (nlh->nlmsg_type != NLMSG_ERROR ||
		    ((const struct nlmsgerr *)NLMSG_DATA(nlh))->error) {
			st.anomalies++;
			bad("sentinel got type %u", nlh->nlmsg_type);
		}
		e->done = 1;	/* sentinels are not requests */
		if (!o->got_err && !o->got_reply && !o->done)
			st.silent++;
		finish(o);
		return;
	}
	switch (nlh->nlmsg_type) {
	case NLMSG_ERROR:
		if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(struct nlmsgerr)) {
			st.anomalies++;
			bad("short NLMSG_ERROR");
			finish(e);
			return;
		}
		err = ((const struct nlmsgerr *)NLMSG_DATA(nlh))->error;
		if (err > 0 || err < -4095) {
			st.anomalies++;
			bad("%s: error %d", cmdname(e->cmd), err);
		}
		if (!err) {
			st.acks++;
			if (!e->ack || e->dumpish) {
				st.anomalies++;
				bad("ACK for %s seq %u that asked none (dump %d)", cmdname(e->cmd),
				    e->seq, e->dumpish);
			}
			finish(e);
			return;
		}
		on_error_msg(e, nlh, err);
		if (e->got_err) {
			st.anomalies++;
			bad("two errors for %s seq %u", cmdname(e->cmd), e->seq);
		}
		e->got_err = 1;
		/* Without ACK the sentinel ends it (so a late reply shows). */
		if (e->ack || e->dumpish)
			finish(e);
		return;
	case NLMSG_DONE:
		if (!e->dumpish) {
			st.anomalies++;
			bad("DONE for %s seq %u, not a dump", cmdname(e->cmd), e->seq);
		}
		st.done++;
		err = nlh->nlmsg_len >= NLMSG_HDRLEN + 4 ? *(const int *)NLMSG_DATA(nlh) : 0;
		if (err) {
			st.done_err++;
			on_error_msg(e, nlh, err);
		}
		finish(e);
		return;
	default:
		break;
	}
	if (nlh->nlmsg_type != fam_id) {
		st.anomalies++;
		bad("message type %u for %s", nlh->nlmsg_type, cmdname(e->cmd));
		return;
	}
	st.replies++;
	e->got_reply = 1;
	const struct genlmsghdr *g = NLMSG_DATA(nlh);

	why[0] = 0;
	found = 0;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		snprintf(why, sizeof(why), "short");
	else if (g->cmd != e->cmd)
		snprintf(why, sizeof(why), "reply cmd %u", g->cmd);
	else if (g->version != SOCKTAP_GENL_VERSION)
		snprintf(why, sizeof(why), "version %u", g->version);
	else if (e->dumpish && !(nlh->nlmsg_flags & NLM_F_MULTI))
		snprintf(why, sizeof(why), "dump part without NLM_F_MULTI");
	else if (check_attrs((const uint8_t *)g + GENL_HDRLEN,
			     nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, 0,
			     e->cmd <= SOCKTAP_CMD_MAX ? must_have[e->cmd] : 0, &found,
			     why, sizeof(why)))
		;
	else if (e->cmd <= SOCKTAP_CMD_MAX && must_have[e->cmd] && !found)
		snprintf(why, sizeof(why), "attribute %u missing", must_have[e->cmd]);
	if (why[0]) {
		st.replies_bad++;
		bad("reply to %s seq %u: %s", cmdname(e->cmd), e->seq, why);
	}
}

static int all_done(void)
{
	unsigned int i;

	for (i = 0; i < nents; i++)
		if (!ents[i].done)
			return 0;
	return 1;
}

static struct mmsghdr rxm[RXVEC];
static struct iovec rxiov[RXVEC];

/* Reads until every message of the batch is answered; 0 ok. */
static int drain(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int n, i, r;
	ssize_t len;

	while (!all_done()) {
		r = poll(&pfd, 1, 15000);
		if (r <= 0)
			return -ETIMEDOUT;
		for (i = 0; i < RXVEC; i++) {
			rxiov[i].iov_base = rxbufs + (size_t)i * RXBUF;
			rxiov[i].iov_len = RXBUF;
			memset(&rxm[i].msg_hdr, 0, sizeof(rxm[i].msg_hdr));
			rxm[i].msg_hdr.msg_iov = &rxiov[i];
			rxm[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(fd, rxm, RXVEC, MSG_DONTWAIT, NULL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				st.overruns++;
				bad("receive overrun (ENOBUFS): replies lost");
				return -ENOBUFS;
			}
			return -errno;
		}
		for (i = 0; i < n; i++) {
			if (rxm[i].msg_hdr.msg_flags & MSG_TRUNC) {
				st.anomalies++;
				bad("truncated datagram");
			}
			len = rxm[i].msg_len;
			FOR_NLMSG(nlh, rxiov[i].iov_base, len)
				handle(nlh);
		}
	}
	return 0;
}

/* ---- dumps abandoned midway, sockets closed with requests in flight */

static const uint8_t dump_cmds[] = {
	SOCKTAP_CMD_PROBE_GET, SOCKTAP_CMD_HIST_GET, SOCKTAP_CMD_PROC_GET,
	SOCKTAP_CMD_LISTEN_GET, SOCKTAP_CMD_COUNT_GET, SOCKTAP_CMD_STACK_GET,
	SOCKTAP_CMD_SIZE_GET,
};

static void abandon_dump(void)
{
	uint8_t buf[512], small[64];
	struct mb m = { buf, 0, sizeof(buf) };
	int fd = nl_open(chance(50) ? 1 : (int)rn(16384)), dummy;
	size_t at;

	at = mb_msg(&m, fam_id, NLM_F_REQUEST | NLM_F_DUMP | (chance(50) ? NLM_F_ACK : 0),
		    1, dump_cmds[rn(sizeof(dump_cmds))], SOCKTAP_GENL_VERSION);
	mb_msg_end(&m, at);
	nl_send(fd, buf, m.len);
	if (chance(50))
		dummy = (int)recv(fd, small, 1 + rn(sizeof(small)), MSG_DONTWAIT | MSG_TRUNC);
	if (chance(50))
		dummy = (int)recv(fd, rxbufs, RXBUF, MSG_DONTWAIT);
	(void)dummy;
	if (chance(60)) {
		/* Another request while the dump is open: a doit or a dump. */
		m.len = 0;
		at = mb_msg(&m, fam_id, NLM_F_REQUEST | NLM_F_ACK |
			    (chance(50) ? NLM_F_DUMP : 0), 2,
			    chance(50) ? SOCKTAP_CMD_STATUS : dump_cmds[rn(sizeof(dump_cmds))],
			    SOCKTAP_GENL_VERSION);
		mb_msg_end(&m, at);
		nl_send(fd, buf, m.len);
	}
	if (chance(30))
		shutdown(fd, SHUT_RDWR);
	close(fd);
	st.abandoned++;
}

/* A socket that sends a batch and closes without reading. */
static void close_in_flight(int budget_ok)
{
	static uint8_t buf[MAXBATCH * MAXMSG];
	struct mb m = { buf, 0, sizeof(buf) };
	unsigned int i, n = 1 + rn(MAXBATCH);
	int fd = nl_open(chance(50) ? (int)rn(8192) : RCVBUF);
	uint64_t kb = kprobe_budget, tb = toggle_budget;
	struct stats save = st;
	unsigned int save_nents = nents;
	struct ent save_ents[ARRAY_SIZE(ents)];

	memcpy(save_ents, ents, sizeof(ents));
	if (!budget_ok)
		kprobe_budget = toggle_budget = 0;
	nents = 0;
	for (i = 0; i < n; i++)
		gen_request(&m);
	nl_send(fd, buf, m.len);
	if (chance(30))
		recv(fd, rxbufs, RXBUF, MSG_DONTWAIT);
	close(fd);
	/* Not counted as fuzz requests: nobody reads their answers. */
	if (!budget_ok) {
		kprobe_budget = kb;
		toggle_budget = tb;
	}
	{
		uint64_t kn = st.kprobe_names, pt = st.probe_toggles;

		st = save;
		st.kprobe_names = kn;
		st.probe_toggles = pt;
	}
	nents = save_nents;
	memcpy(ents, save_ents, sizeof(ents));
	st.inflight++;
}

/* The concurrent child: episodes of both, until killed. */
struct shared {
	volatile uint64_t rounds;
};

static void child_loop(struct shared *sh, uint64_t seed)
{
	rng_state = seed;
	for (;;) {
		if (chance(50))
			abandon_dump();
		else
			close_in_flight(chance(5));
		sh->rounds++;
		usleep(2000 + rn(8000));
	}
}

/* ---- the fuzz run */

static void print_errors(void)
{
	unsigned int c, cmd, d, e;
	const char *en;

	for (c = 0; c < NCLASS; c++)
		for (cmd = 0; cmd < CMDROWS; cmd++)
			for (d = 0; d < 2; d++)
				for (e = 0; e < 256; e++) {
					if (!errcnt[c][cmd][d][e])
						continue;
					en = e < 255 ? strerrorname_np((int)e) : NULL;
					printf("%s%s cmd=%s%s errno=%s(%u) count=%u first_iteration=%llu\n",
					       c ? "" : "errors ", class_name[c],
					       cmd > SOCKTAP_CMD_MAX ? "unknown(>16)" : cmdname(cmd),
					       d ? " dump" : "", en ? en : "?", e,
					       errcnt[c][cmd][d][e],
					       (unsigned long long)errfirst[c][cmd][d][e]);
				}
}

#define S(x) printf("stat %s %llu\n", #x, (unsigned long long)st.x)

static int run_fuzz(uint64_t count, int child)
{
	struct mb m;
	int fd, r, pid = -1;
	uint64_t reopen_at = 300 + rn(3000), next_report = count / 10;
	struct shared *sh = NULL;
	double t0 = now();

	if (check_optable())
		return 1;
	fd = nl_open(RCVBUF);
	if (read_probes(fd, 1) || !nprobes) {
		fprintf(stderr, "nlfuzz: cannot list the probe points\n");
		return 2;
	}
	printf("stat probes %u\n", nprobes);
	txbuf = malloc(MAXBATCH * MAXMSG + 4096);
	if (!txbuf)
		return 2;
	if (child) {
		sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (sh == MAP_FAILED)
			return 2;
		uint64_t cseed = rnd();

		pid = fork();
		if (pid == 0) {
			kprobe_budget /= 10;
			toggle_budget /= 10;
			total_count = 0;	/* no pacing */
			child_loop(sh, cseed);
		}
	}
	while (iter_no < count) {
		unsigned int b = 1 + rn(MAXBATCH);

		if (b > count - iter_no)
			b = (unsigned int)(count - iter_no);
		m.p = txbuf;
		m.len = 0;
		m.cap = MAXBATCH * MAXMSG;
		nents = 0;
		for (unsigned int k = 0; k < b; k++) {
			gen_request(&m);
			iter_no++;
		}
		txlen = m.len;
		st.datagrams++;
		if (nl_send(fd, txbuf, txlen) < 0) {
			st.send_err++;
			bad("send of %zu bytes: %s", txlen, strerror(errno));
			for (unsigned int k = 0; k < nents; k++)
				ents[k].done = 1;
		}
		r = drain(fd);
		if (r) {
			for (unsigned int k = 0; k < nents; k++) {
				if (ents[k].done || ents[k].sentinel)
					continue;
				st.unanswered++;
				bad("unanswered (%s): %s seq %u flags ack %d dump %d", strerror(-r),
				    cmdname(ents[k].cmd), ents[k].seq, ents[k].ack, ents[k].dumpish);
				dump_req(&ents[k]);
			}
			close(fd);
			fd = nl_open(RCVBUF);
			st.reopen++;
		}
		if (chance(1) && chance(20))
			abandon_dump();
		if (chance(1) && chance(20))
			close_in_flight(1);
		if (iter_no >= reopen_at) {
			/* Its sessions (count, stacks, owned filter) end here. */
			close(fd);
			fd = nl_open(RCVBUF);
			st.reopen++;
			reopen_at = iter_no + 300 + rn(3000);
		}
		if (iter_no >= next_report && next_report) {
			fprintf(stderr, "nlfuzz: %llu requests, %.1f s\n",
				(unsigned long long)iter_no, now() - t0);
			next_report += count / 10;
		}
	}
	close(fd);
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		printf("stat child_rounds %llu\n", (unsigned long long)sh->rounds);
	}
	restore_state();
	printf("stat seconds %.1f\n", now() - t0);
	S(sent);
	S(answered);
	S(unanswered);
	S(sentinels);
	S(datagrams);
	S(k_random);
	S(k_struct);
	S(k_valid);
	S(valid_sent);
	S(valid_failed);
	S(replies);
	S(replies_bad);
	S(acks);
	S(done);
	S(done_err);
	S(silent);
	S(err_msg);
	S(err_nomsg_core);
	S(err_nomsg_socktap);
	S(stray);
	S(anomalies);
	S(bad_offs);
	S(send_err);
	S(overruns);
	S(abandoned);
	S(inflight);
	S(reopen);
	S(kprobe_names);
	S(probe_toggles);
	print_errors();
	for (unsigned int i = 0; i < nmsgs; i++)
		printf("extack count=%llu \"%s\"\n", (unsigned long long)msg_count[i], msg_text[i]);
	if (st.answered != st.sent) {
		bad("%llu requests sent, %llu answered", (unsigned long long)st.sent,
		    (unsigned long long)st.answered);
	}
	return failures ? 1 : 0;
}

/* ---- perm: each command once */

static int perm_one(int fd, uint8_t cmd, int dump, int garbage)
{
	static struct tmpl t;
	uint8_t buf[4096];
	struct mb m = { buf, 0, sizeof(buf) };
	ssize_t n;
	int err = 1;

	arena_used = 0;
	make_valid(&t, cmd, dump);
	t.flags = NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0);
	if (garbage) {
		/* Invalid attributes: the permission check comes first. */
		t.nattr = 0;
		add_attr(&t, SOCKTAP_A_MAX + 7, NULL, 13);
	}
	if (cmd == SOCKTAP_CMD_PROBE_SET) {
		/* The state stays: enable what is attached, or a missing point. */
		t.nattr = garbage ? t.nattr : 0;
		if (!garbage) {
			unsigned int i;

			for (i = 0; i < nprobes && probe_state0[i] != SOCKTAP_STATE_ATTACHED; i++)
				;
			add_str(&t, SOCKTAP_A_PROBE_NAME, i < nprobes ? probe_names[i] : "x");
			add_u8(&t, SOCKTAP_A_PROBE_ENABLE, 1);
		}
	}
	if (cmd == SOCKTAP_CMD_PROBE_GET && !dump && !garbage) {
		t.nattr = 0;
		add_str(&t, SOCKTAP_A_PROBE_NAME, nprobes ? probe_names[0] : "x");
	}
	if (cmd == SOCKTAP_CMD_STACK_START && !garbage) {
		t.nattr = 0;
		add_str(&t, SOCKTAP_A_STACK_FUNC, "tcp_close");
	}
	if (cmd == SOCKTAP_CMD_FILTER_SET && !garbage)
		t.nattr = 0;	/* clears: no filter is set during this test */
	nents = 0;
	txbuf = buf;
	emit(&m, &t, 2);
	if (nl_send(fd, buf, m.len) < 0)
		return -errno;
	for (;;) {
		n = nl_recv1(fd, 20000);
		if (n < 0)
			return (int)n;
		FOR_NLMSG(nlh, rxbufs, n) {
			if (nlh->nlmsg_seq != ents[0].seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const char *msg;
				uint32_t offs;
				int ho;

				err = ((const struct nlmsgerr *)NLMSG_DATA(nlh))->error;
				msg = extack_msg(nlh, &offs, &ho);
				if (err)
					printf("extack %s%s errno=%d: %s\n", cmdname(cmd),
					       dump ? " dump" : "", -err, msg ? msg : "(none)");
				return err;
			}
			if (nlh->nlmsg_type == NLMSG_DONE)
				return nlh->nlmsg_len >= NLMSG_HDRLEN + 4 ?
				       *(const int *)NLMSG_DATA(nlh) : 0;
		}
	}
}

/* Loopback connections so the module has events to send. */
static void make_traffic(int n)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof(a);
	int l, c, s, i;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 16) ||
	    getsockname(l, (struct sockaddr *)&a, &al))
		return;
	for (i = 0; i < n; i++) {
		c = socket(AF_INET, SOCK_STREAM, 0);
		if (c < 0)
			break;
		if (!connect(c, (struct sockaddr *)&a, sizeof(a))) {
			s = accept(l, NULL, NULL);
			if (s >= 0)
				close(s);
		}
		close(c);
	}
	close(l);
}

static int run_perm(void)
{
	int fd = nl_open(RCVBUF), err, want, ok = 0, nok = 0, g;
	unsigned int c, dump;
	uint64_t events = 0;
	double t0;
	ssize_t n;

	printf("stat euid %u\n", (unsigned int)geteuid());
	if (check_optable())
		nok++;
	if (read_probes(fd, 1))
		fprintf(stderr, "nlfuzz: cannot list the probe points\n");
	for (c = 1; c < 256; c++) {
		if (!op_known(c))
			continue;
		for (dump = 0; dump < 2; dump++) {
			if (!(dump ? ops[c].dumpit : ops[c].doit))
				continue;
			for (g = 0; g < 2; g++) {
				if (g && !ops[c].admin)
					continue;
				err = perm_one(fd, (uint8_t)c, (int)dump, g);
				want = ops[c].admin ? -EPERM : 0;
				/* As root: the valid request works. */
				if (!geteuid())
					want = g ? -EINVAL : 0;
				if (err == want) {
					ok++;
				} else {
					nok++;
					bad("perm %s%s%s: got %d, want %d", cmdname(c),
					    dump ? " dump" : "", g ? " garbage" : "", err, want);
				}
				printf("perm %s%s%s admin=%u err=%d want=%d %s\n", cmdname(c),
				       dump ? " dump" : "", g ? " garbage" : "", ops[c].admin,
				       err, want, err == want ? "ok" : "BAD");
			}
		}
	}
	close(fd);
	printf("stat perm_ok %d\nstat perm_bad %d\n", ok, nok);

	/* The events group: join, then count what arrives. */
	fd = nl_open(RCVBUF);
	err = setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &mcgrp_id, sizeof(mcgrp_id)) ?
	      -errno : 0;
	printf("stat mcast_group %u\nstat mcast_join %d\n", mcgrp_id, err);
	if (!err) {
		make_traffic(5);
		t0 = now();
		while (now() - t0 < 3.0) {
			n = nl_recv1(fd, 300);
			if (n == -ETIMEDOUT)
				continue;
			if (n < 0)
				break;
			FOR_NLMSG(nlh, rxbufs, n)
				if (nlh->nlmsg_type == fam_id)
					events++;
			if (events && !geteuid())
				break;
		}
	}
	printf("stat mcast_events %llu\n", (unsigned long long)events);
	close(fd);
	return nok ? 1 : 0;
}

/* ---- debugfs */

struct dstats {
	uint64_t files, opens_w, open_w_refused, writes, writes_refused, reads, preads, seeks;
	uint64_t onebyte_bytes, einval, unexpected, truncates;
};

static struct dstats ds;

static void dexpect(int ok, const char *what, const char *file)
{
	if (!ok) {
		ds.unexpected++;
		bad("debugfs %s %s: %s", file, what, strerror(errno));
	}
}

static void fuzz_file(const char *dir, const char *name, uint64_t ops_n)
{
	char path[512], buf[16384];
	static const int wflags[] = { O_WRONLY, O_RDWR, O_WRONLY | O_TRUNC, O_WRONLY | O_APPEND };
	struct stat sb;
	ssize_t n, full = 0, one = 0, r;
	uint64_t i;
	off_t off;
	int fd, k, w, static_file;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (stat(path, &sb) || !S_ISREG(sb.st_mode))
		return;
	ds.files++;
	printf("dfile %s mode=%o uid=%u gid=%u\n", name, (unsigned int)(sb.st_mode & 07777),
	       (unsigned int)sb.st_uid, (unsigned int)sb.st_gid);
	static_file = !strcmp(name, "version");

	/* Writes: each must fail, whatever the open allowed. */
	for (k = 0; k < (int)ARRAY_SIZE(wflags); k++) {
		fd = open(path, wflags[k]);
		ds.opens_w++;
		if (fd < 0) {
			ds.open_w_refused++;
			continue;
		}
		for (w = 0; w < 20; w++) {
			size_t len = chance(50) ? 1 + rn(16) : rn(sizeof(buf));

			rfill((uint8_t *)buf, len);
			ds.writes++;
			if (chance(30))
				r = pwrite(fd, buf, len, (off_t)rn(1 << 20));
			else
				r = write(fd, buf, len);
			if (r >= 0 && len) {
				ds.unexpected++;
				bad("debugfs %s: write of %zu bytes returned %zd", name, len, r);
			} else {
				ds.writes_refused++;
			}
		}
		/* The VFS may let root set i_size: harmless, counted. */
		if (ftruncate(fd, 0) == 0)
			ds.truncates++;
		if (wflags[k] == O_RDWR) {
			r = read(fd, buf, sizeof(buf));
			dexpect(r >= 0, "read on O_RDWR", name);
		}
		close(fd);
	}

	fd = open(path, O_RDONLY);
	dexpect(fd >= 0, "open", name);
	if (fd < 0)
		return;
	/* Whole file, then byte by byte. */
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		full += r;
	dexpect(r == 0, "read", name);
	char first[256];
	size_t flen = 0;

	dexpect(lseek(fd, 0, SEEK_SET) == 0, "lseek 0", name);
	while ((r = read(fd, buf, 1)) == 1) {
		if (flen < sizeof(first))
			first[flen++] = buf[0];
		one++;
		if (one > 4 * 1024 * 1024)
			break;
	}
	dexpect(r == 0 || one > 4 * 1024 * 1024, "1-byte read", name);
	ds.onebyte_bytes += (uint64_t)one;
	if (static_file && one != full) {
		ds.unexpected++;
		bad("debugfs %s: %zd bytes read whole, %zd one by one", name, full, one);
	}
	if (static_file) {
		char whole[256];

		n = pread(fd, whole, sizeof(whole), 0);
		if (n != (ssize_t)flen || memcmp(whole, first, flen)) {
			ds.unexpected++;
			bad("debugfs %s: pread at 0 differs from the 1-byte reads", name);
		}
	}
	for (i = 0; i < ops_n; i++) {
		size_t len = chance(40) ? 1 + rn(8) : rn(sizeof(buf));

		switch (rn(6)) {
		case 0:		/* pread inside or past the end */
			off = (off_t)rn((uint32_t)(2 * full + 16));
			r = pread(fd, buf, len, off);
			ds.preads++;
			dexpect(r >= 0, "pread", name);
			if (static_file && r >= 0 && off >= full && r) {
				ds.unexpected++;
				bad("debugfs %s: pread at %lld past the end returned %zd", name,
				    (long long)off, r);
			}
			break;
		case 1:		/* pread far away, or negative */
			off = chance(50) ? (off_t)(rnd() >> 2) : -(off_t)(1 + rn(1000));
			r = pread(fd, buf, len, off);
			ds.preads++;
			if (off < 0) {
				dexpect(r < 0 && errno == EINVAL, "pread at a negative offset", name);
				ds.einval++;
			} else {
				dexpect(r >= 0, "pread far", name);
			}
			break;
		case 2:		/* lseek SEEK_SET / SEEK_CUR, then read */
			ds.seeks++;
			off = chance(50) ? lseek(fd, (off_t)rn((uint32_t)(full + 64)), SEEK_SET) :
			      lseek(fd, (off_t)rn(200) - 100, SEEK_CUR);
			if (off < 0) {
				/* Negative results are EINVAL. */
				dexpect(errno == EINVAL, "lseek", name);
				ds.einval++;
				lseek(fd, 0, SEEK_SET);
			}
			r = read(fd, buf, len);
			ds.reads++;
			dexpect(r >= 0, "read after lseek", name);
			break;
		case 3:		/* whence seq_file does not know */
			ds.seeks++;
			off = lseek(fd, (off_t)rn(100), chance(50) ? SEEK_END :
				    chance(50) ? SEEK_DATA : SEEK_HOLE);
			if (off < 0)
				ds.einval++;
			lseek(fd, 0, SEEK_SET);
			break;
		case 4:		/* 1-byte reads from the current offset */
			for (k = 0; k < 8; k++) {
				r = read(fd, buf, 1);
				ds.reads++;
				dexpect(r >= 0, "1-byte read", name);
			}
			break;
		default:	/* zero-length and odd-sized reads */
			r = read(fd, buf, chance(20) ? 0 : 1 + rn(7) * 513);
			ds.reads++;
			dexpect(r >= 0, "odd read", name);
			break;
		}
	}
	/* Not mappable, not a directory. */
	void *mp = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);

	if (mp != MAP_FAILED) {
		munmap(mp, 4096);
		ds.unexpected++;
		bad("debugfs %s: mmap succeeded", name);
	}
	close(fd);
	fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		close(fd);
		ds.unexpected++;
		bad("debugfs %s: opened as a directory", name);
	}
}

static int run_debugfs(const char *dir, uint64_t ops_n)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	struct stat sb;
	char buf[64];
	int fd;

	if (!dp) {
		fprintf(stderr, "nlfuzz: %s: %s\n", dir, strerror(errno));
		return 2;
	}
	if (!stat(dir, &sb))
		printf("ddir mode=%o uid=%u gid=%u\n", (unsigned int)(sb.st_mode & 07777),
		       (unsigned int)sb.st_uid, (unsigned int)sb.st_gid);
	/* The directory: read() fails, nothing can be created in it. */
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf)) >= 0) {
			ds.unexpected++;
			bad("debugfs: read() of the directory succeeded");
		}
		close(fd);
	}
	snprintf(buf, sizeof(buf), "%s/nlfuzz", dir);
	fd = open(buf, O_WRONLY | O_CREAT, 0644);
	if (fd >= 0) {
		close(fd);
		unlink(buf);
		ds.unexpected++;
		bad("debugfs: a file could be created in %s", dir);
	}
	while ((d = readdir(dp)) != NULL)
		if (d->d_name[0] != '.')
			fuzz_file(dir, d->d_name, ops_n);
	closedir(dp);
	printf("stat dfiles %llu\nstat dopens_w %llu\nstat dopen_w_refused %llu\n"
	       "stat dwrites %llu\nstat dwrites_refused %llu\nstat dreads %llu\n"
	       "stat dpreads %llu\nstat dseeks %llu\nstat dbytes_one_by_one %llu\n"
	       "stat deinval %llu\nstat dtruncates %llu\nstat dunexpected %llu\n",
	       (unsigned long long)ds.files, (unsigned long long)ds.opens_w,
	       (unsigned long long)ds.open_w_refused, (unsigned long long)ds.writes,
	       (unsigned long long)ds.writes_refused, (unsigned long long)ds.reads,
	       (unsigned long long)ds.preads, (unsigned long long)ds.seeks,
	       (unsigned long long)ds.onebyte_bytes, (unsigned long long)ds.einval,
	       (unsigned long long)ds.truncates, (unsigned long long)ds.unexpected);
	return failures ? 1 : 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: nlfuzz [-s SEED] [-n COUNT] [-k KPROBES] [-p TOGGLES] [-C] fuzz\n"
		"       nlfuzz perm\n"
		"       nlfuzz [-s SEED] [-n OPS] debugfs DIR\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t seed = 0, count = 0;
	int opt, child = 1, have_seed = 0;

	kprobe_budget = 300;
	toggle_budget = 100;
	while ((opt = getopt(argc, argv, "s:n:k:p:C")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			have_seed = 1;
			break;
		case 'n':
			count = strtoull(optarg, NULL, 0);
			break;
		case 'k':
			kprobe_budget = strtoull(optarg, NULL, 0);
			break;
		case 'p':
			toggle_budget = strtoull(optarg, NULL, 0);
			break;
		case 'C':
			child = 0;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	if (!have_seed)
		seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	rng_state = seed;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("stat seed %llu\n", (unsigned long long)seed);
	fprintf(stderr, "nlfuzz: seed %llu (replay with -s %llu)\n", (unsigned long long)seed,
		(unsigned long long)seed);
	rxbufs = malloc((size_t)RXBUF * RXVEC);
	if (!rxbufs)
		return 2;
	if (!strcmp(argv[optind], "debugfs")) {
		if (optind + 1 >= argc)
			usage();
		return run_debugfs(argv[optind + 1], count ? count : 2000);
	}
	resolve_family();
	printf("stat family %u\n", fam_id);
	if (!strcmp(argv[optind], "fuzz"))
		return run_fuzz(total_count = count ? count : 1000000, child);
	if (!strcmp(argv[optind], "perm"))
		return run_perm();
	usage();
	return 2;
}
