#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Markdown tables from the raw results of tests/bench/rounds.sh.

    bench-report.py SERIES RAWDIR [--repro RAWDIR2] [--wall SECONDS] [--brief]

RAWDIR holds info.json, results.jsonl, memory.jsonl and probes.txt of one
guest boot; RAWDIR2 (optional) a second boot's A rounds, for the spread
across boots.  Prints the markdown to stdout.
"""
import argparse
import json
import os
import statistics
import sys

CONFIG_DESC = {
    "A": "no module",
    "B": "loaded, every probe off (`disable=all`)",
    "C": "counters + histograms, no per-socket table (`sock_capacity=0`)",
    "D": "defaults: + per-socket table, no consumer",
    "E": "D + CLI consuming {streams}",
    "E4": "D + CLI consuming connect, accept, retrans, life (F's four)",
    "E1": "D + CLI consuming life only",
    "F": "no socktap; bpftrace tcpconnect/tcpaccept/tcpretrans/tcplife.bt",
}
WORKLOADS = [("crr", "TCP_CRR tx/s"), ("rr", "TCP_RR tx/s"), ("bulk", "bulk MB/s")]


def load_jsonl(path):
    rows = []
    if not os.path.exists(path):
        return rows
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                rows.append(json.loads(line))
    return rows


def value(row):
    """The measured rate: transactions/s, or MB/s for bulk."""
    lg = row.get("loadgen")
    if not lg:
        return None
    return lg["mbps"] if lg["mode"] == "bulk" else lg["rate"]


def fmt(v):
    if v is None:
        return "–"
    return f"{v:.1f}" if v >= 100 else f"{v:.2f}"


def ratio_cell(v, a):
    if v is None or not a:
        return "–"
    r = v / a
    # The change against A: a loss shows as a negative percentage.
    return f"{r:.3f} ({(r - 1) * 100:+.1f} %)".replace("-", "−")


def spread(vals):
    vals = [v for v in vals if v is not None]
    if len(vals) < 2:
        return None
    return (max(vals) - min(vals)) / statistics.median(vals) * 100


class Runs:
    def __init__(self, rows, phase):
        self.by = {}
        for r in rows:
            if r.get("phase") != phase or r["workload"] == "_config":
                continue
            self.by.setdefault((r["config"], r["workload"]), []).append(r)

    def values(self, cfg, wl):
        return [value(r) for r in self.by.get((cfg, wl), [])]

    def median(self, cfg, wl):
        vals = [v for v in self.values(cfg, wl) if v is not None]
        return statistics.median(vals) if vals else None

    def rows(self, cfg, wl):
        return self.by.get((cfg, wl), [])


def mi(m, key):
    """A /proc/meminfo difference of the load, in bytes."""
    v = m.get("meminfo_kb", {}).get(key)
    return "–" if v is None else v * 1024


def loss(v, a):
    return None if v is None or not a else 1 - v / a


def details(p, args, info, rows, configs, wls, main_runs):
    """Latency-free detail tables: probe hits, consumers, context switches, spread."""
    p("Probe hits per transaction (bulk: per 64 KiB write), median over rounds; "
      "stream records the consumers printed, summed over the rounds "
      "(all workloads):")
    p("")
    p("| config | " + " | ".join(f"{w} hits/tx" for w, _ in wls) + " | consumers saw |")
    p("|---|" + "---|" * len(wls) + "---|")
    cfg_rows = [r for r in rows if r.get("phase") == "main" and r["workload"] == "_config"]
    for c in configs:
        if c == "A":
            continue
        cells = []
        for w, _ in wls:
            hs = [r["probe_hits"] / r["loadgen"]["transactions"]
                  for r in main_runs.rows(c, w)
                  if r.get("probe_hits") is not None and r.get("loadgen")
                  and r["loadgen"]["transactions"]]
            cells.append(f"{statistics.median(hs):.1f}" if hs else "–")
        seen = {}
        for r in cfg_rows:
            if r["config"] != c:
                continue
            for k, v in r.items():
                if isinstance(v, dict) and "lines" in v:
                    seen[k] = seen.get(k, 0) + v["lines"]
        st = [r.get("status", {}) for r in cfg_rows if r["config"] == c]
        queued = sum(x.get("events_queued", 0) for x in st)
        lost = sum(x.get("events_lost", 0) for x in st)
        s = ", ".join(f"{k.split('_', 1)[1]} {v}" for k, v in seen.items())
        if c.startswith("E"):
            s += f"; module queued {queued} records, lost {lost}"
        p(f"| {c} | " + " | ".join(cells) + f" | {s or '–'} |")
    p("")

    # Context switches per transaction: the consumers' wakeups.
    if any("ctxt" in r for r in rows):
        p("Context switches per transaction (bulk: per 64 KiB write), median over rounds:")
        p("")
        p("| config | " + " | ".join(w for w, _ in wls) + " |")
        p("|---|" + "---|" * len(wls))
        for c in configs:
            cells = []
            for w, _ in wls:
                cs = [r["ctxt"] / r["loadgen"]["transactions"] for r in main_runs.rows(c, w)
                      if r.get("ctxt") is not None and r.get("loadgen")
                      and r["loadgen"]["transactions"]]
                cells.append(f"{statistics.median(cs):.1f}" if cs else "–")
            p(f"| {c} | " + " | ".join(cells) + " |")
        p("")

    # Which probe points those hits are, per transaction, in D and E.
    allw = [w for w, _ in wls] + (["loss"] if "loss" in info["workloads"].split() else [])
    for c in [x for x in ("D", "E") if x in configs]:
        per = {}
        for w in allw:
            for r in main_runs.rows(c, w):
                if not isinstance(r.get("hits"), dict) or not r.get("loadgen"):
                    continue
                n = r["loadgen"]["transactions"] or 1
                for name, h in r["hits"].items():
                    per.setdefault(name, {}).setdefault(w, []).append(h / n)
        if not per:
            continue
        p(f"Hits per transaction of each probe point in {c} (median over rounds; "
          f"bulk and loss: per 64 KiB write):")
        p("")
        p("| probe | " + " | ".join(allw) + " |")
        p("|---|" + "---|" * len(allw))
        for name in sorted(per, key=lambda k: -max(statistics.median(v) for v in per[k].values())):
            cells = [f"{statistics.median(per[name][w]):.2f}" if w in per[name] else "–"
                     for w in allw]
            p(f"| {name} | " + " | ".join(cells) + " |")
        p("")

    # Reproducibility: within this boot, and across boots.
    p("Spread of the rounds within the boot, (max − min) / median:")
    p("")
    p("| config | " + " | ".join(w for w, _ in wls) + " |")
    p("|---|" + "---|" * len(wls))
    for c in configs:
        cells = []
        for w, _ in wls:
            s = spread(main_runs.values(c, w))
            cells.append("–" if s is None else f"{s:.2f} %")
        p(f"| {c} | " + " | ".join(cells) + " |")
    p("")


def rounds_report(args, p):
    """The tables of tests/bench/rounds.sh's raw results."""
    with open(os.path.join(args.raw, "info.json")) as f:
        info = json.load(f)
    rows = load_jsonl(os.path.join(args.raw, "results.jsonl"))
    mem = load_jsonl(os.path.join(args.raw, "memory.jsonl"))
    configs = info["configs"].split()
    wls = [w for w in WORKLOADS if w[0] in info["workloads"].split()]
    main_runs = Runs(rows, "main")

    p(f"### {args.series}: kernel {info['kernel']}")
    p("")
    p(f"QEMU TCG `-icount shift=3,sleep=off`, 1 vCPU: rates are in guest "
      f"(instruction) time, so they are reproducible; absolute values are "
      f"not those of real hardware, the ratios are the point. Loopback, "
      f"one client and one server thread; per run TCP_CRR {info['crr']} "
      f"transactions, TCP_RR {info['rr']}, bulk {info['bulk_mb']} MiB in "
      f"64 KiB writes. {info['rounds']} rounds of "
      f"{' '.join(configs)} in turn in one boot; each cell is the median "
      f"over the rounds, \"vs A\" its ratio to A (and the change in %: "
      f"−3.0 % is a 3 % loss).")
    if args.wall:
        p(f"The whole benchmark of this kernel took {args.wall // 60} min "
          f"{args.wall % 60} s of wall time.")
    p("")
    hdr = "| config | what | " + " | ".join(f"{n} | vs A" for _, n in wls) + " |"
    p(hdr)
    p("|" + "---|" * (2 + 2 * len(wls)))
    for c in configs:
        desc = CONFIG_DESC.get(c, c).format(streams=", ".join(info["streams"].split()))
        cells = []
        for w, _ in wls:
            v = main_runs.median(c, w)
            a = main_runs.median("A", w)
            cells += [fmt(v), "1" if c == "A" and v else ratio_cell(v, a)]
        p(f"| {c} | {desc} | " + " | ".join(cells) + " |")
    # socktap's loss as a fraction of bpftrace's.
    if "F" in configs:
        for e in [x for x in ("E", "E4") if x in configs]:
            cells = []
            for w, _ in wls:
                a = main_runs.median("A", w)
                le = loss(main_runs.median(e, w), a)
                lf = loss(main_runs.median("F", w), a)
                if le is None or lf is None:
                    cells += ["–", ""]
                elif lf <= 0.0005:
                    cells += [f"F loses {lf * 100:.2f} %", ""]
                else:
                    cells += [f"{le / lf:.2f}", ""]
            p(f"| {e}/F | {e}'s loss ÷ F's loss | " + " | ".join(cells) + " |")
    p("")

    # Failures are results too: say so.
    bad = [r for r in rows if r["workload"] != "_config" and
           (r.get("rc") != 0 or not r.get("loadgen") or r["loadgen"].get("errors"))]
    if bad:
        p("**Runs with errors:** " + "; ".join(
            f"{r['phase']} r{r['round']} {r['config']} {r['workload']}: rc {r.get('rc')} "
            f"{(r.get('stderr') or '')[:80]}" for r in bad))
        p("")

    # Latencies of the request/response workloads.
    lat_wls = [w for w, _ in wls if w in ("crr", "rr")]
    if lat_wls and not args.brief:
        p("Latency (median over rounds of each run's p50 / p99, µs):")
        p("")
        p("| config | " + " | ".join(f"{w} p50 | {w} p99" for w in lat_wls) + " |")
        p("|---|" + "---|---|" * len(lat_wls))
        for c in configs:
            cells = []
            for w in lat_wls:
                rs = [r["loadgen"] for r in main_runs.rows(c, w) if r.get("loadgen")]
                for k in ("p50_us", "p99_us"):
                    vs = [x[k] for x in rs if x.get(k) is not None]
                    cells.append(f"{statistics.median(vs):.1f}" if vs else "–")
            p(f"| {c} | " + " | ".join(cells) + " |")
        p("")

    # What each configuration did: probe hits per transaction, events seen.
    if not args.brief:
        details(p, args, info, rows, configs, wls, main_runs)
    else:
        p(f"Details (latencies, probe hits, context switches, spread per "
          f"configuration): `build/bench/{args.series}.md` after `make bench`.")
        p("")

    if args.repro:
        rrows = load_jsonl(os.path.join(args.repro, "results.jsonl"))
        rr = Runs(rrows, "main")
        p("A across two boots (median of each boot's rounds):")
        p("")
        p("| workload | boot 1 | boot 2 | difference | all A runs, (max − min) / median |")
        p("|---|---|---|---|---|")
        for w, n in wls:
            a1, a2 = main_runs.median("A", w), rr.median("A", w)
            allv = main_runs.values("A", w) + rr.values("A", w)
            s = spread(allv)
            d = "–" if not a1 or a2 is None else f"{(a2 - a1) / a1 * 100:+.2f} %"
            p(f"| {n} | {fmt(a1)} | {fmt(a2)} | {d} | "
              f"{'–' if s is None else f'{s:.2f} %'} ({len(allv)} runs) |")
        p("")

    # The retransmit path.
    if "loss" in info["workloads"].split():
        method = info.get("loss_method", "netem")
        how = (f"netem `loss {info['loss_pct']}%` on the client's side (random: the loss "
               f"pattern differs from run to run)"
               if method == "netem" else
               f"nftables in the namespace dropping every {100 // int(info['loss_pct'])}th "
               f"arriving packet (deterministic)")
        p(f"Bulk with {info['loss_pct']} % loss (the retransmit path): {info['loss_mb']} MiB per "
          f"run over a veth pair into a network namespace (gso_max_segs 1: one segment per "
          f"packet), {how}, in the same rounds; median over {info['rounds']} rounds. "
          f"TCP's recovery reacts to timing, so a configuration that changes when the "
          f"receiver runs changes the packet pattern too (see the hits per write):")
        p("")
        p("| config | MB/s | vs A | spread | RetransSegs per run | hits per write |")
        p("|---|---|---|---|---|---|")
        a = main_runs.median("A", "loss")
        for c in configs:
            v = main_runs.median(c, "loss")
            s = spread(main_runs.values(c, "loss"))
            rs = main_runs.rows(c, "loss")
            hs = [r["probe_hits"] / r["loadgen"]["transactions"] for r in rs
                  if r.get("probe_hits") is not None and r.get("loadgen")
                  and r["loadgen"]["transactions"]]
            p(f"| {c} | {fmt(v)} | {'1' if c == 'A' and v else ratio_cell(v, a)} | "
              f"{'–' if s is None else f'{s:.1f} %'} | "
              f"{', '.join(str(r.get('retrans_segs')) for r in rs)} | "
              f"{f'{statistics.median(hs):.1f}' if hs else '–'} |")
        if "F" in configs:
            lf = loss(main_runs.median("F", "loss"), a)
            for e in [x for x in ("E", "E4") if x in configs]:
                le = loss(main_runs.median(e, "loss"), a)
                if le is not None and lf is not None and lf > 0.0005:
                    p(f"| {e}/F | {e}'s loss ÷ F's loss: {le / lf:.2f} | | | | |")
                elif lf is not None:
                    p(f"| {e}/F | F loses {lf * 100:.2f} % | | | | |")
        p("")

    # Memory.
    if mem:
        p(f"Memory per module-parameter setting (guest with "
          f"{'1 CPU' if info.get('cpus_possible') == '0' else 'CPUs ' + info.get('cpus_possible', '?')}: "
          f"per-CPU parts grow with the CPU count). `lsmod`: the module's "
          f"own size; vmalloc: its tables (`/proc/vmallocinfo`, guard pages "
          f"included); per-CPU: `Percpu` of `/proc/meminfo` after minus "
          f"before the load (per-CPU chunks are populated in steps, so small "
          f"tables show 0 and a step can land on the next setting); MemFree drop: "
          f"`MemFree` before minus after the load, everything included (kmalloc'd "
          f"queues too), ±100 kB of noise; Slab Δ, VmallocUsed Δ: those "
          f"`/proc/meminfo` lines, after minus before; proc/size/listen: what the module's "
          f"status reports for those tables, all CPUs.")
        p("")
        p("| setting | lsmod | vmalloc (areas) | per-CPU | MemFree drop | Slab Δ | VmallocUsed Δ | proc_bytes | size_bytes | listen_bytes |")
        p("|---|---|---|---|---|---|---|---|---|---|")
        for m in mem:
            if "error" in m:
                p(f"| {m['setting']} | load failed: {m['error'][:60]} | | | | | | | | |")
                continue
            st = m.get("status", {})
            p(f"| {m['setting']} | {m['lsmod']} | {m['vmalloc_bytes']} ({m['vmalloc_areas']}) | "
              f"{m['percpu_kb_delta'] * 1024} | "
              f"{m['memfree_kb_drop'] * 1024 if 'memfree_kb_drop' in m else '–'} | "
              f"{mi(m, 'Slab')} | {mi(m, 'VmallocUsed')} | "
              f"{st.get('proc_bytes', '–')} | "
              f"{st.get('size_bytes', '–')} | {st.get('listen_bytes', '–')} |")
        p("")


