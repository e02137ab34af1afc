// SPDX-License-Identifier: GPL-2.0
/*
 * watch drop: kernel symbols from kallsyms text, drop reason names from
 * kfree_skb format text of a 5.10-, 6.1- and 6.12-like kernel, and the
 * tcpdrop line, stack and JSON built from them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include <linux/socktap.h>

#include "drop.h"
#include "dropreason.h"
#include "event.h"
#include "ksym.h"
#include "render.h"
#include "unit.h"

/* ---- kallsyms */

/* Unsorted like the real file (modules after the kernel, any order). */
static const char kallsyms_text[] =
	"0000000000000000 A fixed_percpu_data\n"
	"0000000000001000 D cpu_debug_store\n"
	"ffffffff81000000 T _stext\n"
	"ffffffff81000000 T _text\n"
	"ffffffff81a2c4f0 t __pfx_tcp_v4_rcv\n"
	"ffffffff81a2c500 T tcp_v4_rcv\n"
	"ffffffff81a2d9a0 T tcp_v4_early_demux\n"
	"ffffffff81a0f100 T ip_local_deliver_finish\n"
	"ffffffff81a0f080 t ip_protocol_deliver_rcu\n"
	"ffffffff81a0f300 W arch_weak_thing\n"
	"ffffffff82400000 D init_net\n"
	"ffffffff81b00000 T kfree_skb_reason\n"
	"ffffffff81b00200 T __kfree_skb\n"
	"not a line\n"
	"ffffffff81b00300\n"
	"ffffffff81b00300 T\n"
	"zzzzffff81b00400 T junk\n"
	"ffffffffc0a02000 t st_tp_kfree_skb\t[socktap]\n"
	"ffffffffc0a01000 t st_drop\t[socktap]\n"
	"ffffffffc0b00000 t nf_hook_slow\t[nf_tables]\n"
	"ffffffff81c00000 T _etext";	/* no final newline */

static const char kallsyms_hidden[] =
	"0000000000000000 A fixed_percpu_data\n"
	"0000000000000000 T _stext\n"
	"0000000000000000 T tcp_v4_rcv\n"
	"0000000000000000 t st_drop\t[socktap]\n";

static struct st_ksyms ks;

static const char *sym(uint64_t addr, int ret)
{
	static char buf[128];

	return st_ksym_fmt(&ks, addr, ret, buf, sizeof(buf));
}

static void test_ksyms(void)
{
	struct st_ksyms h;
	char *buf, small[7];

	buf = strdup(kallsyms_text);
	CHECK("ksym_parse", buf && st_ksyms_parse(&ks, buf) == 0);
	CHECK("ksym_not_hidden", !ks.hidden);
	/* Text and weak symbols, one per address, data and junk left out. */
	CHECK("ksym_count", ks.n == 13);
	CHECK_STR("ksym_exact_start", sym(0xffffffff81a2c500ull, 0), "tcp_v4_rcv+0x0");
	CHECK_STR("ksym_exact_inside", sym(0xffffffff81a2c623ull, 0), "tcp_v4_rcv+0x123");
	CHECK_STR("ksym_ret_inside", sym(0xffffffff81a2c623ull, 1), "tcp_v4_rcv+0x123");
	/*
	 * A call as tcp_v4_rcv's last instruction returns to the next
	 * function's first byte: the caller is tcp_v4_rcv.
	 */
	CHECK_STR("ksym_ret_at_next", sym(0xffffffff81a2d9a0ull, 1),
		  "tcp_v4_rcv+0x14a0");
	CHECK_STR("ksym_exact_at_next", sym(0xffffffff81a2d9a0ull, 0),
		  "tcp_v4_early_demux+0x0");
	CHECK_STR("ksym_pfx", sym(0xffffffff81a2c4f8ull, 0), "__pfx_tcp_v4_rcv+0x8");
	/* Same address: the first kallsyms lists. */
	CHECK_STR("ksym_alias_first", sym(0xffffffff81000010ull, 0), "_stext+0x10");
	CHECK_STR("ksym_unsorted_input", sym(0xffffffff81a0f0a0ull, 1),
		  "ip_protocol_deliver_rcu+0x20");
	CHECK_STR("ksym_weak", sym(0xffffffff81a0f301ull, 1), "arch_weak_thing+0x1");
	/* Data symbols do not cut a function short. */
	CHECK_STR("ksym_past_data", sym(0xffffffff81b00210ull, 1), "__kfree_skb+0x10");
	CHECK_STR("ksym_module", sym(0xffffffffc0a0101full, 1), "st_drop+0x1f [socktap]");
	CHECK_STR("ksym_module2", sym(0xffffffffc0a02004ull, 0),
		  "st_tp_kfree_skb+0x4 [socktap]");
	CHECK_STR("ksym_other_module", sym(0xffffffffc0b00010ull, 1),
		  "nf_hook_slow+0x10 [nf_tables]");
	CHECK_STR("ksym_last", sym(0xffffffff81c00000ull, 0), "_etext+0x0");
	CHECK("ksym_below_first", !sym(0xffffffff80ffffffull, 0));
	CHECK("ksym_zero", !sym(0, 1));
	/* Cut to the buffer, still terminated. */
	CHECK_STR("ksym_small_buf", st_ksym_fmt(&ks, 0xffffffff81a2c623ull, 1, small,
						sizeof(small)), "tcp_v4");
	st_ksyms_free(&ks);
	CHECK("ksym_free", !ks.v && !ks.buf && !ks.n);
	CHECK("ksym_after_free", !sym(0xffffffff81a2c623ull, 1));

	buf = strdup(kallsyms_hidden);
	CHECK("ksym_hidden_parse", buf && st_ksyms_parse(&h, buf) == 0);
	CHECK("ksym_hidden", h.hidden && h.n == 0);
	CHECK("ksym_hidden_fmt", !st_ksym_fmt(&h, 0xffffffff81a2c623ull, 1, small,
					      sizeof(small)));
	st_ksyms_free(&h);

	buf = strdup("");
	CHECK("ksym_empty", buf && st_ksyms_parse(&h, buf) == 0 && !h.n && !h.hidden);
	st_ksyms_free(&h);

	CHECK("ksym_load_missing", st_ksyms_load(&h, "/nonexistent/kallsyms") == -1 &&
	      !h.n);
	st_ksyms_free(&h);
}

