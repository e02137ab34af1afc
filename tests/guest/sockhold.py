#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hold, churn and use TCP sockets on command, for socktap's table tests.

Reads one command per line on stdin and answers each with one line on
stdout ("ok ..." or "error ..."), so a shell can drive it step by step
(a bash coproc) while it keeps its sockets open in between:

  open N     create N TCP sockets (socket() only) and hold them
  churn N    N times: create a TCP socket and close it at once
  pairs N    N established loopback connections (connect + accept), both
             ends held; the listener is closed afterwards
  io B       on every held pair: B bytes client -> server, B bytes back,
             each read in full; answers "ok io BYTES_MOVED"
  close      close every held socket
  pid        answers "ok pid PID"
  quit       close everything and exit 0

Any failure prints a traceback and exits 1.
"""
import os
import resource
import socket
import sys


def recv_exact(s, n):
    got = 0
    while got < n:
        b = s.recv(min(65536, n - got))
        if not b:
            raise RuntimeError("peer closed after %d of %d bytes" % (got, n))
        got += len(b)
    return got


def main():
    # 2 descriptors per pair and a few more: lift the soft limit.
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    held = []
    pairs = []
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        cmd, args = words[0], [int(w) for w in words[1:]]
        reply = "ok %s" % cmd
        if cmd == "open":
            for _ in range(args[0]):
                held.append(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
        elif cmd == "churn":
            for _ in range(args[0]):
                socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
        elif cmd == "pairs":
            lsn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            lsn.bind(("127.0.0.1", 0))
            lsn.listen(128)
            for _ in range(args[0]):
                c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                c.connect(lsn.getsockname())
                s, _ = lsn.accept()
                pairs.append((c, s))
            lsn.close()
        elif cmd == "io":
            n = args[0]
            moved = 0
            for c, s in pairs:
                c.sendall(b"c" * n)
                moved += recv_exact(s, n)
                s.sendall(b"s" * n)
                moved += recv_exact(c, n)
            reply = "ok io %d" % moved
        elif cmd == "close":
            for s in held:
                s.close()
            for c, s in pairs:
                c.close()
                s.close()
            held, pairs = [], []
        elif cmd == "pid":
            reply = "ok pid %d" % os.getpid()
        elif cmd == "quit":
            for s in held:
                s.close()
            for c, s in pairs:
                c.close()
                s.close()
            print("ok quit", flush=True)
            return 0
        else:
            reply = "error unknown command %s" % cmd
        print(reply, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
