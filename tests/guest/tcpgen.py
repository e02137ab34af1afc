#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Make exactly N TCP connections over loopback, accept each, close both.

One connect() and one accept() per connection, blocking, so probe counts
can be compared with N exactly.
"""
import argparse
import socket


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=1, help="connections")
    ap.add_argument("-6", dest="v6", action="store_true", help="IPv6")
    ap.add_argument("--bytes", type=int, default=0,
                    help="bytes the client writes per connection")
    a = ap.parse_args()

    fam, host = (socket.AF_INET6, "::1") if a.v6 else (socket.AF_INET, "127.0.0.1")
    srv = socket.socket(fam, socket.SOCK_STREAM)
    srv.bind((host, 0))
    srv.listen(128)
    port = srv.getsockname()[1]
    for _ in range(a.n):
        c = socket.socket(fam, socket.SOCK_STREAM)
        c.connect((host, port))
        s, _ = srv.accept()
        if a.bytes:
            c.sendall(b"x" * a.bytes)
            got = 0
            while got < a.bytes:
                got += len(s.recv(65536))
        c.close()
        s.close()
    srv.close()


if __name__ == "__main__":
    main()
