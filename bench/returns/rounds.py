#!/usr/bin/env python3
"""Rounds of one eyeson command for bench/returns/run (stdlib only).

  rounds.py run OUT ENGINE LABEL ROUNDS REQUIRE TARGET_MS -- COMMAND...
  rounds.py compare OUT LABEL...

run: runs COMMAND (an `eyeson returns compute ... --format json`) ROUNDS times one after another;
each round must exit 0, print on stderr a line `computed ... in S s` (the computation's time inside
the process) and on stdout a return as JSON with a `figures` list, and every round must give the
same figures. REQUIRE (a figure's key, or `-` for none) must be a figure whose value is an integer
above 0. Prints the median and slowest in-process time, the median wall time of the whole process
(start, opening the database, computing, printing), whether the median in-process time is under
TARGET_MS, and the figures once. Writes OUT/ENGINE-LABEL.json (the last round's return),
OUT/ENGINE-LABEL.log (every round's stderr) and appends a line to OUT/results.jsonl.

compare: for each LABEL measured on both sqlite and postgres, says whether the figures agree and
lists the ones that differ (each engine has its own demo load: a difference is reported, not a
failure; see bench/README.md). Any failure of `run` exits 1 with what went wrong.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import time

COMPUTED = re.compile(r"^computed .* in ([0-9]+(?:\.[0-9]+)?) s$", re.M)


def fail(msg):
    print(f"bench/returns: {msg}", file=sys.stderr)
    sys.exit(1)


def as_return(doc):
    """`returns attendance` gives a line per group: shown as figures (pupils; persistently absent of them)."""
    if isinstance(doc, dict) and "lines" in doc and "figures" not in doc:
        figures = []
        for line in doc["lines"]:
            if line.get("pupils") is None:
                figures.append({"key": line["group"], "note": line.get("note")})
            else:
                figures.append({"key": line["group"], "value": line["pupils"]})
                figures.append({"key": line["group"] + "-persistent", "value": line["persistentlyAbsent"], "of": line["pupils"]})
        return {"figures": figures}
    return doc


def figures_of(ret, where):
    figs = ret.get("figures") if isinstance(ret, dict) else None
    if not isinstance(figs, list) or not figs:
        fail(f"{where}: the JSON has no figures")
    return figs


def shown(f):
    if "value" in f:
        v = f["value"]
        text = f"{v}/{f['of']}" if "of" in f else f"{v}"
    elif "manual" in f:
        text = "(hand-filled)"
    else:
        text = "(not known)"
    return f"{f['key']}={text}" + ("!" if f.get("flagged") else "")


def key_figures(ret):
    """The computed part of each figure, for comparing rounds and engines."""
    return {f["key"]: {k: f.get(k) for k in ("value", "of", "note", "flagged")} for f in ret["figures"]}


def run(args):
    out, engine, label, rounds, require, target_ms = args[:6]
    rounds, target_ms = int(rounds), float(target_ms)
    if args[6] != "--":
        fail("rounds.py run: expected -- before the command")
    cmd = args[7:]
    log_path = os.path.join(out, f"{engine}-{label}.log")
    computes, walls, first = [], [], None
    with open(log_path, "w") as log:
        for r in range(1, rounds + 1):
            t0 = time.perf_counter()
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
            wall = time.perf_counter() - t0
            log.write(f"--- round {r}: exit {p.returncode}, wall {wall:.3f} s\n{p.stderr}")
            where = f"{engine} {label} round {r}"
            if p.returncode != 0:
                fail(f"{where}: exit status {p.returncode}\n  command: {' '.join(cmd)}\n"
                     f"  stderr: {p.stderr.strip()[-2000:]}\n  stdout: {p.stdout.strip()[-500:]}")
            m = COMPUTED.findall(p.stderr)
            if not m:
                fail(f"{where}: no `computed ... in S s` line on stderr: {p.stderr.strip()[-1000:]}")
            try:
                ret = as_return(json.loads(p.stdout))
            except ValueError as e:
                fail(f"{where}: the output is not JSON ({e}): {p.stdout[:500]}")
            figures_of(ret, where)
            if require != "-":
                f = next((f for f in ret["figures"] if f.get("key") == require), None)
                v = None if f is None else f.get("value")
                if not (isinstance(v, int) and not isinstance(v, bool) and v > 0):
                    fail(f"{where}: figure {require!r} should be an integer above 0, is "
                         f"{'missing' if f is None else json.dumps(f)}")
            if first is None:
                first = ret
            elif key_figures(ret) != key_figures(first):
                fail(f"{where}: the figures differ from round 1's\n  round 1: "
                     + " ".join(map(shown, first["figures"])) + "\n  now:     " + " ".join(map(shown, ret["figures"])))
            computes.append(float(m[-1]))
            walls.append(wall)
            with open(os.path.join(out, f"{engine}-{label}.json"), "w") as j:
                j.write(p.stdout)
    ms = lambda s: round(s * 1000, 1)
    med, slow, wall_med = statistics.median(computes), max(computes), statistics.median(walls)
    met = med * 1000 < target_ms
    print(f"  {label:<22} compute median {ms(med):>8.1f} ms, slowest {ms(slow):>8.1f} ms;"
          f" wall median {ms(wall_med):>8.1f} ms; target < {target_ms:.0f} ms: {'met' if met else 'MISSED'}")
    print(f"  {'':<22} figures: " + " ".join(shown(f) for f in first["figures"]))
    for f in first["figures"]:
        if f.get("note"):
            print(f"  {'':<22}   {f['key']}: {f['note']}")
    with open(os.path.join(out, "results.jsonl"), "a") as res:
        res.write(json.dumps({
            "engine": engine, "label": label, "command": cmd[1:], "rounds": rounds,
            "compute_ms": [ms(s) for s in computes], "wall_ms": [ms(s) for s in walls],
            "compute_median_ms": ms(med), "compute_max_ms": ms(slow), "wall_median_ms": ms(wall_med),
            "target_ms": target_ms, "met": met,
            "figures": {f["key"]: f.get("value") for f in first["figures"] if "value" in f},
        }) + "\n")


def brief(kf):
    if kf is None:
        return "(missing)"
    text = "(no value)" if kf["value"] is None else str(kf["value"]) + (f"/{kf['of']}" if kf["of"] is not None else "")
    return text + ("!" if kf["flagged"] else "") + (f" ({kf['note']})" if kf["note"] else "")


def compare(args):
    out, labels = args[0], args[1:]
    for label in dict.fromkeys(labels):   # each once, in the order measured
        paths = [os.path.join(out, f"{e}-{label}.json") for e in ("sqlite", "postgres")]
        if not all(os.path.exists(p) for p in paths):
            continue
        a, b = (key_figures(as_return(json.load(open(p)))) for p in paths)
        if a == b:
            print(f"  {label}: the figures agree on SQLite and PostgreSQL")
        else:
            keys = [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
            print(f"  {label}: the figures DIFFER between SQLite and PostgreSQL:")
            for k in keys:
                print(f"    {k}: sqlite {brief(a.get(k))}, postgres {brief(b.get(k))}")


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("run", "compare"):
        fail(__doc__)
    (run if sys.argv[1] == "run" else compare)(sys.argv[2:])
