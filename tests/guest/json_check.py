#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check socktap's -j output against its documented keys.

  json_check.py --doc            json_keys.txt and userspace/JSON.md agree:
                                 the same commands, shapes, paths and keys,
                                 the same optional ones
  json_check.py ID FILE          FILE, the -j output of command ID (a row
                                 of json_keys.txt), has the shape, every
                                 required key and no key the table lacks,
                                 at every documented path, each value of a
                                 type JSON.md allows

Prints "ok" (and exits 0), or one problem per line (and exits 1).
--keys FILE and --md FILE override tests/guest/json_keys.txt and
userspace/JSON.md.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "json_keys.txt")
MD = os.path.join(HERE, "..", "..", "userspace", "JSON.md")
SHAPES = {"{}": "object", "[]": "array", "lines": "lines", "part": "part"}
TYPES = {"string", "integer", "number", "boolean", "object", "array", "null"}


def parse_keys(path):
    """{id: {"shape", "paths": {parent: {key: optional}}}}"""
    ids, raw = {}, []
    for n, line in enumerate(open(path), 1):
        line = line.split("#", 1)[0].split()
        if not line:
            continue
        if len(line) < 3:
            sys.exit(f"{path}:{n}: want ID PATH KEY...")
        raw.append((n, line[0], line[1], line[2:]))
    for n, ident, where, keys in raw:
        e = ids.setdefault(ident, {"shape": None, "paths": {}})
        if where in SHAPES:
            if e["shape"]:
                sys.exit(f"{path}:{n}: second document row for {ident}")
            e["shape"], where = SHAPES[where], "."
        e["paths"].setdefault(where, {})
        e["paths"][where].update({k: None for k in keys})
    # @ID: the document keys of another row, once all are read.
    for ident, e in ids.items():
        for where, keys in e["paths"].items():
            out = {}
            for k in keys:
                if k.startswith("@"):
                    inc = ids.get(k[1:])
                    if not inc or "." not in inc["paths"]:
                        sys.exit(f"{path}: {ident}: unknown {k}")
                    out.update({x: None for x in inc["paths"]["."]})
                else:
                    out[k] = None
            e["paths"][where] = {k.rstrip("?"): k.endswith("?") for k in out}
    for ident, e in ids.items():
        if not e["shape"]:
            sys.exit(f"{path}: {ident} has no document row ({{}}, [], lines or part)")
    return ids


def split_path(p):
    """'probes[].name' -> ('probes[]', 'name'); 'version' -> ('.', 'version')"""
    if "." in p:
        parent, key = p.rsplit(".", 1)
        return parent, key
    return ".", p


def parse_md(path):
    """{id: {"shape", "paths": {parent: {key: (optional, types)}}}}"""
    ids, cur, includes = {}, None, {}
    for n, line in enumerate(open(path), 1):
        m = re.match(r"^## (\S+)\s*$", line)
        if line.startswith("#"):
            cur = None
            if m and re.fullmatch(r"[a-z][a-z0-9-]*", m.group(1)):
                cur = m.group(1)
                if cur in ids:
                    sys.exit(f"{path}:{n}: section {cur} twice")
                ids[cur] = {"shape": None, "paths": {}, "text": ""}
            continue
        if cur is None:
            continue
        e = ids[cur]
        e["text"] += line
        m = re.match(r"^Every key of \[([a-z0-9-]+)\]", line)
        if m:
            includes.setdefault(cur, []).append(m.group(1))
        m = re.match(r"^\| `([^`]+)` \| ([^|]+?) \|", line)
        if m:
            parent, key = split_path(m.group(1))
            words = set(re.findall(r"[a-z]+", m.group(2)))
            types = words & TYPES
            if not types:
                sys.exit(f"{path}:{n}: no type for {m.group(1)}")
            e["paths"].setdefault(parent, {})[key] = ("optional" in words, types)
    for ident, incs in includes.items():
        for inc in incs:
            if inc not in ids or "." not in ids[inc]["paths"]:
                sys.exit(f"{path}: {ident} includes unknown {inc}")
            ids[ident]["paths"].setdefault(".", {}).update(ids[inc]["paths"]["."])
    for ident, e in ids.items():
        # "Shape: lines." may be wrapped onto the next line.
        m = re.search(r"Shape:\s+(object|array|lines|part|none)\b", e["text"])
        if not m:
            sys.exit(f"{path}: section {ident} says no Shape:")
        e["shape"] = m.group(1)
    return ids


