"""One abusive client for tests/e2e/test_web_abuse.py's soak test, run as a process of its
own (so its work does not hold the measuring test's GIL): from one source address, slowloris
connections (a request head trickled one header line every 2 s), idle connections (nothing
sent), and costly searches one after another.  Every loop is bounded by --seconds; it prints
what it saw as JSON and stops by itself.

usage: web_attacker.py HOST PORT SOURCE [--search-source ADDR] --slow N --idle N --seconds S

The searches may come from a second address: from the first, once its connections are at the
server's per-address cap, they would simply be refused.
"""
import argparse
import json
import os
import random
import resource
import selectors
import socket
import string
import threading
import time

p = argparse.ArgumentParser()
p.add_argument("host")
p.add_argument("port", type=int)
p.add_argument("source")
p.add_argument("--search-source", default=None)
p.add_argument("--slow", type=int, default=4500)
p.add_argument("--idle", type=int, default=5000)
p.add_argument("--seconds", type=float, default=20)
a = p.parse_args()

# A remote attacker spends its own CPU, not the server's: on a test machine of two CPUs this
# process would otherwise take the server's turns, which no network client can.
os.nice(10)
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, a.slow + a.idle + 1000), hard))
end = time.monotonic() + a.seconds
seen = {"opened": 0, "closed_by_server": 0, "searches": 0, "search_statuses": {},
        "connect_errors": 0}
lock = threading.Lock()


def searches():
    words = "a b c d e f g h i j k l m n o p".split()
    while time.monotonic() < end:
        q = "+".join(words[:15] + ["".join(random.choices(string.ascii_lowercase, k=6))])
        try:
            c = socket.create_connection((a.host, a.port), timeout=5,
                                         source_address=(a.search_source or a.source, 0))
            c.sendall(f"GET /api/v1/search?q={q} HTTP/1.1\r\nHost: x\r\n"
                      f"Connection: close\r\n\r\n".encode())
            head = c.recv(64)
            c.close()
            status = head[9:12].decode() if head.startswith(b"HTTP/1.1 ") else "none"
        except OSError:
            status = "error"
            time.sleep(0.05)
        with lock:
            seen["searches"] += 1
            seen["search_statuses"][status] = seen["search_statuses"].get(status, 0) + 1


def connect(sel, kind):
    s = socket.socket()
    s.setblocking(False)
    try:
        s.bind((a.source, 0))
        s.connect_ex((a.host, a.port))
    except OSError:
        s.close()
        seen["connect_errors"] += 1
        return
    sel.register(s, selectors.EVENT_READ, {"kind": kind, "sent": 0})
    seen["opened"] += 1


def flood():
    sel = selectors.DefaultSelector()
    waiting = []  # (when, kind): reconnect later, not in a tight loop
    for i in range(a.slow):
        connect(sel, "slow")
    for i in range(a.idle):
        connect(sel, "idle")
    last_trickle = 0.0
    while time.monotonic() < end:
        for key, _ in sel.select(timeout=0.2):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if not data:  # closed by the server: come back in 2 s
                sel.unregister(s)
                s.close()
                seen["closed_by_server"] += 1
                waiting.append((time.monotonic() + 2, key.data["kind"]))
        now = time.monotonic()
        if now - last_trickle >= 2:
            last_trickle = now
            for key in list(sel.get_map().values()):
                if key.data["kind"] != "slow":
                    continue
                line = (b"GET / HTTP/1.1\r\nHost: x\r\n" if key.data["sent"] == 0
                        else b"X-Slow-%d: y\r\n" % key.data["sent"])
                try:
                    key.fileobj.send(line)
                    key.data["sent"] += 1
                except OSError:
                    pass
        due = [w for w in waiting if w[0] <= now]
        waiting = [w for w in waiting if w[0] > now]
        for _, kind in due:
            connect(sel, kind)
    for key in list(sel.get_map().values()):
        key.fileobj.close()


t = threading.Thread(target=searches)
t.start()
flood()
t.join()
print(json.dumps(seen))
