#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench, guest side: socktap's cost per event, and the event rate a
# consumer keeps up with.  scripts/bench.sh runs it as root in a QEMU
# -icount boot (1 instruction = 8 ns of guest time: the times are
# instruction counts, deterministic).
#
# Usage: micro.sh [options] KO SOCKTAP LIFEGEN OUTDIR
#   KO is a bench build of socktap.ko (CONFIG_SOCKTAP_BENCH=y: it has
#   /sys/kernel/debug/socktap/bench, see module/bench.c).
# Steps:
#   per-event  every KIND (tracepoint, kprobe, kretprobe) with every
#              VARIANT (empty counter proc hist sock event), N calls
#              each, 1 socket; then event again with a consumer
#              (`socktap watch connect -j` into tmpfs), its records
#              counted: delivered + lost + undelivered == N
#   sockets    the sock variant with 1, 1000 and 10000 tracked sockets,
#              looked up round-robin
#   life       lifegen's socket lifecycles (UDP socket, connect, close:
#              one connect record each) as fast as the guest makes them:
#              no module (A), module without a consumer (D), module with
#              `socktap watch connect -j` (E); then E paced at fixed rates
#              (E@RATE), for the highest one the consumer keeps up with;
#              the records counted as above
# Options:
#   -n N               calls per measurement (default 200000)
#   --sockets "..."    socket counts of the sockets step (default "1 1000 10000")
#   --life N           lifecycles per life run (default 50000)
#   --life-rates "..." paced E runs, lifecycles/s (default "1000 1500 2000 2500 3000")
#   --kinds "..."      (default "tracepoint kprobe kretprobe")
#   --variants "..."   (default "empty counter proc hist sock event")
#   --steps "..."      (default "per-event sockets life")
# Results: OUTDIR/micro.json.  Progress goes to stderr.
set -u
export LC_ALL=C

N=200000 SOCKETS="1 1000 10000" LIFE=50000 LIFE_RATES="1000 1500 2000 2500 3000"
KINDS="tracepoint kprobe kretprobe"
VARIANTS="empty counter proc hist sock event"
STEPS="per-event sockets life"
while [ $# -gt 4 ]; do
	case $1 in
	-n) N=$2; shift 2 ;;
	--sockets) SOCKETS=$2; shift 2 ;;
	--life) LIFE=$2; shift 2 ;;
	--life-rates) LIFE_RATES=$2; shift 2 ;;
	--kinds) KINDS=$2; shift 2 ;;
	--variants) VARIANTS=$2; shift 2 ;;
	--steps) STEPS=$2; shift 2 ;;
	*) echo "micro.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[ $# -eq 4 ] || { echo "usage: micro.sh [options] KO SOCKTAP LIFEGEN OUTDIR" >&2; exit 2; }
OUT=$4
mkdir -p "$OUT"
DBG=/sys/kernel/debug/socktap

# Everything a measurement runs lives in tmpfs: no 9p I/O (host time).
W=/tmp/micro
mkdir -p "$W"
if ! { cp "$1" "$W/socktap.ko" && cp "$2" "$W/socktap" && cp "$3" "$W/lifegen"; }; then
	echo "micro.sh: cannot copy the binaries" >&2; exit 1
fi
KO=$W/socktap.ko SOCKTAP=$W/socktap LIFEGEN=$W/lifegen
RUNS=$W/runs.jsonl LIFES=$W/life.jsonl
: >"$RUNS"
: >"$LIFES"

log() { echo "# $(cut -d' ' -f1 /proc/uptime) $*" >&2; }
die() { echo "micro.sh: $*" >&2; exit 1; }
jstr() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g' | tr '\n\t' '  ')"; }

unload() {
	if grep -q '^socktap ' /proc/modules; then
		rmmod socktap || die "rmmod socktap failed"
	fi
}

load() {
	unload
	insmod "$KO" || die "insmod $KO failed"
	[ -e $DBG/bench ] || die "$KO has no $DBG/bench: not a CONFIG_SOCKTAP_BENCH=y build"
}

# CPU time so far, all CPUs, in USER_HZ ticks: user system softirq idle
cpu_ticks() {
	awk '$1 == "cpu" { print $2 + $3, $4 + $7, $8, $5 + $6 }' /proc/stat
}

