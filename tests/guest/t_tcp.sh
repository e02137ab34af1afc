#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TCP layer: the tcp provider's counters against the kernel's MIB, resets
# both ways, a listener overflowing its backlog, and retransmissions under
# loss on a veth pair, cross-checked with the MIB and bpftrace.
#
#   ns stA (sender) 192.0.2.1 veth a0 --- veth b0 192.0.2.2 ns stB (receiver)
#                   2001:db8::1   netem loss on a0   2001:db8::2
. "$GUEST_DIR/lib.sh"

Q="python3 $GUEST_DIR/jq.py"
LOAD="python3 $GUEST_DIR/sockload.py"
tcpc() { awk -v n="$1" '$1 == n { print $2 }' $DBG/tcp; }
# MIB counters of a namespace (they are per namespace).
nmib() { ip netns exec "$1" bash -c ". $GUEST_DIR/lib.sh; mib $2 $3"; }

check_cmd load load

# The streams, consumed for the whole test (stopped and checked at the end).
watch_bg() {
	"$SOCKTAP" watch "$1" -j -d 900 > "/tmp/w_$1.json" 2> "/tmp/w_$1.err" &
	eval "w_$1=\$!"
}
for t in state accept reset overflow retrans; do watch_bg "$t"; done
sleep 1

# ---- the exact state sequence of one connection's life, both sides
read -r seq_lport seq_cport <<< "$(python3 "$GUEST_DIR/oneconn.py")"

# ---- opens, refusals, segments: exact against the MIB (loopback)
N4=3 N6=2 R=2
declare -A c0
for n in connect-request connect-established accept-established \
	connect-refused accept-refused resets-sent resets-received receive \
	retransmits retransmit-segments state-change; do c0[$n]=$(tcpc $n); done
a0=$(mib Tcp ActiveOpens) p0=$(mib Tcp PassiveOpens) f0=$(mib Tcp AttemptFails)
o0=$(mib Tcp OutRsts) i0=$(mib Tcp InSegs) r0=$(mib Tcp RetransSegs)
sl=$($LOAD --v4 $N4 --v6 $N6 --refused $R)
sl_spid=$(echo "$sl" | $Q 'd["server_pid"]')
sl_port4=$(echo "$sl" | $Q 'd["port4"]') sl_port6=$(echo "$sl" | $Q 'd["port6"]')
d() { echo $(($(tcpc $1) - ${c0[$1]})); }
# Delayed ACKs and FINs may still be in flight after the load returns: read
# the counters once InSegs has not moved for 300 ms (10 s at most).
for _ in $(seq 30); do
	i1=$(mib Tcp InSegs)
	sleep 0.3
	[ "$i1" = "$(mib Tcp InSegs)" ] && break
done
check_eq connect_request_is_active_opens "$(d connect-request)" "$(($(mib Tcp ActiveOpens) - a0))"
check_eq connect_request "$(d connect-request)" $((N4 + N6 + R))
check_eq connect_established "$(d connect-established)" $((N4 + N6))
check_eq accept_established_is_passive_opens "$(d accept-established)" "$(($(mib Tcp PassiveOpens) - p0))"
check_eq accept_established "$(d accept-established)" $((N4 + N6))
check_eq connect_refused_is_attempt_fails "$(d connect-refused)" "$(($(mib Tcp AttemptFails) - f0))"
check_eq connect_refused "$(d connect-refused)" $R
check_eq accept_refused "$(d accept-refused)" $R
check_eq resets_sent_is_out_rsts "$(d resets-sent)" "$(($(mib Tcp OutRsts) - o0))"
check_eq resets_received "$(d resets-received)" $R
# Every segment reached a socket but the R SYNs to the closed port.
check_eq receive_is_in_segs "$(($(d receive) + R))" "$(($(mib Tcp InSegs) - i0))"
# Loopback normally retransmits nothing, but a guest starved by its host
# can fire an RTO: then socktap and the MIB both count it.
check_eq retransmits_are_mib "$(d retransmit-segments)" "$(($(mib Tcp RetransSegs) - r0))"
# Per connection 10 changes (5 each side), 2 per refused connect
# (CLOSE > SYN_SENT > CLOSE), 2 per listener (CLOSE > LISTEN > CLOSE).
check_eq state_changes "$(d state-change)" $((10 * (N4 + N6) + 2 * R + 2 * 2))