/* ---- drop reasons */

/* 5.10 (Debian): events/skb/kfree_skb/format, verbatim. */
static const char fmt_510[] =
	"name: kfree_skb\n"
	"ID: 1267\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:void * location;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned short protocol;\toffset:24;\tsize:2;\tsigned:0;\n"
	"\n"
	"print fmt: \"skbaddr=%p protocol=%u location=%p\", REC->skbaddr, "
	"REC->protocol, REC->location\n";

/* 6.1 (Debian): events/skb/kfree_skb/format, verbatim. */
static const char fmt_61[] =
	"name: kfree_skb\n"
	"ID: 1319\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:void * location;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned short protocol;\toffset:24;\tsize:2;\tsigned:0;\n"
	"\tfield:enum skb_drop_reason reason;\toffset:28;\tsize:4;\tsigned:0;\n"
	"\n"
	"print fmt: \"skbaddr=%p protocol=%u location=%p reason: %s\", "
	"REC->skbaddr, REC->protocol, REC->location, "
	"__print_symbolic(REC->reason, { 1, \"NOT_SPECIFIED\" }, { 2, "
	"\"NO_SOCKET\" }, { 3, \"PKT_TOO_SMALL\" }, { 4, \"TCP_CSUM\" }, "
	"{ 5, \"SOCKET_FILTER\" }, { 6, \"UDP_CSUM\" }, { 7, "
	"\"NETFILTER_DROP\" }, { 8, \"OTHERHOST\" }, { 9, \"IP_CSUM\" }, "
	"{ 10, \"IP_INHDR\" }, { 11, \"IP_RPFILTER\" }, { 12, "
	"\"UNICAST_IN_L2_MULTICAST\" }, { 13, \"XFRM_POLICY\" }, { 14, "
	"\"IP_NOPROTO\" }, { 15, \"SOCKET_RCVBUFF\" }, { 16, "
	"\"PROTO_MEM\" }, { 17, \"TCP_MD5NOTFOUND\" }, { 18, "
	"\"TCP_MD5UNEXPECTED\" }, { 19, \"TCP_MD5FAILURE\" }, { 20, "
	"\"SOCKET_BACKLOG\" }, { 21, \"TCP_FLAGS\" }, { 22, "
	"\"TCP_ZEROWINDOW\" }, { 23, \"TCP_OLD_DATA\" }, { 24, "
	"\"TCP_OVERWINDOW\" }, { 25, \"TCP_OFOMERGE\" }, { 26, "
	"\"TCP_RFC7323_PAWS\" }, { 27, \"TCP_INVALID_SEQUENCE\" }, { 28, "
	"\"TCP_RESET\" }, { 29, \"TCP_INVALID_SYN\" }, { 30, "
	"\"TCP_CLOSE\" }, { 31, \"TCP_FASTOPEN\" }, { 32, \"TCP_OLD_ACK\" }, "
	"{ 33, \"TCP_TOO_OLD_ACK\" }, { 34, \"TCP_ACK_UNSENT_DATA\" }, { 35, "
	"\"TCP_OFO_QUEUE_PRUNE\" }, { 36, \"TCP_OFO_DROP\" }, { 37, "
	"\"IP_OUTNOROUTES\" }, { 38, \"BPF_CGROUP_EGRESS\" }, { 39, "
	"\"IPV6DISABLED\" }, { 40, \"NEIGH_CREATEFAIL\" }, { 41, "
	"\"NEIGH_FAILED\" }, { 42, \"NEIGH_QUEUEFULL\" }, { 43, "
	"\"NEIGH_DEAD\" }, { 44, \"TC_EGRESS\" }, { 45, \"QDISC_DROP\" }, "
	"{ 46, \"CPU_BACKLOG\" }, { 47, \"XDP\" }, { 48, \"TC_INGRESS\" }, "
	"{ 49, \"UNHANDLED_PROTO\" }, { 50, \"SKB_CSUM\" }, { 51, "
	"\"SKB_GSO_SEG\" }, { 52, \"SKB_UCOPY_FAULT\" }, { 53, "
	"\"DEV_HDR\" }, { 54, \"DEV_READY\" }, { 55, \"FULL_RING\" }, { 56, "
	"\"NOMEM\" }, { 57, \"HDR_TRUNC\" }, { 58, \"TAP_FILTER\" }, { 59, "
	"\"TAP_TXFILTER\" }, { 60, \"ICMP_CSUM\" }, { 61, "
	"\"INVALID_PROTO\" }, { 62, \"IP_INADDRERRORS\" }, { 63, "
	"\"IP_INNOROUTES\" }, { 64, \"PKT_TOO_BIG\" }, { 65, "
	"\"TC_CHAIN_NOTFOUND\" }, { 66, \"MAX\" })\n"
	"=== kallsyms lines: 97125\n";

