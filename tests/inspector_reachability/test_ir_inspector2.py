"""``--format inspector2``: the engine's findings in today's Inspector shape.

One test per mapping rule, the expected values written from AWS's pages, not
from the engine's output:

- API reference, Finding: https://docs.aws.amazon.com/inspector/v2/APIReference/API_Finding.html
- NetworkReachabilityDetails:
  https://docs.aws.amazon.com/inspector/v2/APIReference/API_NetworkReachabilityDetails.html
- PortRange: https://docs.aws.amazon.com/inspector/v2/APIReference/API_PortRange.html
- Step: https://docs.aws.amazon.com/inspector/v2/APIReference/API_Step.html
- Resource: https://docs.aws.amazon.com/inspector/v2/APIReference/API_Resource.html
- The EC2 network reachability example finding (SSH 22 from an internet
  gateway, MEDIUM, path IGW -> NACL -> SG -> ENI -> instance):
  https://docs.aws.amazon.com/inspector/latest/user/eventbridge-integration.html
- Classic's severities (recognized services Medium as its SSH example,
  UnrecognizedPortWithListener Low, NetworkExposure Informational):
  https://docs.aws.amazon.com/inspector/v1/userguide/inspector_network-reachability.html
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from inspector_reachability import analyze, load_sample, sample_names, to_inspector2
from ir_snap import base, eni, instance, sg, tcp  # type: ignore[import-not-found]

SCHEMA = json.loads((Path(__file__).parent / "inspector2_finding.schema.json").read_text())


def nr(snap: dict, agents: dict | None = None) -> list[dict]:
    return to_inspector2(analyze(snap, agents), snap)["findings"]


def keys(findings: list[dict]) -> set[tuple[str, str, int, int]]:
    """(ENI, protocol, begin, end) of each finding, the ENI read off its path."""
    out = set()
    for f in findings:
        d = f["networkReachabilityDetails"]
        steps = d["networkPath"]["steps"]
        (eni_id,) = [s["componentId"] for s in steps if s["componentType"].endswith("Interface")]
        out.add((eni_id, d["protocol"], d["openPortRange"]["begin"], d["openPortRange"]["end"]))
    return out


# ---- grouping: one finding per ENI, protocol and contiguous open range ---------


def test_touching_ranges_are_one_finding_and_a_gap_makes_two():
    # Each Inspector finding carries one openPortRange (NetworkReachabilityDetails);
    # 22 and 23 form the contiguous range 22-23, 80 stands apart.
    snap = base()
    snap["SecurityGroups"] = [
        sg("sg-1", tcp(22, 22, "0.0.0.0/0"), tcp(23, 23, "0.0.0.0/0"), tcp(80, 80, "0.0.0.0/0"))
    ]
    assert keys(nr(snap)) == {("eni-1", "TCP", 22, 23), ("eni-1", "TCP", 80, 80)}


def test_protocols_are_separate_findings():
    # protocol is one value per finding: "Valid Values: TCP | UDP".
    snap = base()
    snap["SecurityGroups"] = [
        sg("sg-1", tcp(53, 53, "0.0.0.0/0", proto="tcp"), tcp(53, 53, "0.0.0.0/0", proto="udp"))
    ]
    assert keys(nr(snap)) == {("eni-1", "TCP", 53, 53), ("eni-1", "UDP", 53, 53)}


def test_each_eni_gets_its_own_findings():
    snap = base()
    snap["NetworkInterfaces"].append(
        eni("eni-2", ip="10.0.1.11", instance="i-2", public="198.51.100.11")
    )
    snap["Reservations"].append(instance("i-2"))
    assert keys(nr(snap)) == {("eni-1", "TCP", 22, 22), ("eni-2", "TCP", 22, 22)}


# ---- fields ---------------------------------------------------------------------


def test_the_documented_ssh_example_comes_out_in_its_shape():
    # The EventBridge example: type NETWORK_REACHABILITY, status ACTIVE, TCP,
    # openPortRange {"begin": 22, "end": 22}, severity MEDIUM, one
    # AWS_EC2_INSTANCE resource, path IGW, NACL, SG, ENI, instance.
    (f,) = nr(base())
    assert f["type"] == "NETWORK_REACHABILITY"
    assert f["status"] == "ACTIVE"
    assert f["severity"] == "MEDIUM"
    assert f["resources"] == [{"type": "AWS_EC2_INSTANCE", "id": "i-1"}]
    d = f["networkReachabilityDetails"]
    assert d["protocol"] == "TCP"
    assert d["openPortRange"] == {"begin": 22, "end": 22}
    assert d["networkPath"]["steps"] == [
        {"componentId": "igw-1", "componentType": "AWS::EC2::InternetGateway"},
        {"componentId": "acl-1", "componentType": "AWS::EC2::NetworkAcl"},
        {"componentId": "sg-1", "componentType": "AWS::EC2::SecurityGroup"},
        {"componentId": "eni-1", "componentType": "AWS::EC2::NetworkInterface"},
        {"componentId": "i-1", "componentType": "AWS::EC2::Instance"},
    ]
    assert f["title"] == "Port 22 is reachable from an Internet Gateway - TCP"
    assert f["remediation"]["recommendation"]["text"]


def test_a_range_title_names_both_ends():
    snap = base()
    snap["SecurityGroups"] = [sg("sg-1", tcp(8000, 8010, "0.0.0.0/0"))]
    (f,) = nr(snap)
    assert f["title"].startswith("Port range 8000-8010 is reachable from")
    assert f["title"].endswith(" - TCP")


def test_fields_inspector_assigns_are_left_out_not_invented():
    # findingArn ends in an id Inspector assigns (finding/[a-f0-9]{32}); a
    # snapshot has no observation time.
    (f,) = nr(base())
    assert "findingArn" not in f
    assert "firstObservedAt" not in f
    assert "lastObservedAt" not in f


def test_the_account_is_the_enis_owner_when_the_snapshot_gives_it():
    # awsAccountId: "Fixed length of 12", pattern \d{12}.
    snap = base()
    assert "awsAccountId" not in nr(snap)[0]
    snap["NetworkInterfaces"][0]["OwnerId"] = "444455556666"
    assert nr(snap)[0]["awsAccountId"] == "444455556666"
    snap["NetworkInterfaces"][0]["OwnerId"] = "amazon-elb"
    assert "awsAccountId" not in nr(snap)[0]


# ---- severity: Classic's, in the inspector2 enum's spelling -----------------


def test_a_recognized_service_maps_medium_to_medium():
    # Classic: SSH is Medium; Inspector's example: port 22 is MEDIUM.
    assert [f["severity"] for f in nr(base())] == ["MEDIUM"]


def test_an_open_port_nothing_is_known_about_maps_informational():
    # Classic: a port only open (NetworkExposure) is Informational.
    snap = base()
    snap["SecurityGroups"] = [sg("sg-1", tcp(8081, 8081, "0.0.0.0/0"))]
    assert [f["severity"] for f in nr(snap)] == ["INFORMATIONAL"]


def test_an_unrecognized_port_with_a_listener_maps_low():
    # Classic: UnrecognizedPortWithListener is Low.
    snap = base()
    snap["SecurityGroups"] = [sg("sg-1", tcp(8081, 8081, "0.0.0.0/0"))]
    agents = {"Agents": {"i-1": {"listening": [{"protocol": "tcp", "port": 8081}]}}}
    assert [f["severity"] for f in nr(snap, agents)] == ["LOW"]


def test_a_range_takes_its_most_severe_port():
    # 20-30 holds SSH (Medium) and unrecognized ports (Informational).
    snap = base()
    snap["SecurityGroups"] = [sg("sg-1", tcp(20, 30, "0.0.0.0/0"))]
    assert [f["severity"] for f in nr(snap)] == ["MEDIUM"]


# ---- the output of every sample validates against the API's shape -----------


def _check(value: Any, schema: dict, where: str) -> list[str]:
    """A minimal JSON-schema check (the keywords the schema file uses)."""
    kind = schema.get("type")
    types = {"object": dict, "array": list, "string": str, "integer": int}
    if kind and (
        not isinstance(value, types[kind]) or (kind == "integer" and isinstance(value, bool))
    ):
        return [f"{where}: expected {kind}"]
    errors = []
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", 1e9):
            errors.append(f"{where}: length {len(value)}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, int) and not (
        schema.get("minimum", -1e18) <= value <= schema.get("maximum", 1e18)
    ):
        errors.append(f"{where}: {value} out of range")
    if isinstance(value, list):
        if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", 1e9):
            errors.append(f"{where}: {len(value)} items")
        for i, item in enumerate(value):
            errors += _check(item, schema.get("items", {}), f"{where}[{i}]")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        errors += [f"{where}.{k}: missing" for k in schema.get("required", []) if k not in value]
        if schema.get("additionalProperties") is False:
            errors += [f"{where}.{k}: not in the API" for k in value if k not in props]
        for k, v in value.items():
            if k in props:
                errors += _check(v, props[k], f"{where}.{k}")
    return errors


def test_the_validator_catches_what_it_should():
    bad = {"findings": [{"type": "NETWORK_REACHABILITY", "severity": "Medium", "extra": 1}]}
    errors = _check(bad, SCHEMA, "$")
    assert "$.findings[0].severity: 'Medium' not in" in " ".join(errors)
    assert "$.findings[0].extra: not in the API" in errors
    assert "$.findings[0].resources: missing" in errors


@pytest.mark.parametrize("name", sorted(sample_names()))
@pytest.mark.parametrize("with_agents", [True, False])
def test_every_sample_validates_against_the_api_schema(name, with_agents):
    snapshot, agents = load_sample(name)
    out = to_inspector2(analyze(snapshot, agents if with_agents else None), snapshot)
    assert out["findings"], name
    assert _check(out, SCHEMA, "$") == []


@pytest.mark.parametrize("name", sorted(sample_names()))
def test_ranges_of_one_eni_and_protocol_never_touch(name):
    # Maximal runs: two findings of one ENI and protocol leave a gap between them.
    snapshot, agents = load_sample(name)
    by_key: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for eni_id, protocol, begin, end in keys(nr(snapshot, agents)):
        by_key.setdefault((eni_id, protocol), []).append((begin, end))
    for ranges in by_key.values():
        ranges.sort()
        assert all(a[1] + 1 < b[0] for a, b in itertools.pairwise(ranges))
    # Every port the engine's findings name is in some range.
    engine = analyze(snapshot, agents).to_dict()["findings"]
    for f in engine:
        ports = [p for lo, hi in f["portRanges"] or [[f["port"], f["port"]]] for p in (lo, hi)]
        ranges = by_key[(f["networkInterfaceId"], f["protocol"].upper())]
        assert all(any(lo <= p <= hi for lo, hi in ranges) for p in ports)
