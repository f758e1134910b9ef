"""Value objects the engine returns. ``to_dict()`` gives the JSON shape."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from .intervals import Ranges
from .model import Protocol
from .rules import Severity

FindingType = Literal[
    "RecognizedPortWithListener",
    "RecognizedPortNoListener",
    "RecognizedPortNoAgent",
    "UnrecognizedPortWithListener",
    "NetworkExposure",
]
Reachability = Literal["Internet", "PeeredVPC", "VGW", "TransitGateway"]
ComponentType = Literal[
    "AWS::EC2::InternetGateway",
    "AWS::EC2::VPNGateway",
    "AWS::EC2::VPCPeeringConnection",
    "AWS::EC2::TransitGateway",
    "AWS::EC2::VPCEndpoint",
    "AWS::EC2::RouteTable",
    "AWS::EC2::NetworkAcl",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::NetworkInterface",
    "AWS::EC2::Instance",
    "AWS::EC2::Subnet",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancing::LoadBalancer",
]


@dataclass(frozen=True, slots=True)
class PathStep:
    """One step of the path, like Inspector v2's ``networkPath.steps[]``."""

    component_id: str
    component_type: ComponentType

    def to_dict(self) -> dict[str, str]:
        return {"componentId": self.component_id, "componentType": self.component_type}


@dataclass(frozen=True, slots=True)
class Finding:
    type: FindingType
    severity: Severity
    reachability: Reachability
    protocol: Protocol
    port: int | None
    port_ranges: Ranges | None
    port_group_name: str | None
    instance_id: str
    network_interface_id: str
    security_group_ids: tuple[str, ...]
    network_acl_id: str | None
    via: str
    path: tuple[PathStep, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "type": self.type,
            "severity": self.severity,
            "reachability": self.reachability,
            "protocol": self.protocol,
            "port": self.port,
            "portRanges": None
            if self.port_ranges is None
            else [[lo, hi] for lo, hi in self.port_ranges],
            "portGroupName": self.port_group_name,
            "instanceId": self.instance_id,
            "networkInterfaceId": self.network_interface_id,
            "securityGroupIds": list(self.security_group_ids),
            "networkAclId": self.network_acl_id,
            "via": self.via,
            "path": [step.to_dict() for step in self.path],
        }


BlockReason = Literal[
    "nacl-inbound-deny",
    "nacl-inbound-default-deny",
    "nacl-return-denied",
    "no-public-ip",
    "no-internet-route",
    "blackhole-route",
    "instance-not-running",
    "load-balancer-blocked",
    "target-not-allowed",
    "peering-no-return-route",
    "transit-gateway-no-return-route",
    "gateway-unusable",
]


@dataclass(frozen=True, slots=True)
class WhyNot:
    """A candidate path that a security group opens but something else blocks."""

    reason: BlockReason
    reachability: Reachability
    via: str
    instance_id: str
    network_interface_id: str
    protocol: Protocol
    port_ranges: Ranges
    blocked_by: str
    blocked_by_type: ComponentType
    message: str

    def to_dict(self) -> dict[str, object]:
        return {
            "reason": self.reason,
            "reachability": self.reachability,
            "via": self.via,
            "instanceId": self.instance_id,
            "networkInterfaceId": self.network_interface_id,
            "protocol": self.protocol,
            "portRanges": [[lo, hi] for lo, hi in self.port_ranges],
            "blockedBy": self.blocked_by,
            "blockedByType": self.blocked_by_type,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Result:
    findings: tuple[Finding, ...]
    why_not: tuple[WhyNot, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"findings": [f.to_dict() for f in self.findings]}
        if self.why_not:
            out["whyNot"] = [w.to_dict() for w in self.why_not]
        return out

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __getitem__(self, index: int) -> Finding:
        return self.findings[index]

    def __len__(self) -> int:
        return len(self.findings)
