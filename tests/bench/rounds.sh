#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest side of `make bench` (scripts/bench.sh boots the guest under QEMU
# -icount and runs this as root): socktap's overhead next to bpftrace's
# tools, in alternating rounds within one boot, plus the module's memory
# per parameter setting.
#
#   rounds.sh [options] KO SOCKTAP LOADGEN OUTDIR
#
# Configurations (each round runs them in this order, every workload in
# each; the next round starts again at A):
#   A  no module
#   B  module loaded, every probe point off (disable=all)
#   C  module loaded, sock_capacity=0: every probe attached, counters and
#      histograms, no per-socket table, no stream consumer
#   D  module loaded with its defaults (per-socket table), no consumer
#   E  D plus the CLI consuming the streams (socktap watch -j for each of
#      STREAMS, one process each, output to tmpfs files)
#   E4 E with the streams of F's four tools only (connect accept retrans life)
#   E1 E with one consumer (watch life only): what one consumer costs, next
#      to E's several (optional, not in the default)
#   F  no module; bpftrace running Debian's tcpconnect.bt, tcpaccept.bt,
#      tcpretrans.bt and tcplife.bt (one process each, output to tmpfs)
# Workloads (loadgen over loopback, fixed counts: with -icount the guest
# time a run takes is deterministic instruction time):
#   crr   connect, 1-byte request, 1-byte response, close
#   rr    1-byte ping-pong on one connection
#   bulk  64 KiB writes on one connection
#   loss  bulk over a veth pair into a network namespace with LOSS_PCT %
#         of the client's packets dropped: nftables in the namespace drops
#         every (100/LOSS_PCT)th arriving one, deterministically (or
#         --loss-method netem on the client's side): the retransmit path
#
# Options:
#   -r ROUNDS            rounds (default 3)
#   -c "A B ..."         configurations (default "A B C D E E4 F")
#   -w "crr rr bulk loss"  workloads (default all four)
#   --crr N --rr N       transactions per run (default 1500, 15000)
#   --bulk-mb MB         bulk bytes per run, MiB (default 96)
#   --loss-mb MB         bulk MiB per loss run (default 24)
#   --loss-pct P         loss percentage (default 1)
#   --loss-method M      nft (default: deterministic) or netem (random; netem
#                        has no seed on these kernels, so its loss pattern
#                        differs from run to run)
#   --streams "..."      E's streams (default "connect accept retrans life state")
#   --mem                also the memory table (module loaded per setting)
#   --tag NAME           recorded in every result (default "boot")
# Results: OUTDIR/results.jsonl (one JSON object per run), memory.jsonl,
# info.json.  Progress goes to stderr, one line per step.
set -u
export LC_ALL=C

ROUNDS=3 CONFIGS="A B C D E E4 F" WORKLOADS="crr rr bulk loss"
N_CRR=1500 N_RR=15000 BULK_MB=96
LOSS_MB=24 LOSS_PCT=1 LOSS_METHOD=nft
STREAMS="connect accept retrans life state"
MEM=0 TAG=boot
while [ $# -gt 4 ]; do
	case $1 in
	-r) ROUNDS=$2; shift 2 ;;
	-c) CONFIGS=$2; shift 2 ;;
	-w) WORKLOADS=$2; shift 2 ;;
	--crr) N_CRR=$2; shift 2 ;;
	--rr) N_RR=$2; shift 2 ;;
	--bulk-mb) BULK_MB=$2; shift 2 ;;
	--loss-mb) LOSS_MB=$2; shift 2 ;;
	--loss-pct) LOSS_PCT=$2; shift 2 ;;
	--loss-method) LOSS_METHOD=$2; shift 2 ;;
	--streams) STREAMS=$2; shift 2 ;;
	--mem) MEM=1; shift ;;
	--tag) TAG=$2; shift 2 ;;
	*) echo "rounds.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[ $# -eq 4 ] || { echo "usage: rounds.sh [options] KO SOCKTAP LOADGEN OUTDIR" >&2; exit 2; }
OUT=$4
mkdir -p "$OUT"
RES=$OUT/results.jsonl
DBG=/sys/kernel/debug/socktap
BT_TOOLS="tcpconnect tcpaccept tcpretrans tcplife"
PORT=7000

