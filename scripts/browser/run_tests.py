#!/usr/bin/env python3
"""EyesOn browser and HTTP tests: a real headless Chromium signs in like a person, and axe-core
checks each page for accessibility problems. Run by scripts/test against a running server.

    python scripts/browser/run_tests.py --base-url http://127.0.0.1:8080 \
        --logins demo-logins.txt --artifacts .test-artifacts [--suite full|smoke]

--logins is the output of `eyeson demo` (or a server log from `eyeson serve --demo`): every line
`demo login: role=<role> email=<email> password=<password>` is read.

A tiny runner, no pytest: tests run in the order they are declared (the lockout test is last,
because it locks a user out), every failure is reported, and the last line printed is
`N passed, N failed`. Exit status 0 only if nothing failed and at least one test ran.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import hmac
import html
import html.parser
import io
import json
import os
import re
import struct
import sys
import time
import traceback
import uuid
from pathlib import Path
from urllib.parse import urljoin, urlsplit

os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager reach the network

import requests  # noqa: E402
from axe_selenium_python import Axe  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

ROLES = [
    "administrator",
    "social-worker",
    "front-door",
    "virtual-school-head",
    "safeguarding-lead",
    "police-officer",
    "health-practitioner",
    "youth-justice-worker",
    "analyst",
    "auditor",
]
LOCKOUT_ROLE = "auditor"          # locked out by the last test of the full suite
WRONG_PASSWORD_ROLE = "administrator"  # one failed attempt only
SIGN_IN_ERROR = "Enter a correct email address and password"
LOGIN_RE = re.compile(r"demo login: role=(\S+) email=(\S+) password=(\S+)\s*$")
BLOCKING_IMPACTS = ("serious", "critical")
HTTP_TIMEOUT = 30


class Failure(AssertionError):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


# --------------------------------------------------------------------------- context


class Context:
    def __init__(self, args):
        self.base = args.base_url.rstrip("/")
        self.artifacts = Path(args.artifacts)
        self.shots = self.artifacts / "screenshots"
        self.axe_dir = self.artifacts / "axe"
        self.fail_dir = self.artifacts / "failures"
        for d in (self.shots, self.axe_dir, self.fail_dir):
            d.mkdir(parents=True, exist_ok=True)
        self.prefix = args.screenshot_prefix
        self.clock_file = args.clock_file
        self.logins = parse_logins(Path(args.logins).read_text(errors="replace"))
        self._driver = None
        self.notes: list[str] = []
        self.first_error_summary: str | None = None
        # Two-factor: each user's secret as this run's "phone" took it from the set-up page, and
        # the last step used (the server accepts each code once).
        # Kept in the artifacts folder, so a second run against the same server can sign in.
        self.totp_file = self.artifacts / "totp-secrets.json"
        saved = json.loads(self.totp_file.read_text()).get(self.base, {}) if self.totp_file.exists() else {}
        self.totp_secrets: dict[str, str] = saved.get("secrets", {})
        self.totp_last: dict[str, int] = saved.get("last", {})

    def remember_secret(self, email, secret):
        self.totp_secrets[email] = secret
        self.save_totp()

    def save_totp(self):
        saved = json.loads(self.totp_file.read_text()) if self.totp_file.exists() else {}
        saved[self.base] = {"secrets": self.totp_secrets, "last": self.totp_last}
        self.totp_file.write_text(json.dumps(saved, indent=1))

    # A single Chromium for the whole run; cookies are cleared before every test.
    @property
    def driver(self):
        if self._driver is None:
            opts = Options()
            opts.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
            for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                      "--disable-gpu", "--window-size=1280,800", "--lang=en-GB",
                      "--no-first-run", "--disable-extensions"):
                opts.add_argument(a)
            service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"),
                              log_output=str(self.artifacts / "chromedriver.log"))
            self._driver = webdriver.Chrome(service=service, options=opts)
            self._driver.set_page_load_timeout(60)
            self._driver.set_script_timeout(180)
        return self._driver

    def quit(self):
        if self._driver is not None:
            try:
                self._driver.quit()
            except Exception:  # noqa: BLE001
                pass
            self._driver = None

    def url(self, path):
        return self.base + path

    def login(self, role):
        check(role in self.logins, f"no demo login for role {role!r} in the demo output "
              f"(found: {', '.join(sorted(self.logins)) or 'none'})")
        return self.logins[role]

    def shot(self, name):
        path = self.shots / f"{self.prefix}{name}.png"
        self.driver.save_screenshot(str(path))
        return path


def parse_logins(text):
    logins = {}
    for line in text.splitlines():
        m = LOGIN_RE.search(line)
        if m:
            role, email, password = m.groups()
            logins[role] = {"email": email, "password": password}
    return logins


# --------------------------------------------------------------------------- helpers


class FormInputs(html.parser.HTMLParser):
    """Collects <input> and <form> attributes from an HTML page (stdlib only)."""

    def __init__(self):
        super().__init__()
        self.inputs = []
        self.forms = []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(dict(attrs))
        elif tag == "form":
            self.forms.append(dict(attrs))


def csrf_from(html_text):
    p = FormInputs()
    p.feed(html_text)
    for i in p.inputs:
        if i.get("name") == "_csrf":
            return i.get("value") or ""
    return None


def path_of(url):
    return urlsplit(url).path or "/"


def wait_ready(d):
    WebDriverWait(d, 60).until(
        lambda drv: drv.execute_script("return document.readyState") == "complete")


def click_and_wait(d, element):
    """Click something that loads a new page, and wait until the new page is there.

    The old page is marked with a JS variable; the new document has no such mark. (Waiting for
    the old <html> element to go stale races with fast navigations in chromedriver.)"""
    d.execute_script("window.__eyesonOldPage = true;")
    try:
        element.click()
    except WebDriverException as e:
        # chromedriver sometimes reports on the clicked node after the navigation it started
        if "does not belong to the document" not in str(e) and "stale" not in str(e).lower():
            raise

    def new_page_ready(drv):
        try:
            return drv.execute_script(
                "return window.__eyesonOldPage !== true && document.readyState === 'complete';")
        except WebDriverException:      # the page is changing under us: try again
            return False
    WebDriverWait(d, 60, poll_frequency=0.1).until(new_page_ready)


def totp_code(secret, counter):
    """RFC 6238 / RFC 4226: HMAC-SHA1, 6 digits."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{number:06d}"


