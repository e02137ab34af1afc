#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Load/unload torture: TORTURE_CYCLES (default 100) insmod/rmmod cycles
# while a connect storm, two bulk transfers (one over loopback, one over
# a veth pair with netem loss, so retransmitting) and a streaming CLI run;
# every 10th load with the smallest tables and queues, every 10th with
# half the probe points disabled, every 5th with a stacks and a count
# session and a top open across the unload.  Then: every cycle loaded and unloaded,
# every CLI ended with the documented status when the module went away,
# the traffic unharmed, dmesg clean, and the kernel's memory back where
# it was before the cycles.
#
# +-------------------------------------+          +------------------------+
# | $TA "socktap-ta"                    |          | $TB "socktap-tb"       |
# |  tcpgen.py storm   (lo)             |          |                        |
# |  iperf3 -c 127.0.0.1 -> iperf3 -s   |          |                        |
# |  iperf3 -c 198.51.100.2 ------------|--------->|  iperf3 -s             |
# |  sta0 198.51.100.1/24               |   veth   |  stb0 198.51.100.2/24  |
# |  qdisc netem loss 5%                |==========|                        |
# +-------------------------------------+          +------------------------+
#
# All traffic runs in the two namespaces: deleting them at the end frees
# every socket, TIME_WAIT ones included, so the memory comparison does
# not wait out the 60 s of TIME_WAIT.
#
# Memory: snapshots once the namespaces are gone and the kernel settled
# (RCU callbacks, deferred frees: drop_caches and slab shrinks until two
# snapshots agree).  M0 after a warm-up (namespaces, traffic, two loads
# and unloads: lazily made kernel state exists from then on), M1 after
# the same traffic without the module (M1 - M0: the noise of the
# procedure itself), M2 after the cycles.  M2 - M1 must stay within a
# margin: a floor (below) plus twice the measured noise.
. "$GUEST_DIR/lib.sh"

TORTURE_CYCLES=${TORTURE_CYCLES:-100}
# Seconds the traffic runs without the module, for the noise.
TORTURE_NOISE_SEC=${TORTURE_NOISE_SEC:-20}
# iperf3 -b of the two bulk flows (0: as fast as they go).
BULK_RATE=${TORTURE_BULK_RATE:-0}
TA=socktap-ta TB=socktap-tb
W=/tmp/torture
rm -rf $W
mkdir -p $W
bgpids=""

cleanup() {
	touch $W/stop
	for p in $bgpids; do kill "$p" 2>/dev/null; done
	ip netns del $TA 2>/dev/null
	ip netns del $TB 2>/dev/null
}
trap cleanup EXIT

# Waits are reads with a timeout on FIFOs, not sleep loops: a loaded TCG
# guest takes up to seconds to start a process.
mkfifo $W/note
exec 8<>$W/note
nap_init $W

# ---- the network: two namespaces, a veth pair, netem loss on one side
# Namespaces alive (net_namespace objects), taken before net_up makes its
# two: a namespace is freed by a work item after its last reference (its
# TIME_WAIT sockets purged first, thousands after the storm), which can
# take longer than the memory figures take to stop moving.  In a file:
# check_cmd runs net_up in a subshell.  Once namespaces were made and
# deleted, slabinfo shows one object left for good (6.1 with no module
# loaded: 0 before, then 2, then 1 however long one waits): at least 1.
ns_objs() {
	slab_shrink
	awk '$1 == "net_namespace" { print $2 }' /proc/slabinfo
}
net_up() {
	ns_objs >$W/ns_before
	ip netns add $TA && ip netns add $TB || return 1
	ip link add sta0 netns $TA type veth peer name stb0 netns $TB || return 1
	ip -n $TA addr add 198.51.100.1/24 dev sta0
	ip -n $TB addr add 198.51.100.2/24 dev stb0
	for n in $TA $TB; do ip -n $n link set lo up; done
	ip -n $TA link set sta0 up
	ip -n $TB link set stb0 up
	# No ARP: a lost ARP reply would stall a connect for a second.
	ip -n $TA neigh replace 198.51.100.2 dev sta0 nud permanent \
		lladdr "$(ip netns exec $TB cat /sys/class/net/stb0/address)"
	ip -n $TB neigh replace 198.51.100.1 dev stb0 nud permanent \
		lladdr "$(ip netns exec $TA cat /sys/class/net/sta0/address)"
	tc -n $TA qdisc add dev sta0 root netem loss 5%
}

