"""Reading flow logs as AWS delivers them.

- S3 files: "Each file is compressed into a single Gzip file"
  (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html);
  the first line names the fields, which AWS's Athena tables skip with
  "skip.header.line.count"="1"
  (https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-create-table-statement.html).
- CloudWatch Logs: each event's message is one record:
  https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html and
  ``aws logs filter-log-events`` output:
  https://docs.aws.amazon.com/cli/latest/reference/logs/filter-log-events.html
- Formats and fields: https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
"""

from __future__ import annotations

import gzip
import json

import pytest
from flow_logs import (
    DEFAULT_FIELDS,
    FIELDS,
    FlowLogError,
    parse_log_format,
    read_bytes,
    read_file,
)

# The accepted SSH record of AWS's "Accepted and rejected traffic" example.
# https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html
SSH = (
    "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 "
    "20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"
)
RDP = (
    "2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 "
    "49761 3389 6 20 4249 1418530010 1418530070 REJECT OK"
)
HEADER = " ".join(DEFAULT_FIELDS)


def records(text: str | bytes, **kw):
    data = text.encode() if isinstance(text, str) else text
    return list(read_bytes(data, "t.log", **kw))


def test_default_format_is_the_fourteen_version_2_fields_in_order():
    # flow-log-records.html, "Default format": all version 2 fields, table order.
    assert (
        tuple(
            [
                "version",
                "account-id",
                "interface-id",
                "srcaddr",
                "dstaddr",
                "srcport",
                "dstport",
                "protocol",
                "packets",
                "bytes",
                "start",
                "end",
                "action",
                "log-status",
            ]
        )
        == DEFAULT_FIELDS
    )


def test_every_documented_field_is_known_with_its_version():
    # flow-log-records.html, "Available fields" (the Version column).
    expected = {
        "vpc-id": 3,
        "subnet-id": 3,
        "instance-id": 3,
        "tcp-flags": 3,
        "type": 3,
        "pkt-srcaddr": 3,
        "pkt-dstaddr": 3,
        "region": 4,
        "az-id": 4,
        "sublocation-type": 4,
        "sublocation-id": 4,
        "pkt-src-aws-service": 5,
        "pkt-dst-aws-service": 5,
        "flow-direction": 5,
        "traffic-path": 5,
        "ecs-cluster-arn": 7,
        "ecs-cluster-name": 7,
        "ecs-container-instance-arn": 7,
        "ecs-container-instance-id": 7,
        "ecs-container-id": 7,
        "ecs-second-container-id": 7,
        "ecs-service-name": 7,
        "ecs-task-definition-arn": 7,
        "ecs-task-arn": 7,
        "ecs-task-id": 7,
        "reject-reason": 8,
    }
    for name, version in expected.items():
        assert FIELDS[name].version == version, name


def test_a_record_of_the_default_format_without_header_has_typed_values():
    (r,) = records(SSH + "\n")
    assert r["srcaddr"] == "172.31.16.139"
    assert r["dstport"] == 22
    assert r["protocol"] == 6
    assert r["bytes"] == 4249
    assert r["start"] == 1418530010
    assert r["action"] == "ACCEPT"
    assert r["log-status"] == "OK"


def test_dash_means_no_value():
    # flow-log-records.html: a field that does not apply shows "-".
    # The NODATA example of flow-logs-records-examples.html.
    nodata = "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA"
    (r,) = records(nodata)
    assert r["srcaddr"] is None
    assert r["dstport"] is None
    assert r["action"] is None
    assert r["log-status"] == "NODATA"


def test_header_line_names_a_custom_format():
    text = "interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr\n" + (
        "eni-1235b8ca123456789 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5\n"
    )
    (r,) = records(text)
    assert r == {
        "interface-id": "eni-1235b8ca123456789",
        "srcaddr": "10.0.1.5",
        "dstaddr": "10.0.0.220",
        "pkt-srcaddr": "10.0.1.5",
        "pkt-dstaddr": "203.0.113.5",
    }


def test_log_format_in_aws_placeholder_syntax():
    fmt = "${version} ${vpc-id} ${srcaddr} ${dstport} ${tcp-flags}"
    assert parse_log_format(fmt) == ("version", "vpc-id", "srcaddr", "dstport", "tcp-flags")
    (r,) = records("3 vpc-abcdefab012345678 52.213.180.42 5001 18\n", log_format=fmt)
    assert r == {
        "version": 3,
        "vpc-id": "vpc-abcdefab012345678",
        "srcaddr": "52.213.180.42",
        "dstport": 5001,
        "tcp-flags": 18,
    }


