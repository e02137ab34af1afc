#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Network namespaces and the in-kernel filter: connect latency across a
# veth pair with netem delay, then the netns, pid and port filters
# against exact traffic, and owned filters that end with their command.
#
# +--------------------------------+           +--------------------------------+
# | $NC: "socktap-cli"             |           | $NS: "socktap-srv"             |
# |                                |           |                                |
# |  python3 netpeer.py connect    |           |  python3 netpeer.py listen     |
# |       |                        |           |       ^                        |
# |  +----+---------------------+  |   veth    |  +----+---------------------+  |
# |  | stc0  192.0.2.1/24       |==|===========|==| sts0  192.0.2.2/24       |  |
# |  |       2001:db8::1/64     |  |           |  |       2001:db8::2/64     |  |
# |  | qdisc netem delay 20ms   |  |           |  |                          |  |
# |  +--------------------------+  |           |  +--------------------------+  |
# +--------------------------------+           +--------------------------------+
#
# netem delays what leaves stc0 (the SYN, not the SYN-ACK), so a blocking
# connect() from $NC takes 20 ms and a bit.  Neighbour entries are
# permanent, so no connect() waits for ARP or neighbour discovery.  The
# init namespace (loopback) holds the other listeners and connectors.
. "$GUEST_DIR/lib.sh"

Q="python3 $GUEST_DIR/jq.py"
PEER="python3 $GUEST_DIR/netpeer.py"
NC=socktap-cli NS=socktap-srv
W=/tmp/netns
bgpids=""

cleanup() {
	"$SOCKTAP" filter clear >/dev/null 2>&1
	# Only what this script started.
	for p in $bgpids; do kill "$p" 2>/dev/null; done
	ip netns del $NC 2>/dev/null
	ip netns del $NS 2>/dev/null
}
trap cleanup EXIT
mkdir -p $W

# bg NAME CMD...: CMD in the background, output in $W/NAME; once the
# helper printed its first line ({"pid": ...}) that is in $line and the
# background job (the helper itself: ip netns exec execs) in $job.
bg() {
	local f=$W/$1
	shift
	"$@" >"$f" 2>"$f.err" &
	job=$!
	bgpids="$bgpids $job"
	line='{"pid": 0, "port": 0}'
	for _ in $(seq 200); do
		[ -s "$f" ] && { line=$(head -1 "$f"); return; }
		sleep 0.05
	done
}
field() { $Q "d['$1']"; }
# (dstat reads debugfs: no socket call, so it does not add to the
# filtered count it reads.)
# (hist and top note on stderr that a filter is set: kept out of the log.)
hist_count() { "$SOCKTAP" hist -j connect 2>>$W/cli.err | $Q "d['count']"; }
hist_json() { "$SOCKTAP" hist -j connect 2>>$W/cli.err; }
top_json() { top=$("$SOCKTAP" top -n 1 -j 2>>$W/cli.err); }
# p PID KEY: one counter of a process row ('absent' without a row).
p() { echo "$top" | $Q "proc($1).get('$2', 'absent')"; }
recvs() { echo "$top" | $Q "io($1, 'tcp', 'inet', 'recvs')"; }
has_row() { echo "$top" | $Q "proc($1) != {}"; }

# ---- topology
check_cmd modprobe modprobe -a veth sch_netem
ip netns add $NC && ip netns add $NS
ip link add stc0 netns $NC type veth peer name sts0 netns $NS
ip -n $NC addr add 192.0.2.1/24 dev stc0
ip -n $NC addr add 2001:db8::1/64 dev stc0 nodad
ip -n $NS addr add 192.0.2.2/24 dev sts0
ip -n $NS addr add 2001:db8::2/64 dev sts0 nodad
for n in $NC $NS; do ip -n $n link set lo up; done
ip -n $NC link set stc0 up
ip -n $NS link set sts0 up
mac_c=$(ip netns exec $NC cat /sys/class/net/stc0/address)
mac_s=$(ip netns exec $NS cat /sys/class/net/sts0/address)
ip -n $NC neigh replace 192.0.2.2 lladdr "$mac_s" dev stc0 nud permanent
ip -n $NC neigh replace 2001:db8::2 lladdr "$mac_s" dev stc0 nud permanent
ip -n $NS neigh replace 192.0.2.1 lladdr "$mac_c" dev sts0 nud permanent
ip -n $NS neigh replace 2001:db8::1 lladdr "$mac_c" dev sts0 nud permanent
tc -n $NC qdisc add dev stc0 root netem delay 20ms
check_grep netem_on "qdisc netem .* delay 20ms" "$(tc -n $NC qdisc show dev stc0)"
ino=$(stat -L -c %i /run/netns/$NC)
check_eq netns_distinct "$([ "$ino" != "$(stat -L -c %i /proc/self/ns/net)" ] && echo yes)" yes

dmesg -C
check_cmd load load

