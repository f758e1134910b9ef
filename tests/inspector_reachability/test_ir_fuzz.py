"""Fuzzing: mutate the sample snapshots (delete keys, swap value types,
break CIDRs and addresses) and check that nothing but ``SnapshotError`` comes
out, always as one line that starts with a JSON path."""

from __future__ import annotations

import copy
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inspector_reachability import SnapshotError, analyze, load_sample, sample_names

SAMPLES = {name: load_sample(name) for name in sample_names()}
PATH = re.compile(r"^(\(snapshot\)|\(agents\)|[A-Za-z]+)(\.[^:\s]+|\[\d+\])*: ")
ODD_VALUES = [
    None,
    True,
    0,
    -1,
    70000,
    3.5,
    "",
    "x",
    "10.0.0.0/33",
    "300.1.2.3",
    "::g/64",
    "10.0.0.0",
    [],
    {},
    [1],
    {"a": 1},
    "-1",
    "tcp",
    "1e9",
]


def _slots(node, out):
    """Every (container, key) pair in a JSON tree."""
    if isinstance(node, dict):
        for k, v in node.items():
            out.append((node, k))
            _slots(v, out)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.append((node, i))
            _slots(v, out)
    return out


def _mutate(tree, data, rounds):
    for _ in range(rounds):
        slots = _slots(tree, [])
        if not slots:
            return tree
        parent, key = slots[data.draw(st.integers(0, len(slots) - 1))]
        action = data.draw(st.sampled_from(["delete", "replace", "cidr", "dup"]))
        if action == "delete":
            del parent[key]
        elif action == "replace":
            parent[key] = copy.deepcopy(data.draw(st.sampled_from(ODD_VALUES)))
        elif action == "cidr" and isinstance(parent[key], str):
            parent[key] = data.draw(
                st.sampled_from(["10.0.0.0/33", "1.2.3/8", "::/129", "abc/2", "/0"])
            )
        elif action == "dup" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    return tree


def _check(snapshot, agents):
    try:
        result = analyze(snapshot, agents, why_not=True)
    except SnapshotError as err:
        text = str(err)
        assert "\n" not in text
        assert PATH.match(text), text
    else:
        result.to_dict()


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(SAMPLES)), st.data())
def test_mutated_snapshots_raise_only_snapshot_error(name, data):
    snapshot, agents = copy.deepcopy(SAMPLES[name])
    snapshot = _mutate(snapshot, data, data.draw(st.integers(1, 4)))
    _check(snapshot, agents)


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_mutated_agents_raise_only_snapshot_error(data):
    snapshot, agents = copy.deepcopy(SAMPLES["bastion"])
    agents = _mutate(agents, data, data.draw(st.integers(1, 3)))
    _check(snapshot, agents)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda s: s["SecurityGroups"][0]["IpPermissions"][0]["IpRanges"][0].update(
                CidrIp="10.0.0.0/33"
            ),
            "SecurityGroups[0].IpPermissions[0].IpRanges[0].CidrIp: '10.0.0.0/33' is not a CIDR",
        ),
        (
            lambda s: s["NetworkAcls"][0]["Entries"][0].update(RuleAction="maybe"),
            "NetworkAcls[0].Entries[0].RuleAction: 'maybe' is not allow or deny",
        ),
        (
            lambda s: s["NetworkInterfaces"][0].update(PrivateIpAddress="10.1.0.300"),
            "NetworkInterfaces[0].PrivateIpAddress: '10.1.0.300' is not an IPv4 address",
        ),
        (
            lambda s: s.update(Subnets={}),
            "Subnets: expected an array, got an object",
        ),
        (
            lambda s: s["RouteTables"][1]["Routes"][2].update(DestinationCidrBlock="::/0"),
            "RouteTables[1].Routes[2].DestinationCidrBlock: '::/0' is not an IPv4 CIDR",
        ),
        (
            lambda s: s["SecurityGroups"][0]["IpPermissions"][0].update(FromPort="22"),
            "SecurityGroups[0].IpPermissions[0].FromPort: expected an integer, got a string",
        ),
    ],
)
def test_errors_name_the_json_path(mutate, message):
    snapshot, _ = copy.deepcopy(SAMPLES["bastion"])
    mutate(snapshot)
    with pytest.raises(SnapshotError) as err:
        analyze(snapshot)
    assert str(err.value) == message


def test_a_snapshot_that_is_not_an_object():
    with pytest.raises(
        SnapshotError,
        match=r"^\(snapshot\): not a describe-\* snapshot: .*a JSON array of 0 items$",
    ):
        analyze([])


def test_agents_errors_name_the_path():
    snapshot, _ = SAMPLES["bastion"]
    bad = {"Agents": {"i-1": {"listening": [{"protocol": "sctp", "port": 1}]}}}
    with pytest.raises(SnapshotError, match=r"^Agents\.i-1\.listening\[0\]\.protocol: "):
        analyze(snapshot, bad)
