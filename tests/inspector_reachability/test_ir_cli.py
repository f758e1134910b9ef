"""The command line, run as users run it: `.venv/bin/python -m inspector_reachability`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "demos" / "inspector_reachability" / "data"
PYTHON = ROOT / ".venv" / "bin" / "python"


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


def test_json_output_has_the_documented_shape():
    run = cli(
        "analyze",
        DATA / "sample-bastion.json",
        "--agents",
        DATA / "sample-bastion.agents.json",
        "--format",
        "json",
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert list(out) == ["findings"]
    ssh = [f for f in out["findings"] if f["port"] == 22]
    assert [(f["type"], f["severity"], f["portGroupName"]) for f in ssh] == [
        ("RecognizedPortWithListener", "Medium", "SSH")
    ]


def test_table_output_ends_with_a_summary_line():
    run = cli("analyze", DATA / "sample-vpn.json")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert lines[0].split()[:3] == ["SEVERITY", "TYPE", "REACHABILITY"]
    assert lines[-1] == "6 findings on 1 instance (4 Medium, 2 Informational)"


def test_why_not_in_json():
    run = cli("analyze", DATA / "sample-nacl-blocked.json", "--format", "json", "--why-not")
    assert run.returncode == 0, run.stderr
    reasons = sorted(w["reason"] for w in json.loads(run.stdout)["whyNot"])
    assert reasons == ["nacl-inbound-deny", "nacl-return-denied"]


def _one_line_error(run):
    assert run.returncode == 2
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    return lines[0]


def test_a_bad_cidr_names_its_json_path(tmp_path):
    snap = json.loads((DATA / "sample-bastion.json").read_text())
    snap["SecurityGroups"][0]["IpPermissions"][0]["IpRanges"][0]["CidrIp"] = "10.0.0.0/33"
    path = tmp_path / "snap.json"
    path.write_text(json.dumps(snap))
    line = _one_line_error(cli("analyze", path))
    assert (
        line == "SecurityGroups[0].IpPermissions[0].IpRanges[0].CidrIp: '10.0.0.0/33' is not a CIDR"
    )


def test_invalid_json_gives_file_line_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "Vpcs": [\n    {"VpcId": "vpc-1",}\n  ]\n}\n')
    line = _one_line_error(cli("analyze", path))
    assert line.startswith(f"{path}:3:23: invalid JSON")


def test_a_missing_file_is_named(tmp_path):
    line = _one_line_error(cli("analyze", tmp_path / "nope.json"))
    assert line == f"{tmp_path / 'nope.json'}: no such snapshot file"


def test_a_bad_agents_file_names_its_path(tmp_path):
    path = tmp_path / "agents.json"
    path.write_text(
        json.dumps({"Agents": {"i-1": {"listening": [{"protocol": "tcp", "port": "22"}]}}})
    )
    line = _one_line_error(cli("analyze", DATA / "sample-vpn.json", "--agents", path))
    assert line.startswith("Agents.i-1.listening[0].port: ")


@pytest.mark.parametrize(
    "args", [[], ["analyze"], ["analyze", "x.json", "--format", "xml"], ["frobnicate"]]
)
def test_usage_errors_are_one_line_and_exit_2(args):
    _one_line_error(cli(*args))


def test_help_exits_0():
    run = cli("analyze", "--help")
    assert run.returncode == 0
    assert "--agents" in run.stdout
    assert "--why-not" in run.stdout
