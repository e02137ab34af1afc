#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Dropped TCP packets: SYNs to a closed port are dropped by tcp_v4_rcv;
# the drop stream names the reason (5.17+), the stack and the namespace.
. "$GUEST_DIR/lib.sh"

Q="python3 $GUEST_DIR/jq.py"
R=3
tcpc() { awk -v n="$1" '$1 == n { print $2 }' $DBG/tcp; }

check_cmd load load
"$SOCKTAP" watch drop -j -d 60 > /tmp/drop.json 2> /tmp/drop.err & w=$!
sleep 1
d0=$(tcpc drops)
out=$(python3 "$GUEST_DIR/sockload.py" --refused $R)
cport=$(echo "$out" | $Q 'd["closed_port"]')
sleep 1
kill -INT $w; wait $w
D() { $Q "$1" < /tmp/drop.json; }
check_eq drop_events_refused "$(D "len([e for e in d if e['dport'] == $cport])")" $R
if [ "$(($(tcpc drops) - d0))" -ge $R ]; then pass drop_counter; else fail drop_counter "$(($(tcpc drops) - d0)) < $R"; fi
# The reason exists from 5.17 on; its name comes from this kernel's tracefs.
if grep -q reason /sys/kernel/tracing/events/skb/kfree_skb/format; then
	want=NO_SOCKET
else
	want=None
fi
if [ $want = None ]; then want=[None]; else want="['$want']"; fi
check_eq drop_reason "$(D "sorted(set(e['reason_name'] for e in d if e['dport'] == $cport))")" "$want"
check_eq drop_stack_caller "$(D "sorted(set(e['stack'][0]['sym'].split('+')[0] for e in d if e['dport'] == $cport))")" "['tcp_v4_rcv']"
check_eq drop_netns "$(D "sorted(set(e['netns'] for e in d if e['dport'] == $cport))")" "[$(stat -L -c %i /proc/self/ns/net)]"
check_eq drop_no_socket_state "$(D "sorted(set(e['state'] for e in d if e['dport'] == $cport))")" "[None]"
check_cmd rmmod rmmod socktap
check_eq dmesg_clean "$(dmesg_bad)" ""
finish