def check_doc(keys, md):
    bad = []
    for ident in sorted(set(keys) | set(md)):
        if ident not in md:
            bad.append(f"{ident}: in json_keys.txt, not in JSON.md")
            continue
        d = md[ident]
        if d["shape"] == "none":
            if ident in keys:
                bad.append(f"{ident}: JSON.md says it has no JSON, json_keys.txt lists keys")
            continue
        if ident not in keys:
            bad.append(f"{ident}: in JSON.md, not in json_keys.txt")
            continue
        k = keys[ident]
        if k["shape"] != d["shape"]:
            bad.append(f"{ident}: shape {k['shape']} in json_keys.txt, {d['shape']} in JSON.md")
        for parent in sorted(set(k["paths"]) | set(d["paths"])):
            kk = k["paths"].get(parent, {})
            dk = {x: o for x, (o, _) in d["paths"].get(parent, {}).items()}
            for x in sorted(set(kk) | set(dk)):
                where = f"{ident} {parent}: {x}"
                if x not in dk:
                    bad.append(f"{where}: not in JSON.md")
                elif x not in kk:
                    bad.append(f"{where}: not in json_keys.txt")
                elif kk[x] != dk[x]:
                    bad.append(f"{where}: optional in {'json_keys.txt' if kk[x] else 'JSON.md'} only")
            # A nested path is documented as a key of its own.
            if parent != ".":
                up, key = split_path(parent)
                arr = key.endswith("[]")
                row = d["paths"].get(up, {}).get(key[:-2] if arr else key)
                if not row or ("array" if arr else "object") not in row[1]:
                    bad.append(f"{ident} {parent}: JSON.md has no {'array' if arr else 'object'} row for it")
    return bad


def json_type(v):
    if v is None:
        return {"null"}
    if isinstance(v, bool):
        return {"boolean"}
    if isinstance(v, int):
        return {"integer", "number"}
    if isinstance(v, float):
        return {"number"}
    if isinstance(v, str):
        return {"string"}
    if isinstance(v, list):
        return {"array"}
    return {"object"}


def objects_at(doc, parent):
    """The objects at path parent ('.', 'tables.sockets', 'probes[]') of doc."""
    objs = [doc]
    if parent == ".":
        return objs
    for seg in parent.split("."):
        arr = seg.endswith("[]")
        name = seg[:-2] if arr else seg
        nxt = []
        for o in objs:
            v = o.get(name)
            if v is None:		# absent (optional) or null
                continue
            nxt.extend(v if arr else [v])
        objs = nxt
    return objs


def check_output(ident, text, keys, md):
    if ident not in keys:
        return [f"{ident}: not in json_keys.txt"]
    k, d = keys[ident], md.get(ident, {"paths": {}})
    shape, bad = k["shape"], []
    try:
        if shape == "lines":
            docs = [json.loads(line) for line in text.splitlines() if line.strip()]
            if not docs:
                return [f"{ident}: no output"]
        else:
            docs = json.loads(text)
            if shape == "object":
                docs = [docs]
            elif not isinstance(docs, list):
                return [f"{ident}: not an array"]
    except json.JSONDecodeError as e:
        return [f"{ident}: not JSON: {e}"]
    for i, doc in enumerate(docs):
        if not isinstance(doc, dict):
            bad.append(f"{ident} #{i}: not an object")
            continue
        for parent in sorted(k["paths"], key=lambda p: p.count(".")):
            want = k["paths"][parent]
            types = d["paths"].get(parent, {})
            for o in objects_at(doc, parent):
                where = f"{ident} #{i} {parent}"
                if not isinstance(o, dict):
                    bad.append(f"{where}: {o!r} is not an object")
                    continue
                for x in sorted(set(want) - set(o)):
                    if not want[x]:
                        bad.append(f"{where}: no key {x}")
                for x in sorted(set(o) - set(want)):
                    bad.append(f"{where}: key {x} is not documented")
                for x in sorted(set(o) & set(types)):
                    if not json_type(o[x]) & types[x][1]:
                        bad.append(f"{where}: {x} is {json.dumps(o[x])[:40]}, "
                                   f"JSON.md says {'/'.join(sorted(types[x][1]))}")
    return bad


def main():
    args, keys_path, md_path = sys.argv[1:], KEYS, MD
    for opt in ("--keys", "--md"):
        if opt in args:
            i = args.index(opt)
            val = args[i + 1]
            del args[i:i + 2]
            if opt == "--keys":
                keys_path = val
            else:
                md_path = val
    keys, md = parse_keys(keys_path), parse_md(md_path)
    if args == ["--doc"]:
        bad = check_doc(keys, md)
    elif len(args) == 2:
        bad = check_output(args[0], open(args[1]).read(), keys, md)
    else:
        sys.exit(__doc__)
    for b in bad[:20]:
        print(b)
    if len(bad) > 20:
        print(f"... and {len(bad) - 20} more")
    if bad:
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
