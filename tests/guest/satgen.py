#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Traffic shapes for the saturation test (t_saturate.sh).

  satgen.py listeners K
      K IPv4 TCP listeners on loopback, each on a port the kernel picks.
      Prints {"pid", "ports": [...]} (in the order they were made), then
      accepts every connection on any of them and closes it at once,
      until killed.

  satgen.py burst N [ROUNDS]
      ROUNDS times: a listener with N connections left in its accept
      queue (never accepted), then the listener closed.  Closing it
      resets all N children in that one close(), so its state changes
      come in one burst no work item can drain in between.  Then the
      clients are closed.  Prints {"pid", "conns"}.
"""
import json
import os
import select
import socket
import sys


def say(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def listeners(k):
    lsns = []
    for _ in range(k):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(128)
        lsns.append(s)
    say({"pid": os.getpid(), "ports": [s.getsockname()[1] for s in lsns]})
    while True:
        r, _, _ = select.select(lsns, [], [])
        for s in r:
            c, _ = s.accept()
            c.close()


def burst(n, rounds):
    conns = 0
    for _ in range(rounds):
        lsn = socket.socket()
        lsn.bind(("127.0.0.1", 0))
        lsn.listen(n)
        cs = []
        for _ in range(n):
            c = socket.socket()
            c.connect(lsn.getsockname())
            cs.append(c)
        lsn.close()
        for c in cs:
            c.close()
        conns += n
    say({"pid": os.getpid(), "conns": conns})


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "listeners":
        listeners(int(sys.argv[2]))
    elif len(sys.argv) >= 3 and sys.argv[1] == "burst":
        burst(int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
