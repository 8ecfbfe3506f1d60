"""Prints bench/load/run's results: per engine, every endpoint against /health, and the targets.

    python3 report.py out/results.jsonl

One row an endpoint as measured (wrk's figures exactly: requests a second over the timed run,
latency percentiles from wrk's histogram): the role that asked ("social-worker, token" for the API's
reads with the social worker's read token), requests a second, p50 and p99 in
milliseconds, errors (responses other than 200 and socket errors or timeouts, warm-up included;
must be 0), requests a second as a share of /health's in the same server run (the ceiling), the
eyeson process's own CPU time per request, and for the "not seen" board and the child's page asked
by the social worker the two targets: at least 25% of /health's requests a second, and p99 under
250 ms (the p99 column is marked for every page and API read, not for /health, /ready or the push).
Also writes results.json beside the input.
Exits 1 when any endpoint had an error.
"""
import json
import os
import sys

SHARE, P99_MS = 0.25, 250.0
TARGETS = {"board", "child"}   # the "not seen" board and a child's page, as the social worker
path = sys.argv[1]
rows = [json.loads(line) for line in open(path) if line.strip()]
names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
verdict = lambda ok: "PASS" if ok else "FAIL"
summary, failed = {}, []
for engine in [e for e in ("sqlite", "postgres") if any(r["engine"] == e for r in rows)]:
    mine = [r for r in rows if r["engine"] == engine]
    ceiling = next((r for r in mine if r["endpoint"] == "health"), None)
    top = ceiling["requests_per_s"] if ceiling else None
    conns = sorted({r["connections"] for r in mine})
    print(f"\n{names[engine]}: {mine[0]['children']:,} children; {', '.join(map(str, conns))} connections;"
          f" {mine[0]['duration_us'] / 1e6:.0f} s an endpoint; /health is the ceiling")
    print(f"  {'endpoint':13} {'role':20} {'request':42} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}"
          f" {'% health':>8} {'CPU ms':>7}  {'>=25%':5} {'p99<250':7}")
    engine_summary = {}
    for r in mine:
        share = r["requests_per_s"] / top if top else None
        p99 = r["p99_us"] / 1000
        is_page = r["role"] != "-" and r["endpoint"] != "api"
        share_ok = share is not None and share >= SHARE
        p99_ok = p99 < P99_MS
        role = "(none)" if r["role"] == "-" else r["role"] + (", token" if r["endpoint"].startswith("api-") else "")
        print(f"  {r['endpoint']:13} {role:20} {r['request'][:42]:42}"
              f" {r['requests_per_s']:8.1f} {r['p50_us'] / 1000:8.2f} {p99:8.2f} {r['errors']:6d}"
              f" {(f'{share * 100:7.1f}%' if share is not None else '      –'):>8} {r['server_cpu_ms_per_request']:7.2f}"
              f"  {(verdict(share_ok) if r['endpoint'] in TARGETS else ''):5} {(verdict(p99_ok) if is_page else ''):7}"
              + (f"  at {r['connections']} connections" if r["connections"] != conns[-1] else ""))
        engine_summary[r["endpoint"]] = {
            "role": r["role"], "request": r["request"], "connections": r["connections"], "requests_per_s": r["requests_per_s"],
            "p50_ms": r["p50_us"] / 1000, "p90_ms": r["p90_us"] / 1000, "p99_ms": p99, "errors": r["errors"],
            "share_of_health": share, "server_cpu_ms_per_request": r["server_cpu_ms_per_request"],
            **({"share_target_met": share_ok, "p99_target_met": p99_ok} if r["endpoint"] in TARGETS else {}),
        }
        if r["errors"]:
            failed.append(f"{engine} {r['endpoint']} ({r['role']}): " + "; ".join(r["problems"]))
    for name in sorted(TARGETS & engine_summary.keys()):
        s = engine_summary[name]
        print(f"  target, {name} ({s['role']}): {s['share_of_health'] * 100 if s['share_of_health'] is not None else float('nan'):.1f}% of /health"
              f" (>= {SHARE:.0%}: {'met' if s['share_target_met'] else 'MISSED'}), p99 {s['p99_ms']:.1f} ms"
              f" (< {P99_MS:.0f} ms: {'met' if s['p99_target_met'] else 'MISSED'})")
    errors = sum(r["errors"] for r in mine)
    print(f"  errors: {errors}" + (" — FAILED: " + ", ".join(r["endpoint"] for r in mine if r["errors"]) if errors else " (every response a 200)"))
    loads = [r["load_before"] for r in mine] + [r["load_after"] for r in mine]
    other = [r["cpu_window"]["other_pct"] for r in mine]
    print(f"  machine: 1-minute load {min(loads):.2f}–{max(loads):.2f}; other processes used"
          f" {min(other):.0f}–{max(other):.0f}% of a core during the timed runs (of 200%)"
          + ("" if max(other) < 15 else " — BUSY: " + "; ".join(
              f"{r['endpoint']}: {r['cpu_window']['other_top']}" for r in mine if r["cpu_window"]["other_pct"] >= 15)))
    summary[engine] = engine_summary
busy_path = os.path.join(os.path.dirname(os.path.abspath(path)), "busy.jsonl")
busy = [json.loads(line) for line in open(busy_path) if line.strip()] if os.path.exists(busy_path) else []
if busy:
    print(f"\n{len(busy)} endpoint run(s) measured again because other processes were busy: "
          + "; ".join(f"{r['engine']} {r['endpoint']} ({r['cpu_window']['other_top']})" for r in busy))
with open(os.path.join(os.path.dirname(os.path.abspath(path)), "results.json"), "w") as f:
    json.dump({"summary": summary, "endpoints": rows, "busy_runs_measured_again": busy}, f, indent=1)
if failed:
    print("\nFAILED (responses other than 200 or socket errors; wrk's logs in bench/load/out/):\n  " + "\n  ".join(failed))
    sys.exit(1)
