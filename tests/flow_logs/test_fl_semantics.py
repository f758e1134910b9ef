"""One test per semantic rule of the issue, each written from AWS's page.

Records are written by hand after AWS's own examples; the expected figures
are counted by hand from those lines, not taken from the engine.
"""

from __future__ import annotations

import pytest
from flow_logs import protocol_name, read_bytes, summarize
from flow_logs.tcpflags import is_attempt, is_syn_ack, names

EXAMPLES = "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html"
RECORDS = "https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html"
LIMITS = "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-limitations.html"


def summary_of(*lines: str, header: str | None = None):
    text = "\n".join(([header] if header else []) + list(lines)) + "\n"
    return summarize(read_bytes(text.encode(), "t.log")).to_dict()


# --- Values -----------------------------------------------------------------


def test_nodata_and_skipdata_are_counted_apart_and_never_as_traffic():
    # RECORDS, log-status: NODATA "no network traffic to or from the network
    # interface during the aggregation interval"; SKIPDATA "some flow log
    # records were skipped". EXAMPLES, "No data and skipped records".
    s = summary_of(
        "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK",
        "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA",
        "2 123456789010 eni-11111111111111111 - - - - - - - 1431280876 1431280934 - SKIPDATA",
    )
    assert s["records"] == 3
    assert s["logStatus"] == {"OK": 1, "NODATA": 1, "SKIPDATA": 1}
    assert s["actions"] == {"ACCEPT": 1, "REJECT": 0}
    assert (s["bytes"], s["packets"]) == (4249, 20)
    assert [i["interfaceId"] for i in s["interfaces"]] == ["eni-1235b8ca123456789"]
    assert [(t["srcaddr"], t["dstaddr"]) for t in s["topTalkers"]] == [
        ("172.31.16.139", "172.31.16.21")
    ]


def test_dash_is_no_value_not_zero_or_a_string():
    # RECORDS: "If a field is not applicable or could not be computed for a
    # specific record, the record displays a '-' symbol for that entry."
    (r,) = read_bytes(b"2 123456789010 eni-1 - - - - - - - 1431280876 1431280934 - NODATA\n")
    assert r["bytes"] is None
    assert r["srcaddr"] is None
    assert r["action"] is None


# --- Protocols --------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "name"),
    [(6, "tcp"), (17, "udp"), (1, "icmp"), (58, "ipv6-icmp"), (47, "gre"), (50, "esp"), (253, 253)],
)
def test_protocol_numbers_follow_iana(number, name):
    # RECORDS, protocol: "The IANA protocol number of the traffic"; keywords
    # from https://www.iana.org/assignments/protocol-numbers/protocol-numbers.xhtml
    # (253 is "Use for experimentation and testing": no keyword).
    assert protocol_name(number) == name


def test_rejected_ports_name_the_protocol_by_iana_keyword():
    s = summary_of(
        "2 1 eni-1 198.51.100.1 10.0.0.5 0 0 1 1 84 100 160 REJECT OK",
        "2 1 eni-1 198.51.100.1 10.0.0.5 40000 53 17 1 70 100 160 REJECT OK",
        "2 1 eni-1 198.51.100.1 10.0.0.5 - - 47 1 70 100 160 REJECT OK",
    )
    assert {(p["protocol"], p["dstport"]) for p in s["rejectedPorts"]} == {
        ("icmp", 0),
        ("udp", 53),
        ("gre", None),
    }


# --- TCP flags --------------------------------------------------------------


def test_tcp_flags_values_as_aws_documents_them():
    # RECORDS, tcp-flags: FIN 1, SYN 2, RST 4, SYN-ACK 18; flags are OR-ed
    # over the interval, "for example, 19 for SYN-ACK and FIN, and 3 for SYN
    # and FIN".
    assert names(2) == ["SYN"]
    assert names(18) == ["SYN-ACK"]
    assert names(19) == ["SYN-ACK", "FIN"]
    assert names(3) == ["SYN", "FIN"]
    assert names(4) == ["RST"]
    assert names(0) == []
    assert is_attempt(2)
    assert is_attempt(3)
    assert not is_attempt(18)
    assert is_syn_ack(18)
    assert is_syn_ack(19)
    assert not is_syn_ack(2)


TCP_HEADER = "interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action tcp-flags log-status"