def next_code(ctx, email):
    """A code for the user's next unused 30-second step, as an authenticator app would show,
    waiting when this run has used both steps the server accepts now."""
    secret = ctx.totp_secrets.get(email)
    check(secret, f"{email} is asked for a two-factor code, but this run never saw their set-up page")
    while True:
        now = int(time.time() // 30)
        step = max(now, ctx.totp_last.get(email, -1) + 1)
        if step <= now + 1:
            ctx.totp_last[email] = step
            ctx.save_totp()
            return totp_code(secret, step)
        time.sleep(1)


def two_factor_step(ctx, email):
    """On /sign-in/two-factor: takes the secret from the set-up page (first sign-in), then
    enters the code."""
    d = ctx.driver
    secrets = d.find_elements(By.CSS_SELECTOR, "#totp-secret[data-secret]")
    if secrets:
        ctx.remember_secret(email, secrets[0].get_attribute("data-secret"))
    box = d.find_element(By.CSS_SELECTOR, "input#code[name=code]")
    box.clear()
    box.send_keys(next_code(ctx, email))
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-in/two-factor"] button[type=submit]'))


def sign_in(ctx, email, password, code=True):
    """Signs in through the form; when asked for a two-factor code (every role that sees named
    children, outside demo mode), sets it up or enters it, unless `code` is False."""
    d = ctx.driver
    d.get(ctx.url("/sign-in"))
    wait_ready(d)
    email_box = d.find_element(By.CSS_SELECTOR, "input#email[name=email]")
    password_box = d.find_element(By.CSS_SELECTOR, "input#password[name=password]")
    email_box.clear()
    email_box.send_keys(email)
    password_box.clear()
    password_box.send_keys(password)
    button = d.find_element(By.CSS_SELECTOR, 'form[action="/sign-in"] button[type=submit]')
    click_and_wait(d, button)
    if code and path_of(d.current_url) == "/sign-in/two-factor":
        two_factor_step(ctx, email)


def body_role(d):
    return d.find_element(By.TAG_NAME, "body").get_attribute("data-role")


def error_summary_text(d):
    found = d.find_elements(By.CSS_SELECTOR, ".govuk-error-summary")
    return " ".join(e.text for e in found).strip() if found else None


def run_axe(ctx, name, problems=None):
    """Run axe-core on the current page; fail on serious or critical violations (or, given a
    `problems` list, add the report to it and carry on)."""
    d = ctx.driver
    axe = Axe(d)
    axe.inject()
    results = axe.run()
    violations = results.get("violations", [])
    (ctx.axe_dir / f"{ctx.prefix}{name}.json").write_text(json.dumps(violations, indent=2))
    blocking, other = [], []
    for v in violations:
        (blocking if v.get("impact") in BLOCKING_IMPACTS else other).append(v)
    for v in other:
        ctx.notes.append(f"axe {name}: {v.get('impact')} {v['id']}: {v.get('help')} "
                         f"({len(v.get('nodes', []))} nodes)")
    if blocking:
        lines = [f"axe found {len(blocking)} serious/critical violation(s) on {name} "
                 f"({d.current_url}):"]
        for v in blocking:
            targets = [", ".join(map(str, n.get("target", []))) for n in v.get("nodes", [])[:3]]
            more = len(v.get("nodes", [])) - len(targets)
            lines.append(f"  - {v['id']} [{v.get('impact')}]: {v.get('help')}")
            for t in targets:
                lines.append(f"      at {t}")
            if more > 0:
                lines.append(f"      … and {more} more node(s)")
        if problems is None:
            raise Failure("\n".join(lines))
        problems.append("\n".join(lines))
    return results


def layout_signature(d):
    """The parts of the page a shared layout gives every page."""
    js = """
    const q = s => document.querySelector(s) !== null;
    return {
      banner: q('header, [role=banner]'),
      main: q('main, [role=main]'),
      footer: q('footer, [role=contentinfo]'),
      stylesheets: Array.from(document.querySelectorAll('link[rel~=stylesheet]'))
                        .map(l => l.getAttribute('href')).sort(),
      lang: document.documentElement.getAttribute('lang') || ''
    };"""
    return d.execute_script(js)


def requests_sign_in(ctx, role):
    """Sign in with plain HTTP (token from the form), returning the session."""
    s = requests.Session()
    r = s.get(ctx.url("/sign-in"), timeout=HTTP_TIMEOUT)
    check(r.status_code == 200, f"GET /sign-in gave {r.status_code}")
    token = csrf_from(r.text)
    check(token, "no hidden _csrf input on /sign-in")
    creds = ctx.login(role)
    r = s.post(ctx.url("/sign-in"), data={"email": creds["email"], "password": creds["password"],
                                           "_csrf": token},
               allow_redirects=False, timeout=HTTP_TIMEOUT)
    if r.status_code == 303 and path_of(r.headers.get("Location", "")) == "/sign-in/two-factor":
        page = s.get(ctx.url("/sign-in/two-factor"), timeout=HTTP_TIMEOUT)
        found = re.search(r'data-secret="([A-Z2-7]+)"', page.text)
        if found:
            ctx.remember_secret(creds["email"], found.group(1))
        r = s.post(ctx.url("/sign-in/two-factor"),
                   data={"code": next_code(ctx, creds["email"]), "_csrf": csrf_from(page.text)},
                   allow_redirects=False, timeout=HTTP_TIMEOUT)
    check(r.status_code == 303 and path_of(r.headers.get("Location", "")) == "/",
          f"sign-in with the form's token gave {r.status_code} "
          f"Location={r.headers.get('Location')!r}; wanted 303 to /")
    return s


CSP_EXTERNAL = re.compile(r"://|^\*|^(https?|wss?|ftp):$|^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?(/|$)", re.I)


def check_security_headers(resp, what):
    h = resp.headers
    problems = []
    csp = h.get("Content-Security-Policy")
    if not csp:
        problems.append("no Content-Security-Policy")
    else:
        for directive in csp.split(";"):
            parts = directive.split()
            for src in parts[1:]:
                if not src.startswith("'") and CSP_EXTERNAL.search(src):
                    problems.append(f"CSP {parts[0]} allows an external source {src!r}")
    if (h.get("X-Frame-Options") or "").strip().upper() != "DENY":
        problems.append(f"X-Frame-Options is {h.get('X-Frame-Options')!r}, not DENY")
    if (h.get("X-Content-Type-Options") or "").strip().lower() != "nosniff":
        problems.append(f"X-Content-Type-Options is {h.get('X-Content-Type-Options')!r}, "
                        "not nosniff")
    check(not problems, f"{what} (status {resp.status_code}): " + "; ".join(problems))
    return csp


# --------------------------------------------------------------------------- tests

TESTS = []


def test(name, suites=("full",)):
    def register(fn):
        TESTS.append((name, suites, fn))
        return fn
    return register


@test("demo output lists a login for every role", suites=("full",))
def t_logins(ctx):
    missing = [r for r in ROLES if r not in ctx.logins]
    check(not missing, f"demo output has no login line for: {', '.join(missing)}")


@test("health answers 200 {status: ok}", suites=("full", "smoke"))
def t_health(ctx):
    r = requests.get(ctx.url("/health"), timeout=HTTP_TIMEOUT)
    check(r.status_code == 200, f"/health gave {r.status_code}")
    check(r.json().get("status") == "ok", f"/health body {r.text[:200]!r}")


@test("signed out, / redirects (303) to /sign-in", suites=("full", "smoke"))
def t_redirect(ctx):
    r = requests.get(ctx.url("/"), allow_redirects=False, timeout=HTTP_TIMEOUT)
    check(r.status_code == 303, f"GET / signed out gave {r.status_code}, wanted 303")
    check(path_of(r.headers.get("Location", "")) == "/sign-in",
          f"GET / redirected to {r.headers.get('Location')!r}, wanted /sign-in")


@test("security headers on every kind of response")
def t_headers(ctx):
    csp = None
    for method, path, kw in [("GET", "/sign-in", {}), ("GET", "/health", {}),
                             ("GET", "/", {}), ("GET", f"/no-such-page-{uuid.uuid4().hex[:8]}", {}),
                             ("POST", "/sign-in", {"data": {"email": "x", "password": "y"}})]:
        r = requests.request(method, ctx.url(path), allow_redirects=False,
                             timeout=HTTP_TIMEOUT, **kw)
        csp = check_security_headers(r, f"{method} {path}")
    s = requests_sign_in(ctx, "analyst")
    check_security_headers(s.get(ctx.url("/"), timeout=HTTP_TIMEOUT), "GET / signed in")
    ctx.notes.append(f"CSP: {csp}")


@test("sign-in page has the form and passes axe", suites=("full", "smoke"))
def t_sign_in_page(ctx):
    d = ctx.driver
    d.get(ctx.url("/sign-in"))
    wait_ready(d)
    form = d.find_elements(By.CSS_SELECTOR, 'form[method="post" i][action="/sign-in"]')
    check(form, 'no <form method="post" action="/sign-in">')
    for sel in ("input#email[name=email]", "input#password[name=password]",
                'input[type=hidden][name="_csrf"]', "button[type=submit]"):
        check(form[0].find_elements(By.CSS_SELECTOR, sel), f"sign-in form has no {sel}")
    check(d.find_element(By.CSS_SELECTOR, 'input#password').get_attribute("type") == "password",
          "the password box is not type=password")
    h1 = d.find_elements(By.TAG_NAME, "h1")
    check(h1 and h1[0].text.strip(), "sign-in page has no <h1> text")
    ctx.shot("sign-in")
    run_axe(ctx, "sign-in")


@test("unknown page is a 404 in the layout and passes axe")
def t_not_found(ctx):
    path = f"/no-such-page-{uuid.uuid4().hex[:8]}"
    r = requests.get(ctx.url(path), timeout=HTTP_TIMEOUT)
    check(r.status_code == 404, f"GET {path} gave {r.status_code}, wanted 404")
    check("text/html" in r.headers.get("Content-Type", ""),
          f"404 Content-Type is {r.headers.get('Content-Type')!r}, wanted text/html")
    d = ctx.driver
    d.get(ctx.url("/sign-in"))
    wait_ready(d)
    sign_in_layout = layout_signature(d)
    d.get(ctx.url(path))
    wait_ready(d)
    h1 = d.find_elements(By.TAG_NAME, "h1")
    check(h1 and "Page not found" in h1[0].text, f"404 <h1> is {h1[0].text if h1 else None!r}")
    layout = layout_signature(d)
    check(layout["main"], "404 page has no <main>")
    check(layout == sign_in_layout,
          f"404 page is not in the same layout as /sign-in: {layout} vs {sign_in_layout}")
    ctx.shot("not-found")
    run_axe(ctx, "not-found")


@test("POST without a CSRF token is refused (403)", suites=("full", "smoke"))
def t_csrf(ctx):
    creds = ctx.login("social-worker")
    data = {"email": creds["email"], "password": creds["password"]}
    # 1. a cross-site form post: no cookie, no token
    r = requests.post(ctx.url("/sign-in"), data=data, allow_redirects=False,
                      timeout=HTTP_TIMEOUT, headers={"Origin": "https://evil.example"})
    check(r.status_code == 403, f"POST /sign-in with no cookie or token gave {r.status_code}")
    # 2. with the session cookie but no token, and with a made-up token
    s = requests.Session()
    s.get(ctx.url("/sign-in"), timeout=HTTP_TIMEOUT)
    r = s.post(ctx.url("/sign-in"), data=data, allow_redirects=False, timeout=HTTP_TIMEOUT)
    check(r.status_code == 403, f"POST /sign-in with a cookie but no token gave {r.status_code}")
    r = s.post(ctx.url("/sign-in"), data=dict(data, _csrf="not-the-token"),
               allow_redirects=False, timeout=HTTP_TIMEOUT)
    check(r.status_code == 403, f"POST /sign-in with a wrong token gave {r.status_code}")
    # 3. signed in, a forged sign-out (cookie sent, no token) is refused and changes nothing
    s = requests_sign_in(ctx, "social-worker")
    r = s.post(ctx.url("/sign-out"), allow_redirects=False, timeout=HTTP_TIMEOUT)
    check(r.status_code == 403, f"signed-in POST /sign-out without token gave {r.status_code}")
    r = s.get(ctx.url("/"), allow_redirects=False, timeout=HTTP_TIMEOUT)
    check(r.status_code == 200, f"after the forged sign-out, GET / gave {r.status_code}, "
          "wanted 200 (still signed in)")


TWO_FACTOR_ROLE = "health-practitioner"   # first signs in here, so its set-up page is seen


@test("two-factor: the first sign-in sets it up from the key on the page; a wrong code is refused by field; both pages pass axe")
def t_two_factor(ctx):
    d = ctx.driver
    creds = ctx.login(TWO_FACTOR_ROLE)
    sign_in(ctx, creds["email"], creds["password"], code=False)
    check(path_of(d.current_url) == "/sign-in/two-factor",
          f"after the right password the browser is at {d.current_url}, wanted /sign-in/two-factor")
    secret = d.find_elements(By.CSS_SELECTOR, "#totp-secret[data-secret]")
    check(secret, "the first sign-in of a health practitioner shows no set-up key (#totp-secret)")
    ctx.remember_secret(creds["email"], secret[0].get_attribute("data-secret"))
    check("otpauth://totp/EyesOn:" in d.page_source, "the set-up page has no otpauth:// link")
    ctx.shot("two-factor-set-up")
    run_axe(ctx, "two-factor-set-up")
    # Signed out still: the password alone opens nothing.
    r = requests.get(ctx.url("/children"), allow_redirects=False, timeout=HTTP_TIMEOUT,
                     cookies={c["name"]: c["value"] for c in d.get_cookies()})
    check(r.status_code == 303, f"between password and code, /children gave {r.status_code}")
    right = next_code(ctx, creds["email"])
    box = d.find_element(By.CSS_SELECTOR, "input#code[name=code]")
    box.send_keys(str((int(right) + 1) % 1_000_000).zfill(6))
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-in/two-factor"] button[type=submit]'))
    summary = error_summary_text(d) or ""
    check("6-digit code" in summary, f"a wrong code gave the error summary {summary!r}")
    check(d.find_elements(By.CSS_SELECTOR, "#code-error"), "a wrong code has no message beside the field")
    run_axe(ctx, "two-factor-wrong-code")
    box = d.find_element(By.CSS_SELECTOR, "input#code[name=code]")
    box.clear()
    box.send_keys(right)
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-in/two-factor"] button[type=submit]'))
    check(path_of(d.current_url) == "/" and body_role(d) == TWO_FACTOR_ROLE,
          f"the right code left the browser at {d.current_url}")
    # The next sign-in asks for a code only, never the key again.
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    sign_in(ctx, creds["email"], creds["password"], code=False)
    check(not d.find_elements(By.CSS_SELECTOR, "#totp-secret"), "the set-up key is shown again after set-up")
    check(d.find_elements(By.CSS_SELECTOR, "input#code"), "the second sign-in asks for no code")
    run_axe(ctx, "two-factor-code")
    two_factor_step(ctx, creds["email"])
    check(path_of(d.current_url) == "/", f"the second sign-in's code left the browser at {d.current_url}")


@test("demo mode: the demo accounts sign in without two-factor, and every page says so", suites=("smoke",))
def t_demo_mode(ctx):
    d = ctx.driver
    creds = ctx.login("social-worker")
    sign_in(ctx, creds["email"], creds["password"], code=False)
    check(path_of(d.current_url) == "/", f"in demo mode the password led to {d.current_url}, wanted /")
    banner = " ".join(e.text for e in d.find_elements(By.CSS_SELECTOR, ".banner"))
    check("Demo mode" in banner and "without two-factor" in banner, f"no demo-mode banner: {banner!r}")


@test("session timeout: the warning appears, keeps what was typed, and 'Stay signed in' keeps the session")
def t_timeout_warning(ctx):
    d = ctx.driver
    creds = ctx.login("social-worker")
    sign_in(ctx, creds["email"], creds["password"])
    d.get(ctx.url("/children"))
    wait_ready(d)
    box = d.find_element(By.CSS_SELECTOR, "input#name")
    box.send_keys("typed before the warning")
    # The page's own script, run again with a 6-minute timeout: 5 minutes left is inside the
    # 5-minute warning, so the warning comes at its first check (5 s). Nothing else is faked.
    d.execute_script("""
      document.body.setAttribute('data-idle-timeout', '305');
      document.body.setAttribute('data-idle-warning', '300');
      var s = document.createElement('script'); s.src = '/assets/eyeson.js?again'; document.head.appendChild(s);""")
    WebDriverWait(d, 20).until(lambda drv: drv.find_elements(By.CSS_SELECTOR, "#timeout-warning[role=alertdialog]"))
    warning = d.find_element(By.ID, "timeout-warning")
    check("signed out" in warning.text, f"the warning says {warning.text!r}")
    check(d.switch_to.active_element.get_attribute("id") == "stay-signed-in",
          "the warning's button does not have the focus")
    ctx.shot("timeout-warning")
    run_axe(ctx, "timeout-warning")
    d.find_element(By.ID, "stay-signed-in").click()
    WebDriverWait(d, 10).until(lambda drv: not drv.find_elements(By.ID, "timeout-warning"))
    check(path_of(d.current_url) == "/children", f"'Stay signed in' left the page for {d.current_url}")
    check(d.find_element(By.CSS_SELECTOR, "input#name").get_attribute("value") == "typed before the warning",
          "what was typed was lost")
    r = requests.get(ctx.url("/children"), allow_redirects=False, timeout=HTTP_TIMEOUT,
                     cookies={c["name"]: c["value"] for c in d.get_cookies()})
    check(r.status_code == 200, f"after 'Stay signed in', /children gave {r.status_code}")


def role_journey(ctx, role):
    """Sign in as a person would, check the home page, audit it, then sign out."""
    d = ctx.driver
    creds = ctx.login(role)
    axe_problems = []     # reported at the end, so one bad page does not hide the others
    sign_in(ctx, creds["email"], creds["password"])
    check(path_of(d.current_url) == "/",
          f"after signing in as {role} the browser is at {d.current_url}, wanted /"
          + (f" (error summary: {error_summary_text(d)!r})" if error_summary_text(d) else ""))
    check(body_role(d) == role, f"<body data-role> is {body_role(d)!r}, wanted {role!r}")
    h1 = d.find_elements(By.TAG_NAME, "h1")
    check(h1 and h1[0].text.strip(), "home page has no <h1> text")
    check(d.find_elements(By.CSS_SELECTOR, "nav, [role=navigation]"),
          "home page has no navigation landmark")
    ctx.shot(f"{role}-home")
    run_axe(ctx, f"{role}-home", axe_problems)

    # Children pages, for the roles whose navigation offers them.
    links = [a for a in d.find_elements(By.TAG_NAME, "a") if a.text.strip() == "Children"]
    if links:
        click_and_wait(d, links[0])
        check(d.find_elements(By.TAG_NAME, "h1"), f"{d.current_url} has no <h1>")
        ctx.shot(f"{role}-children")
        run_axe(ctx, f"{role}-children", axe_problems)
        child_links = [a for a in d.find_elements(By.CSS_SELECTOR, 'a[href*="/children/"]')
                       if re.fullmatch(r"/children/[^/?#]+", path_of(a.get_attribute("href") or ""))]
        if child_links:
            click_and_wait(d, child_links[0])
            check(d.find_elements(By.TAG_NAME, "h1"), f"{d.current_url} has no <h1>")
            ctx.shot(f"{role}-child")
            run_axe(ctx, f"{role}-child", axe_problems)
            ctx.notes.append(f"{role}: audited home, children list and {path_of(d.current_url)}")
        else:
            ctx.notes.append(f"{role}: audited home and children list (no child link on it)")
    else:
        ctx.notes.append(f"{role}: audited home (no Children link)")

    # Sign out with the button, from whichever page we are on.
    forms = d.find_elements(By.CSS_SELECTOR, 'form[action="/sign-out"]')
    check(forms, 'no <form action="/sign-out"> on the page')
    check(forms[0].find_elements(By.CSS_SELECTOR, 'input[type=hidden][name="_csrf"]'),
          "the sign-out form has no hidden _csrf input")
    buttons = forms[0].find_elements(By.CSS_SELECTOR, "button, input[type=submit]")
    check(buttons, "the sign-out form has no button")
    label = (buttons[0].text or buttons[0].get_attribute("value") or "").strip()
    check("sign out" in label.lower(), f"the sign-out button says {label!r}")
    click_and_wait(d, buttons[0])
    check(path_of(d.current_url) == "/sign-in",
          f"after signing out the browser is at {d.current_url}, wanted /sign-in")
    d.get(ctx.url("/"))
    wait_ready(d)
    check(path_of(d.current_url) == "/sign-in",
          f"after signing out, / showed {d.current_url} instead of /sign-in")
    check(not axe_problems, "\n".join(axe_problems))


def add_role_tests():
    for role in ROLES:
        suites = ("full", "smoke") if role in SMOKE_ROLES else ("full",)
        test(f"{role}: sign in, home page, axe, sign out", suites=suites)(
            lambda ctx, role=role: role_journey(ctx, role))


SMOKE_ROLES = ("social-worker", "administrator")
add_role_tests()


def find_unlisted_pupil(ctx):
    """A pupil of the safeguarding lead's school, with marks and not on the list (by plain HTTP).
    The school sees only its listed pupils, so the social worker (who sees every child) looks."""
    lead = requests_sign_in(ctx, "safeguarding-lead")
    r = lead.get(ctx.url("/"), timeout=HTTP_TIMEOUT)
    who = re.search(r'class="who">[^<,]+, ([^<\n]+)', r.text)
    check(who, "the safeguarding lead's home page does not name their school")
    school = html.unescape(who.group(1).strip())
    s = requests_sign_in(ctx, "social-worker")
    for page_number in range(1, 60):
        r = s.get(ctx.url(f"/children?page={page_number}"), timeout=HTTP_TIMEOUT)
        check(r.status_code == 200, f"/children as the social worker gave {r.status_code}")
        ids = re.findall(r'href="/children/([0-9A-Fa-f-]{36})"', r.text)
        for child_id in ids:
            page = s.get(ctx.url(f"/children/{child_id}"), timeout=HTTP_TIMEOUT).text
            upn = re.search(r"<dt>UPN</dt><dd>([A-Z0-9]{13})</dd>", page)
            urn = re.search(r"<tr><td>([^<]*)</td><td>(\d{6,7})</td><td>[^<]*</td><td>On roll</td>", page)
            if upn and urn and html.unescape(urn.group(1)) == school and "Not on the agreed list" in page \
                    and "Attendance at " in page and "Not present in the marks received" not in page:
                return child_id, upn.group(1), urn.group(2)
        if not ids or "Next page" not in r.text:
            break
    raise Failure(f"no pupil of {school} with marks is off the list")


def school_days_back(n):
    """The last n weekdays up to today, oldest first (demo dates avoid bank holidays)."""
    import datetime
    day, days = datetime.date.today(), []
    while len(days) < n:
        if day.weekday() < 5:
            days.append(day)
        day -= datetime.timedelta(days=1)
    return list(reversed(days))


def fill(d, css, text):
    box = d.find_element(By.CSS_SELECTOR, css)
    box.clear()
    box.send_keys(text)


@test("done when: propose, two agencies agree, absences raise a task on the board, a virtual visit closes it, all on the timeline")
def t_eyes_on_flow(ctx):
    d = ctx.driver
    problems = []
    child_id, upn, urn = find_unlisted_pupil(ctx)

    # A social worker proposes the child.
    sw = ctx.login("social-worker")
    sign_in(ctx, sw["email"], sw["password"])
    d.get(ctx.url(f"/children/{child_id}"))
    wait_ready(d)
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Propose for the agreed list"))
    run_axe(ctx, "propose-form", problems)
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action$="/propose"] button[type=submit]'))
    check(error_summary_text(d) and "Choose at least one reason" in error_summary_text(d),
          f"an empty proposal gave {error_summary_text(d)!r}")
    d.find_element(By.CSS_SELECTOR, 'input[name="reasons[]"][value="child-in-need"]').click()
    d.find_element(By.CSS_SELECTOR, 'input[name="risk"][value="red"]').click()
    fill(d, "#risk_rationale", "Two missed appointments; <b>worried</b> about neglect")
    from selenium.webdriver.support.ui import Select
    Select(d.find_element(By.ID, "lead_agency")).select_by_visible_text(
        next(o.text for o in Select(d.find_element(By.ID, "lead_agency")).options if "Social Care" in o.text))
    fill(d, "#lead_professional", "Sam Social Worker, Team A")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action$="/propose"] button[type=submit]'))
    entry_path = path_of(d.current_url)
    check(re.fullmatch(r"/list/[0-9A-Fa-f-]{36}", entry_path), f"proposing led to {d.current_url}")
    text = d.find_element(By.TAG_NAME, "main").text
    check("Proposed" in text, f"the new entry does not say Proposed: {text[:300]!r}")
    check("<b>worried</b>" in text, "the rationale's markup was not shown as text")
    ctx.shot("list-entry-proposed")
    run_axe(ctx, "list-entry", problems)
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))

    # The school's safeguarding lead agrees: the local authority and one partner make the quorum.
    dsl = ctx.login("safeguarding-lead")
    sign_in(ctx, dsl["email"], dsl["password"])
    d.get(ctx.url(entry_path))
    wait_ready(d)
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action$="/agree"] button'))
    text = d.find_element(By.TAG_NAME, "main").text
    check("Agreed: the child is now on the list" in text, f"after the school agreed: {text[:300]!r}")

    # The school's next attendance file: present 8 school days ago, unexplained absence since,
    # and a bad row (a retired code, a name that is markup) that is quarantined.
    days = school_days_back(8)
    lines = ["school_urn,upn,forename,surname,date_of_birth,date,session,code"]
    for day in days[1:]:
        for session in ("AM", "PM"):
            lines.append(f"{urn},{upn},Test,Pupil,,{day.isoformat()},{session},N")
    lines.append(f"{urn},{upn},<script>alert(1)</script>,Pupil,,{days[-1].isoformat()},AM,H")
    path = ctx.artifacts / "attendance-upload.csv"
    path.write_text("\n".join(lines) + "\n")
    d.get(ctx.url("/attendance/import"))
    wait_ready(d)
    run_axe(ctx, "attendance-upload", problems)
    d.find_element(By.ID, "file").send_keys(str(path.resolve()))
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/attendance/import"] button'))
    text = d.find_element(By.TAG_NAME, "main").text
    check("Import report" in text, f"the upload did not show a report: {text[:400]!r}")
    new = re.search(r"New marks\s+(\d+)", text)
    corrected = re.search(r"Marks corrected\s+(\d+)", text)
    check(new and corrected and 1 <= int(new.group(1)) + int(corrected.group(1)) <= 14,
          f"the report does not count the 14 marks sent as new or corrected: {text[:600]!r}")
    check(re.search(r"Rows quarantined\s+1", text) and "retired" in text and str(len(lines)) in text,
          f"the report does not show the quarantined row with its line and reason: {text[:900]!r}")
    check(not d.find_elements(By.CSS_SELECTOR, "main script"), "a <script> from the file became markup")
    ctx.shot("import-report")
    run_axe(ctx, "import-report", problems)
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))

    # The social worker sees the child on the "not seen" board, with the tasks.
    sign_in(ctx, sw["email"], sw["password"])
    d.get(ctx.url("/board"))
    wait_ready(d)
    rows = [r for r in d.find_elements(By.CSS_SELECTOR, "tbody tr")
            if r.find_elements(By.CSS_SELECTOR, f'a[href="/children/{child_id}"]')]
    check(rows, "the child is not on the not-seen board after the absences")
    cells = rows[0].find_elements(By.TAG_NAME, "td")
    check("Red" in cells[1].text and int(cells[-1].text) >= 2,
          f"the board row is {[c.text for c in cells]}; wanted red with 2 open tasks (lead agency and school)")
    ctx.shot("board")
    run_axe(ctx, "board", problems)

    # A virtual visit: without its basis it is refused; with it, it closes the tasks.
    d.get(ctx.url(f"/children/{child_id}/contact"))
    wait_ready(d)
    d.find_element(By.CSS_SELECTOR, 'input[name="type"][value="virtual"]').click()
    d.find_element(By.CSS_SELECTOR, 'input[name="child_seen"][value="yes"]').click()
    d.find_element(By.CSS_SELECTOR, 'input[name="seen_alone"][value="no"]').click()
    fill(d, "#outcome", "Child well and talking; home looked warm.")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action$="/contact"] button[type=submit]'))
    check(error_summary_text(d) and "why the contact was virtual" in error_summary_text(d),
          f"a virtual contact without its basis gave {error_summary_text(d)!r}")
    run_axe(ctx, "contact-form-error", problems)
    fill(d, "#virtual_basis", "Family isolating with flu; risk considered low as school saw the child last week.")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action$="/contact"] button[type=submit]'))
    text = d.find_element(By.TAG_NAME, "main").text
    check(path_of(d.current_url) == f"/children/{child_id}", f"recording the contact led to {d.current_url}")
    check(re.search(r"Contact recorded; [2-9] tasks closed", text), f"the child page says {text[:300]!r}")
    for expected in ("Virtual or video call", "Why virtual: Family isolating", "Task done", "Agreed list: agreed",
                     "Absent from", "Task opened"):
        check(expected in text, f"the timeline has no {expected!r}")
    check(d.find_elements(By.CSS_SELECTOR, "svg.chart[role=img] title"), "no accessible attendance chart")
    ctx.shot("child-timeline")
    run_axe(ctx, "child-timeline", problems)
    r = requests_sign_in(ctx, "social-worker").get(ctx.url("/board"), timeout=HTTP_TIMEOUT)
    check(f"/children/{child_id}" not in r.text, "the child is still on the board after being seen")
    check(re.match(r"total;dur=[0-9.]+", r.headers.get("Server-Timing", "")), "the board has no Server-Timing")
    check(not problems, "\n".join(problems))


