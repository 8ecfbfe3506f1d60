"""Signs in as the demo social worker and writes the session cookie for wrk (bench/audit/run).

    python3 signin.py BASE_URL DEMO_LOG COOKIE_FILE CHILD_ID

Reads the demo login from `eyeson demo`'s output, posts the sign-in form with its _csrf token,
keeps the `eyeson-session` cookie (without following the redirect to the board), checks that the
child's page answers 200 with that cookie and writes `eyeson-session=VALUE` to COOKIE_FILE.
"""
import http.cookiejar
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

base, logins, cookie_file, child = sys.argv[1:5]
login = re.search(r"demo login: role=social-worker email=(\S+) password=(\S+)", open(logins).read())
if not login:
    sys.exit(f"bench/audit: no social worker's demo login in {logins}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
with opener.open(base + "/sign-in", timeout=60) as r:
    token = re.search(r'name="_csrf" value="([^"]+)"', r.read().decode()).group(1)
form = urllib.parse.urlencode({"email": login.group(1), "password": login.group(2), "_csrf": token}).encode()
try:
    with opener.open(base + "/sign-in", data=form, timeout=60) as r:
        status, body = r.status, r.read().decode(errors="replace")
except urllib.error.HTTPError as e:
    status, body = e.code, e.read().decode(errors="replace")
if status != 303:
    sys.exit(f"bench/audit: sign-in answered {status}, not 303 (two-factor sign-in? serve needs --demo)\n{body[:500]}")
session = [c.value for c in jar if c.name == "eyeson-session"]
if not session:
    sys.exit("bench/audit: no eyeson-session cookie after sign-in")
try:
    with opener.open(f"{base}/children/{child}", timeout=60) as r:
        status = r.status
        r.read()
except urllib.error.HTTPError as e:
    status = e.code
if status != 200:
    sys.exit(f"bench/audit: GET /children/{child} answered {status} after sign-in")
with open(cookie_file, "w") as f:
    f.write(f"eyeson-session={session[-1]}\n")