/* 6.12 (Debian): events/skb/kfree_skb/format, verbatim. */
static const char fmt_612[] =
	"name: kfree_skb\n"
	"ID: 1461\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:void * location;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:void * rx_sk;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned short protocol;\toffset:32;\tsize:2;\tsigned:0;\n"
	"\tfield:enum skb_drop_reason reason;\toffset:36;\tsize:4;\tsigned:0;\n"
	"\n"
	"print fmt: \"skbaddr=%p rx_sk=%p protocol=%u location=%pS reason: %s\", "
	"REC->skbaddr, REC->rx_sk, REC->protocol, REC->location, "
	"__print_symbolic(REC->reason, { 2, \"NOT_SPECIFIED\" }, { 3, "
	"\"NO_SOCKET\" }, { 4, \"PKT_TOO_SMALL\" }, { 5, \"TCP_CSUM\" }, "
	"{ 6, \"SOCKET_FILTER\" }, { 7, \"UDP_CSUM\" }, { 8, "
	"\"NETFILTER_DROP\" }, { 9, \"OTHERHOST\" }, { 10, \"IP_CSUM\" }, "
	"{ 11, \"IP_INHDR\" }, { 12, \"IP_RPFILTER\" }, { 13, "
	"\"UNICAST_IN_L2_MULTICAST\" }, { 14, \"XFRM_POLICY\" }, { 15, "
	"\"IP_NOPROTO\" }, { 16, \"SOCKET_RCVBUFF\" }, { 17, "
	"\"PROTO_MEM\" }, { 18, \"TCP_AUTH_HDR\" }, { 19, "
	"\"TCP_MD5NOTFOUND\" }, { 20, \"TCP_MD5UNEXPECTED\" }, { 21, "
	"\"TCP_MD5FAILURE\" }, { 22, \"TCP_AONOTFOUND\" }, { 23, "
	"\"TCP_AOUNEXPECTED\" }, { 24, \"TCP_AOKEYNOTFOUND\" }, { 25, "
	"\"TCP_AOFAILURE\" }, { 26, \"SOCKET_BACKLOG\" }, { 27, "
	"\"TCP_FLAGS\" }, { 28, \"TCP_ABORT_ON_DATA\" }, { 29, "
	"\"TCP_ZEROWINDOW\" }, { 30, \"TCP_OLD_DATA\" }, { 31, "
	"\"TCP_OVERWINDOW\" }, { 32, \"TCP_OFOMERGE\" }, { 33, "
	"\"TCP_RFC7323_PAWS\" }, { 34, \"TCP_OLD_SEQUENCE\" }, { 35, "
	"\"TCP_INVALID_SEQUENCE\" }, { 36, \"TCP_INVALID_ACK_SEQUENCE\" }, "
	"{ 37, \"TCP_RESET\" }, { 38, \"TCP_INVALID_SYN\" }, { 39, "
	"\"TCP_CLOSE\" }, { 40, \"TCP_FASTOPEN\" }, { 41, \"TCP_OLD_ACK\" }, "
	"{ 42, \"TCP_TOO_OLD_ACK\" }, { 43, \"TCP_ACK_UNSENT_DATA\" }, { 44, "
	"\"TCP_OFO_QUEUE_PRUNE\" }, { 45, \"TCP_OFO_DROP\" }, { 46, "
	"\"IP_OUTNOROUTES\" }, { 47, \"BPF_CGROUP_EGRESS\" }, { 48, "
	"\"IPV6DISABLED\" }, { 49, \"NEIGH_CREATEFAIL\" }, { 50, "
	"\"NEIGH_FAILED\" }, { 51, \"NEIGH_QUEUEFULL\" }, { 52, "
	"\"NEIGH_DEAD\" }, { 53, \"TC_EGRESS\" }, { 54, \"SECURITY_HOOK\" }, "
	"{ 55, \"QDISC_DROP\" }, { 56, \"CPU_BACKLOG\" }, { 57, \"XDP\" }, "
	"{ 58, \"TC_INGRESS\" }, { 59, \"UNHANDLED_PROTO\" }, { 60, "
	"\"SKB_CSUM\" }, { 61, \"SKB_GSO_SEG\" }, { 62, "
	"\"SKB_UCOPY_FAULT\" }, { 63, \"DEV_HDR\" }, { 64, \"DEV_READY\" }, "
	"{ 65, \"FULL_RING\" }, { 66, \"NOMEM\" }, { 67, \"HDR_TRUNC\" }, "
	"{ 68, \"TAP_FILTER\" }, { 69, \"TAP_TXFILTER\" }, { 70, "
	"\"ICMP_CSUM\" }, { 71, \"INVALID_PROTO\" }, { 72, "
	"\"IP_INADDRERRORS\" }, { 73, \"IP_INNOROUTES\" }, { 74, "
	"\"PKT_TOO_BIG\" }, { 75, \"DUP_FRAG\" }, { 76, "
	"\"FRAG_REASM_TIMEOUT\" }, { 77, \"FRAG_TOO_FAR\" }, { 78, "
	"\"TCP_MINTTL\" }, { 79, \"IPV6_BAD_EXTHDR\" }, { 80, "
	"\"IPV6_NDISC_FRAG\" }, { 81, \"IPV6_NDISC_HOP_LIMIT\" }, { 82, "
	"\"IPV6_NDISC_BAD_CODE\" }, { 83, \"IPV6_NDISC_BAD_OPTIONS\" }, "
	"{ 84, \"IPV6_NDISC_NS_OTHERHOST\" }, { 85, \"QUEUE_PURGE\" }, { 86, "
	"\"TC_COOKIE_ERROR\" }, { 87, \"PACKET_SOCK_ERROR\" }, { 88, "
	"\"TC_CHAIN_NOTFOUND\" }, { 89, \"TC_RECLASSIFY_LOOP\" }, { 90, "
	"\"VXLAN_INVALID_HDR\" }, { 91, \"VXLAN_VNI_NOT_FOUND\" }, { 92, "
	"\"MAC_INVALID_SOURCE\" }, { 93, \"VXLAN_ENTRY_EXISTS\" }, { 94, "
	"\"NO_TX_TARGET\" }, { 95, \"IP_TUNNEL_ECN\" }, { 96, "
	"\"TUNNEL_TXINFO\" }, { 97, \"LOCAL_MAC\" }, { 98, \"MAX\" })\n";