@test("the school, Virtual School, back-to-school, list, tasks, caseload and suggestions pages list children and pass axe")
def t_eyes_on_pages(ctx):
    d = ctx.driver
    problems = []
    for role, paths in (("safeguarding-lead", ["/school", "/back-to-school", "/tasks"]),
                        ("virtual-school-head", ["/virtual-school", "/list", "/board"]),
                        ("social-worker", ["/caseload", "/list/suggestions"])):
        creds = ctx.login(role)
        sign_in(ctx, creds["email"], creds["password"])
        for path in paths:
            d.get(ctx.url(path))
            wait_ready(d)
            check(path_of(d.current_url) == path, f"{role} asked for {path} and got {d.current_url}")
            check(d.find_elements(By.TAG_NAME, "h1"), f"{path} has no <h1>")
            ctx.shot(f"{role}{path.replace('/', '-')}")
            run_axe(ctx, f"{role}{path.replace('/', '-')}", problems)
        if role == "social-worker":
            d.get(ctx.url("/caseload"))
            wait_ready(d)
            check(d.find_elements(By.CSS_SELECTOR, 'tbody a[href$="/contact"]'),
                  "the demo social worker's caseload lists no child to record a contact for")
        if role == "virtual-school-head":
            d.get(ctx.url("/virtual-school"))
            wait_ready(d)
            check(d.find_elements(By.CSS_SELECTOR, 'tbody a[href^="/children/"]'),
                  "the Virtual School page lists no looked-after child or child with a social worker")
        click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    # Someone with no child data gets no list.
    s = requests_sign_in(ctx, "administrator")
    r = s.get(ctx.url("/board"), timeout=HTTP_TIMEOUT)
    check(r.status_code == 403, f"the administrator got {r.status_code} for the board")
    check(not problems, "\n".join(problems))


