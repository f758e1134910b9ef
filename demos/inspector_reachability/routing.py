"""Routes: which gateways can carry traffic into a subnet, and from where.

A subnet uses its associated route table, else its VPC's main table. The
most specific route wins; among routes of one length, AWS's order of route
kinds applies (``Route.rank``). Peering is not transitive and needs a route
back from the peer VPC:
https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html
https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html
https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from .findings import ComponentType, PathStep, Reachability
from .intervals import EMPTY, Ranges, contains, intersect, subtract, union
from .model import Eni, Family, Route, RouteTable, Subnet, TgwAttachment, TgwRoute, Topology
from .tables import NOT_INTERNET

FULL: dict[int, Ranges] = {4: ((0, 2**32 - 1),), 6: ((0, 2**128 - 1),)}

_GATEWAY_TYPE: dict[str, ComponentType] = {
    "igw": "AWS::EC2::InternetGateway",
    "vgw": "AWS::EC2::VPNGateway",
    "pcx": "AWS::EC2::VPCPeeringConnection",
    "tgw": "AWS::EC2::TransitGateway",
    "eni": "AWS::EC2::NetworkInterface",
    "vpce": "AWS::EC2::VPCEndpoint",
}
_REACHABILITY: dict[str, Reachability] = {
    "igw": "Internet",
    "vgw": "VGW",
    "pcx": "PeeredVPC",
    "tgw": "TransitGateway",
}
# Routes that bring no traffic in from outside the VPC.
_NOT_A_WAY_IN = frozenset({"local", "other", "eni", "vpce"})
_PROPAGATED = 2  # Route.rank of a propagated route


@dataclass(frozen=True, slots=True)
class Source:
    """Where traffic may come from, and through which gateway."""

    reachability: Reachability
    via: str
    via_type: ComponentType
    family: Family
    addrs: Ranges
    # Group references never match the internet (they name private IPs).
    group_refs: bool = True
    # Traffic from ``addrs`` carries these groups (a load balancer's nodes,
    # or an NLB's clients when it keeps their address).
    member_groups: frozenset[str] = frozenset()
    # Middleboxes a gateway route table sends the traffic through first.
    through: tuple[PathStep, ...] = ()


class Routing:
    """Route tables turned into sources, cached per subnet."""

    def __init__(self, net: Topology, record_dead: bool = False) -> None:
        self.net = net
        self.record_dead = record_dead
        # subnet -> routes to gateways that cannot carry traffic, and why
        self.dead: dict[str, list[tuple[Source, str]]] = {}
        self._by_subnet: dict[str, RouteTable] = {}
        self._main: dict[str, RouteTable] = {}
        self._by_gateway: dict[str, RouteTable] = {}
        for rt in net.route_tables.values():
            for sid in rt.subnet_ids:
                self._by_subnet[sid] = rt
            for gid in rt.gateway_ids:
                self._by_gateway[gid] = rt
            if rt.main:
                self._main[rt.vpc_id] = rt
        self._tgw_attachments: dict[str, list[TgwAttachment]] = {}
        for att in net.tgw_attachments.values():
            self._tgw_attachments.setdefault(att.tgw_id, []).append(att)
        self._tgw_lpm: dict[tuple[str, int], list[tuple[TgwRoute, Ranges]]] = {}
        self._subnets_by_vpc: dict[str, list[Subnet]] = {}
        for sub in net.subnets.values():
            self._subnets_by_vpc.setdefault(sub.vpc_id, []).append(sub)
        self._lpm: dict[tuple[str, int], list[tuple[Route, Ranges]]] = {}
        self._sources: dict[tuple[str, str], list[Source]] = {}
        self._peer_cache: dict[tuple[str, str, int], list[tuple[Ranges, Ranges]] | None] = {}

    def vpc_of(self, subnet_id: str, fallback: str) -> str:
        sub = self.net.subnets.get(subnet_id)
        return sub.vpc_id if sub else fallback

    def route_table(self, subnet_id: str, vpc_id: str) -> RouteTable | None:
        # A subnet uses its explicitly associated table, else the VPC's main table.
        return self._by_subnet.get(subnet_id) or self._main.get(vpc_id)

    def lpm(self, rt: RouteTable, family: int) -> list[tuple[Route, Ranges]]:
        """The address space split by longest prefix match: each route with
        the addresses it wins."""
        key = (rt.id, family)
        hit = self._lpm.get(key)
        if hit is not None:
            return hit
        routes = [r for r in rt.routes if r.family == family]
        if not any(r.target == "local" for r in routes):
            vpc = (self.net.vpc_v4 if family == 4 else self.net.vpc_v6).get(rt.vpc_id, EMPTY)
            for lo, hi in vpc:
                bits = (32 if family == 4 else 128) - (hi - lo + 1).bit_length() + 1
                routes.append(
                    Route(cast(Family, family), lo, hi, bits, "local", "local", False, "local")
                )
        # Longest prefix first; at one length, AWS's order of route kinds.
        routes.sort(key=lambda r: (-r.prefix, r.rank))
        # "If propagated routes from a Site-to-Site VPN connection or Direct
        # Connect connection overlap with the local route for your VPC, the
        # local route is most preferred even if the propagated routes are
        # more specific":
        # https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-route-priority.html
        local = EMPTY
        for r in routes:
            if r.target == "local":
                local = union(local, ((r.lo, r.hi),))
        remaining = FULL[family]
        out: list[tuple[Route, Ranges]] = []
        for r in routes:
            won = intersect(((r.lo, r.hi),), remaining)
            if r.rank == _PROPAGATED:
                won = subtract(won, local)
            if won:
                out.append((r, won))
                remaining = subtract(remaining, won)
        self._lpm[key] = out
        return out

    def sources(self, subnet_id: str, vpc_id: str) -> list[Source]:
        """The gateways whose routes reach this subnet, with the addresses
        each can bring traffic from."""
        key = (subnet_id, vpc_id)
        hit = self._sources.get(key)
        if hit is not None:
            return hit
        rt = self.route_table(subnet_id, vpc_id)
        merged: dict[tuple[str, str, int], Ranges] = {}
        if rt is not None:
            for family in (4, 6):
                for route, won in self.lpm(rt, family):
                    if route.blackhole or route.target in _NOT_A_WAY_IN:
                        continue
                    if route.target == "tgw":
                        why = self._tgw_unusable(route.target_id, vpc_id, subnet_id)
                        if why is not None:
                            self._dead_route(subnet_id, route, won, why)
                            continue
                    elif route.target == "pcx":
                        peer = self.net.peerings.get(route.target_id)
                        if peer is None or not peer.active:
                            self._dead_route(
                                subnet_id, route, won, "peering connection is not active"
                            )
                            continue
                        if peer.requester_vpc == vpc_id:
                            other = peer.accepter_v4 if family == 4 else peer.accepter_v6
                            other_vpc = peer.accepter_vpc
                        elif peer.accepter_vpc == vpc_id:
                            other = peer.requester_v4 if family == 4 else peer.requester_v6
                            other_vpc = peer.requester_vpc
                        else:
                            continue
                        if not other:
                            net_other = self.net.vpc_v4 if family == 4 else self.net.vpc_v6
                            other = net_other.get(other_vpc, EMPTY)
                        # Non-transitive: only the peer VPC's own addresses.
                        won = intersect(won, other)
                    else:
                        gateways = self.net.igw_vpcs if route.target == "igw" else self.net.vgw_vpcs
                        attached = gateways.get(route.target_id)
                        if attached is not None and vpc_id not in attached:
                            self._dead_route(subnet_id, route, won, f"is not attached to {vpc_id}")
                            continue
                    if won:
                        k = (route.target, route.target_id, family)
                        merged[k] = union(merged.get(k, EMPTY), won)
        out: list[Source] = []
        for (target, via, family), addrs in sorted(merged.items()):
            fam = cast(Family, family)
            if target == "igw":
                addrs = subtract(addrs, NOT_INTERNET[family])
                if not addrs:
                    continue
            through: tuple[PathStep, ...] = ()
            if target in ("igw", "vgw"):
                ingress = self._ingress(via, subnet_id, fam)
                if ingress is not None:
                    turn, why = ingress
                    if turn is None:
                        self._dead(subnet_id, target, via, fam, addrs, why)
                        continue
                    through = (turn,)
            out.append(
                Source(
                    _REACHABILITY[target],
                    via,
                    _GATEWAY_TYPE[target],
                    fam,
                    addrs,
                    target != "igw",
                    through=through,
                )
            )
        self._sources[key] = out
        return out

    def _ingress(
        self, gateway_id: str, subnet_id: str, family: Family
    ) -> tuple[PathStep | None, str] | None:
        """Where the gateway's own route table sends traffic for the subnet:
        None (straight there, by the local route), or (the middlebox it goes
        through first, "") or (None, why it goes nowhere).

        A gateway route table may send a whole subnet's CIDR, or the VPC's,
        to a network interface or a Gateway Load Balancer endpoint:
        https://docs.aws.amazon.com/vpc/latest/userguide/gateway-route-tables.html
        """
        rt = self._by_gateway.get(gateway_id)
        subnet = self.net.subnets.get(subnet_id)
        if rt is None or subnet is None:
            return None
        cidrs = subnet.v4 if family == 4 else subnet.v6
        if not cidrs:
            return None
        first = cidrs[0][0]
        for route, won in self.lpm(rt, family):
            if not contains(won, first):
                continue
            if route.target == "local":
                return None
            if route.blackhole:
                return None, (
                    f"routes {subnet_id} through gateway route table {rt.id} to "
                    f"{route.target_id}, which is a blackhole"
                )
            if route.target in ("eni", "vpce"):
                return PathStep(route.target_id, _GATEWAY_TYPE[route.target]), ""
            return None
        return None

    def _tgw_unusable(self, tgw_id: str, vpc_id: str, subnet_id: str) -> str | None:
        """Why a route to this transit gateway carries nothing into the
        subnet, or None. Where the snapshot has no attachments of the transit
        gateway, this side's route decides.

        "Any resources in Availability Zones where there is no transit gateway
        attachment cannot reach the transit gateway":
        https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html
        """
        if self.net.transit_gateways.get(tgw_id) is False:
            return "is not available"
        attachments = self._tgw_attachments.get(tgw_id)
        if not attachments:
            return None
        mine = self.vpc_attachment(tgw_id, vpc_id)
        if mine is None:
            return f"has no available attachment for {vpc_id}"
        subnet = self.net.subnets.get(subnet_id)
        if mine.subnet_ids is not None and subnet is not None and subnet.zone:
            zones = {
                z
                for s in mine.subnet_ids
                if (z := getattr(self.net.subnets.get(s), "zone", None)) is not None
            }
            if zones and subnet.zone not in zones:
                return f"has no attachment subnet in {subnet.zone}, the zone of {subnet_id}"
        return None

    def vpc_attachment(self, tgw_id: str, vpc_id: str) -> TgwAttachment | None:
        for att in self._tgw_attachments.get(tgw_id, []):
            if att.resource_type == "vpc" and att.resource_id == vpc_id and att.available:
                return att
        return None

    def tgw_lpm(self, table_id: str, family: int) -> list[tuple[TgwRoute, Ranges]]:
        """A transit gateway route table split by longest prefix match, ties
        broken by ``TgwRoute.rank``."""
        key = (table_id, family)
        hit = self._tgw_lpm.get(key)
        if hit is not None:
            return hit
        routes = sorted(
            (r for r in (self.net.tgw_routes or {}).get(table_id, []) if r.family == family),
            key=lambda r: (-r.prefix, r.rank),
        )
        remaining = FULL[family]
        out: list[tuple[TgwRoute, Ranges]] = []
        for r in routes:
            won = intersect(((r.lo, r.hi),), remaining)
            if won:
                out.append((r, won))
                remaining = subtract(remaining, won)
        self._tgw_lpm[key] = out
        return out

    def tgw_back(self, source: Source, vpc_id: str, eni: Eni) -> Ranges:
        """The addresses of ``source`` whose attachment's route table sends
        this ENI's address to the VPC's attachment: traffic crosses a transit
        gateway only where its route tables route it, both ways.
        https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html
        """
        attachments = self._tgw_attachments.get(source.via)
        mine = self.vpc_attachment(source.via, vpc_id)
        if not attachments or mine is None or self.net.tgw_routes is None:
            return source.addrs
        ips = eni.private4 if source.family == 4 else eni.ipv6
        kept = EMPTY
        for other in attachments:
            if other.id == mine.id or not other.available or other.route_table is None:
                continue
            for route, won in self.tgw_lpm(other.route_table, source.family):
                if route.blackhole or mine.id not in route.attachment_ids:
                    continue
                if any(contains(won, ip) for ip in ips):
                    kept = union(kept, self._behind(other, source.family))
                    break
        return intersect(source.addrs, kept)

    def _behind(self, att: TgwAttachment, family: Family) -> Ranges:
        """The addresses traffic can come from through an attachment: a VPC
        in the snapshot has its CIDRs; a VPN, Direct Connect gateway, peering
        or unknown VPC may have any."""
        if att.resource_type == "vpc":
            cidrs = (self.net.vpc_v4 if family == 4 else self.net.vpc_v6).get(att.resource_id)
            if cidrs is not None:
                return cidrs
        return FULL[family]

    def _dead_route(self, subnet_id: str, route: Route, won: Ranges, why: str) -> None:
        """Remember a route to a gateway that cannot carry traffic (for why-not)."""
        addrs = subtract(won, NOT_INTERNET[route.family]) if route.target == "igw" else won
        self._dead(subnet_id, route.target, route.target_id, route.family, addrs, why)

    def _dead(
        self, subnet_id: str, target: str, via: str, family: Family, addrs: Ranges, why: str
    ) -> None:
        if not self.record_dead:
            return
        src = Source(
            _REACHABILITY[target], via, _GATEWAY_TYPE[target], family, addrs, target != "igw"
        )
        self.dead.setdefault(subnet_id, []).append((src, why))

    def peer_back(self, source: Source, vpc_id: str, eni: Eni) -> Ranges:
        """Peering needs routes both ways: keep the peer subnets whose route
        table sends this ENI's address back over the same connection."""
        peer = self.net.peerings[source.via]
        other_vpc = peer.accepter_vpc if peer.requester_vpc == vpc_id else peer.requester_vpc
        groups = self._peer_groups(source.via, other_vpc, source.family)
        if groups is None:
            # The peer VPC is not in the snapshot (another account): its routes
            # cannot be checked, so this side's routes decide.
            return source.addrs
        ips = eni.private4 if source.family == 4 else eni.ipv6
        kept = EMPTY
        for back, subnets in groups:
            if any(contains(back, ip) for ip in ips):
                kept = union(kept, subnets)
        return intersect(source.addrs, kept)

    def _peer_groups(
        self, pcx: str, other_vpc: str, family: Family
    ) -> list[tuple[Ranges, Ranges]] | None:
        """The peer VPC's subnets grouped by what their route tables send back
        over ``pcx``: [(addresses routed to pcx, those subnets' CIDRs)]."""
        key = (pcx, other_vpc, family)
        if key in self._peer_cache:
            return self._peer_cache[key]
        by_back: dict[Ranges, Ranges] = {}
        seen = False
        for sub in self._subnets_by_vpc.get(other_vpc, []):
            rt = self.route_table(sub.id, other_vpc)
            if rt is None:
                continue
            seen = True
            back = EMPTY
            for route, won in self.lpm(rt, family):
                if route.target_id == pcx and not route.blackhole:
                    back = union(back, won)
            if back:
                cidrs = sub.v4 if family == 4 else sub.v6
                by_back[back] = union(by_back.get(back, EMPTY), cidrs)
        result = list(by_back.items()) if seen else None
        self._peer_cache[key] = result
        return result