/* Synthetic: prefixed names, hex and unresolved keys, a repeat, junk. */
static const char fmt_odd[] =
	"name: kfree_skb\n"
	"format:\n"
	"\tfield:void * location;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:u32 reason;\toffset:28;\tsize:4;\tsigned:0;\n"
	"\n"
	"print fmt: \"reason: %s\", __print_symbolic(REC->protocol, { 9, \"NOT_THIS\" }), "
	"__print_symbolic(REC->reason, {1,\"SKB_DROP_REASON_NOT_SPECIFIED\"},"
	"{ SKB_DROP_REASON_NO_SOCKET, \"NO_SOCKET\" }, { 0x10, \"HEX\" },\n"
	"  { 7, \"FIRST\" }, { 7, \"SECOND\" }, { 3, \"SKB_DROP_REASON_\" }, "
	"{ 4294967296, \"TOO_BIG\" }, { 5, \"LAST\" })";

/* A reason field, but a print fmt without the list. */
static const char fmt_nolist[] =
	"format:\n"
	"\tfield:enum skb_drop_reason reason;\toffset:28;\tsize:4;\tsigned:0;\n"
	"print fmt: \"reason=%u\", REC->reason\n";

/* "reason" only as part of other names is no reason field. */
static const char fmt_notreason[] =
	"format:\n"
	"\tfield:u32 reasons;\toffset:28;\tsize:4;\tsigned:0;\n"
	"\tfield:u32 old_reason;\toffset:32;\tsize:4;\tsigned:0;\n"
	"print fmt: \"%s\", __print_symbolic(REC->reason, { 1, \"X\" })\n";