@test("rules propose, people decide: suggested children show the rule and record, and lead to the proposal form")
def t_rule_suggestions(ctx):
    d = ctx.driver
    problems = []
    creds = ctx.login("front-door")
    sign_in(ctx, creds["email"], creds["password"])
    d.get(ctx.url("/list/suggestions"))
    wait_ready(d)
    check(path_of(d.current_url) == "/list/suggestions", f"the suggestions page went to {d.current_url}")
    rules = d.find_elements(By.CSS_SELECTOR, "table:first-of-type tbody tr")
    check(len(rules) >= 4, f"the page shows {len(rules)} rules, wanted the 4 defaults")
    reasons = d.find_elements(By.CSS_SELECTOR, "ul.plain li")
    check(reasons, "the demo's attendance names no child by any rule")
    check(re.search(r"at .+ \(URN \d{6,7}, UPN [A-Z0-9]{13}\)", reasons[0].text),
          f"a suggestion does not say which record made the rule fire: {reasons[0].text!r}")
    ctx.shot("rule-suggestions")
    run_axe(ctx, "rule-suggestions", problems)
    link = d.find_element(By.CSS_SELECTOR, 'a[href$="/propose"]')
    click_and_wait(d, link)
    check(re.match(r"^/children/[0-9A-Fa-f-]{36}/propose$", path_of(d.current_url)), f"Propose led to {d.current_url}")
    check("Propose" in d.find_element(By.TAG_NAME, "h1").text, "the proposal form did not open")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    check(not problems, "\n".join(problems))


CIN_UPLOAD = """<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header><CollectionDetails><Collection>CIN</Collection><Year>2027</Year><ReferenceDate>2027-03-31</ReferenceDate></CollectionDetails></Header>
  <Children>
    <Child>
      <ChildIdentifiers><LAchildID>BT{tag}A</LAchildID><UPNunknown>UN1</UPNunknown><PersonBirthDate>2025-04-02</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity><Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
      <CINdetails><CINreferralDate>2026-10-01</CINreferralDate><ReferralSource>3B</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>
        <ReferralNFA>false</ReferralNFA>
        <ChildProtectionPlans><CPPstartDate>2026-10-20</CPPstartDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse><NumberOfPreviousCPP>0</NumberOfPreviousCPP></ChildProtectionPlans>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers><LAchildID>BT{tag}B</LAchildID><UPNunknown>UN1</UPNunknown><PersonBirthDate>2024-01-09</PersonBirthDate><Sex>M</Sex></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails><CINreferralDate>2026-09-01</CINreferralDate><ReferralSource>&lt;script&gt;alert(1)&lt;/script&gt;</ReferralSource>
        <ReferralNFA>true</ReferralNFA></CINdetails>
    </Child>
  </Children>
</Message>
"""


@test("children's social care uploads a CIN census; the report names the bad child; a child page shows the plans")
def t_cin_upload(ctx):
    d = ctx.driver
    problems = []
    sw = ctx.login("social-worker")
    sign_in(ctx, sw["email"], sw["password"])
    path = ctx.artifacts / "cin-upload.xml"
    path.write_text(CIN_UPLOAD.replace("{tag}", uuid.uuid4().hex[:8].upper()))
    d.get(ctx.url("/social-care/import"))
    wait_ready(d)
    run_axe(ctx, "cin-upload", problems)
    d.find_element(By.ID, "file").send_keys(str(path.resolve()))
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/social-care/import"] button'))
    text = d.find_element(By.TAG_NAME, "main").text
    check("Import report" in text and "CIN census" in text, f"the upload did not show a report: {text[:400]!r}")
    check(re.search(r"New children\s+1", text) and re.search(r"Children quarantined\s+1", text),
          f"the report does not count 1 new child and 1 quarantined: {text[:700]!r}")
    check("Child/CINdetails/ReferralSource" in text and "<script>" in text,
          f"the report does not name the bad element and show its value as text: {text[:900]!r}")
    check(not d.find_elements(By.CSS_SELECTOR, "main script"), "a <script> from the file became markup")
    run_axe(ctx, "cin-import-report", problems)
    d.get(ctx.url("/imports"))
    wait_ready(d)
    check("cin-upload.xml" in d.find_element(By.TAG_NAME, "main").text, "the import history does not list the upload")
    run_axe(ctx, "import-history", problems)

    # A child on a protection plan (the demo's census went in through the same import): the
    # "not seen" board lists red children, the demo's plans.
    d.get(ctx.url("/board"))
    wait_ready(d)
    links = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, 'main tbody a[href^="/children/"]')]
    found = False
    for href in links[:40]:
        d.get(href)
        wait_ready(d)
        main = d.find_element(By.TAG_NAME, "main").text
        if "On a child protection plan since" in main:
            found = True
            check("Referrals to children's social care" in main, "the child page has no referrals table")
            ctx.shot("child-social-care")
            run_axe(ctx, "child-social-care", problems)
            break
    check(found, "no listed child's page shows a child protection plan from the census")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    check(not problems, "\n".join(problems))


SSDA903_HEADER = """CHILD,SEX,DOB,ETHNIC,UPN
LA{tag}A,2,14/03/2014,WBRI,UN1
LA{tag}B,1,02/07/2012,WBRI,UN1
"""
SSDA903_EPISODES = """CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
LA{tag}A,01/09/2026,S,C2,N1,U4,PR1,,,,,,XXXXXXX
LA{tag}B,05/10/2026,S,V2,N1,<script>alert(1)</script>,PR1,,,,,,XXXXXXX
"""


@test("children's social care uploads the SSDA903 tables together; the report names the bad table, line and column; a looked-after child's page shows the care")
def t_ssda903_upload(ctx):
    d = ctx.driver
    problems = []
    sw = ctx.login("social-worker")
    sign_in(ctx, sw["email"], sw["password"])
    tag = uuid.uuid4().hex[:7].upper()
    folder = ctx.artifacts / f"ssda903-{tag}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "header.csv").write_text(SSDA903_HEADER.replace("{tag}", tag))
    (folder / "episodes.csv").write_text(SSDA903_EPISODES.replace("{tag}", tag))
    d.get(ctx.url("/looked-after/import"))
    wait_ready(d)
    run_axe(ctx, "ssda903-upload", problems)
    d.find_element(By.ID, "file").send_keys(str((folder / "header.csv").resolve()) + "\n" + str((folder / "episodes.csv").resolve()))
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/looked-after/import"] button'))
    text = d.find_element(By.TAG_NAME, "main").text
    check("Import report" in text and "SSDA903" in text, f"the upload did not show a report: {text[:400]!r}")
    check(re.search(r"New children\s+1", text) and re.search(r"Children quarantined\s+1", text),
          f"the report does not count 1 new child and 1 quarantined: {text[:700]!r}")
    check("episodes.csv:PLACE" in text and "<script>" in text,
          f"the report does not name the bad table and column and show the value as text: {text[:900]!r}")
    check(not d.find_elements(By.CSS_SELECTOR, "main script"), "a <script> from the file became markup")
    run_axe(ctx, "ssda903-import-report", problems)

    # The demo's own return went in through the same import: a looked-after child on the list.
    d.get(ctx.url("/list"))
    wait_ready(d)
    rows = d.find_elements(By.CSS_SELECTOR, "main tbody tr")
    links = [r.find_element(By.CSS_SELECTOR, 'a[href^="/list/"]').get_attribute("href")
             for r in rows if "Looked after" in r.text and r.find_elements(By.CSS_SELECTOR, 'a[href^="/list/"]')]
    found = False
    for href in links[:20]:
        d.get(href)   # the list entry, which links to the child's record
        wait_ready(d)
        child = d.find_elements(By.CSS_SELECTOR, 'main a[href^="/children/"]')
        if not child:
            continue
        d.get(child[0].get_attribute("href"))
        wait_ready(d)
        main = d.find_element(By.TAG_NAME, "main").text
        if "Periods of care (SSDA903)" in main:
            found = True
            check("Looked after:" in main and "Placed at" in main, "the child page does not say how the child is looked after, and where (for social care)")
            ctx.shot("child-looked-after")
            run_axe(ctx, "child-looked-after", problems)
            break
    check(found, f"no looked-after child on the list ({len(links)} tried) shows periods of care from the SSDA903 return")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    check(not problems, "\n".join(problems))


@test("records to match: the linking model looks for matches; children's social care sees its evidence as a waterfall, says 'not the same' (remembered), skips a record, matches one and unlinks it from the child's page")
def t_matching(ctx):
    d = ctx.driver
    problems = []
    sw = ctx.login("social-worker")
    sign_in(ctx, sw["email"], sw["password"])
    d.get(ctx.url("/matching"))
    wait_ready(d)
    text = d.find_element(By.TAG_NAME, "main").text
    check("Records to match" in text and "Health caseloads" in text, f"the page does not list the feeds: {text[:500]!r}")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'main form[action="/matching/run"] button'))
    text = d.find_element(By.TAG_NAME, "main").text
    check(re.search(r"Looked for matches: \d+ unmatched records weighed against \d+ children", text), f"the run did not say what it did: {text[:400]!r}")

    def rows():
        return d.find_elements(By.CSS_SELECTOR, "main table.records > tbody > tr")

    def record_of(form):
        return form.get_attribute("action").split("/matching/")[1].split("/")[1]

    # The model's evidence for a pair it was not sure of: weight, probability, a waterfall and its table.
    details = d.find_elements(By.CSS_SELECTOR, "main table.records details")
    check(details, "the demo left no pair with the linking model's evidence")
    d.execute_script("arguments[0].open = true", details[0])
    check(details[0].find_elements(By.CSS_SELECTOR, 'svg[role="img"] title'), "the evidence has no labelled waterfall")
    table = details[0].find_element(By.TAG_NAME, "table").text
    check("Date of birth" in table and "In all" in table and "probability" in table, f"the evidence table: {table!r}")
    weight = details[0].find_element(By.XPATH, "preceding-sibling::p[@class='weight']").text
    check(re.search(r"match weight [+−][0-9.]+, probability", weight), f"no weight and probability: {weight!r}")
    ctx.shot("matching")
    run_axe(ctx, "matching", problems)

    # "Not the same child" on the pair with evidence: it is not offered again.
    item = details[0].find_element(By.XPATH, "ancestor::li[1]")
    refuse = item.find_element(By.CSS_SELECTOR, 'form[action$="/not-same"]')
    record, person = record_of(refuse), refuse.find_element(By.NAME, "person").get_attribute("value")
    click_and_wait(d, refuse.find_element(By.TAG_NAME, "button"))
    text = d.find_element(By.TAG_NAME, "main").text
    check("Kept: the" in text and "not that child" in text, f"'not the same' did not say so: {text[:400]!r}")
    offered = [f.find_element(By.NAME, "person").get_attribute("value")
               for f in d.find_elements(By.CSS_SELECTOR, f'main form[action$="/{record}/not-same"]')]
    check(person not in offered, "the pair said to be different is offered again")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'main form[action="/matching/run"] button'))
    offered = [f.find_element(By.NAME, "person").get_attribute("value")
               for f in d.find_elements(By.CSS_SELECTOR, f'main form[action$="/{record}/not-same"]')]
    check(person not in offered, "a new run offered the pair said to be different again")

    # "Skip for now": the record goes to the end of the queue.
    first = rows()[0].find_element(By.CSS_SELECTOR, 'form[action$="/skip"]')
    skipped = record_of(first)
    click_and_wait(d, first.find_element(By.TAG_NAME, "button"))
    check("Skipped:" in d.find_element(By.TAG_NAME, "main").text, "skipping did not say so")
    check(record_of(rows()[-1].find_element(By.CSS_SELECTOR, 'form[action$="/skip"]')) == skipped or len(rows()) >= 100,
          "the skipped record is not at the end of the queue")

    # "Same child" on a candidate: matched, and the record leaves the queue.
    same = d.find_elements(By.CSS_SELECTOR, 'main table.records form:not([action$="/not-same"]):not([action$="/skip"])')
    check(same, "no candidate left to match")
    matched = record_of(same[0])
    child = same[0].find_element(By.NAME, "person").get_attribute("value")
    click_and_wait(d, same[0].find_element(By.TAG_NAME, "button"))
    text = d.find_element(By.TAG_NAME, "main").text
    check("Matched:" in text, f"matching a record did not say so: {text[:400]!r}")
    check(not d.find_elements(By.CSS_SELECTOR, f'main form[action$="/{matched}/skip"]'), "the matched record is still listed")

    # The child's page lists the records linked to them by agency; a wrong link is undone there.
    d.get(ctx.url(f"/children/{child}"))
    wait_ready(d)
    unlink = d.find_elements(By.CSS_SELECTOR, f'main form[action$="/{matched}/unlink"]')
    check(unlink, "the child's page does not list the record just matched")
    run_axe(ctx, "child-linked-records", problems)
    click_and_wait(d, unlink[0].find_element(By.TAG_NAME, "button"))
    text = d.find_element(By.TAG_NAME, "main").text
    check("Unlinked:" in text, f"unlinking did not say so: {text[:400]!r}")
    check(not d.find_elements(By.CSS_SELECTOR, f'main form[action$="/{matched}/unlink"]'), "the unlinked record is still listed")
    d.get(ctx.url("/matching"))
    wait_ready(d)
    check(d.find_elements(By.CSS_SELECTOR, f'main form[action$="/{matched}/skip"]'), "the unlinked record is not back in the queue")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    check(not problems, "\n".join(problems))


