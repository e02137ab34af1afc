#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Saturation: every table at its smallest and full, the event queue at
# its smallest under a storm with its only reader stopped, and then with
# no reader.  What did not fit is counted, exactly:
#   (a) listener table (listen_capacity=4): 10 listeners, the 6 that
#       find it full have every SYN and handshake counted as dropped;
#   (b) size table (size_proc_capacity=16): 20 processes of known I/O,
#       the 4 that find it full have every call counted as dropped;
#   (c) socket table (sock_capacity=16) held full: every socket of a
#       connect storm is counted as untracked, once;
#   (d) event queue (event_queue=16), one reader (socktap watch state,
#       stdout a pipe nobody reads, SIGSTOPped): state changes ==
#       queued + lost, and queued == shown by the reader + undelivered;
#       without a reader nothing is queued, lost or undelivered;
# and the module's memory is what its parameters allow, and does not grow.
# (t_capacity.sh covers the socket table's exact untracked count and the
# process table; t_probe.sh the stack table.)
. "$GUEST_DIR/lib.sh"

W=/tmp/saturate
rm -rf $W
mkdir -p $W
bgpids=""
cleanup() {
	for p in $bgpids; do kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null; done
}
trap cleanup EXIT
Q="python3 $GUEST_DIR/jq.py"
mkfifo $W/go
nap_init $W

tcpc() { awk -v n="$1" '$1 == n { print $2 }' $DBG/tcp; }
hits_all() { awk 'NR > 1 { s += $4 } END { print s }' $DBG/probes; }
# socktap's vmalloc areas while it is loaded: "caller pages", sorted.
vm_st() {
	awk '/\[socktap\]/ { n = 0; for (i = 4; i <= NF; i++) if ($i ~ /^pages=/) n = substr($i, 7); print $3, n }' /proc/vmallocinfo |
		sed 's/+0x[0-9a-f]*\/0x[0-9a-f]*//' | sort
}
vm_st_pages() { vm_st | awk '{ s += $2 } END { print s + 0 }'; }
slab_settle() {
	echo 3 >/proc/sys/vm/drop_caches
	slab_shrink
}
# hold CMD: one command to the socket holder; its answer in $reply.
hold() {
	reply="no answer"
	echo "$*" >&"${HOLD[1]}"
	read -r -t 300 reply <&"${HOLD[0]}"
}

SC=16 PC=16 LC=4 ZC=16 EQ=16
PARAMS="sock_capacity=$SC proc_capacity=$PC listen_capacity=$LC size_proc_capacity=$ZC stack_capacity=16 event_queue=$EQ"
# Per-CPU memory is for every possible CPU.
NCPU=$(awk -F- '{ print ($2 == "" ? 1 : $2 - $1 + 1) }' /sys/devices/system/cpu/possible)

dmesg -C
slab_settle
pc0=$(meminfo Percpu)
check_cmd load_all_smallest load $PARAMS

# ---- memory: what the parameters allow, from the module's own types
# (pahole reads their sizes from the module's debug information).
sz() { pahole -C "$1" "$KO" 2>/dev/null | awk '/\/\* size: / { print $3 + 0 }'; }
pc1=$(meminfo Percpu)
vm_st >$W/vm0
python3 - "$SC" "$PC" "$LC" "$ZC" "$EQ" "$NCPU" "$(sz st_sock)" "$(sz st_proc_meta)" \
	"$(sz st_proc_ctr)" "$(sz st_size_ctr)" "$(sz st_listen_meta)" "$(sz st_listen_ctr)" \
	"$(sz st_ev_ring)" "$(sz st_event)" >$W/expect <<'EOF'
