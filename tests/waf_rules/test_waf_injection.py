"""The SQLi and XSS approximation on the package's corpus
(data/injection-corpus.json). AWS does not publish its detection
(https://docs.aws.amazon.com/waf/latest/APIReference/API_SqliMatchStatement.html,
https://docs.aws.amazon.com/waf/latest/APIReference/API_XssMatchStatement.html),
so these are floors for the approximation, not AWS's numbers."""

from __future__ import annotations

import json
from importlib import resources

from waf_rules import is_sqli, is_xss

ENTRIES = json.loads(
    resources.files("waf_rules").joinpath("data/injection-corpus.json").read_text("utf-8")
)["entries"]
DETECT = {"sqli": is_sqli, "xss": is_xss}


def test_every_entry_names_its_source():
    for e in ENTRIES:
        assert e["kind"] in ("sqli", "xss", "benign")
        assert e["source"].startswith("https://") or e["source"].startswith(
            "written for this corpus"
        )


def _rates(held_out):
    part = [e for e in ENTRIES if bool(e.get("heldOut")) is held_out]
    benign = [e["text"] for e in part if e["kind"] == "benign"]
    out = {}
    for kind, detect in DETECT.items():
        attacks = [e["text"] for e in part if e["kind"] == kind]
        out[kind] = (
            sum(map(detect, attacks)) / len(attacks),
            sum(map(detect, benign)) / len(benign),
        )
    return out


def test_held_out_detection_and_false_positive_floors():
    for kind, (detected, false_pos) in _rates(held_out=True).items():
        assert detected >= 0.8, kind
        assert false_pos <= 0.2, kind


def test_classic_cases_either_way():
    assert is_sqli("1' OR '1'='1")
    assert is_xss("<script>alert(1)</script>")
    assert not is_sqli("O'Reilly")
    assert not is_xss("5 < 6 and 7 > 2")
