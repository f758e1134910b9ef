"""One test per semantic rule of issue 5, each on a minimal snapshot.

Expected values come from AWS's documented behaviour (VPC User Guide: route
tables, network ACLs, security groups, peering, VPN; Inspector Classic's
Network Reachability rules), not from the engine.
"""

from __future__ import annotations

import pytest
from inspector_reachability import SnapshotError, analyze
from ir_snap import allow_all_acl, base, eni, exposure, instance, kinds, sg, tcp  # type: ignore[import-not-found]

SSH = ("RecognizedPortNoAgent", "Internet", "tcp", 22)


def run(snap, agents=None, why_not=False):
    return analyze(snap, agents, why_not=why_not).to_dict()["findings"]


def test_the_base_case_reports_ssh_from_the_internet():
    found = run(base())
    assert SSH in kinds(found)
    ssh = next(f for f in found if f["port"] == 22)
    assert ssh["via"] == "igw-1"
    assert ssh["portGroupName"] == "SSH"
    assert ssh["networkAclId"] == "acl-1"
    assert ssh["securityGroupIds"] == ["sg-1"]
    assert exposure(found) == [[22, 22]]


def test_missing_keys_mean_none_of_that_kind():
    assert run({}) == []


# ---- route tables -------------------------------------------------------------


def test_an_explicit_association_beats_the_main_table():
    snap = base()
    snap["RouteTables"].append(
        {
            "RouteTableId": "rtb-private",
            "VpcId": "vpc-1",
            "Associations": [{"Main": False, "SubnetId": "subnet-1"}],
            "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"}],
        }
    )
    assert run(snap) == []


def test_a_subnet_without_association_uses_the_main_table():
    snap = base()
    snap["RouteTables"][0]["Associations"] = [{"Main": True}]
    assert SSH in kinds(run(snap))
    snap["RouteTables"][0]["Associations"] = [{"Main": False, "SubnetId": "subnet-other"}]
    assert run(snap) == []


def test_longest_prefix_match_wins():
    snap = base()
    # The SG only admits 198.51.100.0/24, and that range goes to a NAT gateway.
    snap["SecurityGroups"] = [sg("sg-1", tcp(22, 22, "198.51.100.0/24"))]
    snap["RouteTables"][0]["Routes"].append(
        {"DestinationCidrBlock": "198.51.100.0/24", "NatGatewayId": "nat-1", "State": "active"}
    )
    assert run(snap) == []
    # A more specific route elsewhere leaves the rest of 0.0.0.0/0 on the IGW.
    snap["SecurityGroups"] = [sg("sg-1", tcp(22, 22, "198.51.0.0/16"))]
    assert SSH in kinds(run(snap))


def test_the_local_route_keeps_vpc_addresses_inside():
    snap = base()
    snap["SecurityGroups"] = [sg("sg-1", tcp(22, 22, "10.0.0.0/16"))]
    assert run(snap) == []


def test_a_blackhole_route_reaches_nothing():
    snap = base()
    snap["RouteTables"][0]["Routes"][1]["State"] = "blackhole"
    assert run(snap) == []


def test_an_igw_not_attached_to_the_vpc_does_not_count():
    snap = base()
    snap["InternetGateways"][0]["Attachments"] = [{"State": "available", "VpcId": "vpc-other"}]
    assert run(snap) == []


def test_internet_ipv4_needs_a_public_ip():
    snap = base()
    snap["NetworkInterfaces"] = [eni(public=None)]
    assert run(snap) == []


def test_an_elastic_ip_on_a_secondary_address_counts():
    snap = base()
    e = eni(public=None)
    e["PrivateIpAddresses"].append(
        {
            "Primary": False,
            "PrivateIpAddress": "10.0.1.11",
            "Association": {"PublicIp": "203.0.113.5"},
        }
    )
    snap["NetworkInterfaces"] = [e]
    assert SSH in kinds(run(snap))


def _ipv6_snapshot() -> dict:
    snap = base()
    e = eni(public=None)
    e["Ipv6Addresses"] = [{"Ipv6Address": "2600:1f18::10"}]
    snap["NetworkInterfaces"] = [e]
    snap["RouteTables"][0]["Routes"].append(
        {"DestinationIpv6CidrBlock": "::/0", "GatewayId": "igw-1", "State": "active"}
    )
    snap["SecurityGroups"] = [
        sg(
            "sg-1",
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
            },
        )
    ]
    for egress in (False, True):
        snap["NetworkAcls"][0]["Entries"].append(
            {
                "RuleNumber": 101,
                "Protocol": "-1",
                "RuleAction": "allow",
                "Egress": egress,
                "Ipv6CidrBlock": "::/0",
            }
        )
    return snap


def test_an_ipv6_global_address_needs_no_public_ip():
    assert SSH in kinds(run(_ipv6_snapshot()))


def test_ipv6_without_an_ipv6_route_is_not_reachable():
    snap = _ipv6_snapshot()
    snap["RouteTables"][0]["Routes"].pop()
    assert run(snap) == []


# ---- network ACLs ---------------------------------------------------------------


def _acl(*entries: dict) -> dict:
    acl = allow_all_acl()
    acl["Entries"] = list(entries)
    return acl


