#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fuzzing the netlink family and the debugfs files with tests/guest/nlfuzz
# while loopback traffic runs and a `socktap watch` consumer receives
# events: random bytes and mutated valid requests of every command, dumps
# abandoned midway, sockets closed with requests in flight.  Every request
# must be answered and every reply be well formed; errors come with an
# extack message unless the generic netlink core refused the request before
# socktap saw it (counted by reason).  Then the module still answers,
# streams, unloads, and the kernel log is clean.
#   FUZZ_COUNT   requests (default: 1000000 on 6.1, 200000 elsewhere)
#   FUZZ_SEED    replay a run (its seed is in the check names)
. "$GUEST_DIR/lib.sh"

NLFUZZ=$GUEST_DIR/nlfuzz
Q="python3 $GUEST_DIR/jq.py"
W=/tmp/fuzz
mkdir -p $W
case $SERIES in
6.1) COUNT=${FUZZ_COUNT:-1000000} ;;
*) COUNT=${FUZZ_COUNT:-200000} ;;
esac
bgpids=""
cleanup() {
	for p in $bgpids; do kill "$p" 2>/dev/null; done
}
trap cleanup EXIT

if [ ! -x "$NLFUZZ" ]; then
	fail nlfuzz_built "$NLFUZZ missing: make tests/guest/nlfuzz"
	finish
fi

dmesg -C
check_cmd load load
states() { awk 'NR > 1 { print $1, $3 }' "$DBG/probes"; }
states > $W/states.before

# Events flowing: a consumer of the stream, and connections every second.
"$SOCKTAP" watch state -j > $W/watch.out 2> $W/watch.err &
watch=$!
bgpids="$bgpids $watch"
(while :; do python3 "$GUEST_DIR/tcpgen.py" -n 20 --bytes 2000; sleep 1; done) > /dev/null 2>&1 &
gen=$!
bgpids="$bgpids $gen"

# debugfs at odd offsets and sizes, writes refused, at the same time.
"$NLFUZZ" ${FUZZ_SEED:+-s "$FUZZ_SEED"} -n 3000 debugfs "$DBG" > $W/dbg.out 2> $W/dbg.err &
dbg=$!

start=$(date +%s)
"$NLFUZZ" ${FUZZ_SEED:+-s "$FUZZ_SEED"} -n "$COUNT" fuzz > $W/nlfuzz.out 2> $W/nlfuzz.err
rc=$?
secs=$(($(date +%s) - start))
wait $dbg
drc=$?
kill "$gen" 2>/dev/null
wait "$gen" 2>/dev/null

stat() { awk -v k="$1" '$1 == "stat" && $2 == k { print $3 }' "$2"; }
seed=$(stat seed $W/nlfuzz.out)
sent=$(stat sent $W/nlfuzz.out)
echo "nlfuzz: seed $seed, $sent requests in $secs s"
# Failures, errors socktap gave without a message, the extack messages seen.
grep -E '^BAD|^  request|^nomsg socktap|^extack ' $W/nlfuzz.out | head -60
if [ $rc -eq 0 ]; then
	pass "nlfuzz_seed_${seed}_${sent}_requests_${secs}s"
else
	fail "nlfuzz_exit" "exit $rc, seed $seed: $(grep -E '^BAD|^nlfuzz' $W/nlfuzz.out $W/nlfuzz.err | head -8 | tr '\n' ' ')"
fi
check_eq requests_sent "$sent" "$COUNT"

