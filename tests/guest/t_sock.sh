#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Socket layer: per-process connections and I/O, latency histograms and the
# connect/life streams, against exact traffic and the kernel's MIB.
. "$GUEST_DIR/lib.sh"

Q="python3 $GUEST_DIR/jq.py"
LOAD="python3 $GUEST_DIR/sockload.py"
N4=4 N6=3 R=2 B=3 J=7 K=70000 J6=5 K6=5005 U=6 S=123

check_cmd load load

# `hist lifetime` shows lifetime and lifetime-established.
hist_count() { "$SOCKTAP" hist -j "${1%-established}" | $Q "hist('$1')['count']"; }

# Streams: subscribe before the traffic (both watchers stop on their own).
"$SOCKTAP" watch connect -j -d 60 > /tmp/connect.json 2>/tmp/connect.err &
wc_pid=$!
"$SOCKTAP" watch life -j -d 60 > /tmp/life.json 2>/tmp/life.err &
wl_pid=$!
sleep 1

a0=$(mib Tcp ActiveOpens) p0=$(mib Tcp PassiveOpens) f0=$(mib Tcp AttemptFails)
uo0=$(mib Udp OutDatagrams) ui0=$(mib Udp InDatagrams)
hc0=$(hist_count connect) ha0=$(hist_count connect-async)
out=$($LOAD --v4 $N4 --v6 $N6 --refused $R --nonblock $B --writes $J --bytes $K \
	--writes6 $J6 --bytes6 $K6 --udp $U --udp-size $S)
check_eq sockload_ran "$?" 0
cpid=$(echo "$out" | $Q 'd["client_pid"]')
spid=$(echo "$out" | $Q 'd["server_pid"]')
top=$("$SOCKTAP" top -n 1 -j)
c() { echo "$top" | $Q "proc($cpid).get('$1', 'absent')"; }
s() { echo "$top" | $Q "proc($spid).get('$1', 'absent')"; }
cio() { echo "$top" | $Q "io($cpid, '$1', '$2', '$3')"; }
sio() { echo "$top" | $Q "io($spid, '$1', '$2', '$3')"; }

# The client: what it did, exactly.
check_eq client_connect_ok "$(c connect_ok)" $((N4 + N6))
check_eq client_connect_inprogress "$(c connect_inprogress)" $B
check_eq client_connect_refused "$(c connect_refused)" $R
check_eq client_connect_error "$(c connect_error)" 0
check_eq client_accepts "$(c accepts)" 0
check_eq client_opened "$(c created)" $((N4 + N6 + R + B + 1))
check_eq client_closed "$(c closed)" $((N4 + N6 + R + B + 1))
check_eq client_comm "$(c comm)" python3
check_eq client_netns "$(c netns)" "$(stat -L -c %i /proc/self/ns/net)"
check_eq client_tcp4_sends "$(cio tcp inet sends)" $J
check_eq client_tcp4_send_bytes "$(cio tcp inet send_bytes)" $K
check_eq client_tcp6_sends "$(cio tcp inet6 sends)" $J6
check_eq client_tcp6_send_bytes "$(cio tcp inet6 send_bytes)" $K6
check_eq client_udp4_sends "$(cio udp inet sends)" $U
check_eq client_udp4_send_bytes "$(cio udp inet send_bytes)" $((U * S))
check_eq client_tcp4_recvs "$(cio tcp inet recvs)" 0

# The server: accepts and what it read (its recv() count depends on timing).
check_eq server_accepts "$(s accepts)" $((N4 + N6 + B))
check_eq server_opened "$(s created)" $((4 + N4 + N6 + B))
check_eq server_closed "$(s closed)" $((4 + N4 + N6 + B))
check_eq server_connects "$(s connect_ok)$(s connect_refused)" 00
check_eq server_tcp4_recv_bytes "$(sio tcp inet recv_bytes)" $K
check_eq server_tcp6_recv_bytes "$(sio tcp inet6 recv_bytes)" $K6
check_eq server_udp4_recvs "$(sio udp inet recvs)" $U
check_eq server_udp4_recv_bytes "$(sio udp inet recv_bytes)" $((U * S))
check_eq server_says_tcp_bytes "$(echo "$out" | $Q 'd["server"]["tcp_rx"]')" $((K + K6))

# The kernel's own counters agree.
check_eq mib_active_opens "$(($(mib Tcp ActiveOpens) - a0))" $((N4 + N6 + R + B))
check_eq mib_passive_opens "$(($(mib Tcp PassiveOpens) - p0))" $((N4 + N6 + B))
check_eq mib_attempt_fails "$(($(mib Tcp AttemptFails) - f0))" $R
check_eq mib_udp_out "$(($(mib Udp OutDatagrams) - uo0))" $U
check_eq mib_udp_in "$(($(mib Udp InDatagrams) - ui0))" $U
check_eq connects_equal_active_opens \
	"$(($(c connect_ok) + $(c connect_inprogress) + $(c connect_refused)))" \
	"$(($(mib Tcp ActiveOpens) - a0))"

