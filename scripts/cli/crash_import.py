"""Crash safety (issue 9): the server is killed with SIGKILL in the middle of a large import, and
nothing of that import may show; after a restart the same file imports whole, once.

    python3 crash_import.py EYESON WORKDIR sqlite
    python3 crash_import.py EYESON WORKDIR postgres URL PSQL

1. `eyeson demo` (1,000 synthetic children, no marks) into a new database, and `eyeson synth` of
   the same area writes its attendance file (150 school days, about 210,000 marks, 13 MB);
2. `eyeson serve`; the file is pushed to POST /api/v1/feeds/attendance with a token of the
   council's education service; once the server has held the import's transaction open for
   0.3 s (SQLite: its write lock; PostgreSQL: a backend with a transaction id), SIGKILL;
3. in the database: no marks, no pupils, no import run (not even a "running" one) beyond what was
   there before, and the killed server's upload is still on disk (to be removed next);
4. a new server starts: /ready answers 200 and the killed server's upload folder is gone; the same
   file pushed again imports every row, and once more changes nothing (every mark unchanged, no
   duplicate mark, pupil or task);
5. the server stops on SIGTERM with exit status 0; it logged with LOG_FORMAT=json, every line a
   JSON object, the /ready request's line carrying its X-Request-Id; `eyeson audit verify` passes.

Prints one line per check and "N passed, M failed"; exit status 1 on any failure.
"""
import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

EYESON, WORK, ENGINE = sys.argv[1], sys.argv[2], sys.argv[3]
PG_URL = sys.argv[4] if ENGINE == "postgres" else None
PSQL = sys.argv[5] if ENGINE == "postgres" else None
AS_OF = "2026-11-23"
os.makedirs(WORK, exist_ok=True)
DB_FILE = os.path.join(WORK, "crash.sqlite")
TMPDIR = os.path.join(WORK, "tmp")        # the server's TMPDIR: where it stages uploads
os.makedirs(TMPDIR, exist_ok=True)

passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok    {what}")
    else:
        failed += 1
        print(f"FAIL  {what}")
    sys.stdout.flush()


def env(json_logs=False):
    e = dict(os.environ, TMPDIR=TMPDIR)
    if json_logs:
        e.update(LOG_FORMAT="json", LOG_LEVEL="info")
    if PG_URL:
        e["DATABASE_URL"] = PG_URL
    else:
        e.pop("DATABASE_URL", None)
    return e


def db_args():
    return [] if PG_URL else ["--database", DB_FILE]


def eyeson(*args):
    r = subprocess.run([EYESON, *args, *db_args()], env=env(), capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"eyeson {' '.join(args)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r.stdout


def count(sql):
    if PG_URL:
        out = subprocess.run([PSQL, PG_URL, "-qAtX", "-v", "ON_ERROR_STOP=1", "-c", sql],
                             capture_output=True, text=True, check=True).stdout
        return int(out.strip())
    with sqlite3.connect(DB_FILE, timeout=30) as c:
        return c.execute(sql).fetchone()[0]


def writer_active():
    """Whether some connection holds a write transaction open (the import's, while it runs)."""
    if PG_URL:
        return count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                     "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()") > 0
    c = sqlite3.connect(DB_FILE, timeout=0, isolation_level=None)
    try:
        c.execute("BEGIN IMMEDIATE")
        c.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            return True
        raise
    finally:
        c.close()


COUNTS = {
    "marks": "SELECT count(*) FROM attendance_marks",
    "pupils": "SELECT count(*) FROM attendance_pupils",
    "people": "SELECT count(*) FROM people",
    "import runs": "SELECT count(*) FROM import_runs",
    "running import runs": "SELECT count(*) FROM import_runs WHERE status = 'running'",
    "tasks": "SELECT count(*) FROM tasks",
    "duplicate marks": "SELECT count(*) FROM (SELECT pupil, date, session FROM attendance_marks "
                       "GROUP BY pupil, date, session HAVING count(*) > 1) d",
    "duplicate pupils": "SELECT count(*) FROM (SELECT school_urn, upn FROM attendance_pupils "
                        "GROUP BY school_urn, upn HAVING count(*) > 1) d",
}


def counts():
    return {k: count(q) for k, q in COUNTS.items()}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def serve(log, json_logs=False):
    port = free_port()
    proc = subprocess.Popen([EYESON, "serve", *db_args(), "--host", "127.0.0.1", "--port", str(port)],
                            env=env(json_logs), stdout=log, stderr=subprocess.STDOUT)
    for _ in range(240):
        if proc.poll() is not None:
            sys.exit(f"the server exited ({proc.returncode}) before answering; see {log.name}")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/health")
            if c.getresponse().status == 200:
                return proc, port
        except OSError:
            pass
        time.sleep(0.25)
    proc.kill()
    sys.exit(f"the server did not answer /health within 60 s; see {log.name}")