# One PASS line per count, the number in its name; a FAIL when it is wrong.
count_is() { # NAME STAT WANT
	v=$(stat "$2" $W/nlfuzz.out)
	if [ "$v" = "$3" ]; then pass "${1}_$v"; else fail "$1" "$2 is '$v', want $3 (seed $seed)"; fi
}
count_any() { # NAME STAT: present, any value
	v=$(stat "$2" $W/nlfuzz.out)
	if [ -n "$v" ]; then pass "${1}_$v"; else fail "$1" "no $2 in the output"; fi
}
count_is answered answered "$COUNT"
count_is unanswered unanswered 0
count_any replies_valid replies
count_is replies_malformed replies_bad 0
count_any acks acks
count_any dumps_done "done"
count_any no_ack_requests_silent silent
count_any valid_requests valid_sent
count_is valid_requests_refused valid_failed 0
count_any errors_with_extack err_msg
count_any errors_genl_core_without_extack err_nomsg_core
count_is errors_socktap_without_extack err_nomsg_socktap 0
count_is messages_for_no_request stray 0
count_is protocol_anomalies anomalies 0
count_is extack_offsets_past_request bad_offs 0
count_is receive_overruns overruns 0
count_any dumps_abandoned abandoned
count_any sockets_closed_in_flight inflight
count_any concurrent_child_rounds child_rounds
count_any kprobe_names_asked kprobe_names
count_any probe_toggles probe_toggles
count_is optable_as_netlink_c optable_mismatches 0
count_is probes_restored probes_not_restored 0
# Errors without a message by reason (the genl core's, before socktap).
for why in genl-header-short no-such-op admin-perm dump-running; do
	n=$(grep "^nomsg core:$why " $W/nlfuzz.out | sed 's/.*count=\([0-9]*\).*/\1/' |
		awk '{ s += $1 } END { print s + 0 }')
	echo "# errors the genl core sent without a message: $why $n"
done
# Only these errnos may come without a message, and only from the core.
odd=$(grep '^nomsg' $W/nlfuzz.out | grep -vE \
	'^nomsg core:(genl-header-short .*errno=EINVAL|no-such-op .*errno=EOPNOTSUPP|dump-running .*errno=EBUSY)' | head -5)
check_eq nomsg_errors_expected_kinds "$odd" ""

# debugfs: every write refused, reads at odd offsets fine.
ds() { stat "$1" $W/dbg.out; }
if [ $drc -eq 0 ]; then
	pass "debugfs_fuzz_$(ds dfiles)_files_$(ds dopens_w)_opens_for_write_$(ds dopen_w_refused)_refused_$(ds dwrites_refused)_writes_refused_$(ds dreads)_reads_$(ds dpreads)_preads"
else
	fail debugfs_fuzz "exit $drc: $(grep -E '^BAD|^nlfuzz' $W/dbg.out $W/dbg.err | head -5 | tr '\n' ' ')"
fi
check_eq debugfs_writes_all_refused "$(ds dwrites_refused)" "$(ds dwrites)"

# Afterwards: the probe points as before, the module answers and streams.
states > $W/states.after
# PROBE_SET disable makes a standby point "disabled", and enable cannot
# bring it back while the other point of its group is attached (EBUSY):
# that change is allowed.  An unavailable point stays unavailable.
check_eq probe_states_restored "$(join <(sort $W/states.before) <(sort $W/states.after) |
	awk '$2 != $3 && !($2 == "standby" && $3 == "disabled")')" ""
check_cmd status_answers "$SOCKTAP" status
check_eq status_filter_cleared "$("$SOCKTAP" status -j | $Q "(d['filter']['pid'], d['filter']['port'], d['filter']['netns'])")" "(0, 0, 0)"
before=$(grep -c . $W/watch.out)
python3 "$GUEST_DIR/tcpgen.py" -n 3 > /dev/null
for _ in $(seq 50); do [ "$(grep -c . $W/watch.out)" -gt "$before" ] && break; sleep 0.2; done
n=$(grep -c . $W/watch.out)
if [ "$n" -gt "$before" ]; then pass "watch_still_streams_${n}_events"; else fail watch_still_streams "no event after the fuzz ($before before)"; fi
kill -INT $watch
wait $watch
check_eq watch_exit $? 0
check_cmd rmmod rmmod socktap
check_eq dmesg_clean "$(dmesg_bad)" ""
finish