net_down() {
	ip netns del $TA
	ip netns del $TB
}

# ---- traffic: each generator repeats rounds until $W/stop exists and
# leaves "ROUNDS RC" in $W/NAME.res (RC: the failed round's status).
gen_loop() {
	local name=$1 rounds=0 rc=0
	shift
	while [ ! -e $W/stop ]; do
		"$@" >>"$W/$name.log" 2>&1 || { rc=$?; break; }
		rounds=$((rounds + 1))
	done
	echo "$rounds $rc" >"$W/$name.res"
}

# iperf3 -s in a namespace, ready when its port listens.
iperf_srv() {
	ip netns exec "$1" iperf3 -s -B "$2" >"$W/iperf-$1.log" 2>&1 &
	srvpids="$srvpids $!"
	bgpids="$bgpids $!"
	for _ in $(seq 300); do
		ip netns exec "$1" ss -Hltn "sport = :5201" | grep -q . && return 0
		nap 0.1
	done
	return 1
}

traffic_start() {
	rm -f $W/stop $W/*.res $W/*.log
	srvpids=""
	iperf_srv $TA 127.0.0.1 || fail traffic_iperf_lo "iperf3 -s did not listen"
	iperf_srv $TB 198.51.100.2 || fail traffic_iperf_veth "iperf3 -s did not listen"
	gen_loop storm ip netns exec $TA python3 "$GUEST_DIR/tcpgen.py" -n 200 &
	gens="$!"
	gen_loop bulk_lo ip netns exec $TA iperf3 -c 127.0.0.1 -t 2 -b "$BULK_RATE" &
	gens="$gens $!"
	gen_loop bulk_netem ip netns exec $TA iperf3 -c 198.51.100.2 -t 2 -b "$BULK_RATE" &
	gens="$gens $!"
	bgpids="$bgpids $gens"
}

# traffic_stop TAG: stop the generators after their current round; each
# ran at least one round and none failed; the lossy link retransmitted.
traffic_stop() {
	local g rounds rc retr
	touch $W/stop
	# shellcheck disable=SC2086
	wait $gens
	# The servers' sockets would keep the namespaces alive.
	# shellcheck disable=SC2086
	kill $srvpids
	# shellcheck disable=SC2086
	wait $srvpids 2>/dev/null
	for g in storm bulk_lo bulk_netem; do
		read -r rounds rc <"$W/$g.res" 2>/dev/null || { rounds=0 rc=none; }
		echo "INFO $1 $g: $rounds rounds, status $rc"
		if [ "$rc" = 0 ] && [ "$rounds" -ge 1 ]; then
			pass "$1_${g}_ok"
		else
			fail "$1_${g}_ok" "$rounds rounds, status $rc: $(tail -3 "$W/$g.log" | tr '\n' ' ')"
		fi
	done
	retr=$(ip netns exec $TA awk '$1 == "Tcp:" && !h { for (i = 2; i <= NF; i++) n[i] = $i; h = 1; next }
		$1 == "Tcp:" { for (i = 2; i <= NF; i++) if (n[i] == "RetransSegs") print $i }' /proc/net/snmp)
	echo "INFO $1 retransmitted segments in $TA: $retr"
	check_eq "$1_netem_retransmits" "$((${retr:-0} > 0))" 1
}

# ---- memory snapshots
# (slab_shrink before each snapshot: object counts are then what is
# allocated, up to the slabs the snapshot's own processes take again.)
# The caches socktap's memory comes from (kmalloc) or that would keep
# what it held alive (sockets, namespaces, skbs): "slab:NAME objects";
# objects per slab in $W/perslab.
SLABS='^(kmalloc-.*|TCP|TCPv6|UDP|UDPv6|request_sock_TCP|request_sock_TCPv6|tw_sock_TCP|tw_sock_TCPv6|sock_inode_cache|net_namespace|skbuff_head_cache|skbuff_small_head|kernfs_node_cache)$'
slab_objs() {
	awk -v re="$SLABS" -v f="$W/perslab" 'NR > 2 && $1 ~ re { print "slab:" $1, $2; print $1, $5 >f }' /proc/slabinfo
}
# vmalloc areas but the per-CPU allocator's chunks (in Percpu) and thread
# stacks (kworkers come and go), as "caller kB"; and their sum.
VM_SKIP='^(pcpu_|kernel_clone|copy_process|dup_task_struct|alloc_thread_stack|ioremap|vmap$|user$|vpages$|unpurged)'
vm_areas() {
	awk -v skip="$VM_SKIP" '$3 !~ skip {
		n = 0
		for (i = 4; i <= NF; i++) if ($i ~ /^pages=/) n = substr($i, 7)
		print $3, n * 4 }' /proc/vmallocinfo | sed 's/+0x[0-9a-f]*\/0x[0-9a-f]*//' | sort
}
vm_kb() { vm_areas | awk '{ s += $2 } END { print s + 0 }'; }
vm_socktap() { grep -c '\[socktap\]' /proc/vmallocinfo; }
# An area whose caller shows as a bare address: its code is gone (an
# unloaded module's symbols are), so it was never freed.
vm_orphans() { awk '$3 ~ /^0x[0-9a-f]+$/' /proc/vmallocinfo | wc -l; }