# ---- a reset on close with unread data: the closer sends, the peer gets it
rs0=$(tcpc resets-sent) rr0=$(tcpc resets-received) o0=$(mib Tcp OutRsts)
rst_ports=$(python3 - <<'EOF'
import os, socket, time
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(1)
c = socket.create_connection(l.getsockname())
s, _ = l.accept()
c.sendall(b"unread")
time.sleep(0.1)
s.close()          # unread data: RST instead of FIN
time.sleep(0.1)
try:
    c.recv(10)
    raise SystemExit("no reset seen by the peer")
except ConnectionResetError:
    pass
print(os.getpid(), l.getsockname()[1], c.getsockname()[1])
c.close(); l.close()
EOF
)
check_eq unread_close_script "$?" 0
read -r rst_pid rst_lport rst_cport <<< "$rst_ports"
check_eq unread_close_rst_sent "$(($(tcpc resets-sent) - rs0))" 1
check_eq unread_close_out_rsts "$(($(mib Tcp OutRsts) - o0))" 1
check_eq unread_close_rst_received "$(($(tcpc resets-received) - rr0))" 1

# ---- backlog: listen(1), never accept, 6 connects: the accept queue fills
# and further handshakes are dropped (the kernel's ListenOverflows)
lo0=$(mib TcpExt ListenOverflows) t0=$(tcpc listen-overflows)
sr0=$(mib TcpExt TCPSynRetrans) rs0=$(tcpc retransmits-syn) ra0=$(tcpc retransmits-synack)
rseg0=$(mib Tcp RetransSegs) seg0=$(tcpc retransmit-segments)
out=$(python3 - <<'EOF'
import os, socket, time
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(1)
cs = []
for _ in range(6):
    c = socket.socket(); c.setblocking(False)
    c.connect_ex(l.getsockname()); cs.append(c)
time.sleep(2.5)       # SYNs are retransmitted after 1 s and 3 s
print(os.getpid(), l.getsockname()[1])
EOF
)
read -r lpid lport <<< "$out"
ov=$(($(tcpc listen-overflows) - t0))
check_eq overflow_is_listen_overflows "$ov" "$(($(mib TcpExt ListenOverflows) - lo0))"
if [ "$ov" -gt 0 ]; then pass overflow_seen; else fail overflow_seen "no overflow"; fi
row=$(awk -v p="$lport" '$1 == p' $DBG/listeners)
check_eq listener_row_pid "$(echo "$row" | awk '{ print $4 }')" "$lpid"
check_eq listener_row_backlog "$(echo "$row" | awk '{ print $6 }')" 1
check_eq listener_row_overflows "$(echo "$row" | awk '{ print $8 }')" "$ov"
syn_bl=$(($(tcpc retransmits-syn) - rs0))
check_eq syn_retrans_is_mib "$((syn_bl + $(tcpc retransmits-synack) - ra0))" "$(($(mib TcpExt TCPSynRetrans) - sr0))"
check_eq retrans_segs_is_mib "$(($(tcpc retransmit-segments) - seg0))" "$(($(mib Tcp RetransSegs) - rseg0))"

# ---- retransmissions under 10 % loss between two namespaces
modprobe veth; modprobe sch_netem
ip netns add stA; ip netns add stB
ip link add a0 netns stA type veth peer name b0 netns stB
ip -n stA addr add 192.0.2.1/24 dev a0; ip -n stB addr add 192.0.2.2/24 dev b0
ip -n stA link set a0 up; ip -n stB link set b0 up
ip -n stA link set lo up; ip -n stB link set lo up
ip netns exec stA tc qdisc add dev a0 root netem loss 10%
ip netns exec stB python3 -c '
import socket
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("192.0.2.2", 5001)); l.listen(8)
for _ in range(3):
    s, _ = l.accept()
    while s.recv(65536):
        pass
    s.close()' &
srv=$!
sleep 1
bpftrace -q /usr/sbin/tcpretrans.bt > /tmp/bt.out 2>/tmp/bt.err &
bt=$!
# bpftrace attaches in a few seconds under emulation; wait for its header.
for _ in $(seq 60); do grep -q LADDR /tmp/bt.out 2>/dev/null && break; sleep 0.5; done
r0=$(tcpc retransmits) seg0=$(tcpc retransmit-segments) tlp0=$(tcpc loss-probes)
rto0=$(tcpc retransmits-rto) fast0=$(tcpc retransmits-fast) tr0=$(tcpc retransmits-tlp)
syn0=$(tcpc retransmits-syn) sa0=$(tcpc retransmits-synack) oth0=$(tcpc retransmits-other)
# The counters are global, the MIB per namespace: add up all three.
allmib() { echo $(($(mib "$1" "$2") + $(nmib stA "$1" "$2") + $(nmib stB "$1" "$2"))); }
mr0=$(allmib Tcp RetransSegs) ml0=$(allmib TcpExt TCPLossProbes)
ms0=$(allmib TcpExt TCPSynRetrans)
ip netns exec stA python3 -c '
import socket
for _ in range(3):
    c = socket.create_connection(("192.0.2.2", 5001))
    c.sendall(b"x" * 300000)
    c.close()'
