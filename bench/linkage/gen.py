#!/usr/bin/env python3
"""Two noisy agency extracts of the same synthetic children, with the ground truth.

    gen.py N OUTDIR [--seed S]

writes OUTDIR/left.csv (a school roll: one record per child, UPN, NHS number often missing),
OUTDIR/right.csv (a health caseload: one record per child, NHS number nearly always present,
other column names, dates as DD/MM/YYYY) and OUTDIR/truth.csv (left_id,right_id).

The noise follows the Synthetic module (Sources/Synthetic) and issue 3: names and nicknames from
its NameLists (copied into names.json), households whose children share a surname and a postcode,
twins sharing a birth date, households that moved (one agency still holds the old postcode),
nicknames and spelling variants, typos, first and last names swapped, day and month swapped, one
part of the date wrong, year out by one, changed surnames, missing NHS numbers.
"""
import json, os, random, sys

ALPHA_UPN = "ABCDEFGHJKLMNPQRTUVWXYZ"
INWARD = "ABDEFGHJLNPQRSTUWXYZ"


def nhs_number(rng):
    while True:
        d = [rng.randrange(10) for _ in range(9)]
        s = sum(x * w for x, w in zip(d, range(10, 1, -1)))
        c = 11 - s % 11
        if c == 11:
            c = 0
        if c != 10:
            return "".join(map(str, d)) + str(c)


def upn(rng):
    body = [rng.randrange(10) for _ in range(12)]
    s = sum(v * p for v, p in zip(body, range(2, 14)))
    return ALPHA_UPN[s % 23] + "".join(map(str, body))


def typo(rng, s):
    if len(s) < 3:
        return s
    i = rng.randrange(1, len(s))
    op = rng.randrange(4)
    letters = "abcdefghijklmnopqrstuvwxyz"
    if op == 0:  # substitute
        return s[:i] + rng.choice(letters) + s[i + 1:]
    if op == 1:  # delete
        return s[:i] + s[i + 1:]
    if op == 2:  # insert
        return s[:i] + rng.choice(letters) + s[i:]
    if i < len(s) - 1:  # transpose
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s


