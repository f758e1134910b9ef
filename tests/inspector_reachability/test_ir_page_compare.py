"""The page's "Compare with an Inspector export" demo, run here in CPython as
the worker runs it: the default (the web-alb sample against a made-up
export), a reader's list-findings file, a pasted export, and bad input shown
as one line of error output."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from livedemo import capture, run_demo
from sitekit.fence import check_page

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs/detection/network-reachability.md"
DATA = ROOT / "demos/inspector_reachability/data"
EXPORT = Path(__file__).parent / "fixtures" / "list-findings-web-alb.json"
TITLE = "Compare with an Inspector export"


def demo_code() -> str:
    demos = check_page(
        PAGE.read_text(encoding="utf-8"),
        PAGE.name,
        known_packages=frozenset({"livedemo", "kms_envelope", "inspector_reachability"}),
        examples_dir=ROOT / "demos/examples",
    )
    (code,) = [d.code for d in demos if d.title == TITLE]
    return code


def run(code: str | None = None) -> list[dict]:
    with capture() as events:
        outcome = asyncio.run(run_demo(code or demo_code()))
    assert outcome["status"] == "ok", outcome["traceback"]
    return events


def texts(events: list[dict]) -> list[str]:
    return [e["display"]["text"] for e in events if e.get("display", {}).get("kind") == "text"]


def rows(events: list[dict]) -> list[tuple[str, ...]]:
    (table,) = [e["display"] for e in events if e.get("display", {}).get("kind") == "table"]
    return [tuple(str(cell["text"]) for cell in row[:4]) for row in table["rows"]]


def stderr(events: list[dict]) -> list[str]:
    return "".join(e["text"] for e in events if e.get("stream") == "stderr").splitlines()


def test_without_files_the_sample_meets_a_made_up_export(tmp_path, monkeypatch):
    # The page says: one range widened, one finding dropped, one added.
    monkeypatch.chdir(tmp_path)
    events = run()
    assert stderr(events) == []
    (line,) = texts(events)
    assert line.startswith("the bundled web-alb sample against a made-up export: ")
    assert "1 agree, 2 only Inspector, 1 only engine" in line
    kinds = sorted(r[0] for r in rows(events))
    assert kinds == ["agree", "only Inspector", "only Inspector", "only engine"]


def test_a_readers_export_is_compared_with_the_sample(tmp_path, monkeypatch):
    (tmp_path / "findings.json").write_bytes(EXPORT.read_bytes())
    monkeypatch.chdir(tmp_path)
    events = run()
    (line,) = texts(events)
    assert "1 agree, 4 only Inspector, 1 only engine" in line
    assert line.endswith("skipped 1 findings of other types and 1 CLOSED")
    assert ("only engine", "eni-0a11000000000web2", "TCP", "8080-8080") in rows(events)


def test_a_pasted_export_is_read_like_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pasted = json.dumps(json.loads(EXPORT.read_text())).replace("\\", "\\\\")
    code = demo_code().replace('PASTED = """\n"""', f'PASTED = """{pasted}"""')
    assert code != demo_code()
    (line,) = texts(run(code))
    assert "against PASTED: 1 agree, 4 only Inspector, 1 only engine" in line


def test_a_readers_snapshot_alone_agrees_with_itself(tmp_path, monkeypatch):
    (tmp_path / "snapshot.json").write_bytes((DATA / "sample-vpn.json").read_bytes())
    monkeypatch.chdir(tmp_path)
    (line,) = texts(run())
    assert line.startswith(
        "your snapshot against its own inspector2 output: 3 agree, 0 only Inspector, 0 only engine"
    )


def test_a_malformed_export_is_one_line_naming_the_json_path(tmp_path, monkeypatch):
    data = json.loads(EXPORT.read_text())
    data[0]["findings"][1]["networkReachabilityDetails"]["protocol"] = "ICMP"
    (tmp_path / "findings.json").write_text(json.dumps(data))
    monkeypatch.chdir(tmp_path)
    events = run()
    assert stderr(events) == [
        "findings.json: [0].findings[1].networkReachabilityDetails.protocol: "
        "expected TCP or UDP, not 'ICMP'"
    ]
    assert [e for e in events if "display" in e] == []


def test_an_export_that_is_not_json_names_line_and_column(tmp_path, monkeypatch):
    (tmp_path / "findings.json").write_text('{"findings": [\n  oops\n]}')
    monkeypatch.chdir(tmp_path)
    (line,) = stderr(run())
    assert line.startswith("findings.json:2:3: invalid JSON")
