"""The command line, run as users run it: ``python -m flow_logs``.

The names and JSON shapes are the issue's ("tests rely on these names").
"""

from __future__ import annotations

import gzip
import json

import pytest
from fl_support import DATA, DEFAULT_HEADER, cli, cli_json, write  # type: ignore[import-not-found]

SUMMARY_KEYS = [
    "records",
    "logStatus",
    "actions",
    "bytes",
    "packets",
    "topTalkers",
    "rejectedPorts",
    "interfaces",
    "suspectedScans",
    "notes",
]
SSH_IN = "2 111122223333 eni-1 198.51.100.7 10.0.1.10 50000 22 6 10 1000 100 160 ACCEPT OK"
SSH_OUT = "2 111122223333 eni-1 10.0.1.10 198.51.100.7 22 50000 6 8 4000 100 160 ACCEPT OK"
RDP = "2 111122223333 eni-1 198.51.100.9 10.0.1.10 50001 3389 6 1 60 120 180 REJECT OK"
NODATA = "2 111122223333 eni-2 - - - - - - - 100 160 - NODATA"


def test_summarize_json_shape(tmp_path):
    f = write(tmp_path, "a.log", SSH_IN, SSH_OUT, RDP, NODATA)
    out = cli_json("summarize", f, "--format", "json")
    assert list(out) == SUMMARY_KEYS
    assert out["records"] == 4
    assert out["logStatus"] == {"OK": 3, "NODATA": 1, "SKIPDATA": 0}
    assert out["actions"] == {"ACCEPT": 2, "REJECT": 1}
    assert out["bytes"] == 5060
    assert out["packets"] == 19
    assert out["topTalkers"][0] == {
        "srcaddr": "10.0.1.10",
        "dstaddr": "198.51.100.7",
        "bytes": 4000,
        "packets": 8,
        "records": 1,
    }
    assert out["rejectedPorts"] == [
        {"protocol": "tcp", "dstport": 3389, "records": 1, "sources": 1}
    ]
    assert out["interfaces"] == [{"interfaceId": "eni-1", "accept": 2, "reject": 1, "bytes": 5060}]
    assert out["suspectedScans"] == []
    assert all(isinstance(n, str) for n in out["notes"])


def test_summarize_several_files_and_the_table(tmp_path):
    a = write(tmp_path, "a.log", SSH_IN)
    b = tmp_path / "b.log.gz"
    b.write_bytes(gzip.compress(f"{DEFAULT_HEADER}\n{RDP}\n".encode()))
    out = cli_json("summarize", a, b, "--format", "json")
    assert out["records"] == 2
    run = cli("summarize", a, b)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("2 records (2 OK, 0 NODATA, 0 SKIPDATA)")


def test_summarize_scan_thresholds_are_options(tmp_path):
    lines = [
        f"2 1 eni-1 192.0.2.66 10.0.1.10 40000 {p} 6 1 60 {100 + p} {101 + p} REJECT OK"
        for p in range(1, 5)
    ]
    f = write(tmp_path, "a.log", *lines)
    assert cli_json("summarize", f, "--format", "json")["suspectedScans"] == []
    out = cli_json("summarize", f, "--format", "json", "--scan-ports", "4")
    assert [s["srcaddr"] for s in out["suspectedScans"]] == ["192.0.2.66"]
    run = cli("summarize", "--help")
    assert "default 10" in run.stdout
    assert "default 600" in run.stdout


def test_summarize_with_log_format(tmp_path):
    f = write(
        tmp_path,
        "cw.log",
        "eni-1 198.51.100.1 22 REJECT",
        "eni-1 198.51.100.2 22 REJECT",
        header=None,
    )
    out = cli_json(
        "summarize",
        f,
        "--format",
        "json",
        "--log-format",
        "${interface-id} ${srcaddr} ${dstport} ${action}",
    )
    assert out["actions"] == {"ACCEPT": 0, "REJECT": 2}
    assert out["rejectedPorts"] == [{"protocol": None, "dstport": 22, "records": 2, "sources": 2}]


def test_query_prints_json_lines_with_aws_names_and_typed_values(tmp_path):
    f = write(tmp_path, "a.log", SSH_IN, SSH_OUT, RDP, NODATA)
    run = cli("query", f, "--where", "dstport=22")
    assert run.returncode == 0, run.stderr
    lines = [json.loads(x) for x in run.stdout.splitlines()]
    assert lines == [
        {
            "version": 2,
            "account-id": "111122223333",
            "interface-id": "eni-1",
            "srcaddr": "198.51.100.7",
            "dstaddr": "10.0.1.10",
            "srcport": 50000,
            "dstport": 22,
            "protocol": 6,
            "packets": 10,
            "bytes": 1000,
            "start": 100,
            "end": 160,
            "action": "ACCEPT",
            "log-status": "OK",
        }
    ]


