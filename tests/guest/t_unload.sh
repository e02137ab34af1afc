#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Load and unload while connections are being made and accept() is
# blocked inside a kretprobe: no crash, no WARN, traffic unharmed.
. "$GUEST_DIR/lib.sh"

dmesg -C
python3 "$GUEST_DIR/tcpgen.py" -n 3000 & gen=$!
# A blocked accept() holds a kretprobe instance across the unload.
python3 -c '
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
s.settimeout(60)
try:
    s.accept()
except socket.timeout:
    pass' & blocked=$!
cycles=0
for i in 1 2 3 4 5; do
	load || break
	sleep 0.3
	"$SOCKTAP" status >/dev/null || break
	rmmod socktap || break
	cycles=$((cycles + 1))
done
check_eq load_unload_cycles $cycles 5
wait $gen; check_eq traffic_ok $? 0
kill $blocked 2>/dev/null; wait $blocked 2>/dev/null
check_eq dmesg_clean "$(dmesg_bad)" ""
finish
