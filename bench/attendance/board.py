#!/usr/bin/env python3
"""Time the "not seen" board of a running `eyeson serve` (stdlib only; loopback only).

    board.py --url http://127.0.0.1:PORT --email E --password P [--requests 20] [--warmup 3]
             [--wait 120] [--json OUT]

Waits up to --wait seconds for GET /sign-in to answer, signs in (GET /sign-in for the session
cookie and the hidden _csrf input, POST /sign-in, expects 303 to /), then requests GET /board
--warmup times untimed and --requests times timed, each expected 200 with a
`Server-Timing: total;dur=<ms>` header. Prints one line and, with --json, writes the figures.
Exits non-zero (with the reason) on any failure.
"""
import argparse
import html.parser
import http.cookiejar
import json
import re
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

TIMEOUT = 120


class Inputs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs = []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(dict(attrs))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def fail(msg):
    print(f"board: {msg}", file=sys.stderr)
    sys.exit(1)


def server_ms(headers):
    value = headers.get("Server-Timing")
    if not value:
        return None
    m = re.search(r"(?:^|,)\s*total\s*;[^,]*?dur=([0-9.]+)", value)
    return float(m.group(1)) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--email", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--requests", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--wait", type=float, default=120)
    ap.add_argument("--path", default="/board")
    ap.add_argument("--json")
    a = ap.parse_args()

    host = urllib.parse.urlsplit(a.url).hostname or ""
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        fail(f"{a.url}: only loopback addresses are benchmarked")

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())

    # Wait for the server.
    deadline = time.monotonic() + a.wait
    page = None
    last = None
    while time.monotonic() < deadline:
        try:
            with opener.open(a.url + "/sign-in", timeout=10) as r:
                if r.status == 200:
                    page = r.read().decode("utf-8", "replace")
                    break
                last = f"status {r.status}"
        except (urllib.error.URLError, ConnectionError, OSError) as e:
            last = str(e)
        time.sleep(0.5)
    if page is None:
        fail(f"GET {a.url}/sign-in did not answer 200 within {a.wait:.0f} s ({last})")

    p = Inputs()
    p.feed(page)
    token = next((i.get("value") or "" for i in p.inputs if i.get("name") == "_csrf"), None)
    if token is None:
        fail("no hidden _csrf input on /sign-in")
    body = urllib.parse.urlencode({"email": a.email, "password": a.password, "_csrf": token}).encode()
    req = urllib.request.Request(a.url + "/sign-in", data=body, method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with opener.open(req, timeout=TIMEOUT) as r:
            status, location = r.status, r.headers.get("Location", "")
    except urllib.error.HTTPError as e:
        status, location = e.code, e.headers.get("Location", "")
    if status != 303 or urllib.parse.urlsplit(location).path != "/":
        fail(f"POST /sign-in gave {status} Location={location!r}; wanted 303 to /")

    def get_board():
        t0 = time.perf_counter()
        try:
            with opener.open(a.url + a.path, timeout=TIMEOUT) as r:
                data = r.read()
                status, headers = r.status, r.headers
        except urllib.error.HTTPError as e:
            fail(f"GET {a.path} gave {e.code} (Location={e.headers.get('Location')!r}): "
                 f"{e.read()[:300]!r}")
        wall = (time.perf_counter() - t0) * 1000
        if status != 200:
            fail(f"GET {a.path} gave {status}")
        ms = server_ms(headers)
        if ms is None:
            fail(f"GET {a.path}: no `Server-Timing: total;dur=` header "
                 f"(got {headers.get('Server-Timing')!r})")
        return ms, wall, len(data)

    for _ in range(a.warmup):
        get_board()
    server, client, size = [], [], 0
    for _ in range(a.requests):
        ms, wall, size = get_board()
        server.append(ms)
        client.append(wall)

    out = {
        "requests": a.requests, "warmup": a.warmup, "bytes": size,
        "server_ms_median": statistics.median(server), "server_ms_max": max(server),
        "server_ms_min": min(server),
        "client_ms_median": statistics.median(client), "client_ms_max": max(client),
        "server_ms": server, "client_ms": client,
    }
    print(f"board {a.path}: {a.requests} requests (after {a.warmup} warm-up), server median "
          f"{out['server_ms_median']:.1f} ms, max {out['server_ms_max']:.1f} ms; client median "
          f"{out['client_ms_median']:.1f} ms, max {out['client_ms_max']:.1f} ms; page {size} bytes")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=2)


if __name__ == "__main__":
    main()
