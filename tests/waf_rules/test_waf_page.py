"""What a reader of docs/network/waf.md sees: each demo runs (here in CPython,
as the worker runs it) and shows what the rules it builds decide."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from livedemo import capture, run_demo
from sitekit.fence import check_page

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs/network/waf.md"
PACKAGES = frozenset({"livedemo", "kms_envelope", "inspector_reachability", "waf_rules"})


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


def tables(events):
    return [e["display"] for e in events if e.get("display", {}).get("kind") == "table"]


def column(table, name):
    i = table["columns"].index(name)
    return [row[i]["text"] for row in table["rows"]]


def test_the_first_demo_shows_what_each_rule_decides():
    events = run_page_demo("Evaluate a web ACL against six requests")
    (table,) = tables(events)
    actions = [a.split()[0] for a in column(table, "action")]
    # By the page's rules: / is allowed; 198.51.100.7 is in the bad IP set; /Admin
    # (lowercased) from outside the office is blocked by the label rule; /admin from
    # 192.0.2.3 (office) is allowed; the SQLi query is blocked; the 11 /login
    # requests within 60 s: 10 allowed, the 11th over the limit of 10 blocked.
    assert actions == ["ALLOW", "BLOCK", "BLOCK", "ALLOW", "BLOCK"] + ["ALLOW"] * 10 + ["BLOCK"]
    assert column(table, "terminating rule")[2] == "admin-from-office"
    diagrams = [e["display"] for e in events if e.get("display", {}).get("kind") == "mermaid"]
    assert len(diagrams) == 1
    assert "tag-admin" in diagrams[0]["source"]


def test_the_diff_demo_lists_the_php_paths():
    events = run_page_demo("Diff two versions of a web ACL")
    (table,) = tables(events)
    # a case-insensitive \.php$ after LOWERCASE: /index.php and /INFO.PHP, not /blog/php-tips
    assert column(table, "uri") == ["/index.php", "/INFO.PHP"]


def test_the_own_file_demo_runs_the_sample_without_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    events = run_page_demo("Evaluate your own web ACL")
    assert any("19 requests" in str(e.get("display", {}).get("text", "")) for e in events)


def test_the_own_file_demo_names_a_bad_log_line(tmp_path, monkeypatch):
    acl = {"Name": "a", "DefaultAction": {"Allow": {}}, "Rules": []}
    (tmp_path / "webacl.json").write_text(json.dumps({"WebACL": acl}))
    (tmp_path / "waf.log").write_text(
        '{"httpRequest": {"clientIp": "192.0.2.1"}}\n{"httpRequest": 7}\n'
    )
    monkeypatch.chdir(tmp_path)
    events = run_page_demo("Evaluate your own web ACL")
    errors = "".join(e["text"] for e in events if e.get("stream") == "stderr").splitlines()
    assert len(errors) == 1, errors
    assert errors[0].startswith("waf.log:2: httpRequest")
