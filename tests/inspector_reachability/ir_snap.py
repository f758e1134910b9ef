"""Minimal snapshots written out by hand, field names as the EC2 API returns
them, so the tests do not depend on the package's own builder."""

from __future__ import annotations

import copy
from typing import Any

Snap = dict[str, Any]


def allow_all_acl(acl_id: str = "acl-1", subnets: tuple[str, ...] = ("subnet-1",)) -> dict:
    return {
        "NetworkAclId": acl_id,
        "VpcId": "vpc-1",
        "IsDefault": True,
        "Associations": [{"NetworkAclId": acl_id, "SubnetId": s} for s in subnets],
        "Entries": [
            {
                "RuleNumber": 100,
                "Protocol": "-1",
                "RuleAction": "allow",
                "Egress": e,
                "CidrBlock": "0.0.0.0/0",
            }
            for e in (False, True)
        ]
        + [
            {
                "RuleNumber": 32767,
                "Protocol": "-1",
                "RuleAction": "deny",
                "Egress": e,
                "CidrBlock": "0.0.0.0/0",
            }
            for e in (False, True)
        ],
    }


def sg(group_id: str, *perms: dict) -> dict:
    return {
        "GroupId": group_id,
        "GroupName": group_id,
        "VpcId": "vpc-1",
        "IpPermissions": list(perms),
    }


def tcp(lo: int, hi: int | None = None, *cidrs: str, proto: str = "tcp") -> dict:
    return {
        "IpProtocol": proto,
        "FromPort": lo,
        "ToPort": lo if hi is None else hi,
        "IpRanges": [{"CidrIp": c} for c in cidrs],
    }


def eni(
    eni_id: str = "eni-1",
    subnet: str = "subnet-1",
    ip: str = "10.0.1.10",
    groups: tuple[str, ...] = ("sg-1",),
    instance: str = "i-1",
    public: str | None = "198.51.100.10",
    vpc: str = "vpc-1",
) -> dict:
    out: dict[str, Any] = {
        "NetworkInterfaceId": eni_id,
        "SubnetId": subnet,
        "VpcId": vpc,
        "PrivateIpAddress": ip,
        "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": ip}],
        "Groups": [{"GroupId": g} for g in groups],
        "Attachment": {"InstanceId": instance, "DeviceIndex": 0},
    }
    if public:
        out["Association"] = {"PublicIp": public}
        out["PrivateIpAddresses"][0]["Association"] = {"PublicIp": public}
    return out


def instance(instance_id: str = "i-1", state: str = "running") -> dict:
    return {"Instances": [{"InstanceId": instance_id, "State": {"Name": state}}]}


def base() -> Snap:
    """One public subnet with an instance whose SG opens TCP 22 to the world."""
    return copy.deepcopy(
        {
            "Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}],
            "Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24"}],
            "RouteTables": [
                {
                    "RouteTableId": "rtb-main",
                    "VpcId": "vpc-1",
                    "Associations": [{"Main": True}],
                    "Routes": [
                        {
                            "DestinationCidrBlock": "10.0.0.0/16",
                            "GatewayId": "local",
                            "State": "active",
                        },
                        {
                            "DestinationCidrBlock": "0.0.0.0/0",
                            "GatewayId": "igw-1",
                            "State": "active",
                        },
                    ],
                }
            ],
            "InternetGateways": [
                {
                    "InternetGatewayId": "igw-1",
                    "Attachments": [{"State": "available", "VpcId": "vpc-1"}],
                }
            ],
            "NetworkAcls": [allow_all_acl()],
            "SecurityGroups": [sg("sg-1", tcp(22, 22, "0.0.0.0/0"))],
            "NetworkInterfaces": [eni()],
            "Reservations": [instance()],
        }
    )


def kinds(findings: Any) -> set[tuple[str, str, str, int | None]]:
    """(type, reachability, protocol, port) of each finding."""
    return {(f["type"], f["reachability"], f["protocol"], f["port"]) for f in findings}


def exposure(findings: list[dict], protocol: str = "tcp") -> list[list[int]] | None:
    for f in findings:
        if f["type"] == "NetworkExposure" and f["protocol"] == protocol:
            return f["portRanges"]
    return None
