#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# -j of every command after real traffic, parsed with python3's json and
# checked against the keys of tests/guest/json_keys.txt (the shape, every
# required key, no undocumented one, each value of the type
# userspace/JSON.md gives); and that table against JSON.md.
. "$GUEST_DIR/lib.sh"

Q="python3 $GUEST_DIR/jq.py"
C="python3 $GUEST_DIR/json_check.py"
LOAD="python3 $GUEST_DIR/sockload.py"
O=/tmp/j
rm -rf $O
mkdir -p $O

# jcheck ID FILE: FILE is ID's documented JSON.
jcheck() { check_eq "json_$1" "$($C "$1" "$2" 2>&1 | head -5 | tr '\n' ' ' | sed 's/ $//')" ok; }
# run ID CMD...: CMD's stdout into $O/ID.json; it must exit 0.
run() {
	_id=$1
	shift
	"$SOCKTAP" "$@" > "$O/$_id.json" 2> "$O/$_id.err"
	check_eq "rc_$_id" "$?" 0
}

check_eq doc_matches_table "$($C --doc 2>&1 | head -5 | tr '\n' ' ' | sed 's/ $//')" ok

check_cmd load load

# ---- the streams and the commands that collect for a while, then the
# traffic all of them see
pids=
bg() {
	_id=$1
	shift
	"$SOCKTAP" "$@" > "$O/$_id.json" 2> "$O/$_id.err" &
	pids="$pids $!:$_id"
}
# wait_bg: every background command of bg exited 0.
wait_bg() {
	for _p in $pids; do
		wait "${_p%%:*}"
		check_eq "rc_${_p#*:}" "$?" 0
	done
	pids=
}
for t in connect life state accept reset drop overflow retrans; do
	bg "watch-$t" watch $t -j -n 2 -d 60
done
# These four print when they end: stopped with SIGINT (Ctrl-C) once the
# traffic is over, however long starting them took.
bg retrans-count retrans -c -j -d 600
bg accept-count watch accept -c -j -d 600
bg count count -j -d 600 tcp_sendmsg 'inet_*'
bg stacks stacks -j -d 600 -k -u tcp_sendmsg
# Under emulation the CLIs take seconds to start: wait for the count and
# stack sessions to show in the module (the streams need less).
for _ in $(seq 120); do
	"$SOCKTAP" status -j | $Q 'd["stack_session"] is not None and d["count_probes"]["used"] > 0' |
		grep -q True && break
	sleep 0.5
done
sleep 1

$LOAD --v4 3 --v6 2 --refused 2 --nonblock 1 --writes 3 --bytes 3000 \
	--udp 2 > /dev/null
check_eq sockload_ran "$?" 0
# A listener with backlog 1 that never accepts: overflows, and SYNs
# retransmitted (after 1 s) for the connections it dropped.
python3 - <<'EOF'
import socket, time
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(1)
cs = []
for _ in range(6):
    c = socket.socket(); c.setblocking(False)
    c.connect_ex(l.getsockname()); cs.append(c)
time.sleep(2.5)
EOF
# The last records reach the readers (event_delay), then Ctrl-C.
sleep 2
for _p in $pids; do
	case ${_p#*:} in
	retrans-count | accept-count | count | stacks) kill -INT "${_p%%:*}" ;;
	esac
done
wait_bg

for t in connect life state accept reset drop overflow retrans; do
	jcheck "watch-$t" "$O/watch-$t.json"
	check_eq "watch_${t}_lines" "$(grep -c . "$O/watch-$t.json")" 2
done
check_eq watch_drop_has_stack "$($Q 'all(len(e["stack"]) > 0 for e in d)' < $O/watch-drop.json)" True
jcheck retrans-count $O/retrans-count.json
jcheck accept-count $O/accept-count.json
check_eq accept_count_rows "$($Q 'len(d) > 0' < $O/accept-count.json)" True
jcheck count $O/count.json
check_eq count_functions "$($Q 'len(d["functions"]) > 0' < $O/count.json)" True
jcheck stacks $O/stacks.json
check_eq stacks_both_kinds "$($Q 'len(d["stacks"]) > 0 and all("kernel" in s and "user" in s for s in d["stacks"])' < $O/stacks.json)" True

# ---- the commands that answer at once
run status status -j
jcheck status $O/status.json
check_eq json_schema "$($Q 'd["json_schema"]' < $O/status.json)" 1
run probe-list probe -j list
jcheck probe-list $O/probe-list.json
run probe-set probe -j enable inet_stream_connect
jcheck probe-set $O/probe-set.json
run top top -j -n 1
jcheck top $O/top.json
check_eq top_io_rows "$($Q 'any(p["io"] for p in d["processes"])' < $O/top.json)" True
run hist hist -j connect
"$SOCKTAP" hist -j lifetime >> $O/hist.json
jcheck hist $O/hist.json
check_eq hist_lines "$(grep -c . $O/hist.json)" 3
run hist-proc hist -P -j
jcheck hist-proc $O/hist-proc.json
check_eq hist_proc_rows "$($Q 'len(d["processes"]) > 0' < $O/hist-proc.json)" True
run tcp tcp -j
jcheck tcp $O/tcp.json
run backlog backlog -j
jcheck backlog $O/backlog.json
check_eq backlog_rows "$($Q 'len(d) > 0 and any(r["acceptq"] for r in d)' < $O/backlog.json)" True
run filter filter -j
jcheck filter $O/filter.json
run funcs funcs -j 'tcp_v4_conn*'
jcheck funcs $O/funcs.json
check_eq funcs_rows "$($Q 'len(d) > 0 and all(f["checked"] for f in d)' < $O/funcs.json)" True

# ---- per-segment streams, while a port filter narrows them
"$SOCKTAP" filter -P 7071 > /dev/null
bg watch-send watch send -j -n 2 -d 60
bg watch-receive watch receive -j -n 2 -d 60
sleep 2
python3 - <<'EOF'
import socket
l = socket.socket(); l.bind(("127.0.0.1", 7071)); l.listen(1)
c = socket.create_connection(("127.0.0.1", 7071)); s, _ = l.accept()
c.sendall(b"s" * 1000)
got = 0
while got < 1000:
    got += len(s.recv(4096))
c.close(); s.recv(1); s.close(); l.close()
EOF
wait_bg
"$SOCKTAP" filter clear > /dev/null
jcheck watch-send $O/watch-send.json
jcheck watch-receive $O/watch-receive.json

# ---- last: reset empties what the others read
run reset reset -j
jcheck reset $O/reset.json

check_cmd rmmod rmmod socktap
check_eq dmesg_clean "$(dmesg_bad)" ""
finish