@test("timescales: every statutory clock from the demo's feeds and visits, grouped, with its source")
def t_timescales(ctx):
    d = ctx.driver
    problems = []
    fd = ctx.login("front-door")
    sign_in(ctx, fd["email"], fd["password"])
    d.get(ctx.url("/timescales?months=12"))
    wait_ready(d)
    text = d.find_element(By.TAG_NAME, "main").text
    for clock in ("Decision on a referral: within 1 working day", "Child and family assessment: within 45 working days",
                  "Initial child protection conference: within 15 working days", "First looked-after review: within 20 working days",
                  "First visit after a placement starts: within 1 week", "Statutory visit: within 6 weeks of the previous visit",
                  "Rapid review: within 15 working days"):
        check(clock in text, f"the page does not show the clock {clock!r}: {text[:600]!r}")
    for group in ("Front door", "Child protection", "Children looked after", "Serious incidents"):
        check(d.find_elements(By.XPATH, f"//main//h2[normalize-space()='{group}']"), f"no {group!r} heading")
    check("Working Together to Safeguard Children 2023" in text, "the page does not say where the timescales come from")
    check(d.find_elements(By.CSS_SELECTOR, "main tbody tr"), "the demo's referrals show no lines")
    check(re.search(r"Statutory visit: within 6 weeks.*?Overdue\s+[1-9]", text, re.S),
          "the demo's visits leave no statutory visit overdue (one child in eight is two months unvisited)")
    run_axe(ctx, "timescales", problems)
    # Per team: the demo's referrals name the team that holds each child.
    teams = d.find_elements(By.XPATH, "//main//table[starts-with(normalize-space(caption), 'By team')]//th[@scope='row']/a")
    check(teams, "the page has no per-team table of overdue clocks")
    team = teams[0].text
    click_and_wait(d, teams[0])
    check(d.find_element(By.TAG_NAME, "h1").text == f"Timescales: {team}", f"the team's page is not headed with the team: {d.find_element(By.TAG_NAME, 'h1').text!r}")
    run_axe(ctx, "timescales-team", problems)
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    check(not problems, "\n".join(problems))


def set_clock(ctx, date):
    """Moves the server's test clock (serve --clock-file); None puts it back to the real date."""
    check(ctx.clock_file, "this test needs the server's --clock-file (pass --clock-file to run_tests.py)")
    Path(ctx.clock_file).write_text("" if date is None else date.isoformat() + "\n")


def first_child_page(ctx):
    """Opens the page of a born child the Timescales page lists; returns its path."""
    d = ctx.driver
    d.get(ctx.url("/timescales?months=12"))
    wait_ready(d)
    hrefs = list(dict.fromkeys(path_of(a.get_attribute("href")) for a in d.find_elements(By.CSS_SELECTOR, 'main td a[href^="/children/"]')))
    for href in hrefs[:20]:
        d.get(ctx.url(href))
        wait_ready(d)
        if "Unborn child" not in d.find_element(By.CSS_SELECTOR, "main .caption").text:
            return href
    raise Failure(f"none of the first {min(len(hrefs), 20)} children on the Timescales page is a born child")


@test("a serious incident recorded in the demo shows its deadlines, turns overdue when the clock passes, and closes")
def t_serious_incident(ctx):
    import datetime
    d = ctx.driver
    problems = []
    today = datetime.date.today()
    set_clock(ctx, today)
    try:
        sw = ctx.login("social-worker")
        sign_in(ctx, sw["email"], sw["password"])
        check("Test clock:" in d.find_element(By.TAG_NAME, "main").text, "the page does not say the clock is a test clock")
        child = first_child_page(ctx)
        click_and_wait(d, d.find_element(By.LINK_TEXT, "Record a serious incident"))
        run_axe(ctx, "serious-incident-form", problems)
        # Nothing chosen: the errors say what is missing, and nothing is recorded.
        click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'main form button[type=submit]'))
        summary = error_summary_text(d) or ""
        check("Say whether the child died or was seriously harmed" in summary and "Say whether abuse or neglect is known or suspected" in summary,
              f"the empty form's errors do not name the fields: {summary!r}")
        run_axe(ctx, "serious-incident-form-errors", problems)
        # A date in the future is refused by name.
        fill(d, "#aware_date", (today + datetime.timedelta(days=3)).strftime("%d/%m/%Y"))
        d.find_element(By.ID, "harm-2").click()
        d.find_element(By.ID, "abuse-2").click()
        for name in ("under_one", "looked_after"):
            if not d.find_elements(By.CSS_SELECTOR, f'input[name="{name}"]:checked'):
                d.find_element(By.ID, f"{name}-2").click()
        d.find_element(By.CSS_SELECTOR, 'input[name="factors[]"][value="neglect"]').click()
        click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'main form button[type=submit]'))
        check("cannot be in the future" in (error_summary_text(d) or ""), f"a future awareness date was not refused: {error_summary_text(d)!r}")
        fill(d, "#aware_date", today.strftime("%d/%m/%Y"))
        if not d.find_elements(By.CSS_SELECTOR, 'input[name="factors[]"][value="neglect"]:checked'):
            d.find_element(By.CSS_SELECTOR, 'input[name="factors[]"][value="neglect"]').click()
        click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'main form button[type=submit]'))
        check(error_summary_text(d) is None, f"the incident was not recorded: {error_summary_text(d)!r}")
        incident = path_of(d.current_url)
        check(incident.startswith("/serious-incidents/"), f"recording did not open the incident: {incident}")
        text = d.find_element(By.TAG_NAME, "main").text
        for deadline in ("Notify the Child Safeguarding Practice Review Panel", "Tell the safeguarding partners", "Rapid review"):
            check(re.search(re.escape(deadline) + r".*\d{4}.*Open", text), f"the deadline {deadline!r} is not shown, open: {text[:900]!r}")
        check("Overdue" not in text, "a deadline is overdue on the day the local authority became aware")
        ctx.shot("serious-incident")
        run_axe(ctx, "serious-incident", problems)

        # Seven weeks on (an injected clock): the three deadlines are overdue, here and on the dashboard.
        set_clock(ctx, today + datetime.timedelta(days=49))
        d.get(ctx.url(incident))
        wait_ready(d)
        text = d.find_element(By.TAG_NAME, "main").text
        for deadline in ("Notify the Child Safeguarding Practice Review Panel", "Tell the safeguarding partners", "Rapid review"):
            check(re.search(re.escape(deadline) + r".*Overdue", text), f"the deadline {deadline!r} did not turn overdue: {text[:900]!r}")
        d.get(ctx.url("/serious-incidents"))
        wait_ready(d)
        row = d.find_element(By.XPATH, f"//main//tr[.//a[@href='{incident}']]").text
        check("Notify the Child Safeguarding Practice Review Panel" in row and "Rapid review" in row,
              f"the dashboard does not show the overdue deadlines: {row!r}")
        run_axe(ctx, "serious-incidents", problems)

        # Closing with steps missing needs a reason; with one, it closes.
        d.get(ctx.url(incident))
        wait_ready(d)
        from selenium.webdriver.support.ui import Select
        Select(d.find_element(By.ID, "step")).select_by_value("closed")
        click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'main form[action$="/steps"] button'))
        check("say why the incident is closed" in (error_summary_text(d) or ""), f"closing without the steps was not questioned: {error_summary_text(d)!r}")
        Select(d.find_element(By.ID, "step")).select_by_value("closed")
        fill(d, "#note", "The Panel agreed the criteria were not met.")
        click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'main form[action$="/steps"] button'))
        text = d.find_element(By.TAG_NAME, "main").text
        check("The incident is closed." in text and "Overdue" not in text, f"the incident did not close: {text[:900]!r}")
        d.get(ctx.url(child))
        wait_ready(d)
        check("Serious incident, aware" in d.find_element(By.TAG_NAME, "main").text, "the child's page does not list the incident")
        click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    finally:
        set_clock(ctx, None)
    check(not problems, "\n".join(problems))


@test("children's social care records a statutory visit and a strategy discussion from a child's page; bad dates are refused by field")
def t_visit_and_meeting(ctx):
    import datetime
    d = ctx.driver
    problems = []
    sw = ctx.login("social-worker")
    sign_in(ctx, sw["email"], sw["password"])
    d.get(ctx.url("/timescales?months=12"))
    wait_ready(d)
    links = d.find_elements(By.XPATH, "//h3[@id='later-placement-visit']/following-sibling::table[1]"
                                      "//tr[td[5][normalize-space()='Open' or normalize-space()='Overdue']]//a[starts-with(@href, '/children/')]")
    check(links, "the Timescales page lists no looked-after child's visit")
    child = path_of(links[0].get_attribute("href"))
    d.get(ctx.url(child))
    wait_ready(d)
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Record a statutory visit"))
    run_axe(ctx, "visit-form", problems)
    fill(d, "#date", (datetime.date.today() + datetime.timedelta(days=2)).strftime("%d/%m/%Y"))
    d.find_element(By.ID, "seen_alone").click()
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'main form button[type=submit]'))
    check("cannot be in the future" in (error_summary_text(d) or ""), f"a visit in the future was not refused: {error_summary_text(d)!r}")
    fill(d, "#date", datetime.date.today().strftime("%d/%m/%Y"))
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'main form button[type=submit]'))
    text = d.find_element(By.TAG_NAME, "main").text
    check("Visit recorded" in text and "Statutory visits recorded in EyesOn" in text, f"the visit was not recorded: {text[:600]!r}")

    click_and_wait(d, d.find_element(By.LINK_TEXT, "Record a strategy discussion, conference or core group"))
    run_axe(ctx, "meeting-form", problems)
    d.find_element(By.ID, "kind-3").click()      # a review conference, with no outcome chosen
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'main form button[type=submit]'))
    summary = error_summary_text(d) or ""
    check("outcome" in summary.lower(), f"a review without its outcome was not refused: {summary!r}")
    run_axe(ctx, "meeting-form-errors", problems)
    d.find_element(By.ID, "kind").click()        # strategy discussion
    d.find_element(By.CSS_SELECTOR, "main tbody tr input[type=checkbox]").click()
    d.find_element(By.CSS_SELECTOR, "main tbody tr input[type=radio][value=attended]").click()
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'main form button[type=submit]'))
    text = d.find_element(By.TAG_NAME, "main").text
    check("Strategy discussion recorded" in text and "Meetings recorded in EyesOn" in text and "attended" in text,
          f"the strategy discussion was not recorded with the agency's attendance: {text[:800]!r}")
    timeline = d.find_element(By.CSS_SELECTOR, "main ol.timeline").text
    check("Strategy discussion" in timeline and "Statutory visit" in timeline, f"the timeline does not show the visit and the meeting: {timeline[:600]!r}")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    check(not problems, "\n".join(problems))


@test("the front door uploads its referrals; the report counts the new and the quarantined")
def t_referrals_upload(ctx):
    d = ctx.driver
    problems = []
    fd = ctx.login("front-door")
    sign_in(ctx, fd["email"], fd["password"])
    tag = uuid.uuid4().hex[:6].upper()
    path = ctx.artifacts / f"referrals-{tag}.csv"
    path.write_text("referral_id,la_child_id,upn,nhs_number,forename,surname,date_of_birth,referral_date,source,outcome,decision_date\n"
                    f"F{tag}1,FD{tag},,,Nobody,Knownhere,2015-03-04,2026-01-05,2A,pending,\n"
                    f"F{tag}2,FD{tag},,,Nobody,Knownhere,2015-03-04,2026-01-05,2A,sent-home,2026-01-06\n")
    d.get(ctx.url("/referrals/import"))
    wait_ready(d)
    run_axe(ctx, "referrals-upload", problems)
    d.find_element(By.ID, "file").send_keys(str(path.resolve()))
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/referrals/import"] button'))
    text = d.find_element(By.TAG_NAME, "main").text
    check("Front-door referrals" in text and re.search(r"New referrals\s+1", text) and re.search(r"Referrals quarantined\s+1", text),
          f"the report does not count 1 new referral and 1 quarantined: {text[:700]!r}")
    check("outcome" in text and "sent-home" in text, f"the report does not name the bad column and value: {text[:900]!r}")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    check(not problems, "\n".join(problems))