# ---- (a) connect() across the delayed veth: one sample in [2^24, 2^25) ns
bg srv ip netns exec $NS $PEER listen 192.0.2.2 2001:db8::2
srv=$line
port=$(echo "$srv" | field port)
# The first connects of a boot run untranslated code (TCG) and take longer.
ip netns exec $NC $PEER connect -n 2 --eof 192.0.2.2 "$port" 2001:db8::2 "$port" >/dev/null
for a in 192.0.2.2 2001:db8::2; do
	fam=v4; [ "$a" = 2001:db8::2 ] && fam=v6
	c0=$(hist_count) h0=$(hist_json)
	out=$(ip netns exec $NC $PEER connect --eof "$a" "$port" | tail -1)
	check_eq "connect_${fam}_ran" "$(echo "$out" | field ok)" 1
	# The 20 ms delay puts the sample in [2^24, 2^25) ns, or a bucket
	# no higher than that of the connect() the peer timed around it (a
	# slow kernel stretches the 20 ms).
	hi=$(echo "$out" | $Q "log2(d['ms'][0])")
	echo "INFO connect $fam across netem: $(echo "$out" | $Q "d['ms'][0]") ms (bucket $hi)"
	check_eq "hist_connect_${fam}_one_sample" "$(($(hist_count) - c0))" 1
	check_eq "hist_connect_${fam}_bucket_16ms_to_measured" \
		"$(bucket_delta "$h0" "$(hist_json)" 24 "$hi")" 1
done

# ---- (b) netns filter: N connects in $NC count, M in the init ns do not
N=5 M=7
bg lsrv $PEER listen 127.0.0.1
lsrv=$line
lport=$(echo "$lsrv" | field port)
lpid=$(echo "$lsrv" | field pid)
rm -f $W/go.b
bg nsc ip netns exec $NC $PEER connect --go $W/go.b -n $N --eof 192.0.2.2 "$port"
nsc=$(echo "$line" | field pid) nsc_job=$job
bg inc $PEER connect --go $W/go.b -n $M --eof 127.0.0.1 "$lport"
inc=$(echo "$line" | field pid) inc_job=$job
check_cmd filter_netns_set "$SOCKTAP" filter -N "$ino"
check_eq filter_netns_shown "$("$SOCKTAP" filter -j | $Q "(d['pid'], d['port'], d['netns'])")" "(0, 0, $ino)"
s0=$("$SOCKTAP" status -j | $Q "d['filter']['filtered']")
f0=$(dstat filtered)
touch $W/go.b
wait "$nsc_job" "$inc_job"
f1=$(dstat filtered)
check_eq netns_client_ran "$(tail -1 $W/nsc | field ok)" $N
check_eq init_client_ran "$(tail -1 $W/inc | field ok)" $M
top_json
check_eq netns_proc_connects "$(p "$nsc" connect_ok)" $N
check_eq netns_proc_created "$(p "$nsc" created)" $N
check_eq netns_proc_closed "$(p "$nsc" closed)" $N
check_eq netns_proc_recvs "$(recvs "$nsc")" $N
check_eq netns_proc_netns "$(p "$nsc" netns)" "$ino"
check_eq init_proc_connects "$(echo "$top" | $Q "proc($inc).get('connect_ok', 0)")" 0
check_eq init_proc_no_row "$(has_row "$inc")" False
# Skipped by the socket layer alone: in the server's namespace accept and
# close per connection; in the init namespace the client's socket,
# connect, recv and close and the server's accept and close.  The TCP
# layer's handlers skip more (per packet and state change): at least.
check_eq netns_filtered_min "$((f1 - f0 >= 2 * N + 6 * M))" 1
s1=$("$SOCKTAP" status -j | $Q "d['filter']['filtered']")
check_eq status_filtered_grew "$((s1 - s0 >= 2 * N + 6 * M))" 1
check_cmd filter_netns_path "$SOCKTAP" filter -N /run/netns/$NC
check_eq filter_netns_path_inode "$("$SOCKTAP" filter -j | field netns)" "$ino"
check_cmd filter_clear_b "$SOCKTAP" filter clear
check_eq filter_cleared_b "$("$SOCKTAP" filter -j | $Q "(d['pid'], d['port'], d['netns'])")" "(0, 0, 0)"

