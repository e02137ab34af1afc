#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Probe hit counters equal the traffic made, cross-checked with the MIB.
. "$GUEST_DIR/lib.sh"

N=7 N6=4
check_cmd load load

a0=$(mib Tcp ActiveOpens) p0=$(mib Tcp PassiveOpens)
c0=$(hits inet_stream_connect) x0=$(hits inet_csk_accept) s0=$(hits inet_sock_set_state)
python3 "$GUEST_DIR/tcpgen.py" -n $N
check_eq v4_connect_hits "$(($(hits inet_stream_connect) - c0))" $N
check_eq v4_accept_hits "$(($(hits inet_csk_accept) - x0))" $N
check_eq v4_active_opens_mib "$(($(mib Tcp ActiveOpens) - a0))" $N
check_eq v4_passive_opens_mib "$(($(mib Tcp PassiveOpens) - p0))" $N
# Per connection: client CLOSE>SYN_SENT>ESTABLISHED>FIN_WAIT1>FIN_WAIT2>CLOSE,
# server child LISTEN>SYN_RECV>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSE;
# plus the listener's CLOSE>LISTEN>CLOSE.
check_eq v4_state_changes "$(($(hits inet_sock_set_state) - s0))" $((10 * N + 2))

c0=$(hits inet_stream_connect) d0=$(hits inet_dgram_connect) a0=$(mib Tcp ActiveOpens)
python3 "$GUEST_DIR/tcpgen.py" -6 -n $N6
check_eq v6_connect_hits "$(($(hits inet_stream_connect) - c0))" $N6
check_eq v6_not_dgram "$(($(hits inet_dgram_connect) - d0))" 0
check_eq v6_active_opens_mib "$(($(mib Tcp ActiveOpens) - a0))" $N6

# One sendmsg and one recvmsg per connection, seen by the length
# tracepoints where the kernel has them, else by the inet return probes.
if [ "$(state sock_send_length)" = attached ]; then snd=sock_send_length rcv=sock_recv_length
else snd=inet_sendmsg rcv=inet_recvmsg; fi
s0=$(hits $snd) r0=$(hits $rcv)
python3 "$GUEST_DIR/tcpgen.py" -n $N --bytes 100
check_eq send_hits "$(($(hits $snd) - s0))" $N
check_eq recv_hits "$(($(hits $rcv) - r0))" $N

# A disabled point stops counting and leaves the kprobes list; re-enabled
# it counts again.
check_eq disable "$("$SOCKTAP" probe disable inet_stream_connect)" "inet_stream_connect: disabled"
check_eq disabled_not_in_kprobes "$(grep -cE ' inet_stream_connect\+0x[04] ' /sys/kernel/debug/kprobes/list)" 0
c0=$(hits inet_stream_connect)
python3 "$GUEST_DIR/tcpgen.py" -n 3
check_eq disabled_no_hits "$(($(hits inet_stream_connect) - c0))" 0
check_eq enable "$("$SOCKTAP" probe enable inet_stream_connect)" "inet_stream_connect: attached"
python3 "$GUEST_DIR/tcpgen.py" -n 3
check_eq reenabled_hits "$(($(hits inet_stream_connect) - c0))" 3
check_eq tp_disable "$("$SOCKTAP" probe disable inet_sock_set_state)" "inet_sock_set_state: disabled"
s0=$(hits inet_sock_set_state)
python3 "$GUEST_DIR/tcpgen.py" -n 2
check_eq tp_disabled_no_hits "$(($(hits inet_sock_set_state) - s0))" 0
check_eq tp_enable "$("$SOCKTAP" probe enable inet_sock_set_state)" "inet_sock_set_state: attached"

# The CLI's JSON agrees with debugfs.
check_eq json_hits_match "$(probe_field inet_stream_connect hits)" "$(hits inet_stream_connect)"
check_eq no_missed "$(probe_field inet_csk_accept missed)" 0
check_cmd rmmod rmmod socktap
check_eq dmesg_clean "$(dmesg_bad)" ""
finish
