#!/usr/bin/env python3
"""End-to-end checks of `eyeson link`, run by scripts/test against the built binary.

    link_check.py EYESON WORKDIR

Each check runs the real command on real CSV files and asserts what a user would notice: the
pairs it writes against the ground truth (bench/linkage/gen.py makes two noisy extracts of the
same synthetic children), and the message and exit status on bad input. Prints one line per
check and "N passed, N failed"; exits non-zero if any check failed.
"""
import csv
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GEN = os.path.join(ROOT, "bench", "linkage", "gen.py")
EVALUATE = os.path.join(ROOT, "bench", "linkage", "evaluate.py")

MAP_L = "id=pupil_id,first_name=forename,surname=surname,dob=dob,postcode=postcode,upn=upn,nhs_number=nhs_number,sex=sex"
MAP_R = "id=patient_id,first_name=given_name,surname=family_name,dob=birth_date,postcode=post_code,upn=upn,nhs_number=nhs_no,sex=gender"

results = []
BASELINE = {}


def unparseable(text, field):
    for line in text.splitlines():
        if line.startswith(f"Unparseable {field} values treated as missing: "):
            return int(line.rsplit(" ", 1)[1])
    return 0


def check(name):
    def wrap(fn):
        t0 = time.time()
        try:
            note = fn()
            results.append((name, True, note))
            print(f"ok    {name} ({time.time() - t0:.1f}s){' — ' + note if note else ''}", flush=True)
        except AssertionError as e:
            results.append((name, False, str(e)))
            print(f"FAIL  {name}: {e}", flush=True)
        return fn
    return wrap


def link(*args):
    p = subprocess.run([EYESON, "link", *args], capture_output=True, text=True, timeout=600)
    return p.returncode, p.stdout + p.stderr


def write(path, text, mode="w"):
    with open(path, mode) as f:
        f.write(text)
    return path