import sys
sc, pc, lc, zc, eq, ncpu, sock, pmeta, pctr, zctr, lmeta, lctr, ring, ev = map(int, sys.argv[1:])
P = 4096
def pages(b): return -(-b // P)
def pow2(n):
    p = 1
    while p < n:
        p *= 2
    return p
def kvtab(cap, meta, val):
    nslots = pow2(cap * 2)
    slot = -(-(16 + meta) // 8) * 8
    per = min(32768 // val, nslots)
    return nslots * slot, -(-nslots // per) * per * val * ncpu
tabs = {"proc": kvtab(pc, pmeta, pctr), "size": kvtab(zc, pmeta, zctr),
        "listen": kvtab(lc, lmeta, lctr)}
for k, (slots, vals) in tabs.items():
    print("%s_bytes %d" % (k, slots + vals))
# vmalloc: the socket table's entries and buckets and the keyed tables'
# slots always; the per-CPU event rings when kvzalloc falls back to it.
must = pages(sc * sock) + pages(pow2(sc) * 8) + sum(pages(s) for s, _ in tabs.values())
print("vmalloc_min_pages %d" % must)
print("vmalloc_max_pages %d" % (must + ncpu * pages(ring + eq * ev)))
print("percpu_bytes %d" % sum(v for _, v in tabs.values()))
EOF
ex() { awk -v k="$1" '$1 == k { print $2 }' $W/expect; }
for t in proc size listen; do
	check_eq "${t}_bytes_from_parameters" "$(dstat ${t}_bytes)" "$(ex ${t}_bytes)"
done
vmp=$(vm_st_pages)
echo "INFO socktap vmalloc: $vmp pages (parameters allow $(ex vmalloc_min_pages)..$(ex vmalloc_max_pages)): $(tr '\n' ';' <$W/vm0)"
check_eq vmalloc_within_parameters "$((vmp >= $(ex vmalloc_min_pages) && vmp <= $(ex vmalloc_max_pages)))" 1
# Percpu grows by whole pages per CPU, per allocation (about 20: tables,
# counters, histograms): the tables' values plus a page per CPU each.
pcb=$(((pc1 - pc0) * 1024))
pcmax=$(($(ex percpu_bytes) + 24 * NCPU * 4096))
echo "INFO Percpu at load: $((pc1 - pc0)) kB (tables' values $(($(ex percpu_bytes) / 1024)) kB, bound $((pcmax / 1024)) kB)"
check_eq percpu_within_parameters "$((pcb <= pcmax))" 1

# ---- (a) listener table: 10 listeners, 3 connections each
python3 "$GUEST_DIR/satgen.py" listeners 10 >$W/lsn 2>&1 &
lsn=$!
bgpids="$bgpids $lsn"
for _ in $(seq 300); do [ -s $W/lsn ] && break; nap 0.1; done
ports=$($Q "' '.join(str(p) for p in d['ports'])" <$W/lsn)
targets=$(for p in $ports; do printf '127.0.0.1 %s ' "$p"; done)
# Each connection reaches the table twice: its SYN (tcp_conn_request)
# and its handshake's last ACK (tcp_v4_syn_recv_sock).
calls=0
for p in tcp_conn_request tcp_v4_syn_recv_sock; do
	[ "$(state $p)" = attached ] && calls=$((calls + 1))
done
srs=$([ "$(state tcp_v4_syn_recv_sock)" = attached ] && echo 1 || echo 0)
ld0=$(dstat listen_dropped) po0=$(mib Tcp PassiveOpens)
# shellcheck disable=SC2086
out=$(python3 "$GUEST_DIR/netpeer.py" connect -n 3 $targets | tail -1)
check_eq listen_conns_made "$(echo "$out" | $Q "d['ok']")" 30
# The kernel makes a child per handshake ACK it processes (PassiveOpens
# counts them): two ACKs of one handshake (a SYN-ACK retransmitted by a
# starved guest) on two CPUs make two, and the loser is freed.  Each
# such extra child is one more call of tcp_v4_syn_recv_sock.
extra=$(($(mib Tcp PassiveOpens) - po0 - 30))
[ "$extra" = 0 ] || echo "INFO $extra more children than connections (PassiveOpens)"
check_eq listen_used "$(dstat listen_used)" $LC
check_eq listen_capacity "$(dstat listen_capacity)" $LC
# Round-robin over the ports: the first four met the table first.
first4=$(echo "$ports" | tr ' ' '\n' | head -4 | sort -n | tr '\n' ' ')
bl=$("$SOCKTAP" backlog -j)
check_eq listen_rows_first4 "$(echo "$bl" | $Q "' '.join(str(r['port']) for r in sorted(d, key=lambda r: r['port'])) + ' '")" "$first4"
if [ "$extra" = 0 ]; then
	check_eq listen_rows_conns "$(echo "$bl" | $Q "sorted(set(r['conns'] for r in d))")" "[3]"
	check_eq listen_dropped_6x3x$calls "$(($(dstat listen_dropped) - ld0))" $((6 * 3 * calls))
else
	# Every call counted once, in a row or as dropped.
	check_eq listen_conns_and_dropped "$(($(echo "$bl" | $Q "sum(r['conns'] for r in d)") + $(dstat listen_dropped) - ld0))" \
		$((4 * 3 + 6 * 3 * calls + extra * srs))
fi
# The same numbers over netlink: status -j and the metrics.
check_eq listen_table_status_json "$("$SOCKTAP" status -j | $Q "d['tables']['listeners']['capacity'], d['tables']['listeners']['used'], d['tables']['listeners']['dropped']")" "($LC, $LC, $(dstat listen_dropped))"
check_eq listen_table_metrics "$("$SOCKTAP" metrics | awk '$1 ~ /^socktap_listener_table_(capacity|used|dropped_total)$/ { printf "%s ", $2 }')" "$LC $LC $(dstat listen_dropped) "
kill $lsn
wait $lsn 2>/dev/null

# ---- (b) size table: 20 processes, 5 UDP datagrams sent and received each
zd0=$(dstat size_dropped)
check_eq size_used_before "$(dstat size_used)" 0
ok=0
for _ in $(seq 20); do
	python3 "$GUEST_DIR/iogen.py" --udp 5 >/dev/null && ok=$((ok + 1))
done
check_eq size_procs_ran $ok 20
check_eq size_used "$(dstat size_used)" $ZC
check_eq size_dropped_4x10 "$(($(dstat size_dropped) - zd0))" 40
check_eq size_rows "$("$SOCKTAP" hist -P -j | $Q "len(d['processes'])")" $ZC

# ---- (c) socket table held full, then a connect storm
# What (a) and (b) made closes at its pace: a debug kernel takes seconds.
# A destruction the kprobe missed (it fired in a softirq that interrupted
# another probe's handler on that CPU: counted as missed) leaves its entry
# until the address is a new socket's: at most one entry per miss.
wait_dstat sock_used 0 60
used=$(dstat sock_used)
dmiss=$(awk '$1 == "inet_sock_destruct" { print $5 }' $DBG/probes)
[ "$used" = 0 ] || echo "INFO sockets in the table: $used; inet_sock_destruct missed $dmiss; open: $(ss -tuanH | head -5 | tr '\n' ';')"
check_eq sock_used_empty_but_missed "$((used <= dmiss))" 1
coproc HOLD { exec python3 "$GUEST_DIR/sockhold.py"; }
bgpids="$bgpids $HOLD_PID"
hold open $SC
check_eq sock_hold_open "$reply" "ok open"
check_eq sock_used_full "$(dstat sock_used)" $SC
N=300
u0=$(dstat sock_untracked) h0=$(hits_all) t0=$(now_ms)
check_cmd sock_storm python3 "$GUEST_DIR/tcpgen.py" -n $N
t1=$(now_ms) h1=$(hits_all)
# Every socket that found the table full, once: the listener, each
# client (its connect() tries again, and is not counted again), each
# accepted one.  N connections are 2N+1 sockets.
check_eq sock_untracked_2n_plus_1 "$(($(dstat sock_untracked) - u0))" $((2 * N + 1))
check_eq sock_used_still_full "$(dstat sock_used)" $SC
echo "INFO probe hits/s, all probe points, connect storm: $(((h1 - h0) * 1000 / (t1 - t0 + 1))) ($((h1 - h0)) hits in $((t1 - t0)) ms)"
hold quit
check_eq sock_hold_quit "$reply" "ok quit"
wait "$HOLD_PID"

# ---- the tables full did not make the module allocate
check_eq vmalloc_unchanged_when_full "$(vm_st | tr '\n' ';')" "$(tr '\n' ';' <$W/vm0)"
check_eq percpu_unchanged_when_full "$(meminfo Percpu)" "$pc1"
check_cmd rmmod_tables rmmod socktap

# ---- (d) event queue of 16, its only reader stopped
# rmem: bytes queued on the reader's netlink sockets.
rmem() {
	local ino s=0
	for ino in $(ls -l /proc/$w/fd 2>/dev/null | sed -n 's/.*socket:\[\([0-9]*\)\]/\1/p'); do
		s=$((s + $(awk -v i="$ino" '$NF == i { print $5 }' /proc/net/netlink)))
	done
	echo $s
}
check_cmd load_events load event_queue=$EQ disable=all
check_cmd enable_tcp_state "$SOCKTAP" probe enable tcp_state
# Only the state handler runs: every record is a state change, and
# every state change (no filter) is a record while someone listens.
# The reader's stdout is a pipe read only after $W/go says so.
"$SOCKTAP" watch state -j 2>$W/watch.err > >(read -r _ <$W/go; exec wc -l >$W/lines) &
w=$!
bgpids="$bgpids $w"
# Subscribed once a connection's state changes are queued.
for _ in $(seq 60); do
	python3 "$GUEST_DIR/tcpgen.py" -n 1
	[ "$(dstat events_queued)" -gt 0 ] && break
	nap 0.5
done
check_eq reader_subscribed "$(($(dstat events_queued) > 0))" 1
kill -STOP $w
vm_st >$W/vm1
pc1=$(meminfo Percpu)
slab_settle
su0=$(meminfo SUnreclaim) tw0=$(awk '$1 == "tw_sock_TCP" { print $2 * $4 }' /proc/slabinfo)
s0=$(tcpc state-change) q0=$(dstat events_queued) l0=$(dstat events_lost) d0=$(dstat events_undelivered)
t0=$(now_ms)
# Rounds of two parallel connect storms and a burst of resets, until
# records were both lost (queue full) and undelivered (reader's socket
# full); 30 rounds at most.
for r in $(seq 30); do
	python3 "$GUEST_DIR/tcpgen.py" -n 200 &
	g1=$!
	python3 "$GUEST_DIR/tcpgen.py" -n 200 &
	g2=$!
	python3 "$GUEST_DIR/satgen.py" burst 100 >/dev/null || fail burst_$r "satgen.py burst failed"
	wait $g1 || fail storm_$r "tcpgen.py failed"
	wait $g2 || fail storm_$r "tcpgen.py failed"
	[ "$(dstat events_lost)" -gt "$l0" ] && [ "$(dstat events_undelivered)" -gt "$d0" ] && break
done
t1=$(now_ms)
# Quiet: the work items have sent what was queued.
prev=""
for _ in $(seq 60); do
	cur="$(tcpc state-change) $(dstat events_queued) $(dstat events_lost) $(dstat events_undelivered)"
	[ "$cur" = "$prev" ] && break
	prev=$cur
	nap 1
done
read -r s1 q1 l1 d1 <<<"$cur"
slab_settle
su1=$(meminfo SUnreclaim) tw1=$(awk '$1 == "tw_sock_TCP" { print $2 * $4 }' /proc/slabinfo)
held=$(rmem)
ds=$((s1 - s0)) dq=$((q1 - q0)) dl=$((l1 - l0)) dd=$((d1 - d0))
echo "INFO storm: $r rounds, $ds state changes in $((t1 - t0)) ms: $((ds * 1000 / (t1 - t0 + 1))) events/s; queued $dq, lost $dl, undelivered $dd"
check_eq events_lost_some "$((dl > 0))" 1
check_eq events_undelivered_some "$((dd > 0))" 1
check_eq produced_is_queued_plus_lost "$ds" "$((dq + dl))"
# The module allocated nothing; what the stopped reader holds is bounded
# by its receive buffer: 4 MiB asked with SO_RCVBUFFORCE, which the
# kernel doubles, plus the one message that went over.
check_eq vmalloc_unchanged_reader_stopped "$(vm_st | tr '\n' ';')" "$(tr '\n' ';' <$W/vm1)"
check_eq percpu_unchanged_reader_stopped "$(meminfo Percpu)" "$pc1"
echo "INFO the stopped reader holds $((held / 1024)) kB; SUnreclaim +$((su1 - su0)) kB (TIME_WAIT sockets +$(((tw1 - tw0) / 1024)) kB)"
check_eq reader_held_within_rcvbuf "$((held > 0 && held <= 2 * 4 * 1024 * 1024 + 64 * 1024))" 1
# The reader goes on, reads what its socket holds, and is stopped.
kill -CONT $w
echo go >$W/go
z=0
for _ in $(seq 600); do
	if [ "$(rmem)" = 0 ]; then z=$((z + 1)); else z=0; fi
	[ $z -ge 3 ] && break
	nap 0.2
done
kill -INT $w
wait $w
check_eq reader_exit "$?" 0
shown=$(sed -n 's/^\([0-9]*\) events shown; socket overruns: \([0-9]*\)$/\1/p' $W/watch.err)
overruns=$(sed -n 's/^\([0-9]*\) events shown; socket overruns: \([0-9]*\)$/\2/p' $W/watch.err)
for _ in $(seq 100); do [ -s $W/lines ] && break; nap 0.1; done
echo "INFO reader: $shown shown ($(cat $W/lines) lines), $overruns overruns; since load queued $(dstat events_queued), undelivered $(dstat events_undelivered), lost $(dstat events_lost)"
check_eq shown_is_lines "$shown" "$(cat $W/lines)"
check_eq queued_is_shown_plus_undelivered "$(dstat events_queued)" "$((shown + $(dstat events_undelivered)))"
check_eq reader_saw_overruns "$((overruns > 0))" 1

# ---- no reader: nothing built, nothing counted lost
s0=$(tcpc state-change) q0=$(dstat events_queued) l0=$(dstat events_lost) d0=$(dstat events_undelivered)
check_cmd no_reader_storm python3 "$GUEST_DIR/tcpgen.py" -n 20
check_eq no_reader_state_changes "$(($(tcpc state-change) - s0 > 0))" 1
check_eq no_reader_nothing_queued "$(dstat events_queued) $(dstat events_lost) $(dstat events_undelivered)" "$q0 $l0 $d0"
check_cmd rmmod_events rmmod socktap
check_eq dmesg_clean "$(dmesg_bad)" ""
finish
