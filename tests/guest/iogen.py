#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Known socket I/O from one process: UDP datagrams and TCP writes of
fixed sizes, each to a receiver in the same process that reads all of it.

  iogen.py [--family 4|6] [--udp N] [--udp-size S] [--tcp M] [--tcp-size T]
           [--wait FILE]

With --wait, the process prints its pid and waits until FILE exists
before sending (so a tracer can attach first).  Prints one JSON line:
{"pid", "udp_sends", "udp_recvs", "tcp_writes", "tcp_bytes_read"}.
Every send() must move its whole buffer, or the exit status is 1.
"""
import argparse
import json
import os
import socket
import sys
import threading
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--family", type=int, choices=(4, 6), default=4)
    ap.add_argument("--udp", type=int, default=0)
    ap.add_argument("--udp-size", type=int, default=100)
    ap.add_argument("--tcp", type=int, default=0)
    ap.add_argument("--tcp-size", type=int, default=3000)
    ap.add_argument("--wait")
    a = ap.parse_args()
    fam = socket.AF_INET if a.family == 4 else socket.AF_INET6
    host = "127.0.0.1" if a.family == 4 else "::1"

    if a.wait:
        print(os.getpid(), flush=True)
        while not os.path.exists(a.wait):
            time.sleep(0.05)

    ok = True
    res = {"pid": os.getpid(), "udp_sends": 0, "udp_recvs": 0,
           "tcp_writes": 0, "tcp_bytes_read": 0}

    if a.udp:
        rx = socket.socket(fam, socket.SOCK_DGRAM)
        rx.bind((host, 0))
        tx = socket.socket(fam, socket.SOCK_DGRAM)
        buf = b"u" * a.udp_size
        for _ in range(a.udp):
            ok &= tx.sendto(buf, rx.getsockname()[:2]) == a.udp_size
            res["udp_sends"] += 1
            # One in flight at a time: the receive buffer never overflows.
            ok &= len(rx.recv(65536)) == a.udp_size
            res["udp_recvs"] += 1
        tx.close()
        rx.close()

    if a.tcp:
        srv = socket.socket(fam, socket.SOCK_STREAM)
        srv.bind((host, 0))
        srv.listen(1)

        def reader():
            c, _ = srv.accept()
            while True:
                b = c.recv(65536)
                if not b:
                    break
                res["tcp_bytes_read"] += len(b)
            c.close()

        t = threading.Thread(target=reader)
        t.start()
        cl = socket.create_connection(srv.getsockname()[:2])
        buf = b"t" * a.tcp_size
        for _ in range(a.tcp):
            ok &= cl.send(buf) == a.tcp_size
            res["tcp_writes"] += 1
        cl.close()
        t.join()
        srv.close()
        ok &= res["tcp_bytes_read"] == a.tcp * a.tcp_size

    print(json.dumps(res), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
