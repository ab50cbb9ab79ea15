"""The listener listings and the port report include each other in no circle.

A module that includes another which includes it back cannot be understood,
tested or moved on its own; the fix is to move what both need below them
(as the port identity went from report.h to identity.h, under both the port
report and the listener listings).  A header and its own .c file count as
one module.
"""
import pathlib
import re

SRC = pathlib.Path(__file__).resolve().parents[2] / "src"
INCLUDE = re.compile(r'^#include\s+"([^"]+)"', re.M)


def module(path):
    return path.relative_to(SRC).with_suffix("").as_posix()


def resolve(inc, where):
    for base in (where.parent, SRC):
        p = (base / inc).resolve()
        if p.exists() and SRC in p.parents:
            return p
    return None


def graph():
    g = {}
    for f in SRC.rglob("*.[ch]"):
        deps = g.setdefault(module(f), set())
        for inc in INCLUDE.findall(f.read_text(errors="replace")):
            p = resolve(inc, f)
            if p is not None and module(p) != module(f):
                deps.add(module(p))
    return g


def cycles(g):
    found, state = [], {}

    def visit(n, stack):
        state[n] = 1
        stack.append(n)
        for d in sorted(g.get(n, ())):
            if state.get(d) == 1:
                found.append(stack[stack.index(d):] + [d])
            elif d not in state:
                visit(d, stack)
        stack.pop()
        state[n] = 2

    for n in sorted(g):
        if n not in state:
            visit(n, [])
    return found


def test_no_include_circle_through_listening():
    g = graph()
    assert "report/listening" in g and "report/report" in g
    assert [c for c in cycles(g) if "report/listening" in c] == []


def test_listening_and_report_share_identity_below_them():
    g = graph()
    assert "report/identity" in g["report/listening"]
    assert "report/identity" not in g or "report/report" not in g["report/identity"]
    assert "report/report" not in g["report/listening"]
