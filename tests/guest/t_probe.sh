#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run-time probes: funcs against bpftrace's list and the kprobe layer,
# count against known calls, stacks at ip_output against a bpftrace
# count of the same calls, user stacks naming a known function, I/O size
# histograms (global and per process) with exact buckets, a glob of
# hundreds of functions attached and removed, and unloading while
# run-time probes are attached.
. "$GUEST_DIR/lib.sh"

Q="python3 $GUEST_DIR/jq.py"
IOGEN="python3 $GUEST_DIR/iogen.py"
USTACK=$GUEST_DIR/ustack
W=/tmp/probe
mkdir -p $W
bgpids=""
cleanup() {
	for p in $bgpids; do kill "$p" 2>/dev/null; done
}
trap cleanup EXIT
N=37 US=100 M=23 TS=3000

dstat() { awk -v k="$1" '$1 == k { print $2 }' "$DBG/$2"; }
# wait_file_val FILE KEY VALUE: until a debugfs file shows it, 60 s at most
# (attaching hundreds of probes under TCG takes a while).
wait_dval() {
	for _ in $(seq 600); do
		[ "$(dstat "$2" "$1")" = "$3" ] && return 0
		sleep 0.1
	done
	return 1
}
ourkprobes() { grep -c . /sys/kernel/debug/kprobes/list; }

dmesg -C
check_cmd load load

