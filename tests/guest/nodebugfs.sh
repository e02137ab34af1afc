#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run in a guest booted without debugfs mounted (vm.sh --append
# socktap_nodebugfs), by tests/run.sh: the module loads, the CLI does
# everything over netlink and says what it cannot show.
#   nodebugfs.sh SERIES KO SOCKTAP
SERIES=$1 KO=$2 SOCKTAP=$3
GUEST_DIR=$(cd "$(dirname "$0")" && pwd)
TEST=nodebugfs
export SERIES KO SOCKTAP GUEST_DIR TEST
. "$GUEST_DIR/lib.sh"
ip link set lo up
Q="python3 $GUEST_DIR/jq.py"
W=/tmp/nodebugfs
mkdir -p $W

check_eq debugfs_unmounted "$(awk '$3 == "debugfs"' /proc/mounts)" ""
check_cmd load load
check_eq no_debugfs_dir "$([ -e /sys/kernel/debug/socktap ] && echo present)" ""
check_cmd status "$SOCKTAP" status
check_eq status_json_debugfs "$("$SOCKTAP" status -j | $Q "d['debugfs']")" False
check_grep status_says_unavailable 'debugfs.*not mounted' "$("$SOCKTAP" status 2>&1)"
python3 "$GUEST_DIR/tcpgen.py" -n 5 > /dev/null
check_eq top_over_netlink "$("$SOCKTAP" top -n 1 -j | $Q "sum(p['connect_ok'] for p in d['processes'])")" 5
check_eq tcp_over_netlink "$("$SOCKTAP" tcp -j | $Q "d['connect-established']")" 5
check_cmd hist "$SOCKTAP" hist connect
check_cmd probes "$SOCKTAP" probe list
# funcs: the blacklist file is in debugfs; the kprobe layer still answers.
out=$("$SOCKTAP" funcs -j 'tcp_v4_conn*' 2>$W/funcs.err)
check_eq funcs_over_netlink "$(echo "$out" | $Q "[(x['name'], x['probeable']) for x in d if x['name'] == 'tcp_v4_connect']")" "[('tcp_v4_connect', True)]"
check_cmd count "$SOCKTAP" count -d 1 tcp_v4_connect
check_cmd stacks "$SOCKTAP" stacks -d 1 tcp_v4_connect
check_cmd rmmod rmmod socktap
check_eq dmesg_clean "$(dmesg_bad)" ""
finish
