// SPDX-License-Identifier: GPL-2.0
/*
 * watch's receive path: the messages of one datagram walked in place.
 * Events reach fn with their attributes; acks, other families' and other
 * commands' messages do not; an error message ends the walk; NL_STOP
 * stops it; a message cut short at the end of the datagram is not read.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include <netlink/genl/genl.h>

#include "nl.h"
#include "unit.h"

#define FAMILY 42

static unsigned char dgram[8192] __attribute__((aligned(8)));
static size_t used;

/* Append one message to the datagram. */
static void put(struct nl_msg *m)
{
	struct nlmsghdr *h = nlmsg_hdr(m);

	memcpy(dgram + used, h, h->nlmsg_len);
	used += NLMSG_ALIGN(h->nlmsg_len);
	nlmsg_free(m);
}

static void put_event(int type, uint8_t cmd, uint32_t pid)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 0, type, 0, 0, cmd, 1);
	nla_put_u32(m, SOCKTAP_A_EV_PID, pid);
	put(m);
}

static void put_err(int error)
{
	struct nl_msg *m = nlmsg_alloc_simple(NLMSG_ERROR, 0);
	struct nlmsgerr e = { .error = error };

	nlmsg_append(m, &e, sizeof(e), NLMSG_ALIGNTO);
	put(m);
}

struct seen {
	unsigned int n;
	uint32_t pids[8];
	unsigned int stop_at;	/* NL_STOP on this call (1-based); 0 never */
};

static int fn(struct nlattr **tb, void *arg)
{
	struct seen *s = arg;

	if (s->n < 8)
		s->pids[s->n] = tb[SOCKTAP_A_EV_PID] ?
				nla_get_u32(tb[SOCKTAP_A_EV_PID]) : 0;
	s->n++;
	return s->n == s->stop_at ? NL_STOP : NL_OK;
}

int main(void)
{
	struct st_nl nl = { .family = FAMILY };
	struct seen s = {};
	int r;

	put_event(FAMILY, SOCKTAP_CMD_EVENT, 101);
	put_err(0);				/* an ack: not an event */
	put_event(FAMILY + 1, SOCKTAP_CMD_EVENT, 999);	/* another family */
	put_event(FAMILY, SOCKTAP_CMD_EVENT + 1, 998);	/* another command */
	put_event(FAMILY, SOCKTAP_CMD_EVENT, 102);
	put_event(FAMILY, SOCKTAP_CMD_EVENT, 103);
	r = st_nl_each_event(&nl, dgram, used, fn, &s);
	CHECK("nlrecv_walks_to_end", r == NL_OK);
	CHECK("nlrecv_three_events", s.n == 3);
	CHECK("nlrecv_event_attrs", s.pids[0] == 101 && s.pids[1] == 102 &&
	      s.pids[2] == 103);

	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	r = st_nl_each_event(&nl, dgram, used, fn, &s);
	CHECK("nlrecv_stop", r == NL_STOP && s.n == 2 && s.pids[1] == 102);

	/* The last message cut short: the walk ends before it. */
	memset(&s, 0, sizeof(s));
	r = st_nl_each_event(&nl, dgram, used - 4, fn, &s);
	CHECK("nlrecv_truncated_not_read", r == NL_OK && s.n == 2);

	/* An error message ends the walk, with what came before it read. */
	put_err(-EPERM);
	put_event(FAMILY, SOCKTAP_CMD_EVENT, 104);
	memset(&s, 0, sizeof(s));
	fprintf(stderr, "(an error message is expected next)\n");
	r = st_nl_each_event(&nl, dgram, used, fn, &s);
	CHECK("nlrecv_error_ends", r == -1 && s.n == 3);

	return unit_failed > 100 ? 100 : unit_failed;
}
