"""Signs in as the demo social worker and times the statutory-clock pages (bench/clocks/run)."""
import html.parser
import http.cookiejar
import re
import statistics
import sys
import time
import urllib.parse
import urllib.request

base, logins, rounds, label, as_of = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
login = re.search(r"demo login: role=social-worker email=(\S+) password=(\S+)", open(logins).read())
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def get(path):
    with opener.open(base + path, timeout=300) as r:
        return r.read().decode()


token = re.search(r'name="_csrf" value="([^"]+)"', get("/sign-in")).group(1)
form = urllib.parse.urlencode({"email": login.group(1), "password": login.group(2), "_csrf": token}).encode()
opener.open(base + "/sign-in", data=form, timeout=60).read()
# A child with a serious incident, so the dashboard has one to show: the first child the clocks list.
page = get("/timescales?months=3")
child = re.search(r'href="/children/([0-9A-F-]{36})"', page).group(1)
form_page = get(f"/children/{child}/serious-incidents/new")
token = re.search(r'name="_csrf" value="([^"]+)"', form_page).group(1)
under_one = re.search(r'name="under_one" value="(yes|no)" checked', form_page)
fields = {"_csrf": token, "aware_date": as_of, "harm": "serious-harm", "abuse": "suspected",
          "under_one": under_one.group(1) if under_one else "no", "looked_after": "no", "factors[]": "neglect"}
opener.open(base + f"/children/{child}/serious-incidents", data=urllib.parse.urlencode(fields).encode(), timeout=60).read()


def lines(text):
    return len(re.findall(r"<tr><td>", text))


for name, path in (("/timescales?months=3", "/timescales?months=3"), ("/timescales?months=12", "/timescales?months=12"),
                   ("/serious-incidents", "/serious-incidents"), ("/children/ID (the child)", f"/children/{child}")):
    times, body = [], ""
    for _ in range(rounds):
        t0 = time.perf_counter()
        body = get(path)
        times.append((time.perf_counter() - t0) * 1000)
    print(f"{label:9} {name:24} median {statistics.median(times):8.1f} ms   slowest {max(times):8.1f} ms   ({lines(body):,} table rows shown)", flush=True)