check_eq lossy_transfer "$?" 0
wait $srv
# Retransmissions may go on after the server has read everything (a
# client's loss probe racing the last ACK, the server's FIN again from
# LAST-ACK after a lost ACK): the counters are read once only sockets
# that send nothing more are left (TIME-WAIT, FIN-WAIT-2).
busy() {
	for n in stA stB; do
		ip netns exec $n ss -tanH state connected exclude time-wait exclude fin-wait-2
	done
}
for _ in $(seq 120); do [ -z "$(busy)" ] && break; sleep 0.5; done
check_eq lossy_sockets_quiet "$(busy)" ""
sleep 1
kill -INT $bt; wait $bt
segs=$(($(tcpc retransmit-segments) - seg0))
rtx=$(($(tcpc retransmits) - r0))
mib_segs=$(($(allmib Tcp RetransSegs) - mr0))
if [ "$rtx" -gt 0 ]; then pass retransmits_seen; else fail retransmits_seen "none under 10% loss"; fi
check_eq retrans_segs_is_retrans_segs_mib "$segs" "$mib_segs"
check_eq loss_probes_is_mib "$(($(tcpc loss-probes) - tlp0))" "$(($(allmib TcpExt TCPLossProbes) - ml0))"
check_eq syn_retrans_is_mib_lossy "$(($(tcpc retransmits-syn) - syn0 + $(tcpc retransmits-synack) - sa0))" \
	"$(($(allmib TcpExt TCPSynRetrans) - ms0))"
check_eq retrans_types_sum "$(($(tcpc retransmits-rto) - rto0 + $(tcpc retransmits-fast) - fast0 + $(tcpc retransmits-tlp) - tr0 + $(tcpc retransmits-syn) - syn0 + $(tcpc retransmits-synack) - sa0 + $(tcpc retransmits-other) - oth0))" "$rtx"
# bpftrace's tcpretrans.bt is a kprobe on tcp_retransmit_skb: it sees
# every attempt, also those TCP small queues turn back before anything is
# sent (-EAGAIN, not in RetransSegs, no tracepoint), and no TLP (that goes
# through __tcp_retransmit_skb) or SYN-ACK (tcp_rtx_synack).  So it sees at
# least our non-TLP, non-SYN-ACK retransmissions.
bt_lines=$(grep -cE '192\.0\.2\.[12]' /tmp/bt.out)
ours=$(($(tcpc retransmits-rto) - rto0 + $(tcpc retransmits-fast) - fast0 + $(tcpc retransmits-syn) - syn0 + $(tcpc retransmits-other) - oth0))
if [ "$bt_lines" -ge "$ours" ] && [ "$ours" -gt 0 ]; then
	pass bpftrace_tcpretrans_count
else
	fail bpftrace_tcpretrans_count "bpftrace $bt_lines, socktap $ours"
fi
# (A starved guest may also retransmit on loopback: those lines are real.)
check_eq bpftrace_only_this_flow "$(grep -cvE '^(TIME|Tracing|$)|192\.0\.2\.1:[0-9]+ +192\.0\.2\.2:5001 |127\.0\.0\.1:|::1\]?:' /tmp/bt.out)" 0
ip netns del stA; ip netns del stB

# ---- per-segment records, streamed while a port filter narrows them
"$SOCKTAP" filter -P 7070 > /dev/null
"$SOCKTAP" watch send -j -d 60 > /tmp/w_send.json 2>/dev/null & ws=$!
"$SOCKTAP" watch receive -j -d 60 > /tmp/w_recv.json 2>/dev/null & wr=$!
sleep 1
sg0=$(tcpc send) rg0=$(tcpc receive)
python3 - <<'EOF'
import socket
l = socket.socket(); l.bind(("127.0.0.1", 7070)); l.listen(1)
c = socket.create_connection(("127.0.0.1", 7070)); s, _ = l.accept()
c.sendall(b"s" * 1000)
got = 0
while got < 1000:
    got += len(s.recv(4096))
c.close(); s.recv(1); s.close(); l.close()
EOF
# Stop the streams once the last delayed segments are in (the counters
# have not moved for 300 ms), so both sides saw the same segments.
for _ in $(seq 30); do
	s1="$(tcpc send) $(tcpc receive)"
	sleep 0.3
	[ "$s1" = "$(tcpc send) $(tcpc receive)" ] && break