static const char *rname(const struct st_dropreasons *t, uint32_t r)
{
	static char buf[16];

	return st_dropreason_text(t, r, buf, sizeof(buf));
}

static void test_reasons(void)
{
	struct st_dropreasons t;
	const char *path = NULL;
	int rc;

	CHECK("dr_510_parse", st_dropreasons_parse(&t, fmt_510) == 0);
	CHECK("dr_510_none", t.kind == ST_DR_NONE && t.n == 0);
	CHECK_STR("dr_510_text", rname(&t, 0), "-");
	CHECK_STR("dr_510_text_any", rname(&t, 2), "-");
	CHECK("dr_510_name", !st_dropreason_name(&t, 0));
	st_dropreasons_free(&t);

	CHECK("dr_61_parse", st_dropreasons_parse(&t, fmt_61) == 0);
	CHECK("dr_61_table", t.kind == ST_DR_TABLE && t.n == 66);
	CHECK_STR("dr_61_not_specified", rname(&t, 1), "NOT_SPECIFIED");
	CHECK_STR("dr_61_no_socket", rname(&t, 2), "NO_SOCKET");
	CHECK_STR("dr_61_tcp_csum", rname(&t, 4), "TCP_CSUM");
	CHECK_STR("dr_61_tcp_reset", rname(&t, 28), "TCP_RESET");
	CHECK_STR("dr_61_tc_chain", rname(&t, 65), "TC_CHAIN_NOTFOUND");
	CHECK_STR("dr_61_max", rname(&t, 66), "MAX");
	CHECK_STR("dr_61_zero", rname(&t, 0), "0");
	CHECK_STR("dr_61_unknown", rname(&t, 67), "67");
	CHECK_STR("dr_61_subsys", rname(&t, 0x10001), "65537");
	CHECK("dr_61_name_unknown", !st_dropreason_name(&t, 67));
	st_dropreasons_free(&t);
	CHECK("dr_free", !t.v && !t.names && !t.n && t.kind == ST_DR_UNKNOWN);

	/* 6.12: SKB_CONSUMED came first, every number moved by one. */
	CHECK("dr_612_parse", st_dropreasons_parse(&t, fmt_612) == 0);
	CHECK("dr_612_table", t.kind == ST_DR_TABLE && t.n == 97);
	CHECK_STR("dr_612_not_specified", rname(&t, 2), "NOT_SPECIFIED");
	CHECK_STR("dr_612_no_socket", rname(&t, 3), "NO_SOCKET");
	CHECK_STR("dr_612_queue_purge", rname(&t, 85), "QUEUE_PURGE");
	CHECK_STR("dr_612_local_mac", rname(&t, 97), "LOCAL_MAC");
	CHECK_STR("dr_612_consumed", rname(&t, 1), "1");
	st_dropreasons_free(&t);

	CHECK("dr_odd_parse", st_dropreasons_parse(&t, fmt_odd) == 0);
	CHECK("dr_odd_table", t.kind == ST_DR_TABLE && t.n == 5);
	CHECK_STR("dr_odd_prefix", rname(&t, 1), "NOT_SPECIFIED");
	CHECK_STR("dr_odd_other_field", rname(&t, 9), "9");
	CHECK_STR("dr_odd_symbol_key", rname(&t, 2), "2");
	CHECK_STR("dr_odd_hex", rname(&t, 16), "HEX");
	CHECK_STR("dr_odd_first_wins", rname(&t, 7), "FIRST");
	/* A name that is only the prefix stays as it is. */
	CHECK_STR("dr_odd_bare_prefix", rname(&t, 3), "SKB_DROP_REASON_");
	CHECK_STR("dr_odd_last", rname(&t, 5), "LAST");
	st_dropreasons_free(&t);

	CHECK("dr_nolist", st_dropreasons_parse(&t, fmt_nolist) == 0 &&
	      t.kind == ST_DR_TABLE && t.n == 0);
	CHECK_STR("dr_nolist_number", rname(&t, 2), "2");
	st_dropreasons_free(&t);

	CHECK("dr_notreason", st_dropreasons_parse(&t, fmt_notreason) == 0 &&
	      t.kind == ST_DR_NONE);
	st_dropreasons_free(&t);

	CHECK("dr_empty", st_dropreasons_parse(&t, "") == 0 && t.kind == ST_DR_NONE);
	st_dropreasons_free(&t);

	/* Unclosed: what came before the damage counts. */
	CHECK("dr_truncated", st_dropreasons_parse(&t,
	      "\tfield:int reason;\n"
	      "print fmt: \"\", __print_symbolic(REC->reason, { 1, \"A\" }, { 2, \"B") == 0 &&
	      t.kind == ST_DR_TABLE && t.n == 1);
	CHECK_STR("dr_truncated_a", rname(&t, 1), "A");
	CHECK_STR("dr_truncated_b", rname(&t, 2), "2");
	st_dropreasons_free(&t);

	/* Never read (no format): numbers, not "-". */
	memset(&t, 0, sizeof(t));
	CHECK_STR("dr_unknown_number", rname(&t, 2), "2");
	CHECK_STR("dr_unknown_zero", rname(&t, 0), "0");

	/* The host may or may not have tracefs: either way a sane answer. */
	rc = st_dropreasons_load(&t, &path);
	CHECK("dr_load", rc == 0 ? t.kind != ST_DR_UNKNOWN :
	      t.kind == ST_DR_UNKNOWN && path);
	st_dropreasons_free(&t);
}

