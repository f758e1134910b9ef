"""The demos of docs/network/vpc-flow-logs.md, run in CPython as the worker
runs them: each one works, shows something, twice the same, and says what
the page says it does.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from livedemo import capture, run_demo
from sitekit.fence import check_page

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs/network/vpc-flow-logs.md"
PACKAGES = frozenset({"livedemo", "kms_envelope", "inspector_reachability", "flow_logs"})


def demos():
    return check_page(
        PAGE.read_text(encoding="utf-8"),
        PAGE.name,
        known_packages=PACKAGES,
        examples_dir=ROOT / "demos/examples",
    )


def run(code: str):
    with capture() as events:
        outcome = asyncio.run(run_demo(code))
    return outcome, events


def text_of(events) -> str:
    return repr(events)


DEMOS = demos()


def test_the_page_has_its_hands_on_demos():
    assert [d.title for d in DEMOS] == [
        "Summarize the sample flow logs",
        "Query the rejected SSH attempts",
        "Set the flow logs beside the reachability findings",
        "Summarize your own flow logs",
    ]
    assert all("flow_logs" in d.packages for d in DEMOS)


@pytest.mark.parametrize("demo", DEMOS, ids=[d.title for d in DEMOS])
def test_demo_runs_and_is_deterministic(demo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no flows.log here: the sample is read
    outcome, events = run(demo.code)
    assert outcome["status"] == "ok", outcome.get("traceback")
    assert any("display" in e for e in events), "the demo shows nothing"
    again, events_again = run(demo.code)
    assert again["status"] == "ok"
    assert events_again == events


def by_title(title):
    (demo,) = [d for d in DEMOS if d.title == title]
    return demo


def test_summary_demo_shows_the_scan(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _, events = run(by_title("Summarize the sample flow logs").code)
    assert "192.0.2.66" in text_of(events)


def test_observe_demo_shows_the_bastion_and_the_alb_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _, events = run(by_title("Set the flow logs beside the reachability findings").code)
    text = text_of(events)
    assert "eni-bastion" in text
    assert "eni-app" in text


def test_own_file_demo_reads_a_picked_gzip_file_and_names_bad_lines(tmp_path, monkeypatch):
    import gzip

    monkeypatch.chdir(tmp_path)
    code = by_title("Summarize your own flow logs").code
    good = "version interface-id srcaddr dstaddr dstport action log-status\n" + (
        "2 eni-9 198.51.100.1 10.0.0.1 22 REJECT OK\n" * 3
    )
    (tmp_path / "flows.log").write_bytes(gzip.compress(good.encode()))
    outcome, events = run(code)
    assert outcome["status"] == "ok"
    assert "3 records" in text_of(events)
    (tmp_path / "flows.log").write_text(good + "2 eni-9 198.51.100.1 10.0.0.1 ssh REJECT OK\n")
    outcome, events = run(code)
    assert outcome["status"] == "ok"
    assert "flows.log:5: field 'dstport': 'ssh' is not a number" in text_of(events)


def test_the_site_wheel_carries_the_samples_and_no_browser_imports(tmp_path):
    import zipfile

    from sitekit.wheels import build_demo_wheel

    wheel = build_demo_wheel(ROOT / "demos/flow_logs", tmp_path)
    names = set(zipfile.ZipFile(wheel.path).namelist())
    for sample in ("shop.log.gz", "shop-cloudwatch.json", "shop-findings.json"):
        assert f"flow_logs/data/{sample}" in names
    for name in names:
        if name.endswith(".py"):
            source = zipfile.ZipFile(wheel.path).read(name).decode()
            lines = [line.strip() for line in source.splitlines()]
            assert not any(line in ("import js", "import pyodide") for line in lines), name
            assert not any(line.startswith(("from js ", "from pyodide")) for line in lines), name
