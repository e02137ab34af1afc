#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# socktap metrics: the Prometheus text format checked by promtool and by a
# strict parser (tests/guest/prom.py), exact values against known traffic,
# what a user without CAP_NET_ADMIN gets, and the atomic rewrite of
# --interval (readers never see part of a file; SIGTERM/SIGINT end it).
. "$GUEST_DIR/lib.sh"

Q="python3 $GUEST_DIR/jq.py"
P="python3 $GUEST_DIR/prom.py"
N=6 B=1000 U=5 S=100
D=/tmp/m F=/tmp/m/socktap.prom
rm -rf $D
mkdir -p $D

# pv FILE EXPR: an expression over a metrics file (prom.py's helpers).
pv() { $P "$1" "$2"; }
# promtool's verdict on a file: "0" and no message when it is clean.
promcheck() {
	if ! command -v promtool > /dev/null; then
		fail "$1" "no promtool (Debian's prometheus package: scripts/deps.sh)"
		return
	fi
	out=$(promtool check metrics < "$2" 2>&1)
	check_eq "$1" "$?:$out" "0:"
}
metrics() { "$SOCKTAP" metrics -o "$1" 2> "$1.err"; }

check_cmd load load

# ---- a first file: new, mode 0644, clean for promtool and the parser
metrics $D/m0.prom
check_eq metrics_rc "$?" 0
check_eq metrics_stderr_quiet "$(cat $D/m0.prom.err)" ""
check_eq new_file_mode "$(stat -c %a $D/m0.prom)" 644
check_eq no_tmp_left "$(ls $D | grep -c '\.tmp$')" 0
check_cmd parser_m0 $P $D/m0.prom
promcheck promtool_m0 $D/m0.prom

# ---- known traffic: N TCP connections of B bytes, then U datagrams of S
python3 "$GUEST_DIR/tcpgen.py" -n $N --bytes $B &
tpid=$!
wait $tpid
check_eq tcpgen_ran "$?" 0
metrics $D/m1.prom
io=$(python3 "$GUEST_DIR/iogen.py" --udp $U --udp-size $S)
check_eq iogen_ran "$?" 0
ipid=$(echo "$io" | $Q 'd["pid"]')
metrics $D/m2.prom
check_eq metrics_m2_rc "$?" 0
# Read-only views right after the last file: no socket activity between.
dbg_accept_hits=$(hits inet_csk_accept)
st=$("$SOCKTAP" status -j)
hj=$("$SOCKTAP" hist -j connect)
check_cmd parser_m1 $P $D/m1.prom
check_cmd parser_m2 $P $D/m2.prom
promcheck promtool_m1 $D/m1.prom
promcheck promtool_m2 $D/m2.prom

# Every family, once each (the parser refuses a second HELP or TYPE).
want="socktap_up socktap_info
socktap_socket_table_capacity socktap_socket_table_used socktap_socket_table_untracked_total
socktap_process_table_capacity socktap_process_table_used socktap_process_table_dropped_events_total
socktap_size_table_capacity socktap_size_table_used socktap_size_table_dropped_calls_total
socktap_listener_table_capacity socktap_listener_table_used socktap_listener_table_dropped_total
socktap_stack_table_capacity socktap_stack_table_used socktap_stack_table_dropped_calls_total
socktap_count_probes_max socktap_count_probes_used
socktap_events_queued_total socktap_events_lost_total socktap_events_undelivered_total
socktap_events_filtered_total socktap_filter_info
socktap_probes socktap_probe_hits_total socktap_probe_missed_total
socktap_tcp_events_total
socktap_connect_seconds socktap_connect_async_seconds socktap_first_byte_seconds
socktap_lifetime_seconds socktap_lifetime_established_seconds
socktap_tcp_send_size_bytes socktap_tcp_recv_size_bytes socktap_tcp_state_time_seconds
socktap_tcp_sendmsg_bytes socktap_tcp_recvmsg_bytes socktap_udp_sendmsg_bytes socktap_udp_recvmsg_bytes
socktap_process_connects_total socktap_process_accepts_total
socktap_process_sockets_opened_total socktap_process_sockets_closed_total
socktap_process_sends_total socktap_process_sent_bytes_total
socktap_process_recvs_total socktap_process_received_bytes_total
socktap_listener_backlog_max socktap_listener_connections_total
socktap_listener_overflows_total socktap_listener_syn_drops_total
socktap_listener_accept_queue_length socktap_listener_syn_queue_length
socktap_process_tcp_sendmsg_bytes socktap_process_tcp_recvmsg_bytes
socktap_process_udp_sendmsg_bytes socktap_process_udp_recvmsg_bytes"
check_eq families "$(pv $D/m2.prom '" ".join(sorted(fams))')" "$(echo $want | tr ' ' '\n' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')"
check_eq types "$(pv $D/m2.prom '",".join(sorted(set(f["type"] for f in fams.values())))')" "counter,gauge,histogram"
check_eq counters_end_in_total "$(pv $D/m2.prom '[k for k, f in fams.items() if (f["type"] == "counter") != k.endswith("_total")]')" "[]"
check_eq every_family_has_help "$(pv $D/m2.prom '[k for k, f in fams.items() if not f["help"]]')" "[]"