@pytest.mark.parametrize(
    ("expr", "dstports"),
    [
        ("dstport=22", [22]),
        ("dstport!=22", [50000, 3389]),
        ("dstport>1000", [50000, 3389]),
        ("dstport<1000", [22]),
        ("srcaddr in 198.51.100.0/24", [22, 3389]),
        ("srcaddr in 10.0.0.0/8", [50000]),
        ("dstport in 1024-65535", [50000, 3389]),
        ("action=REJECT or dstport=22", [22, 3389]),
        ("not action=REJECT and srcaddr in 198.51.100.0/24", [22]),
        ("not (action=REJECT or dstport=22)", [50000]),
        ("protocol=tcp and bytes>=1000", [22, 50000]),
        ("protocol=6 and bytes<=60", [3389]),
        ("log-status=NODATA", [None]),
    ],
)
def test_query_language(tmp_path, expr, dstports):
    f = write(tmp_path, "a.log", SSH_IN, SSH_OUT, RDP, NODATA)
    run = cli("query", f, "--where", expr)
    assert run.returncode == 0, run.stderr
    assert [json.loads(x)["dstport"] for x in run.stdout.splitlines()] == dstports


def test_query_help_documents_the_language():
    run = cli("query", "--help")
    for token in ("!=", " in ", "LOW-HIGH", "CIDR", "and", "or", "not"):
        assert token in run.stdout


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("dstport=", "--where: at column 9: expected a value, found the end"),
        ("bogus=1", "--where: at column 1: 'bogus' is not a flow log field"),
        ("action>1", "--where: at column 7: > compares numbers, and 'action' is not one"),
        ("dstport=ssh", "--where: at column 9: 'dstport' is a number, not 'ssh'"),
        ("srcaddr in 10.0.0.0/33", "--where: at column 12: '10.0.0.0/33' is not a CIDR block"),
        ("(dstport=22", "--where: at column 12: expected ')', found the end"),
        ("dstport=22 dstport=23", "--where: at column 12: unexpected 'dstport'"),
    ],
)
def test_query_bad_expression_is_one_line_exit_2(tmp_path, expr, message):
    f = write(tmp_path, "a.log", SSH_IN)
    run = cli("query", f, "--where", expr)
    assert run.returncode == 2
    assert run.stderr == message + "\n"
    assert run.stdout == ""


def test_bad_input_exit_2_one_line_with_file_line_field_value(tmp_path):
    f = write(tmp_path, "bad.log", SSH_IN, SSH_IN.replace(" 22 ", " twenty-two "))
    for args in (("summarize", f), ("query", f, "--where", "dstport=22")):
        run = cli(*args)
        assert run.returncode == 2
        assert run.stderr == f"{f}:3: field 'dstport': 'twenty-two' is not a number\n"
        assert "Traceback" not in run.stderr


def test_missing_file_and_bad_option_are_exit_2(tmp_path):
    run = cli("summarize", tmp_path / "nope.log")
    assert (run.returncode, run.stderr) == (2, f"{tmp_path / 'nope.log'}: no such file\n")
    run = cli("summarize", tmp_path, "--format", "json")
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1
    run = cli("summarize", "--format", "xml", "x")
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1
    run = cli("summarize", "x", "--log-format", "${nope}")
    assert (run.returncode, run.stderr) == (2, "--log-format: 'nope' is not a flow log field\n")


def test_observe_json_shape_and_counts(tmp_path):
    findings = tmp_path / "findings.json"
    findings.write_text(
        json.dumps(
            {
                "findings": [
                    {
                        "type": "RecognizedPortWithListener",
                        "protocol": "tcp",
                        "port": 22,
                        "portRanges": None,
                        "networkInterfaceId": "eni-1",
                    },
                    {
                        "type": "NetworkExposure",
                        "protocol": "tcp",
                        "port": None,
                        "portRanges": [[3000, 3999]],
                        "networkInterfaceId": "eni-1",
                    },
                    {
                        "type": "RecognizedPortNoListener",
                        "protocol": "tcp",
                        "port": 443,
                        "portRanges": None,
                        "networkInterfaceId": "eni-1",
                    },
                ]
            }
        )
    )
    f = write(
        tmp_path,
        "a.log",
        SSH_IN,
        SSH_OUT,
        RDP,
        "2 111122223333 eni-1 10.0.0.99 10.0.1.10 50002 22 6 1 60 50 70 ACCEPT OK",  # private source
        "2 111122223333 eni-1 203.0.113.5 10.0.1.10 50003 22 6 1 60 90 300 REJECT OK",
    )
    out = cli_json("observe", findings, f, "--format", "json")
    assert list(out) == ["observations", "unused", "rejectedFromInternet"]
    ssh, exposure, https = out["observations"]
    assert ssh == {
        "networkInterfaceId": "eni-1",
        "protocol": "tcp",
        "port": 22,
        "portRanges": [[22, 22]],
        "type": "RecognizedPortWithListener",
        "accepted": 1,
        "rejected": 1,
        "sourceAddresses": ["198.51.100.7", "203.0.113.5"],
        "firstSeen": 90,
        "lastSeen": 300,
    }
    assert (exposure["accepted"], exposure["rejected"], exposure["sourceAddresses"]) == (
        0,
        1,
        ["198.51.100.9"],
    )
    assert exposure["port"] is None
    assert exposure["portRanges"] == [[3000, 3999]]
    assert (https["accepted"], https["firstSeen"], https["lastSeen"]) == (0, None, None)
    assert out["unused"] == [{"networkInterfaceId": "eni-1", "protocol": "tcp", "port": 443}]
    assert out["rejectedFromInternet"] == [
        {"networkInterfaceId": "eni-1", "protocol": "tcp", "port": 22, "records": 1},
        {"networkInterfaceId": "eni-1", "protocol": "tcp", "port": 3389, "records": 1},
    ]