# ---- funcs: the same functions bpftrace lists, each accepted by the
# kprobe layer unless its name is not unique (the kernel refuses those).
"$SOCKTAP" funcs -a -j 'tcp_v4_*' > $W/funcs.json 2>$W/funcs.err
check_eq funcs_exit $? 0
bpftrace -l 'kprobe:tcp_v4_*' 2>/dev/null | sed 's/^kprobe://' | sort -u > $W/bt.list
check_eq bpftrace_listed "$([ -s $W/bt.list ] && echo yes)" yes
verdict=$($Q "
f = {x['name']: x for x in d}
bt = open('$W/bt.list').read().split()
bad = [n for n in bt if n not in f or not (f[n]['probeable'] or f[n]['error'] == 'EADDRNOTAVAIL')]
print('ok' if not bad and all(x['checked'] for x in d) else 'bad: ' + ' '.join(bad[:5]))
" < $W/funcs.json)
check_eq funcs_cover_bpftrace "$verdict" ok
check_eq funcs_tcp_v4_connect_ftrace \
	"$($Q "[x for x in d if x['name'] == 'tcp_v4_connect'][0]['ftrace']" < $W/funcs.json)" True
# Blacklisted: never probe-able, whatever the listing.
"$SOCKTAP" funcs -a -j 'kprobe_int3_handler' > $W/bl.json 2>/dev/null
check_eq funcs_blacklisted_refused \
	"$($Q "[(x['probeable'], x['checked']) for x in d if x['name'] == 'kprobe_int3_handler']" < $W/bl.json)" \
	"[(False, True)]"

# ---- count and size histograms: N UDP sends, M TCP writes, known sizes.
check_cmd reset "$SOCKTAP" reset
rm -f $W/go
$IOGEN --udp $N --udp-size $US --tcp $M --tcp-size $TS --wait $W/go > $W/iogen.out &
io=$!
bgpids="$bgpids $io"
"$SOCKTAP" count -j -d 600 udp_sendmsg tcp_sendmsg nosuch_function_xyz > $W/count.json 2>$W/count.err &
cnt=$!
bgpids="$bgpids $cnt"
check_cmd count_attached wait_dval count count_used 2
touch $W/go
wait $io
check_eq iogen_ok $? 0
iopid=$(head -1 $W/iogen.out)
# The session's own counts, while it runs (debugfs: no socket call).
calls() { awk -v f="$1" '$2 == f { print $3 }' $DBG/count; }
check_eq count_udp_sendmsg "$(calls udp_sendmsg)" $N
check_eq count_tcp_sendmsg "$(calls tcp_sendmsg)" $M
kill -INT $cnt
wait $cnt
check_eq count_exit_on_sigint $? 0
check_eq count_json_udp "$($Q "[f['calls'] for f in d['functions'] if f['name'] == 'udp_sendmsg']" < $W/count.json)" "[$N]"
check_eq count_json_tcp "$($Q "[f['calls'] for f in d['functions'] if f['name'] == 'tcp_sendmsg']" < $W/count.json)" "[$M]"
check_eq count_skipped_named "$($Q "[s['name'] for s in d['skipped']]" < $W/count.json)" "['nosuch_function_xyz']"
check_grep count_skipped_said 'nosuch_function_xyz' "$(cat $W/count.err)"
check_eq count_detached "$(dstat count_used count)" 0

# log2 buckets: 100 bytes in [64, 128), 3000 in [2048, 4096).
hb() { "$SOCKTAP" hist -j "$1" | $Q "bucket($2, '$1')"; }
hc() { "$SOCKTAP" hist -j "$1" | $Q "hist('$1')['count']"; }
check_eq hist_udp_sendmsg_bucket "$(hb udp-sendmsg 6)" $N
check_eq hist_udp_sendmsg_count "$(hc udp-sendmsg)" $N
check_eq hist_udp_recvmsg_bucket "$(hb udp-recvmsg 6)" $N
check_eq hist_tcp_sendmsg_bucket "$(hb tcp-sendmsg 11)" $M
check_eq hist_tcp_sendmsg_count "$(hc tcp-sendmsg)" $M
# Per process: the same numbers under iogen's pid.
"$SOCKTAP" hist -P -j -p "$iopid" > $W/size.json
pb() {
	$Q "
p = [p for p in d['processes'] if p['pid'] == $iopid][0]
h = [h for h in p['histograms'] if h['name'] == '$1'][0]
print(sum(b['count'] for b in h['buckets'] if b['lo'] == $2), h['count'], h['sum'])" < $W/size.json
}
check_eq size_proc_udp_sendmsg "$(pb udp-sendmsg 64)" "$N $N $((N * US))"
check_eq size_proc_udp_recvmsg "$(pb udp-recvmsg 64)" "$N $N $((N * US))"
check_eq size_proc_tcp_sendmsg "$(pb tcp-sendmsg 2048)" "$M $M $((M * TS))"
check_eq size_proc_tcp_recv_bytes "$(pb tcp-recvmsg 0 | cut -d' ' -f3)" $((M * TS))

# ---- kernel stacks at ip_output: every call in a stack, and as many
# calls as bpftrace counts on the same function in the same run.
bpftrace -e 'kprobe:ip_output { @calls = count(); } interval:s:600 { exit(); }' \
	> $W/bt.out 2>&1 &
bt=$!
bgpids="$bgpids $bt"
"$SOCKTAP" stacks -j -d 600 ip_output > $W/stacks.json 2>$W/stacks.err &
stk=$!
bgpids="$bgpids $stk"
wait_dval stacks func ip_output
# bpftrace is attached once it has printed its banner.
for _ in $(seq 300); do grep -q Attaching $W/bt.out && break; sleep 0.1; done
sleep 1
$IOGEN --tcp 50 --tcp-size 20000 > /dev/null
$IOGEN --udp 10 > /dev/null
sleep 0.5
kill -INT $bt
wait $bt
kill -INT $stk
wait $stk
check_eq stacks_exit $? 0
btcalls=$(sed -n 's/^@calls: //p' $W/bt.out)
read -r hits sum dropped <<EOF2
$($Q "d['hits'], sum(s['count'] for s in d['stacks']), d['dropped']" < $W/stacks.json | tr -d '(),')
EOF2
check_eq stacks_counts_sum_to_hits "$sum" "$hits"
check_eq stacks_none_dropped "$dropped" 0
check_eq stacks_hits_match_bpftrace "$hits" "$btcalls"
tcpstack=$($Q "
ok = [s for s in d['stacks'] if [f['sym'].split('+')[0] for f in s['kernel']][:1] == ['ip_output']
      and any(f['sym'].startswith('__tcp_transmit_skb') for f in s['kernel'])
      and any(f['sym'].split('+')[0] in ('__ip_queue_xmit', 'ip_queue_xmit') for f in s['kernel'])]
print(len(ok) > 0)" < $W/stacks.json)
check_eq stacks_tcp_transmit_path "$tcpstack" True
udpstack=$($Q "any(any(f['sym'].startswith('udp_send_skb') for f in s['kernel']) for s in d['stacks'])" < $W/stacks.json)
check_eq stacks_udp_path "$udpstack" True
check_eq stacks_session_ended "$(dstat func stacks)" ""

# ---- user stacks at connect: the known caller of a frame-pointer binary.
"$SOCKTAP" stacks -j -u -d 600 connect > $W/ustacks.json 2>$W/ustacks.err &
stk=$!
bgpids="$bgpids $stk"
wait_dval stacks func __sys_connect
python3 -c '
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
print(s.getsockname()[1], flush=True)
time.sleep(30)' > $W/port &
lst=$!
bgpids="$bgpids $lst"
for _ in $(seq 100); do [ -s $W/port ] && break; sleep 0.1; done
"$USTACK" 127.0.0.1 "$(cat $W/port)" 5 3 > $W/ustack.out
check_eq ustack_ran $? 0
upid=$(head -1 $W/ustack.out)
kill -INT $stk
wait $stk
check_eq ustacks_exit $? 0
known=$($Q "
s = [s for s in d['stacks'] if s['pid'] == $upid]
print(sum(x['count'] for x in s),
      all(any(f['sym'].startswith('ustack_known_caller') for f in x['user']) for x in s))" < $W/ustacks.json)
check_eq ustacks_names_known_caller "$known" "5 True"
kill $lst 2>/dev/null

# ---- hundreds of functions: attach, count, detach, nothing left behind.
before=$(ourkprobes)
"$SOCKTAP" count -j -d 600 'tcp_*' > $W/many.json 2>$W/many.err &
cnt=$!
bgpids="$bgpids $cnt"
for _ in $(seq 1200); do grep -q '^attached' $W/many.err && break; sleep 0.1; done
attached=$(dstat count_used count)
python3 "$GUEST_DIR/tcpgen.py" -n 5 > /dev/null
kill -INT $cnt
wait $cnt
check_eq count_many_exit $? 0
check_eq count_many_hundreds "$([ "${attached:-0}" -ge 200 ] && echo yes)" yes
check_eq count_many_json_attached "$($Q "d['attached']" < $W/many.json)" "$attached"
check_eq count_many_connects "$($Q "[f['calls'] for f in d['functions'] if f['name'] == 'tcp_v4_connect']" < $W/many.json)" "[5]"
check_eq count_many_detached "$(dstat count_used count)" 0
check_eq count_many_kprobes_removed "$(ourkprobes)" "$before"

# A killed CLI leaves nothing attached: its socket's release ends the session.
"$SOCKTAP" count -d 600 udp_sendmsg > /dev/null 2>&1 &
cnt=$!
wait_dval count count_used 1
kill -9 $cnt
wait $cnt 2>/dev/null
check_cmd count_sigkill_detached wait_dval count count_used 0

# ---- unprivileged: no run-time probes.
if command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$SOCKTAP" count -d 1 tcp_sendmsg \
		> /dev/null 2>$W/perm.err
	check_eq count_unprivileged_exit $? 4
	setpriv --reuid=65534 --regid=65534 --clear-groups "$SOCKTAP" stacks -d 1 \
		> /dev/null 2>$W/perm2.err
	check_eq stacks_unprivileged_exit $? 4
fi

# ---- unload with run-time probes attached and traffic running.
python3 "$GUEST_DIR/tcpgen.py" -n 2000 > /dev/null & gen=$!
"$SOCKTAP" count -d 600 'tcp_*' > /dev/null 2>$W/u1.err & c1=$!
"$SOCKTAP" stacks -k -u -d 600 tcp_sendmsg > /dev/null 2>$W/u2.err & c2=$!
for _ in $(seq 1200); do grep -q '^attached' $W/u1.err && break; sleep 0.1; done
wait_dval stacks func tcp_sendmsg
check_cmd unload_attached rmmod socktap
wait $c1 $c2
wait $gen
check_eq unload_traffic_ok $? 0
check_eq unload_kprobes_gone "$(grep -c . /sys/kernel/debug/kprobes/list 2>/dev/null)" 0

# ---- a full stack table: 20 processes, so 20 user stacks, into 16 rows;
# the calls of the 4 that do not fit are counted, none lost.
check_cmd load_small_stack_table load stack_capacity=16
"$SOCKTAP" stacks -j -u -d 600 connect > $W/full.json 2>$W/full.err &
stk=$!
bgpids="$bgpids $stk"
wait_dval stacks func __sys_connect
python3 -c '
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64)
print(s.getsockname()[1], flush=True)
time.sleep(60)' > $W/port2 &
lst=$!
bgpids="$bgpids $lst"
for _ in $(seq 100); do [ -s $W/port2 ] && break; sleep 0.1; done
ok=0
for i in $(seq 20); do
	"$USTACK" 127.0.0.1 "$(cat $W/port2)" 2 0 > /dev/null 2>&1 && ok=$((ok + 1))
done
check_eq full_clients_ran $ok 20
check_eq full_table_used "$(dstat used stacks)" 16
kill -INT $stk
wait $stk
read -r hits sum dropped rows <<EOF2
$($Q "d['hits'], sum(s['count'] for s in d['stacks']), d['dropped'], len(d['stacks'])" < $W/full.json | tr -d '(),')
EOF2
check_eq full_hits "$hits" 40
check_eq full_rows "$rows" 16
check_eq full_dropped "$dropped" 8
check_eq full_counted_or_dropped "$((sum + dropped))" "$hits"
kill $lst 2>/dev/null
check_cmd unload_small rmmod socktap
check_eq dmesg_clean "$(dmesg_bad)" ""
finish