def read_pairs(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


EYESON, WORK = sys.argv[1], sys.argv[2]
os.makedirs(WORK, exist_ok=True)
DATA = os.path.join(WORK, "gen")
subprocess.run([sys.executable, GEN, "3000", DATA, "--seed", "11"], check=True, capture_output=True)
LEFT, RIGHT, TRUTH = (os.path.join(DATA, n) for n in ("left.csv", "right.csv", "truth.csv"))


@check("links two noisy extracts of the same children: F1 ≥ 0.97 at the default threshold")
def _():
    out = os.path.join(WORK, "pairs.csv")
    rc, text = link("--left", LEFT, "--right", RIGHT, "--map", MAP_L, "--right-map", MAP_R, "--out", out)
    assert rc == 0, f"exit {rc}: {text[-500:]}"
    assert "Pairs written:" in text and "Timings:" in text, f"no counts or timings printed: {text}"
    BASELINE["dob"] = unparseable(text, "dob")
    rows = read_pairs(out)
    assert rows, "no pairs written"
    assert list(rows[0].keys()) == ["left_id", "right_id", "match_weight", "match_probability", "decision"], rows[0].keys()
    assert {r["decision"] for r in rows} <= {"match", "review"}, "a decision other than match/review"
    assert all(float(r["match_probability"]) >= 0.5 for r in rows), "a pair below the review threshold was written"
    e = json.loads(subprocess.run([sys.executable, EVALUATE, TRUTH, out], check=True, capture_output=True, text=True).stdout)
    f1 = e["default"]["f1"]
    assert f1 >= 0.97, f"F1 {f1} at the default threshold ({e['default']})"
    return f"precision {e['default']['precision']}, recall {e['default']['recall']}, F1 {f1}"


@check("--parameters links a new extract with parameters kept from an earlier run: no training, the same quality; a wrong file is refused by name")
def _():
    kept = os.path.join(WORK, "parameters.json")
    rc, text = link("--left", LEFT, "--right", RIGHT, "--map", MAP_L, "--right-map", MAP_R, "--parameters-out", kept,
                    "--out", os.path.join(WORK, "pairs-train.csv"))
    assert rc == 0, f"exit {rc}: {text[-500:]}"
    # The "new extract": the second half of the right file, linked against the whole left file.
    part = os.path.join(WORK, "right-part.csv")
    with open(RIGHT, newline="") as f:
        rows = list(csv.reader(f))
    header, new_rows = rows[0], rows[1 + (len(rows) - 1) // 2:]
    with open(part, "w", newline="") as f:
        csv.writer(f).writerows([header] + new_rows)
    out = os.path.join(WORK, "pairs-kept.csv")
    rc, text = link("--left", LEFT, "--right", part, "--map", MAP_L, "--right-map", MAP_R, "--parameters", kept, "--out", out)
    assert rc == 0, f"exit {rc}: {text[-500:]}"
    with open(kept) as f:
        lam = json.load(f)["lambda"]
    # Training on half the right file would estimate another prior; the kept one is printed.
    assert f"Prior λ: {lam:.3g}" in text, f"it did not link with the kept prior {lam:.3g}: {text}"
    id_column = header.index("patient_id")
    ids = {r[id_column] for r in new_rows}
    truth = list(read_pairs(TRUTH))
    right_col = [k for k in truth[0].keys() if "right" in k][0]
    left_col = [k for k in truth[0].keys() if "left" in k][0]
    wanted = {(t[left_col], t[right_col]) for t in truth if t[right_col] in ids}
    got = {(r["left_id"], r["right_id"]) for r in read_pairs(out) if r["decision"] == "match"}
    recall = len(wanted & got) / max(1, len(wanted))
    precision = len(wanted & got) / max(1, len(got))
    assert recall >= 0.95 and precision >= 0.97, f"precision {precision:.4f}, recall {recall:.4f} with the kept parameters"
    bad = write(os.path.join(WORK, "not-parameters.json"), '{"lambda": 0.001, "comparisons": [{"name": "shoe_size", "levels": ["exact"], "m": [0.9], "u": [0.1]}]}')
    rc, text = link("--left", LEFT, "--right", part, "--map", MAP_L, "--right-map", MAP_R, "--parameters", bad, "--out", out)
    assert rc != 0 and "not-parameters.json" in text and "shoe_size" in text, f"exit {rc}: {text[-400:]}"
    return f"precision {precision:.4f}, recall {recall:.4f} on {len(ids)} new records"


@check("--one-to-one links each record to at most one counterpart")
def _():
    out = os.path.join(WORK, "pairs-oo.csv")
    rc, text = link("--left", LEFT, "--right", RIGHT, "--map", MAP_L, "--right-map", MAP_R, "--one-to-one", "--out", out)
    assert rc == 0, f"exit {rc}: {text[-500:]}"
    matches = [r for r in read_pairs(out) if r["decision"] == "match"]
    lefts = [r["left_id"] for r in matches]
    rights = [r["right_id"] for r in matches]
    assert len(lefts) == len(set(lefts)) and len(rights) == len(set(rights)), "a record matched twice"
    return f"{len(matches)} matches"


@check("--dedupe finds the same child entered twice in one file")
def _():
    src = os.path.join(WORK, "dupes.csv")
    with open(LEFT, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:301]
    extra = []
    for i, r in enumerate(body[:20]):       # 20 children re-entered with a new id and a typo
        r2 = list(r)
        r2[header.index("pupil_id")] = f"DUP{i}"
        fn = r2[header.index("forename")]
        r2[header.index("forename")] = fn[:-1] + ("e" if fn[-1] != "e" else "a")
        extra.append(r2)
    with open(src, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(body + extra)
    out = os.path.join(WORK, "dedupe.csv")
    rc, text = link("--dedupe", src, "--map", MAP_L, "--out", out)
    assert rc == 0, f"exit {rc}: {text[-500:]}"
    found = {(r["left_id"], r["right_id"]) for r in read_pairs(out) if r["decision"] == "match"}
    wanted = {(body[i][header.index("pupil_id")], f"DUP{i}") for i in range(20)}
    hits = sum(1 for a, b in wanted if (a, b) in found or (b, a) in found)
    assert hits >= 18, f"found {hits} of the 20 duplicates"
    return f"{hits}/20 duplicates found, {len(found)} match pairs"


@check("a mapped column that is missing: an error naming it")
def _():
    rc, text = link("--left", LEFT, "--right", RIGHT, "--map", MAP_L, "--right-map", MAP_R.replace("post_code", "postcode_x"),
                    "--out", os.path.join(WORK, "x.csv"))
    assert rc != 0, "exit 0"
    assert "postcode_x" in text and RIGHT in text, f"message does not name the file and column: {text}"


@check("an empty file: zero pairs, not a crash")
def _():
    empty = write(os.path.join(WORK, "empty.csv"), "")
    out = os.path.join(WORK, "empty-pairs.csv")
    rc, text = link("--left", empty, "--right", RIGHT, "--map", MAP_L, "--right-map", MAP_R, "--out", out)
    assert rc == 0, f"exit {rc}: {text[-500:]}"
    assert read_pairs(out) == [], "pairs written for an empty file"


@check("non-UTF-8 input: a clear error naming the file and line")
def _():
    with open(LEFT, "rb") as f:
        data = f.read().split(b"\n")
    data[5] = data[5].replace(b",", b",\xe9\xff", 1)
    bad = write(os.path.join(WORK, "latin1.csv"), b"\n".join(data), "wb")
    rc, text = link("--left", bad, "--right", RIGHT, "--map", MAP_L, "--right-map", MAP_R, "--out", os.path.join(WORK, "x.csv"))
    assert rc != 0, "exit 0"
    assert "UTF-8" in text and "latin1.csv" in text, f"unclear message: {text}"


@check("unparseable dates are treated as missing and counted")
def _():
    with open(LEFT, newline="") as f:
        rows = list(csv.reader(f))
    col = rows[0].index("dob")
    plain = [r for r in rows[1:] if re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[col])]
    for r in plain[:7]:
        r[col] = "not a date"
    src = os.path.join(WORK, "bad-dates.csv")
    with open(src, "w", newline="") as f:
        csv.writer(f).writerows(rows)
    rc, text = link("--left", src, "--right", RIGHT, "--map", MAP_L, "--right-map", MAP_R, "--out", os.path.join(WORK, "x.csv"))
    assert rc == 0, f"exit {rc}: {text[-500:]}"
    want = BASELINE.get("dob", 0) + 7      # gen.py writes a few odd dates of its own
    assert unparseable(text, "dob") == want, f"expected {want} unparseable dates counted: {text}"


@check("duplicate ids within a source are reported")
def _():
    with open(LEFT) as f:
        lines = f.read().splitlines()
    src = write(os.path.join(WORK, "dup-ids.csv"), "\n".join(lines + lines[1:4]) + "\n")
    rc, text = link("--left", src, "--right", RIGHT, "--map", MAP_L, "--right-map", MAP_R, "--out", os.path.join(WORK, "x.csv"))
    assert rc == 0, f"exit {rc}: {text[-500:]}"
    assert "Duplicate ids in" in text and ": 3" in text, f"duplicates not reported: {text}"


@check("a model file with an unknown comparison type: an error naming it")
def _():
    model = {"name": "m", "comparisons": [{"name": "first", "field": "first_name", "kind": "name",
                                           "levels": [{"type": "exact"}, {"type": "soundalike"}, {"type": "else"}]}],
             "blockingRules": [{"name": "f", "keys": [{"field": "first_name"}]}]}
    path = write(os.path.join(WORK, "model.json"), json.dumps(model))
    rc, text = link("--left", LEFT, "--right", RIGHT, "--map", MAP_L, "--right-map", MAP_R, "--model", path,
                    "--out", os.path.join(WORK, "x.csv"))
    assert rc != 0, "exit 0"
    assert "soundalike" in text, f"message does not name the unknown type: {text}"


passed = sum(1 for _, ok, _ in results if ok)
failed = len(results) - passed
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
