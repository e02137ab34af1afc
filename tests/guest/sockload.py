#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Exact socket traffic for socktap's tests.

A server process (forked) listens on TCP v4 + v6 and UDP v4 and accepts
everything; the client process makes exactly the connects, writes and
datagrams asked for.  Prints one JSON line with both pids and the numbers
each one made, so a test can compare them with socktap's counters.

Client, in order:
  --v4 N        blocking IPv4 connects that succeed
  --v6 N        blocking IPv6 connects that succeed
  --refused N   blocking connects to a closed port (ECONNREFUSED)
  --nonblock N  non-blocking IPv4 connects (EINPROGRESS, then established)
  --writes J --bytes K   on the first IPv4 connection: K bytes in J writes
  --writes6 J --bytes6 K on the first IPv6 connection
  --udp N --udp-size S   N datagrams of S bytes to the server's UDP socket
  --delay-first-ms D     server waits D ms after accept, then writes 1 byte
                         on one more IPv4 connection; the client reads it
  --hold-ms D   one more IPv4 connection held open D ms before closing
"""
import argparse
import errno
import json
import os
import select
import socket
import sys
import time


def recv_exact(s, n):
    got = 0
    while got < n:
        b = s.recv(min(65536, n - got))
        if not b:
            raise RuntimeError("peer closed after %d of %d bytes" % (got, n))
        got += len(b)


def server(a, lsn4, lsn6, udp, ready_w, ctl_r):
    """Accept until the client says done; read what each connection sends."""
    conns = []
    counts = {"accepts": 0, "tcp_rx": 0, "udp_rx": 0, "udp_rx_bytes": 0}
    socks = [lsn4, lsn6, udp, ctl_r]
    done = False
    while not done:
        r, _, _ = select.select(socks + conns, [], [])
        for s in r:
            if s is ctl_r:
                cmd = os.read(ctl_r, 64)
                if cmd.startswith(b"delay"):
                    ms = int(cmd.split()[1])
                    # Acknowledge first: the client connects only then, so
                    # this accept cannot take another connection.
                    os.write(ready_w, b"k")
                    c, _ = lsn4.accept()
                    counts["accepts"] += 1
                    time.sleep(ms / 1000.0)
                    c.send(b"x")
                    conns.append(c)
                    os.write(ready_w, b"d")
                elif cmd.startswith(b"hold"):
                    # The held connection: read to its EOF, close, and
                    # say so, for the client's bound on both lifetimes.
                    os.write(ready_w, b"k")
                    c, _ = lsn4.accept()
                    counts["accepts"] += 1
                    while c.recv(65536):
                        pass
                    c.close()
                    os.write(ready_w, b"h")
                elif cmd.startswith(b"done"):
                    done = True
            elif s in (lsn4, lsn6):
                c, _ = s.accept()
                counts["accepts"] += 1
                conns.append(c)
            elif s is udp:
                d = udp.recv(65536)
                counts["udp_rx"] += 1
                counts["udp_rx_bytes"] += len(d)
            else:
                d = s.recv(65536)
                if d:
                    counts["tcp_rx"] += len(d)
                else:
                    conns.remove(s)
                    s.close()
    for c in conns:
        c.close()
    lsn4.close()
    lsn6.close()
    udp.close()
    os.write(ready_w, json.dumps(counts).encode())


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    for opt in ("v4", "v6", "refused", "nonblock", "writes", "bytes",
                "writes6", "bytes6", "udp", "udp-size", "delay-first-ms",
                "hold-ms"):
        ap.add_argument("--" + opt, type=int, default=0)
    a = ap.parse_args()

    # Every server socket is made in the server process, so the client's
    # counters hold only what the client does.
    ready_r, ready_w = os.pipe()
    ctl_r, ctl_w = os.pipe()
    server_pid = os.fork()
    if server_pid == 0:
        os.close(ready_r)
        os.close(ctl_w)
        lsn4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        lsn4.bind(("127.0.0.1", 0))
        lsn4.listen(1024)
        lsn6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        lsn6.bind(("::1", 0))
        lsn6.listen(1024)
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind(("127.0.0.1", 0))
        # A port nobody listens on: bind, note it, close.
        t = socket.socket()
        t.bind(("127.0.0.1", 0))
        ports = [lsn4.getsockname()[1], lsn6.getsockname()[1],
                 udp.getsockname()[1], t.getsockname()[1]]
        t.close()
        os.write(ready_w, json.dumps(ports).encode())
        server(a, lsn4, lsn6, udp, ready_w, ctl_r)
        os._exit(0)
    os.close(ready_w)
    os.close(ctl_r)
    port4, port6, uport, closed_port = json.loads(os.read(ready_r, 256))

    conns = []
    for _ in range(a.v4):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.connect(("127.0.0.1", port4))
        conns.append(c)
    for _ in range(a.v6):
        c = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        c.connect(("::1", port6))
        conns.append(c)
    for _ in range(a.refused):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            c.connect(("127.0.0.1", closed_port))
            raise RuntimeError("connect to a closed port succeeded")
        except ConnectionRefusedError:
            pass
        c.close()
    for _ in range(a.nonblock):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.setblocking(False)
        rc = c.connect_ex(("127.0.0.1", port4))
        if rc != errno.EINPROGRESS:
            raise RuntimeError("non-blocking connect returned %d" % rc)
        select.select([], [c], [])
        if c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
            raise RuntimeError("non-blocking connect failed")
        c.setblocking(True)
        conns.append(c)
    if a.writes:
        chunk = a.bytes // a.writes
        sizes = [chunk] * (a.writes - 1) + [a.bytes - chunk * (a.writes - 1)]
        for n in sizes:
            if conns[0].send(b"a" * n) != n:
                raise RuntimeError("short write")
    if a.writes6:
        chunk = a.bytes6 // a.writes6
        sizes = [chunk] * (a.writes6 - 1) + [a.bytes6 - chunk * (a.writes6 - 1)]
        for n in sizes:
            if conns[a.v4].send(b"b" * n) != n:
                raise RuntimeError("short write")
    if a.udp:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for _ in range(a.udp):
            u.sendto(b"u" * a.udp_size, ("127.0.0.1", uport))
        u.close()
    # Both timed connections report what the client measured around
    # them: an upper bound on what the kernel can measure (a slow kernel
    # stretches the nominal delay).
    measured = {}
    if a.delay_first_ms:
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        os.write(ctl_w, b"delay %d" % a.delay_first_ms)
        os.read(ready_r, 1)
        t = time.monotonic()
        c.connect(("127.0.0.1", port4))
        recv_exact(c, 1)
        measured["first_byte_ms"] = (time.monotonic() - t) * 1000
        os.read(ready_r, 1)
        conns.append(c)
    if a.hold_ms:
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        os.write(ctl_w, b"hold")
        os.read(ready_r, 1)
        t = time.monotonic()
        c.connect(("127.0.0.1", port4))
        time.sleep(a.hold_ms / 1000.0)
        c.close()
        os.read(ready_r, 1)
        measured["hold_ms"] = (time.monotonic() - t) * 1000
    # Let the server drain what was sent before the connections close.
    time.sleep(0.2)
    for c in conns:
        c.close()
    os.write(ctl_w, b"done")
    counts = json.loads(os.read(ready_r, 4096).decode())
    os.waitpid(server_pid, 0)
    out = {"client_pid": os.getpid(), "server_pid": server_pid,
           "port4": port4, "port6": port6, "udp_port": uport,
           "closed_port": closed_port, "server": counts}
    out.update(measured)
    print(json.dumps(out))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