# Everything the measured runs execute lives in tmpfs: no 9p traffic (host
# I/O completes in host time, not instruction time) during a run.
W=/tmp/bench
mkdir -p "$W"
if ! { cp "$1" "$W/socktap.ko" && cp "$2" "$W/socktap" && cp "$3" "$W/loadgen"; }; then
	echo "rounds.sh: cannot copy the binaries" >&2; exit 1
fi
KO=$W/socktap.ko SOCKTAP=$W/socktap LOADGEN=$W/loadgen

log() { echo "# $*" >&2; }
die() { echo "rounds.sh: $*" >&2; exit 1; }

# Guest seconds since boot, for the progress lines.
uptime_s() { cut -d' ' -f1 /proc/uptime; }

# JSON string: only the characters that can occur here need escaping.
jstr() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g' | tr '\n\t' '  ')"; }

unload() {
	if grep -q '^socktap ' /proc/modules; then
		rmmod socktap || die "rmmod socktap failed"
	fi
}

# Sum of every probe point's hits (debugfs: reading it makes no socket call).
hits_total() {
	if [ -r $DBG/probes ]; then
		awk 'NR > 1 { s += $4 } END { print s + 0 }' $DBG/probes
	else
		echo null
	fi
}

# The kernel's RetransSegs (Tcp: line of /proc/net/snmp).
retrans_segs() {
	awk '$1 == "Tcp:" && !h { h = 1; next } $1 == "Tcp:" { print $13 }' /proc/net/snmp
}

# Context switches so far (all CPUs).
ctxt() { awk '$1 == "ctxt" { print $2 }' /proc/stat; }

# TIME_WAIT sockets of the previous run change what the next one costs
# (hash chains, port search): wait until they are gone.  Idle guest time is
# free under -icount sleep=off (the clock jumps to the next timer).
settle() {
	local i=0 tw
	while :; do
		tw=$(awk '$1 == "TCP:" { for (i = 2; i < NF; i++) if ($i == "tw") print $(i + 1) }' /proc/net/sockstat)
		[ "${tw:-0}" -eq 0 ] && break
		i=$((i + 1))
		[ $i -gt 150 ] && { log "settle: still $tw TIME_WAIT sockets"; break; }
		sleep 1
	done
	sleep 1
}

# ---------------------------------------------------------------- configs

E_PIDS="" F_PIDS=""

# The streams each E variant consumes, one `socktap watch` each.
e_streams() {
	case $1 in
	E) echo "$STREAMS" ;;
	E4) echo "connect accept retrans life" ;;
	E1) echo "life" ;;
	esac
}

config_up() { # CONFIG
	unload
	case $1 in
	A | F) ;;
	B) insmod "$KO" disable=all || die "insmod disable=all failed" ;;
	C) insmod "$KO" sock_capacity=0 || die "insmod sock_capacity=0 failed" ;;
	D | E | E4 | E1) insmod "$KO" || die "insmod failed" ;;
	*) die "unknown configuration $1" ;;
	esac
	case $1 in
	E | E4 | E1)
		E_PIDS=""
		for s in $(e_streams "$1"); do
			"$SOCKTAP" watch "$s" -j >"$W/e-$s.out" 2>"$W/e-$s.err" &
			E_PIDS="$E_PIDS $!"
		done
		# They subscribe within a moment; idle time costs nothing here.
		sleep 3
		for p in $E_PIDS; do
			kill -0 "$p" 2>/dev/null || die "socktap watch exited early: $(cat "$W"/e-*.err)"
		done
		;;
	F)
		F_PIDS=""
		local t0 t
		t0=$(uptime_s)
		for t in $BT_TOOLS; do
			bpftrace "/usr/sbin/$t.bt" >"$W/f-$t.out" 2>"$W/f-$t.err" &
			F_PIDS="$F_PIDS $!"
		done
		# Ready once every tool has printed its BEGIN header.  On 5.10
		# (no BTF: clang parses the kernel headers) that takes ~370
		# guest seconds; give up after 1200.
		for t in $BT_TOOLS; do
			until [ -s "$W/f-$t.out" ]; do
				awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN { exit !(b - a > 1200) }' &&
					die "bpftrace $t.bt not ready: $(cat "$W/f-$t.err")"
				for p in $F_PIDS; do
					kill -0 "$p" 2>/dev/null ||
						die "bpftrace exited early: $(cat "$W"/f-*.err)"
				done
				sleep 0.5
			done
		done
		sleep 1
		log "F: bpftrace ready after $(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }') guest s"
		;;
	esac
}