MICRO_VARIANTS = {
    "empty": "the probe alone",
    "counter": "+ per-CPU hit counter",
    "proc": "+ filter, per-process counters",
    "hist": "+ histogram add",
    "sock": "+ socket table lookup",
    "event": "+ record (nobody listens: not built)",
    "event+consumer": "+ record built, queued, sent to `watch connect -j`",
}
# -icount shift=3: one guest instruction every 2^3 ns of guest time.
NS_PER_INSN = 8


def num(v, nd=1):
    return "–" if v is None else f"{v:.{nd}f}".replace("-", "−")


def micro_check(r, produced):
    """delivered + lost + undelivered == produced, as a table cell."""
    if "delivered" not in r:
        return "–"
    d, lo, u = r["delivered"], r.get("lost", 0), r.get("undelivered", 0)
    total = d + lo + u
    ok = "ok" if total == produced and r.get("queued", 0) + lo == produced else "**MISMATCH**"
    return f"{d} + {lo} + {u} = {total} of {produced}: {ok}"


def micro_report(args, p):
    """The tables of tests/bench/micro.sh (SERIES.micro.json)."""
    with open(args.micro) as f:
        m = json.load(f)
    runs = m.get("runs", [])
    shift = m.get("icount_shift", 3)
    npi = 2 ** shift
    pe = [r for r in runs if r.get("step") == "per-event"]
    p(f"#### Cost per event (`module/bench.c`, kernel {m['kernel']})")
    p("")
    base = [r["baseline_ns"] for r in pe if r.get("baseline_ns") is not None]
    p(f"A bench build of the module (`CONFIG_SOCKTAP_BENCH=y`) calls a non-inlined "
      f"target function {m['n']} times with a probe of each kind on it, each handler "
      f"variant adding one of socktap's real hot-path helpers to the previous one; "
      f"ns/event is (t − t without the probe) / N, counting only the calls (chunks of "
      f"1000 with preemption off). Under `-icount shift={shift}` one instruction "
      f"takes {npi} ns of guest time, so instructions/event = ns/event ÷ {npi}, "
      f"deterministic. Δ: instructions added by the variant. The loop alone: "
      f"{num(statistics.median(base)) if base else '–'} ns per call. "
      f"\"all CPU\": the same difference of the time the CPU was busy (idle excluded) "
      f"over the whole run, so with a consumer it also holds the work item sending the "
      f"records and `socktap watch` reading and printing them (those runs sleep after "
      f"every 64 calls so that the queue never fills); \"consumer\": the part of "
      f"that `socktap watch` itself used (its CPU ticks); records: delivered + lost + "
      f"undelivered must equal the calls.")
    p("")
    ftrace = {r["kind"]: r.get("ftrace") for r in pe if r.get("ftrace") is not None}
    kl = m.get("kprobes_list", "")
    p("| kind | variant | ns/event | instructions/event | Δ | all CPU, ns/event (instructions) | consumer, ns/event | records: delivered + lost + undelivered |")
    p("|---|---|---|---|---|---|---|---|")
    for kind in m["kinds"].split():
        prev = None
        for r in [x for x in pe if x["kind"] == kind]:
            name = r["variant"] + ("+consumer" if r.get("consumer") else "")
            if "error" in r:
                p(f"| {kind} | {name} | error: {r['error'][:60]} | | | | | |")
                continue
            ins = r["ns"] / npi
            delta = "" if prev is None else num(ins - prev)
            if not r.get("consumer"):
                prev = ins
            bad = ""
            if r["variant"] != "empty" and r.get("hits") != r["n"]:
                bad = f" (hits {r.get('hits')} ≠ {r['n']})"
            if r.get("missed"):
                bad += f" (missed {r['missed']})"
            tot = r.get("total_ns")
            allc = f"{num(tot)} ({num(tot / npi)})" if tot is not None and (
                r.get("consumer") or r["variant"] == "event") else ""
            cons = ""
            if r.get("consumer_ticks") is not None and r.get("user_hz"):
                cons = num(r["consumer_ticks"] / r["user_hz"] * 1e9 / r["n"])
            p(f"| {kind} | {name}{bad} | {num(r['ns'])} | {num(ins)} | {delta} | "
              f"{allc} | {cons} | {micro_check(r, r['n'])} |")
    p("")
    how = ", ".join(f"{k} {'ftrace-based' if v else 'breakpoint (int3)'}"
                    for k, v in ftrace.items())
    if how:
        p(f"Kprobes on the target: {how}"
          + (f"; `/sys/kernel/debug/kprobes/list`: `{kl.strip()}`" if kl.strip() else "")
          + ".")
        p("")
    p("Variants: " + "; ".join(f"{k}: {v}" for k, v in MICRO_VARIANTS.items()) + ".")
    p("")

    sk = [r for r in runs if r.get("step") == "sockets" and "error" not in r]
    if sk:
        counts = sorted({r["sockets"] for r in sk})
        p(f"Socket table lookup (`sock` variant) by tracked sockets, looked up "
          f"round-robin (the table has a bucket per socket of `sock_capacity`, "
          f"16384 by default: chains stay short); ns/event (instructions):")
        p("")
        p("| kind | " + " | ".join(f"{c} sockets" for c in counts) + " |")
        p("|---|" + "---|" * len(counts))
        for kind in m["kinds"].split():
            cells = []
            for c in counts:
                r = next((x for x in sk if x["kind"] == kind and x["sockets"] == c), None)
                cells.append("–" if r is None else f"{num(r['ns'])} ({num(r['ns'] / npi)})")
            p(f"| {kind} | " + " | ".join(cells) + " |")
        p("")

    life = m.get("life", [])
    if life:
        desc = {"A": "no module", "D": "module, no consumer",
                "E": "module + `socktap watch connect -j`"}
        for r in life:
            if r["config"].startswith("E@"):
                desc[r["config"]] = f"E paced at {r['config'][2:]}/s"
        p(f"Lifecycle events: `tests/bench/lifegen` makes {m['life_cycles']} UDP socket "
          f"lifecycles (socket, connect to 127.0.0.1, close: one connect record each) "
          f"as fast as one thread can (E@RATE: paced), in guest time; consumer: "
          f"`socktap watch`'s CPU time per record it printed; by the end: the records "
          f"it had printed when the last lifecycle was made (it kept up if that is "
          f"nearly all):")
        p("")
        p("| config | lifecycles/s | µs per lifecycle | instructions | lifegen user + system µs | consumer µs per record | probe hits per lifecycle | records: delivered + lost + undelivered | by the end |")
        p("|---|---|---|---|---|---|---|---|---|")
        per = {}
        lossless = []
        for r in life:
            lg = r.get("lifegen") or {}
            if not lg:
                p(f"| {r['config']} {desc.get(r['config'], '')} | failed: {r.get('stderr', '')[:60]} | | | | | | | |")
                continue
            us = lg["seconds"] / lg["cycles"] * 1e6
            hits = sum(r.get("hits", {}).values()) / lg["cycles"] if r.get("hits") else None
            own = "–"
            if "utime" in lg:
                own = f"{lg['utime'] / lg['cycles'] * 1e6:.1f} + {lg['stime'] / lg['cycles'] * 1e6:.1f}"
            cons = "–"
            if r.get("consumer_ticks") is not None and r.get("user_hz") and r.get("delivered"):
                cons = f"{r['consumer_ticks'] / r['user_hz'] / r['delivered'] * 1e6:.1f}"
            if not lg.get("paced"):
                per[r["config"]] = (lg["rate"], us)
            kept = r.get("delivered") == lg["cycles"] and \
                r.get("delivered_by_end", lg["cycles"]) >= 0.99 * lg["cycles"]
            if r["config"].startswith("E") and kept:
                lossless.append(lg["rate"])
            # Paced: the time per lifecycle holds idle time, not instructions.
            insn = "–" if lg.get("paced") else f"{us * 1000 / npi:.0f}"
            p(f"| {r['config']}: {desc.get(r['config'], '')} | {lg['rate']:.0f} | {us:.2f} | "
              f"{insn} | {own} | {cons} | "
              f"{num(hits, 2) if hits is not None else '–'} | "
              f"{micro_check(r, r['cycles'])} | "
              f"{r['delivered_by_end'] if 'delivered_by_end' in r else '–'} |")
        p("")
        if "E" in per:
            rate, us = per["E"]
            parts = []
            if "A" in per and "D" in per:
                parts.append(f"socktap's probes add {per['D'][1] - per['A'][1]:.2f} µs "
                             f"({(per['D'][1] - per['A'][1]) * 1000 / npi:.0f} instructions)")
            if "D" in per:
                parts.append(f"the record's way to the consumer (build, queue, work item, "
                             f"netlink, `watch -j` printing it) {us - per['D'][1]:.2f} µs "
                             f"({(us - per['D'][1]) * 1000 / npi:.0f} instructions)")
            need = 1e6 / 100000
            e = next(x for x in life if x["config"] == "E")
            lost = e["cycles"] - e.get("delivered", 0)
            need = 1e6 / 100000
            paced = [x for x in life if x["config"].startswith("E@")]
            txt = (f"With a consumer the guest makes at most **{rate:.0f} lifecycle events/s**, "
                   f"{'reaching' if rate >= 100000 else 'short of'} 100k/s (which needs "
                   f"≤ {need:.0f} µs = {need * 1000 / npi:.0f} instructions per lifecycle on "
                   f"this one vCPU, everything included); {lost} of {e['cycles']} records "
                   f"were not delivered there, every one counted. ")
            if paced:
                txt += ("The highest rate at which the consumer kept up (printed every "
                        "record, 99 % of them by the run's end): "
                        + (f"**{max(lossless):.0f}/s**. " if lossless else "none. "))
            if parts:
                txt += "Per lifecycle, " + "; ".join(parts) + "."
            p(txt)
            p("")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("series")
    ap.add_argument("raw")
    ap.add_argument("--repro")
    ap.add_argument("--wall", type=int)
    ap.add_argument("--micro", help="micro.json of tests/bench/micro.sh")
    ap.add_argument("--brief", action="store_true",
                    help="only the main, reproducibility, loss and memory tables (README)")
    args = ap.parse_args()

    out = []
    p = out.append
    if os.path.exists(os.path.join(args.raw, "info.json")):
        rounds_report(args, p)
    else:
        p(f"### {args.series}")
        p("")
        p(f"(No rounds in `{args.raw}`: `scripts/bench.sh --micro-only` ran.)")
        p("")
    if args.micro and not args.brief:
        micro_report(args, p)
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
