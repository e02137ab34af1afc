#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Table capacities: a full socket table counts the sockets it cannot
# track, frees entries after a grace period and never grows; a full
# process table counts the events of the processes it cannot hold;
# out-of-range capacities are refused at load with the parameter named.
. "$GUEST_DIR/lib.sh"

Q="python3 $GUEST_DIR/jq.py"
W=/tmp/capacity
mkdir -p $W
bgpids=""
cleanup() {
	for p in $bgpids; do kill "$p" 2>/dev/null; done
}
trap cleanup EXIT

st() { "$SOCKTAP" status -j | $Q "d['tables']$1"; }
# hold CMD: one command to the socket holder; its answer in $reply.
hold() {
	reply="no answer"
	echo "$*" >&"${HOLD[1]}"
	read -r -t 300 reply <&"${HOLD[0]}"
}
# Module memory: Percpu from meminfo, and size and caller of every
# vmalloc area socktap's code allocated.
percpu() { meminfo Percpu; }
missed() { awk -v n="$1" '$1 == n { print $5 }' $DBG/probes; }
vmareas() { awk '/\[socktap\]/ { print $2, $3 }' /proc/vmallocinfo | sort; }

dmesg -C

# ---- socket table: 64 entries, 100 sockets
check_cmd load_sock64 load sock_capacity=64
check_eq sock_capacity "$(st "['sockets']['capacity']")" 64
coproc HOLD { exec python3 "$GUEST_DIR/sockhold.py"; }
bgpids="$bgpids $HOLD_PID"
hold open 100
check_eq hold_open_100 "$reply" "ok open"
check_eq sock_used_full "$(st "['sockets']['used']")" 64
check_eq sock_untracked_36 "$(st "['sockets']['untracked']")" 36
hold close
check_eq hold_close "$reply" "ok close"
# Entries are freed after an RCU grace period.
wait_dstat sock_used 0
check_eq sock_used_after_close "$(st "['sockets']['used']")" 0
check_eq sock_untracked_kept "$(st "['sockets']['untracked']")" 36
hold open 100
check_eq sock_used_full_again "$(st "['sockets']['used']")" 64
check_eq sock_untracked_72 "$(st "['sockets']['untracked']")" 72
hold close
wait_dstat sock_used 0
check_eq sock_used_after_close_again "$(st "['sockets']['used']")" 0

# ---- memory stays flat: 5000 sockets made and closed one by one
check_grep vmalloc_socktab_seen 'st_socktab_init' "$(vmareas)"
c0=$(hits sock_init_data) d0=$(hits inet_sock_destruct) dm0=$(missed inet_sock_destruct)
pc0=$(percpu) vm0=$(vmareas)
hold churn 5000
check_eq hold_churn "$reply" "ok churn"
wait_dstat sock_used 0
pc1=$(percpu) vm1=$(vmareas)
check_eq churn_created "$(($(hits sock_init_data) - c0))" 5000
check_eq churn_destructed "$(($(hits inet_sock_destruct) - d0))" 5000
check_eq churn_destruct_missed "$(($(missed inet_sock_destruct) - dm0))" 0
# (How many were untracked depends on timing: a closed socket's entry
# is free again only after an RCU grace period.)
check_eq churn_sock_used "$(st "['sockets']['used']")" 0
check_eq percpu_flat "$pc1" "$pc0"
check_eq vmalloc_flat "$vm1" "$vm0"
hold quit
check_eq hold_quit "$reply" "ok quit"
wait "$HOLD_PID"
check_eq hold_exit "$?" 0
check_cmd rmmod_sock64 rmmod socktap

# ---- process table: 16 slots, 20 processes
# The listener is up before the load and never accepts: its process makes
# no socket call the module sees, so the 20 connectors are the only
# processes it meets.  Each makes socket(), connect() and close(): three
# process-table lookups (created, connect, closed), and a process that
# finds the table full has each of them counted as dropped.
python3 "$GUEST_DIR/netpeer.py" listen --no-accept 127.0.0.1 >$W/lsn 2>&1 &
bgpids="$bgpids $!"
for _ in $(seq 200); do [ -s $W/lsn ] && break; sleep 0.05; done
port=$($Q "d['port']" <$W/lsn)
check_cmd load_proc16 load proc_capacity=16
pids="" ok=0
for _ in $(seq 20); do
	out=$(python3 "$GUEST_DIR/netpeer.py" connect 127.0.0.1 "$port" | tail -1)
	pids="$pids $(echo "$out" | $Q "d['pid']")"
	ok=$((ok + $(echo "$out" | $Q "d['ok']")))
