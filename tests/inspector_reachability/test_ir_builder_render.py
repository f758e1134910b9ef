"""The builder (for page demos) writes AWS-shaped snapshots, and the renderers
show what the findings say."""

from __future__ import annotations

import json

from inspector_reachability import (
    Network,
    analyze,
    load_sample,
    mermaid_path,
    recognized_ports,
    summary,
    to_table,
)


def _shop() -> Network:
    return (
        Network()
        .vpc("10.0.0.0/16", name="shop")
        .public_subnet("public", "10.0.1.0/24")
        .private_subnet("app", "10.0.2.0/24")
        .sg("bastion", "tcp 22 from 0.0.0.0/0")
        .sg("alb", "tcp 443 from 0.0.0.0/0")
        .sg("app", "tcp 8080 from sg-alb")
        .instance("bastion", subnet="public", sgs=["bastion"], public_ip=True)
        .instance("app", subnet="app", sgs=["app"], listening=["tcp 8080"])
        .alb("shop", subnets=["public"], sgs=["alb"], listen=443, targets=["app"], target_port=8080)
    )


def test_the_builder_snapshot_is_plain_json_with_aws_keys():
    snap = _shop().snapshot()
    assert json.loads(json.dumps(snap)) == snap
    assert {
        "Vpcs",
        "Subnets",
        "RouteTables",
        "NetworkAcls",
        "SecurityGroups",
        "Reservations",
    } <= set(snap)
    public = next(rt for rt in snap["RouteTables"] if rt["RouteTableId"] == "rtb-public")
    assert {
        "DestinationCidrBlock": "0.0.0.0/0",
        "GatewayId": "igw-shop",
        "State": "active",
    } in public["Routes"]


def test_the_builder_network_gives_the_expected_findings():
    found = {(f.type, f.instance_id, f.protocol, f.port) for f in _shop().analyze()}
    assert found == {
        ("RecognizedPortNoAgent", "i-bastion", "tcp", 22),  # no listening=: no agent
        ("NetworkExposure", "i-bastion", "tcp", None),
        ("UnrecognizedPortWithListener", "i-app", "tcp", 8080),  # through the ALB
        ("NetworkExposure", "i-app", "tcp", None),
    }


def test_builder_nacl_peering_and_vpn():
    net = (
        Network()
        .vpc("10.1.0.0/16", name="peer")
        .private_subnet("p", "10.1.1.0/24")
        .vpc("10.0.0.0/16", name="main")
        .private_subnet("db", "10.0.5.0/24")
        .sg("db", "tcp 5432 from 10.1.0.0/16", "tcp 1433 from 192.168.0.0/16")
        .instance("db", subnet="db", sgs=["db"])
        .peer("peer", routes="here")
        .vpn("192.168.0.0/16")
    )
    assert {(f.reachability, f.port) for f in net.analyze() if f.port} == {("VGW", 1433)}
    net.nacl(
        "db",
        "100 deny tcp 1433 from 192.168.0.0/16",
        "200 allow all from 0.0.0.0/0",
        "100 allow all to 0.0.0.0/0",
    )
    assert [f.port for f in net.analyze() if f.port] == []


def test_summary_and_table():
    snapshot, agents = load_sample("vpn")
    result = analyze(snapshot, agents)
    assert summary(result) == "6 findings on 1 instance (4 Medium, 2 Informational)"
    table = to_table(result).splitlines()
    assert len(table) == 1 + 6 + 1
    # Sorted by severity, then port (the sample's README lists what it opens).
    start, end = table[0].index("PORT"), table[0].index("INSTANCE")
    ports = [line[start:end].strip() for line in table[1:-1]]
    assert ports == [
        "udp 137 (NetBIOS)",
        "udp 138 (NetBIOS)",
        "tcp 445 (SMB)",
        "tcp 3389 (RDP)",
        "udp 137-138",
        "tcp 445, 3389",
    ]
    assert to_table([]).startswith("No findings")


def test_mermaid_path_follows_the_steps():
    snapshot, agents = load_sample("web-alb")
    finding = analyze(snapshot, agents)[0]
    source = mermaid_path(finding)
    # Left to right, as a path reads; each box is the kind over the id.
    assert source.startswith("flowchart LR\n")
    labels = [line.split('["', 1)[1].split('"]')[0] for line in source.splitlines() if '["' in line]
    assert labels[0] == "InternetGateway<br>igw-0a11000000000001"
    assert "LoadBalancer<br>shop-web" in labels
    assert labels[-1] == "tcp 8080"


def test_the_recognized_ports_table_is_inspector_classics():
    table = recognized_ports()
    assert table.source.startswith("https://docs.aws.amazon.com/inspector/v1/userguide/")
    # Spot checks against the published table.
    assert table.by_port[("tcp", 22)] == ("SSH", "Medium")
    assert table.by_port[("udp", 1434)][0] == "SQL Server"
    assert table.by_port[("tcp", 9200)][0] == "Elasticsearch"
    assert ("udp", 3306) not in table.by_port
    # 45 TCP ports are listed; 111 is both NFS and RPC.
    assert len(table.ports("tcp")) == 44
