#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Joins socktap's multicast groups by name over a raw generic netlink
socket (no CLI in between) and counts the event records each receives,
by record type.

    mcgroups.py GROUP...

Prints "ready" once joined, reads until stdin closes, drains what is
queued, then prints one JSON object: {GROUP: {TYPE_NAME: count}}.  The
attribute and type numbers come from the UAPI header, so this reads
exactly what the module sends."""
import json
import os
import re
import select
import socket
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
UAPI = os.path.join(HERE, "..", "..", "include", "uapi", "linux", "socktap.h")
NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_MCAST_GROUPS = 1, 2, 7
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2


def enum(name):
    """The members of a UAPI enum, numbered as C numbers them."""
    text = open(UAPI).read()
    body = re.search(r"enum %s \{(.*?)\};" % name, text, re.S).group(1)
    out, n = {}, -1
    for m in re.finditer(r"^\s*(\w+)\s*(?:=\s*(\d+))?,", body, re.M):
        n = int(m.group(2)) if m.group(2) else n + 1
        out[m.group(1)] = n
    return out


def attrs(buf):
    i = 0
    while i + 4 <= len(buf):
        ln, t = struct.unpack_from("HH", buf, i)
        if ln < 4:
            break
        yield t & 0x3FFF, buf[i + 4:i + ln]
        i += (ln + 3) & ~3


def family_groups(s):
    name = b"socktap\0"
    a = struct.pack("HH", 4 + len(name), CTRL_ATTR_FAMILY_NAME) + name
    a += b"\0" * (-len(a) % 4)
    body = struct.pack("BBH", CTRL_CMD_GETFAMILY, 1, 0) + a
    s.send(struct.pack("IHHII", 16 + len(body), GENL_ID_CTRL, 1, 1, 0) + body)
    data = s.recv(65536)
    ln, t = struct.unpack_from("IH", data, 0)
    if t == 2:
        sys.exit("socktap family not found: is the module loaded?")
    groups = {}
    for at, val in attrs(data[20:ln]):
        if at == CTRL_ATTR_MCAST_GROUPS:
            for _, grp in attrs(val):
                g = dict(attrs(grp))
                gname = g[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()
                groups[gname] = struct.unpack("I", g[CTRL_ATTR_MCAST_GRP_ID])[0]
    return groups


def main():
    wanted = sys.argv[1:]
    a_type = enum("socktap_attr")["SOCKTAP_A_EV_TYPE"]
    types = {v: k[len("SOCKTAP_EV_"):].lower()
             for k, v in enum("socktap_event").items()
             if not k.startswith("__")}
    ctl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    ctl.bind((0, 0))
    groups = family_groups(ctl)
    socks = {}
    for g in wanted:
        if g not in groups:
            sys.exit("no multicast group %r (have %s)" % (g, sorted(groups)))
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        s.bind((0, 0))
        s.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, groups[g])
        s.setblocking(False)
        socks[s] = g
    counts = {g: {} for g in wanted}

    def drain(s):
        while True:
            try:
                data = s.recv(1 << 20)
            except BlockingIOError:
                return
            i = 0
            while i + 16 <= len(data):
                ln = struct.unpack_from("I", data, i)[0]
                if ln < 16:
                    break
                for at, val in attrs(data[i + 20:i + ln]):
                    if at == a_type:
                        name = types.get(val[0], str(val[0]))
                        c = counts[socks[s]]
                        c[name] = c.get(name, 0) + 1
                i += (ln + 3) & ~3

    print("ready", flush=True)
    rl = list(socks) + [sys.stdin]
    while True:
        r, _, _ = select.select(rl, [], [])
        for s in r:
            if s is sys.stdin:
                if not sys.stdin.readline():
                    # The module sends from a work item: until 1 s passes
                    # without a record.
                    while select.select(list(socks), [], [], 1.0)[0]:
                        for so in socks:
                            drain(so)
                    print(json.dumps(counts, sort_keys=True))
                    return
            else:
                drain(s)


main()
