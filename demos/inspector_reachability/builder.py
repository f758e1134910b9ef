"""Describe a small network in a few lines and get an AWS-shaped snapshot.

    net = (
        Network()
        .vpc("10.0.0.0/16")
        .public_subnet("web", "10.0.1.0/24")
        .sg("ssh", "tcp 22 from 0.0.0.0/0")
        .instance("bastion", subnet="web", sgs=["ssh"], public_ip=True)
    )
    net.analyze()

Ids are made from the names you give (``sg-ssh``, ``i-bastion``), so the
findings read like the code. ``snapshot()`` returns exactly what
``aws ec2 describe-*`` would, merged, so everything the builder makes can
also be saved and fed to the CLI.
"""

from __future__ import annotations

import copy
from typing import Any

from .findings import Result

Obj = dict[str, Any]

_ALLOW_ALL = [
    {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "CidrBlock": "0.0.0.0/0"},
    {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "CidrBlock": "0.0.0.0/0"},
]
_PROTO = {"tcp": "6", "udp": "17", "all": "-1"}


def _rule(text: str) -> tuple[str, int | None, int | None, str]:
    """``"tcp 22 from 0.0.0.0/0"``, ``"udp 1000-2000 from sg-web"``, ``"all from 10.0.0.0/8"``."""
    words = text.split()
    if len(words) < 3 or words[-2] != "from" or words[0] not in _PROTO:
        raise ValueError(f"rule {text!r}: write it like 'tcp 22 from 0.0.0.0/0'")
    proto, source = words[0], words[-1]
    lo = hi = None
    if proto != "all":
        if len(words) != 4:
            raise ValueError(f"rule {text!r}: name the port, like 'tcp 22 from ...'")
        first, _, last = words[1].partition("-")
        lo, hi = int(first), int(last or first)
    return proto, lo, hi, source