# Stop the consumers; CONFIG_EXTRA gets what they saw, as JSON members.
CONFIG_EXTRA=""
config_down() { # CONFIG
	local s t p n
	CONFIG_EXTRA=""
	case $1 in
	E | E4 | E1)
		for p in $E_PIDS; do kill -INT "$p" 2>/dev/null; done
		for p in $E_PIDS; do wait "$p" 2>/dev/null; done
		for s in $(e_streams "$1"); do
			n=$(wc -l <"$W/e-$s.out")
			CONFIG_EXTRA="$CONFIG_EXTRA,\"e_$s\":{\"lines\":$n,\"stderr\":$(jstr "$(tail -n 2 "$W/e-$s.err")")}"
			rm -f "$W/e-$s.out" "$W/e-$s.err"
		done
		;;
	F)
		for p in $F_PIDS; do kill -INT "$p" 2>/dev/null; done
		for p in $F_PIDS; do wait "$p" 2>/dev/null; done
		for t in $BT_TOOLS; do
			n=$(wc -l <"$W/f-$t.out")
			CONFIG_EXTRA="$CONFIG_EXTRA,\"f_$t\":{\"lines\":$n,\"stderr\":$(jstr "$(grep -v '^Attaching' "$W/f-$t.err" | tail -n 2)")}"
			rm -f "$W/f-$t.out" "$W/f-$t.err"
		done
		;;
	esac
	if [ -r $DBG/status ]; then
		CONFIG_EXTRA="$CONFIG_EXTRA,\"status\":{$(awk '{ printf "%s\"%s\":%s", (NR > 1 ? "," : ""), $1, $2 }' $DBG/status)}"
	fi
	unload
}

# ---------------------------------------------------------------- runs

# run PHASE ROUND CONFIG WORKLOAD: one measured loadgen run, one JSON line.
run() {
	local phase=$1 round=$2 cfg=$3 wl=$4 host=127.0.0.1 ns="" count mode h0 h1 res rc srv
	case $wl in
	crr) mode=crr; count="-n $N_CRR" ;;
	rr) mode=rr; count="-n $N_RR" ;;
	bulk) mode=bulk; count="-n $((BULK_MB * 16))" ;;
	loss) mode=bulk; count="-n $((LOSS_MB * 16))"; host=10.9.0.2; ns="ip netns exec bs" ;;
	esac
	PORT=$((PORT + 1))
	[ $PORT -gt 7900 ] && PORT=7001
	settle
	$ns "$LOADGEN" server -m "$mode" -4 -b "$host" -p "$PORT" >"$W/srv.out" 2>&1 &
	srv=$!
	local i=0
	until grep -q '^loadgen server:' "$W/srv.out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && die "loadgen server did not start: $(cat "$W/srv.out")"
		sleep 0.1
	done
	h0=$(hits_total)
	[ -r $DBG/probes ] && awk 'NR > 1 { print $1, $4 }' $DBG/probes >"$W/hits0"
	rs0=$(retrans_segs)
	cs0=$(ctxt)
	# shellcheck disable=SC2086 # count is two words
	res=$("$LOADGEN" client -m "$mode" -4 -H "$host" -p "$PORT" $count -j 2>"$W/cli.err")
	rc=$?
	h1=$(hits_total)
	rs1=$(retrans_segs)
	cs1=$(ctxt)
	kill -TERM "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null
	[ -n "$res" ] || res=null
	local hits=null byprobe=null
	[ "$h0" != null ] && [ "$h1" != null ] && hits=$((h1 - h0))
	# Hits of each probe point during the run (the ones that fired).
	if [ "$hits" != null ]; then
		byprobe="{$(awk 'NR == FNR { h[$1] = $2; next }
			FNR > 1 && $4 - h[$1] > 0 { printf "%s\"%s\":%d", (n++ ? "," : ""), $1, $4 - h[$1] }' \
			"$W/hits0" $DBG/probes)}"
	fi
	printf '{"tag":"%s","phase":"%s","round":%s,"config":"%s","workload":"%s","rc":%s,"probe_hits":%s,"hits":%s,"retrans_segs":%s,"ctxt":%s,"loadgen":%s,"stderr":%s}\n' \
		"$TAG" "$phase" "$round" "$cfg" "$wl" "$rc" "$hits" "$byprobe" "$((rs1 - rs0))" "$((cs1 - cs0))" "$res" "$(jstr "$(head -c 400 "$W/cli.err")")" >>"$RES"
	log "$(uptime_s) $phase r$round $cfg $wl: $(printf '%s' "$res" | sed -n 's/.*"seconds":\([0-9.]*\),"rate":\([0-9.]*\).*/\1 s, rate \2/p') rc=$rc"
}