# user + system ticks of a process
proc_ticks() {
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# queued lost undelivered, from the status file
ev_counts() {
	awk '$1 == "events_queued" { q = $2 } $1 == "events_lost" { l = $2 }
		$1 == "events_undelivered" { u = $2 } END { print q + 0, l + 0, u + 0 }' $DBG/status
}

# ---------------------------------------------------------------- consumer

CONS=""
consumer_start() { # STREAM
	"$SOCKTAP" watch "$1" -j >"$W/cons.out" 2>"$W/cons.err" &
	CONS=$!
	# Subscribed within a moment (not measured: outside any run).
	sleep 2
	kill -0 "$CONS" 2>/dev/null || die "socktap watch exited: $(cat "$W/cons.err")"
}

# Waits until the consumer has EXPECTED lines or stops getting more, stops
# it; CONS_LINES, CONS_TICKS (its CPU time) and CONS_ERR get what it saw.
CONS_LINES=0 CONS_ERR="" CONS_TICKS=0
consumer_stop() { # EXPECTED
	local prev=-1 cur
	while :; do
		cur=$(wc -l <"$W/cons.out")
		[ "$cur" -ge "$1" ] && break
		[ "$cur" -eq "$prev" ] && break
		prev=$cur
		sleep 2
	done
	CONS_TICKS=$(proc_ticks "$CONS")
	kill -INT "$CONS" 2>/dev/null
	wait "$CONS" 2>/dev/null
	CONS=""
	CONS_LINES=$(grep -c '"type":"connect"' "$W/cons.out")
	CONS_ERR=$(tail -n 2 "$W/cons.err")
	rm -f "$W/cons.out"
}

# ---------------------------------------------------------------- per-event

# measure STEP KIND VARIANT N SOCKETS CONSUMER: one line of RUNS
measure() {
	local step=$1 kind=$2 var=$3 n=$4 socks=$5 cons=$6 c0 c1 line extra="" res
	[ "$cons" = 1 ] && consumer_start connect
	c0=$(ev_counts)
	if ! printf '%s %s %s %s\n' "$kind" "$var" "$n" "$socks" >$DBG/bench 2>"$W/err"; then
		[ "$cons" = 1 ] && consumer_stop 0
		printf '{"step":"%s","kind":"%s","variant":"%s","n":%s,"sockets":%s,"consumer":%s,"error":%s}\n' \
			"$step" "$kind" "$var" "$n" "$socks" "$cons" "$(jstr "$(cat "$W/err")")" >>"$RUNS"
		log "$step $kind $var $socks: error $(cat "$W/err")"
		return
	fi
	line=$(cat $DBG/bench)
	if [ "$cons" = 1 ]; then
		consumer_stop "$n"
		c1=$(ev_counts)
		extra=$(printf ',"delivered":%s,"consumer_ticks":%s,"user_hz":%s,"consumer_stderr":%s' \
			"$CONS_LINES" "$CONS_TICKS" "$(getconf CLK_TCK)" "$(jstr "$CONS_ERR")")
	else
		c1=$(ev_counts)
	fi
	# Records of this run: queued, lost, undelivered.
	extra="$extra$(printf '%s %s\n' "$c0" "$c1" |
		awk '{ printf ",\"queued\":%d,\"lost\":%d,\"undelivered\":%d", $4 - $1, $5 - $2, $6 - $3 }')"
	res=$(printf '%s\n' "$line" | awk '{
		printf "\"ns\":%s,\"baseline_ns\":%s", $5, $6
		for (i = 7; i <= NF; i++) {
			k = $i; sub(/=.*/, "", k); v = $i; sub(/^[^=]*=/, "", v)
			if (v == "-") v = "null"
			if (k == "total") k = "total_ns"
			printf ",\"%s\":%s", k, v
		}
	}')
	printf '{"step":"%s","kind":"%s","variant":"%s","n":%s,"sockets":%s,"consumer":%s,%s%s,"line":%s}\n' \
		"$step" "$kind" "$var" "$n" "$socks" "$cons" "$res" "$extra" "$(jstr "$line")" >>"$RUNS"
	log "$step: $line${CONS_ERR:+ | consumer: $CONS_ERR}"
	CONS_ERR=""
}

# ---------------------------------------------------------------- life