snap_raw() {
	echo "sunreclaim $(meminfo SUnreclaim)"
	echo "vmalloc $(vm_kb)"
	echo "vmallocused $(meminfo VmallocUsed)"
	echo "percpu $(meminfo Percpu)"
	slab_objs
}

# settle NAME: wait for deferred frees (RCU callbacks, the namespaces'
# cleanup work), then keep the smallest of three snapshots, key by key,
# in $W/NAME.snap (what a snapshot's own processes allocate is noise).
settle() {
	local i prev="" cur
	sleep 2
	for i in $(seq 120); do
		echo 3 >/proc/sys/vm/drop_caches
		slab_shrink
		cur=$(snap_raw)
		# Settled: no more namespaces than before net_up, meminfo
		# figures within 32 kB of the previous snapshot's, and as
		# many namespaces.
		[ -n "$prev" ] && python3 - "$prev" "$cur" "$(cat $W/ns_before)" <<'EOF' && break
import sys
a, b = (dict(l.rsplit(" ", 1) for l in s.splitlines()) for s in sys.argv[1:3])
ns, ns0 = int(b.get("slab:net_namespace", 0)), max(int(sys.argv[3] or 0), 1)
ok = all(abs(int(a[k]) - int(b[k])) <= 32 for k in ("sunreclaim", "vmalloc", "percpu"))
sys.exit(0 if ok and ns <= ns0 and a.get("slab:net_namespace") == b.get("slab:net_namespace") else 1)
EOF
		prev=$cur
		sleep 1
	done
	echo "INFO settle $1: $i rounds, $(echo "$cur" | awk '$1 == "slab:net_namespace" { print $2 }') namespaces (before net_up: $(cat $W/ns_before))"
	{
		echo "$cur"
		for _ in 1 2; do
			slab_shrink
			snap_raw
		done
	} | awk '!($1 in m) { o[++n] = $1; m[$1] = $2 + 0 } $2 + 0 < m[$1] { m[$1] = $2 + 0 }
		END { for (i = 1; i <= n; i++) print o[i], m[o[i]] }' >"$W/$1.snap"
	vm_areas >"$W/$1.vm"
}