# One JSON line per configuration and round: what the consumers saw.
record_config() { # PHASE ROUND CONFIG
	printf '{"tag":"%s","phase":"%s","round":%s,"config":"%s","workload":"_config"%s}\n' \
		"$TAG" "$1" "$2" "$3" "$CONFIG_EXTRA" >>"$RES"
}

# ---------------------------------------------------------------- setup

loss_setup() {
	modprobe veth || die "modprobe veth"
	ip netns add bs || die "ip netns add"
	ip link add vb0 type veth peer name vb1 || die "veth"
	ip link set vb1 netns bs
	ip addr add 10.9.0.1/24 dev vb0
	ip -n bs addr add 10.9.0.2/24 dev vb1
	ip link set vb0 up
	ip -n bs link set vb1 up
	ip -n bs link set lo up
	# One segment per skb, as on a wire: a dropped 64 KiB GSO skb would be
	# a burst of 44 losses.
	ip link set vb0 gso_max_segs 1 2>/dev/null || log "gso_max_segs not settable"
	ip link set vb0 gso_max_size 1500 2>/dev/null
	case $LOSS_METHOD in
	netem)
		modprobe sch_netem || die "modprobe sch_netem"
		tc qdisc add dev vb0 root netem loss "$LOSS_PCT%" || die "tc netem"
		;;
	nft)
		# Every Nth packet from the client, counted: deterministic.  On
		# the receiving side: a drop in the sender's own output path
		# is a local congestion signal, resent as new data, never as a
		# retransmission.
		ip netns exec bs nft -f - <<-EOF || die "nft"
		table ip bench {
			chain in {
				type filter hook prerouting priority 0; policy accept;
				iifname "vb1" numgen inc mod $((100 / LOSS_PCT)) == 0 counter drop
			}
		}
		EOF
		;;
	esac
}

ip link set lo up
# A socket table entry per TIME_WAIT would not matter, but the port search
# would: runs start with none (settle) and the range is wide enough.
sysctl -qw net.ipv4.ip_local_port_range="10000 60999"

{
	printf '{"tag":"%s","kernel":%s,"cpus_possible":%s,"rounds":%s,"configs":%s,"workloads":%s,' \
		"$TAG" "$(jstr "$(uname -r)")" "$(jstr "$(cat /sys/devices/system/cpu/possible)")" \
		"$ROUNDS" "$(jstr "$CONFIGS")" "$(jstr "$WORKLOADS")"
	printf '"crr":%s,"rr":%s,"bulk_mb":%s,"loss_mb":%s,"loss_pct":%s,"loss_method":%s,"streams":%s,' \
		"$N_CRR" "$N_RR" "$BULK_MB" "$LOSS_MB" "$LOSS_PCT" "$(jstr "$LOSS_METHOD")" "$(jstr "$STREAMS")"
	printf '"bpftrace":%s}\n' "$(jstr "$(bpftrace --version 2>&1)")"
} >"$OUT/info.json"

: >"$RES"
t_start=$(uptime_s)

LOSS_SETUP=""
case " $WORKLOADS " in
*" loss "*) loss_setup; LOSS_SETUP=1 ;;
esac

# Warm-up: page cache, dentries, the first connection's slab growth.
log "warm-up"
for wl in $WORKLOADS; do
	run warmup 0 A "$wl"
done

# The probes a normal load attaches on this kernel, for the report.
unload
insmod "$KO" || die "insmod failed"
cp $DBG/probes "$OUT/probes.txt"
unload

# ---------------------------------------------------------------- main

r=1
while [ $r -le "$ROUNDS" ]; do
	for c in $CONFIGS; do
		config_up "$c"
		for wl in $WORKLOADS; do
			run main "$r" "$c" "$wl"
		done
		config_down "$c"
		record_config main "$r" "$c"
	done
	r=$((r + 1))