done
check_eq proc_connects_made "$ok" 20
# debugfs first: on kernels with the sock_*_length tracepoints a CLI run
# makes netlink I/O the module counts, i.e. one more lookup (dropped).
check_eq proc_used_16 "$(dstat proc_used)" 16
check_eq proc_dropped_4x3 "$(dstat proc_dropped)" 12
check_eq proc_capacity "$(st "['processes']['capacity']")" 16
check_eq proc_used_cli "$(st "['processes']['used']")" 16
top=$("$SOCKTAP" top -n 1 -j)
first16=$(echo $pids | tr ' ' '\n' | head -16 | sort -n | tr '\n' ' ')
check_eq proc_rows_first16 "$(echo "$top" | $Q "' '.join(str(p) for p in sorted(r['pid'] for r in d['processes'])) + ' '")" "$first16"
check_eq proc_rows_exact "$(echo "$top" | $Q "sorted(set((r['created'], r['connect_ok'], r['closed']) for r in d['processes']))")" "[(1, 1, 1)]"
check_cmd rmmod_proc16 rmmod socktap

check_eq dmesg_clean_tables "$(dmesg_bad)" ""

# ---- capacities out of range are refused, naming the parameter
for p in sock_capacity=1 sock_capacity=4194305 proc_capacity=0 event_queue=1 event_delay=1001 maxactive=0 maxactive=4097; do
	dmesg -C
	if insmod "$KO" "$p" 2>/dev/null; then
		fail "refused_$p" "insmod accepted $p"
		rmmod socktap
	else
		pass "refused_$p"
	fi
	check_grep "refused_msg_$p" "socktap: $p: must be (0 or )?within" "$(dmesg)"
	check_eq "refused_not_loaded_$p" "$(grep -c '^socktap ' /proc/modules)" 0
done
# The bounds themselves load.
check_cmd load_minimum load sock_capacity=16 proc_capacity=16 event_queue=16
check_eq minimum_shown "$(st "['sockets']['capacity'], d['tables']['processes']['capacity']")" "(16, 16)"
check_cmd rmmod_minimum rmmod socktap

# ---- sock_capacity=0: no per-socket table; the per-process counters
# still count every connection, and nothing is "untracked".
check_cmd load_nosocktab load sock_capacity=0
pid=$(python3 -c '
import os, socket
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(8)
for _ in range(7):
    c = socket.create_connection(l.getsockname()); s, _ = l.accept()
    c.close(); s.close()
print(os.getpid())')
check_eq nosocktab_shown "$(st "['sockets']['capacity'], d['tables']['sockets']['used'], d['tables']['sockets']['untracked']")" "(0, 0, 0)"
check_eq nosocktab_connects_7 "$("$SOCKTAP" top -n 1 -j | $Q "[(r['connect_ok'], r['accepts']) for r in d['processes'] if r['pid'] == $pid]")" "[(7, 7)]"
check_eq nosocktab_no_vmalloc "$(vmareas | grep -c st_socktab)" 0
check_cmd rmmod_nosocktab rmmod socktap

# ---- disable=all: loaded with every probe point detached, nothing counted
check_cmd load_disable_all load disable=all
check_eq disable_all_attached "$(awk 'NR > 1 && $3 == "attached"' $DBG/probes | wc -l)" 0
check_eq disable_all_disabled "$(awk 'NR > 1 && $3 == "disabled"' $DBG/probes | wc -l)" "$(awk 'NR > 1' $DBG/probes | wc -l)"
python3 "$GUEST_DIR/oneconn.py" > /dev/null
check_eq disable_all_no_hits "$(awk 'NR > 1 { s += $4 } END { print s + 0 }' $DBG/probes)" 0
check_cmd rmmod_disable_all rmmod socktap

check_eq dmesg_clean "$(dmesg_bad)" ""
finish