/* ---- the tcpdrop line, stack and JSON */

#define EVB(a) ST_EV_BIT(SOCKTAP_A_EV_##a)

static void drop_ev(struct st_event *e)
{
	static const unsigned char lo[4] = { 127, 0, 0, 1 };
	static const uint64_t stack[] = {
		0xffffffff81a2c581ull,	/* call site: tcp_v4_rcv+0x81 */
		0xffffffff81a2c581ull,	/* its repeat */
		0xffffffff81a0f0b2ull,	/* ip_protocol_deliver_rcu+0x32 */
		0xffffffff81a0f172ull,	/* ip_local_deliver_finish+0x72 */
		0xffffffffc0a01010ull,	/* st_drop+0x10 [socktap] */
		0xffffffff80000000ull,	/* below every symbol */
	};

	memset(e, 0, sizeof(*e));
	e->type = SOCKTAP_EV_DROP;
	e->has = EVB(TYPE) | EVB(TIME) | EVB(PID) | EVB(UID) | EVB(COMM) |
		 EVB(NETNS) | EVB(FAMILY) | EVB(PROTO) | EVB(SADDR) |
		 EVB(DADDR) | EVB(SPORT) | EVB(DPORT) | EVB(NEWSTATE) |
		 EVB(REASON) | EVB(STACK);
	e->time_ns = 7000000000ull;
	e->netns = 4026531840u;
	e->family = AF_INET;
	e->proto = SOCKTAP_PROTO_TCP;
	memcpy(e->saddr, lo, 4);
	memcpy(e->daddr, lo, 4);
	e->saddr_len = e->daddr_len = 4;
	e->sport = 56512;
	e->dport = 53991;
	e->reason = 2;
	memcpy(e->stack, stack, sizeof(stack));
	e->nr_stack = sizeof(stack) / sizeof(stack[0]);
}