def test_answered_and_unanswered_connection_attempts_are_told_apart():
    # EXAMPLES, "TCP flag sequence": the client's record shows SYN (2), the
    # server's reply SYN-ACK (18). A SYN with no SYN-ACK back is unanswered.
    s = summarize(
        read_bytes(
            (
                TCP_HEADER + "\n"
                # answered: 52.213.180.42 -> 10.0.0.62:5001 and the SYN-ACK back
                "eni-1 52.213.180.42 10.0.0.62 43416 5001 6 8 568 1566848875 1566848933 ACCEPT 2 OK\n"
                "eni-1 10.0.0.62 52.213.180.42 5001 43416 6 7 376 1566848875 1566848933 ACCEPT 18 OK\n"
                # unanswered: rejected, so only the inbound SYN
                "eni-1 198.51.100.9 10.0.0.62 50000 22 6 1 60 1566848875 1566848933 REJECT 2 OK\n"
            ).encode()
        )
    )
    assert s.handshakes is not None
    assert (s.handshakes.attempts, s.handshakes.answered, s.handshakes.unanswered) == (2, 1, 1)
    assert any(
        "2 TCP connection attempts (SYN), 1 answered with SYN-ACK, 1 not" in n for n in s.notes
    )


# --- Directions -------------------------------------------------------------

# EXAMPLES, "Security group and network ACL rules": a ping allowed by the
# security group and the network ACL shows the request and the reply; traffic
# rejected on the way in shows only the inbound record.


def test_an_accepted_connection_is_two_records_and_counted_once():
    s = summary_of(
        # SSH into the instance and its response, on the same interface
        "2 1 eni-1 198.51.100.7 10.0.1.10 50000 22 6 10 1000 100 160 ACCEPT OK",
        "2 1 eni-1 10.0.1.10 198.51.100.7 22 50000 6 8 4000 100 160 ACCEPT OK",
    )
    assert s["actions"] == {"ACCEPT": 2, "REJECT": 0}  # records
    assert s["interfaces"] == [{"interfaceId": "eni-1", "accept": 2, "reject": 0, "bytes": 5000}]
    # one connection: the response is not a second source touching port 50000
    assert any(n.startswith("1 record is a response") for n in s["notes"])


def test_a_rejected_response_is_not_a_second_rejected_port():
    # EXAMPLES: the ping is accepted in, and its reply is rejected on the way
    # out by the network ACL (stateless). One connection, at port 0 (ICMP).
    s = summary_of(
        "2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917142 ACCEPT OK",
        "2 123456789010 eni-1235b8ca123456789 172.31.16.139 203.0.113.12 0 0 1 4 336 1432917094 1432917142 REJECT OK",
    )
    assert s["actions"] == {"ACCEPT": 1, "REJECT": 1}
    # ICMP has no ports to tell request from response: both are counted.
    assert s["rejectedPorts"] == [{"protocol": "icmp", "dstport": 0, "records": 1, "sources": 1}]

    t = summary_of(  # TCP: the reply (to the client's high port) is the response
        "2 1 eni-1 203.0.113.12 172.31.16.139 50000 22 6 4 336 100 160 ACCEPT OK",
        "2 1 eni-1 172.31.16.139 203.0.113.12 22 50000 6 4 336 100 160 REJECT OK",
    )
    assert t["rejectedPorts"] == []


def test_rejected_inbound_shows_only_the_inbound_record():
    s = summary_of(
        "2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK",
        "2 123456789010 eni-1235b8ca123456789 172.31.9.70 172.31.9.12 49762 3389 6 20 4249 1418530010 1418530070 REJECT OK",
        "2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49763 3389 6 20 4249 1418530010 1418530070 REJECT OK",
    )
    assert s["rejectedPorts"] == [{"protocol": "tcp", "dstport": 3389, "records": 3, "sources": 2}]


# --- Addresses --------------------------------------------------------------


def test_packet_addresses_are_used_where_the_format_has_them():
    # EXAMPLES, "Traffic through a NAT gateway": on the NAT gateway's
    # interface, dstaddr is the NAT gateway's own address while pkt-dstaddr
    # is the internet host's; flow-logs-limitations.html says the same of
    # dstaddr for traffic not addressed to the interface.
    s = summary_of(
        "eni-1235b8ca123456789 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5 100",
        "eni-1235b8ca123456789 10.0.0.220 203.0.113.5 10.0.0.220 203.0.113.5 200",
        header="interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr bytes",
    )
    assert [(t["srcaddr"], t["dstaddr"], t["bytes"]) for t in s["topTalkers"]] == [
        ("10.0.0.220", "203.0.113.5", 200),
        ("10.0.1.5", "203.0.113.5", 100),
    ]
    assert any("pkt-srcaddr" in n and "packets' own" in n for n in s["notes"])


def test_without_packet_fields_the_output_says_so():
    s = summary_of("2 1 eni-1 10.0.1.5 10.0.0.220 1 2 6 1 10 1 2 ACCEPT OK")
    assert any("has no pkt-srcaddr" in n for n in s["notes"])


# --- Not logged -------------------------------------------------------------


