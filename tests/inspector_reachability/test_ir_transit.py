"""Transit gateways, gateway route tables, and the local route against
propagated ones: one test per rule, each from the AWS page cited beside it.

The network: vpc-1 (10.0.0.0/16) holds i-1 at 10.0.1.10 in subnet-1
(us-east-1a), whose security group opens TCP 22 to 10.0.0.0/8. vpc-2
(10.2.0.0/16) and an on-premises network behind a VPN (192.168.0.0/16,
described by no VPC) are attached to tgw-1 too.
"""

from __future__ import annotations

import pytest
from inspector_reachability import SnapshotError, analyze
from ir_snap import base, sg, tcp  # type: ignore[import-not-found]

ATT_1, ATT_2, ATT_VPN = "tgw-attach-1", "tgw-attach-2", "tgw-attach-vpn"


def run(snap, why_not=False):
    return analyze(snap, why_not=why_not).to_dict()


def ssh_via(snap) -> set[tuple[str, str]]:
    return {(f["reachability"], f["via"]) for f in run(snap)["findings"] if f["port"] == 22}


def tgw_net(
    *,
    with_routes: bool = True,
    vpn_route_to: str | None = ATT_1,
    vpc2_route_to: str | None = ATT_1,
) -> dict:
    snap = base()
    snap["Subnets"][0]["AvailabilityZone"] = "us-east-1a"
    snap["Vpcs"].append({"VpcId": "vpc-2", "CidrBlock": "10.2.0.0/16"})
    snap["RouteTables"][0]["Routes"] = [
        {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"},
        {"DestinationCidrBlock": "10.0.0.0/8", "TransitGatewayId": "tgw-1"},
        {"DestinationCidrBlock": "192.168.0.0/16", "TransitGatewayId": "tgw-1"},
    ]
    snap["SecurityGroups"] = [
        sg("sg-1", tcp(22, 22, "10.0.0.0/8"), tcp(3389, 3389, "192.168.0.0/16"))
    ]
    snap["TransitGateways"] = [{"TransitGatewayId": "tgw-1", "State": "available"}]

    def attachment(att_id: str, kind: str, resource: str, table: str) -> dict:
        return {
            "TransitGatewayAttachmentId": att_id,
            "TransitGatewayId": "tgw-1",
            "ResourceType": kind,
            "ResourceId": resource,
            "State": "available",
            "Association": {"TransitGatewayRouteTableId": table, "State": "associated"},
        }

    snap["TransitGatewayAttachments"] = [
        attachment(ATT_1, "vpc", "vpc-1", "tgw-rtb-vpcs"),
        attachment(ATT_2, "vpc", "vpc-2", "tgw-rtb-vpcs"),
        attachment(ATT_VPN, "vpn", "vpn-1", "tgw-rtb-vpn"),
    ]
    snap["TransitGatewayRouteTables"] = [
        {"TransitGatewayRouteTableId": t, "TransitGatewayId": "tgw-1", "State": "available"}
        for t in ("tgw-rtb-vpcs", "tgw-rtb-vpn")
    ]

    def route(table: str, cidr: str, to: str, kind: str, typ: str = "propagated") -> dict:
        return {
            "TransitGatewayRouteTableId": table,
            "DestinationCidrBlock": cidr,
            "TransitGatewayAttachments": [
                {"TransitGatewayAttachmentId": to, "ResourceType": kind, "ResourceId": "x"}
            ],
            "Type": typ,
            "State": "active",
        }

    if with_routes:
        routes = []
        if vpc2_route_to:
            routes.append(route("tgw-rtb-vpcs", "10.0.0.0/16", vpc2_route_to, "vpc"))
        if vpn_route_to:
            routes.append(route("tgw-rtb-vpn", "10.0.0.0/16", vpn_route_to, "vpc"))
        snap["TransitGatewayRoutes"] = routes
    return snap


# The route tables of a transit gateway decide where traffic from each
# attachment goes, and the VPC's own route table where the replies go:
# https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html
# https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html


def test_a_vpc_attached_to_a_transit_gateway_is_reached_through_it():
    found = run(tgw_net())["findings"]
    ssh = [f for f in found if f["port"] == 22]
    assert {(f["reachability"], f["via"]) for f in ssh} == {("TransitGateway", "tgw-1")}
    steps = [s["componentType"] for s in ssh[0]["path"]]
    assert steps[0] == "AWS::EC2::TransitGateway"
    # RDP from the on-premises range comes through the VPN attachment.
    rdp = [f for f in found if f["port"] == 3389]
    assert {f["reachability"] for f in rdp} == {"TransitGateway"}


def test_traffic_only_comes_from_attachments_whose_route_table_routes_back():
    # The VPN's route table has no route to vpc-1: nothing from on premises.
    found = run(tgw_net(vpn_route_to=None))["findings"]
    assert {f["port"] for f in found if f["type"] != "NetworkExposure"} == {22}
    exposure = [f for f in found if f["type"] == "NetworkExposure"]
    assert [f["portRanges"] for f in exposure] == [[[22, 22]]]
    # Neither routes back: no path at all.
    assert run(tgw_net(vpn_route_to=None, vpc2_route_to=None))["findings"] == []


def test_a_route_to_another_attachment_does_not_bring_traffic_here():
    assert ssh_via(tgw_net(vpn_route_to=None, vpc2_route_to=ATT_2)) == set()


def test_a_vpc_attachment_in_the_snapshot_brings_only_that_vpcs_addresses():
    # vpc-2 is 10.2.0.0/16: a group open to 10.9.0.0/16 only is not reached
    # through vpc-2. (A VPN could bring any address, so it routes nothing here.)
    snap = tgw_net(vpn_route_to=None)
    snap["SecurityGroups"] = [sg("sg-1", tcp(22, 22, "10.9.0.0/16"))]
    assert ssh_via(snap) == set()
    snap["SecurityGroups"] = [sg("sg-1", tcp(22, 22, "10.2.0.0/16"))]
    assert ssh_via(snap) == {("TransitGateway", "tgw-1")}


def test_without_the_transit_gateway_routes_this_sides_routes_decide():
    assert ssh_via(tgw_net(with_routes=False)) == {("TransitGateway", "tgw-1")}


def test_a_vpc_without_an_attachment_gets_nothing_through_the_gateway():
    snap = tgw_net()
    snap["TransitGatewayAttachments"] = snap["TransitGatewayAttachments"][1:]
    assert ssh_via(snap) == set()
    why = run(snap, why_not=True)["whyNot"]
    assert any(w["reason"] == "gateway-unusable" and w["via"] == "tgw-1" for w in why)


def test_a_transit_gateway_that_is_not_available_carries_nothing():
    snap = tgw_net()
    snap["TransitGateways"][0]["State"] = "deleted"
    assert ssh_via(snap) == set()


# "When you attach a VPC to a transit gateway, any resources in Availability
# Zones where there is no transit gateway attachment cannot reach the transit
# gateway": https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html
@pytest.mark.parametrize(("zone", "reached"), [("us-east-1a", True), ("us-east-1b", False)])
def test_only_zones_with_an_attachment_subnet_are_reached(zone, reached):
    snap = tgw_net()
    snap["Subnets"].append(
        {"SubnetId": "subnet-tgw", "VpcId": "vpc-1", "CidrBlock": "10.0.9.0/28"}
        | {"AvailabilityZone": zone}
    )
    snap["TransitGatewayVpcAttachments"] = [
        {
            "TransitGatewayAttachmentId": ATT_1,
            "TransitGatewayId": "tgw-1",
            "VpcId": "vpc-1",
            "SubnetIds": ["subnet-tgw"],
            "State": "available",
        }
    ]
    assert bool(ssh_via(snap)) is reached


def test_the_transit_gateway_route_table_uses_the_longest_prefix():
    # A more specific route in the VPC table sends vpc-1's 10.0.1.0/24 to the
    # VPN instead: the VPN then gets the replies, vpc-2 doesn't.
    snap = tgw_net(vpn_route_to=None)
    snap["TransitGatewayRoutes"].append(
        {
            "TransitGatewayRouteTableId": "tgw-rtb-vpcs",
            "DestinationCidrBlock": "10.0.1.0/24",
            "TransitGatewayAttachments": [
                {"TransitGatewayAttachmentId": ATT_VPN, "ResourceType": "vpn", "ResourceId": "x"}
            ],
            "Type": "static",
            "State": "active",
        }
    )
    assert ssh_via(snap) == set()


def test_a_blackhole_route_in_the_transit_gateway_carries_nothing():
    snap = tgw_net(vpn_route_to=None)
    snap["TransitGatewayRoutes"][0]["State"] = "blackhole"
    assert ssh_via(snap) == set()


def test_a_transit_gateway_route_without_a_destination_names_its_json_path():
    snap = tgw_net()
    del snap["TransitGatewayRoutes"][0]["DestinationCidrBlock"]
    with pytest.raises(SnapshotError) as err:
        analyze(snap)
    assert str(err.value).startswith("TransitGatewayRoutes[0].DestinationCidrBlock:")


# ---- gateway route tables ----------------------------------------------------
# A route table associated with an internet gateway may send a subnet's
# inbound traffic to a middlebox (a network interface or a Gateway Load
# Balancer endpoint) first:
# https://docs.aws.amazon.com/vpc/latest/userguide/gateway-route-tables.html


def _with_gateway_table(target: dict, destination: str = "10.0.1.0/24") -> dict:
    snap = base()
    snap["RouteTables"].append(
        {
            "RouteTableId": "rtb-edge",
            "VpcId": "vpc-1",
            "Associations": [{"Main": False, "GatewayId": "igw-1"}],
            "Routes": [
                {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"},
                {"DestinationCidrBlock": destination, **target},
            ],
        }
    )
    return snap


def test_a_gateway_route_table_puts_the_middlebox_on_the_path():
    snap = _with_gateway_table({"NetworkInterfaceId": "eni-firewall"})
    ssh = [f for f in run(snap)["findings"] if f["port"] == 22]
    assert ssh, "the subnet is still reachable through the appliance"
    steps = [(s["componentId"], s["componentType"]) for s in ssh[0]["path"]]
    assert steps[:2] == [
        ("igw-1", "AWS::EC2::InternetGateway"),
        ("eni-firewall", "AWS::EC2::NetworkInterface"),
    ]


def test_a_gateway_load_balancer_endpoint_is_a_step_too():
    snap = _with_gateway_table({"GatewayId": "vpce-0gwlb"})
    ssh = [f for f in run(snap)["findings"] if f["port"] == 22]
    assert ("vpce-0gwlb", "AWS::EC2::VPCEndpoint") in [
        (s["componentId"], s["componentType"]) for s in ssh[0]["path"]
    ]


def test_a_gateway_route_to_another_subnet_leaves_this_one_alone():
    snap = _with_gateway_table({"NetworkInterfaceId": "eni-firewall"}, "10.0.2.0/24")
    ssh = [f for f in run(snap)["findings"] if f["port"] == 22]
    assert [s["componentType"] for s in ssh[0]["path"]][1] != "AWS::EC2::NetworkInterface"


def test_a_gateway_route_that_is_a_blackhole_lets_nothing_in():
    snap = _with_gateway_table({"NetworkInterfaceId": "eni-gone", "State": "blackhole"})
    assert [f for f in run(snap)["findings"] if f["port"] == 22] == []
    why = run(snap, why_not=True)["whyNot"]
    assert any(w["reason"] == "gateway-unusable" and "rtb-edge" in w["message"] for w in why)


def test_a_gateway_route_table_is_not_a_subnet_route_table():
    # Its association names a gateway, not a subnet: subnet-1 keeps the main
    # table's route to the internet.
    snap = _with_gateway_table({"NetworkInterfaceId": "eni-firewall"})
    snap["RouteTables"][1]["Routes"] = [
        {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"}
    ]
    assert {v for v in ssh_via(snap)} == {("Internet", "igw-1")}


# ---- the local route against propagated routes ---------------------------------
# "If propagated routes from a Site-to-Site VPN connection or AWS Direct
# Connect connection overlap with the local route for your VPC, the local
# route is most preferred even if the propagated routes are more specific":
# https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-route-priority.html


def test_the_local_route_beats_a_more_specific_propagated_route():
    snap = base()
    snap["SecurityGroups"] = [sg("sg-1", tcp(22, 22, "10.0.0.0/8"))]
    snap["VpnGateways"] = [
        {
            "VpnGatewayId": "vgw-1",
            "State": "available",
            "VpcAttachments": [{"State": "attached", "VpcId": "vpc-1"}],
        }
    ]
    propagated = {
        "DestinationCidrBlock": "10.0.5.0/24",
        "GatewayId": "vgw-1",
        "Origin": "EnableVgwRoutePropagation",
    }
    snap["RouteTables"][0]["Routes"].append(propagated)
    assert ssh_via(snap) == set()
    # A static route to the same range is not overruled by the local route.
    snap["RouteTables"][0]["Routes"][-1] = {**propagated, "Origin": "CreateRoute"}
    assert ssh_via(snap) == {("VGW", "vgw-1")}
