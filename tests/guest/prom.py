#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Parse a Prometheus text exposition (format 0.0.4) strictly, then
evaluate a Python expression over it and print the result.

  prom.py FILE [EXPR]     FILE "-" is stdin

Without EXPR: only the checks, then "ok: F families, S samples".  The
checks (exit status 1 and the first problem on stderr otherwise): the
file ends in a newline; every line is a comment, a HELP/TYPE line or a
sample; a family has at most one HELP and one TYPE, its TYPE before its
samples, and all of its lines together; sample names belong to their
family (histograms: NAME_bucket, NAME_sum, NAME_count); no series twice;
counters are not negative; each histogram series has rising le bounds,
cumulative (never falling) bucket counts, a +Inf bucket last, and a
_count equal to it.

Helpers for EXPR:
  v(name, **labels)       the value of the one sample of that name whose
                          labels include these (an int when whole)
  n(name, **labels)       how many samples match
  fams                    {family: {"type", "help", "samples": [...]}}
  hist(fam, **labels)     {"buckets": [(le, count)...], "sum", "count"}
                          of the one matching histogram series
  bucket(fam, le, **labels)  the cumulative count at le (a number)
"""
import math
import re
import sys

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LNAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")


class Bad(Exception):
    pass


def unescape(s, quote):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            if n == "\\":
                out.append("\\")
            elif n == "n":
                out.append("\n")
            elif n == '"' and quote:
                out.append('"')
            else:
                out.append("\\" + n)
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def parse_labels(s, lineno):
    """s starts after '{'; returns (labels, rest after '}')."""
    labels, i = {}, 0
    while True:
        if s[i:i + 1] == "}":
            return labels, s[i + 1:]
        m = LNAME.match(s, i)
        if not m:
            raise Bad(f"line {lineno}: bad label name at {s[i:i + 20]!r}")
        name = m.group(0)
        i = m.end()
        if s[i:i + 2] != '="':
            raise Bad(f"line {lineno}: label {name} without =\"")
        i += 2
        j, raw = i, []
        while True:
            if j >= len(s):
                raise Bad(f"line {lineno}: unterminated label value")
            if s[j] == "\\":
                if s[j + 1:j + 2] not in ("\\", '"', "n"):
                    raise Bad(f"line {lineno}: bad escape in label value")
                raw.append(s[j:j + 2])
                j += 2
                continue
            if s[j] == '"':
                break
            if s[j] == "\n":
                raise Bad(f"line {lineno}: raw newline in label value")
            raw.append(s[j])
            j += 1
        if name in labels:
            raise Bad(f"line {lineno}: label {name} twice")
        labels[name] = unescape("".join(raw), True)
        i = j + 1
        if s[i:i + 1] == ",":
            i += 1
        elif s[i:i + 1] != "}":
            raise Bad(f"line {lineno}: expected , or }} after label {name}")


def parse_value(s, lineno):
    if s in ("+Inf", "Inf"):
        return math.inf
    if s == "-Inf":
        return -math.inf
    if s == "NaN":
        return math.nan
    try:
        return float(s)
    except ValueError:
        raise Bad(f"line {lineno}: bad value {s!r}") from None


def family_of(name, fams, current):
    """The family a sample name belongs to."""
    for suffix in ("_bucket", "_sum", "_count"):
        if name.endswith(suffix):
            base = name[: -len(suffix)]
            if base in fams and fams[base]["type"] == "histogram":
                return base
    return name


def parse(text):
    if text and not text.endswith("\n"):
        raise Bad("the last line has no newline (a cut file?)")
    fams, order, done, seen = {}, [], set(), set()
    current = None

    def enter(fam, lineno):
        nonlocal current
        if fam != current:
            if fam in done:
                raise Bad(f"line {lineno}: family {fam} split up")
            if current is not None:
                done.add(current)
            current = fam
        if fam not in fams:
            fams[fam] = {"type": "untyped", "help": None, "samples": [],
                         "typed": False}
            order.append(fam)
        return fams[fam]

    for lineno, line in enumerate(text.split("\n")[:-1], 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            parts = line.split(None, 3)
            if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                fam = parts[2]
                if not NAME.fullmatch(fam):
                    raise Bad(f"line {lineno}: bad family name {fam!r}")
                f = enter(fam, lineno)
                rest = parts[3] if len(parts) > 3 else ""
                if parts[1] == "HELP":
                    if f["help"] is not None:
                        raise Bad(f"line {lineno}: second HELP for {fam}")
                    f["help"] = unescape(rest, False)
                else:
                    if f["typed"]:
                        raise Bad(f"line {lineno}: second TYPE for {fam}")
                    if f["samples"]:
                        raise Bad(f"line {lineno}: TYPE after samples of {fam}")
                    if rest not in ("counter", "gauge", "histogram",
                                    "summary", "untyped"):
                        raise Bad(f"line {lineno}: bad type {rest!r}")
                    f["type"], f["typed"] = rest, True
            continue
        m = NAME.match(line)
        if not m:
            raise Bad(f"line {lineno}: not a sample: {line[:40]!r}")
        name, rest = m.group(0), line[m.end():]
        labels = {}
        if rest.startswith("{"):
            labels, rest = parse_labels(rest[1:], lineno)
        fields = rest.split()
        if not rest.startswith(" ") or len(fields) not in (1, 2):
            raise Bad(f"line {lineno}: expected ' VALUE [TIMESTAMP]'")
        value = parse_value(fields[0], lineno)
        fam = family_of(name, fams, current)
        f = enter(fam, lineno)
        key = (name, tuple(sorted(labels.items())))
        if key in seen:
            raise Bad(f"line {lineno}: series {name}{labels} twice")
        seen.add(key)
        if f["type"] == "counter" and not value >= 0:
            raise Bad(f"line {lineno}: counter {name} is {value}")
        if f["type"] == "histogram" and name == fam:
            raise Bad(f"line {lineno}: histogram {fam} sample without suffix")
        f["samples"].append((name, labels, value))
    for fam in order:
        if fams[fam]["type"] == "histogram":
            check_hists(fam, fams[fam])
    return fams


def series(fam, f):
    """{labels without le: {"buckets", "sum", "count"}} of a histogram."""
    out = {}
    for name, labels, value in f["samples"]:
        rest = tuple(sorted((k, v) for k, v in labels.items() if k != "le"))
        s = out.setdefault(rest, {"buckets": [], "sum": None, "count": None})
        if name == fam + "_bucket":
            if "le" not in labels:
                raise Bad(f"{fam}_bucket without le")
            s["buckets"].append((parse_value(labels["le"], 0), value))
        elif name == fam + "_sum":
            s["sum"] = value
        elif name == fam + "_count":
            s["count"] = value
    return out


def check_hists(fam, f):
    for labels, s in series(fam, f).items():
        b = s["buckets"]
        if not b or b[-1][0] != math.inf:
            raise Bad(f"{fam}{dict(labels)}: no +Inf bucket last")
        for (le0, c0), (le1, c1) in zip(b, b[1:]):
            if not le1 > le0:
                raise Bad(f"{fam}{dict(labels)}: le {le1} after {le0}")
            if c1 < c0:
                raise Bad(f"{fam}{dict(labels)}: le {le1} counts {c1} < {c0}")
        if s["count"] is None or s["count"] != b[-1][1]:
            raise Bad(f"{fam}{dict(labels)}: _count {s['count']} != +Inf {b[-1][1]}")


def num(x):
    return int(x) if isinstance(x, float) and x.is_integer() else x


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    text = (sys.stdin if sys.argv[1] == "-" else open(sys.argv[1])).read()
    try:
        fams = parse(text)
    except Bad as e:
        print(f"prom.py: {e}", file=sys.stderr)
        sys.exit(1)

    def matches(name, want):
        fam = family_of(name, fams, None)
        return [s for s in fams.get(fam, {"samples": []})["samples"]
                if s[0] == name and all(s[1].get(k) == str(v)
                                        for k, v in want.items())]

    def v(name, **labels):
        m = matches(name, labels)
        if len(m) != 1:
            raise SystemExit(f"prom.py: {len(m)} samples of {name}{labels}")
        return num(m[0][2])

    def n(name, **labels):
        return len(matches(name, labels))

    def hist(fam, **labels):
        want = {k: str(x) for k, x in labels.items()}
        m = [s for k, s in series(fam, fams[fam]).items()
             if all(dict(k).get(a) == b for a, b in want.items())]
        if len(m) != 1:
            raise SystemExit(f"prom.py: {len(m)} histograms {fam}{labels}")
        h = m[0]
        return {"buckets": [(le, num(c)) for le, c in h["buckets"]],
                "sum": num(h["sum"]) if h["sum"] is not None else None,
                "count": num(h["count"])}

    def bucket(fam, le, **labels):
        for b, c in hist(fam, **labels)["buckets"]:
            if b == float(le):
                return c
        raise SystemExit(f"prom.py: no le={le} in {fam}{labels}")

    if len(sys.argv) < 3:
        print(f"ok: {len(fams)} families, "
              f"{sum(len(f['samples']) for f in fams.values())} samples")
        return
    env = {"v": v, "n": n, "fams": fams, "hist": hist, "bucket": bucket}
    r = eval(sys.argv[2], env)
    print(num(r) if isinstance(r, float) else r)


if __name__ == "__main__":
    main()
