#!/usr/bin/env python3
"""One size's table: both tools, from the files bench/linkage/run wrote."""
import json, re, subprocess, sys

n, truth, o = sys.argv[1], sys.argv[2], sys.argv[3]


def ev(path, *args):
    return json.loads(subprocess.check_output([sys.executable, "evaluate.py", truth, path, *args]))


def tv(path):
    t = open(path).read()
    mem = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1048576
    w = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", t).group(1).split(":")
    secs = sum(float(x) * 60 ** i for i, x in enumerate(reversed(w)))
    return secs, mem


ours, ours_oo = ev(o + "/ours.csv", "--sweep-review"), ev(o + "/ours_oo.csv")
sp, sp_oo = ev(o + "/splink/splink_pairs.csv"), ev(o + "/splink/splink_oo_0.5.csv")
st = json.loads([l for l in open(o + "/splink.log") if l.startswith("{")][-1])
ot, om = tv(o + "/ours.time"); oot, oom = tv(o + "/ours_oo.time"); stt, sm = tv(o + "/splink.time")
splink_plain = st["load"] + st["train"] + st["predict"] + st["cluster"]
splink_oo = st["load"] + st["train"] + st["predict"] + st["one_to_one"]
rows = [
    ("EyesOn", ours, ot, om), ("EyesOn one-to-one", ours_oo, oot, oom),
    ("Splink 5", sp, splink_plain, sm), ("Splink 5 one-to-one", sp_oo, splink_oo, sm),
]
print(f"\n## {n} x {n}\n")
print("| tool | P default | R default | F1 default | F1 best (threshold) | wall s | peak GiB |")
print("|---|---|---|---|---|---|---|")
for name, e, t, m in rows:
    d, b = e["default"], e["best"]
    print(f"| {name} | {d['precision']:.4f} | {d['recall']:.4f} | {d['f1']:.4f} | {b['f1']:.4f} ({b['threshold']:.3g}) | {t:.2f} | {m:.2f} |")
best_splink = max(sp["best"]["f1"], sp_oo["best"]["f1"])
print(f"\nF1 at our default (one-to-one) {ours_oo['default']['f1']:.4f} vs Splink's best {best_splink:.4f}: "
      f"{'met' if ours_oo['default']['f1'] >= best_splink else 'missed'}; "
      f"time ratio {oot / splink_oo:.3f} (target <= 0.25), memory ratio {oom / sm:.3f} (target <= 0.4)")
print(f"Splink stages (s): {json.dumps({k: round(v, 2) for k, v in st.items() if isinstance(v, float) and k != 'lambda_'})}; "
      "its wall time excludes the extra one-to-one thresholds; peak memory is the whole Splink process.")
