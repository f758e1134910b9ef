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


# -- every way a file can fail to be JSON (issue 11, "Bad input") -------------
# CPython's default int-to-string limit (sys.int_info.default_max_str_digits):
# json.loads raises a plain ValueError, with no position, past it.
DIGITS = 4300


def test_an_integer_past_pythons_digit_limit_is_located(tmp_path):
    path = tmp_path / "snap.json"
    number = "9" * (DIGITS + 1)
    path.write_text('{\n  "Vpcs": [\n    {"VpcId": "vpc-1", "X": ' + number + "}\n  ]\n}\n")
    line = _one_line_error(cli("analyze", path))
    column = len('    {"VpcId": "vpc-1", "X": ') + 1
    assert line.startswith(f"{path}:3:{column}: ")
    assert f"{DIGITS + 1:,} digits" in line


def test_the_same_in_the_agents_file(tmp_path):
    path = tmp_path / "agents.json"
    before = '{"Agents": {"i-1": {"listening": ['
    path.write_text(before + "1" * 5000 + "]}}}")
    line = _one_line_error(cli("analyze", DATA / "sample-vpn.json", "--agents", path))
    assert line.startswith(f"{path}:1:{len(before) + 1}: ")


def test_digits_inside_a_string_are_not_the_number_named(tmp_path):
    path = tmp_path / "snap.json"
    long_string = '"' + "7" * 5000 + '"'
    path.write_text('{"Tags": ' + long_string + ',\n"X": ' + "8" * 4400 + "}")
    line = _one_line_error(cli("analyze", path))
    assert line.startswith(f"{path}:2:6: ")
    assert "4,400 digits" in line


def test_text_that_is_not_utf8_names_the_byte(tmp_path):
    path = tmp_path / "snap.json"
    path.write_bytes(b'{"Vpcs": ["\xff"]}')
    assert _one_line_error(cli("analyze", path)) == f"{path}: not UTF-8 text (byte 11)"


def test_json_nested_past_the_recursion_limit(tmp_path):
    path = tmp_path / "snap.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    assert _one_line_error(cli("analyze", path)) == f"{path}: invalid JSON: nested too deeply"
