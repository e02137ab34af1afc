#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The demo, inside the guest: load socktap, make real traffic (loopback,
# and a lossy veth pair between two namespaces), show what the CLI sees.
set -euo pipefail
KO=$1 SOCKTAP=$2
G=$(dirname "$0")/../tests/guest

say() { printf '\n$ %s\n' "$*"; "$@"; }

ip link set lo up
echo "guest kernel: $(uname -r)"
say insmod "$KO"
say "$SOCKTAP" status

echo
echo "# traffic: loopback connects (IPv4, IPv6, refused, non-blocking), writes,"
echo "# UDP datagrams, a first byte 45 ms late, 2 s of iperf3"
python3 "$G/sockload.py" --v4 20 --v6 10 --refused 3 --nonblock 5 \
	--writes 50 --bytes 500000 --writes6 10 --bytes6 10000 \
	--udp 40 --udp-size 512 --delay-first-ms 45 > /dev/null
iperf3 -s -1 -D > /dev/null
sleep 0.5
iperf3 -c 127.0.0.1 -t 2 > /dev/null
say "$SOCKTAP" top -n 1
say "$SOCKTAP" hist connect
say "$SOCKTAP" hist first-byte

echo
echo "# a listener with backlog 1 that never accepts, and 6 clients"
python3 - <<'EOF'
import socket, time
l = socket.socket(); l.bind(("127.0.0.1", 8080)); l.listen(1)
cs = [socket.socket() for _ in range(6)]
for c in cs:
    c.setblocking(False); c.connect_ex(("127.0.0.1", 8080))
time.sleep(1.5)
EOF
say "$SOCKTAP" backlog

echo
echo "# 3 transfers of 300 kB over a veth pair with 10 % loss (192.0.2.1 -> 192.0.2.2)"
modprobe veth
modprobe sch_netem
ip netns add demoA
ip netns add demoB
ip link add a0 netns demoA type veth peer name b0 netns demoB
ip -n demoA addr add 192.0.2.1/24 dev a0
ip -n demoB addr add 192.0.2.2/24 dev b0
ip -n demoA link set a0 up
ip -n demoB link set b0 up
ip netns exec demoA tc qdisc add dev a0 root netem loss 10%
ip netns exec demoB python3 -c '
import socket
l = socket.socket(); l.bind(("192.0.2.2", 5001)); l.listen(8)
for _ in range(3):
    s, _ = l.accept()
    while s.recv(65536):
        pass
    s.close()' &
srv=$!
sleep 1
"$SOCKTAP" watch retrans -t -d 20 > /tmp/retrans.txt 2>/dev/null &
w=$!
sleep 1
ip netns exec demoA python3 -c '
import socket
for _ in range(3):
    c = socket.create_connection(("192.0.2.2", 5001))
    c.sendall(b"x" * 300000)
    c.close()'
wait $srv
sleep 1
kill -INT $w
wait $w || true
echo
echo "\$ $SOCKTAP watch retrans -t    (during the transfers)"
head -25 /tmp/retrans.txt
say "$SOCKTAP" tcp
say rmmod socktap