done

# ---------------------------------------------------------------- loss


if [ -n "$LOSS_SETUP" ]; then
	tc -s qdisc show dev vb0 >"$OUT/loss-qdisc.txt" 2>&1
	ip netns exec bs nft list ruleset >>"$OUT/loss-qdisc.txt" 2>&1
fi

# ---------------------------------------------------------------- memory

# settings: "name|module parameters"
MEM_SETTINGS="defaults|
sock_capacity=0|sock_capacity=0
sock_capacity=1024|sock_capacity=1024
sock_capacity=65536|sock_capacity=65536
sock_capacity=262144|sock_capacity=262144
proc_capacity=16|proc_capacity=16
proc_capacity=1024|proc_capacity=1024
proc_capacity=65536|proc_capacity=65536
event_queue=16|event_queue=16
event_queue=65536|event_queue=65536
listen_capacity=65536|listen_capacity=65536
size_proc_capacity=65536|size_proc_capacity=65536
smallest|sock_capacity=0 proc_capacity=16 event_queue=16 listen_capacity=4 size_proc_capacity=16"

percpu_kb() { awk '$1 == "Percpu:" { print $2 }' /proc/meminfo; }
memfree_kb() { awk '$1 == "MemFree:" { print $2 }' /proc/meminfo; }

if [ "$MEM" = 1 ]; then
	unload
	: >"$OUT/memory.jsonl"
	printf '%s\n' "$MEM_SETTINGS" | while IFS='|' read -r name params; do
		sync
		echo 3 > /proc/sys/vm/drop_caches
		# Free per-CPU chunks are released by a work item: let it run.
		sleep 3
		p0=$(percpu_kb)
		f0=$(memfree_kb)
		cp /proc/meminfo "$W/meminfo0"
		# shellcheck disable=SC2086 # parameters are words
		if ! insmod "$KO" $params 2>"$W/mem.err"; then
			printf '{"tag":"%s","setting":"%s","error":%s}\n' "$TAG" "$name" \
				"$(jstr "$(cat "$W/mem.err") $(dmesg | tail -n 2)")" >>"$OUT/memory.jsonl"
			continue
		fi
		p1=$(percpu_kb)
		f1=$(memfree_kb)
		# Where the memory went, by /proc/meminfo line (kB, after - before).
		md=$(awk 'NR == FNR { b[$1] = $2; next }
			$1 ~ /^(MemFree|Percpu|Slab|SUnreclaim|VmallocUsed|PageTables|KernelStack):$/ {
				k = $1; sub(":", "", k); printf "%s\"%s\":%d", (n++ ? "," : ""), k, $2 - b[$1] }' \
			"$W/meminfo0" /proc/meminfo)
		vm=$(awk '/\[socktap\]/ { s += $2; n++ } END { printf "%d %d", s, n }' /proc/vmallocinfo)
		lsm=$(awk '$1 == "socktap" { print $2 }' /proc/modules)
		st=$(awk '{ printf "%s\"%s\":%s", (NR > 1 ? "," : ""), $1, $2 }' $DBG/status)
		grep '\[socktap\]' /proc/vmallocinfo >"$W/vmalloc.txt"
		printf '{"tag":"%s","setting":"%s","params":"%s","lsmod":%s,"vmalloc_bytes":%s,"vmalloc_areas":%s,"percpu_kb_delta":%s,"memfree_kb_drop":%s,"meminfo_kb":{%s},"status":{%s},"vmalloc":%s}\n' \
			"$TAG" "$name" "$params" "$lsm" "${vm% *}" "${vm#* }" "$((p1 - p0))" "$((f0 - f1))" "$md" "$st" \
			"$(jstr "$(awk '{ print $2, $3 }' "$W/vmalloc.txt")")" >>"$OUT/memory.jsonl"
		log "memory $name: vmalloc ${vm% *} in ${vm#* } areas, percpu +$((p1 - p0)) kB, lsmod $lsm"
		rmmod socktap
		sleep 3
		log "memory $name: percpu after unload $(( $(percpu_kb) - p0 )) kB over the baseline"
	done
fi

log "done in $(awk -v a="$t_start" -v b="$(uptime_s)" 'BEGIN { printf "%.0f", b - a }') guest s"
exit 0