# ---- the module, loaded and unloaded with CLIs attached
# wait_exit PID SECONDS: $xrc is the process's exit status, or "running"
# if it had not ended SECONDS later (then it is interrupted).  Polled:
# a timer subshell killed before it set its traps would run this
# script's EXIT trap.
wait_exit() {
	local i
	for i in $(seq $(($2 * 5))); do
		kill -0 "$1" 2>/dev/null || break
		nap 0.2
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -INT "$1"
		wait "$1" 2>/dev/null
		xrc=running
		return
	fi
	wait "$1"
	xrc=$?
}

TYPES=(connect state accept life)
# Where the cycles' time goes: ms per step, summed.
declare -A LAPS
lap() {
	local t
	t=$(now_ms)
	LAPS[$1]=$((${LAPS[$1]:-0} + t - tm))
	tm=$t
}
# In debugfs: a stack session and a count session are running.
sessions_up() {
	grep -q '^func ' $DBG/stacks 2>/dev/null &&
		awk '$1 == "count_used" && $2 > 0 { f = 1 } END { exit !f }' $DBG/count 2>/dev/null
}

counters_reset() {
	ins_ok=0 rm_ok=0 rm_busy=0 st_ok=0 w_events=0 w_exit3=0 w_hung=0 sess_n=0 sess_exit3=0
	w_bad="" s_bad=""
	LAPS=()
}

# cycle N PARAMS...: one load, CLIs, one unload.
cycle() {
	local n=$1 type=${TYPES[$(($1 % 4))]} w s c tp p got sess=0
	shift
	case "$*" in disable=*) type=state ;; esac
	tm=$(now_ms)
	if ! insmod "$KO" "$@"; then
		fail "insmod_$n" "insmod $* failed: $(dmesg | tail -3 | tr '\n' ' ')"
		return 1
	fi
	ins_ok=$((ins_ok + 1))
	lap insmod
	# The reader says when the first event came, then reads on.
	"$SOCKTAP" watch "$type" -j 2>$W/watch.err > >(
		if read -r _; then echo first >&8; else echo none >&8; fi
		cat >/dev/null) &
	w=$!
	if [ $((n % 5)) = 0 ]; then
		sess=1
		"$SOCKTAP" stacks -d 3600 tcp_sendmsg >/dev/null 2>$W/stacks.err &
		s=$!
		"$SOCKTAP" count -d 3600 'tcp_v4_connect' >/dev/null 2>$W/count.err &
		c=$!
		# A poller: its next dump after the unload fails.
		"$SOCKTAP" top -d 0.5 -j >/dev/null 2>$W/top.err &
		tp=$!
	fi
	# The storm makes connections, accepts, state changes and closes
	# all the time: the watch shows events once it is subscribed.
	got=timeout
	read -r -t 300 got <&8
	[ "$got" = first ] && w_events=$((w_events + 1))
	lap first_event
	"$SOCKTAP" status -j >/dev/null && st_ok=$((st_ok + 1))
	lap status
	if [ $sess = 1 ]; then
		# Both sessions are in the module before it goes away.
		for _ in $(seq 600); do
			sessions_up && break
			nap 0.2
		done
	fi
	lap sessions
	# A dump in flight (top's) holds a module reference: rmmod then
	# says "in use", as it would to a user; again after a moment.
	for _ in $(seq 10); do
		rmmod socktap 2>$W/rmmod.err && break
		grep -q 'in use' $W/rmmod.err || break
		rm_busy=$((rm_busy + 1))
		nap 0.2
	done
	if grep -q '^socktap ' /proc/modules; then
		fail "rmmod_$n" "rmmod failed: $(cat $W/rmmod.err) $(dmesg | tail -3 | tr '\n' ' ')"
		kill -INT $w 2>/dev/null
		return 1
	fi
	rm_ok=$((rm_ok + 1))
	lap rmmod
	# socktap(8): exit status 3, the module is not loaded.  A watch that
	# did not notice the unload in 60 s never will: after the first such
	# cycle the others get 1 s.
	wait_exit $w $((w_hung ? 1 : 60))
	if [ "$xrc" = 3 ]; then
		w_exit3=$((w_exit3 + 1))
	else
		[ "$xrc" = running ] && w_hung=$((w_hung + 1))
		[ -z "$w_bad" ] && w_bad="cycle $n: watch $type ended '$xrc': $(tr '\n' ' ' <$W/watch.err)"
	fi
	if [ $sess = 1 ]; then
		sess_n=$((sess_n + 3))
		for p in $s $c $tp; do
			wait_exit "$p" 60
			if [ "$xrc" = 3 ]; then
				sess_exit3=$((sess_exit3 + 1))
			elif [ -z "$s_bad" ]; then
				s_bad="cycle $n: ended '$xrc': $(cat $W/stacks.err $W/count.err $W/top.err | tr '\n' ' ')"
			fi
		done
	fi
	lap cli_exit
	return 0
}