def test_gzip_is_recognised_by_its_magic_bytes_not_its_name(tmp_path):
    path = tmp_path / "no-extension.txt"
    path.write_bytes(gzip.compress(f"{HEADER}\n{SSH}\n{RDP}\n".encode()))
    assert [r["action"] for r in read_file(str(path))] == ["ACCEPT", "REJECT"]
    named = tmp_path / "plain.log.gz"  # a .gz name on a plain file
    named.write_text(f"{HEADER}\n{SSH}\n")
    assert len(list(read_file(str(named)))) == 1


def test_concatenated_gzip_members_read_as_one_file():
    data = gzip.compress(f"{HEADER}\n{SSH}\n".encode()) + gzip.compress(
        f"{HEADER}\n{RDP}\n".encode()
    )
    assert [r["dstport"] for r in records(data)] == [22, 3389]


def test_cloudwatch_filter_log_events_json():
    doc = {
        "events": [
            {"logStreamName": "eni-1235b8ca123456789-all", "timestamp": 1, "message": SSH},
            {"logStreamName": "eni-1235b8ca123456789-all", "timestamp": 2, "message": RDP},
        ],
        "searchedLogStreams": [],
    }
    assert [r["dstport"] for r in records(json.dumps(doc))] == [22, 3389]


def test_cloudwatch_messages_as_plain_lines_with_a_custom_format():
    fmt = "${interface-id} ${srcaddr} ${dstport} ${action}"
    rs = records("eni-1 198.51.100.1 22 REJECT\neni-1 198.51.100.2 443 ACCEPT\n", log_format=fmt)
    assert [(r["srcaddr"], r["action"]) for r in rs] == [
        ("198.51.100.1", "REJECT"),
        ("198.51.100.2", "ACCEPT"),
    ]


def test_a_second_header_switches_format():
    text = f"{HEADER}\n{SSH}\ninterface-id dstport\neni-2 443\n"
    rs = records(text)
    assert rs[1] == {"interface-id": "eni-2", "dstport": 443}


def test_blank_lines_and_crlf_are_fine():
    assert len(records(f"{HEADER}\r\n\r\n{SSH}\r\n")) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            f"{HEADER}\n{SSH}\n" + SSH.replace(" 22 ", " ssh "),
            "t.log:3: field 'dstport': 'ssh' is not a number",
        ),
        (
            f"{HEADER}\n" + SSH.replace(" 22 ", " 70000 "),
            "t.log:2: field 'dstport': 70000 is above 65535",
        ),
        (
            f"{HEADER}\n" + SSH.replace("172.31.16.139", "172.31.16.999"),
            "t.log:2: field 'srcaddr': '172.31.16.999' is not an address",
        ),
        (
            f"{HEADER}\n" + SSH.replace("ACCEPT", "ALLOW"),
            "t.log:2: field 'action': 'ALLOW' is not one of ACCEPT, REJECT",
        ),
        (f"{HEADER}\n" + SSH + " extra", "t.log:2: 15 fields, but the format has 14"),
        ("version srcaddr bogus-field\n", "t.log:1: 'bogus-field' is not a flow log field"),
        ("version version\n", "t.log:1: field 'version' appears twice"),
    ],
)
def test_bad_input_names_file_line_field_and_value(text, message):
    with pytest.raises(FlowLogError) as err:
        records(text)
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)


def test_bad_log_format_option():
    with pytest.raises(FlowLogError, match=r"^--log-format: 'version' is not a \$\{field\}"):
        parse_log_format("version ${srcaddr}")
    with pytest.raises(FlowLogError, match=r"^--log-format: 'nope' is not a flow log field"):
        parse_log_format("${nope}")


def test_bad_cloudwatch_json_names_the_json_path():
    doc = {"events": [{"message": SSH}, {"message": SSH.replace(" 6 ", " tcp ")}]}
    with pytest.raises(FlowLogError) as err:
        records(json.dumps(doc))
    assert str(err.value) == "t.log: events[1].message: field 'protocol': 'tcp' is not a number"
    with pytest.raises(FlowLogError, match=r"^t.log:1:\d+: not valid JSON"):
        records('{"events": [')
    with pytest.raises(FlowLogError, match=r"^t.log: events\[0\]: expected an object"):
        records('{"events": [3]}')


def test_broken_gzip_is_one_error():
    data = gzip.compress(f"{HEADER}\n{SSH}\n".encode() * 50)
    with pytest.raises(FlowLogError, match=r"^t.log: not a readable gzip file"):
        records(data[: len(data) // 2])


def test_not_utf8_names_the_line():
    with pytest.raises(FlowLogError, match=r"^t.log:2: not UTF-8 text"):
        records(f"{HEADER}\n".encode() + b"\xff\xfe\n")


def test_progress_reports_bytes_read():
    seen = []
    data = f"{HEADER}\n".encode() + (SSH + "\n").encode() * 2000
    n = len(
        list(read_bytes(data, "t.log", progress=lambda done, total: seen.append((done, total))))
    )
    assert n == 2000
    assert seen[-1] == (len(data), len(data))