# ---- (c) pid filter: two concurrent connectors, only the first counts
K1=6 K2=9
rm -f $W/go.c
bg pa $PEER connect --go $W/go.c -n $K1 --eof 127.0.0.1 "$lport"
pa=$(echo "$line" | field pid) pa_job=$job
bg pb $PEER connect --go $W/go.c -n $K2 --eof 127.0.0.1 "$lport"
pb=$(echo "$line" | field pid) pb_job=$job
check_cmd filter_pid_set "$SOCKTAP" filter -p "$pa"
check_eq filter_pid_shown "$("$SOCKTAP" filter -j | field pid)" "$pa"
h0=$(hist_count)
f0=$(dstat filtered)
touch $W/go.c
wait "$pa_job" "$pb_job"
f1=$(dstat filtered)
check_eq pid_clients_ran "$(tail -1 $W/pa | field ok)+$(tail -1 $W/pb | field ok)" "$K1+$K2"
top_json
check_eq pid_proc_connects "$(p "$pa" connect_ok)" $K1
check_eq pid_proc_created "$(p "$pa" created)" $K1
check_eq pid_proc_closed "$(p "$pa" closed)" $K1
check_eq pid_proc_recvs "$(recvs "$pa")" $K1
check_eq pid_other_connects "$(echo "$top" | $Q "proc($pb).get('connect_ok', 0)")" 0
check_eq pid_other_no_row "$(has_row "$pb")" False
check_eq pid_hist_connect "$(($(hist_count) - h0))" $K1
# At least: the other client's socket, connect, recv, close; the
# server's accept and close of every connection.
check_eq pid_filtered_min "$((f1 - f0 >= 4 * K2 + 2 * (K1 + K2)))" 1
check_cmd filter_clear_c "$SOCKTAP" filter clear

# ---- (d) port filter: connects to one port count, to another do not
KA=4 KB=8
bg lsrv2 $PEER listen 127.0.0.1
lsrv2=$line
lport2=$(echo "$lsrv2" | field port)
lpid2=$(echo "$lsrv2" | field pid)
rm -f $W/go.d
# Per round one connection to lport, two to lport2.
bg pc $PEER connect --go $W/go.d -n $KA --eof 127.0.0.1 "$lport" \
	127.0.0.1 "$lport2" 127.0.0.1 "$lport2"
pc=$(echo "$line" | field pid) pc_job=$job
check_cmd filter_port_set "$SOCKTAP" filter -P "$lport"
check_eq filter_port_shown "$("$SOCKTAP" filter -j | field port)" "$lport"
h0=$(hist_count)
f0=$(dstat filtered)
touch $W/go.d
wait "$pc_job"
f1=$(dstat filtered)
check_eq port_client_ran "$(tail -1 $W/pc | field ok)" $((KA + KB))
top_json
check_eq port_proc_connects "$(p "$pc" connect_ok)" $KA
# socket() has no port yet: a port filter counts from connect() on.
check_eq port_proc_created "$(p "$pc" created)" 0
check_eq port_proc_closed "$(p "$pc" closed)" $KA
check_eq port_proc_recvs "$(recvs "$pc")" $KA
# The first listener accepted nothing unfiltered before (b and c filtered
# its accepts); the second's listening socket predates the filter.
check_eq port_server_accepts "$(p "$lpid" accepts)" $KA
check_eq port_server_closed "$(p "$lpid" closed)" $KA
check_eq port_other_server_accepts "$(p "$lpid2" accepts)" 0
check_eq port_other_server_created "$(p "$lpid2" created)" 1
check_eq port_hist_connect "$(($(hist_count) - h0))" $KA
# At least: every socket(); to the other port connect, recv, close,
# accept, close.
check_eq port_filtered_min "$((f1 - f0 >= KA + KB + 5 * KB))" 1
check_cmd filter_clear_d "$SOCKTAP" filter clear

# ---- (e) owned filters end with the command that set them
"$SOCKTAP" top -p "$lpid" -n 3 -d 1 -j >/dev/null 2>$W/top.err &
tp=$!
seen=0
for _ in $(seq 40); do
	[ "$(dstat filter_pid)" = "$lpid" ] && { seen=$lpid; break; }
	sleep 0.05
done
check_eq owned_filter_while_running "$seen" "$lpid"
wait $tp
check_eq owned_top_exit "$?" 0
check_eq owned_filter_gone "$("$SOCKTAP" filter -j | $Q "(d['pid'], d['port'], d['netns'])")" "(0, 0, 0)"
check_cmd owned_top_n1 "$SOCKTAP" top -p "$lpid" -n 1 -d 1
check_eq owned_filter_gone_n1 "$("$SOCKTAP" filter -j | field pid)" 0
# Killed, not ended: closing its socket still clears the filter.
"$SOCKTAP" top -p "$lpid" -d 1 >/dev/null 2>&1 &
tp=$!
seen=0
for _ in $(seq 40); do
	[ "$(dstat filter_pid)" = "$lpid" ] && { seen=$lpid; break; }
	sleep 0.05
done
check_eq owned_filter_before_kill "$seen" "$lpid"
kill -KILL $tp
wait $tp 2>/dev/null
check_eq owned_filter_gone_after_kill "$(dstat filter_pid)" 0
# A filter set by `socktap filter` is not owned: it outlives the command.
"$SOCKTAP" filter -P 9 >/dev/null
check_eq persistent_filter_stays "$(dstat filter_port)" 9

check_cmd filter_clear "$SOCKTAP" filter clear
check_eq filter_cleared "$("$SOCKTAP" filter -j | $Q "(d['pid'], d['port'], d['netns'])")" "(0, 0, 0)"
cleanup
trap - EXIT
check_cmd rmmod rmmod socktap
check_eq dmesg_clean "$(dmesg_bad)" ""
finish