dmesg -C
check_cmd modprobe modprobe -a veth sch_netem

# ---- warm-up: namespaces, traffic, two loads and unloads, then M0
counters_reset
check_cmd net_up_warmup net_up
traffic_start
cycle 0
traffic_stop warmup
net_down
# What one load takes in Percpu: the per-CPU allocator keeps a freed
# chunk populated, so after an unload Percpu may stay up to this high.
settle pre
insmod "$KO"
PROBES=$(awk 'NR > 1 { print $1 }' $DBG/probes)
pcpu_load=$(($(meminfo Percpu) - $(awk '$1 == "percpu" { print $2 }' $W/pre.snap)))
rmmod socktap
echo "INFO Percpu of one load (default parameters): $pcpu_load kB"
settle m0
# Every other probe point, disabled at load on some cycles; the state
# changes stay: those cycles watch them.
DISABLE=$(echo "$PROBES" | awk '$1 !~ /state/ && n++ % 2 == 0 { printf "%s%s", s, $1; s = "," }')
echo "INFO disabled on every 10th cycle: $DISABLE"

# ---- the noise: the same traffic without the module, then M1
check_cmd net_up_noise net_up
traffic_start
sleep "$TORTURE_NOISE_SEC"
traffic_stop noise
net_down
settle m1

# ---- the cycles
counters_reset
check_cmd net_up net_up
traffic_start
t0=$(now_ms)
for i in $(seq "$TORTURE_CYCLES"); do
	case $((i % 10)) in
	0) args="sock_capacity=16 proc_capacity=16 listen_capacity=4 size_proc_capacity=16 stack_capacity=16 event_queue=16 maxactive=1 count_max=1" ;;
	5) args="disable=$DISABLE" ;;
	*) args="" ;;
	esac
	# shellcheck disable=SC2086
	cycle "$i" $args || break
done
t1=$(now_ms)
echo "INFO $TORTURE_CYCLES cycles in $((t1 - t0)) ms ($(((t1 - t0) / TORTURE_CYCLES)) ms each)"
echo "INFO ms per step, all cycles: $(for k in insmod first_event status sessions rmmod cli_exit; do printf '%s %s ' $k "${LAPS[$k]:-0}"; done)"
check_eq insmod_cycles $ins_ok "$TORTURE_CYCLES"
check_eq rmmod_cycles $rm_ok "$TORTURE_CYCLES"
echo "INFO rmmod found the module in use (a dump in flight) $rm_busy times"
check_eq status_ok_cycles $st_ok "$TORTURE_CYCLES"
check_eq watch_events_cycles $w_events "$TORTURE_CYCLES"
if [ $w_exit3 = "$TORTURE_CYCLES" ]; then
	pass watch_exit_3_on_unload
else
	fail watch_exit_3_on_unload "$w_exit3 of $TORTURE_CYCLES watches exited 3 ($w_hung still running after the unload); first: $w_bad"
fi
if [ $sess_exit3 = $sess_n ]; then
	pass sessions_exit_3_on_unload
