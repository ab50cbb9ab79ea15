"""Votes in PostgreSQL: several `portolan serve` instances on one database share the
votes and the one-vote-per-page-per-client-per-day rule, and a bounded load with one
instance killed (-9) and PostgreSQL restarted loses no acknowledged vote and stores none
twice.  A real PostgreSQL (conftest.py's pg_cluster), no mock."""
import http.client
import json
import signal
import threading
import time

import pytest

from conftest import run
from test_web import Server


def rows(pg_cluster, url, sql):
    db = url.split("///")[1].split("?")[0]
    out = pg_cluster.sql(sql, db=db).strip()
    return [line.split("|") for line in out.splitlines()] if out else []


@pytest.fixture
def two_servers(pg_cluster, full_db, tmp_path):
    url = pg_cluster.new_database()
    servers = [Server(full_db, tmp_path / f"v{i}.db", "--store", url, "--vote-rate", "0")
               for i in (0, 1)]
    yield url, servers
    for s in servers:
        s.kill()


def test_one_vote_per_page_per_day_across_instances(pg_cluster, two_servers):
    url, (a, b) = two_servers
    assert a.vote("/port/3516", "sad")[0] == 303
    assert b.vote("/port/3516", "happy")[0] == 303  # same client, other server: replaces
    assert rows(pg_cluster, url, "SELECT page, answer FROM vote") == [["/port/3516", "happy"]]
    assert rows(pg_cluster, url, "SELECT count(*) FROM salt") == [["1"]]
    # portolan feedback reads the tallies where the servers keep them.
    assert b.vote("/port/22", "sad")[0] == 303
    doc = json.loads(run("feedback", "--store", url, "--json", check=0).stdout)
    assert [(t["page"], t["sad"], t["happy"]) for t in doc["tallies"]] == \
        [("/port/22", 1, 0), ("/port/3516", 0, 1)]
    assert doc["votes"] == 2


def test_load_with_kill_9_and_postgresql_restart(pg_cluster, two_servers):
    url, servers = two_servers
    n, nthreads = 3000, 12
    acked, lock, stop = set(), threading.Lock(), threading.Event()

    def storm(pages, first):
        for i, page in enumerate(pages):
            for attempt in range(40):  # the client retries a vote that was not acknowledged
                s = servers[(first + i + attempt) % 2]
                try:
                    status = s.vote(page, "happy")[0]
                except (OSError, http.client.HTTPException):
                    status = None
                if status == 303:
                    with lock:
                        acked.add(page)
                    break
                time.sleep(0.05)

    pages = [f"/port/{p}" for p in range(n)]
    ts = [threading.Thread(target=storm, args=(pages[k::nthreads], k)) for k in range(nthreads)]
    for t in ts:
        t.start()
    while len(acked) < n // 3:
        time.sleep(0.05)
    servers[0].proc.send_signal(signal.SIGKILL)  # mid-run: its in-flight votes are not acked
    while len(acked) < 2 * n // 3:
        time.sleep(0.05)
    pg_cluster.stop()  # PostgreSQL restarted once under load
    time.sleep(0.3)
    pg_cluster.start()
    for t in ts:
        t.join(timeout=300)
    stored = [p for (p,) in rows(pg_cluster, url, "SELECT page FROM vote")]
    assert len(acked) == n, f"{n - len(acked)} votes never acknowledged"
    assert acked <= set(stored), sorted(acked - set(stored))[:10]   # every acked vote stored
    assert len(stored) == len(set(stored))                          # none twice
