/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event stream records (SOCKTAP_CMD_EVENT) as 'socktap watch' prints
 * them: connect like bpftrace's soconnect.bt, life like BCC's tcplife.
 * Pure logic, unit-tested (tests/unit/test_fmt.c).
 */
#ifndef SOCKTAP_EVENT_H
#define SOCKTAP_EVENT_H

#include <stdint.h>
#include <stdio.h>

#include <linux/socktap.h>

#include "json.h"

struct st_event {
	uint64_t has;		/* ST_EV_BIT(attr) for each attribute sent */
	unsigned int type;	/* enum socktap_event */
	uint64_t time_ns;
	uint32_t pid, uid, netns;
	char comm[32];
	unsigned int family, proto;
	unsigned char saddr[16], daddr[16];
	unsigned int saddr_len, daddr_len;
	uint16_t sport, dport;
	uint64_t latency_ns;
	int64_t result;
	uint64_t tx_bytes, rx_bytes, duration_ns;
};

#define ST_EV_BIT(attr)		(1ull << ((attr) - SOCKTAP_A_EV_TYPE))
#define ST_EV_HAS(e, attr)	(!!((e)->has & ST_EV_BIT(attr)))

/* "connect" -> SOCKTAP_EV_CONNECT, "life" -> SOCKTAP_EV_LIFE, else 0. */
unsigned int st_event_type_parse(const char *s);
/* And back; "unknown" for another type. */
const char *st_event_type_name(unsigned int type);

/* Column header of a type's lines; with_time adds TIME(s) first. */
void st_event_header(FILE *out, unsigned int type, int with_time);
/* One line; TIME(s) is (time_ns - start_ns) / 1e9. */
void st_event_line(FILE *out, const struct st_event *e, uint64_t start_ns,
		   int with_time);
/* One object with every attribute the event carried. */
void st_event_json(struct json *j, const struct st_event *e);

#endif
