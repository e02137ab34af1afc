#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The demo, inside the guest: load, traffic, show, unload.
set -euo pipefail
KO=$1 SOCKTAP=$2
GEN=$(dirname "$0")/../tests/guest/tcpgen.py

say() { printf '\n$ %s\n' "$*"; "$@"; }

ip link set lo up
echo "guest kernel: $(uname -r)"
say insmod "$KO"
say "$SOCKTAP" status
echo
echo "# traffic: 20 IPv4 + 10 IPv6 loopback connections, then 2 s of iperf3"
python3 "$GEN" -n 20
python3 "$GEN" -6 -n 10
iperf3 -s -1 -D >/dev/null
sleep 0.5
iperf3 -c 127.0.0.1 -t 2 | tail -4
say "$SOCKTAP" status
say "$SOCKTAP" probe -j list tcp_v4_connect
say cat /sys/kernel/debug/socktap/probes
say rmmod socktap
