"""Sends N requests to a server at once and hangs up on each without reading the answer, the way a
client that gives up does, leaving the requests running in the server (scripts/test then stops the
server at once, to check it stops cleanly with requests under way).

    python3 hangups.py http://127.0.0.1:PORT N [PATH]
"""
import socket
import sys
import threading
from urllib.parse import urlparse

url = urlparse(sys.argv[1])
count = int(sys.argv[2])
path = sys.argv[3] if len(sys.argv) > 3 else "/ready"


def hang_up():
    try:
        with socket.create_connection((url.hostname, url.port), timeout=5) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: {url.hostname}\r\nConnection: close\r\n\r\n".encode())
    except OSError as error:
        print(f"hangups: {error}", file=sys.stderr)


threads = [threading.Thread(target=hang_up) for _ in range(count)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"sent {count} requests for {path} and hung up on each")