def test_observe_reads_inspector2_list_findings(tmp_path):
    # API_NetworkReachabilityDetails: protocol TCP|UDP, openPortRange begin/end,
    # networkPath steps with componentType AWS::EC2::NetworkInterface.
    # https://docs.aws.amazon.com/inspector/v2/APIReference/API_NetworkReachabilityDetails.html
    export = {
        "findings": [
            {"type": "PACKAGE_VULNERABILITY", "title": "CVE-0000-0000"},
            {
                "type": "NETWORK_REACHABILITY",
                "networkReachabilityDetails": {
                    "protocol": "TCP",
                    "openPortRange": {"begin": 22, "end": 22},
                    "networkPath": {
                        "steps": [
                            {"componentId": "igw-1", "componentType": "AWS::EC2::InternetGateway"},
                            {"componentId": "eni-1", "componentType": "AWS::EC2::NetworkInterface"},
                            {"componentId": "i-1", "componentType": "AWS::EC2::Instance"},
                        ]
                    },
                },
            },
        ]
    }
    findings = tmp_path / "export.json"
    findings.write_text(json.dumps(export))
    f = write(tmp_path, "a.log", SSH_IN, SSH_OUT)
    out = cli_json("observe", findings, f, "--format", "json")
    (obs,) = out["observations"]
    assert (obs["networkInterfaceId"], obs["protocol"], obs["port"], obs["type"]) == (
        "eni-1",
        "tcp",
        22,
        "NETWORK_REACHABILITY",
    )
    assert obs["accepted"] == 1


def test_observe_bad_findings_names_the_json_path(tmp_path):
    findings = tmp_path / "f.json"
    findings.write_text(
        json.dumps({"findings": [{"networkInterfaceId": "eni-1", "protocol": "icmp", "port": 1}]})
    )
    f = write(tmp_path, "a.log", SSH_IN)
    run = cli("observe", findings, f)
    assert (run.returncode, run.stderr) == (
        2,
        f'{findings}: findings[0].protocol: "icmp" is not TCP or UDP\n',
    )
    findings.write_text("{")
    run = cli("observe", findings, f)
    assert run.returncode == 2
    assert run.stderr.startswith(f"{findings}:1:2: not valid JSON")


def test_athena_prints_the_ddl_and_the_selects():
    run = cli(
        "athena",
        "--log-format",
        "${version} ${interface-id} ${srcaddr} ${end} ${log-status}",
        "--table",
        "flows",
        "--location",
        "s3://bucket/AWSLogs/",
    )
    assert run.returncode == 0, run.stderr
    # https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-partition-projection.html
    assert "CREATE EXTERNAL TABLE IF NOT EXISTS flows (" in run.stdout
    assert "  interface_id string,\n  srcaddr string,\n  `end` bigint," in run.stdout
    assert "PARTITIONED BY (accid string, region string, day string)" in run.stdout
    assert "FIELDS TERMINATED BY ' '" in run.stdout
    assert '"skip.header.line.count" = "1"' in run.stdout
    assert '"projection.enabled" = "true"' in run.stdout
    assert '"projection.day.format" = "yyyy/MM/dd"' in run.stdout
    assert (
        '"storage.location.template" = "s3://bucket/AWSLogs/${accid}/vpcflowlogs/${region}/${day}"'
        in run.stdout
    )
    assert run.stdout.count("SELECT") >= 5
    run = cli("athena")
    assert run.returncode == 2
    assert "--log-format" in run.stderr


def test_sample_cli_runs(tmp_path):
    out = cli_json("summarize", DATA / "shop.log.gz", "--format", "json")
    assert out["records"] > 0
