"""The parsed network: plain value objects, indexed by id in ``Topology``.

Addresses are integers (IPv4 and IPv6 kept apart by ``Family``) and ports are
``Ranges``; see ``intervals``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .intervals import Ranges

Family = Literal[4, 6]
Protocol = Literal["tcp", "udp"]
# "all" is AWS's "-1"; "other" is any protocol without ports (ICMP, GRE, ...).
RuleProtocol = Literal["tcp", "udp", "all", "other"]
# "eni" and "vpce" (a Gateway Load Balancer endpoint) are the middlebox
# targets a gateway route table may send inbound traffic to.
RouteTarget = Literal["local", "igw", "vgw", "pcx", "tgw", "eni", "vpce", "other"]
LoadBalancerKind = Literal["application", "network", "classic", "gateway"]


@dataclass(frozen=True, slots=True)
class Route:
    family: Family
    lo: int
    hi: int
    prefix: int
    target: RouteTarget
    target_id: str
    blackhole: bool
    destination: str
    # Among routes of one prefix length: static (0) before prefix-list (1)
    # before propagated (2) routes, as "How route priority works" orders them:
    # https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html
    rank: int = 0


@dataclass(frozen=True, slots=True)
class RouteTable:
    id: str
    vpc_id: str
    main: bool
    subnet_ids: tuple[str, ...]
    routes: tuple[Route, ...]
    # Edge associations: the internet or virtual private gateways whose
    # inbound traffic this (gateway) route table routes.
    gateway_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AclEntry:
    number: int
    egress: bool
    protocol: RuleProtocol
    allow: bool
    family: Family
    lo: int
    hi: int
    ports: Ranges
    cidr: str


@dataclass(frozen=True, slots=True)
class NetworkAcl:
    id: str
    vpc_id: str
    is_default: bool
    subnet_ids: tuple[str, ...]
    inbound: tuple[AclEntry, ...]
    outbound: tuple[AclEntry, ...]


@dataclass(frozen=True, slots=True)
class SgRule:
    protocol: RuleProtocol
    ports: Ranges
    v4: Ranges
    v6: Ranges
    prefix_lists: tuple[str, ...]
    groups: tuple[str, ...]
    sources: str  # for people: "0.0.0.0/0, sg-123"


@dataclass(frozen=True, slots=True)
class SecurityGroup:
    id: str
    vpc_id: str
    rules: tuple[SgRule, ...]


@dataclass(frozen=True, slots=True)
class Subnet:
    id: str
    vpc_id: str
    v4: Ranges
    v6: Ranges
    zone: str | None = None  # AvailabilityZone


@dataclass(slots=True)
class Eni:
    id: str
    subnet_id: str
    vpc_id: str
    group_ids: tuple[str, ...]
    private4: list[int]
    public4: bool
    ipv6: list[int]
    instance_id: str
    # Attachment.DeviceIndex: 0 is the instance's primary interface (eth0),
    # the one a load balancer sends to for an instance-id target.
    device_index: int | None = None


@dataclass(frozen=True, slots=True)
class Instance:
    id: str
    running: bool
    eni_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Peering:
    id: str
    active: bool
    requester_vpc: str
    accepter_vpc: str
    requester_v4: Ranges
    requester_v6: Ranges
    accepter_v4: Ranges
    accepter_v6: Ranges


@dataclass(frozen=True, slots=True)
class Listener:
    lb_id: str
    port: int
    protocols: tuple[Protocol, ...]
    # (target group id, or "" for a Classic LB's own instances; instance port override)
    forwards: tuple[str, ...]
    instance_port: int | None = None
    arn: str = ""


@dataclass(frozen=True, slots=True)
class LoadBalancer:
    id: str
    kind: LoadBalancerKind
    internet_facing: bool
    vpc_id: str
    subnet_ids: tuple[str, ...]
    group_ids: tuple[str, ...]
    instance_ids: tuple[str, ...] = ()  # Classic only: registered instances
    # The Availability Zones it enables (by name); empty where the snapshot
    # does not say. A target in any other zone gets no traffic.
    zones: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Target:
    id: str
    port: int | None
    # TargetHealth.State from describe-target-health; None where the
    # snapshot does not say (the target is then taken to be in service).
    state: str | None = None


@dataclass(frozen=True, slots=True)
class TargetGroup:
    id: str
    port: int | None
    target_type: str
    vpc_id: str
    protocol: str | None = None  # TCP, UDP, TLS, HTTP, ... (upper case)
    # The preserve_client_ip.enabled attribute (describe-target-group-
    # attributes); None where the snapshot does not say.
    preserve_client_ip: bool | None = None


@dataclass(frozen=True, slots=True)
class TgwAttachment:
    """A transit gateway attachment (describe-transit-gateway-attachments)."""

    id: str
    tgw_id: str
    resource_type: str  # vpc, vpn, direct-connect-gateway, connect, peering, ...
    resource_id: str
    available: bool
    route_table: str | None  # Association.TransitGatewayRouteTableId
    # A VPC attachment's subnets (describe-transit-gateway-vpc-attachments);
    # None where the snapshot does not say.
    subnet_ids: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class TgwRoute:
    """A route of a transit gateway route table (search-transit-gateway-routes)."""

    family: Family
    lo: int
    hi: int
    prefix: int
    attachment_ids: tuple[str, ...]
    blackhole: bool
    # Among routes of one prefix length, as "Route evaluation order" ranks
    # them: static, then propagated from a VPC, Direct Connect, Connect, VPN.
    rank: int
    destination: str


@dataclass
class Topology:
    """Everything the engine needs, indexed by id."""

    vpc_v4: dict[str, Ranges] = field(default_factory=dict)
    vpc_v6: dict[str, Ranges] = field(default_factory=dict)
    subnets: dict[str, Subnet] = field(default_factory=dict)
    route_tables: dict[str, RouteTable] = field(default_factory=dict)
    acls: dict[str, NetworkAcl] = field(default_factory=dict)
    groups: dict[str, SecurityGroup] = field(default_factory=dict)
    enis: dict[str, Eni] = field(default_factory=dict)
    instances: dict[str, Instance] = field(default_factory=dict)
    # gateway id -> VPC ids it is attached to (None: not in the snapshot)
    igw_vpcs: dict[str, frozenset[str]] = field(default_factory=dict)
    vgw_vpcs: dict[str, frozenset[str]] = field(default_factory=dict)
    peerings: dict[str, Peering] = field(default_factory=dict)
    prefix_lists: dict[str, tuple[Ranges, Ranges]] = field(default_factory=dict)
    load_balancers: dict[str, LoadBalancer] = field(default_factory=dict)
    listeners: list[Listener] = field(default_factory=list)
    target_groups: dict[str, TargetGroup] = field(default_factory=dict)
    targets: dict[str, list[Target]] = field(default_factory=dict)
    # transit gateway id -> available; its attachments by id; routes per
    # transit gateway route table (None: the snapshot has no routes at all)
    transit_gateways: dict[str, bool] = field(default_factory=dict)
    tgw_attachments: dict[str, TgwAttachment] = field(default_factory=dict)
    tgw_routes: dict[str, list[TgwRoute]] | None = None