@test("youth justice uploads its caseload in its own columns with a mapping; the report names the bad row's own column; the mapping is kept")
def t_people_upload(ctx):
    d = ctx.driver
    problems = []
    yj = ctx.login("youth-justice-worker")
    sign_in(ctx, yj["email"], yj["password"])
    tag = uuid.uuid4().hex[:6].upper()
    path = ctx.artifacts / f"yos-{tag}.csv"
    path.write_text(f"Case no,Given,Family,Born\nY{tag}1,Nobody,Knownhere,03/04/2012\nY{tag}2,<script>alert(1)</script>,Knownhere,31/02/2012\n")
    d.get(ctx.url("/people/import"))
    wait_ready(d)
    run_axe(ctx, "people-upload", problems)
    box = d.find_element(By.ID, "columns")
    box.clear()
    box.send_keys("id=Case no,first_name=Given,surname=Family,dob=Born")
    d.find_element(By.ID, "file").send_keys(str(path.resolve()))
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/people/import"] button'))
    text = d.find_element(By.TAG_NAME, "main").text
    check("Import report" in text and re.search(r"New entries\s+1", text) and re.search(r"Rows quarantined\s+1", text),
          f"the report does not count 1 new entry and 1 quarantined: {text[:700]!r}")
    check("Born" in text and "is not a date" in text, f"the report does not name the file's own column: {text[:900]!r}")
    check(not d.find_elements(By.CSS_SELECTOR, "main script"), "a <script> from the file became markup")
    d.get(ctx.url("/people/import"))
    wait_ready(d)
    kept = d.find_element(By.ID, "columns").get_attribute("value")
    check("dob=Born" in kept, f"the form does not offer the kept mapping: {kept!r}")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    check(not problems, "\n".join(problems))


@test("police send an incident; the school's safeguarding lead gets the Operation Encompass notice, without the adults, and acknowledges it")
def t_encompass(ctx):
    import datetime
    d = ctx.driver
    problems = []
    _, _, urn = find_unlisted_pupil(ctx)
    ref = "BT/" + uuid.uuid4().hex[:8].upper()
    when = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    rows = [
        "reference,occurred_at,postcode,risk_level,party_number,role,forename,surname,date_of_birth,sex,school_urn,child_presence",
        f"{ref},{when}T21:10:00,,medium,1,victim,Vera,Victimson,1991-02-03,F,,",
        f"{ref},{when}T21:10:00,,medium,2,suspect,Zed,Suspectson,1989-04-05,M,,",
        f"{ref},{when}T21:10:00,,medium,3,child,Kit,Noticeford,2016-05-06,F,{urn},witnessed",
    ]
    path = ctx.artifacts / "incidents-upload.csv"
    path.write_text("\n".join(rows) + "\n")
    police = ctx.login("police-officer")
    sign_in(ctx, police["email"], police["password"])
    d.get(ctx.url("/police/import"))
    wait_ready(d)
    run_axe(ctx, "incidents-upload", problems)
    d.find_element(By.ID, "file").send_keys(str(path.resolve()))
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/police/import"] button'))
    text = d.find_element(By.TAG_NAME, "main").text
    check(re.search(r"New incidents\s+1", text), f"the police upload's report: {text[:500]!r}")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))

    dsl = ctx.login("safeguarding-lead")
    sign_in(ctx, dsl["email"], dsl["password"])
    d.get(ctx.url("/notices?show=open"))
    wait_ready(d)
    run_axe(ctx, "encompass-notices", problems)
    link = [a for a in d.find_elements(By.CSS_SELECTOR, 'main tbody a[href^="/notices/"]') if a.text == "Kit Noticeford"]
    check(link, "the safeguarding lead's notices do not list the child")
    click_and_wait(d, link[0])
    text = d.find_element(By.TAG_NAME, "main").text
    check(ref in text and "witnessed it" in text and "domestic abuse incident" in text,
          f"the notice does not say what happened: {text[:600]!r}")
    check("Suspectson" not in d.page_source and "Victimson" not in d.page_source, "the notice names the adults")
    ctx.shot("encompass-notice")
    run_axe(ctx, "encompass-notice", problems)
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action$="/acknowledge"] button[type=submit]'))
    check(error_summary_text(d) and "support" in error_summary_text(d), f"acknowledging without the support gave {error_summary_text(d)!r}")
    fill(d, "#support", "Key adult met Kit at the gate; <i>quiet space</i> offered.")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action$="/acknowledge"] button[type=submit]'))
    text = d.find_element(By.TAG_NAME, "main").text
    check("Acknowledged" in text and "<i>quiet space</i>" in text, f"after acknowledging: {text[:600]!r}")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    check(not problems, "\n".join(problems))


@test("information sharing: a school's safeguarding lead records a share from a pupil's page; missing answers are named by field; the page lists it")
def t_sharing(ctx):
    d = ctx.driver
    creds = ctx.login("safeguarding-lead")
    sign_in(ctx, creds["email"], creds["password"])
    d.get(ctx.url("/children"))
    wait_ready(d)
    links = [a for a in d.find_elements(By.CSS_SELECTOR, 'main a[href^="/children/"]')
             if re.fullmatch(r"/children/[^/?#]+", path_of(a.get_attribute("href") or ""))]
    check(links, "the safeguarding lead's Children page lists no pupil")
    click_and_wait(d, links[0])
    child_path = path_of(d.current_url)
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Record information sharing, or a decision not to share"))
    check(path_of(d.current_url) == child_path + "/sharing/new", f"the link led to {d.current_url}")
    run_axe(ctx, "sharing-form")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'main form button[type=submit]'))
    summary = error_summary_text(d) or ""
    for words in ("whether the information was shared", "lawful basis", "consent"):
        check(words in summary, f"the error summary does not name {words!r}: {summary!r}")
    run_axe(ctx, "sharing-form-errors")
    d.find_element(By.CSS_SELECTOR, 'input[name=shared][value=yes]').click()
    fill(d, "input#recipient", "School nurse, Synthetic Health Trust")
    fill(d, "textarea#what", "Attendance this half-term")
    d.find_element(By.CSS_SELECTOR, 'select#channel option[value=email]').click()
    d.find_element(By.CSS_SELECTOR, 'select#basis option[value="children-act-2004-s11"]').click()
    d.find_element(By.CSS_SELECTOR, 'input[name=consent][value="not-sought"]').click()
    fill(d, "textarea#reason", "Asking the parents first could put the child at risk")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'main form button[type=submit]'))
    check(path_of(d.current_url) == child_path, f"after recording, the browser is at {d.current_url}")
    table = " ".join(t.text for t in d.find_elements(By.CSS_SELECTOR, "table") if "decisions not to share" in t.text)
    check("School nurse, Synthetic Health Trust" in table and "section 11" in table,
          f"the child page's information-sharing table does not list the share: {table[:300]!r}")


@test("the auditor searches the audit trail by user and verifies its hash chain; a child's page says who has looked at it")
def t_audit_trail(ctx):
    d = ctx.driver
    problems = []
    sw = ctx.login("social-worker")
    sign_in(ctx, sw["email"], sw["password"])
    first_child_page(ctx)
    text = d.find_element(By.TAG_NAME, "main").text
    check("Who has looked at this record" in text and sw["email"] in text, "the child page does not say who has looked at it")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    au = ctx.login("auditor")
    sign_in(ctx, au["email"], au["password"])
    d.get(ctx.url("/audit"))
    wait_ready(d)
    fill(d, "#user", "social-worker")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'main form[action="/audit"] button'))
    rows = d.find_elements(By.CSS_SELECTOR, "main table:first-of-type tbody tr")
    check(rows and all("social-worker" in r.text for r in rows), "the search by user shows other users' entries")
    run_axe(ctx, "audit-search", problems)
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Verify the hash chain now"))
    check("The hash chain holds" in d.find_element(By.TAG_NAME, "main").text, "the demo's audit trail does not verify")
    run_axe(ctx, "audit-verify", problems)
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    check(not problems, "\n".join(problems))


@test("break-glass: a school's safeguarding lead gets the same 404 for any record it has no reason to see, with the break-glass form, which needs a reason")
def t_break_glass(ctx):
    d = ctx.driver
    problems = []
    dsl = ctx.login("safeguarding-lead")
    sign_in(ctx, dsl["email"], dsl["password"])
    d.get(ctx.url(f"/children/{uuid.uuid4()}".upper().replace("/CHILDREN/", "/children/")))
    wait_ready(d)
    text = d.find_element(By.TAG_NAME, "main").text
    check("Page not found" in text and "Break-glass" in text, f"the 404 has no break-glass form: {text[:400]!r}")
    run_axe(ctx, "break-glass", problems)
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'main form[action$="/break-glass"] button'))
    check("at least 10 characters" in (error_summary_text(d) or ""), f"break-glass without a reason was not refused: {error_summary_text(d)!r}")
    run_axe(ctx, "break-glass-errors", problems)
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    check(not problems, "\n".join(problems))


@test("a school cannot upload another school's marks")
def t_other_school_upload(ctx):
    s = requests_sign_in(ctx, "safeguarding-lead")
    r = s.get(ctx.url("/attendance/import"), timeout=HTTP_TIMEOUT)
    token = csrf_from(r.text)
    body = "school_urn,upn,forename,surname,date_of_birth,date,session,code\n100000,A123456789012,X,Y,,2026-01-05,AM,/\n"
    r = s.post(ctx.url("/attendance/import"), data={"_csrf": token},
               files={"file": ("other.csv", body, "text/csv")}, timeout=HTTP_TIMEOUT)
    check(r.status_code == 422, f"another school's file gave {r.status_code}")
    check("you may send marks only for your own school" in r.text and "line 2" in r.text,
          "the refusal does not say why and where")


@test("wrong password shows the error summary")
def t_wrong_password(ctx):
    d = ctx.driver
    creds = ctx.login(WRONG_PASSWORD_ROLE)
    sign_in(ctx, creds["email"], creds["password"] + "-wrong")
    check(path_of(d.current_url) == "/sign-in", f"wrong password led to {d.current_url}")
    check(body_role(d) not in ROLES, "wrong password signed the user in")
    text = error_summary_text(d)
    check(text and SIGN_IN_ERROR in text, f"error summary is {text!r}, wanted {SIGN_IN_ERROR!r}")
    ctx.first_error_summary = text
    ctx.shot("sign-in-error")
    run_axe(ctx, "sign-in-error")


@test("unknown email shows the same error summary")
def t_unknown_email(ctx):
    d = ctx.driver
    sign_in(ctx, f"nobody-{uuid.uuid4().hex[:8]}@example.invalid", "Whatever-password-1")
    check(path_of(d.current_url) == "/sign-in", f"unknown email led to {d.current_url}")
    text = error_summary_text(d)
    check(text and SIGN_IN_ERROR in text, f"error summary is {text!r}, wanted {SIGN_IN_ERROR!r}")
    if ctx.first_error_summary is not None:
        check(text == ctx.first_error_summary,
              f"unknown email says {text!r} but a wrong password says "
              f"{ctx.first_error_summary!r}: they must be the same")


@test("5 failed attempts lock the user out, even with the right password")  # keep LAST
def t_lockout(ctx):
    d = ctx.driver
    creds = ctx.login(LOCKOUT_ROLE)
    for attempt in range(1, 6):
        sign_in(ctx, creds["email"], f"{creds['password']}-wrong-{attempt}")
        check(path_of(d.current_url) == "/sign-in",
              f"failed attempt {attempt} led to {d.current_url}")
    sign_in(ctx, creds["email"], creds["password"])
    check(path_of(d.current_url) == "/sign-in" and body_role(d) not in ROLES,
          f"after 5 failures the right password still signed {LOCKOUT_ROLE} in "
          f"({d.current_url})")
    page = d.find_element(By.TAG_NAME, "body").text
    check("locked" in page.lower(), "after 5 failures the page does not say 'locked': "
          f"{(error_summary_text(d) or page)[:300]!r}")
    ctx.shot("sign-in-locked")
    d.get(ctx.url("/"))
    wait_ready(d)
    check(path_of(d.current_url) == "/sign-in", "locked user reached the home page")


@test("returns: the analyst works out the VCYP survey, a bad field is refused by name, keeps and signs it off, exports CSV and JSON; "
      "children's social care opens a figure to its children; the police may not see returns")
