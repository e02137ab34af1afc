#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# One multicast group per record type: a reader of one type receives
# only that type, the "events" group receives every record, and the
# module builds no record nobody listens for (events.queued counts
# exactly the records of the joined types).
. "$GUEST_DIR/lib.sh"

Q="python3 $GUEST_DIR/jq.py"
queued() { "$SOCKTAP" status -j | $Q "d['events']['queued']"; }
# listen GROUP...: mcgroups.py joined and ready, its stdin on fd 3.
listen() {
	out=$(mktemp)
	exec 3> >(exec python3 "$GUEST_DIR/mcgroups.py" "$@" > "$out")
	for _ in $(seq 100); do grep -q ready "$out" && return; sleep 0.1; done
}
# stop: the counts mcgroups.py printed, in $counts.
stop() {
	exec 3>&-
	for _ in $(seq 300); do [ "$(wc -l < "$out")" -ge 2 ] && break; sleep 0.1; done
	counts=$(sed -n 2p "$out")
	rm -f "$out"
}
conns() { for _ in $(seq "$1"); do python3 "$GUEST_DIR/oneconn.py" > /dev/null || return 1; done; }

dmesg -C
check_cmd load load

# Only the connect group: 6 connections give 6 connect records, and the
# module queued nothing else (no state, life or accept records built).
q0=$(queued)
listen connect
check_cmd conns_6 conns 6
stop
check_eq connect_only "$(echo "$counts" | $Q "d")" "{'connect': {'connect': 6}}"
check_eq queued_only_connect "$(($(queued) - q0))" 6

# Three readers: "events" sees every type, each type's group only its own.
q0=$(queued)
listen events state connect
check_cmd conns_3 conns 3
stop
check_eq events_connect_3 "$(echo "$counts" | $Q "d['events'].get('connect')")" 3
# tcplife reports both ends of a loopback connection.
check_eq events_life_6 "$(echo "$counts" | $Q "d['events'].get('life')")" 6
check_eq events_accept_3 "$(echo "$counts" | $Q "d['events'].get('accept')")" 3
check_eq state_group_only_state "$(echo "$counts" | $Q "sorted(d['state'])")" "['state']"
check_eq state_group_all_states "$(echo "$counts" | $Q "d['state']['state'] == d['events']['state'] and d['state']['state'] >= 3 * 8")" True
check_eq connect_group "$(echo "$counts" | $Q "d['connect']")" "{'connect': 3}"
# What was queued is what "events" received: every record once.
check_eq queued_is_events "$(($(queued) - q0))" "$(echo "$counts" | $Q "sum(d['events'].values())")"

check_cmd rmmod rmmod socktap
check_eq dmesg_clean "$(dmesg_bad)" ""
finish
