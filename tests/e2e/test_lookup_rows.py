"""Lookups that keep every row: protocol-less IANA rows, names of any shape.

IANA lists 886 port rows that name no protocol (flex-lm on 27000-27009, the
unauthorized-use reports on 4315 and 2194-2196); they hold for every
protocol, so a query for N/tcp or N/udp and the machine commands, which ask
per protocol, must see them.  Service names may start with a digit or hold a
'/', and compare without regard to case.
"""
import json
import socket

import pytest

from conftest import report, run


def flex_lm(rep):
    return [r for r in rep["records"] if r["service"] == "flex-lm"]


@pytest.mark.parametrize("proto", ["tcp", "udp"])
def test_a_protocol_query_keeps_rows_that_name_none(full_db, proto):
    rep = report(f"27000/{proto}", full_db)
    assert rep["found"] is True
    [row] = flex_lm(rep)
    assert (row["port_lo"], row["port_hi"], row["protocol"]) == (27000, 27009, "")
    text = run(f"27000/{proto}", "--no-machine", db=full_db, check=0).stdout
    assert "not in the registry" not in text
    assert text.startswith("27000  flex-lm")
    assert "27000-27009/any  flex-lm" in text  # the row says it holds for any protocol


def test_an_unauthorized_use_report_shows_under_a_protocol(full_db):
    rep = report("4315/tcp", full_db)
    assert any("Unauthorized Use Known on port 4315" in r["unauthorized"]
               for r in rep["records"])
    text = run("4315/tcp", "--no-machine", db=full_db, check=0).stdout
    assert "Unauthorized use  Unauthorized Use Known on port 4315" in text


def test_a_tcp_row_is_still_left_out_of_a_udp_query(full_db):
    rep = report("3516/udp", full_db)
    assert {r["protocol"] for r in rep["records"]} == {"udp"}


@pytest.mark.parametrize("name, port", [("9pfs", 564), ("802-11-iapp", 3517),
                                        ("EtherNet/IP-1", 2222), ("ethernet/ip-1", 2222),
                                        ("3com-nsd", 1742), ("HTTP", 80)])
def test_names_that_start_with_a_digit_or_hold_a_slash(full_db, name, port):
    rep = report(name, full_db)
    assert rep["found"] is True and rep["port_lo"] == port
    assert any(r["service"].lower() == name.lower() for r in rep["records"])


def test_a_name_with_no_port(full_db):
    p = run("lookup", "1password", "--json", db=full_db, check=0)
    rep = json.loads(p.stdout)
    assert rep["port_lo"] is None
    assert [r["service"] for r in rep["records"]] == ["1password"]


def test_name_and_protocol(full_db):
    rep = report("http/tcp", full_db)
    assert rep["port_lo"] == 80 and rep["query"]["protocol"] == "tcp"
    rep = report("EtherNet/IP-1/udp", full_db)
    assert rep["port_lo"] == 2222 and rep["query"]["service"] == "EtherNet/IP-1"
    assert {r["protocol"] for r in rep["records"]} == {"udp"}
    # After a port, what follows the '/' can only be a protocol.
    p = run("lookup", "80/ip-1", db=full_db, check=2)
    assert "unknown protocol" in p.stderr


def test_other_names_compare_without_case(full_db):
    rep = report("6000", full_db)
    x11 = [o for o in rep["other_names"] if o["service"] == "X11"]
    if not x11:
        pytest.skip("nmap-services is not installed")
    assert all(o["in_registry"] for o in x11)
    text = run("6000", "--no-machine", db=full_db, check=0).stdout
    assert not [l for l in text.splitlines()
                if " X11 " in l and "a name IANA does not list" in l]


def bind_listener(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        s.close()
        pytest.skip(f"port {port} is taken on this machine")
    s.listen()
    return s


def test_machine_commands_name_a_protocol_less_registration(full_db):
    with bind_listener(27000):
        doc = json.loads(run("who", "27000", "--json", db=full_db, check=0).stdout)
        assert doc["port_identity"]["tcp"]["service"] == "flex-lm"
        [l] = [l for l in doc["listeners"] if l["proto"] == "tcp"]
        assert {k: l["registry"][k] for k in ("service", "description", "assigned")} == \
            {"service": "flex-lm", "description": "FLEX LM (1-10)", "assigned": True}
        assert "unassigned" not in l["flags"]
        text = run("who", "27000/tcp", db=full_db, check=0).stdout
        assert "27000/tcp in the registry: flex-lm" in text
        doc = json.loads(run("listening", "--port", "27000", "--json", db=full_db,
                             check=0).stdout)
        [l] = [l for l in doc["listeners"] if l["proto"] == "tcp"]
        assert l["registry"]["service"] == "flex-lm" and "unassigned" not in l["flags"]
        text = run("listening", "--port", "27000", db=full_db, check=0).stdout
        assert "flex-lm" in text and "!unassigned" not in text
        # A service name, as `lsof -i :flex-lm` takes one.
        doc = json.loads(run("who", "FLEX-LM", "--json", db=full_db, check=0).stdout)
        assert doc["port"] == 27000 and doc["listening"] is True


def test_who_takes_a_service_name(full_db):
    p = run("who", "ssh", "--json", db=full_db)
    assert p.returncode in (0, 1), p.stderr
    doc = json.loads(p.stdout)
    assert doc["port"] == 22
    assert doc["port_identity"]["tcp"]["service"] == "ssh"
    doc = json.loads(run("who", "ssh/udp", "--json", db=full_db).stdout)
    assert doc["port"] == 22 and list(doc["port_identity"]) == ["udp"]


@pytest.mark.parametrize("arg, message", [("no-such-service-xyz", "nor a service name"),
                                          ("1password", "gives this name no port"),
                                          ("abc!", "port must be a number")])
def test_who_refuses_what_names_no_port(full_db, arg, message):
    p = run("who", arg, db=full_db, check=2)
    assert f'"{arg}"' in p.stderr and message in p.stderr
