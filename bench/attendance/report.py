#!/usr/bin/env python3
"""Summarise an attendance bench run: reads OUT/machine.txt and OUT/<size>/metrics.txt
(KEY=VALUE lines) and OUT/<size>/board.json, prints the results and writes OUT/results.json.

    report.py OUT SIZE...

Targets (from the issue): import <= 2 x the sqlite3 shell's .import on SQLite and <= 2 x COPY
on PostgreSQL; peak RSS at the largest size <= 1.2 x at the smallest (SQLite); board under
300 ms server time. Stdlib only.
"""
import json
import os
import re
import sys

SUMMARY = re.compile(r"(\d+) rows read, (\d+) new marks, (\d+) updated, (\d+) unchanged")

NUMERIC = {"marks_wanted", "children", "days", "rows", "csv_bytes", "ref_sqlite_s", "ref_sqlite_peak_kb",
           "sqlite_s", "sqlite_peak_kb", "sqlite_ratio", "ref_pg_s", "pg_s", "pg_peak_kb", "pg_ratio",
           "board_listed", "cores", "memory_kb", "seed", "list"}


def read_kv(path):
    out = {}
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if "=" not in line:
                continue
            k, v = line.split("=", 1)
            if k in NUMERIC:
                try:
                    v = float(v) if "." in v or "e" in v else int(v)
                except ValueError:
                    pass
            out[k] = v
    return out


def fmt(v, spec="{:.2f}"):
    return spec.format(v) if isinstance(v, (int, float)) else "-"


def main():
    out_dir, sizes = sys.argv[1], sys.argv[2:]
    machine = read_kv(os.path.join(out_dir, "machine.txt"))
    results = {"machine": machine, "sizes": {}, "targets": {
        "sqlite_ratio_max": 2.0, "pg_ratio_max": 2.0, "memory_ratio_max": 1.2, "board_server_ms_max": 300.0}}
    for n in sizes:
        m = read_kv(os.path.join(out_dir, n, "metrics.txt"))
        board = os.path.join(out_dir, n, "board.json")
        if os.path.exists(board):
            with open(board) as f:
                b = json.load(f)
            m["board"] = {k: (round(b[k], 2) if isinstance(b[k], float) else b[k])
                          for k in ("requests", "warmup", "bytes", "server_ms_median", "server_ms_max",
                                    "server_ms_min", "client_ms_median", "client_ms_max")}
            m["board"]["listed"] = m.pop("board_listed", None)
            m["board"]["under_target"] = b["server_ms_median"] < 300.0
        for side in ("sqlite", "pg"):
            found = SUMMARY.search(m.get(f"{side}_summary") or "")
            if found:
                m[f"{side}_marks"] = dict(zip(("read", "new", "updated", "unchanged"), map(int, found.groups())))
        for side, limit in (("sqlite", 2.0), ("pg", 2.0)):
            r = m.get(f"{side}_ratio")
            if isinstance(r, (int, float)):
                m[f"{side}_within_target"] = r <= limit
        results["sizes"][n] = m

    print("attendance import: ours against the bare reference on the same CSV")
    print(f"{'marks':>10} {'days':>5} {'sqlite3 s':>10} {'ours s':>8} {'peak MB':>8} {'ratio':>6}"
          f" {'COPY s':>8} {'ours s':>8} {'peak MB':>8} {'ratio':>6}")
    for n, m in results["sizes"].items():
        def mb(k):
            return fmt(m[k] / 1024, "{:.0f}") if isinstance(m.get(k), (int, float)) else "-"
        print(f"{fmt(m.get('rows'), '{:,}'):>10} {fmt(m.get('days'), '{}'):>5} {fmt(m.get('ref_sqlite_s')):>10}"
              f" {fmt(m.get('sqlite_s')):>8} {mb('sqlite_peak_kb'):>8} {fmt(m.get('sqlite_ratio')):>6}"
              f" {fmt(m.get('ref_pg_s')):>8} {fmt(m.get('pg_s')):>8} {mb('pg_peak_kb'):>8} {fmt(m.get('pg_ratio')):>6}")
    print("targets: ratio <= 2 on each database (SQLite ours / sqlite3 .import; PostgreSQL ours / COPY)")
    for n, m in results["sizes"].items():
        for side, name in (("sqlite", "SQLite"), ("pg", "PostgreSQL")):
            c = m.get(f"{side}_marks")
            if c and c["new"] < c["read"]:
                print(f"note ({name}, {n}): only {c['new']:,} of {c['read']:,} marks were new ({c['updated']:,} updated, "
                      f"{c['unchanged']:,} unchanged): the database already held marks for these days "
                      f"(the demo's own attendance), so this is not an import into an empty table")

    measured = [(m["rows"], m, n) for n, m in results["sizes"].items()
                if isinstance(m.get("sqlite_peak_kb"), (int, float)) and isinstance(m.get("rows"), int)]
    if len(measured) >= 2:
        measured.sort(key=lambda t: t[0])
        (r0, small, n0), (r1, large, n1) = measured[0], measured[-1]
        mem = {"small_rows": r0, "large_rows": r1, "small_peak_kb": small["sqlite_peak_kb"],
               "large_peak_kb": large["sqlite_peak_kb"],
               "ratio": round(large["sqlite_peak_kb"] / small["sqlite_peak_kb"], 3)}
        mem["within_target"] = mem["ratio"] <= 1.2
        results["memory"] = mem
        line = (f"memory (SQLite): peak {large['sqlite_peak_kb'] / 1024:.0f} MB at {r1:,} marks / "
                f"{small['sqlite_peak_kb'] / 1024:.0f} MB at {r0:,} = {mem['ratio']:.2f} (target <= 1.2)")
        if isinstance(small.get("pg_peak_kb"), (int, float)) and isinstance(large.get("pg_peak_kb"), (int, float)):
            mem["pg_ratio"] = round(large["pg_peak_kb"] / small["pg_peak_kb"], 3)
            line += f"; PostgreSQL client {mem['pg_ratio']:.2f}"
        print(line)

    for n, m in results["sizes"].items():
        b = m.get("board")
        if b:
            print(f"board (SQLite, {b['listed']} listed, {fmt(m.get('rows'), '{:,}')} marks imported): server median "
                  f"{b['server_ms_median']:.1f} ms, max {b['server_ms_max']:.1f} ms; client median "
                  f"{b['client_ms_median']:.1f} ms (target: under 300 ms server time)")

    path = os.path.join(out_dir, "results.json")
    with open(path, "w") as f:
        json.dump(results, f, indent=2)
    print(f"results: {os.path.relpath(path)}")


if __name__ == "__main__":
    main()
