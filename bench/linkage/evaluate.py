#!/usr/bin/env python3
"""Precision, recall and F1 of a pairs file against the truth.

    evaluate.py TRUTH.csv PAIRS.csv [--prob-col match_probability] [--only-match]

PAIRS.csv needs left_id, right_id and a probability column; with a `decision` column, the
"default" figures count the rows whose decision is `match`, otherwise those with probability
≥ --default (0.5). The best threshold is found by sweeping the probability over the rows
(rows with decision `review` take part only when --sweep-review is given). Prints JSON.
"""
import csv, json, sys


def main():
    truth_path, pairs_path = sys.argv[1], sys.argv[2]
    args = sys.argv[3:]
    prob_col = args[args.index("--prob-col") + 1] if "--prob-col" in args else "match_probability"
    default = float(args[args.index("--default") + 1]) if "--default" in args else 0.5
    sweep_review = "--sweep-review" in args
    truth = set()
    with open(truth_path) as f:
        r = csv.reader(f); next(r)
        for a, b in r:
            truth.add((a, b))
    rows = []
    with open(pairs_path) as f:
        r = csv.DictReader(f)
        for row in r:
            rows.append((row["left_id"], row["right_id"], float(row[prob_col]), row.get("decision")))
    n_true = len(truth)

    def prf(selected):
        tp = sum(1 for p in selected if p in truth)
        fp = len(selected) - tp
        prec = tp / len(selected) if selected else 1.0
        rec = tp / n_true if n_true else 1.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        return dict(precision=round(prec, 5), recall=round(rec, 5), f1=round(f1, 5), tp=tp, fp=fp, fn=n_true - tp)

    if rows and rows[0][3] is not None:
        default_sel = {(a, b) for a, b, p, d in rows if d == "match"}
    else:
        default_sel = {(a, b) for a, b, p, d in rows if p >= default}
    out = dict(default=prf(default_sel))
    cand = [(p, (a, b) in truth, (a, b)) for a, b, p, d in rows if d is None or d == "match" or sweep_review]
    cand.sort(key=lambda x: -x[0])
    seen = set()
    tp = fp = 0
    best = (0.0, None, 0, 0)
    i = 0
    while i < len(cand):
        p = cand[i][0]
        while i < len(cand) and cand[i][0] == p:
            if cand[i][2] not in seen:
                seen.add(cand[i][2])
                if cand[i][1]: tp += 1
                else: fp += 1
            i += 1
        prec = tp / (tp + fp); rec = tp / n_true if n_true else 1
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0
        if f1 > best[0]:
            best = (f1, p, tp, fp)
    f1, p, tp, fp = best
    out["best"] = dict(threshold=p, precision=round(tp / (tp + fp), 5) if tp + fp else 1, recall=round(tp / n_true, 5) if n_true else 1,
                       f1=round(f1, 5), tp=tp, fp=fp, fn=n_true - tp)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
