"""scripts/snapshot.sh against a stand-in `aws` that answers from a sample:
the merged file must analyse exactly like the sample itself."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from inspector_reachability import analyze, load_sample

ROOT = Path(__file__).resolve().parents[2]

FAKE_AWS = r"""
import json, sys
snap = json.load(open(sys.argv[1]))
service, op, *rest = sys.argv[2:]
args = dict(zip(rest[::2], rest[1::2]))
simple = {
    "describe-vpcs": "Vpcs", "describe-subnets": "Subnets", "describe-route-tables": "RouteTables",
    "describe-internet-gateways": "InternetGateways", "describe-vpn-gateways": "VpnGateways",
    "describe-vpc-peering-connections": "VpcPeeringConnections", "describe-network-acls": "NetworkAcls",
    "describe-security-groups": "SecurityGroups", "describe-network-interfaces": "NetworkInterfaces",
    "describe-instances": "Reservations", "describe-target-groups": "TargetGroups",
    "describe-transit-gateways": "TransitGateways",
    "describe-transit-gateway-attachments": "TransitGatewayAttachments",
    "describe-transit-gateway-vpc-attachments": "TransitGatewayVpcAttachments",
    "describe-transit-gateway-route-tables": "TransitGatewayRouteTables",
}
if service == "elb":
    out = {"LoadBalancerDescriptions": []}
elif op in simple:
    out = {simple[op]: snap.get(simple[op], [])}
elif op == "describe-managed-prefix-lists":
    out = {"PrefixLists": [{k: v for k, v in p.items() if k != "Entries"} for p in snap["ManagedPrefixLists"]]}
elif op == "get-managed-prefix-list-entries":
    pl = next(p for p in snap["ManagedPrefixLists"] if p["PrefixListId"] == args["--prefix-list-id"])
    out = {"Entries": pl["Entries"]}
elif op == "describe-load-balancers":
    out = {"LoadBalancers": snap["LoadBalancers"]}
elif op == "describe-listeners":
    out = {"Listeners": [x for x in snap["Listeners"] if x["LoadBalancerArn"] == args["--load-balancer-arn"]]}
elif op == "search-transit-gateway-routes":
    assert args["--filters"] == "Name=state,Values=active,blackhole", args
    table = args["--transit-gateway-route-table-id"]
    out = {"Routes": [
        {k: v for k, v in r.items() if k != "TransitGatewayRouteTableId"}
        for r in snap.get("TransitGatewayRoutes", []) if r["TransitGatewayRouteTableId"] == table],
        "AdditionalRoutesAvailable": False}
elif op == "describe-rules":
    out = {"Rules": [
        {k: v for k, v in r.items() if k != "ListenerArn"}
        for r in snap.get("Rules", []) if r["ListenerArn"] == args["--listener-arn"]]}
elif op == "describe-target-group-attributes":
    out = {"Attributes": [a for t in snap.get("TargetGroupAttributes", [])
                          if t["TargetGroupArn"] == args["--target-group-arn"]
                          for a in t["Attributes"]]}
elif op == "describe-target-health":
    out = {"TargetHealthDescriptions": [
        {k: v for k, v in t.items() if k != "TargetGroupArn"}
        for t in snap["TargetHealthDescriptions"] if t["TargetGroupArn"] == args["--target-group-arn"]]}
else:
    sys.exit(f"fake aws: unexpected {sys.argv[2:]}")
print(json.dumps(out))
"""


def test_snapshot_script_output_analyses_like_the_sample(tmp_path):
    assert shutil.which("jq"), "scripts/snapshot.sh needs jq (apt-get install jq)"
    snapshot, agents = load_sample("web-alb")
    snapshot["ManagedPrefixLists"] = [
        {
            "PrefixListId": "pl-0office",
            "PrefixListName": "office",
            "AddressFamily": "IPv4",
            "Entries": [{"Cidr": "198.51.100.0/24", "Description": "office"}],
        }
    ]
    snapshot["SecurityGroups"][1]["IpPermissions"].append(
        {
            "IpProtocol": "tcp",
            "FromPort": 22,
            "ToPort": 22,
            "PrefixListIds": [{"PrefixListId": "pl-0office"}],
        }
    )
    # A path rule on the first listener forwarding to a second group, whose
    # one target is another instance; and that group's attributes.
    listener = snapshot["Listeners"][0]
    second = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/0a0b0c0d0e0f0a0b"
    snapshot["TargetGroups"].append({**snapshot["TargetGroups"][0], "TargetGroupArn": second})
    snapshot["TargetHealthDescriptions"].append(
        {**snapshot["TargetHealthDescriptions"][0], "TargetGroupArn": second}
    )
    snapshot["Rules"] = [
        {
            "RuleArn": listener["ListenerArn"].replace(":listener/", ":listener-rule/") + "/1",
            "ListenerArn": listener["ListenerArn"],
            "Priority": "1",
            "Conditions": [{"Field": "path-pattern", "Values": ["/api/*"]}],
            "Actions": [{"Type": "forward", "TargetGroupArn": second}],
            "IsDefault": False,
        }
    ]
    snapshot["TargetGroupAttributes"] = [
        {
            "TargetGroupArn": second,
            "Attributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "300"}],
        }
    ]
    # A transit gateway with two route tables, one route each.
    snapshot["TransitGateways"] = [{"TransitGatewayId": "tgw-1", "State": "available"}]
    snapshot["TransitGatewayAttachments"] = []
    snapshot["TransitGatewayVpcAttachments"] = []
    snapshot["TransitGatewayRouteTables"] = [
        {"TransitGatewayRouteTableId": t, "TransitGatewayId": "tgw-1"} for t in ("rt-a", "rt-b")
    ]
    snapshot["TransitGatewayRoutes"] = [
        {
            "TransitGatewayRouteTableId": t,
            "DestinationCidrBlock": cidr,
            "TransitGatewayAttachments": [],
            "Type": "static",
            "State": "blackhole",
        }
        for t, cidr in (("rt-a", "10.50.0.0/16"), ("rt-b", "10.60.0.0/16"))
    ]
    (tmp_path / "sample.json").write_text(json.dumps(snapshot))
    (tmp_path / "fake_aws.py").write_text(FAKE_AWS)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    aws = bin_dir / "aws"
    aws.write_text(
        f'#!/bin/sh\nexec "{sys.executable}" "{tmp_path / "fake_aws.py"}" "{tmp_path / "sample.json"}" "$@"\n'
    )
    aws.chmod(0o755)
    out = tmp_path / "snapshot.json"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    run = subprocess.run(
        ["bash", str(ROOT / "scripts" / "snapshot.sh"), str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    merged = json.loads(out.read_text())
    assert merged["ManagedPrefixLists"][0]["Entries"] == [
        {"Cidr": "198.51.100.0/24", "Description": "office"}
    ]
    assert all("TargetGroupArn" in t for t in merged["TargetHealthDescriptions"])
    assert [r["ListenerArn"] for r in merged["Rules"]] == [listener["ListenerArn"]]
    assert [
        (r["TransitGatewayRouteTableId"], r["DestinationCidrBlock"])
        for r in merged["TransitGatewayRoutes"]
    ] == [("rt-a", "10.50.0.0/16"), ("rt-b", "10.60.0.0/16")]
    assert merged["TransitGateways"] == snapshot["TransitGateways"]
    assert {t["TargetGroupArn"] for t in merged["TargetGroupAttributes"]} == {
        snapshot["TargetGroups"][0]["TargetGroupArn"],
        second,
    }
    assert analyze(merged, agents).to_dict() == analyze(snapshot, agents).to_dict()
    assert "wrote" in run.stderr