def t_returns(ctx):
    d = ctx.driver
    problems = []
    analyst = ctx.login("analyst")
    sign_in(ctx, analyst["email"], analyst["password"])
    nav = [a for a in d.find_elements(By.CSS_SELECTOR, "nav.service-nav a") if a.text.strip() == "Returns"]
    check(nav, "the analyst's navigation has no Returns link")
    click_and_wait(d, nav[0])
    run_axe(ctx, "returns", problems)
    Select(d.find_element(By.ID, "template")).select_by_value("vcyp")
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[normalize-space()='Work it out']"))
    text = d.find_element(By.TAG_NAME, "main").text
    check("Vulnerable Children and Young People Survey" in d.find_element(By.TAG_NAME, "h1").text, "the survey's page is not headed with its title")
    found = re.search(r"Children on a child protection plan\s+([\d,]+)\n", text)
    check(found and int(found.group(1).replace(",", "")) > 0, f"the worked-out survey shows no children on a plan: {text[:800]!r}")
    check(re.search(r"seen by a social worker in the last 4 weeks\s+[\d,]+ of [\d,]+ \(\d+\.\d%\)", text),
          f"the 'seen in the last 4 weeks' lines are not shown as shares: {text[:1200]!r}")
    run_axe(ctx, "return-preview", problems)
    fill(d, "#manual_sw-unavailable", "about a fifth")
    fill(d, "#manual_comments", "<script>alert('returns')</script> Staffing is stable.")
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[normalize-space()='Keep as a draft']"))
    summary = error_summary_text(d) or ""
    check("Social workers unavailable (%) must be a percentage" in summary, f"a percentage of 'about a fifth' was not refused by name: {summary!r}")
    check(d.find_element(By.ID, "manual_comments").get_attribute("value").startswith("<script>"), "the comments typed were lost on the error")
    run_axe(ctx, "return-preview-errors", problems)
    fill(d, "#manual_sw-unavailable", "12.5")
    fill(d, "#manual_residential-unavailable", "4")
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[normalize-space()='Keep as a draft']"))
    text = d.find_element(By.TAG_NAME, "main").text
    check("Draft" in text and "Above the threshold" in text, f"the kept draft does not show its state and the flag above 10%: {text[:1200]!r}")
    check("<script>alert('returns')</script> Staffing is stable." in text, "the comments are not shown as the text typed")
    check(not d.find_elements(By.CSS_SELECTOR, 'main a[href*="/lines/"]'), "the analyst (counts only) is offered the children behind a figure")
    kept = path_of(d.current_url)
    run_axe(ctx, "return-draft", problems)
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[normalize-space()='Sign off in my name']"))
    text = d.find_element(By.TAG_NAME, "main").text
    check("Signed off" in text and analyst["email"] in text, f"the return does not show it was signed off by the analyst: {text[:800]!r}")
    check(not d.find_elements(By.XPATH, "//main//button[normalize-space()='Sign off in my name']"), "a signed-off return offers sign-off again")
    run_axe(ctx, "return-signed", problems)
    # Attendance of the vulnerable groups: a chart and its table per measure, the groups EyesOn cannot tell said so.
    d.get(ctx.url("/returns"))
    wait_ready(d)
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Attendance of vulnerable groups"))
    text = d.find_element(By.TAG_NAME, "main").text
    for group in ("On a child protection plan", "Looked after", "With an education, health and care plan", "Eligible for free school meals",
                  "On the agreed list", "All pupils"):
        check(re.search(re.escape(group) + r"\s+[\d,]+\s+\d+\.\d%\s+[\d,]+ \(\d+\.\d%\)", text), f"the term's line for {group!r} is missing: {text[:1500]!r}")
    charts = d.find_elements(By.CSS_SELECTOR, "main svg.chart[role=img]")
    check(len(charts) == 2 and all(c.find_elements(By.TAG_NAME, "polyline") for c in charts), "the page lacks its two line charts")
    check(len(d.find_elements(By.CSS_SELECTOR, "main table")) >= 3, "the charts have no data tables")
    ctx.shot("returns-attendance")
    run_axe(ctx, "returns-attendance", problems)
    fill(d, "#as_of", "31/02/2026")
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[normalize-space()='Show']"))
    check("Enter the report's date" in (error_summary_text(d) or ""), f"a bad date was not refused: {error_summary_text(d)!r}")

    # The exports, over plain HTTP with the analyst's session.
    s = requests_sign_in(ctx, "analyst")
    r = s.get(ctx.url(kept + "/export.csv"), timeout=HTTP_TIMEOUT)
    check(r.status_code == 200 and r.headers.get("Content-Type", "").startswith("text/csv"), f"the CSV export gave {r.status_code} {r.headers.get('Content-Type')}")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    by_line = {row["line"]: row for row in rows}
    check(by_line.get("sw-unavailable", {}).get("flagged") == "yes" and by_line["sw-unavailable"]["entered"] == "12.5",
          f"the CSV's staff line is wrong: {by_line.get('sw-unavailable')!r}")
    check(by_line.get("cpp", {}).get("value", "").isdigit() and analyst["email"] in by_line["cpp"]["signed_by"], f"the CSV's plan line is wrong: {by_line.get('cpp')!r}")
    check(by_line.get("comments", {}).get("entered") == "<script>alert('returns')</script> Staffing is stable.", "the comments are not in the CSV as typed")
    r = s.get(ctx.url(kept + "/export.json"), timeout=HTTP_TIMEOUT)
    check(r.status_code == 200 and r.json().get("template") == "vcyp", f"the JSON export gave {r.status_code}")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))

    # Children's social care opens the figure to the children behind it.
    sw = ctx.login("social-worker")
    sign_in(ctx, sw["email"], sw["password"])
    d.get(ctx.url(kept))
    wait_ready(d)
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Children on a child protection plan"))
    children = d.find_elements(By.CSS_SELECTOR, 'main tbody a[href^="/children/"]')
    check(children and str(len(d.find_elements(By.CSS_SELECTOR, "main tbody tr"))) == by_line["cpp"]["value"],
          f"the plan line lists {len(d.find_elements(By.CSS_SELECTOR, 'main tbody tr'))} children, the return says {by_line['cpp']['value']}")
    run_axe(ctx, "return-line", problems)
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))

    police = requests_sign_in(ctx, "police-officer")
    for path in ("/returns", kept, kept + "/export.csv", kept + "/lines/cpp"):
        r = police.get(ctx.url(path), timeout=HTTP_TIMEOUT, allow_redirects=False)
        check(r.status_code == 403, f"the police officer got {r.status_code} for {path}, wanted 403")
    check(not problems, "\n".join(problems))


@test("workforce: a team manager records a week's staff unavailable and a DBS check (a wrong date refused by field), sees the outstanding list "
      "with the old checks flagged, and records a certificate; the analyst may not")
def t_workforce(ctx):
    import datetime
    d = ctx.driver
    problems = []
    sw = ctx.login("social-worker")
    sign_in(ctx, sw["email"], sw["password"])
    click_and_wait(d, d.find_element(By.XPATH, "//nav[contains(@class,'service-nav')]//a[normalize-space()='Workforce']"))
    text = d.find_element(By.TAG_NAME, "main").text
    found = re.search(r"Outstanding\s+(\d+)\s+Outstanding for more than (\d+) days\s+(\d+)", text)
    check(found and int(found.group(3)) >= 1 and found.group(2) == "28", f"the register's counts are not shown (the demo has checks outstanding over 28 days): {text[:800]!r}")
    outstanding = int(found.group(1))
    check(len(d.find_elements(By.XPATH, "//table[starts-with(normalize-space(caption),'Outstanding DBS')]//strong[contains(.,'Over 28 days')]")) == int(found.group(3)),
          "the flagged checks are not marked in the outstanding list")
    check(d.find_elements(By.XPATH, "//table[starts-with(normalize-space(caption),'Time to clear')]//tbody/tr"), "no median time to clear per month")
    run_axe(ctx, "workforce", problems)
    today = datetime.date.today()
    fill(d, "#staff_name", "Quinn Elmstead <b>")
    fill(d, "#job_title", "Residential support worker")
    fill(d, "#setting_name", "Larch House")
    d.find_element(By.ID, "setting_kind").click()
    fill(d, "#applied_on", (today + datetime.timedelta(days=3)).strftime("%d/%m/%Y"))
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[normalize-space()='Add to the register']"))
    check("cannot be in the future" in (error_summary_text(d) or ""), f"a check applied for in the future was not refused: {error_summary_text(d)!r}")
    check(d.find_element(By.ID, "staff_name").get_attribute("value") == "Quinn Elmstead <b>", "the name typed was lost on the error")
    run_axe(ctx, "workforce-errors", problems)
    fill(d, "#applied_on", (today - datetime.timedelta(days=40)).strftime("%d/%m/%Y"))
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[normalize-space()='Add to the register']"))
    text = d.find_element(By.TAG_NAME, "main").text
    now = re.search(r"Outstanding\s+(\d+)\s+Outstanding for more than", text)
    check("DBS check recorded" in text and now and int(now.group(1)) == outstanding + 1, f"the new check is not counted as outstanding: {text[:600]!r}")
    row = d.find_element(By.XPATH, "//table[starts-with(normalize-space(caption),'Outstanding DBS')]//tr[th[normalize-space()='Quinn Elmstead <b>']]")
    check("Over 28 days" in row.text, f"a check 40 days old is not flagged: {row.text!r}")
    row.find_element(By.CSS_SELECTOR, "input[name=issued_on]").send_keys(today.strftime("%d/%m/%Y"))
    click_and_wait(d, row.find_element(By.CSS_SELECTOR, "button"))
    text = d.find_element(By.TAG_NAME, "main").text
    check("Certificate recorded" in text, f"the certificate was not recorded: {text[:400]!r}")
    check(not d.find_elements(By.XPATH, "//table[starts-with(normalize-space(caption),'Outstanding DBS')]//th[normalize-space()='Quinn Elmstead <b>']"),
          "the cleared check is still in the outstanding list")
    fill(d, "#team", "Assessment Team North")
    fill(d, "#staff", "20")
    fill(d, "#unavailable", "25")
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[normalize-space()='Record the week']"))
    check("Unavailable must be a whole number from 0 to the team's staff" in (error_summary_text(d) or ""), f"more unavailable than staff was not refused: {error_summary_text(d)!r}")
    fill(d, "#unavailable", "3")
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[normalize-space()='Record the week']"))
    check("Staff unavailable recorded" in d.find_element(By.TAG_NAME, "main").text, "the week was not recorded")
    check(d.find_elements(By.XPATH, "//table[starts-with(normalize-space(caption),'Staff unavailable')]//tr[th[normalize-space()='Assessment Team North']]/td[contains(.,'15.0%') and .//strong[contains(.,'More than 10%')]]"),
          "3 of 20 unavailable is not shown as 15.0% and flagged")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    analyst = requests_sign_in(ctx, "analyst")
    r = analyst.get(ctx.url("/workforce"), timeout=HTTP_TIMEOUT, allow_redirects=False)
    check(r.status_code == 403, f"the analyst got {r.status_code} for /workforce, wanted 403")
    check(not problems, "\n".join(problems))


@test("signposting: anyone reaches the public 'report a concern' page from the sign-in page; the administrator edits it, a bad number refused by line")
def t_signposting(ctx):
    d = ctx.driver
    problems = []
    d.get(ctx.url("/sign-in"))
    wait_ready(d)
    click_and_wait(d, d.find_element(By.LINK_TEXT, "How to report a concern"))
    check(path_of(d.current_url) == "/help", f"the link went to {d.current_url}")
    text = d.find_element(By.TAG_NAME, "main").text
    check("If a child is in immediate danger, call 999." in text, "the public page does not say to call 999")
    check(d.find_elements(By.CSS_SELECTOR, 'main a[href^="tel:01632960"]'), f"the demo's front-door number is not a phone link: {text[:600]!r}")
    run_axe(ctx, "help", problems)
    admin = ctx.login("administrator")
    sign_in(ctx, admin["email"], admin["password"])
    click_and_wait(d, d.find_element(By.XPATH, "//nav[contains(@class,'service-nav')]//a[normalize-space()='Public page']"))
    run_axe(ctx, "signposting-form", problems)
    fill(d, "#area", "Eastbrook <script>alert(1)</script>")
    fill(d, "#out_of_hours", "Emergency duty team | 01632 960 999 | | Evenings and weekends\nNight line | call us")
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[normalize-space()='Save the public page']"))
    summary = error_summary_text(d) or ""
    check("Out of hours contact 2: the phone number 'call us'" in summary, f"a phone number of 'call us' was not refused by line: {summary!r}")
    run_axe(ctx, "signposting-form-errors", problems)
    fill(d, "#out_of_hours", "Emergency duty team | 01632 960 999 | | Evenings and weekends\nNight line | 01632 960 998")
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[normalize-space()='Save the public page']"))
    check("Saved" in d.find_element(By.TAG_NAME, "main").text, "the page was not saved")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    r = requests.get(ctx.url("/help"), timeout=HTTP_TIMEOUT)
    check(r.status_code == 200 and "Eastbrook &lt;script&gt;alert(1)&lt;/script&gt;" in r.text and "<script>alert(1)" not in r.text,
          "the area typed is not shown as text on the public page")
    check('href="tel:01632960998"' in r.text, "the new out-of-hours line is not on the public page")
    police = requests_sign_in(ctx, "police-officer")
    r = police.get(ctx.url("/signposting"), timeout=HTTP_TIMEOUT, allow_redirects=False)
    check(r.status_code == 403, f"the police officer got {r.status_code} for the editing form, wanted 403")
    check(not problems, "\n".join(problems))


