"""Golden tests on the shipped samples (the page's data), plus an independent
count of the plain figures straight from the lines.

Refresh the golden files after a deliberate change with
``FLOW_LOGS_UPDATE=1 .venv/bin/pytest tests/flow_logs/test_fl_golden.py``
and read the diff.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from fl_support import DATA  # type: ignore[import-not-found]
from flow_logs import load_findings, observe, read_bytes, sample_bytes, sample_findings, summarize

GOLDEN = Path(__file__).with_name("golden")
UPDATE = os.environ.get("FLOW_LOGS_UPDATE") == "1"


def check(name: str, value: object) -> None:
    path = GOLDEN / name
    text = json.dumps(value, indent=2, sort_keys=False) + "\n"
    if UPDATE:
        path.write_text(text)
    assert path.exists(), f"run with FLOW_LOGS_UPDATE=1 to write {name}"
    assert json.loads(path.read_text()) == value


@pytest.mark.parametrize("sample", ["shop.log.gz", "shop-cloudwatch.json"])
def test_summary_golden(sample):
    check(f"{sample}.summary.json", summarize(read_bytes(sample_bytes(sample), sample)).to_dict())


def test_observe_golden():
    records = read_bytes(sample_bytes("shop.log.gz"))
    check("shop.observe.json", observe(load_findings(sample_findings()), records).to_dict())


def lines_of_s3_sample():
    text = gzip.decompress((DATA / "shop.log.gz").read_bytes()).decode()
    header, *lines = text.splitlines()
    names = header.split()
    return [dict(zip(names, line.split(), strict=True)) for line in lines]


def test_plain_figures_equal_a_count_of_the_lines():
    rows = lines_of_s3_sample()
    s = summarize(read_bytes(sample_bytes("shop.log.gz"))).to_dict()
    assert s["records"] == len(rows)
    for status in ("OK", "NODATA", "SKIPDATA"):
        assert s["logStatus"][status] == sum(r["log-status"] == status for r in rows)
    ok = [r for r in rows if r["log-status"] == "OK"]
    assert s["actions"]["REJECT"] == sum(r["action"] == "REJECT" for r in ok)
    assert s["bytes"] == sum(int(r["bytes"]) for r in ok)
    assert s["packets"] == sum(int(r["packets"]) for r in ok)


def test_the_sample_has_what_the_page_says():
    # scripts/flow_samples.py: a port scan of the bastion from 192.0.2.66,
    # rejected SSH attempts on the ALB from three of its guessers (the fourth
    # never comes up in the loop), quiet intervals.
    s = summarize(read_bytes(sample_bytes("shop.log.gz"))).to_dict()
    assert [x["srcaddr"] for x in s["suspectedScans"]] == ["192.0.2.66"]
    ssh = [p for p in s["rejectedPorts"] if p["dstport"] == 22]
    assert ssh[0]["sources"] == 3
    assert s["rejectedPorts"][0] == ssh[0]
    assert s["logStatus"]["NODATA"] == 3
    assert s["logStatus"]["SKIPDATA"] == 1


def test_both_renditions_of_the_sample_agree_on_their_figures():
    a = summarize(read_bytes(sample_bytes("shop.log.gz"))).to_dict()
    b = summarize(read_bytes(sample_bytes("shop-cloudwatch.json"))).to_dict()
    for key in (
        "records",
        "logStatus",
        "actions",
        "bytes",
        "packets",
        "topTalkers",
        "rejectedPorts",
        "interfaces",
        "suspectedScans",
    ):
        assert a[key] == b[key], key