class Network:
    """A fluent builder for small VPC networks (for demos and tests)."""

    def __init__(self, region: str = "us-east-1", account: str = "111122223333") -> None:
        self.region = region
        self.account = account
        self._snap: dict[str, list[Obj]] = {
            key: []
            for key in (
                "Vpcs",
                "Subnets",
                "RouteTables",
                "InternetGateways",
                "VpnGateways",
                "VpcPeeringConnections",
                "NetworkAcls",
                "SecurityGroups",
                "NetworkInterfaces",
                "Reservations",
                "LoadBalancers",
                "Listeners",
                "TargetGroups",
                "TargetHealthDescriptions",
            )
        }
        self._agents: dict[str, Obj] = {}
        self._vpc: Obj | None = None
        self._subnets: dict[str, Obj] = {}
        self._count = 0

    # ---- helpers -----------------------------------------------------------

    def _next(self) -> int:
        self._count += 1
        return self._count

    def _current(self) -> Obj:
        if self._vpc is None:
            raise ValueError("call .vpc(cidr) first")
        return self._vpc

    def _tables(self, vpc_id: str) -> list[Obj]:
        return [rt for rt in self._snap["RouteTables"] if rt["VpcId"] == vpc_id]

    def _subnet(self, name: str) -> Obj:
        if name not in self._subnets:
            raise ValueError(f"no subnet named {name!r}")
        return self._subnets[name]

    def _ip(self, subnet: Obj, host: int) -> str:
        base = subnet["CidrBlock"].split("/")[0].split(".")
        return ".".join([*base[:3], str(int(base[3]) + host)])

    # ---- VPCs, subnets, gateways ---------------------------------------------

    def vpc(self, cidr: str, name: str | None = None) -> Network:
        """Start a VPC (with its main route table and an allow-all default NACL)."""
        n = self._next()
        vpc_id = f"vpc-{name or n}"
        self._vpc = {"VpcId": vpc_id, "CidrBlock": cidr, "State": "available"}
        self._snap["Vpcs"].append(self._vpc)
        self._snap["RouteTables"].append(
            {
                "RouteTableId": f"rtb-{name or n}-main",
                "VpcId": vpc_id,
                "Associations": [{"Main": True, "RouteTableId": f"rtb-{name or n}-main"}],
                "Routes": [{"DestinationCidrBlock": cidr, "GatewayId": "local", "State": "active"}],
            }
        )
        self._snap["NetworkAcls"].append(
            {
                "NetworkAclId": f"acl-{name or n}-default",
                "VpcId": vpc_id,
                "IsDefault": True,
                "Associations": [],
                "Entries": [
                    {**e, "Egress": egress} for egress in (False, True) for e in _ALLOW_ALL
                ],
            }
        )
        return self

    def _add_subnet(self, name: str, cidr: str, table: Obj | None) -> Obj:
        vpc = self._current()
        subnet = {"SubnetId": f"subnet-{name}", "VpcId": vpc["VpcId"], "CidrBlock": cidr}
        self._snap["Subnets"].append(subnet)
        self._subnets[name] = subnet
        if table is not None:
            table["Associations"].append(
                {
                    "Main": False,
                    "SubnetId": subnet["SubnetId"],
                    "RouteTableId": table["RouteTableId"],
                }
            )
        default = next(
            a for a in self._snap["NetworkAcls"] if a["VpcId"] == vpc["VpcId"] and a["IsDefault"]
        )
        default["Associations"].append(
            {"NetworkAclId": default["NetworkAclId"], "SubnetId": subnet["SubnetId"]}
        )
        return subnet

    def private_subnet(self, name: str, cidr: str) -> Network:
        """A subnet on the VPC's main route table (no internet route)."""
        self._add_subnet(name, cidr, None)
        return self

    def public_subnet(self, name: str, cidr: str) -> Network:
        """A subnet with its own route table sending 0.0.0.0/0 to the VPC's IGW."""
        vpc = self._current()
        igw_id = f"igw-{vpc['VpcId'][4:]}"
        if not any(g["InternetGatewayId"] == igw_id for g in self._snap["InternetGateways"]):
            self._snap["InternetGateways"].append(
                {
                    "InternetGatewayId": igw_id,
                    "Attachments": [{"State": "available", "VpcId": vpc["VpcId"]}],
                }
            )
        main = next(rt for rt in self._tables(vpc["VpcId"]) if rt["Associations"][0]["Main"])
        table = {
            "RouteTableId": f"rtb-{name}",
            "VpcId": vpc["VpcId"],
            "Associations": [],
            "Routes": [
                *copy.deepcopy(main["Routes"]),
                {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw_id, "State": "active"},
            ],
        }
        self._snap["RouteTables"].append(table)
        self._add_subnet(name, cidr, table)
        return self

    def vpn(self, onprem_cidr: str) -> Network:
        """Attach a virtual private gateway whose routes reach ``onprem_cidr``."""
        vpc = self._current()
        vgw_id = f"vgw-{vpc['VpcId'][4:]}"
        self._snap["VpnGateways"].append(
            {
                "VpnGatewayId": vgw_id,
                "State": "available",
                "Type": "ipsec.1",
                "VpcAttachments": [{"State": "attached", "VpcId": vpc["VpcId"]}],
            }
        )
        for rt in self._tables(vpc["VpcId"]):
            rt["Routes"].append(
                {
                    "DestinationCidrBlock": onprem_cidr,
                    "GatewayId": vgw_id,
                    "Origin": "EnableVgwRoutePropagation",
                    "State": "active",
                }
            )
        return self

    def peer(self, other_vpc: str, active: bool = True, routes: str = "both") -> Network:
        """Peer the current VPC with the VPC named ``other_vpc`` (``vpc-<name>``).

        ``routes``: "both", "here" (only this side routes) or "none".
        """
        here = self._current()
        there = next(v for v in self._snap["Vpcs"] if v["VpcId"] == f"vpc-{other_vpc}")
        pcx = f"pcx-{here['VpcId'][4:]}-{other_vpc}"
        self._snap["VpcPeeringConnections"].append(
            {
                "VpcPeeringConnectionId": pcx,
                "Status": {"Code": "active" if active else "pending-acceptance"},
                "RequesterVpcInfo": {"VpcId": here["VpcId"], "CidrBlock": here["CidrBlock"]},
                "AccepterVpcInfo": {"VpcId": there["VpcId"], "CidrBlock": there["CidrBlock"]},
            }
        )
        sides = {"both": [(here, there), (there, here)], "here": [(here, there)], "none": []}
        for src, dst in sides[routes]:
            for rt in self._tables(src["VpcId"]):
                rt["Routes"].append(
                    {
                        "DestinationCidrBlock": dst["CidrBlock"],
                        "VpcPeeringConnectionId": pcx,
                        "State": "active",
                    }
                )
        return self

    def remove_internet_route(self, subnet: str) -> Network:
        sid = self._subnet(subnet)["SubnetId"]
        for rt in self._snap["RouteTables"]:
            if any(a.get("SubnetId") == sid for a in rt["Associations"]):
                rt["Routes"] = [
                    r for r in rt["Routes"] if not str(r.get("GatewayId", "")).startswith("igw-")
                ]
        return self

    # ---- filters -------------------------------------------------------------

    def sg(self, name: str, *rules: str) -> Network:
        """A security group; each rule like ``"tcp 22 from 0.0.0.0/0"``, or
        ``"tcp 8080 from sg-alb"`` to reference another group."""
        perms = []
        for text in rules:
            proto, lo, hi, source = _rule(text)
            perm: Obj = {
                "IpProtocol": "-1" if proto == "all" else proto,
                "IpRanges": [],
                "Ipv6Ranges": [],
                "PrefixListIds": [],
                "UserIdGroupPairs": [],
            }
            if lo is not None:
                perm["FromPort"], perm["ToPort"] = lo, hi
            if source.startswith("sg-"):
                perm["UserIdGroupPairs"].append({"GroupId": source, "UserId": self.account})
            elif ":" in source:
                perm["Ipv6Ranges"].append({"CidrIpv6": source})
            else:
                perm["IpRanges"].append({"CidrIp": source})
            perms.append(perm)
        self._snap["SecurityGroups"].append(
            {
                "GroupId": f"sg-{name}",
                "GroupName": name,
                "VpcId": self._current()["VpcId"],
                "IpPermissions": perms,
                "IpPermissionsEgress": [
                    {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
                ],
            }
        )
        return self

    def nacl(self, subnet: str, *entries: str) -> Network:
        """Give ``subnet`` its own NACL. Entries like
        ``"100 deny tcp 22 from 0.0.0.0/0"`` (inbound) or
        ``"100 allow all to 0.0.0.0/0"`` (outbound); unmatched traffic is denied."""
        sub = self._subnet(subnet)
        acl_id = f"acl-{subnet}"
        rows: list[Obj] = []
        for text in entries:
            words = text.split()
            if (
                len(words) < 5
                or words[1] not in ("allow", "deny")
                or words[-2] not in ("from", "to")
            ):
                raise ValueError(
                    f"NACL entry {text!r}: write it like '100 deny tcp 22 from 0.0.0.0/0'"
                )
            row: Obj = {
                "RuleNumber": int(words[0]),
                "RuleAction": words[1],
                "Protocol": _PROTO[words[2]],
                "Egress": words[-2] == "to",
                ("Ipv6CidrBlock" if ":" in words[-1] else "CidrBlock"): words[-1],
            }
            if words[2] != "all":
                first, _, last = words[3].partition("-")
                row["PortRange"] = {"From": int(first), "To": int(last or first)}
            rows.append(row)
        for egress in (False, True):
            rows.append(
                {
                    "RuleNumber": 32767,
                    "Protocol": "-1",
                    "RuleAction": "deny",
                    "CidrBlock": "0.0.0.0/0",
                    "Egress": egress,
                }
            )
        for acl in self._snap["NetworkAcls"]:
            acl["Associations"] = [
                a for a in acl["Associations"] if a["SubnetId"] != sub["SubnetId"]
            ]
        self._snap["NetworkAcls"] = [
            a for a in self._snap["NetworkAcls"] if a["NetworkAclId"] != acl_id
        ]
        self._snap["NetworkAcls"].append(
            {
                "NetworkAclId": acl_id,
                "VpcId": sub["VpcId"],
                "IsDefault": False,
                "Associations": [{"NetworkAclId": acl_id, "SubnetId": sub["SubnetId"]}],
                "Entries": rows,
            }
        )
        return self

    # ---- compute -------------------------------------------------------------

    def instance(
        self,
        name: str,
        subnet: str,
        sgs: list[str] | tuple[str, ...] = (),
        public_ip: bool = False,
        listening: list[str] | tuple[str, ...] | None = None,
        state: str = "running",
    ) -> Network:
        """An instance with one ENI. ``listening`` (like ``["tcp 22"]``) installs
        an agent that reports those listeners; leave it out for no agent."""
        sub = self._subnet(subnet)
        host = 10 + sum(
            1 for e in self._snap["NetworkInterfaces"] if e["SubnetId"] == sub["SubnetId"]
        )
        ip = self._ip(sub, host)
        eni: Obj = {
            "NetworkInterfaceId": f"eni-{name}",
            "SubnetId": sub["SubnetId"],
            "VpcId": sub["VpcId"],
            "PrivateIpAddress": ip,
            "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": ip}],
            "Groups": [{"GroupId": f"sg-{g}", "GroupName": g} for g in sgs],
            "Ipv6Addresses": [],
            "Status": "in-use",
            "InterfaceType": "interface",
            "Attachment": {"InstanceId": f"i-{name}", "DeviceIndex": 0, "Status": "attached"},
        }
        if public_ip:
            public = f"203.0.113.{10 + len(self._snap['NetworkInterfaces'])}"
            eni["Association"] = {"PublicIp": public, "IpOwnerId": "amazon"}
            eni["PrivateIpAddresses"][0]["Association"] = {"PublicIp": public}
        self._snap["NetworkInterfaces"].append(eni)
        self._snap["Reservations"].append(
            {
                "ReservationId": f"r-{name}",
                "Instances": [
                    {
                        "InstanceId": f"i-{name}",
                        "State": {"Code": 16 if state == "running" else 80, "Name": state},
                        "SubnetId": sub["SubnetId"],
                        "VpcId": sub["VpcId"],
                        "PrivateIpAddress": ip,
                        "NetworkInterfaces": [copy.deepcopy(eni)],
                    }
                ],
            }
        )
        if listening is not None:
            rows = []
            for text in listening:
                proto, _, port = text.partition(" ")
                rows.append({"protocol": proto, "port": int(port), "process": f"{proto}{port}"})
            self._agents[f"i-{name}"] = {"listening": rows}
        return self

    def alb(
        self,
        name: str,
        subnets: list[str],
        sgs: list[str],
        listen: int,
        targets: list[str],
        target_port: int,
        kind: str = "application",
        internet_facing: bool = True,
    ) -> Network:
        """An internet-facing ALB (or ``kind="network"`` NLB) forwarding
        ``listen`` to ``target_port`` on the named instances."""
        vpc = self._current()
        short = "app" if kind == "application" else "net"
        arn = (
            f"arn:aws:elasticloadbalancing:{self.region}:{self.account}:"
            f"loadbalancer/{short}/{name}/0123456789abcdef"
        )
        tg = (
            f"arn:aws:elasticloadbalancing:{self.region}:{self.account}:"
            f"targetgroup/{name}-tg/0123456789abcdef"
        )
        proto = "HTTP" if kind == "application" else "TCP"
        self._snap["LoadBalancers"].append(
            {
                "LoadBalancerArn": arn,
                "LoadBalancerName": name,
                "Scheme": "internet-facing" if internet_facing else "internal",
                "VpcId": vpc["VpcId"],
                "Type": kind,
                "State": {"Code": "active"},
                "AvailabilityZones": [
                    {
                        "ZoneName": f"{self.region}{'abc'[i % 3]}",
                        "SubnetId": self._subnet(s)["SubnetId"],
                    }
                    for i, s in enumerate(subnets)
                ],
                "SecurityGroups": [f"sg-{g}" for g in sgs],
            }
        )
        self._snap["Listeners"].append(
            {
                "ListenerArn": arn.replace(":loadbalancer/", ":listener/") + f"/{listen}",
                "LoadBalancerArn": arn,
                "Port": listen,
                "Protocol": proto,
                "DefaultActions": [{"Type": "forward", "TargetGroupArn": tg}],
            }
        )
        self._snap["TargetGroups"].append(
            {
                "TargetGroupArn": tg,
                "TargetGroupName": f"{name}-tg",
                "Protocol": proto,
                "Port": target_port,
                "VpcId": vpc["VpcId"],
                "TargetType": "instance",
                "LoadBalancerArns": [arn],
            }
        )
        for t in targets:
            self._snap["TargetHealthDescriptions"].append(
                {
                    "TargetGroupArn": tg,
                    "Target": {"Id": f"i-{t}", "Port": target_port},
                    "TargetHealth": {"State": "healthy"},
                }
            )
        return self

    # ---- out -----------------------------------------------------------------

    def snapshot(self) -> dict[str, list[Obj]]:
        """The network as a snapshot (a deep copy: edit it freely)."""
        return copy.deepcopy(self._snap)

    def agents(self) -> dict[str, Obj]:
        return {"Agents": copy.deepcopy(self._agents)}

    def analyze(self, why_not: bool = False) -> Result:
        from . import analyze

        return analyze(self.snapshot(), self.agents(), why_not=why_not)
