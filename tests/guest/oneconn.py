#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""One TCP connection over loopback, client closing first; prints the
listener's port and the client's port."""
import socket

l = socket.socket()
l.bind(("127.0.0.1", 0))
l.listen(8)
lport = l.getsockname()[1]
c = socket.create_connection(("127.0.0.1", lport))
s, _ = l.accept()
cport = c.getsockname()[1]
c.close()
if s.recv(1) != b"":
    raise SystemExit("expected EOF")
s.close()
l.close()
print(lport, cport)
