"""The CLI: ``evaluate`` and ``diff`` with the JSON the issue specifies; exit 2
with one line on stderr for bad input, never a traceback."""

from __future__ import annotations

import json

import pytest
from waf_build import byte_match, ip_set, record, rule, web_acl  # type: ignore[import-not-found]
from waf_rules.cli import main


@pytest.fixture
def files(tmp_path):
    s = ip_set("bad", ["198.51.100.0/24"])
    old = web_acl(rule("bad-ips", 0, {"IPSetReferenceStatement": {"ARN": s["IPSet"]["ARN"]}}))
    new = web_acl(
        rule("bad-ips", 0, {"IPSetReferenceStatement": {"ARN": s["IPSet"]["ARN"]}}),
        rule("no-admin", 1, byte_match("/admin", constraint="STARTS_WITH")),
    )
    recs = [
        record(uri="/"),
        record(ip="198.51.100.4"),
        record(uri="/admin/x"),
        record(uri="/admin"),
    ]
    paths = {}
    for name, doc in (("old.json", old), ("new.json", new), ("res.json", s)):
        (tmp_path / name).write_text(json.dumps(doc))
        paths[name] = str(tmp_path / name)
    (tmp_path / "log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs))
    paths["log"] = str(tmp_path / "log.jsonl")
    return paths


def test_evaluate_json(files, capsys):
    code = main(
        [
            "evaluate",
            files["new.json"],
            files["log"],
            "--resources",
            files["res.json"],
            "--format",
            "json",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [r["index"] for r in out["results"]] == [0, 1, 2, 3]
    assert [r["action"] for r in out["results"]] == ["ALLOW", "BLOCK", "BLOCK", "BLOCK"]
    assert [r["terminatingRuleId"] for r in out["results"]] == [
        "Default_Action",
        "bad-ips",
        "no-admin",
        "no-admin",
    ]
    for r in out["results"]:
        assert {
            "index",
            "action",
            "terminatingRuleId",
            "terminatingRuleType",
            "labels",
            "nonTerminatingMatchingRules",
            "ruleGroupList",
            "skipped",
        } <= set(r)
    assert out["summary"]["requests"] == 4
    assert out["summary"]["actions"]["ALLOW"] == 1
    assert out["summary"]["actions"]["BLOCK"] == 3
    assert out["summary"]["terminatingRules"] == {"no-admin": 2, "bad-ips": 1, "Default_Action": 1}


def test_evaluate_table(files, capsys):
    assert (
        main(["evaluate", files["new.json"], files["log"], "--resources", files["res.json"]]) == 0
    )
    out = capsys.readouterr().out
    assert "no-admin" in out
    assert "4 requests" in out


def test_diff_json(files, capsys):
    code = main(
        [
            "diff",
            files["old.json"],
            files["new.json"],
            files["log"],
            "--resources",
            files["res.json"],
            "--format",
            "json",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [c["index"] for c in out["changes"]] == [2, 3]
    assert out["changes"][0]["old"]["action"] == "ALLOW"
    assert out["changes"][0]["new"]["terminatingRuleId"] == "no-admin"
    assert out["transitions"] == {"ALLOW->BLOCK": 2}


def test_diff_table(files, capsys):
    assert (
        main(
            [
                "diff",
                files["old.json"],
                files["new.json"],
                files["log"],
                "--resources",
                files["res.json"],
            ]
        )
        == 0
    )
    assert "ALLOW->BLOCK 2" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (["evaluate", "NEW", "LOG"], "IPSetReferenceStatement.ARN"),  # the resource is missing
        (["evaluate", "missing.json", "LOG"], "missing.json"),
        (["evaluate", "NEW", "BADLOG", "--resources", "RES"], "bad.jsonl:2"),
        (["evaluate", "BADACL", "LOG"], "bad.json:1:"),
        (["evaluate"], "python -m waf_rules"),
    ],
)
def test_bad_input_is_exit_2_and_one_line(files, tmp_path, capsys, args, where):
    (tmp_path / "bad.jsonl").write_text(json.dumps(record()) + "\n[1]\n")
    (tmp_path / "bad.json").write_text("{oops")
    names = {
        "NEW": files["new.json"],
        "LOG": files["log"],
        "RES": files["res.json"],
        "BADLOG": str(tmp_path / "bad.jsonl"),
        "BADACL": str(tmp_path / "bad.json"),
    }
    code = main([names.get(a, a) for a in args])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert where in err
    assert "Traceback" not in err


def _write(tmp_path, name, doc):
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return str(path)


def test_search_strings_text_reads_a_hand_written_acl(tmp_path, capsys):
    st = {
        "ByteMatchStatement": {
            "SearchString": "test",
            "FieldToMatch": {"UriPath": {}},
            "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
            "PositionalConstraint": "CONTAINS",
        }
    }
    acl = _write(tmp_path, "acl.json", web_acl(rule("t", 0, st)))
    log = _write(tmp_path, "log", json.dumps(record(uri="/test")) + "\n")
    assert main(["evaluate", acl, log, "--format", "json"]) == 0
    assert (
        json.loads(capsys.readouterr().out)["results"][0]["action"] == "ALLOW"
    )  # "test" read as base64
    assert main(["evaluate", acl, log, "--format", "json", "--search-strings", "text"]) == 0
    assert json.loads(capsys.readouterr().out)["results"][0]["action"] == "BLOCK"


def test_resource_type_and_body_limit_set_the_inspected_body(tmp_path, capsys):
    # ALB: 8 KB fixed; CloudFront: 16 KB by default (web-acl-setting-body-inspection-limit.html)
    acl = _write(
        tmp_path,
        "acl.json",
        web_acl(rule("b", 0, byte_match("EVIL", {"Body": {"OversizeHandling": "CONTINUE"}}))),
    )
    log = _write(tmp_path, "log", json.dumps(record(body="a" * 10000 + "EVIL")) + "\n")

    def action(*extra):
        assert main(["evaluate", acl, log, "--format", "json", *extra]) == 0
        return json.loads(capsys.readouterr().out)["results"][0]["action"]

    assert action() == "ALLOW"
    assert action("--resource-type", "CLOUDFRONT") == "BLOCK"
    assert action("--body-limit", "20000") == "BLOCK"