def _e(n, action, proto="-1", egress=False, ports=None, cidr="0.0.0.0/0", v6=None):
    e = {"RuleNumber": n, "Protocol": proto, "RuleAction": action, "Egress": egress}
    if v6:
        e["Ipv6CidrBlock"] = v6
    else:
        e["CidrBlock"] = cidr
    if ports:
        e["PortRange"] = {"From": ports[0], "To": ports[1]}
    return e


OUT_ALL = _e(100, "allow", egress=True)


def test_nacl_rules_run_in_ascending_number_not_list_order():
    snap = base()
    snap["NetworkAcls"] = [_acl(_e(100, "allow"), _e(90, "deny", "6", ports=(22, 22)), OUT_ALL)]
    assert run(snap) == []


def test_nacl_first_match_wins():
    snap = base()
    snap["NetworkAcls"] = [_acl(_e(100, "allow"), _e(200, "deny", "6", ports=(22, 22)), OUT_ALL)]
    assert SSH in kinds(run(snap))


def test_nacl_denies_what_no_rule_matches():
    snap = base()
    snap["NetworkAcls"] = [_acl(_e(100, "allow", "6", ports=(80, 80)), OUT_ALL)]
    assert run(snap) == []


def test_nacl_ipv4_and_ipv6_entries_apply_separately():
    snap = _ipv6_snapshot()
    # An IPv4 deny-all before everything does not touch IPv6 traffic.
    snap["NetworkAcls"][0]["Entries"].insert(0, _e(1, "deny"))
    assert SSH in kinds(run(snap))
    # And an IPv6 deny blocks it.
    snap["NetworkAcls"][0]["Entries"].insert(0, _e(2, "deny", v6="::/0"))
    assert run(snap) == []


@pytest.mark.parametrize(
    ("outbound_ports", "reachable"),
    [((1024, 65535), True), ((32768, 60999), True), ((80, 443), False), ((0, 1023), False)],
)
def test_tcp_needs_the_return_traffic_to_ephemeral_ports(outbound_ports, reachable):
    snap = base()
    snap["NetworkAcls"] = [
        _acl(_e(100, "allow"), _e(100, "allow", "6", egress=True, ports=outbound_ports))
    ]
    assert (SSH in kinds(run(snap))) is reachable


def test_nacl_protocol_numbers_and_port_ranges():
    snap = base()
    snap["SecurityGroups"] = [sg("sg-1", tcp(20, 30, "0.0.0.0/0"))]
    snap["NetworkAcls"] = [
        _acl(_e(100, "deny", "6", ports=(21, 22)), _e(110, "allow", "6"), OUT_ALL)
    ]
    found = run(snap)
    assert exposure(found) == [[20, 20], [23, 30]]
    assert ("RecognizedPortNoAgent", "Internet", "tcp", 23) in kinds(found)  # Telnet
    assert not any(f["port"] in (21, 22) for f in found)


# ---- security groups ------------------------------------------------------------


def test_security_groups_are_a_union_over_the_eni():
    snap = base()
    snap["SecurityGroups"].append(sg("sg-2", tcp(443, 443, "0.0.0.0/0")))
    snap["NetworkInterfaces"] = [eni(groups=("sg-1", "sg-2"))]
    found = run(snap)
    assert exposure(found) == [[22, 22], [443, 443]]
    by_port = {f["port"]: f["securityGroupIds"] for f in found if f["port"]}
    assert by_port == {22: ["sg-1"], 443: ["sg-2"]}
    assert next(f for f in found if f["type"] == "NetworkExposure")["securityGroupIds"] == [
        "sg-1",
        "sg-2",
    ]


def test_protocol_all_opens_every_tcp_and_udp_port():
    snap = base()
    snap["SecurityGroups"] = [
        sg("sg-1", {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]})
    ]
    found = run(snap)
    assert exposure(found, "tcp") == [[0, 65535]]
    assert exposure(found, "udp") == [[0, 65535]]


def test_protocol_numbers_6_and_17():
    snap = base()
    snap["SecurityGroups"] = [
        sg("sg-1", tcp(3389, 3389, "0.0.0.0/0", proto="6"), tcp(53, 53, "0.0.0.0/0", proto="17"))
    ]
    found = run(snap)
    assert ("RecognizedPortNoAgent", "Internet", "tcp", 3389) in kinds(found)
    assert exposure(found, "udp") == [[53, 53]]


def test_a_prefix_list_is_a_source():
    snap = base()
    snap["SecurityGroups"] = [
        sg(
            "sg-1",
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "PrefixListIds": [{"PrefixListId": "pl-1"}],
            },
        )
    ]
    assert run(snap) == []  # the prefix list is not in the snapshot: no entries
    snap["ManagedPrefixLists"] = [
        {"PrefixListId": "pl-1", "Entries": [{"Cidr": "198.51.100.0/24"}]}
    ]
    assert SSH in kinds(run(snap))


def test_a_group_reference_never_matches_the_internet():
    snap = base()
    snap["SecurityGroups"] = [
        sg(
            "sg-1",
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "UserIdGroupPairs": [{"GroupId": "sg-1"}],
            },
        )
    ]
    assert run(snap) == []


# ---- peering -------------------------------------------------------------------------


