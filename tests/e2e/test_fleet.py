"""The fleet, short form: 10 hosts as network namespaces on a private bridge,
an exporter in each, a real Prometheus with the example alert rule, and an
unexpected listener on one host that must make the alert fire for that host
and port only, through Prometheus's HTTP API (bench/fleet; its 50-host
form is the benchmark).  Everything it started is gone afterwards.
"""
import os
import re
import shutil
import subprocess
import time

import pytest

from conftest import BIN, ROOT

TOOLS = ("unshare", "nsenter", "ip", "cc", "prometheus")


@pytest.mark.skipif(os.geteuid() != 0 or not all(shutil.which(t) for t in TOOLS),
                    reason="needs root and " + ", ".join(TOOLS))
def test_fleet_alert_fires_for_the_unexpected_listener():
    t0 = time.monotonic()
    p = subprocess.run([ROOT / "bench" / "fleet", "--hosts", "10", "--timeout", "20",
                        "--bin", BIN], capture_output=True, text=True, timeout=60)
    took = time.monotonic() - t0
    assert p.returncode == 0, p.stdout + p.stderr
    assert "fleet: 10 hosts" in p.stdout
    # Host 5 of 10 (10.77.0.7) started 4444/tcp; the alert names it and nothing else.
    m = re.search(r"alert PortolanUnexpectedListener firing for (\S+) tcp/(\d+) "
                  r"\(process (\S+)\)", p.stdout)
    assert m and m.groups() == ("10.77.0.7:9100", "4444", "fleet-host"), p.stdout
    assert re.search(r"scrape duration per host \(ms, 10 hosts\)", p.stdout)
    assert re.search(r"exporter CPU per scrape", p.stdout)
    assert "torn down: 22 processes, by pid" in p.stdout
    assert took <= 60
    left = subprocess.run(["pgrep", "-x", "fleet-host"], capture_output=True, text=True)
    assert left.stdout == ""