# ---- the module: up, its version and kernel
check_eq up "$(pv $D/m2.prom "v('socktap_up')")" 1
check_eq info_kernel "$(pv $D/m2.prom "v('socktap_info', kernel='$(uname -r)')")" 1
check_eq info_version "$(pv $D/m2.prom "v('socktap_info', version='$(echo "$st" | $Q 'd["version"]')')")" 1
check_eq socket_capacity "$(pv $D/m2.prom "v('socktap_socket_table_capacity')")" "$(echo "$st" | $Q 'd["tables"]["sockets"]["capacity"]')"
check_eq process_capacity "$(pv $D/m2.prom "v('socktap_process_table_capacity')")" "$(echo "$st" | $Q 'd["tables"]["processes"]["capacity"]')"
check_eq events_lost "$(pv $D/m2.prom "v('socktap_events_lost_total')")" 0
check_eq filter_none "$(pv $D/m2.prom "v('socktap_filter_info', pid=0, port=0, netns=0)")" 1
check_eq probes_by_state "$(pv $D/m2.prom "sum(v('socktap_probes', state=s) for s in ('attached', 'unavailable', 'disabled', 'failed', 'standby'))")" "$(echo "$st" | $Q 'len(d["probes"])')"
check_eq probe_hits_is_debugfs "$(pv $D/m2.prom "v('socktap_probe_hits_total', probe='inet_csk_accept')")" "$dbg_accept_hits"
check_eq probe_labels "$(pv $D/m2.prom "v('socktap_probe_hits_total', probe='inet_csk_accept', kind='kretprobe', state='attached') == v('socktap_probe_hits_total', probe='inet_csk_accept')")" True

# ---- TCP counters: exactly the N connections between m0 and m1
td() { echo $(($(pv $D/m1.prom "v('socktap_tcp_events_total', event='$1')") - $(pv $D/m0.prom "v('socktap_tcp_events_total', event='$1')"))); }
check_eq tcp_connect_established "$(td connect_established)" $N
check_eq tcp_accept_established "$(td accept_established)" $N
check_eq tcp_connect_request "$(td connect_request)" $N
check_eq tcp_events_named_as_debugfs "$(pv $D/m2.prom "' '.join(s[1]['event'] for s in fams['socktap_tcp_events_total']['samples'])")" \
	"$(awk '{ gsub("-", "_", $1); print $1 }' $DBG/tcp | tr '\n' ' ' | sed 's/ $//')"

# ---- the connect histogram: one sample per connect(), in seconds
hd() { echo $(($(pv $D/m1.prom "$1") - $(pv $D/m0.prom "$1"))); }
check_eq connect_count "$(hd "v('socktap_connect_seconds_count')")" $N
check_eq connect_inf_is_count "$(pv $D/m1.prom "bucket('socktap_connect_seconds', 'inf') == v('socktap_connect_seconds_count')")" True
check_eq connect_count_is_hist "$(pv $D/m2.prom "v('socktap_connect_seconds_count')")" "$(echo "$hj" | $Q 'd["count"]')"
check_eq connect_sum_is_hist_ns "$(pv $D/m2.prom "round(v('socktap_connect_seconds_sum') * 1e9)")" "$(echo "$hj" | $Q 'd["sum"]')"
# Bucket i of the module ([2^i, 2^(i+1)) ns) is le = (2^(i+1) - 1) ns in
# seconds, cumulative: each le counts what hist -j has below it.
check_eq connect_buckets_cumulative "$(echo "$hj" | $Q "[sum(b['count'] for b in d['buckets'] if b['hi'] <= 2 ** (i + 1)) for i in range(63)]")" \
	"$(pv $D/m2.prom "[bucket('socktap_connect_seconds', (2 ** (i + 1) - 1) / 10 ** 9) for i in range(63)]")"
