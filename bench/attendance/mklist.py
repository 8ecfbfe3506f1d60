#!/usr/bin/env python3
"""Write an agreed list for `eyeson list import` from the distinct UPNs of an attendance file.

    mklist.py ATTENDANCE_CSV OUT_CSV --count 50000 --csc KEY --police KEY --as-of YYYY-MM-DD

Takes the first COUNT distinct UPNs in file order (the file is grouped by school, so the list
spreads over the area's first schools), all `child-in-need`, risks 20% red, 40% amber, 40% green
(by position: 0 red, 1-2 amber, 3-4 green of every five), led by children's social care with
police and children's social care at the meeting. Synthetic data only. Stdlib only.
"""
import argparse
import csv
import datetime
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("attendance")
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=50000)
    ap.add_argument("--csc", required=True, help="agency key of the LA children's social care")
    ap.add_argument("--police", required=True, help="agency key of a police force")
    ap.add_argument("--as-of", required=True)
    a = ap.parse_args()

    as_of = datetime.date.fromisoformat(a.as_of)
    # `list import` refuses a meeting after its today (the machine's date).
    meeting = min(as_of, datetime.date.today()) - datetime.timedelta(days=30)

    upns, seen = [], set()
    with open(a.attendance, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        col = header.index("upn")
        for row in r:
            u = row[col].strip()
            if u and u not in seen:
                seen.add(u)
                upns.append(u)
                if len(upns) == a.count:
                    break
    if len(upns) < a.count:
        sys.exit(f"mklist: {a.attendance} has only {len(upns)} distinct UPNs; {a.count} wanted "
                 f"(use more children)")

    risks = ["red", "amber", "amber", "green", "green"]
    rationale = {"red": "Benchmark entry: high concern",
                 "amber": "Benchmark entry: some concerns",
                 "green": "Benchmark entry: engaging with services"}
    with open(a.out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["upn", "reasons", "risk", "risk_rationale", "lead_agency", "lead_professional",
                    "review_date", "meeting_date", "agencies_present"])
        for i, u in enumerate(upns):
            risk = risks[i % 5]
            review = as_of + datetime.timedelta(days=7 * (i % 12) - 14)
            w.writerow([u, "child-in-need", risk, rationale[risk], a.csc, "Duty social work team",
                        review.isoformat(), meeting.isoformat(), f"{a.csc};{a.police}"])
    print(f"mklist: {len(upns)} children -> {a.out} (meeting {meeting})")


if __name__ == "__main__":
    main()
