"""Writes the ids of children a signed-in role may open, for wrk to walk (bench/load/run).

    python3 ids.py BASE_URL COOKIE_FILE N OUT_FILE

Reads the role's own child search without criteria (`GET /children?page=1,2,…`, the children the
access policy shows it, by surname, 50 a page) and keeps the first N distinct `/children/<id>`
links, one path a line, so every page wrk asks for is one the role may see. Prints how many.
"""
import re
import sys
import urllib.request

base, cookie_file, n, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
cookie = open(cookie_file).read().strip()
paths, page = [], 1
while len(paths) < n:
    request = urllib.request.Request(f"{base}/children?page={page}", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=120) as r:
        body = r.read().decode(errors="replace")
    found = [p for p in dict.fromkeys(re.findall(r'href="(/children/[0-9A-Fa-f-]{36})"', body)) if p not in paths]
    if not found:
        break
    paths += found
    page += 1
if not paths:
    sys.exit(f"bench/load: the role's child search ({base}/children) lists no children")
with open(out, "w") as f:
    f.write("\n".join(paths[:n]) + "\n")
print(len(paths[:n]))