check_eq histogram_le_count "$(pv $D/m2.prom "len(hist('socktap_connect_seconds')['buckets'])")" 64

# ---- per process: tcpgen's connects, accepts, sockets and bytes
pp() { pv $D/m2.prom "v('$1', pid=$tpid$2)"; }
check_eq proc_connects_ok "$(pp socktap_process_connects_total ", result='ok'")" $N
check_eq proc_connects_refused "$(pp socktap_process_connects_total ", result='refused'")" 0
check_eq proc_accepts "$(pp socktap_process_accepts_total)" $N
check_eq proc_opened "$(pp socktap_process_sockets_opened_total)" $((2 * N + 1))
check_eq proc_closed "$(pp socktap_process_sockets_closed_total)" $((2 * N + 1))
check_eq proc_labels "$(pv $D/m2.prom "v('socktap_process_accepts_total', pid=$tpid, comm='python3', uid=0, netns=$(stat -L -c %i /proc/self/ns/net))")" $N
check_eq proc_tcp_sends "$(pp socktap_process_sends_total ", proto='tcp', family='inet'")" $N
check_eq proc_tcp_sent_bytes "$(pp socktap_process_sent_bytes_total ", proto='tcp', family='inet'")" $((N * B))
check_eq proc_tcp_received_bytes "$(pp socktap_process_received_bytes_total ", proto='tcp', family='inet'")" $((N * B))
# iogen's datagrams
uv() { pv $D/m2.prom "v('$1', pid=$ipid, proto='udp', family='inet')"; }
check_eq proc_udp_sends "$(uv socktap_process_sends_total)" $U
check_eq proc_udp_sent_bytes "$(uv socktap_process_sent_bytes_total)" $((U * S))
check_eq proc_udp_recvs "$(uv socktap_process_recvs_total)" $U
check_eq proc_udp_received_bytes "$(uv socktap_process_received_bytes_total)" $((U * S))
# Its size histograms: S = 100 bytes lies in [64, 128): le="127".
hs() { pv $D/m2.prom "$1"; }
check_eq size_count "$(hs "v('socktap_process_udp_sendmsg_bytes_count', pid=$ipid)")" $U
check_eq size_sum "$(hs "v('socktap_process_udp_sendmsg_bytes_sum', pid=$ipid)")" $((U * S))
check_eq size_le127 "$(hs "bucket('socktap_process_udp_sendmsg_bytes', 127, pid=$ipid)")" $U
check_eq size_le63 "$(hs "bucket('socktap_process_udp_sendmsg_bytes', 63, pid=$ipid)")" 0
check_eq size_recv_le127 "$(hs "bucket('socktap_process_udp_recvmsg_bytes', 127, pid=$ipid, comm='python3')")" $U
check_eq size_buckets "$(hs "len(hist('socktap_process_udp_sendmsg_bytes', pid=$ipid)['buckets'])")" 32
# The global UDP sendmsg histogram moved by exactly the U datagrams.
ud() { echo $(($(pv $D/m2.prom "$1") - $(pv $D/m1.prom "$1"))); }
check_eq udp_hist_count "$(ud "v('socktap_udp_sendmsg_bytes_count')")" $U
check_eq udp_hist_sum "$(ud "v('socktap_udp_sendmsg_bytes_sum')")" $((U * S))
check_eq udp_hist_bucket "$(($(ud "bucket('socktap_udp_sendmsg_bytes', 127)") - $(ud "bucket('socktap_udp_sendmsg_bytes', 63)")))" $U

# ---- tcpgen's listener
lv() { pv $D/m2.prom "v('$1', pid=$tpid, family='inet')"; }
check_eq listener_connections "$(lv socktap_listener_connections_total)" $N
check_eq listener_overflows "$(lv socktap_listener_overflows_total)" 0
check_eq listener_backlog_max "$(lv socktap_listener_backlog_max)" 128
check_eq listener_acceptq_count "$(lv socktap_listener_accept_queue_length_count)" $N
check_eq listener_acceptq_no_sum "$(pv $D/m2.prom "n('socktap_listener_accept_queue_length_sum')")" 0
check_eq listener_acceptq_le0 "$(pv $D/m2.prom "bucket('socktap_listener_accept_queue_length', 0, pid=$tpid)")" $N