# Histograms: one connect sample per connect(), one async per non-blocking.
check_eq hist_connect_count "$(($(hist_count connect) - hc0))" $((N4 + N6 + R + B))
check_eq hist_connect_async_count "$(($(hist_count connect-async) - ha0))" $B

# The streams saw the same connects, with the caller's pid and results.
sleep 1
kill -INT $wc_pid $wl_pid; wait $wc_pid $wl_pid
ev() { $Q "$1" < /tmp/connect.json; }
check_eq watch_connect_count "$(ev "len([e for e in d if e['pid'] == $cpid])")" $((N4 + N6 + R + B))
check_eq watch_connect_ok "$(ev "len([e for e in d if e['pid'] == $cpid and e['result'] == 0])")" $((N4 + N6))
check_eq watch_connect_inprogress "$(ev "len([e for e in d if e['pid'] == $cpid and e['result'] == -115])")" $B
check_eq watch_connect_refused "$(ev "len([e for e in d if e['pid'] == $cpid and e['result'] == -111])")" $R
check_eq watch_connect_v6 "$(ev "len([e for e in d if e['pid'] == $cpid and e['family'] == 'inet6' and e['daddr'] == '::1'])")" $N6
check_eq watch_connect_refused_port "$(ev "sorted(set(e['dport'] for e in d if e['pid'] == $cpid and e['result'] == -111)) == [$(echo "$out" | $Q 'd["closed_port"]')]")" True
lf() { $Q "$1" < /tmp/life.json; }
# Every established connection ends in one record per side.
check_eq watch_life_client "$(lf "len([e for e in d if e['pid'] == $cpid])")" $((N4 + N6 + B))
check_eq watch_life_server "$(lf "len([e for e in d if e['pid'] == $spid])")" $((N4 + N6 + B))
check_eq watch_life_client_tx "$(lf "sum(e['tx_bytes'] for e in d if e['pid'] == $cpid)")" $((K + K6))
check_eq watch_life_server_rx "$(lf "sum(e['rx_bytes'] for e in d if e['pid'] == $spid)")" $((K + K6))
check_eq watch_life_server_lport "$(lf "sorted(set(e['sport'] for e in d if e['pid'] == $spid and e['family'] == 'inet')) == [$(echo "$out" | $Q 'd["port4"]')]")" True
st=$("$SOCKTAP" status -j)
check_eq events_lost "$(echo "$st" | $Q 'd["events"]["lost"]')" 0
check_eq events_undelivered "$(echo "$st" | $Q 'd["events"]["undelivered"]')" 0

hist_json() { "$SOCKTAP" hist -j "${1%-established}"; }

# First byte 45 ms after the connection: bucket [2^25, 2^26) ns (33.5-67
# ms), or a higher one no higher than what the client measured from
# before its connect() to the byte (a slow kernel stretches the 45 ms).
f0=$(hist_count first-byte) h0=$(hist_json first-byte)
out=$($LOAD --delay-first-ms 45)
hi=$(echo "$out" | $Q "log2(d['first_byte_ms'])")
echo "INFO first byte: client measured $(echo "$out" | $Q "round(d['first_byte_ms'], 3)") ms (bucket $hi)"
check_eq first_byte_count "$(($(hist_count first-byte) - f0))" 1
check_eq first_byte_bucket_32ms_to_measured \
	"$(bucket_delta "$h0" "$(hist_json first-byte)" 25 "$hi" first-byte)" 1

# A connection held 90 ms: both sides' established lifetimes land in
# [2^26, 2^27) ns (67-134 ms), or no higher than the bucket of what the
# client measured from before connect() to the server's close; listeners
# never establish.
l0=$(hist_count lifetime-established) h0=$(hist_json lifetime-established)
out=$($LOAD --hold-ms 90)
hi=$(echo "$out" | $Q "log2(d['hold_ms'])")
echo "INFO held connection: client measured $(echo "$out" | $Q "round(d['hold_ms'], 3)") ms (bucket $hi)"
check_eq lifetime_est_count "$(($(hist_count lifetime-established) - l0))" 2
check_eq lifetime_est_bucket_64ms_to_measured \
	"$(bucket_delta "$h0" "$(hist_json lifetime-established)" 26 "$hi" lifetime-established)" 2

# The debugfs views agree with netlink.
check_grep debugfs_procs_row "^$cpid +0 +python3 " "$(cat $DBG/procs)"
check_grep debugfs_hist "^@connect_ns: count $(hist_count connect)" "$(cat $DBG/hist)"

check_cmd rmmod rmmod socktap
check_eq dmesg_clean "$(dmesg_bad)" ""
finish
