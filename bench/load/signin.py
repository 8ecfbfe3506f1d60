"""Signs in as one demo role and writes its session cookie for wrk (bench/load/run).

    python3 signin.py BASE_URL DEMO_LOG ROLE COOKIE_FILE KEYS_FILE [PATH …]

Reads the role's login from `eyeson demo`'s output (`demo login: role=… email=… password=…`) and
posts the sign-in form with its _csrf token. The server is not in demo mode, so every role that
sees named children is asked for a two-factor code: at the first sign-in the script takes the key
from the set-up page (`data-secret`) and keeps it in KEYS_FILE (JSON, with the last 30-second step
used, since the server takes each code once), and enters the TOTP code (RFC 6238: HMAC-SHA1,
6 digits), as an authenticator app would; a later sign-in of the same user uses the kept key and the
next unused step. Keeps the `eyeson-session` cookie (no redirect followed), checks that each PATH
answers 200 with it, and writes `eyeson-session=VALUE` to COOKIE_FILE.
"""
import base64
import hashlib
import hmac
import http.cookiejar
import json
import os
import re
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

base, logins, role, cookie_file, keys_file = sys.argv[1:6]
paths = sys.argv[6:]
login = re.search(rf"demo login: role={re.escape(role)} email=(\S+) password=(\S+)", open(logins).read())
if not login:
    sys.exit(f"bench/load: no {role}'s demo login in {logins}")
email, password = login.group(1), login.group(2)
keys = json.load(open(keys_file)) if os.path.exists(keys_file) else {}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def fetch(path, form=None):
    """(status, Location, body) of a GET, or of a POST of the form, with the session's cookie."""
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    try:
        with opener.open(base + path, data=data, timeout=60) as r:
            return r.status, r.headers.get("Location", ""), r.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Location", ""), e.read().decode(errors="replace")


def csrf(page):
    found = re.search(r'name="_csrf" value="([^"]+)"', page)
    if not found:
        sys.exit(f"bench/load: no _csrf token on the page ({role})")
    return found.group(1)


def totp(secret, step):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return f"{(struct.unpack('>I', mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def next_code():
    """The code for the next 30-second step not used yet (the server allows one step of drift)."""
    while True:
        now = int(time.time() // 30)
        step = max(now, keys[email]["last"] + 1)
        if step <= now + 1:
            keys[email]["last"] = step
            with open(keys_file, "w") as f:
                json.dump(keys, f)
            return totp(keys[email]["secret"], step)
        time.sleep(1)


status, location, page = fetch("/sign-in")
status, location, page = fetch("/sign-in", {"email": email, "password": password, "_csrf": csrf(page)})
if status == 303 and urllib.parse.urlsplit(location).path == "/sign-in/two-factor":
    status, location, page = fetch("/sign-in/two-factor")
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page)
    if secret:
        keys[email] = {"secret": secret.group(1), "last": -1}
    elif email not in keys:
        sys.exit(f"bench/load: {role} is asked for a two-factor code, but its key was set up outside this run")
    status, location, page = fetch("/sign-in/two-factor", {"code": next_code(), "_csrf": csrf(page)})
if status != 303 or urllib.parse.urlsplit(location).path != "/":
    sys.exit(f"bench/load: {role}'s sign-in answered {status} (Location {location!r}), not 303 to /\n{page[:500]}")
session = [c.value for c in jar if c.name == "eyeson-session"]
if not session:
    sys.exit(f"bench/load: no eyeson-session cookie after {role}'s sign-in")
for path in paths:
    status, location, _ = fetch(path)
    if status != 200:
        sys.exit(f"bench/load: GET {path} answered {status} {location} to the {role} after sign-in")
with open(cookie_file, "w") as f:
    f.write(f"eyeson-session={session[-1]}\n")