static void test_drop_lines(void)
{
	struct st_ev_clock rel = { .start_ns = 5000000000ull, .rel = 1 };
	struct st_ev_clock wall = { .real_off_ns = 3600000000000ll };
	struct st_dropreasons r61, r510, none = { 0 };
	struct st_drop_names d = { .reasons = &r61, .ksyms = &ks, .stacks = 1 };
	struct st_event e;
	char *buf;

	buf = strdup(kallsyms_text);
	CHECK("drop_ksyms", buf && st_ksyms_parse(&ks, buf) == 0);
	CHECK("drop_r61", st_dropreasons_parse(&r61, fmt_61) == 0);
	CHECK("drop_r510", st_dropreasons_parse(&r510, fmt_510) == 0);

	CHECK_STR("drop_hdr", RENDER(512, st_event_header(f, SOCKTAP_EV_DROP, 0)),
		  "TIME     PID     COMM             IP SADDR:SPORT           > DADDR:DPORT           STATE        REASON\n");
	CHECK_STR("drop_hdr_rel", RENDER(512, st_event_header(f, SOCKTAP_EV_DROP, 1)),
		  "TIME(s)    PID     COMM             IP SADDR:SPORT           > DADDR:DPORT           STATE        REASON\n");

	drop_ev(&e);
	CHECK("drop_next_repeat", st_drop_stack_next(&e) == 2);
	CHECK_STR("drop_line_nosock", RENDER(2048, st_drop_line(f, &e, &wall, &d)),
		  "01:00:07 -       -                4  127.0.0.1:56512       > 127.0.0.1:53991       -            NO_SOCKET\n"
		  "\ttcp_v4_rcv+0x81\n"
		  "\tip_protocol_deliver_rcu+0x32\n"
		  "\tip_local_deliver_finish+0x72\n"
		  "\tst_drop+0x10 [socktap]\n"
		  "\t0xffffffff80000000\n"
		  "\n");
	/* Without stacks; the plain event line has the number. */
	d.stacks = 0;
	CHECK_STR("drop_line_nostack_rel", RENDER(1024, st_drop_line(f, &e, &rel, &d)),
		  "2.000      -       -                4  127.0.0.1:56512       > 127.0.0.1:53991       -            NO_SOCKET\n");
	CHECK_STR("drop_event_line", RENDER(1024, st_event_line(f, &e, &wall)),
		  "01:00:07 -       -                4  127.0.0.1:56512       > 127.0.0.1:53991       -            2\n");
	/* A socket: its owner and state. */
	e.pid = 156;
	snprintf(e.comm, sizeof(e.comm), "python3");
	e.newstate = 7;
	e.reason = 1;
	CHECK_STR("drop_line_sock", RENDER(1024, st_drop_line(f, &e, &wall, &d)),
		  "01:00:07 156     python3          4  127.0.0.1:56512       > 127.0.0.1:53991       CLOSE        NOT_SPECIFIED\n");
	e.reason = 200;
	CHECK_STR("drop_line_unknown", RENDER(1024, st_drop_line(f, &e, &wall, &d)),
		  "01:00:07 156     python3          4  127.0.0.1:56512       > 127.0.0.1:53991       CLOSE        200\n");
	d.reasons = &r510;
	e.reason = 0;
	CHECK_STR("drop_line_510", RENDER(1024, st_drop_line(f, &e, &wall, &d)),
		  "01:00:07 156     python3          4  127.0.0.1:56512       > 127.0.0.1:53991       CLOSE        -\n");
	d.reasons = &none;
	CHECK_STR("drop_line_unread", RENDER(1024, st_drop_line(f, &e, &wall, &d)),
		  "01:00:07 156     python3          4  127.0.0.1:56512       > 127.0.0.1:53991       CLOSE        0\n");

	/* No symbols (kptr_restrict): hex, one line each. */
	drop_ev(&e);
	d.reasons = &r61;
	d.ksyms = NULL;
	d.stacks = 1;
	e.nr_stack = 3;
	CHECK_STR("drop_line_hex", RENDER(2048, st_drop_line(f, &e, &wall, &d)),
		  "01:00:07 -       -                4  127.0.0.1:56512       > 127.0.0.1:53991       -            NO_SOCKET\n"
		  "\t0xffffffff81a2c581\n"
		  "\t0xffffffff81a0f0b2\n"
		  "\n");
	/* Tracing frames before the repeat go too; no repeat: all shown. */
	d.ksyms = &ks;
	e.stack[1] = 0xffffffff81b00010ull;	/* kfree_skb_reason+0x10 */
	e.stack[2] = 0xffffffff81a2c581ull;
	e.stack[3] = 0xffffffff81a0f0b2ull;
	e.nr_stack = 4;
	CHECK("drop_next_late_repeat", st_drop_stack_next(&e) == 3);
	CHECK_STR("drop_line_late_repeat", RENDER(2048, st_drop_line(f, &e, &wall, &d)),
		  "01:00:07 -       -                4  127.0.0.1:56512       > 127.0.0.1:53991       -            NO_SOCKET\n"
		  "\ttcp_v4_rcv+0x81\n"
		  "\tip_protocol_deliver_rcu+0x32\n"
		  "\n");
	e.stack[2] = 0xffffffff81a0f0b2ull;
	e.nr_stack = 3;
	CHECK("drop_next_none", st_drop_stack_next(&e) == 1);
	CHECK_STR("drop_line_no_repeat", RENDER(2048, st_drop_line(f, &e, &wall, &d)),
		  "01:00:07 -       -                4  127.0.0.1:56512       > 127.0.0.1:53991       -            NO_SOCKET\n"
		  "\ttcp_v4_rcv+0x81\n"
		  "\tkfree_skb_reason+0x10\n"
		  "\tip_protocol_deliver_rcu+0x32\n"
		  "\n");
	e.nr_stack = 0;
	CHECK("drop_next_empty", st_drop_stack_next(&e) == 1);
	CHECK_STR("drop_line_empty_stack", RENDER(2048, st_drop_line(f, &e, &wall, &d)),
		  "01:00:07 -       -                4  127.0.0.1:56512       > 127.0.0.1:53991       -            NO_SOCKET\n"
		  "\n");
	e.nr_stack = 1;
	CHECK_STR("drop_line_one", RENDER(2048, st_drop_line(f, &e, &wall, &d)),
		  "01:00:07 -       -                4  127.0.0.1:56512       > 127.0.0.1:53991       -            NO_SOCKET\n"
		  "\ttcp_v4_rcv+0x81\n"
		  "\n");

	/* IPv6, as a bracketed endpoint. */
	drop_ev(&e);
	e.family = AF_INET6;
	memset(e.saddr, 0, 16);
	memset(e.daddr, 0, 16);
	e.saddr[15] = e.daddr[15] = 1;
	e.saddr_len = e.daddr_len = 16;
	e.newstate = 1;
	e.pid = 9;
	e.nr_stack = 0;
	CHECK_STR("drop_line_v6", RENDER(1024, st_drop_line(f, &e, &wall, &d)),
		  "01:00:07 9       -                6  [::1]:56512           > [::1]:53991           ESTABLISHED  NO_SOCKET\n\n");

	drop_ev(&e);
	e.nr_stack = 3;
	CHECK_STR("drop_json", RENDER_JSON(2048, st_drop_json(&j, &e, &d)),
		  "{\"type\":\"drop\",\"time_ns\":7000000000,\"pid\":0,\"uid\":0,\"comm\":\"\","
		  "\"netns\":4026531840,\"family\":\"inet\",\"proto\":\"tcp\","
		  "\"saddr\":\"127.0.0.1\",\"daddr\":\"127.0.0.1\",\"sport\":56512,\"dport\":53991,"
		  "\"state\":null,\"reason\":2,\"reason_name\":\"NO_SOCKET\","
		  "\"stack\":[{\"addr\":\"0xffffffff81a2c581\",\"sym\":\"tcp_v4_rcv+0x81\"},"
		  "{\"addr\":\"0xffffffff81a0f0b2\",\"sym\":\"ip_protocol_deliver_rcu+0x32\"}]}\n");
	e.newstate = 7;
	e.reason = 0;
	e.nr_stack = 6;
	d.reasons = &r510;
	d.ksyms = NULL;
	CHECK_STR("drop_json_510_hex", RENDER_JSON(2048, st_drop_json(&j, &e, &d)),
		  "{\"type\":\"drop\",\"time_ns\":7000000000,\"pid\":0,\"uid\":0,\"comm\":\"\","
		  "\"netns\":4026531840,\"family\":\"inet\",\"proto\":\"tcp\","
		  "\"saddr\":\"127.0.0.1\",\"daddr\":\"127.0.0.1\",\"sport\":56512,\"dport\":53991,"
		  "\"state\":\"CLOSE\",\"reason\":0,\"reason_name\":null,"
		  "\"stack\":[{\"addr\":\"0xffffffff81a2c581\",\"sym\":null},"
		  "{\"addr\":\"0xffffffff81a0f0b2\",\"sym\":null},"
		  "{\"addr\":\"0xffffffff81a0f172\",\"sym\":null},"
		  "{\"addr\":\"0xffffffffc0a01010\",\"sym\":null},"
		  "{\"addr\":\"0xffffffff80000000\",\"sym\":null}]}\n");
	d.stacks = 0;
	CHECK_STR("drop_json_nostack", RENDER_JSON(2048, st_drop_json(&j, &e, &d)),
		  "{\"type\":\"drop\",\"time_ns\":7000000000,\"pid\":0,\"uid\":0,\"comm\":\"\","
		  "\"netns\":4026531840,\"family\":\"inet\",\"proto\":\"tcp\","
		  "\"saddr\":\"127.0.0.1\",\"daddr\":\"127.0.0.1\",\"sport\":56512,\"dport\":53991,"
		  "\"state\":\"CLOSE\",\"reason\":0,\"reason_name\":null}\n");
	/* The generic object: the same members, no names. */
	CHECK_STR("drop_event_json", RENDER_JSON(2048, st_event_json(&j, &e)),
		  "{\"type\":\"drop\",\"time_ns\":7000000000,\"pid\":0,\"uid\":0,\"comm\":\"\","
		  "\"netns\":4026531840,\"family\":\"inet\",\"proto\":\"tcp\","
		  "\"saddr\":\"127.0.0.1\",\"daddr\":\"127.0.0.1\",\"sport\":56512,\"dport\":53991,"
		  "\"state\":\"CLOSE\",\"reason\":0}\n");

	st_ksyms_free(&ks);
	st_dropreasons_free(&r61);
	st_dropreasons_free(&r510);
}

int main(void)
{
	/* The wall clock column in UTC, whatever the host's zone. */
	setenv("TZ", "UTC", 1);
	tzset();
	test_ksyms();
	test_reasons();
	test_drop_lines();
	UNIT_EXIT();
}