done
sleep 0.5
kill -INT $ws $wr; wait $ws $wr
"$SOCKTAP" filter clear > /dev/null
check_eq send_events_segments "$($Q "sum(e['segs'] for e in d)" < /tmp/w_send.json)" "$(($(tcpc send) - sg0))"
check_eq send_events_payload "$($Q "sum(e['tx_bytes'] for e in d if e['dport'] == 7070)" < /tmp/w_send.json)" 1000
check_eq receive_events_count "$($Q "len(d)" < /tmp/w_recv.json)" "$(($(tcpc receive) - rg0))"
check_eq receive_events_payload "$($Q "sum(e['rx_bytes'] for e in d if e['sport'] == 7070)" < /tmp/w_recv.json)" 1000
check_eq segment_events_only_port "$($Q "len([e for e in d if 7070 not in (e['sport'], e['dport'])])" < /tmp/w_send.json)" 0

# ---- the streams saw the same, with flows, owners and causes
sleep 1
for t in state accept reset overflow retrans; do eval "kill -INT \$w_$t"; done
wait
J() { $Q "$2" < "/tmp/w_$1.json"; }
# Client, then server side, of oneconn.py's connection.
check_eq state_seq_client "$(J state "[(e['oldstate'], e['newstate']) for e in d if e['dport'] == $seq_lport and e['sport'] in (0, $seq_cport)]")" \
	"[('CLOSE', 'SYN_SENT'), ('SYN_SENT', 'ESTABLISHED'), ('ESTABLISHED', 'FIN_WAIT1'), ('FIN_WAIT1', 'FIN_WAIT2'), ('FIN_WAIT2', 'CLOSE')]"
# The listener and its child, in order: the child's first change
# (LISTEN > SYN_RECV) fires inside the clone, before (7.x) or after (older
# kernels) its peer's port is set, so it is matched by either.
check_eq state_seq_server "$(J state "[(e['oldstate'], e['newstate']) for e in sorted(d, key=lambda e: e['time_ns']) if e['sport'] == $seq_lport and e['dport'] in (0, $seq_cport)]")" \
	"[('CLOSE', 'LISTEN'), ('LISTEN', 'SYN_RECV'), ('SYN_RECV', 'ESTABLISHED'), ('ESTABLISHED', 'CLOSE_WAIT'), ('CLOSE_WAIT', 'LAST_ACK'), ('LAST_ACK', 'CLOSE'), ('LISTEN', 'CLOSE')]"
# Accepts: sockload, oneconn, the unread close, the lossy server, port 7070.
check_eq accept_events "$(J accept "len(d)")" $((N4 + N6 + 1 + 1 + 3 + 1))
check_eq accept_events_sockload_ports "$(J accept "len([e for e in d if e['pid'] == $sl_spid and e['sport'] in ($sl_port4, $sl_port6) and e['backlog_max'] == 1024])")" $((N4 + N6))
# The unread close: one RST sent by the closer, one received by the peer.
check_eq reset_sent_event "$(J reset "[(e['pid'], e['sport'], e['dport']) for e in d if e['direction'] == 'sent' and $rst_lport in (e['sport'], e['dport'])]")" "[($rst_pid, $rst_lport, $rst_cport)]"
check_eq reset_received_event "$(J reset "[(e['sport'], e['dport']) for e in d if e['direction'] == 'received' and $rst_lport in (e['sport'], e['dport'])]")" "[($rst_cport, $rst_lport)]"
# Overflows: all on the listen(1) port, owned by the process that listened.
check_eq overflow_events "$(J overflow "len([e for e in d if e['sport'] == $lport and e['pid'] == $lpid and e['backlog_max'] == 1 and e['queue'] == 'accept'])")" "$ov"
# Retransmissions: the backlog test's SYNs, else all on the lossy flow,
# a TLP once each.
lossy="(e['saddr'] == '192.0.2.1' and e['daddr'] == '192.0.2.2' and e['dport'] == 5001) or (e['saddr'] == '192.0.2.2' and e['sport'] == 5001)"
check_eq retrans_events_backlog_syns "$(J retrans "len([e for e in d if e['dport'] == $lport and e['retrans_type'] == 'syn'])")" "$syn_bl"
check_eq retrans_events_flow "$(J retrans "len([e for e in d if not ($lossy) and e['dport'] != $lport and e['saddr'] not in ('127.0.0.1', '::1')])")" 0
check_eq retrans_events_non_tlp "$(J retrans "len([e for e in d if ($lossy) and e['retrans_type'] != 'tlp'])")" "$((rtx - ($(tcpc retransmits-tlp) - tr0)))"
check_eq retrans_events_tlp "$(J retrans "len([e for e in d if ($lossy) and e['retrans_type'] == 'tlp'])")" "$(($(tcpc loss-probes) - tlp0))"
st=$("$SOCKTAP" status -j)
check_eq stream_nothing_lost "$(echo "$st" | $Q '(d["events"]["lost"], d["events"]["undelivered"])')" "(0, 0)"

check_cmd rmmod rmmod socktap
check_eq dmesg_clean "$(dmesg_bad)" ""
finish