def test_traffic_that_is_never_logged_is_named_in_the_notes():
    # LIMITS: Amazon DNS, Windows license activation, 169.254.169.254,
    # 169.254.169.123, DHCP, mirrored traffic, the default VPC router's
    # reserved address, endpoint ENI <-> NLB ENI.
    (note,) = [n for n in summary_of()["notes"] if "never record" in n]
    for phrase in (
        "Amazon DNS server",
        "Windows license activation",
        "169.254.169.254",
        "169.254.169.123",
        "DHCP",
        "mirrored",
        "default VPC router",
        "Network Load Balancer",
        LIMITS,
    ):
        assert phrase in note


# --- Ties and scans ---------------------------------------------------------


def test_top_talker_ties_go_by_address_ascending():
    s = summary_of(
        "2 1 eni-1 10.0.0.10 10.0.0.1 1 2 6 1 100 1 2 ACCEPT OK",
        "2 1 eni-1 10.0.0.9 10.0.0.1 1 2 6 1 100 1 2 ACCEPT OK",
        "2 1 eni-1 10.0.0.11 10.0.0.1 1 2 6 1 500 1 2 ACCEPT OK",
    )
    assert [t["srcaddr"] for t in s["topTalkers"]] == ["10.0.0.11", "10.0.0.9", "10.0.0.10"]


def test_top_talkers_are_ten():
    lines = [f"2 1 eni-1 10.0.0.{n} 10.0.1.1 1 2 6 1 {n} 1 2 ACCEPT OK" for n in range(1, 16)]
    s = summary_of(*lines)
    assert [t["bytes"] for t in s["topTalkers"]] == list(range(15, 5, -1))


def test_a_source_touching_many_ports_quickly_is_a_suspected_scan():
    scan = [
        f"2 1 eni-1 192.0.2.66 10.0.1.10 40000 {p} 6 1 60 {1000 + p} {1001 + p} REJECT OK"
        for p in range(1, 12)
    ]
    slow = [  # 11 ports, but an hour apart each: not a scan within 600 s
        f"2 1 eni-1 192.0.2.77 10.0.1.10 40000 {p} 6 1 60 {p * 3600} {p * 3600 + 1} REJECT OK"
        for p in range(1, 12)
    ]
    s = summary_of(*scan, *slow)
    assert s["suspectedScans"] == [
        {
            "srcaddr": "192.0.2.66",
            "distinctPorts": 11,
            "distinctHosts": 1,
            "firstSeen": 1001,
            "lastSeen": 1012,
        }
    ]


# --- observe ----------------------------------------------------------------


def test_observe_does_not_call_an_unlogged_interface_unused():
    # Flow logs can be attached to one interface, a subnet or a VPC
    # (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html), so an
    # interface with no record at all may simply not be logged.
    from flow_logs import load_findings, observe

    findings = load_findings(
        {
            "findings": [
                {"networkInterfaceId": "eni-logged", "protocol": "tcp", "port": 22},
                {"networkInterfaceId": "eni-elsewhere", "protocol": "tcp", "port": 22},
            ]
        }
    )
    records = read_bytes(b"2 1 eni-logged - - - - - - - 100 160 - NODATA\n")
    out = observe(findings, records)
    assert out.to_dict()["unused"] == [
        {"networkInterfaceId": "eni-logged", "protocol": "tcp", "port": 22}
    ]
    assert any("eni-elsewhere" in n for n in out.notes)


def test_observe_counts_inbound_only_and_public_sources_only():
    # EXAMPLES: the response to an inbound connection is an outbound record
    # from the service port; it is not traffic that reached the port.
    from flow_logs import load_findings, observe

    findings = load_findings(
        {"findings": [{"networkInterfaceId": "eni-1", "protocol": "tcp", "port": 443}]}
    )
    records = read_bytes(
        b"2 1 eni-1 198.51.100.7 10.0.1.10 50000 443 6 10 1000 100 160 ACCEPT OK\n"
        b"2 1 eni-1 10.0.1.10 198.51.100.7 443 50000 6 10 1000 100 160 ACCEPT OK\n"
        b"2 1 eni-1 10.0.1.10 203.0.113.9 50001 443 6 10 1000 100 160 ACCEPT OK\n"
        b"2 1 eni-1 100.64.0.5 10.0.1.10 50002 443 6 10 1000 100 160 ACCEPT OK\n"
    )
    (obs,) = observe(findings, records).to_dict()["observations"]
    # the 1st is inbound from the internet; the 2nd is its response; the 3rd
    # goes out to someone else's 443; the 4th is from RFC 6598 space
    assert (obs["accepted"], obs["sourceAddresses"]) == (1, ["198.51.100.7"])