# ---- without CAP_NET_ADMIN: what is readable, and stderr says the rest
setpriv --reuid=65534 --regid=65534 --clear-groups "$SOCKTAP" metrics \
	> $D/nobody.prom 2> $D/nobody.err
check_eq nobody_rc "$?" 0
check_grep nobody_says_left_out 'left out, as they need CAP_NET_ADMIN: per-process counters.*listeners.*I/O sizes' "$(cat $D/nobody.err)"
check_cmd nobody_parser $P $D/nobody.prom
promcheck nobody_promtool $D/nobody.prom
check_eq nobody_no_process_or_listener "$(pv $D/nobody.prom "[k for k in fams if k.startswith(('socktap_process_', 'socktap_listener_')) and not k.startswith(('socktap_process_table_', 'socktap_listener_table_'))]")" "[]"
check_eq nobody_has_tcp "$(pv $D/nobody.prom "n('socktap_tcp_events_total', event='connect_established')")" 1
check_eq nobody_has_hists "$(pv $D/nobody.prom "n('socktap_connect_seconds_count')")" 1

# ---- an existing file keeps its mode; no JSON; --interval needs -o
metrics $F
chmod 640 $F
metrics $F
check_eq kept_mode "$(stat -c %a $F)" 640
"$SOCKTAP" metrics -j > /dev/null 2>&1
check_eq json_refused "$?" 2
"$SOCKTAP" metrics --interval 1 > /dev/null 2>&1
check_eq interval_needs_o "$?" 2

# ---- --interval: read the file 20 times while it is rewritten
"$SOCKTAP" metrics -o $F --interval 1 2> $D/interval.err &
mpid=$!
python3 "$GUEST_DIR/tcpgen.py" -n 100 &
gpid=$!
sleep 1.5
good=0 inodes=""
for _ in $(seq 20); do
	inodes="$inodes $(stat -c %i $F)"
	# One open() and read(): the inode stays whole even when renamed over.
	r=$($P $F "v('socktap_up') == 1 and 'socktap_process_udp_recvmsg_bytes' in fams" 2>&1)
	[ "$r" = True ] && good=$((good + 1))
	sleep 0.25
done
wait $gpid
check_eq interval_reads_complete "$good" 20
nino=$(echo $inodes | tr ' ' '\n' | sort -u | wc -l)
if [ "$nino" -ge 3 ]; then pass interval_rewrote; else fail interval_rewrote "$nino file versions seen in 20 reads"; fi

# The module goes away and comes back: socktap_up 0, then 1 again.
for _ in $(seq 20); do rmmod socktap 2> /dev/null && break; sleep 0.2; done
check_eq rmmod_under_interval "$(grep -c '^socktap ' /proc/modules)" 0
up=
for _ in $(seq 40); do
	up=$($P $F "str(v('socktap_up')) + ':' + str(len(fams))" 2> /dev/null)
	[ "$up" = 0:1 ] && break
	sleep 0.25
done
check_eq interval_down "$up" 0:1
promcheck promtool_down $F
load
for _ in $(seq 40); do
	up=$($P $F "v('socktap_up')" 2> /dev/null)
	[ "$up" = 1 ] && break
	sleep 0.25
done
check_eq interval_up_again "$up" 1
kill -TERM $mpid
wait $mpid
check_eq sigterm_exit_0 "$?" 0
check_eq sigterm_no_tmp "$(ls $D | grep -c '\.tmp$')" 0
check_cmd after_sigterm_parser $P $F
check_grep interval_said_down 'not loaded: writing socktap_up 0' "$(cat $D/interval.err)"
check_grep interval_said_up 'module is loaded' "$(cat $D/interval.err)"

"$SOCKTAP" metrics -o $D/int.prom --interval 0.5 2> /dev/null &
mpid=$!
sleep 2
kill -INT $mpid
wait $mpid
check_eq sigint_exit_0 "$?" 0
check_eq sigint_no_tmp "$(ls $D | grep -c '\.tmp$')" 0

# ---- without the module: socktap_up 0 alone, exit status 3
check_cmd rmmod rmmod socktap
"$SOCKTAP" metrics -o $F 2> /dev/null
check_eq nomodule_rc "$?" 3
check_eq nomodule_file "$(pv $F "(v('socktap_up'), len(fams))")" "(0, 1)"
check_eq dmesg_clean "$(dmesg_bad)" ""
finish