else
	fail sessions_exit_3_on_unload "$sess_exit3 of $sess_n stacks/count/top runs exited 3; first: $s_bad"
fi
traffic_stop torture
check_eq unloaded "$(grep -c '^socktap ' /proc/modules)" 0
net_down
settle m2
check_eq dmesg_clean "$(dmesg_bad)" ""

# ---- memory: M2 against M1, margins from M1 - M0
# Floors: SUnreclaim 256 kB (the slabs of exited processes and deleted
# namespaces not yet given back: ~100 kB measured); vmalloc (areas but
# per-CPU chunks and thread stacks) 64 kB (kprobe instruction pages are
# freed only when empty); Percpu one load's share (the allocator keeps
# one free chunk populated; VmallocUsed counts that chunk's pages too,
# so it gets both floors); objects four slabs per
# CPU (what a snapshot's own processes take again: two were exceeded by
# 2 kmalloc-4k objects on the debug kernel under load), none for sockets and
# namespaces, which are all gone with the namespaces.  A table that
# leaks is 16 kB or more of vmalloc (caught exactly, below: areas whose
# code is gone), and 100 cycles multiply any per-load leak by 100.
python3 - "$W/m0.snap" "$W/m1.snap" "$W/m2.snap" "$W/perslab" "$pcpu_load" \
	"$(nproc)" <<'EOF' >$W/mem.out
import sys
def load(p):
    return {l.split()[0]: int(l.split()[1]) for l in open(p) if l.strip()}
m0, m1, m2, perslab = (load(p) for p in sys.argv[1:5])
pcpu, cpus = int(sys.argv[5]), int(sys.argv[6])
# VmallocUsed counts the per-CPU chunks' pages too.
floor = {"sunreclaim": 256, "vmalloc": 64, "percpu": max(pcpu, 64),
         "vmallocused": 64 + max(pcpu, 64)}
exact = ("net_namespace", "TCP", "TCPv6", "UDP", "UDPv6", "tw_sock_TCP",
         "tw_sock_TCPv6", "request_sock_TCP", "request_sock_TCPv6")
for k in m1:
    a0, a1, a2 = m0.get(k, 0), m1[k], m2.get(k, 0)
    if k.startswith("slab:"):
        f = 0 if k[5:] in exact else 4 * cpus * perslab.get(k[5:], 1)
    else:
        f = floor[k]
    tol = f + 2 * abs(a1 - a0)
    print("ok" if a2 - a1 <= tol else "grew", k, a0, a1, a2, a2 - a1, tol)
EOF
bad=""
while read -r verdict key a0 a1 a2 d tol; do
	case $key in
	slab:*)
		[ "$a0.$a1.$a2" = "$a0.$a0.$a0" ] ||
			echo "INFO $key: m0 $a0 m1 $a1 m2 $a2 (margin $tol)"
		[ "$verdict" = ok ] || bad="$bad ${key#slab:} +$d (margin $tol);"
		;;
	*)
		echo "INFO $key kB: m0 $a0 m1 $a1 m2 $a2 (noise $((a1 - a0)), margin $tol)"
		if [ "$verdict" = ok ]; then pass "mem_$key"; else fail "mem_$key" "grew by $d kB in $TORTURE_CYCLES cycles (margin $tol; m0 $a0 m1 $a1 m2 $a2)"; fi
		;;
	esac
done <$W/mem.out
check_eq mem_slab_objects "$bad" ""
check_eq vmalloc_socktap_areas "$(vm_socktap)" 0
check_eq vmalloc_orphan_areas "$(vm_orphans)" 0
vnew=$(diff "$W/m1.vm" "$W/m2.vm" | grep '^>')
[ -n "$vnew" ] && echo "INFO vmalloc areas new since m1: $(echo "$vnew" | head -5 | tr '\n' ';')"
check_eq vmalloc_no_new_areas "$(diff "$W/m1.vm" "$W/m2.vm" | grep -c '^>')" 0
trap - EXIT
cleanup
finish
