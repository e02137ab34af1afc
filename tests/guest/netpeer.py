#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""TCP listeners and connectors with exactly known socket calls.

  netpeer.py listen [--no-accept] [--port P] HOST [HOST...]
      One listening socket per HOST, all on one port (P, or the one the
      kernel picks for the first HOST).  Prints {"pid", "port"}, then
      accepts every connection and closes it at once (--no-accept: leaves
      them in the accept queue, making no socket call at all) until killed.

  netpeer.py connect [--go FILE] [-n N] [--eof] HOST PORT [HOST PORT...]
      Prints {"pid"}, waits until FILE exists (polling: no socket call),
      then makes N rounds of, for every HOST PORT in turn: socket(), one
      blocking connect(), with --eof one recv() that returns the server's
      close (0 bytes), and close().  Then prints {"pid", "ok", "ms"}, ms
      being each connect()'s duration.

Between socket() and close() the connector makes no other socket call,
so each connection is exactly: created, connect, (recv,) closed.
"""
import argparse
import json
import os
import select
import socket
import sys
import time


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def say(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def listen(a):
    lsns = []
    port = a.port
    for host in a.hosts:
        s = socket.socket(family(host), socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((host, port))
        s.listen(1024)
        port = s.getsockname()[1]
        lsns.append(s)
    say({"pid": os.getpid(), "port": port})
    if a.no_accept:
        while True:
            time.sleep(3600)
    while True:
        r, _, _ = select.select(lsns, [], [])
        for s in r:
            c, _ = s.accept()
            c.close()


def connect(a):
    if len(a.targets) % 2:
        sys.exit("connect: HOST PORT pairs expected")
    targets = [(a.targets[i], int(a.targets[i + 1]))
               for i in range(0, len(a.targets), 2)]
    say({"pid": os.getpid()})
    if a.go:
        while not os.path.exists(a.go):
            time.sleep(0.01)
    ms = []
    for _ in range(a.n):
        for host, port in targets:
            c = socket.socket(family(host), socket.SOCK_STREAM)
            t = time.monotonic()
            c.connect((host, port))
            ms.append(round((time.monotonic() - t) * 1000, 3))
            if a.eof and c.recv(1) != b"":
                raise RuntimeError("the server sent data instead of closing")
            c.close()
    say({"pid": os.getpid(), "ok": len(ms), "ms": ms})


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    lp = sub.add_parser("listen")
    lp.add_argument("--no-accept", action="store_true")
    lp.add_argument("--port", type=int, default=0)
    lp.add_argument("hosts", nargs="+")
    cp = sub.add_parser("connect")
    cp.add_argument("--go")
    cp.add_argument("-n", type=int, default=1)
    cp.add_argument("--eof", action="store_true")
    cp.add_argument("targets", nargs="+")
    a = ap.parse_args()
    listen(a) if a.cmd == "listen" else connect(a)


if __name__ == "__main__":
    main()
