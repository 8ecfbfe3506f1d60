"""Prints bench/audit/run's results: per engine, audited against unaudited child pages.

    python3 report.py out/results.jsonl

Each figure is the median over the rounds of that round's wrk figure (requests a second over the
round; latency percentiles exact, from wrk's histogram). The ratio is audited / unaudited of the
median latency (p50), against the target of at most 1.10; the ratios of each audited round to the
unaudited round after it are shown too. CPU ms: the eyeson process's own CPU time (user + system)
over the timed round, per page served. Also writes results.json beside the input.
"""
import json
import os
import statistics
import sys

TARGET = 1.10
path = sys.argv[1]
rows = [json.loads(line) for line in open(path) if line.strip()]
names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
summary = {}
for engine in [e for e in ("sqlite", "postgres") if any(r["engine"] == e for r in rows)]:
    mine = [r for r in rows if r["engine"] == engine]
    figures = {}
    for mode in ("audited", "unaudited"):
        rounds = [r for r in mine if r["mode"] == mode]
        figures[mode] = {
            "rounds": len(rounds),
            "requests_per_s": statistics.median(r["requests"] / (r["duration_us"] / 1e6) for r in rounds),
            "p50_ms": statistics.median(r["p50_us"] for r in rounds) / 1000,
            "p90_ms": statistics.median(r["p90_us"] for r in rounds) / 1000,
            "p99_ms": statistics.median(r["p99_us"] for r in rounds) / 1000,
            "requests": sum(r["requests"] for r in rounds),
            "audit_reads_added": sum(r["audit_reads_added"] for r in rounds),
            "server_cpu_ms_per_page": statistics.median(r["server_cpu_ms_per_page"] for r in rounds),
        }
    a, u = figures["audited"], figures["unaudited"]
    ratio = a["p50_ms"] / u["p50_ms"]
    pairs = [ra["p50_us"] / ru["p50_us"] for ra, ru in zip(
        sorted((r for r in mine if r["mode"] == "audited"), key=lambda r: r["round"]),
        sorted((r for r in mine if r["mode"] == "unaudited"), key=lambda r: r["round"]))]
    summary[engine] = {**figures, "p50_ratio": ratio, "round_ratios": pairs, "target_met": ratio <= TARGET}

    print(f"\n{names[engine]}: a child's page, median of {a['rounds']} rounds each")
    print(f"  {'':10} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'CPU ms':>7}   child-record-read entries added")
    for mode in ("audited", "unaudited"):
        f = figures[mode]
        print(f"  {mode:10} {f['requests_per_s']:8.1f} {f['p50_ms']:8.2f} {f['p90_ms']:8.2f} {f['p99_ms']:8.2f} {f['server_cpu_ms_per_page']:7.2f}"
              f"   {f['audit_reads_added']:,} (for {f['requests']:,} timed pages and the warm-ups)")
    print(f"  median latency audited / unaudited: {ratio:.3f} (rounds: {', '.join(f'{p:.3f}' for p in pairs)});"
          f" target <= {TARGET:.2f}: {'met' if ratio <= TARGET else 'MISSED'}")
    loads = [r["load_before"] for r in mine] + [r["load_after"] for r in mine]
    other = [r["cpu_window"]["other_pct"] for r in mine]
    print(f"  machine: 1-minute load {min(loads):.2f}–{max(loads):.2f} around the rounds; other processes used"
          f" {min(other):.0f}–{max(other):.0f}% of a core during the timed rounds (of 200%)"
          + ("" if max(other) < 15 else " — BUSY: " + "; ".join(
              f"{r['mode']} {r['round']}: {r['cpu_window']['other_top']}" for r in mine if r["cpu_window"]["other_pct"] >= 15)))
    print(f"  throughput audited / unaudited: {a['requests_per_s'] / u['requests_per_s']:.3f};"
          f" p90 {a['p90_ms'] / u['p90_ms']:.3f}, p99 {a['p99_ms'] / u['p99_ms']:.3f}")
busy_path = os.path.join(os.path.dirname(os.path.abspath(path)), "busy.jsonl")
busy = [json.loads(line) for line in open(busy_path) if line.strip()] if os.path.exists(busy_path) else []
if busy:
    print(f"\n{len(busy)} round(s) measured again because other processes were busy: "
          + "; ".join(f"{r['engine']} {r['mode']} {r['round']} ({r['cpu_window']['other_top']})" for r in busy))
with open(os.path.join(os.path.dirname(os.path.abspath(path)), "results.json"), "w") as f:
    json.dump({"summary": summary, "rounds": rows, "busy_rounds_measured_again": busy}, f, indent=1)