# life CONFIG: one lifegen run; A no module, D loaded, E + consumer,
# E@RATE the same paced at RATE lifecycles/s
life() {
	local cfg=$1 c0="0 0 0" c1="0 0 0" res rc h0 extra="" p0 p1 pace="" ends=0
	case $cfg in
	A) unload ;;
	D) load ;;
	E) load; consumer_start connect ;;
	E@*) pace="-r ${cfg#E@}"; load; consumer_start connect ;;
	esac
	[ "$cfg" != A ] && { c0=$(ev_counts); awk 'NR > 1 { print $1, $4 }' $DBG/probes >"$W/hits0"; }
	p0=$(cpu_ticks)
	# shellcheck disable=SC2086 # pace is two words or none
	res=$("$LIFEGEN" -n "$LIFE" $pace 2>"$W/life.err")
	rc=$?
	p1=$(cpu_ticks)
	# What the consumer had printed when the last lifecycle was made: it
	# kept up if that is (nearly) all.
	[ -n "$CONS" ] && ends=$(grep -c '"type":"connect"' "$W/cons.out")
	[ -n "$res" ] || res=null
	# Where the CPU time went during the run (USER_HZ ticks, all CPUs).
	extra=$(printf '%s %s\n' "$p0" "$p1" | awk '{ printf ",\"cpu_ticks\":{\"user\":%d,\"system\":%d,\"softirq\":%d,\"idle\":%d},\"user_hz\":%d", $5 - $1, $6 - $2, $7 - $3, $8 - $4, '"$(getconf CLK_TCK)"' }')
	if [ -n "$CONS" ]; then
		consumer_stop "$LIFE"
		extra="$extra$(printf ',"delivered":%s,"delivered_by_end":%s,"consumer_ticks":%s,"consumer_stderr":%s' \
			"$CONS_LINES" "$ends" "$CONS_TICKS" "$(jstr "$CONS_ERR")")"
	fi
	if [ "$cfg" != A ]; then
		c1=$(ev_counts)
		extra="$extra$(printf '%s %s\n' "$c0" "$c1" |
			awk '{ printf ",\"queued\":%d,\"lost\":%d,\"undelivered\":%d", $4 - $1, $5 - $2, $6 - $3 }')"
		# Probe hits of the run, per point that fired.
		h0=$(awk 'NR == FNR { h[$1] = $2; next }
			FNR > 1 && $4 - h[$1] > 0 { printf "%s\"%s\":%d", (n++ ? "," : ""), $1, $4 - h[$1] }' \
			"$W/hits0" $DBG/probes)
		extra="$extra,\"hits\":{$h0}"
	fi
	printf '{"config":"%s","cycles":%s,"rc":%s,"lifegen":%s%s,"stderr":%s}\n' \
		"$cfg" "$LIFE" "$rc" "$res" "$extra" "$(jstr "$(head -c 300 "$W/life.err")")" >>"$LIFES"
	log "life $cfg: $res${CONS_ERR:+ | consumer: $CONS_ERR}"
	CONS_ERR=""
}

# ---------------------------------------------------------------- main

t_start=$(cut -d' ' -f1 /proc/uptime)
ip link set lo up
load
# A bad request is refused (EINVAL), and runs nothing.
for bad in "kprobe nosuch 1000" "kprobe empty 0" "tracepoint empty 1000 0" "kprobe empty 10 1 x"; do
	if printf '%s\n' "$bad" >$DBG/bench 2>/dev/null; then
		die "the bench file accepted '$bad'"
	fi
done
# The kprobe layer's view of one attach, for the record.
kp_list=""

for step in $STEPS; do
	case $step in
	per-event)
		# Warm-up: page cache, slab, the first sockets.
		printf 'kprobe empty 20000 1\n' >$DBG/bench || die "bench warm-up failed"
		for k in $KINDS; do
			for v in $VARIANTS; do
				measure per-event "$k" "$v" "$N" 1 0
			done
			case " $VARIANTS " in
			*" event "*) measure per-event "$k" event "$N" 1 1 ;;
			esac
		done
		;;
	sockets)
		for k in $KINDS; do
			for s in $SOCKETS; do
				measure sockets "$k" sock "$N" "$s" 0
			done
		done
		;;
	life)
		"$LIFEGEN" -n 1000 >/dev/null 2>&1
		for c in A D E; do
			life "$c"
		done
		for r in $LIFE_RATES; do
			life "E@$r"
		done
		load
		;;
	*) die "unknown step $step" ;;
	esac
done

# A kprobe on the target while a long run holds it: [FTRACE] or not.
( printf 'kprobe empty 2000000 1\n' >$DBG/bench ) &
bp=$!
sleep 1
kp_list=$(grep st_bench_target /sys/kernel/debug/kprobes/list 2>/dev/null)
kill "$bp" 2>/dev/null
wait "$bp" 2>/dev/null
unload

{
	printf '{"kernel":%s,"n":%s,"life_cycles":%s,"kinds":%s,"variants":%s,"sockets":%s,' \
		"$(jstr "$(uname -r)")" "$N" "$LIFE" "$(jstr "$KINDS")" "$(jstr "$VARIANTS")" "$(jstr "$SOCKETS")"
	printf '"icount_shift":3,"kprobes_list":%s,\n"runs":[\n' "$(jstr "$kp_list")"
	sed '$!s/$/,/' "$RUNS"
	printf '],\n"life":[\n'
	sed '$!s/$/,/' "$LIFES"
	printf ']}\n'
} >"$OUT/micro.json"
log "done in $(awk -v a="$t_start" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.0f", b - a }') guest s"
exit 0
