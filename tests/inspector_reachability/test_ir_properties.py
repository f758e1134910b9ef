"""Property tests (hypothesis): taking filters away or adding deny rules never
creates findings, and NACLs that allow everything change nothing."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inspector_reachability import analyze
from ir_snap import allow_all_acl, eni, instance  # type: ignore[import-not-found]

CIDRS = [
    "0.0.0.0/0",
    "198.51.100.0/24",
    "203.0.113.0/25",
    "10.0.0.0/16",
    "10.1.0.0/16",
    "192.168.0.0/16",
]
PROTOS = ["tcp", "udp", "-1", "6", "17"]
ACL_PROTOS = ["-1", "6", "17"]
GROUPS = ["sg-a", "sg-b", "sg-c"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ports = st.tuples(st.integers(0, 65535), st.integers(0, 65535)).map(lambda t: (min(t), max(t)))
small_ports = st.sampled_from(
    [(22, 22), (80, 80), (443, 443), (0, 1023), (1024, 65535), (20, 3389), (0, 65535)]
)


@st.composite
def sg_perm(draw):
    proto = draw(st.sampled_from(PROTOS))
    perm = {"IpProtocol": proto}
    if proto != "-1":
        lo, hi = draw(st.one_of(small_ports, ports))
        perm["FromPort"], perm["ToPort"] = lo, hi
    source = draw(st.sampled_from([*CIDRS, "sg-a", "sg-b"]))
    if source.startswith("sg-"):
        perm["UserIdGroupPairs"] = [{"GroupId": source}]
    else:
        perm["IpRanges"] = [{"CidrIp": source}]
    return perm


@st.composite
def acl_entry(draw, egress=None):
    proto = draw(st.sampled_from(ACL_PROTOS))
    entry = {
        "RuleNumber": draw(st.integers(1, 32766)),
        "Protocol": proto,
        "RuleAction": draw(st.sampled_from(["allow", "deny"])),
        "Egress": draw(st.booleans()) if egress is None else egress,
        "CidrBlock": draw(st.sampled_from(CIDRS)),
    }
    if proto != "-1":
        lo, hi = draw(st.one_of(small_ports, ports))
        entry["PortRange"] = {"From": lo, "To": hi}
    return entry


@st.composite
def snapshots(draw):
    """Two subnets (one with an IGW route), a VGW, up to four instances."""
    acls = []
    for i, subnet in enumerate(("subnet-1", "subnet-2")):
        acl = allow_all_acl(f"acl-{i}", (subnet,))
        acl["IsDefault"] = i == 0
        entries = draw(st.lists(acl_entry(), max_size=6))
        acl["Entries"] = entries + [
            {
                "RuleNumber": 32767,
                "Protocol": "-1",
                "RuleAction": "deny",
                "Egress": e,
                "CidrBlock": "0.0.0.0/0",
            }
            for e in (False, True)
        ]
        acls.append(acl)
    groups = [
        {"GroupId": g, "VpcId": "vpc-1", "IpPermissions": draw(st.lists(sg_perm(), max_size=3))}
        for g in GROUPS
    ]
    enis, reservations, agents = [], [], {}
    for n in range(draw(st.integers(1, 4))):
        subnet = draw(st.sampled_from(["subnet-1", "subnet-2"]))
        on = tuple(draw(st.lists(st.sampled_from(GROUPS), min_size=1, max_size=2, unique=True)))
        public = f"198.51.100.{10 + n}" if draw(st.booleans()) else None
        ip = f"10.0.{1 if subnet == 'subnet-1' else 2}.{10 + n}"
        enis.append(eni(f"eni-{n}", subnet, ip, on, f"i-{n}", public))
        reservations.append(
            instance(f"i-{n}", draw(st.sampled_from(["running", "running", "stopped"])))
        )
        if draw(st.booleans()):
            agents[f"i-{n}"] = {
                "listening": [
                    {"protocol": p, "port": port, "process": "x"}
                    for p, port in draw(
                        st.lists(
                            st.tuples(
                                st.sampled_from(["tcp", "udp"]),
                                st.sampled_from([22, 80, 443, 8080, 5353]),
                            ),
                            max_size=3,
                        )
                    )
                ]
            }
    snap = {
        "Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}],
        "Subnets": [
            {"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24"},
            {"SubnetId": "subnet-2", "VpcId": "vpc-1", "CidrBlock": "10.0.2.0/24"},
        ],
        "RouteTables": [
            {
                "RouteTableId": "rtb-main",
                "VpcId": "vpc-1",
                "Associations": [{"Main": True}],
                "Routes": [
                    {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"},
                    {"DestinationCidrBlock": "192.168.0.0/16", "GatewayId": "vgw-1"},
                ],
            },
            {
                "RouteTableId": "rtb-public",
                "VpcId": "vpc-1",
                "Associations": [{"SubnetId": "subnet-1"}],
                "Routes": [
                    {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"},
                    {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1"},
                    {"DestinationCidrBlock": "192.168.0.0/16", "GatewayId": "vgw-1"},
                ],
            },
        ],
        "InternetGateways": [
            {
                "InternetGatewayId": "igw-1",
                "Attachments": [{"State": "available", "VpcId": "vpc-1"}],
            }
        ],
        "VpnGateways": [
            {
                "VpnGatewayId": "vgw-1",
                "State": "available",
                "VpcAttachments": [{"State": "attached", "VpcId": "vpc-1"}],
            }
        ],
        "NetworkAcls": acls,
        "SecurityGroups": groups,
        "NetworkInterfaces": enis,
        "Reservations": reservations,
    }
    return snap, {"Agents": agents}


def _index(snap, agents):
    """finding identity -> port set (the ranges of NetworkExposure)."""
    out = {}
    for f in analyze(snap, agents).to_dict()["findings"]:
        key = (
            f["type"],
            f["reachability"],
            f["via"],
            f["networkInterfaceId"],
            f["protocol"],
            f["port"],
        )
        out[key] = {p for lo, hi in (f["portRanges"] or []) for p in (lo, hi)}, f["portRanges"]
    return out


def _ranges_within(inner, outer) -> bool:
    return all(any(olo <= lo and hi <= ohi for olo, ohi in outer) for lo, hi in inner or [])


def _never_adds(before, after):
    assert set(after) <= set(before)
    for key, (_, ranges) in after.items():
        assert _ranges_within(ranges, before[key][1])


@SETTINGS
@given(snapshots(), st.data())
def test_adding_a_deny_nacl_rule_never_adds_a_finding(case, data):
    snap, agents = case
    before = _index(snap, agents)
    changed = copy.deepcopy(snap)
    rule = data.draw(acl_entry())
    rule["RuleAction"] = "deny"
    changed["NetworkAcls"][data.draw(st.integers(0, 1))]["Entries"].append(rule)
    _never_adds(before, _index(changed, agents))


@SETTINGS
@given(snapshots(), st.data())
def test_removing_a_security_group_never_adds_a_finding(case, data):
    snap, agents = case
    before = _index(snap, agents)
    changed = copy.deepcopy(snap)
    gone = data.draw(st.sampled_from(GROUPS))
    if data.draw(st.booleans()):
        changed["SecurityGroups"] = [g for g in changed["SecurityGroups"] if g["GroupId"] != gone]
    else:
        for e in changed["NetworkInterfaces"]:
            e["Groups"] = [g for g in e["Groups"] if g["GroupId"] != gone]
    _never_adds(before, _index(changed, agents))


@SETTINGS
@given(snapshots())
def test_removing_the_igw_route_never_adds_a_finding(case):
    snap, agents = case
    before = _index(snap, agents)
    changed = copy.deepcopy(snap)
    for rt in changed["RouteTables"]:
        rt["Routes"] = [r for r in rt["Routes"] if r.get("GatewayId") != "igw-1"]
    after = _index(changed, agents)
    _never_adds(before, after)
    assert not any(key[1] == "Internet" for key in after)


@SETTINGS
@given(snapshots())
def test_all_allow_nacls_give_the_security_group_only_view(case):
    snap, agents = case
    allow = copy.deepcopy(snap)
    for acl in allow["NetworkAcls"]:
        acl["Entries"] = allow_all_acl()["Entries"]
    no_acls = copy.deepcopy(snap)
    del no_acls["NetworkAcls"]
    with_allow = analyze(allow, agents).to_dict()["findings"]
    sg_only = analyze(no_acls, agents).to_dict()["findings"]
    strip = [{k: v for k, v in f.items() if k not in ("networkAclId", "path")} for f in with_allow]
    assert strip == [
        {k: v for k, v in f.items() if k not in ("networkAclId", "path")} for f in sg_only
    ]
    # And the NACLs that filter can only take findings away from that view.
    _never_adds(_index(allow, agents), _index(snap, agents))