@test("yearly report: the analyst writes the partnership's sections, the report shows them as text with the year's figures, small numbers "
      "suppressed, a chart with its table; printed, it loses the navigation and the links to edit")
def t_yearly_report(ctx):
    d = ctx.driver
    problems = []
    analyst = ctx.login("analyst")
    sign_in(ctx, analyst["email"], analyst["password"])
    d.get(ctx.url("/returns"))
    wait_ready(d)
    click_and_wait(d, d.find_element(By.LINK_TEXT, "The partnership's yearly report"))
    check(d.find_element(By.TAG_NAME, "h1").text.startswith("Safeguarding partnership report, April "), "the report is not headed with its year")
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Write the partnership's sections"))
    run_axe(ctx, "yearly-form", problems)
    fill(d, "#introduction", "Eastbrook's partners <em>worked together</em>.")
    d.execute_script("document.getElementById('learning').value = arguments[0]", "x" * 20001)   # typing 20,000 keys takes half a minute
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[normalize-space()='Save the sections']"))
    check("Learning from reviews is longer than 20,000 characters" in (error_summary_text(d) or ""), f"a section too long was not refused: {error_summary_text(d)!r}")
    fill(d, "#learning", "Rapid reviews found that babies were seen by fewer agencies.")
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[normalize-space()='Save the sections']"))
    text = d.find_element(By.TAG_NAME, "main").text
    check("Eastbrook's partners <em>worked together</em>." in text, "the introduction is not shown as the text typed")
    check("Rapid reviews found that babies were seen by fewer agencies." in text, "the learning section is not shown")
    check(re.search(r"Children looked after at the end of the year\s+[\d,]+", text), f"the year's figures are missing: {text[:1500]!r}")
    check("fewer than 5" in text, "the demo's two serious incidents are not shown as fewer than 5")
    check(d.find_elements(By.CSS_SELECTOR, "main svg.chart[role=img] polyline"), "the report has no attendance chart")
    run_axe(ctx, "yearly-report", problems)
    d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        check(not d.find_element(By.CSS_SELECTOR, "nav.service-nav").is_displayed(), "printed, the report still shows the navigation")
        check(not d.find_element(By.CSS_SELECTOR, 'main a[href^="/returns/yearly/edit"]').is_displayed(), "printed, the report still shows the link to edit it")
        check(d.find_element(By.TAG_NAME, "h1").is_displayed(), "printed, the report loses its heading")
    finally:
        d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    check(not problems, "\n".join(problems))


@test("placements: a team manager sees the homes' places and records a week (more occupied than places refused) and a month's arrivals")
def t_placements(ctx):
    d = ctx.driver
    problems = []
    sw = ctx.login("social-worker")
    sign_in(ctx, sw["email"], sw["password"])
    click_and_wait(d, d.find_element(By.XPATH, "//nav[contains(@class,'service-nav')]//a[normalize-space()='Placements']"))
    text = d.find_element(By.TAG_NAME, "main").text
    check(re.search(r"Secure children's homes\s+1\s+12\s+\d+\s+\d+", text), f"the demo's secure home's places are not totalled: {text[:800]!r}")
    run_axe(ctx, "placements", problems)
    fill(d, "#home", "Rowan Lodge")
    d.find_element(By.ID, "kind").click()
    fill(d, "#places", "4")
    fill(d, "#occupied", "5")
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[normalize-space()='Record the places']"))
    check("Occupied must be a whole number from 0 to the home's places" in (error_summary_text(d) or ""), f"5 occupied of 4 places was not refused: {error_summary_text(d)!r}")
    run_axe(ctx, "placements-errors", problems)
    fill(d, "#occupied", "4")
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[normalize-space()='Record the places']"))
    row = d.find_element(By.XPATH, "//table[normalize-space(caption)='Each home']//tr[th[normalize-space()='Rowan Lodge']]")
    check("Full" in row.text, f"a home with every place occupied is not shown as full: {row.text!r}")
    fill(d, "#arrived", "3")
    fill(d, "#transferred_in", "1")
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[normalize-space()='Record the month']"))
    check("Arrivals recorded" in d.find_element(By.TAG_NAME, "main").text, "the month's arrivals were not recorded")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    check(not problems, "\n".join(problems))


@test("governance: the administrator sends an assurance survey; the police answer it (a missing rating refused by question); the RAG summary counts them")
def t_governance(ctx):
    d = ctx.driver
    problems = []
    admin = ctx.login("administrator")
    sign_in(ctx, admin["email"], admin["password"])
    click_and_wait(d, d.find_element(By.XPATH, "//nav[contains(@class,'service-nav')]//a[normalize-space()='Governance']"))
    text = d.find_element(By.TAG_NAME, "main").text
    check("Chairing rapid reviews after a serious incident" in text and "In force" in text, "the demo's delegation is not shown in force")
    check("Publish the refreshed threshold document" in text, "the demo's decisions are not shown")
    run_axe(ctx, "governance", problems)
    fill(d, "#title", "Early help <i>audit</i>")
    fill(d, "#questions", "Early help assessments are timely\nChildren's voices are recorded")
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[normalize-space()='Send to every member agency']"))
    check("Survey sent to every member agency" in d.find_element(By.TAG_NAME, "main").text, "the survey was not sent")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    police = ctx.login("police-officer")
    sign_in(ctx, police["email"], police["password"])
    click_and_wait(d, d.find_element(By.XPATH, "//nav[contains(@class,'service-nav')]//a[normalize-space()='Assurance surveys']"))
    run_axe(ctx, "surveys", problems)
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Early help <i>audit</i>"))
    d.find_element(By.CSS_SELECTOR, "input[name=q1][value=red]").click()
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[normalize-space()='Send our answer']"))
    check("Rate question 2" in (error_summary_text(d) or ""), f"a question left unrated was not refused: {error_summary_text(d)!r}")
    run_axe(ctx, "survey-answer-errors", problems)
    d.find_element(By.CSS_SELECTOR, "input[name=q2][value=green]").click()
    fill(d, "#q1-comment", "Assessments wait for a worker")
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[normalize-space()='Send our answer']"))
    check("Your agency's answer is sent" in d.find_element(By.TAG_NAME, "main").text, "the answer was not sent")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    analyst = ctx.login("analyst")
    sign_in(ctx, analyst["email"], analyst["password"])
    d.get(ctx.url("/governance"))
    wait_ready(d)
    check(not d.find_elements(By.XPATH, "//main//button[normalize-space()='Send to every member agency']"), "the analyst may send surveys")
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Early help <i>audit</i>"))
    row = d.find_element(By.XPATH, "//table[starts-with(normalize-space(caption),'Ratings by question')]//tr[th[starts-with(normalize-space(),'1.')]]")
    check(row.text.endswith("1 0 0"), f"question 1's tally is not one red: {row.text!r}")
    check("Assessments wait for a worker" in d.find_element(By.TAG_NAME, "main").text, "the police's comment is not shown")
    run_axe(ctx, "survey-summary", problems)
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    check(not problems, "\n".join(problems))


@test("children's social care uploads the school census's pupil characteristics; a bad row is quarantined; the attendance report counts EHC plans from it")
def t_characteristics_upload(ctx):
    d = ctx.driver
    problems = []
    sw = ctx.login("social-worker")
    sign_in(ctx, sw["email"], sw["password"])
    d.get(ctx.url("/returns/attendance"))
    wait_ready(d)
    text = d.find_element(By.TAG_NAME, "main").text
    found = re.search(r"With an education, health and care plan\s+([\d,]+)\s", text)
    check(found and int(found.group(1).replace(",", "")) > 1, f"the demo's census gives no EHC plan line: {text[:900]!r}")
    # A census of two pupils from the demo (and one bad row): the file replaces the whole census.
    upns = re.findall(r"^(A\d{12}|[A-HJ-NP-TV-Z]\d{12}),", (Path(__file__).resolve().parents[2] / "Fuzz/corpus/characteristics/seed-valid.csv").read_text(), re.M)[:2]
    check(len(upns) == 2, "no UPNs in the seed file")
    path = ctx.artifacts / f"census-{uuid.uuid4().hex[:6]}.csv"
    path.write_text(f"upn,fsm_eligible,sen_provision\n{upns[0]},Y,E\n{upns[1]},N,X\n")
    click_and_wait(d, d.find_element(By.XPATH, "//nav[contains(@class,'service-nav')]//a[normalize-space()='Upload pupil characteristics']"))
    run_axe(ctx, "characteristics-upload", problems)
    d.find_element(By.ID, "file").send_keys(str(path.resolve()))
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/characteristics/import"] button'))
    text = d.find_element(By.TAG_NAME, "main").text
    check("Pupil characteristics (school census)" in text and re.search(r"Rows quarantined\s+1", text) and "sen_provision" in text,
          f"the report does not name the bad row's column: {text[:900]!r}")
    d.get(ctx.url("/returns/attendance"))
    wait_ready(d)
    text = d.find_element(By.TAG_NAME, "main").text
    after = re.search(r"With an education, health and care plan\s+([\d,]+)\s", text)
    check(after and int(after.group(1)) <= 1, f"the census of one EHC plan still counts {after.group(1) if after else 'none'}: the file did not replace the census")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"] button'))
    check(not problems, "\n".join(problems))


# --------------------------------------------------------------------------- runner


def save_failure(ctx, name):
    if ctx._driver is None:
        return
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60]
    try:
        ctx._driver.save_screenshot(str(ctx.fail_dir / f"{ctx.prefix}{slug}.png"))
        (ctx.fail_dir / f"{ctx.prefix}{slug}.html").write_text(ctx._driver.page_source)
        print(f"    (browser was at {ctx._driver.current_url}; screenshot and HTML in "
              f"{ctx.fail_dir}/{ctx.prefix}{slug}.*)")
    except Exception:  # noqa: BLE001
        pass


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base-url", required=True)
    ap.add_argument("--logins", required=True, help="file with the demo login lines")
    ap.add_argument("--artifacts", default=".test-artifacts")
    ap.add_argument("--suite", choices=("full", "smoke"), default="full")
    ap.add_argument("--screenshot-prefix", default="")
    ap.add_argument("--only", help="run only tests whose name contains this")
    ap.add_argument("--clock-file", help="the server's --clock-file, for the tests that move its clock")
    args = ap.parse_args()

    ctx = Context(args)
    selected = [(n, f) for n, suites, f in TESTS
                if args.suite in suites and (not args.only or args.only in n)]
    print(f"browser tests ({args.suite}) against {ctx.base}: {len(selected)} tests, "
          f"{len(ctx.logins)} demo logins read", flush=True)
    passed, failed = 0, []
    for name, fn in selected:
        t0 = time.monotonic()
        try:
            if ctx._driver is not None:
                ctx._driver.delete_all_cookies()
            fn(ctx)
        except Failure as e:
            failed.append(name)
            print(f"FAIL  {name} ({time.monotonic() - t0:.1f}s)\n    " +
                  str(e).replace("\n", "\n    "), flush=True)
            save_failure(ctx, name)
        except (WebDriverException, requests.RequestException, Exception) as e:  # noqa: BLE001
            failed.append(name)
            tb = traceback.format_exc(limit=4).rstrip().replace("\n", "\n    ")
            print(f"FAIL  {name} ({time.monotonic() - t0:.1f}s): {type(e).__name__}: "
                  f"{str(e).splitlines()[0] if str(e) else ''}\n    {tb}", flush=True)
            save_failure(ctx, name)
        else:
            passed += 1
            print(f"ok    {name} ({time.monotonic() - t0:.1f}s)", flush=True)
    ctx.quit()

    if ctx.notes:
        print("notes:")
        for n in ctx.notes:
            print(f"  {n}")
    if failed:
        print("failed:")
        for n in failed:
            print(f"  {n}")
    print(f"{passed} passed, {len(failed)} failed", flush=True)
    return 0 if passed and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
