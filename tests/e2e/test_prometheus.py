"""Listeners as Prometheus metrics: `listening --format prometheus` and
`serve --metrics-only`, validated with promtool (Debian's prometheus
package), against helper processes holding known sockets.
"""
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.request

import pytest

from conftest import BIN, ROOT
from test_listeners import Holder, holders, portolan  # noqa: F401 (fixture)

PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(PROMTOOL is None, reason="promtool (Debian: prometheus)")


def promtool_check(text):
    p = subprocess.run([PROMTOOL, "check", "metrics"], input=text, capture_output=True,
                       text=True)
    assert p.returncode == 0, p.stdout + p.stderr


def series(text, name):
    """{labels dict as a tuple of items: value} of one metric."""
    out = {}
    for m in re.finditer(r"^%s(?:\{(.*)\})? (\S+)$" % name, text, re.M):
        labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(1) or ""))
        out[tuple(sorted(labels.items()))] = float(m.group(2))
    return out


def ours(text, port):
    return {dict(k)["addr"]: (dict(k), v) for k, v in series(text, "portolan_listener_info").items()
            if dict(k)["port"] == str(port)}


@needs_promtool
def test_textfile_format_is_valid_and_names_each_listener(holders, full_db, tmp_path):
    h = holders([["tcp", "127.0.0.1", 0, None], ["tcp", "::", 0, 0], ["udp", "::1", 0, None]],
                comm='we"ird\\\xff')
    p = portolan("listening", "--format", "prometheus", db=full_db)
    assert p.returncode == 0, p.stderr
    promtool_check(p.stdout)
    (_, _, p4), (_, _, pdual), (_, _, pu) = h.sockets
    [(labels, value)] = ours(p.stdout, p4).values()
    assert value == 1
    assert labels["proto"] == "tcp" and labels["addr"] == "127.0.0.1"
    assert labels["process"] == 'we\\"ird\\\\\ufffd' and labels["claimed"] == ""
    assert labels["user"] == subprocess.run(["id", "-un"], capture_output=True,
                                            text=True).stdout.strip()
    assert "*" in ours(p.stdout, pdual)  # dual-stack, as the text listing prints it
    assert ours(p.stdout, pu)["::1"][0]["proto"] == "udp"
    assert not series(p.stdout, "portolan_audit_unexpected")  # no expect file, no audit
    # With an expect file: claimed, and the audit's gauges.
    expect = tmp_path / "expect.txt"
    expect.write_text(f"{p4}/tcp * 127.0.0.1\n1/tcp nothing-here\n")
    p = portolan("listening", "--format", "prometheus", "--expect", expect, db=full_db)
    assert p.returncode == 0, p.stderr
    promtool_check(p.stdout)
    assert ours(p.stdout, p4)["127.0.0.1"][0]["claimed"] == "true"
    assert ours(p.stdout, pdual)["*"][0]["claimed"] == "false"
    assert series(p.stdout, "portolan_audit_missing") == {(): 1.0}
    unexpected = series(p.stdout, "portolan_audit_unexpected")[()]
    assert unexpected == sum(v for k, v in series(p.stdout, "portolan_listener_info").items()
                             if dict(k)["claimed"] == "false")


def test_reuseport_group_is_one_series_with_its_count(holders):
    """Identical label sets must be merged: Prometheus refuses a scrape with
    the same series twice."""
    spec = HOLDER_REUSE
    p = subprocess.Popen(["python3", "-c", spec], stdout=subprocess.PIPE, text=True)
    try:
        port = int(p.stdout.readline())
        out = portolan("listening", "--format", "prometheus").stdout
        assert ours(out, port)["127.0.0.1"][1] == 3
        if PROMTOOL:
            promtool_check(out)
    finally:
        p.kill()
        p.wait()
        p.stdout.close()


HOLDER_REUSE = r"""
import signal, socket
keep = []
for i in range(3):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind(("127.0.0.1", keep[0].getsockname()[1] if keep else 0)); s.listen(1); keep.append(s)
print(keep[0].getsockname()[1], flush=True)
signal.pause()
"""


@pytest.fixture
def exporter(tmp_path, full_db):
    expect = tmp_path / "expect.txt"
    expect.write_text("1/tcp nothing-here\n")
    proc = subprocess.Popen([BIN, "serve", "--metrics-only", "--listen", "127.0.0.1:0",
                             "--db", full_db, "--expect", expect],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        m = re.search(r"(http://\S+/metrics)", line)
        assert m, (line, proc.stderr.read() if proc.poll() is not None else "")
        yield m.group(1)
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0
        proc.stdout.close()
        proc.stderr.close()


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.headers.get("Content-Type"), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, None, ""


def test_serve_metrics_only(exporter, holders):
    h = holders([["tcp", "127.0.0.1", 0, None]])
    status, ctype, text = get(exporter)
    assert status == 200 and ctype.startswith("text/plain; version=0.0.4")
    if PROMTOOL:
        promtool_check(text)
    assert ours(text, h.sockets[0][2])["127.0.0.1"][0]["claimed"] == "false"
    assert series(text, "portolan_audit_missing") == {(): 1.0}
    # Collected afresh at each scrape: a listener that is gone is gone.
    h.kill()
    _, _, text = get(exporter)
    assert not ours(text, h.sockets[0][2])
    assert series(text, "portolan_exporter_scrapes_total") == {(): 2.0}
    assert get(exporter.replace("/metrics", "/"))[0] == 404


def test_serve_metrics_only_refuses_what_it_should(tmp_path):
    p = subprocess.run([BIN, "serve", "--metrics-only", "--listen", "192.0.2.1:9999"],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 2 and "--public" in p.stderr
    p = subprocess.run([BIN, "serve", "--expect", "x"], capture_output=True, text=True,
                       timeout=30)
    assert p.returncode == 2 and "--metrics-only" in p.stderr
    assert portolan("listening", "--expect", "x").returncode == 2
    assert portolan("listening", "--format", "xml").returncode == 2


@needs_promtool
def test_example_alert_rules_are_valid():
    p = subprocess.run([PROMTOOL, "check", "rules", ROOT / "docs" / "portolan-alerts.yml"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
