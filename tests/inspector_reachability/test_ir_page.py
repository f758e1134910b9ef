"""What a reader of docs/detection/network-reachability.md sees: findings
tables sorted by severity then port, and a file that is not a snapshot
named as such, in the page's demos (run here in CPython, as the worker runs
them) and on the command line.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest
from inspector_reachability import (
    Network,
    SnapshotError,
    analyze,
    load_sample,
    table_rows,
)
from livedemo import capture, run_demo
from sitekit.fence import check_page

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs/detection/network-reachability.md"
DATA = ROOT / "demos/inspector_reachability/data"
GOLDEN = Path(__file__).parent / "golden"
PACKAGES = frozenset({"livedemo", "kms_envelope", "inspector_reachability"})
# Inspector's severity order, most severe first.
RANK = {"High": 0, "Medium": 1, "Low": 2, "Informational": 3}


def page_demo(title: str) -> str:
    demos = check_page(
        PAGE.read_text(encoding="utf-8"),
        PAGE.name,
        known_packages=PACKAGES,
        examples_dir=ROOT / "demos/examples",
    )
    (code,) = [d.code for d in demos if d.title == title]
    return code


def run_page_demo(title: str) -> list[dict]:
    with capture() as events:
        outcome = asyncio.run(run_demo(page_demo(title)))
    assert outcome["status"] == "ok", outcome["traceback"]
    return events


def cell_text(cell: dict) -> str:
    return str(cell["text"])


def tables(events: list[dict]) -> list[dict]:
    return [e["display"] for e in events if e.get("display", {}).get("kind") == "table"]


def first_port(port: str) -> int:
    # "tcp 22 (SSH)", "udp 137-138", "tcp 445, 3389"
    return int(port.split()[1].split("-")[0].rstrip(","))


def the_shop() -> Network:
    # The page's first network, built here: a bastion with SSH open to the
    # world (recognized port, sshd listens: Medium) and an app server behind
    # an ALB on 8080 (not a recognized port, a listener: Low), each with its
    # NetworkExposure (Informational).
    return (
        Network()
        .vpc("10.0.0.0/16", name="shop")
        .public_subnet("public", "10.0.1.0/24")
        .private_subnet("app", "10.0.2.0/24")
        .sg("bastion", "tcp 22 from 0.0.0.0/0")
        .sg("alb", "tcp 443 from 0.0.0.0/0")
        .sg("app", "tcp 8080 from sg-alb")
        .instance("bastion", subnet="public", sgs=["bastion"], public_ip=True, listening=["tcp 22"])
        .instance("app", subnet="app", sgs=["app"], listening=["tcp 8080"])
        .alb("shop", subnets=["public"], sgs=["alb"], listen=443, targets=["app"], target_port=8080)
    )


# -- sorted by severity, then port ------------------------------------------


def test_rows_are_sorted_by_severity_then_port():
    rows = table_rows(the_shop().analyze())
    assert [(r["severity"], r["port"]) for r in rows] == [
        ("Medium", "tcp 22 (SSH)"),
        ("Low", "tcp 8080"),
        ("Informational", "tcp 22"),
        ("Informational", "tcp 8080"),
    ]


def test_sorting_the_rows_leaves_the_result_and_its_json_alone():
    # The vpn sample: the engine lists tcp 445 and 3389 before udp 137 and 138.
    snapshot, agents = load_sample("vpn")
    result = analyze(snapshot, agents, why_not=True)
    before = result.to_dict()
    rows = table_rows(result)
    assert result.to_dict() == before
    golden = json.loads((GOLDEN / "vpn.json").read_text(encoding="utf-8"))
    assert before == golden
    engine_ports = [f["port"] for f in golden["findings"] if f["port"] is not None]
    row_ports = [first_port(r["port"]) for r in rows if r["type"] != "NetworkExposure"]
    assert row_ports == sorted(engine_ports)
    assert engine_ports != sorted(engine_ports), "the sample no longer tells the two orders apart"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "inspector_reachability",
            "analyze",
            str(DATA / "sample-vpn.json"),
            "--format",
            "json",
            "--why-not",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == golden


@pytest.mark.parametrize(
    "title", ["Which ports can the internet reach?", "Reached from a peer VPC and from on-premises"]
)
def test_the_page_tables_are_sorted(title):
    (table,) = tables(run_page_demo(title))
    sev, port = table["columns"].index("severity"), table["columns"].index("port")
    keys = [(RANK[cell_text(r[sev])], first_port(cell_text(r[port]))) for r in table["rows"]]
    assert len(keys) == 4
    assert keys == sorted(keys)


def test_the_snapshot_demo_sorts_a_readers_file(tmp_path, monkeypatch):
    # The vpn sample as the reader's file (no agents file, so every
    # recognized port is RecognizedPortNoAgent, Medium): the engine lists tcp
    # 445 and 3389 first, the table must go by port.
    (tmp_path / "snapshot.json").write_bytes((DATA / "sample-vpn.json").read_bytes())
    monkeypatch.chdir(tmp_path)
    events = run_page_demo("Analyse your own snapshot")
    (table,) = [t for t in tables(events) if "severity" in t["columns"]]
    sev, port = table["columns"].index("severity"), table["columns"].index("port")
    keys = [(RANK[cell_text(r[sev])], first_port(cell_text(r[port]))) for r in table["rows"]]
    assert keys == [(RANK["Medium"], p) for p in (137, 138, 445, 3389)]


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        # Past CPython's default limit of 4,300 digits (sys.int_info).
        ("snapshot.json", '{\n"Vpcs": ' + "1" * 4301 + "}", "snapshot.json:2:9: "),
        ("snapshot.json", '{"Vpcs": [,]}', "snapshot.json:1:11: invalid JSON"),
        ("agents.json", '{"Agents": ' + "2" * 5000 + "}", "agents.json:1:12: "),
    ],
)
def test_the_snapshot_demo_names_where_a_file_is_not_json(tmp_path, monkeypatch, name, text, where):
    (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    events = run_page_demo("Analyse your own snapshot")
    assert [e for e in events if "display" in e] == []
    errors = "".join(e["text"] for e in events if e.get("stream") == "stderr").splitlines()
    assert len(errors) == 1, errors
    assert errors[0].startswith(where)


# -- not a snapshot ----------------------------------------------------------


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "inspector_reachability", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def one_line_error(run) -> str:
    assert run.returncode == 2, run.stdout
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    return lines[0]


NOT_SNAPSHOTS = [
    ('{"foo": 1, "bar": []}', 'this file has the top-level keys "foo", "bar"'),
    ("[1, 2, 3]", "this file is a JSON array of 3 items"),
    ('"Reservations"', "this file is a JSON string"),
    ("null", "this file is JSON null"),
    ('{"findings": []}', 'this file has the top-level key "findings"'),
]


@pytest.mark.parametrize(("text", "has"), NOT_SNAPSHOTS)
def test_the_cli_says_what_was_expected_and_what_the_file_has(tmp_path, text, has):
    path = tmp_path / "reachability.json"
    path.write_text(text)
    line = one_line_error(cli("analyze", path))
    assert line.startswith(f"{path}: not a describe-* snapshot: expected ")
    assert '"Reservations"' in line
    assert '"NetworkInterfaces"' in line
    assert line.endswith(has)


def test_an_agents_file_given_as_the_snapshot_is_recognised(tmp_path):
    line = one_line_error(cli("analyze", DATA / "sample-bastion.agents.json"))
    assert '"Agents"' in line
    assert "agents file" in line


def test_many_odd_keys_stay_on_one_line(tmp_path):
    path = tmp_path / "odd.json"
    keys = {f"k{i}\u2028\n\x85": i for i in range(20)}
    path.write_text(json.dumps(keys))
    line = one_line_error(cli("analyze", path))
    assert "and 15 more" in line


@pytest.mark.parametrize(
    "snapshot",
    [
        {},
        {"Vpcs": [], "Subnets": [], "Reservations": [], "NetworkInterfaces": []},
        # jq -s add of a region with nothing in it: every key, every list empty
        {key: [] for key in load_sample("web-alb")[0]},
    ],
)
def test_an_empty_snapshot_is_still_a_snapshot(tmp_path, snapshot):
    path = tmp_path / "empty.json"
    path.write_text(json.dumps(snapshot))
    run = cli("analyze", path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().endswith("0 findings on 0 instances")
    assert len(analyze(snapshot)) == 0


def test_the_api_names_the_source():
    with pytest.raises(SnapshotError) as err:
        analyze({"foo": 1}, source="mine.json")
    assert err.value.path == "mine.json"
    assert str(err.value).startswith("mine.json: not a describe-* snapshot: ")
    with pytest.raises(SnapshotError) as err:
        analyze({"foo": 1})
    assert err.value.path == "(snapshot)"


def test_the_page_demo_shows_the_message_as_error_output(tmp_path, monkeypatch):
    (tmp_path / "snapshot.json").write_text('{"foo": 1, "bar": 2}')
    monkeypatch.chdir(tmp_path)
    events = run_page_demo("Analyse your own snapshot")
    errors = [e["text"] for e in events if e.get("stream") == "stderr"]
    assert len(errors) == 1
    (line,) = errors[0].splitlines()
    assert line.startswith("snapshot.json: not a describe-* snapshot: expected top-level keys ")
    assert line.endswith('this file has the top-level keys "foo", "bar"')
    shown = json.dumps([e for e in events if "display" in e])
    assert "0 findings" not in shown


def test_the_page_demo_names_bad_json_by_line_and_column(tmp_path, monkeypatch):
    (tmp_path / "snapshot.json").write_text('{\n  "Vpcs": [,]\n}')
    monkeypatch.chdir(tmp_path)
    events = run_page_demo("Analyse your own snapshot")
    errors = "".join(e["text"] for e in events if e.get("stream") == "stderr")
    assert errors.startswith("snapshot.json:2:12: invalid JSON")
    assert not [e for e in events if "display" in e]


def test_the_page_demo_accepts_an_empty_snapshot(tmp_path, monkeypatch):
    (tmp_path / "snapshot.json").write_text("{}")
    monkeypatch.chdir(tmp_path)
    events = run_page_demo("Analyse your own snapshot")
    assert not [e for e in events if e.get("stream") == "stderr"]
    texts = [e["display"].get("text", "") for e in events if "display" in e]
    assert any(t.endswith("0 findings on 0 instances") for t in texts), texts