def _peered(status="active", back_route=True, sg_source="10.1.0.0/16") -> dict:
    snap = base()
    snap["Vpcs"].append({"VpcId": "vpc-2", "CidrBlock": "10.1.0.0/16"})
    snap["Subnets"].append({"SubnetId": "subnet-2", "VpcId": "vpc-2", "CidrBlock": "10.1.1.0/24"})
    snap["RouteTables"][0]["Routes"] = [
        {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"},
        {
            "DestinationCidrBlock": "10.1.0.0/16",
            "VpcPeeringConnectionId": "pcx-1",
            "State": "active",
        },
    ]
    routes = [{"DestinationCidrBlock": "10.1.0.0/16", "GatewayId": "local"}]
    if back_route:
        routes.append({"DestinationCidrBlock": "10.0.0.0/16", "VpcPeeringConnectionId": "pcx-1"})
    snap["RouteTables"].append(
        {
            "RouteTableId": "rtb-2",
            "VpcId": "vpc-2",
            "Associations": [{"Main": True}],
            "Routes": routes,
        }
    )
    snap["VpcPeeringConnections"] = [
        {
            "VpcPeeringConnectionId": "pcx-1",
            "Status": {"Code": status},
            "RequesterVpcInfo": {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"},
            "AccepterVpcInfo": {"VpcId": "vpc-2", "CidrBlock": "10.1.0.0/16"},
        }
    ]
    snap["SecurityGroups"] = [sg("sg-1", tcp(22, 22, sg_source))]
    return snap


PEERED_SSH = ("RecognizedPortNoAgent", "PeeredVPC", "tcp", 22)


def test_an_active_peering_with_routes_both_ways_is_reachable():
    found = run(_peered())
    assert PEERED_SSH in kinds(found)
    assert {f["via"] for f in found} == {"pcx-1"}


def test_peering_needs_an_active_connection():
    assert run(_peered(status="pending-acceptance")) == []


def test_peering_needs_the_route_back():
    assert run(_peered(back_route=False)) == []


def test_peering_is_not_transitive():
    snap = _peered(sg_source="10.2.0.0/16")
    # vpc-1 even routes vpc-3's range to pcx-1, but vpc-2 is not vpc-3.
    snap["RouteTables"][0]["Routes"].append(
        {"DestinationCidrBlock": "10.2.0.0/16", "VpcPeeringConnectionId": "pcx-1"}
    )
    assert run(snap) == []


def test_a_group_reference_matches_the_peer_enis_private_ips():
    snap = _peered()
    snap["SecurityGroups"] = [
        sg(
            "sg-1",
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "UserIdGroupPairs": [{"GroupId": "sg-peer"}],
            },
        ),
        sg("sg-peer"),
    ]
    snap["NetworkInterfaces"].append(
        eni("eni-2", "subnet-2", "10.1.1.20", ("sg-peer",), "i-2", public=None, vpc="vpc-2")
    )
    snap["Reservations"].append(instance("i-2"))
    found = run(snap)
    assert PEERED_SSH in kinds(found)


# ---- VGW -------------------------------------------------------------------------


def test_vgw_routes_define_the_on_premises_sources():
    snap = base()
    snap["RouteTables"][0]["Routes"] = [
        {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"},
        {
            "DestinationCidrBlock": "192.168.0.0/16",
            "GatewayId": "vgw-1",
            "Origin": "EnableVgwRoutePropagation",
        },
    ]
    snap["VpnGateways"] = [
        {
            "VpnGatewayId": "vgw-1",
            "State": "available",
            "VpcAttachments": [{"State": "attached", "VpcId": "vpc-1"}],
        }
    ]
    snap["SecurityGroups"] = [
        sg("sg-1", tcp(22, 22, "192.168.1.0/24"), tcp(3389, 3389, "172.16.0.0/12"))
    ]
    found = run(snap)
    assert kinds(found) == {
        ("RecognizedPortNoAgent", "VGW", "tcp", 22),
        ("NetworkExposure", "VGW", "tcp", None),
    }
    assert {f["via"] for f in found} == {"vgw-1"}
    snap["VpnGateways"][0]["VpcAttachments"] = [{"State": "detached", "VpcId": "vpc-1"}]
    assert run(snap) == []


# ---- route priority ---------------------------------------------------------------
# "How route priority works", https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html:
# the longest prefix first; among routes to the same destination, static routes,
# then prefix-list routes, then propagated routes. Its example: a static route
# to an internet gateway and a propagated one to a virtual private gateway,
# both to 172.31.0.0/24; traffic goes to the internet gateway. Here the same
# with a public range: no internet client has an address in 172.16.0.0/12.

EXAMPLE = "198.51.100.0/24"
PROPAGATED_TO_VGW = {
    "DestinationCidrBlock": EXAMPLE,
    "GatewayId": "vgw-1",
    "Origin": "EnableVgwRoutePropagation",
    "State": "active",
}


def _routes_to_the_example(*routes: dict) -> dict:
    """SSH open to EXAMPLE only; the main table has these routes after local."""
    snap = base()
    snap["RouteTables"][0]["Routes"] = [
        {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"},
        *routes,
    ]
    snap["SecurityGroups"] = [sg("sg-1", tcp(22, 22, EXAMPLE))]
    snap["VpnGateways"] = [
        {
            "VpnGatewayId": "vgw-1",
            "State": "available",
            "VpcAttachments": [{"State": "attached", "VpcId": "vpc-1"}],
        }
    ]
    return snap


def _reached_via(snap: dict) -> set[tuple[str, str]]:
    return {(f["reachability"], f["via"]) for f in run(snap) if f["port"] == 22}


def test_a_static_route_beats_a_propagated_one_to_the_same_destination():
    static_igw = {"DestinationCidrBlock": EXAMPLE, "GatewayId": "igw-1", "Origin": "CreateRoute"}
    # Listed after the propagated route: the order of the export does not matter.
    snap = _routes_to_the_example(PROPAGATED_TO_VGW, static_igw)
    assert _reached_via(snap) == {("Internet", "igw-1")}


def test_a_prefix_list_route_beats_a_propagated_one():
    by_list = {"DestinationPrefixListId": "pl-1", "GatewayId": "igw-1", "Origin": "CreateRoute"}
    snap = _routes_to_the_example(PROPAGATED_TO_VGW, by_list)
    snap["ManagedPrefixLists"] = [{"PrefixListId": "pl-1", "Entries": [{"Cidr": EXAMPLE}]}]
    assert _reached_via(snap) == {("Internet", "igw-1")}


def test_a_static_route_beats_a_prefix_list_route():
    by_list = {"DestinationPrefixListId": "pl-1", "GatewayId": "igw-1", "Origin": "CreateRoute"}
    static_vgw = {"DestinationCidrBlock": EXAMPLE, "GatewayId": "vgw-1", "Origin": "CreateRoute"}
    snap = _routes_to_the_example(by_list, static_vgw)
    snap["ManagedPrefixLists"] = [{"PrefixListId": "pl-1", "Entries": [{"Cidr": EXAMPLE}]}]
    assert _reached_via(snap) == {("VGW", "vgw-1")}


def test_a_longer_propagated_prefix_still_beats_a_shorter_static_one():
    # "more specific routes always take priority", whatever their kind.
    static_igw = {"DestinationCidrBlock": "198.51.0.0/16", "GatewayId": "igw-1"}
    snap = _routes_to_the_example(static_igw, PROPAGATED_TO_VGW)
    assert _reached_via(snap) == {("VGW", "vgw-1")}


# ---- load balancers -----------------------------------------------------------------

LB = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/1"
TG = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/1"


def _behind_alb(scheme="internet-facing", lb_port_open=True, target_rule=None) -> dict:
    snap = base()
    snap["Subnets"].append({"SubnetId": "subnet-app", "VpcId": "vpc-1", "CidrBlock": "10.0.2.0/24"})
    snap["RouteTables"].append(
        {
            "RouteTableId": "rtb-app",
            "VpcId": "vpc-1",
            "Associations": [{"SubnetId": "subnet-app"}],
            "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"}],
        }
    )
    snap["SecurityGroups"] = [
        sg("sg-alb", tcp(80, 80, "0.0.0.0/0" if lb_port_open else "10.0.0.0/8")),
        sg(
            "sg-app",
            target_rule
            or {
                "IpProtocol": "tcp",
                "FromPort": 8080,
                "ToPort": 8080,
                "UserIdGroupPairs": [{"GroupId": "sg-alb"}],
            },
        ),
    ]
    snap["NetworkInterfaces"] = [
        eni(subnet="subnet-app", ip="10.0.2.10", groups=("sg-app",), public=None)
    ]
    snap["LoadBalancers"] = [
        {
            "LoadBalancerArn": LB,
            "Scheme": scheme,
            "Type": "application",
            "VpcId": "vpc-1",
            "AvailabilityZones": [{"ZoneName": "us-east-1a", "SubnetId": "subnet-1"}],
            "SecurityGroups": ["sg-alb"],
        }
    ]
    snap["Listeners"] = [
        {
            "LoadBalancerArn": LB,
            "Port": 80,
            "Protocol": "HTTP",
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": TG}],
        }
    ]
    snap["TargetGroups"] = [
        {
            "TargetGroupArn": TG,
            "Port": 8080,
            "Protocol": "HTTP",
            "TargetType": "instance",
            "VpcId": "vpc-1",
        }
    ]
    snap["TargetHealthDescriptions"] = [
        {"TargetGroupArn": TG, "Target": {"Id": "i-1", "Port": 8080}}
    ]
    return snap


LISTENING_8080 = {
    "Agents": {"i-1": {"listening": [{"protocol": "tcp", "port": 8080, "process": "java"}]}}
}
VIA_LB = ("UnrecognizedPortWithListener", "Internet", "tcp", 8080)


def test_an_internet_facing_alb_forwards_to_the_target_port():
    found = run(_behind_alb(), LISTENING_8080)
    assert VIA_LB in kinds(found)
    assert {f["via"] for f in found} == {LB}
    assert exposure(found) == [[8080, 8080]]
    types = [s["componentType"] for s in found[0]["path"]]
    assert types.index("AWS::ElasticLoadBalancingV2::LoadBalancer") < types.index(
        "AWS::EC2::Instance"
    )


def test_an_internal_load_balancer_is_not_internet():
    assert run(_behind_alb(scheme="internal"), LISTENING_8080) == []


def test_the_lb_security_group_must_allow_the_listener_port():
    assert run(_behind_alb(lb_port_open=False), LISTENING_8080) == []


def test_the_target_must_allow_the_lb_group_or_subnets():
    closed = tcp(8080, 8080, "10.9.0.0/16")
    assert run(_behind_alb(target_rule=closed), LISTENING_8080) == []
    subnets = tcp(8080, 8080, "10.0.1.0/24")
    assert VIA_LB in kinds(run(_behind_alb(target_rule=subnets), LISTENING_8080))


def test_the_lb_needs_an_igw_route_in_its_subnet():
    snap = _behind_alb()
    snap["RouteTables"][0]["Routes"].pop()
    assert run(snap, LISTENING_8080) == []


def test_nacls_apply_on_the_way_to_the_targets():
    snap = _behind_alb()
    deny = allow_all_acl("acl-app", ("subnet-app",))
    deny["IsDefault"] = False
    deny["Entries"].insert(
        0,
        {
            "RuleNumber": 50,
            "Protocol": "6",
            "RuleAction": "deny",
            "Egress": False,
            "CidrBlock": "10.0.1.0/24",
            "PortRange": {"From": 8080, "To": 8080},
        },
    )
    snap["NetworkAcls"].append(deny)
    snap["NetworkAcls"][0]["Associations"] = [{"SubnetId": "subnet-1"}]
    assert run(snap, LISTENING_8080) == []


def test_a_classic_load_balancer():
    snap = _behind_alb()
    for key in ("LoadBalancers", "Listeners", "TargetGroups", "TargetHealthDescriptions"):
        del snap[key]
    snap["LoadBalancerDescriptions"] = [
        {
            "LoadBalancerName": "classic-web",
            "Scheme": "internet-facing",
            "VPCId": "vpc-1",
            "Subnets": ["subnet-1"],
            "SecurityGroups": ["sg-alb"],
            "ListenerDescriptions": [
                {
                    "Listener": {
                        "Protocol": "HTTP",
                        "LoadBalancerPort": 80,
                        "InstanceProtocol": "HTTP",
                        "InstancePort": 8080,
                    }
                }
            ],
            "Instances": [{"InstanceId": "i-1"}],
        }
    ]
    snap["LoadBalancerDescriptions"][0]["AvailabilityZones"] = ["us-east-1a"]
    snap["Reservations"][0]["OwnerId"] = "111122223333"
    found = run(snap, LISTENING_8080)
    assert VIA_LB in kinds(found)
    assert any(
        s["componentType"] == "AWS::ElasticLoadBalancing::LoadBalancer" for s in found[0]["path"]
    )
    # Classic LBs have no ARN in the API; this is the documented ARN form.
    assert (
        found[0]["via"]
        == "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/classic-web"
    )


def test_ip_targets_are_found_by_private_address():
    snap = _behind_alb()
    snap["TargetGroups"][0]["TargetType"] = "ip"
    snap["TargetHealthDescriptions"] = [
        {"TargetGroupArn": TG, "Target": {"Id": "10.0.2.10", "Port": 8080}}
    ]
    assert VIA_LB in kinds(run(snap, LISTENING_8080))


# "If you specify targets using an instance ID, traffic is routed to instances
# using the primary private IP address specified in the primary network
# interface for the instance."
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#target-type
# The primary interface is the one at device index 0 (eth0):
# https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-eni.html


def _two_interfaces(primary_groups: tuple[str, ...], secondary_groups: tuple[str, ...]) -> dict:
    """i-1 with a secondary interface listed before its primary one."""
    snap = _behind_alb()
    snap["SecurityGroups"].append(sg("sg-closed", tcp(8080, 8080, "10.9.0.0/16")))
    primary = eni(subnet="subnet-app", ip="10.0.2.10", groups=primary_groups, public=None)
    secondary = eni(
        "eni-2", subnet="subnet-app", ip="10.0.2.20", groups=secondary_groups, public=None
    )
    secondary["Attachment"]["DeviceIndex"] = 1
    snap["NetworkInterfaces"] = [secondary, primary]
    return snap


def test_an_instance_target_receives_on_its_primary_interface():
    found = run(_two_interfaces(("sg-app",), ("sg-closed",)), LISTENING_8080)
    assert VIA_LB in kinds(found)
    assert {f["networkInterfaceId"] for f in found} == {"eni-1"}


def test_a_secondary_interface_open_to_the_lb_gets_no_lb_traffic():
    assert run(_two_interfaces(("sg-closed",), ("sg-app",)), LISTENING_8080) == []


def test_the_primary_address_is_the_one_marked_primary():
    # PrivateIpAddresses[].Primary marks it; describe-network-interfaces
    # lists the addresses in no promised order.
    snap = _behind_alb()
    interface = snap["NetworkInterfaces"][0]
    del interface["PrivateIpAddress"]
    interface["PrivateIpAddresses"] = [
        {"Primary": False, "PrivateIpAddress": "10.0.2.99"},
        {"Primary": True, "PrivateIpAddress": "10.0.2.10"},
    ]
    # The LB subnet's NACL lets the LB send to the primary address only.
    acl = snap["NetworkAcls"][0]
    acl["Entries"][0:0] = [
        {
            "RuleNumber": 10,
            "Protocol": "-1",
            "RuleAction": "allow",
            "Egress": True,
            "CidrBlock": "10.0.2.10/32",
        },
        {
            "RuleNumber": 20,
            "Protocol": "-1",
            "RuleAction": "deny",
            "Egress": True,
            "CidrBlock": "10.0.2.0/24",
        },
    ]
    assert VIA_LB in kinds(run(snap, LISTENING_8080))


# Target health, https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html:
# the load balancer routes to healthy targets; "unused" (for example in an
# Availability Zone it does not enable) and "draining" targets get nothing;
# "If a target group contains only unhealthy registered targets, the load
# balancer routes requests to all those targets, regardless of their health
# status" (it fails open).


def _targets_in_states(*states: str) -> dict:
    """i-1 (listening on 8080) in the first state; i-2..iN, elsewhere, in the rest."""
    snap = _behind_alb()
    snap["TargetHealthDescriptions"] = [
        {
            "TargetGroupArn": TG,
            "Target": {"Id": f"i-{n}", "Port": 8080},
            "TargetHealth": {"State": state},
        }
        for n, state in enumerate(states, start=1)
    ]
    return snap


def _lb_reaches_i1(snap: dict) -> bool:
    return VIA_LB in kinds(run(snap, LISTENING_8080))


@pytest.mark.parametrize("state", ["unused", "draining", "initial", "unhealthy.draining"])
def test_a_target_out_of_service_receives_nothing(state):
    assert not _lb_reaches_i1(_targets_in_states(state, "healthy"))
    assert not _lb_reaches_i1(_targets_in_states(state))


def test_an_unhealthy_target_beside_a_healthy_one_receives_nothing():
    assert not _lb_reaches_i1(_targets_in_states("unhealthy", "healthy"))


def test_when_no_target_is_healthy_the_load_balancer_fails_open():
    assert _lb_reaches_i1(_targets_in_states("unhealthy", "unhealthy"))
    assert _lb_reaches_i1(_targets_in_states("unhealthy"))


def test_a_healthy_target_receives():
    assert _lb_reaches_i1(_targets_in_states("healthy", "unhealthy"))


@pytest.mark.parametrize(("zone", "reached"), [("us-east-1a", True), ("us-east-1b", False)])
def test_a_target_outside_the_enabled_zones_receives_nothing(zone, reached):
    # The same page: a target "in an Availability Zone that is not enabled for
    # the load balancer" is unused, whether or not the snapshot has its health.
    snap = _behind_alb()
    snap["Subnets"][1]["AvailabilityZone"] = zone
    assert snap["LoadBalancers"][0]["AvailabilityZones"][0]["ZoneName"] == "us-east-1a"
    assert _lb_reaches_i1(snap) is reached


def test_a_network_load_balancer_without_groups_passes_client_addresses():
    snap = _behind_alb(target_rule=tcp(8080, 8080, "0.0.0.0/0"))
    snap["LoadBalancers"][0].update(Type="network", SecurityGroups=[])
    snap["Listeners"][0]["Protocol"] = "TCP"
    assert VIA_LB in kinds(run(snap, LISTENING_8080))
    # A UDP listener makes a UDP finding.
    snap["Listeners"][0]["Protocol"] = "UDP"
    snap["SecurityGroups"][1] = sg("sg-app", tcp(8080, 8080, "0.0.0.0/0", proto="udp"))
    assert exposure(run(snap), "udp") == [[8080, 8080]]


# Client IP preservation, https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation:
# on by default for instance targets, off by default for ip targets with TCP
# or TLS, always on (can't be disabled) for UDP, TCP_UDP, QUIC and TCP_QUIC;
# preserve_client_ip.enabled sets it for TCP and TLS groups. With it on, the
# target sees the client's address; with it off, the load balancer's private
# address. And from the NLB security-group page,
# https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html:
# a target rule that references the NLB's security group "ensures that your
# targets accept traffic from your Network Load Balancer even if you enable
# client IP preservation".

ONLY_LB_SUBNET = tcp(8080, 8080, "10.0.1.0/24")  # the NLB's nodes live here
# Some clients on the internet, and not the NLB's own addresses.
ONLY_CLIENTS = tcp(8080, 8080, "198.51.100.0/24")


def _behind_nlb(
    target_rule: dict,
    target_type: str = "instance",
    tg_protocol: str = "TCP",
    preserve: str | None = None,
    nlb_groups: bool = False,
) -> dict:
    snap = _behind_alb(target_rule=target_rule)
    snap["LoadBalancers"][0].update(Type="network", SecurityGroups=["sg-alb"] if nlb_groups else [])
    snap["Listeners"][0]["Protocol"] = "UDP" if tg_protocol == "UDP" else "TCP"
    snap["TargetGroups"][0].update(TargetType=target_type, Protocol=tg_protocol)
    if target_type == "ip":
        snap["TargetHealthDescriptions"][0]["Target"]["Id"] = "10.0.2.10"
    if preserve is not None:
        snap["TargetGroupAttributes"] = [
            {
                "TargetGroupArn": TG,
                "Attributes": [
                    {"Key": "deregistration_delay.timeout_seconds", "Value": "300"},
                    {"Key": "preserve_client_ip.enabled", "Value": preserve},
                ],
            }
        ]
    return snap


def _nlb_reaches(snap: dict, proto: str = "tcp") -> bool:
    return exposure(run(snap), proto) == [[8080, 8080]]


def test_an_nlb_keeps_the_client_address_for_instance_targets_by_default():
    assert _nlb_reaches(_behind_nlb(ONLY_CLIENTS))
    assert not _nlb_reaches(_behind_nlb(ONLY_LB_SUBNET))


def test_an_nlb_shows_its_own_address_to_ip_targets_by_default():
    assert _nlb_reaches(_behind_nlb(ONLY_LB_SUBNET, target_type="ip"))
    assert not _nlb_reaches(_behind_nlb(ONLY_CLIENTS, target_type="ip"))


@pytest.mark.parametrize("target_type", ["instance", "ip"])
def test_the_preserve_client_ip_attribute_decides_for_tcp(target_type):
    on = _behind_nlb(ONLY_CLIENTS, target_type=target_type, preserve="true")
    assert _nlb_reaches(on)
    off = _behind_nlb(ONLY_CLIENTS, target_type=target_type, preserve="false")
    assert not _nlb_reaches(off)
    assert _nlb_reaches(_behind_nlb(ONLY_LB_SUBNET, target_type=target_type, preserve="false"))


def test_udp_groups_always_keep_the_client_address():
    udp_world = tcp(8080, 8080, "198.51.100.0/24", proto="udp")
    udp_lb = tcp(8080, 8080, "10.0.1.0/24", proto="udp")
    for target_type in ("instance", "ip"):
        snap = _behind_nlb(udp_world, target_type=target_type, tg_protocol="UDP", preserve="false")
        assert _nlb_reaches(snap, "udp")
        snap = _behind_nlb(udp_lb, target_type=target_type, tg_protocol="UDP")
        assert not _nlb_reaches(snap, "udp")


def test_a_target_that_references_the_nlb_group_accepts_kept_client_addresses():
    by_group = {
        "IpProtocol": "tcp",
        "FromPort": 8080,
        "ToPort": 8080,
        "UserIdGroupPairs": [{"GroupId": "sg-alb"}],
    }
    assert _nlb_reaches(_behind_nlb(by_group, nlb_groups=True))
    assert _nlb_reaches(_behind_nlb(by_group, target_type="ip", nlb_groups=True))
    # Without groups on the NLB there is nothing for the reference to match.
    assert not _nlb_reaches(_behind_nlb(by_group))


def test_a_bad_preserve_client_ip_value_names_its_json_path():
    snap = _behind_nlb(ONLY_CLIENTS, preserve="yes")
    with pytest.raises(SnapshotError) as err:
        analyze(snap)
    assert str(err.value).startswith("TargetGroupAttributes[0].Attributes[1].Value:")


# Listener rules (describe-rules): each rule's forward action sends the
# requests that match its conditions to its target groups, and the default
# rule takes the rest,
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-rules.html
# A path or host condition narrows which requests go there, not which
# clients can connect: the port stays reachable.

LISTENER = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/1/2"
TG_API = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/3"


def _with_rule(actions: list[dict], listener: str = LISTENER) -> dict:
    """The ALB's default action goes nowhere that answers (a fixed
    response); a rule forwards /api/* to TG_API, whose target is i-1."""
    snap = _behind_alb()
    snap["Listeners"][0]["ListenerArn"] = LISTENER
    snap["Listeners"][0]["DefaultActions"] = [
        {"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}
    ]
    snap["TargetGroups"][0]["TargetGroupArn"] = TG_API
    snap["TargetHealthDescriptions"][0]["TargetGroupArn"] = TG_API
    snap["Rules"] = [
        {
            "RuleArn": f"{LISTENER}/rule/1",
            "ListenerArn": listener,
            "Priority": "1",
            "Conditions": [{"Field": "path-pattern", "Values": ["/api/*"]}],
            "Actions": actions,
            "IsDefault": False,
        }
    ]
    return snap


def test_a_listener_rule_forwards_to_its_target_group():
    snap = _with_rule([{"Type": "forward", "TargetGroupArn": TG_API}])
    assert _lb_reaches_i1(snap)
    del snap["Rules"]
    assert not _lb_reaches_i1(snap)


def test_a_rule_of_another_listener_does_not_count():
    snap = _with_rule([{"Type": "forward", "TargetGroupArn": TG_API}], listener=LISTENER + "x")
    assert not _lb_reaches_i1(snap)


def test_a_rule_that_redirects_forwards_nothing():
    redirect = {
        "Type": "redirect",
        "RedirectConfig": {"Protocol": "HTTPS", "StatusCode": "HTTP_301"},
    }
    assert not _lb_reaches_i1(_with_rule([redirect]))


def test_a_rule_that_authenticates_then_forwards_still_forwards():
    auth = {"Type": "authenticate-cognito", "Order": 1, "AuthenticateCognitoConfig": {}}
    forward = {"Type": "forward", "Order": 2, "TargetGroupArn": TG_API}
    assert _lb_reaches_i1(_with_rule([auth, forward]))


def test_weighted_forwarding_skips_a_group_of_weight_zero():
    # Requests are shared among the groups by weight (0-999), ELBv2 API
    # Reference, TargetGroupTuple:
    # https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupTuple.html
    def weighted(weight: int) -> list[dict]:
        groups = [{"TargetGroupArn": TG_API, "Weight": weight}, {"TargetGroupArn": TG, "Weight": 1}]
        return [{"Type": "forward", "ForwardConfig": {"TargetGroups": groups}}]

    assert _lb_reaches_i1(_with_rule(weighted(1)))
    assert not _lb_reaches_i1(_with_rule(weighted(0)))


def test_a_rule_without_its_listener_arn_names_the_json_path():
    snap = _with_rule([{"Type": "forward", "TargetGroupArn": TG_API}])
    del snap["Rules"][0]["ListenerArn"]
    with pytest.raises(SnapshotError) as err:
        analyze(snap)
    assert str(err.value).startswith("Rules[0].ListenerArn:")


# ---- instances and agents --------------------------------------------------------


def test_only_running_instances_count():
    snap = base()
    snap["Reservations"] = [instance(state="stopped")]
    assert run(snap) == []


@pytest.mark.parametrize(
    ("agents", "expected"),
    [
        (None, "RecognizedPortNoAgent"),
        ({"Agents": {"i-1": {"listening": []}}}, "RecognizedPortNoListener"),
        (
            {
                "Agents": {
                    "i-1": {"listening": [{"protocol": "tcp", "port": 22, "process": "sshd"}]}
                }
            },
            "RecognizedPortWithListener",
        ),
        (
            {"Agents": {"i-1": {"listening": [{"protocol": "udp", "port": 22, "process": "x"}]}}},
            "RecognizedPortNoListener",
        ),
    ],
)
def test_the_agent_decides_the_recognized_port_type(agents, expected):
    found = run(base(), agents)
    assert {f["type"] for f in found if f["port"] == 22} == {expected}


def test_unrecognized_ports_are_reported_only_with_a_listener():
    snap = base()
    snap["SecurityGroups"] = [sg("sg-1", tcp(8000, 9000, "0.0.0.0/0"))]
    assert {f["type"] for f in run(snap)} == {"NetworkExposure"}
    agents = {
        "Agents": {"i-1": {"listening": [{"protocol": "tcp", "port": 8443, "process": "app"}]}}
    }
    found = run(snap, agents)
    unrec = [f for f in found if f["type"] == "UnrecognizedPortWithListener"]
    assert [(f["port"], f["severity"], f["portGroupName"]) for f in unrec] == [(8443, "Low", None)]


def test_every_finding_has_exactly_the_documented_keys():
    keys = {
        "type",
        "severity",
        "reachability",
        "protocol",
        "port",
        "portRanges",
        "portGroupName",
        "instanceId",
        "networkInterfaceId",
        "securityGroupIds",
        "networkAclId",
        "via",
        "path",
    }
    found = run(base())
    assert found
    for f in found:
        assert set(f) == keys
        assert all(set(step) == {"componentId", "componentType"} for step in f["path"])
    exp = next(f for f in found if f["type"] == "NetworkExposure")
    assert exp["severity"] == "Informational"


# ---- why not -------------------------------------------------------------------------


def test_why_not_names_the_nacl_rule_that_blocks():
    snap = base()
    snap["NetworkAcls"] = [_acl(_e(100, "deny", "6", ports=(22, 22)), _e(200, "allow"), OUT_ALL)]
    result = analyze(snap, why_not=True)
    assert list(result) == []
    [why] = result.why_not
    assert why.blocked_by == "acl-1"
    assert why.reason == "nacl-inbound-deny"
    assert "sg-1 allows tcp 22" in why.message
    assert "rule 100 denies" in why.message


def test_why_not_names_a_missing_public_ip():
    snap = base()
    snap["NetworkInterfaces"] = [eni(public=None)]
    result = analyze(snap, why_not=True)
    assert [w.reason for w in result.why_not] == ["no-public-ip"]
    assert result.why_not[0].blocked_by == "eni-1"


def test_why_not_is_off_by_default():
    snap = base()
    snap["NetworkInterfaces"] = [eni(public=None)]
    assert analyze(snap).why_not == ()
    assert "whyNot" not in analyze(snap).to_dict()


def test_private_ranges_never_come_from_the_internet():
    snap = base()
    # 172.16.0.0/12 is not local to vpc-1 and 0.0.0.0/0 goes to the IGW, but no
    # packet with an RFC 1918 source arrives from the internet.
    snap["SecurityGroups"] = [sg("sg-1", tcp(22, 22, "172.16.0.0/12"))]
    assert run(snap) == []


def test_why_not_names_an_inactive_peering_or_a_detached_gateway():
    result = analyze(_peered(status="pending-acceptance"), why_not=True)
    assert list(result) == []
    assert [(w.reason, w.blocked_by) for w in result.why_not] == [("gateway-unusable", "pcx-1")]
    assert "not active" in result.why_not[0].message
    snap = base()
    snap["InternetGateways"][0]["Attachments"] = []
    reasons = [(w.reason, w.blocked_by) for w in analyze(snap, why_not=True).why_not]
    assert reasons == [("gateway-unusable", "igw-1")]


def test_an_instance_described_without_its_enis():
    # Hand-written snapshots may give only the instance's own fields.
    snap = base()
    del snap["NetworkInterfaces"]
    snap["Reservations"] = [
        {
            "Instances": [
                {
                    "InstanceId": "i-1",
                    "State": {"Name": "running"},
                    "SubnetId": "subnet-1",
                    "VpcId": "vpc-1",
                    "PrivateIpAddress": "10.0.1.10",
                    "PublicIpAddress": "198.51.100.10",
                    "SecurityGroups": [{"GroupId": "sg-1", "GroupName": "ssh"}],
                }
            ]
        }
    ]
    assert SSH in kinds(run(snap))
    # With the ENI listed separately, it is that ENI, once.
    snap["NetworkInterfaces"] = [eni()]
    found = run(snap)
    assert {f["networkInterfaceId"] for f in found} == {"eni-1"}
    assert len([f for f in found if f["port"] == 22]) == 1