def days_in_month(y, m):
    if m == 2:
        return 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 42
    rng = random.Random(seed)
    names = json.load(open(os.path.join(os.path.dirname(__file__), "names.json"), encoding="utf-8"))
    her = names["heritages"]
    weights = [h["weight"] for h in her]
    nick = names["nicknames"]
    os.makedirs(out, exist_ok=True)

    # A population a little larger than each extract, so about 80% of each side has a counterpart.
    population = int(n * 1.12)
    districts = max(4, population // 4000)
    people = []  # (first, surname, y, m, d, sex, postcode, previous postcode or None, nhs, upn)
    while len(people) < population:
        h = rng.choices(her, weights)[0]
        surname = rng.choice(h["surnames"])
        district = rng.randrange(1, districts + 1)
        pc = "EB%d %d%s%s" % (district, rng.randrange(1, 10), rng.choice(INWARD), rng.choice(INWARD))
        prev = None
        if rng.random() < 0.15:
            prev = "EB%d %d%s%s" % (rng.randrange(1, districts + 1), rng.randrange(1, 10), rng.choice(INWARD), rng.choice(INWARD))
        k = rng.choices([1, 2, 3, 4], [42, 38, 14, 6])[0]
        y = rng.randrange(2008, 2025)
        births = []
        for i in range(k):
            if i == 1 and rng.random() < 0.03:  # twins
                births.append(births[0])
                continue
            yy = y + i * rng.choice([1, 2, 2, 3]) if i else y
            yy = min(yy, 2025)
            mm = rng.randrange(1, 13)
            births.append((yy, mm, rng.randrange(1, days_in_month(yy, mm) + 1)))
        used = set()
        for (yy, mm, dd) in births:
            sex = rng.choice("MF")
            pool = h["boys"] if sex == "M" else h["girls"]
            first = rng.choice(pool)
            while first in used and len(used) < len(pool):
                first = rng.choice(pool)
            used.add(first)
            sur = surname if rng.random() < 0.9 else rng.choice(rng.choices(her, weights)[0]["surnames"])
            people.append((first, sur, yy, mm, dd, sex, pc, prev, nhs_number(rng), upn(rng)))
    people = people[:population]
    ids = list(range(population))
    left_people = rng.sample(ids, n)
    right_people = rng.sample(ids, n)

    def noisy(p, side):
        first, sur, y, m, d, sex, pc, prev, nhs, u = p
        r = rng.random
        if first in nick and r() < 0.10:
            first = rng.choice(nick[first])
        elif r() < 0.04:
            first = typo(rng, first)
        if r() < 0.04:
            sur = typo(rng, sur)
        elif r() < 0.02:  # changed surname (new family name, or double-barrelled)
            sur = rng.choice(rng.choices(her, weights)[0]["surnames"]) if r() < 0.5 else sur + "-" + rng.choice(her[0]["surnames"])
        if r() < 0.015:
            first, sur = sur, first
        if r() < 0.05:
            sur = sur.upper()
        dob = (y, m, d)
        x = r()
        if x < 0.015 and d <= 12:
            dob = (y, d, m)
        elif x < 0.035:
            part = rng.randrange(3)
            if part == 0:
                dob = (y + rng.choice([-1, 1]), m, d)
            elif part == 1:
                mm = rng.randrange(1, 13)
                dob = (y, mm, min(d, days_in_month(y, mm)))
            else:
                dob = (y, m, rng.randrange(1, days_in_month(y, m) + 1))
        elif x < 0.045:
            dob = None
        if prev and r() < 0.5:
            pc = prev
        x = r()
        if x < 0.03:
            pc = ""
        elif x < 0.04:
            pc = pc[:-1] + rng.choice(INWARD)
        if r() < 0.3:
            pc = pc.replace(" ", "").lower()
        if r() < 0.02:
            sex = ""
        if side == "L":
            nhs_out = nhs if r() < 0.35 else ""
            upn_out = u if r() < 0.97 else ""
            dob_s = "" if dob is None else "%04d-%02d-%02d" % dob
            if dob is not None and r() < 0.002:
                dob_s = "unknown"
        else:
            nhs_out = nhs if r() < 0.97 else ""
            if nhs_out and r() < 0.01:  # keying error: check digit now wrong, or another valid number
                nhs_out = nhs_out[:9] + str((int(nhs_out[9]) + 1) % 10)
            upn_out = u if r() < 0.05 else ""
            dob_s = "" if dob is None else "%02d/%02d/%04d" % (dob[2], dob[1], dob[0])
        return first, sur, dob_s, pc, nhs_out, upn_out, sex

    import csv
    with open(os.path.join(out, "left.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["pupil_id", "forename", "surname", "dob", "postcode", "upn", "nhs_number", "sex"])
        for i, pid in enumerate(left_people):
            first, sur, dob, pc, nhs, u, sex = noisy(people[pid], "L")
            w.writerow(["L%d" % i, first, sur, dob, pc, u, nhs, sex])
    right_index = {}
    with open(os.path.join(out, "right.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["patient_id", "given_name", "family_name", "birth_date", "post_code", "nhs_no", "upn", "gender"])
        for i, pid in enumerate(right_people):
            first, sur, dob, pc, nhs, u, sex = noisy(people[pid], "R")
            right_index[pid] = i
            w.writerow(["R%d" % i, first, sur, dob, pc, nhs, u, sex])
    matches = 0
    with open(os.path.join(out, "truth.csv"), "w", newline="") as f:
        f.write("left_id,right_id\n")
        for i, pid in enumerate(left_people):
            j = right_index.get(pid)
            if j is not None:
                f.write("L%d,R%d\n" % (i, j))
                matches += 1
    print("generated %d x %d records, %d true pairs, in %s" % (n, n, matches, out))


if __name__ == "__main__":
    main()
