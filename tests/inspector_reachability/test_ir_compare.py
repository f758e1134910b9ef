"""``compare``: a real ``aws inspector2 list-findings`` export against the engine.

The export's shape is the API reference's: ListFindings returns
``{"findings": [...], "nextToken"}``
(https://docs.aws.amazon.com/inspector/v2/APIReference/API_ListFindings.html),
each finding as on https://docs.aws.amazon.com/inspector/v2/APIReference/API_Finding.html,
the ENI as the ``AWS::EC2::NetworkInterface`` step of its path
(https://docs.aws.amazon.com/inspector/v2/APIReference/API_Step.html and the
example on https://docs.aws.amazon.com/inspector/latest/user/eventbridge-integration.html).
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from inspector_reachability import (
    SnapshotError,
    analyze,
    compare,
    load_sample,
    read_export,
    sample_names,
    to_inspector2,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "demos" / "inspector_reachability" / "data"
EXPORT = Path(__file__).parent / "fixtures" / "list-findings-web-alb.json"
PYTHON = ROOT / ".venv" / "bin" / "python"

WEB1, WEB2, OLD = "eni-0a11000000000web1", "eni-0a11000000000web2", "eni-0a110000000000old"


def item(eni, protocol, begin, end, why=None):
    return {
        "networkInterfaceId": eni,
        "protocol": protocol,
        "openPortRange": {"begin": begin, "end": end},
        "whyNot": why,
    }


def nr(eni="eni-1", protocol="TCP", begin=22, end=22):
    """A NETWORK_REACHABILITY finding with only the fields compare reads."""
    return {
        "type": "NETWORK_REACHABILITY",
        "status": "ACTIVE",
        "networkReachabilityDetails": {
            "protocol": protocol,
            "openPortRange": {"begin": begin, "end": end},
            "networkPath": {
                "steps": [
                    {"componentId": "igw-1", "componentType": "AWS::EC2::InternetGateway"},
                    {"componentId": eni, "componentType": "AWS::EC2::NetworkInterface"},
                    {"componentId": "i-1", "componentType": "AWS::EC2::Instance"},
                ]
            },
        },
    }


# ---- round trip ------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(sample_names()))
def test_the_engines_own_inspector2_output_agrees_everywhere(name):
    snapshot, agents = load_sample(name)
    result = analyze(snapshot, agents, why_not=True)
    out = compare(result, to_inspector2(result, snapshot)).to_dict()
    assert out["onlyInspector"] == []
    assert out["onlyEngine"] == []
    assert out["agree"]
    assert all(i["whyNot"] is None for i in out["agree"])


def test_the_round_trip_survives_json_and_pages():
    snapshot, agents = load_sample("vpn")
    result = analyze(snapshot, agents, why_not=True)
    findings = json.loads(json.dumps(to_inspector2(result, snapshot)))["findings"]
    pages = [{"findings": findings[:1], "nextToken": "t"}, {"findings": findings[1:]}]
    out = compare(result, pages).to_dict()
    # vpn: SMB 445 and RDP 3389 over TCP, NetBIOS 137-138 over UDP, all from the VGW.
    assert out["agree"] == [
        item("eni-0d440000000file01", "TCP", 445, 445),
        item("eni-0d440000000file01", "TCP", 3389, 3389),
        item("eni-0d440000000file01", "UDP", 137, 138),
    ]
    assert out["onlyInspector"] == out["onlyEngine"] == []


# ---- a hand-written export that disagrees in known ways -----------------------


def _why(port):
    # The web-alb sample's old instance is stopped, and its SG opens 22 and 3389.
    return {
        "reason": "instance-not-running",
        "networkInterfaceId": OLD,
        "protocol": "tcp",
        "portRanges": [[port, port]],
    }


def _short(items):
    keep = ("reason", "networkInterfaceId", "protocol", "portRanges")
    return [
        {
            **i,
            "whyNot": None
            if i["whyNot"] is None
            else [{k: w[k] for k in keep} for w in i["whyNot"]],
        }
        for i in items
    ]


def test_a_hand_written_export_splits_as_expected():
    snapshot, agents = load_sample("web-alb")
    result = analyze(snapshot, agents, why_not=True)
    cmp = compare(result, json.loads(EXPORT.read_text()), source="list.json")
    out = cmp.to_dict()
    # Inspector's 8080-8081 on web1 against the engine's 8080 (the ALB's target port).
    assert out["agree"] == [item(WEB1, "TCP", 8080, 8080)]
    assert _short(out["onlyInspector"]) == [
        item(OLD, "TCP", 22, 22, [_why(22)]),
        item(OLD, "TCP", 3380, 3390, [_why(3389)]),
        item(WEB1, "TCP", 8081, 8081),
        item(WEB1, "UDP", 8080, 8080),
    ]
    # web2 behind the same ALB: Inspector's only web2 finding is CLOSED.
    assert out["onlyEngine"] == [item(WEB2, "TCP", 8080, 8080)]
    assert (cmp.ignored_type, cmp.ignored_closed) == (1, 1)


def test_overlapping_ranges_split_into_the_intersection_and_the_remainders():
    # The module's documented example: Inspector 22-25, engine 20-22 (the
    # engine side given as its public JSON shape, by hand).
    engine = {
        "findings": [
            {
                "protocol": "tcp",
                "networkInterfaceId": "eni-1",
                "port": None,
                "portRanges": [[20, 22]],
            }
        ]
    }
    out = compare(engine, {"findings": [nr(begin=22, end=25)]}).to_dict()
    assert out["agree"] == [item("eni-1", "TCP", 22, 22)]
    assert out["onlyInspector"] == [item("eni-1", "TCP", 23, 25)]
    assert out["onlyEngine"] == [item("eni-1", "TCP", 20, 21)]


def test_inspectors_overlapping_findings_are_merged_first():
    engine: dict[str, list[dict]] = {"findings": []}
    export = {"findings": [nr(begin=10, end=20), nr(begin=15, end=30), nr(begin=31, end=31)]}
    assert compare(engine, export).to_dict()["onlyInspector"] == [item("eni-1", "TCP", 10, 31)]


def test_the_eni_is_the_network_interface_step_nearest_the_instance():
    finding = nr()
    steps = finding["networkReachabilityDetails"]["networkPath"]["steps"]
    steps.insert(1, {"componentId": "eni-lb", "componentType": "AWS::EC2::NetworkInterface"})
    assert set(read_export({"findings": [finding]}).ranges) == {("eni-1", "TCP")}


# ---- bad exports: the JSON path of the bad value ------------------------------


def _mutate(fn):
    data = {"findings": [nr(), nr()]}
    fn(data)
    return data


BAD = [
    (
        lambda d: d["findings"][1]["networkReachabilityDetails"]["openPortRange"].update(
            begin="22"
        ),
        "x.json: findings[1].networkReachabilityDetails.openPortRange.begin: expected an integer",
    ),
    (
        lambda d: d["findings"][0]["networkReachabilityDetails"]["openPortRange"].update(end=True),
        "x.json: findings[0].networkReachabilityDetails.openPortRange.end: expected an integer",
    ),
    (
        lambda d: d["findings"][0]["networkReachabilityDetails"]["openPortRange"].update(end=70000),
        "x.json: findings[0].networkReachabilityDetails.openPortRange.end: 70000 is not a port (0-65535)",
    ),
    (
        lambda d: d["findings"][0]["networkReachabilityDetails"]["openPortRange"].update(begin=30),
        "x.json: findings[0].networkReachabilityDetails.openPortRange: begin 30 is after end 22",
    ),
    (
        lambda d: d["findings"][0]["networkReachabilityDetails"].update(protocol="ICMP"),
        "x.json: findings[0].networkReachabilityDetails.protocol: expected TCP or UDP, not 'ICMP'",
    ),
    (
        lambda d: d["findings"][0]["networkReachabilityDetails"]["openPortRange"].update(end=None),
        "x.json: findings[0].networkReachabilityDetails.openPortRange.end: "
        "expected an integer, not null",
    ),
    (
        lambda d: d["findings"][0]["networkReachabilityDetails"].pop("openPortRange"),
        "x.json: findings[0].networkReachabilityDetails.openPortRange: missing",
    ),
    (
        lambda d: d["findings"][0].pop("networkReachabilityDetails"),
        "x.json: findings[0].networkReachabilityDetails: missing",
    ),
    (
        lambda d: d["findings"][0]["networkReachabilityDetails"]["networkPath"]["steps"].pop(1),
        "x.json: findings[0].networkReachabilityDetails.networkPath.steps: "
        "no AWS::EC2::NetworkInterface step, so no ENI to compare",
    ),
    (
        lambda d: d["findings"][0].update(type=7),
        "x.json: findings[0].type: expected a string",
    ),
    (lambda d: d["findings"].append("x"), "x.json: findings[2]: expected an object"),
    (lambda d: d.update(findings={}), "x.json: findings: expected an array"),
    (lambda d: d.pop("findings"), 'x.json: findings: missing: expected {"findings": [...]}'),
]


@pytest.mark.parametrize(("mutate", "message"), BAD)
def test_a_malformed_export_names_the_json_path(mutate, message):
    with pytest.raises(SnapshotError) as err:
        read_export(_mutate(mutate), "x.json")
    assert str(err.value) == message


def test_a_bad_page_of_several_names_its_index():
    pages = [{"findings": [nr()]}, {"findings": [nr(begin="1")]}]
    with pytest.raises(SnapshotError) as err:
        read_export(pages, "x.json")
    assert str(err.value) == (
        "x.json: [1].findings[0].networkReachabilityDetails.openPortRange.begin: expected an integer"
    )


def test_a_non_network_finding_needs_nothing_else():
    export = read_export({"findings": [{"type": "CODE_VULNERABILITY"}, nr()]}, "x.json")
    assert export.ignored_type == 1
    assert export.ranges == {("eni-1", "TCP"): ((22, 22),)}


# ---- the command line ---------------------------------------------------------


def cli(*args, cwd=None):
    exe = str(PYTHON) if PYTHON.exists() else sys.executable
    return subprocess.run(
        [exe, "-m", "inspector_reachability", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=60,
        check=False,
    )


def _one_line_error(run):
    assert run.returncode == 2
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    return lines[0]


def test_cli_inspector2_format_prints_list_findings_shape():
    run = cli("analyze", DATA / "sample-vpn.json", "--format", "inspector2")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert list(out) == ["findings"]
    got = {
        (
            f["networkReachabilityDetails"]["protocol"],
            f["networkReachabilityDetails"]["openPortRange"]["begin"],
            f["networkReachabilityDetails"]["openPortRange"]["end"],
        )
        for f in out["findings"]
    }
    assert got == {("TCP", 445, 445), ("TCP", 3389, 3389), ("UDP", 137, 138)}


def test_cli_compare_round_trip_table(tmp_path):
    exported = cli("analyze", DATA / "sample-bastion.json", "--format", "inspector2")
    (tmp_path / "findings.json").write_text(exported.stdout)
    run = cli("compare", DATA / "sample-bastion.json", tmp_path / "findings.json")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert lines[0].split()[:2] == ["RESULT", "ENI"]
    assert lines[1].split() == ["agree", "eni-0b2200000000bast1", "TCP", "22", "reachable"]
    assert lines[-1] == (
        "1 agree, 0 only Inspector, 0 only engine; "
        "ignored 0 findings not NETWORK_REACHABILITY and 0 CLOSED"
    )


def test_cli_compare_json_with_agents():
    run = cli(
        "compare",
        DATA / "sample-web-alb.json",
        EXPORT,
        "--agents",
        DATA / "sample-web-alb.agents.json",
        "--format",
        "json",
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert list(out) == ["agree", "onlyInspector", "onlyEngine"]
    assert out["onlyEngine"] == [item(WEB2, "TCP", 8080, 8080)]
    assert len(out["onlyInspector"]) == 4


def test_cli_compare_table_says_how_many_were_ignored():
    run = cli("compare", DATA / "sample-web-alb.json", EXPORT)
    assert run.returncode == 0, run.stderr
    assert (
        run.stdout.strip()
        .splitlines()[-1]
        .endswith("ignored 1 finding not NETWORK_REACHABILITY and 1 CLOSED")
    )


def test_cli_compare_a_malformed_findings_file(tmp_path):
    data = json.loads(EXPORT.read_text())
    bad = copy.deepcopy(data)
    bad[1]["findings"][0]["networkReachabilityDetails"]["openPortRange"]["begin"] = "3380"
    (tmp_path / "findings.json").write_text(json.dumps(bad))
    run = cli("compare", DATA / "sample-web-alb.json", "findings.json", cwd=tmp_path)
    assert _one_line_error(run) == (
        "findings.json: [1].findings[0].networkReachabilityDetails.openPortRange.begin: "
        "expected an integer"
    )


def test_cli_compare_findings_that_are_not_json(tmp_path):
    (tmp_path / "findings.json").write_text('{"findings": [\n  {"type": }\n]}')
    run = cli("compare", DATA / "sample-web-alb.json", "findings.json", cwd=tmp_path)
    assert _one_line_error(run).startswith("findings.json:2:")


def test_cli_compare_a_missing_findings_file(tmp_path):
    run = cli("compare", DATA / "sample-web-alb.json", tmp_path / "nope.json")
    assert _one_line_error(run) == f"{tmp_path / 'nope.json'}: no such findings file"


def test_cli_compare_a_file_that_is_not_an_export(tmp_path):
    (tmp_path / "findings.json").write_text("42")
    run = cli("compare", DATA / "sample-web-alb.json", "findings.json", cwd=tmp_path)
    assert _one_line_error(run) == (
        'findings.json: expected a list-findings export: {"findings": [...]}'
    )


def test_cli_compare_needs_both_files():
    line = _one_line_error(cli("compare", DATA / "sample-web-alb.json"))
    assert "FINDINGS" in line
