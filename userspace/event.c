// SPDX-License-Identifier: GPL-2.0
#include "event.h"

#include <inttypes.h>
#include <string.h>

#include "fmt.h"

unsigned int st_event_type_parse(const char *s)
{
	if (!strcmp(s, "connect"))
		return SOCKTAP_EV_CONNECT;
	if (!strcmp(s, "life"))
		return SOCKTAP_EV_LIFE;
	return 0;
}

const char *st_event_type_name(unsigned int type)
{
	switch (type) {
	case SOCKTAP_EV_CONNECT:
		return "connect";
	case SOCKTAP_EV_LIFE:
		return "life";
	default:
		return "unknown";
	}
}

void st_event_header(FILE *out, unsigned int type, int with_time)
{
	if (with_time)
		fprintf(out, "%-10s ", "TIME(s)");
	if (type == SOCKTAP_EV_CONNECT)
		fprintf(out, "%-7s %-16s %-3s %-16s %-5s %8s %s\n", "PID",
			"COMM", "FAM", "ADDRESS", "PORT", "LAT(us)", "RESULT");
	else
		fprintf(out, "%-7s %-16s %-15s %-5s %-15s %-5s %6s %6s %s\n",
			"PID", "COMM", "LADDR", "LPORT", "RADDR", "RPORT",
			"TX_KB", "RX_KB", "MS");
}

void st_event_line(FILE *out, const struct st_event *e, uint64_t start_ns,
		   int with_time)
{
	char sa[ST_ADDR_MAX], da[ST_ADDR_MAX], res[64];

	if (with_time)
		fprintf(out, "%-10.3f ",
			((double)e->time_ns - (double)start_ns) / 1e9);
	st_fmt_addr(e->saddr, e->saddr_len, sa, sizeof(sa));
	st_fmt_addr(e->daddr, e->daddr_len, da, sizeof(da));
	if (e->type == SOCKTAP_EV_CONNECT)
		fprintf(out, "%-7" PRIu32 " %-16s %-3u %-16s %-5u %8" PRIu64 " %s\n",
			e->pid, e->comm, e->family, da, e->dport,
			e->latency_ns / 1000,
			st_result_text(e->result, res, sizeof(res)));
	else
		fprintf(out, "%-7" PRIu32 " %-16s %-15s %-5u %-15s %-5u %6" PRIu64
			" %6" PRIu64 " %.2f\n",
			e->pid, e->comm, sa, e->sport, da, e->dport,
			e->tx_bytes / 1024, e->rx_bytes / 1024,
			(double)e->duration_ns / 1e6);
}

void st_event_json(struct json *j, const struct st_event *e)
{
	char buf[ST_ADDR_MAX];

	json_begin_object(j);
	json_kv_string(j, "type", st_event_type_name(e->type));
	if (ST_EV_HAS(e, SOCKTAP_A_EV_TIME))
		json_kv_uint(j, "time_ns", e->time_ns);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_PID))
		json_kv_uint(j, "pid", e->pid);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_UID))
		json_kv_uint(j, "uid", e->uid);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_COMM))
		json_kv_string(j, "comm", e->comm);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_NETNS))
		json_kv_uint(j, "netns", e->netns);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_FAMILY))
		json_kv_string(j, "family", st_af_name(e->family));
	if (ST_EV_HAS(e, SOCKTAP_A_EV_PROTO))
		json_kv_string(j, "proto", st_proto_name(e->proto, 1));
	if (ST_EV_HAS(e, SOCKTAP_A_EV_SADDR))
		json_kv_string(j, "saddr",
			       st_fmt_addr(e->saddr, e->saddr_len, buf, sizeof(buf)));
	if (ST_EV_HAS(e, SOCKTAP_A_EV_DADDR))
		json_kv_string(j, "daddr",
			       st_fmt_addr(e->daddr, e->daddr_len, buf, sizeof(buf)));
	if (ST_EV_HAS(e, SOCKTAP_A_EV_SPORT))
		json_kv_uint(j, "sport", e->sport);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_DPORT))
		json_kv_uint(j, "dport", e->dport);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_LATENCY))
		json_kv_uint(j, "latency_ns", e->latency_ns);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_RESULT))
		json_kv_int(j, "result", e->result);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_TX_BYTES))
		json_kv_uint(j, "tx_bytes", e->tx_bytes);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_RX_BYTES))
		json_kv_uint(j, "rx_bytes", e->rx_bytes);
	if (ST_EV_HAS(e, SOCKTAP_A_EV_DURATION))
		json_kv_uint(j, "duration_ns", e->duration_ns);
	json_end_object(j);
}
