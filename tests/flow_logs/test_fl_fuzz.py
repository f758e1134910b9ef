"""A fuzzer over records and headers: nothing but the documented error comes out.

Whatever the bytes, reading and summarizing either works or raises
``FlowLogError`` with one line; the CLI exits 0 or 2 and never prints a
traceback.
"""

from __future__ import annotations

import gzip
import json

from fl_support import cli  # type: ignore[import-not-found]
from flow_logs import (
    FIELDS,
    FlowLogError,
    load_findings,
    observe,
    query,
    read_bytes,
    summarize,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

GOOD = (
    "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 "
    "20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"
)
TOKENS = [
    *FIELDS,
    "-",
    "0",
    "22",
    "65536",
    "-1",
    "1e3",
    "ACCEPT",
    "REJECT",
    "OK",
    "NODATA",
    "10.0.0.1",
    "::1",
    "999.1.1.1",
    "\u0663",
    "+5",
    "${srcaddr}",
    "{",
    "[",
    '"',
    "\x00",
    "\ufeff",
]

line = st.lists(st.sampled_from(TOKENS) | st.text(max_size=8), max_size=16).map(" ".join)


def mutate(text: str, data: st.DataObject) -> str:
    cut = data.draw(st.integers(0, len(text)))
    insert = data.draw(st.text(max_size=6))
    return text[:cut] + insert + text[cut + data.draw(st.integers(0, 3)) :]


def exercise(blob: bytes, log_format: str | None = None) -> None:
    message = None
    try:
        rs = list(read_bytes(blob, "f.log", log_format))
        summarize(rs)
        list(query(rs, "dstport in 0-1024 or srcaddr in 10.0.0.0/8"))
        observe(
            load_findings(
                {
                    "findings": [
                        {
                            "networkInterfaceId": "eni-1235b8ca123456789",
                            "protocol": "tcp",
                            "port": 22,
                        }
                    ]
                }
            ),
            rs,
        )
        json.dumps(summarize(rs).to_dict())
    except FlowLogError as err:
        message = str(err)
    if message is not None:
        assert "\n" not in message
        assert message.startswith(("f.log", "--log-format"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(line, max_size=6))
def test_random_lines(lines):
    exercise("\n".join(lines).encode())


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_mutated_records_and_headers(data):
    header = " ".join(data.draw(st.permutations(list(FIELDS)[:14])))
    text = mutate(f"{header}\n{GOOD}\n{GOOD}\n", data)
    exercise(text.encode())
    exercise(gzip.compress(text.encode()))
    exercise(json.dumps({"events": [{"message": mutate(GOOD, data)}]}).encode())


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes(blob):
    exercise(blob)
    exercise(b"\x1f\x8b" + blob)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_random_log_formats(fmt):
    exercise(GOOD.encode(), fmt or None)


def test_the_cli_never_prints_a_traceback(tmp_path):
    cases = [
        b"\x1f\x8b\x08garbage",
        b"version bogus\n",
        b'{"events": [{"message": 5}]}',
        b"\xff\xfe",
        GOOD.encode() + b" x\n",
    ]
    for i, blob in enumerate(cases):
        f = tmp_path / f"c{i}.log"
        f.write_bytes(blob)
        for args in (
            ("summarize", f),
            ("query", f, "--where", "dstport=22"),
            ("summarize", f, "--format", "json"),
        ):
            run = cli(*args)
            assert run.returncode in (0, 2), run.stderr
            assert "Traceback" not in run.stderr
            if run.returncode == 2:
                assert run.stderr.count("\n") == 1
