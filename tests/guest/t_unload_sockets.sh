#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unload while 1000 tracked sockets are open: the connections keep
# working and close cleanly without the module.  Then reload and measure
# the probe hit rate under connection churn with an event consumer.
. "$GUEST_DIR/lib.sh"

Q="python3 $GUEST_DIR/jq.py"
W=/tmp/unload_sockets
mkdir -p $W
P=500 B=1000
bgpids=""
cleanup() {
	for p in $bgpids; do kill "$p" 2>/dev/null; done
}
trap cleanup EXIT

st() { "$SOCKTAP" status -j | $Q "d$1"; }
# hold CMD: one command to the socket holder; its answer in $reply.
hold() {
	reply="no answer"
	echo "$*" >&"${HOLD[1]}"
	read -r -t 300 reply <&"${HOLD[0]}"
}
# Hits of every probe, from debugfs (reading it makes no socket call).
all_hits() { awk 'NR > 1 { s += $4 } END { print s }' $DBG/probes; }

dmesg -C
check_cmd load load

# ---- P established pairs in one process, the module unloaded under them
coproc HOLD { exec python3 "$GUEST_DIR/sockhold.py"; }
bgpids="$bgpids $HOLD_PID"
hold pairs $P
check_eq pairs_open "$reply" "ok pairs"
used=$(st "['tables']['sockets']['used']")
echo "INFO sockets tracked before unload: $used"
check_eq tracked_before_unload "$((used >= 2 * P))" 1
check_cmd rmmod_under_sockets rmmod socktap
check_eq unloaded "$(grep -c '^socktap ' /proc/modules)" 0
# Every connection both ways, then every socket closed.
hold io $B
check_eq io_after_unload "$reply" "ok io $((2 * P * B))"
hold close
check_eq close_after_unload "$reply" "ok close"
hold quit
check_eq quit "$reply" "ok quit"
wait "$HOLD_PID"
check_eq holder_exit "$?" 0
check_eq dmesg_clean_unload "$(dmesg_bad)" ""

# ---- reload: probe hits per second under churn, with a consumer
N=2000
check_cmd reload load
"$SOCKTAP" watch connect -j >$W/connect.json 2>$W/connect.err &
watcher=$!
bgpids="$bgpids $watcher"
sleep 1
h0=$(all_hits) t0=$(date +%s%N)
python3 "$GUEST_DIR/tcpgen.py" -n $N &
gen=$!
wait $gen
check_eq tcpgen_exit "$?" 0
t1=$(date +%s%N) h1=$(all_hits)
echo "INFO events/s: $(((h1 - h0) * 1000000000 / (t1 - t0))) ($((h1 - h0)) probe hits in $(((t1 - t0) / 1000000)) ms)"
# Let the consumer drain, then ask while it still listens.
sleep 1
check_eq events_lost "$(st "['events']['lost']")" 0
kill -INT $watcher
wait $watcher
check_eq watcher_exit "$?" 0
check_eq watch_connects "$($Q "len([e for e in d if e['pid'] == $gen])" <$W/connect.json)" $N
check_cmd rmmod rmmod socktap
check_eq dmesg_clean "$(dmesg_bad)" ""
finish
