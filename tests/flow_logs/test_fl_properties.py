"""Properties of the figures, over generated records (Hypothesis).

- Summarizing two files together gives the sum of their additive fields.
- A concatenated S3 file with a second header line reads the same as the two.
- ``query`` with an always-true expression returns every OK record.
"""

from __future__ import annotations

from flow_logs import DEFAULT_FIELDS, query, read_bytes, summarize
from hypothesis import given, settings
from hypothesis import strategies as st

HEADER = " ".join(DEFAULT_FIELDS)
ADDRS = ["10.0.1.10", "10.0.2.10", "198.51.100.7", "203.0.113.5", "192.0.2.66", "fd00::1"]


@st.composite
def record(draw) -> str:
    status = draw(st.sampled_from(["OK", "OK", "OK", "NODATA", "SKIPDATA"]))
    iface = draw(st.sampled_from(["eni-1", "eni-2", "eni-3"]))
    start = draw(st.integers(1_700_000_000, 1_700_003_600))
    if status != "OK":
        return f"2 111122223333 {iface} - - - - - - - {start} {start + 60} - {status}"
    return " ".join(
        map(
            str,
            [
                2,
                "111122223333",
                iface,
                draw(st.sampled_from(ADDRS)),
                draw(st.sampled_from(ADDRS)),
                draw(st.sampled_from([22, 443, 3389, 50000, 60000, 0])),
                draw(st.sampled_from([22, 443, 3389, 50000, 60000, 0])),
                draw(st.sampled_from([6, 17, 1, 58])),
                draw(st.integers(1, 1000)),
                draw(st.integers(40, 10**7)),
                start,
                start + draw(st.integers(0, 600)),
                draw(st.sampled_from(["ACCEPT", "REJECT"])),
                "OK",
            ],
        )
    )


records = st.lists(record(), max_size=40)
ADDITIVE = ("records", "logStatus", "actions", "bytes", "packets")


def s3(lines: list[str]) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def add(a, b):
    if isinstance(a, dict):
        return {k: a[k] + b[k] for k in a}
    return a + b


@settings(max_examples=100, deadline=None)
@given(records, records)
def test_two_files_together_sum_their_additive_fields(a, b):
    sa = summarize(read_bytes(s3(a), "a")).to_dict()
    sb = summarize(read_bytes(s3(b), "b")).to_dict()
    both = summarize([*read_bytes(s3(a), "a"), *read_bytes(s3(b), "b")]).to_dict()
    for key in ADDITIVE:
        assert both[key] == add(sa[key], sb[key]), key


@settings(max_examples=100, deadline=None)
@given(records, records)
def test_a_concatenated_file_with_a_second_header_reads_the_same(a, b):
    two = [*read_bytes(s3(a), "a"), *read_bytes(s3(b), "b")]
    one = list(read_bytes(s3(a) + s3(b), "ab"))
    assert one == two
    assert summarize(one).to_dict() == summarize(two).to_dict()


@settings(max_examples=100, deadline=None)
@given(
    records,
    st.sampled_from(
        [
            "dstport>=0 or dstport<0 or not dstport>=0",
            "not (action=ACCEPT and action=REJECT)",
            "bytes>=0 or not bytes>=0",
        ]
    ),
)
def test_an_always_true_query_returns_every_ok_record(lines, expr):
    rs = list(read_bytes(s3(lines), "q"))
    assert list(query(rs, expr)) == [r for r in rs if r["log-status"] == "OK"]