def push(port, body, token, timeout=600):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    c.request("POST", "/api/v1/feeds/attendance?name=attendance.csv", body=body,
              headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"})
    r = c.getresponse()
    return r.status, r.read()


# ------------------------------------------------------------------ 1. the area and its file

eyeson("demo", "--children", "1000", "--attendance-days", "0", "--as-of", AS_OF)
subprocess.run([EYESON, "synth", "--children", "1000", "--seed", "7", "--as-of", AS_OF, "--attendance-days", "150",
                "--out", os.path.join(WORK, "area")], check=True, capture_output=True)
with open(os.path.join(WORK, "area", "attendance.csv"), "rb") as f:
    body = f.read()
rows = body.count(b"\n") - 1
token = eyeson("token", "add", "--agency", "la-education", "--feed", "attendance", "--label", "crash test").strip().splitlines()[-1]
before = counts()
print(f"{ENGINE}: {rows} marks in a {len(body) / 1e6:.1f} MB file; before: {before}")

# ------------------------------------------------------------------ 2. SIGKILL mid-import

log = open(os.path.join(WORK, f"server-{ENGINE}-killed.log"), "w")
server, port = serve(log)
sent = threading.Event()
answer = {}


def killed_push():
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        c.request("POST", "/api/v1/feeds/attendance?name=attendance.csv", body=body,
                  headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"})
        sent.set()
        answer["status"] = c.getresponse().status
    except (OSError, http.client.HTTPException) as error:
        answer["error"] = repr(error)


pusher = threading.Thread(target=killed_push)
t0 = time.monotonic()
pusher.start()
held_since = None
while time.monotonic() - t0 < 120 and "status" not in answer:
    if sent.is_set() and writer_active():
        held_since = held_since or time.monotonic()
        if time.monotonic() - held_since >= 0.3:
            break
    else:
        held_since = None
    time.sleep(0.05)
in_transaction = held_since is not None and "status" not in answer
os.kill(server.pid, signal.SIGKILL)
server.wait()
pusher.join()
log.close()
check(in_transaction, f"killed with SIGKILL {time.monotonic() - t0:.1f} s after the push began, the import's transaction "
      f"open for {time.monotonic() - held_since if held_since else 0:.1f} s (answer: {answer})")
staged = os.path.join(TMPDIR, f"eyeson-uploads-{server.pid}")
check(os.path.isdir(staged) and len(os.listdir(staged)) == 1, f"the killed server's upload is left in {staged}")

# ------------------------------------------------------------------ 3. nothing of it shows

after_kill = counts()
check(after_kill == before, f"nothing of the killed import shows: {after_kill}")

# ------------------------------------------------------------------ 4. restart, import again, and again

log_path = os.path.join(WORK, f"server-{ENGINE}.log")
log = open(log_path, "w")
server, port = serve(log, json_logs=True)
c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
c.request("GET", "/ready")
r = c.getresponse()
ready_id = r.getheader("X-Request-Id")
check(r.status == 200, f"the restarted server is ready: {r.status} {r.read().decode()[:200]}")
check(not os.path.exists(staged), "the restarted server removed the killed server's upload")
status, data = push(port, body, token)
first = json.loads(data) if status == 200 else {}
check(status == 200 and first.get("accepted") == rows and first.get("quarantined") == 0,
      f"the same file imports whole after the restart: {status} {first.get('summary') or data[:300]}")
after_first = counts()
check(after_first["marks"] == rows and after_first["running import runs"] == 0
      and after_first["import runs"] == before["import runs"] + 1,
      f"{rows} marks and one completed import: {after_first}")
status, data = push(port, body, token)
again = json.loads(data) if status == 200 else {}
check(status == 200 and again.get("accepted") == 0 and again.get("updated") == 0 and again.get("unchanged") == rows,
      f"the file again changes nothing: {status} {again.get('summary') or data[:300]}")
after_again = counts()
same = {k: v for k, v in after_again.items() if k != "import runs"} == {k: v for k, v in after_first.items() if k != "import runs"}
check(same and after_again["duplicate marks"] == 0 and after_again["duplicate pupils"] == 0,
      f"no duplicate marks, pupils, people or tasks: {after_again}")

# ------------------------------------------------------------------ 5. clean stop, intact audit trail

server.send_signal(signal.SIGTERM)
try:
    rc = server.wait(timeout=30)
except subprocess.TimeoutExpired:
    server.kill()
    rc = "timeout"
log.close()
check(rc == 0, f"the server stops on SIGTERM with exit status {rc}")
lines = [line for line in open(log_path) if line.strip()]
try:
    logged = [json.loads(line) for line in lines]
except ValueError as error:
    logged = []
    print(f"      not JSON: {error}")
ready_lines = [o for o in logged if o.get("request-id") == ready_id]
pushes = [o for o in logged if o.get("route") == "/api/v1/feeds/:feed"]
check(len(logged) == len(lines) > 0 and len(ready_lines) == 1 and ready_lines[0].get("route") == "/ready"
      and ready_lines[0].get("status") == "200" and len(pushes) == 2,
      f"LOG_FORMAT=json: {len(logged)} of {len(lines)} lines are JSON objects; /ready's line has its X-Request-Id: {ready_lines}; "
      f"{len(pushes)} push lines")
r = subprocess.run([EYESON, "audit", "verify", *db_args()], env=env(), capture_output=True, text=True)
verdict = [line.strip() for line in (r.stdout + r.stderr).splitlines() if "intact" in line or "altered" in line or "missing" in line]
check(r.returncode == 0, f"eyeson audit verify: {verdict[:3]}")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
