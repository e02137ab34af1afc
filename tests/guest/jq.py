#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Evaluate a Python expression over JSON read from stdin (bound to d), and
print it; or run statements that print what they compute.

Helpers: proc(pid) -> the process row of `socktap top -j`, io(pid, proto,
family, key) -> one I/O counter (0 if the row is absent), bucket(i) -> the
count of histogram bucket [2^i, 2^(i+1)) of `socktap hist -j`,
buckets(lo, hi) -> the samples in buckets lo..hi, log2(ms) -> the bucket
a duration of ms milliseconds falls in, hist(name) -> one histogram of
several.
A stream of JSON lines (watch -j) is read as a list.
"""
import json
import sys

text = sys.stdin.read()
try:
    d = json.loads(text)
except json.JSONDecodeError:
    d = [json.loads(line) for line in text.splitlines() if line.strip()]


def proc(pid):
    for p in d["processes"]:
        if p["pid"] == pid:
            return p
    return {}


def io(pid, proto, family, key):
    for r in proc(pid).get("io", []):
        if r["proto"] == proto and r["family"] == family:
            return r[key]
    return 0


def hist(name):
    """One histogram of `socktap hist -j` (lifetime prints two lines)."""
    for h in (d if isinstance(d, list) else [d]):
        if h["name"] == name:
            return h
    raise KeyError(name)


def bucket(i, name=None):
    h = hist(name) if name else d
    for b in h["buckets"]:
        if b["lo"] == (0 if i == 0 else 1 << i):
            return b["count"]
    return 0


def buckets(lo, hi, name=None):
    return sum(bucket(i, name) for i in range(lo, hi + 1))


def log2(ms):
    return int(ms * 1e6).bit_length() - 1


try:
    code = compile(sys.argv[1], "expr", "eval")
except SyntaxError:
    # Statements: they print what they check themselves.
    exec(sys.argv[1])
else:
    print(eval(code))
