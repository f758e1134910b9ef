"""Inspector's network-reachability analysis over a parsed ``Topology``.

How it stays fast on big accounts (see bench/reachability_bench.py):
- route tables are turned once into a longest-prefix-match partition of the
  address space, and each subnet's sources (IGW, VGW, peering) are computed
  once and shared by its ENIs;
- a NACL is evaluated once per (NACL, source set, protocol) into "pieces":
  address ranges with the ports that pass inbound and whose replies pass
  outbound; ENIs only intersect those pieces with their security groups;
- ports and addresses are ranges (``intervals``), never loops over 65,536
  ports; per-port findings look up only the recognized ports and the agent's
  listeners.

AWS semantics followed (VPC User Guide: route tables, network ACLs, security
groups, peering; Inspector Classic "Topology Reachability"):
https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html
https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html
https://docs.aws.amazon.com/inspector/v1/userguide/inspector_network-reachability.html
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import cast

from .findings import (
    BlockReason,
    ComponentType,
    Finding,
    FindingType,
    PathStep,
    Reachability,
    Result,
    WhyNot,
)
from .intervals import (
    ALL_PORTS,
    EMPTY,
    EPHEMERAL,
    Ranges,
    contains,
    intersect,
    normalize,
    overlaps,
    subtract,
    union,
)
from .model import (
    AclEntry,
    Eni,
    Family,
    Listener,
    LoadBalancer,
    NetworkAcl,
    Protocol,
    Route,
    RouteTable,
    SecurityGroup,
    SgRule,
    Subnet,
    Target,
    Topology,
)
from .rules import RecognizedPorts, Severity, recognized_ports
from .snapshot import _ip
from .tables import NOT_INTERNET

FULL: dict[int, Ranges] = {4: ((0, 2**32 - 1),), 6: ((0, 2**128 - 1),)}
PROTOCOLS: tuple[Protocol, ...] = ("tcp", "udp")


Pieces = tuple[tuple[Ranges, Ranges], ...]
Agents = dict[str, frozenset[tuple[str, int]]]


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
    # Traffic from ``addrs`` carries these groups (a load balancer's nodes).
    member_groups: frozenset[str] = frozenset()


def _first_match(entries: list[AclEntry], addr: int) -> Ranges:
    """Ports a NACL lets through for one address: rules in ascending number,
    the first rule that matches a port decides it, unmatched ports are denied."""
    remaining = ALL_PORTS
    allowed = EMPTY
    for e in entries:
        if not e.lo <= addr <= e.hi:
            continue
        if e.allow:
            allowed = union(allowed, intersect(e.ports, remaining))
        remaining = subtract(remaining, e.ports)
        if not remaining:
            break
    return allowed


def _deciding_rule(entries: list[AclEntry], addr: int, port: int) -> AclEntry | None:
    for e in entries:
        if e.lo <= addr <= e.hi and contains(e.ports, port):
            return e
    return None


def fmt_ranges(ranges: Ranges) -> str:
    return ", ".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in ranges) or "none"


_LB_TYPE: dict[str, ComponentType] = {
    "classic": "AWS::ElasticLoadBalancing::LoadBalancer",
}


class Engine:
    def __init__(self, net: Topology, agents: Agents | None, why_not: bool = False) -> None:
        self.net = net
        self.agents = agents or {}
        self.want_why = why_not
        self.ports: RecognizedPorts = recognized_ports()
        self._recognized: dict[str, list[int]] = {}
        self.findings: list[Finding] = []
        self.why: list[WhyNot] = []
        self._rt_by_subnet: dict[str, RouteTable] = {}
        self._main_rt: dict[str, RouteTable] = {}
        for rt in net.route_tables.values():
            for sid in rt.subnet_ids:
                self._rt_by_subnet[sid] = rt
            if rt.main:
                self._main_rt[rt.vpc_id] = rt
        self._acl_by_subnet: dict[str, NetworkAcl] = {}
        self._default_acl: dict[str, NetworkAcl] = {}
        for acl in net.acls.values():
            for sid in acl.subnet_ids:
                self._acl_by_subnet[sid] = acl
            if acl.is_default:
                self._default_acl[acl.vpc_id] = acl
        self._lpm: dict[tuple[str, int], list[tuple[Route, Ranges]]] = {}
        self._sources: dict[tuple[str, str], list[Source]] = {}
        self._dead: dict[str, list[tuple[Source, str]]] = {}
        self._peer_cache: dict[tuple[str, str, int], list[tuple[Ranges, Ranges]] | None] = {}
        self._subnets_by_vpc: dict[str, list[Subnet]] = {}
        for sub in net.subnets.values():
            self._subnets_by_vpc.setdefault(sub.vpc_id, []).append(sub)
        self._pieces: dict[tuple[str, int, str, Ranges], Pieces] = {}
        self._acl_rules: dict[tuple[str, bool, int, str], list[AclEntry]] = {}
        self._rule_addr: dict[tuple[int, int], Ranges] = {}
        self._open: dict[tuple[object, ...], tuple[Ranges, dict[str, Ranges]]] = {}
        members: dict[str, tuple[list[tuple[int, int]], list[tuple[int, int]]]] = {}
        for eni in net.enis.values():
            for gid in eni.group_ids:
                v4, v6 = members.setdefault(gid, ([], []))
                v4.extend((ip, ip) for ip in eni.private4)
                v6.extend((ip, ip) for ip in eni.ipv6)
        self._members = {g: (normalize(a), normalize(b)) for g, (a, b) in members.items()}

    # ---- lookups -----------------------------------------------------------

    def vpc_of(self, subnet_id: str, fallback: str) -> str:
        sub = self.net.subnets.get(subnet_id)
        return sub.vpc_id if sub else fallback

    def route_table(self, subnet_id: str, vpc_id: str) -> RouteTable | None:
        # A subnet uses its explicitly associated table, else the VPC's main table.
        return self._rt_by_subnet.get(subnet_id) or self._main_rt.get(vpc_id)

    def acl(self, subnet_id: str, vpc_id: str) -> NetworkAcl | None:
        # None: the snapshot has no NACL for the subnet, so none filters it.
        return self._acl_by_subnet.get(subnet_id) or self._default_acl.get(vpc_id)

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
        remaining = FULL[family]
        out: list[tuple[Route, Ranges]] = []
        for r in routes:
            won = intersect(((r.lo, r.hi),), remaining)
            if won:
                out.append((r, won))
                remaining = subtract(remaining, won)
        self._lpm[key] = out
        return out

    def sources(self, subnet_id: str, vpc_id: str) -> list[Source]:
        key = (subnet_id, vpc_id)
        hit = self._sources.get(key)
        if hit is not None:
            return hit
        rt = self.route_table(subnet_id, vpc_id)
        merged: dict[tuple[str, str, int], Ranges] = {}
        if rt is not None:
            for family in (4, 6):
                for route, won in self.lpm(rt, family):
                    if route.blackhole or route.target in ("local", "other"):
                        continue
                    if route.target == "pcx":
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
                out.append(Source("Internet", via, "AWS::EC2::InternetGateway", fam, addrs, False))
            elif target == "vgw":
                out.append(Source("VGW", via, "AWS::EC2::VPNGateway", fam, addrs))
            else:
                out.append(Source("PeeredVPC", via, "AWS::EC2::VPCPeeringConnection", fam, addrs))
        self._sources[key] = out
        return out

    def _dead_route(self, subnet_id: str, route: Route, won: Ranges, why: str) -> None:
        """Remember a route to a gateway that cannot carry traffic (for why-not)."""
        if not self.want_why:
            return
        reach: Reachability = {"igw": "Internet", "vgw": "VGW"}.get(  # type: ignore[assignment]
            route.target, "PeeredVPC"
        )
        addrs = subtract(won, NOT_INTERNET[route.family]) if route.target == "igw" else won
        types: dict[str, ComponentType] = {
            "igw": "AWS::EC2::InternetGateway",
            "vgw": "AWS::EC2::VPNGateway",
        }
        src = Source(
            reach,
            route.target_id,
            types.get(route.target, "AWS::EC2::VPCPeeringConnection"),
            route.family,
            addrs,
            route.target != "igw",
        )
        self._dead.setdefault(subnet_id, []).append((src, why))

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

    def acl_rules(self, acl: NetworkAcl, egress: bool, family: int, proto: str) -> list[AclEntry]:
        key = (acl.id, egress, family, proto)
        hit = self._acl_rules.get(key)
        if hit is None:
            entries = acl.outbound if egress else acl.inbound
            hit = [e for e in entries if e.family == family and e.protocol in ("all", proto)]
            self._acl_rules[key] = hit
        return hit

    def pieces(self, acl: NetworkAcl | None, family: int, proto: str, addrs: Ranges) -> Pieces:
        """Split ``addrs`` into ranges with the ports the NACL admits from
        them (inbound allowed, and for TCP replies to 1024-65535 allowed out)."""
        if acl is None:
            return ((addrs, ALL_PORTS),) if addrs else ()
        key = (acl.id, family, proto, addrs)
        hit = self._pieces.get(key)
        if hit is not None:
            return hit
        inbound = self.acl_rules(acl, False, family, proto)
        outbound = self.acl_rules(acl, True, family, proto)
        bounds = {b for lo, hi in addrs for b in (lo, hi + 1)}
        for e in inbound:
            bounds.add(e.lo)
            bounds.add(e.hi + 1)
        for e in outbound:
            bounds.add(e.lo)
            bounds.add(e.hi + 1)
        points = sorted(bounds)
        by_ports: dict[Ranges, list[tuple[int, int]]] = {}
        for i in range(len(points) - 1):
            a, b = points[i], points[i + 1] - 1
            if not contains(addrs, a):
                continue
            ports = _first_match(inbound, a)
            if ports and proto == "tcp" and not overlaps(_first_match(outbound, a), EPHEMERAL):
                ports = EMPTY
            if ports:
                by_ports.setdefault(ports, []).append((a, b))
        hit = tuple((normalize(spans), ports) for ports, spans in by_ports.items())
        self._pieces[key] = hit
        return hit

    def rule_addrs(self, rule: SgRule, source: Source) -> Ranges:
        fam = source.family
        key = (id(rule), fam)
        base = self._rule_addr.get(key)
        if base is None:
            base = rule.v4 if fam == 4 else rule.v6
            for pl in rule.prefix_lists:
                lists = self.net.prefix_lists.get(pl)
                if lists:
                    base = union(base, lists[0] if fam == 4 else lists[1])
            self._rule_addr[key] = base
        if source.group_refs and rule.groups:
            for g in rule.groups:
                members = self._members.get(g)
                if members:
                    base = union(base, members[0] if fam == 4 else members[1])
                if g in source.member_groups:
                    base = union(base, source.addrs)
        return base

    def sg_open(
        self, group_ids: tuple[str, ...], source: Source, proto: str, pieces: Pieces
    ) -> tuple[Ranges, dict[str, Ranges]]:
        """Ports the ENI's groups open (union over groups) within ``pieces``."""
        total = EMPTY
        per_sg: dict[str, Ranges] = {}
        for gid in group_ids:
            sg = self.net.groups.get(gid)
            if sg is None:
                continue
            acc = EMPTY
            for rule in sg.rules:
                if rule.protocol != "all" and rule.protocol != proto:
                    continue
                raddrs = self.rule_addrs(rule, source)
                if not raddrs:
                    continue
                for paddrs, pports in pieces:
                    if overlaps(paddrs, raddrs):
                        acc = union(acc, intersect(pports, rule.ports))
            if acc:
                per_sg[gid] = acc
                total = union(total, acc)
        return total, per_sg

    # ---- findings ----------------------------------------------------------

    def run(self) -> Result:
        for inst in sorted(self.net.instances.values(), key=lambda i: i.id):
            for eid in inst.eni_ids:
                eni = self.net.enis.get(eid)
                if eni is None:
                    continue
                if inst.running:
                    self.direct(eni)
                elif self.want_why:
                    self.why_stopped(eni)
        self.through_load_balancers()
        order = {"NetworkExposure": 1}
        self.findings.sort(
            key=lambda f: (
                f.instance_id,
                f.network_interface_id,
                f.reachability,
                f.via,
                f.protocol,
                order.get(f.type, 0),
                f.port or 0,
            )
        )
        return Result(tuple(self.findings), tuple(self.why))

    def eni_sources(self, eni: Eni, vpc_id: str) -> list[Source]:
        out = []
        for src in self.sources(eni.subnet_id, vpc_id):
            if src.family == 4 and src.reachability == "Internet" and not eni.public4:
                continue  # IPv4 from the internet needs a public IPv4 or Elastic IP
            if src.family == 6 and not eni.ipv6:
                continue  # IPv6 needs a global address, but no public IP
            if src.family == 4 and not eni.private4:
                continue
            if src.reachability == "PeeredVPC":
                addrs = self.peer_back(src, vpc_id, eni)
                if not addrs:
                    if self.want_why:
                        self.why_no_return(eni, src)
                    continue
                if addrs != src.addrs:
                    src = Source(src.reachability, src.via, src.via_type, src.family, addrs)
            out.append(src)
        return out

    def direct(self, eni: Eni) -> None:
        vpc_id = self.vpc_of(eni.subnet_id, eni.vpc_id)
        acl = self.acl(eni.subnet_id, vpc_id)
        merged: dict[tuple[str, str, str], tuple[Source, Ranges, dict[str, Ranges]]] = {}
        for src in self.eni_sources(eni, vpc_id):
            for proto in PROTOCOLS:
                key = (eni.subnet_id, src, proto, eni.group_ids)
                hit = self._open.get(key)
                if hit is None:
                    pieces = self.pieces(acl, src.family, proto, src.addrs)
                    hit = self.sg_open(eni.group_ids, src, proto, pieces)
                    self._open[key] = hit
                    if self.want_why:
                        self.why_acl(eni, src, proto, acl, hit[0])
                elif self.want_why:
                    self.why_acl(eni, src, proto, acl, hit[0])
                open_, per_sg = hit
                if not open_:
                    continue
                # IPv4 and IPv6 through the same gateway make one finding.
                mkey = (src.reachability, src.via, proto)
                if mkey in merged:
                    old_src, old_open, old_sg = merged[mkey]
                    sg = dict(old_sg)
                    for g, r in per_sg.items():
                        sg[g] = union(sg.get(g, EMPTY), r)
                    merged[mkey] = (old_src, union(old_open, open_), sg)
                else:
                    merged[mkey] = (src, open_, per_sg)
        if self.want_why:
            self.why_unrouted(eni, vpc_id)
            self.why_dead_gateway(eni)
        for (_, _, pname), (src, open_, per_sg) in merged.items():
            head = [PathStep(src.via, src.via_type)]
            self.emit(
                eni, src.reachability, src.via, cast(Protocol, pname), open_, per_sg, acl, head
            )

    def _open_recognized(self, proto: str, open_: Ranges) -> list[int]:
        ports = self._recognized.get(proto)
        if ports is None:
            ports = self._recognized[proto] = self.ports.ports(proto)
        out: list[int] = []
        for lo, hi in open_:
            i = bisect_left(ports, lo)
            while i < len(ports) and ports[i] <= hi:
                out.append(ports[i])
                i += 1
        return out

    def emit(
        self,
        eni: Eni,
        reach: Reachability,
        via: str,
        proto: Protocol,
        open_: Ranges,
        per_sg: dict[str, Ranges],
        acl: NetworkAcl | None,
        head: list[PathStep],
    ) -> None:
        iid = eni.instance_id
        listening = self.agents.get(iid)
        acl_id = acl.id if acl else None

        def path(groups: list[str]) -> tuple[PathStep, ...]:
            steps = list(head)
            if acl_id:
                steps.append(PathStep(acl_id, "AWS::EC2::NetworkAcl"))
            steps.extend(PathStep(g, "AWS::EC2::SecurityGroup") for g in groups)
            steps.append(PathStep(eni.id, "AWS::EC2::NetworkInterface"))
            steps.append(PathStep(iid, "AWS::EC2::Instance"))
            return tuple(steps)

        def finding(kind: FindingType, port: int, group: str | None, sev: str) -> Finding:
            groups = sorted(g for g, r in per_sg.items() if contains(r, port))
            return Finding(
                kind,
                cast(Severity, sev),
                reach,
                proto,
                port,
                None,
                group,
                iid,
                eni.id,
                tuple(groups),
                acl_id,
                via,
                path(groups),
            )

        for port in self._open_recognized(proto, open_):
            service, severity = self.ports.by_port[(proto, port)]
            if listening is None:
                kind: FindingType = "RecognizedPortNoAgent"
            elif (proto, port) in listening:
                kind = "RecognizedPortWithListener"
            else:
                kind = "RecognizedPortNoListener"
            self.findings.append(finding(kind, port, service, severity))
        if listening:
            for lproto, port in sorted(listening):
                unrecognized = (proto, port) not in self.ports.by_port
                if lproto == proto and unrecognized and contains(open_, port):
                    sev = self.ports.unrecognized_severity
                    self.findings.append(finding("UnrecognizedPortWithListener", port, None, sev))
        groups = sorted(per_sg)
        self.findings.append(
            Finding(
                "NetworkExposure",
                self.ports.exposure_severity,
                reach,
                proto,
                None,
                open_,
                None,
                iid,
                eni.id,
                tuple(groups),
                acl_id,
                via,
                path(groups),
            )
        )

    # ---- load balancers ----------------------------------------------------

    def lb_entry(
        self, lb: LoadBalancer, listener: Listener, proto: str
    ) -> list[tuple[str, Source, NetworkAcl | None]]:
        """The LB's subnets where the internet reaches the listener port:
        (subnet, internet source, subnet NACL)."""
        out = []
        for sid in lb.subnet_ids:
            vpc_id = self.vpc_of(sid, lb.vpc_id)
            acl = self.acl(sid, vpc_id)
            for src in self.sources(sid, vpc_id):
                if src.reachability != "Internet" or src.family != 4:
                    continue
                pieces = self.pieces(acl, 4, proto, src.addrs)
                if lb.group_ids:
                    open_, _ = self.sg_open(lb.group_ids, src, proto, pieces)
                else:  # an NLB without security groups filters nothing itself
                    open_ = EMPTY
                    for _, ports in pieces:
                        open_ = union(open_, ports)
                if contains(open_, listener.port):
                    out.append((sid, src, acl))
                elif self.want_why:
                    self.why.append(
                        WhyNot(
                            "load-balancer-blocked",
                            "Internet",
                            lb.id,
                            "",
                            "",
                            cast(Protocol, proto),
                            ((listener.port, listener.port),),
                            lb.group_ids[0] if lb.group_ids else (acl.id if acl else sid),
                            "AWS::EC2::SecurityGroup" if lb.group_ids else "AWS::EC2::NetworkAcl",
                            f"load balancer {lb.id} listens on {proto} {listener.port} but its "
                            f"security groups or subnet {sid}'s NACL do not let the internet in",
                        )
                    )
        return out

    def lb_targets(self, lb: LoadBalancer, listener: Listener) -> list[tuple[Eni, int]]:
        out: list[tuple[Eni, int]] = []
        if lb.kind == "classic":
            for iid in lb.instance_ids:
                inst = self.net.instances.get(iid)
                if inst and inst.eni_ids and inst.eni_ids[0] in self.net.enis:
                    out.append((self.net.enis[inst.eni_ids[0]], listener.instance_port or 0))
            return [(eni, port) for eni, port in out if self.in_enabled_zone(lb, eni)]
        by_ip: dict[int, Eni] | None = None
        for tg_id in listener.forwards:
            tg = self.net.target_groups.get(tg_id)
            for target in in_service(self.net.targets.get(tg_id, [])):
                port = target.port or (tg.port if tg else None)
                if port is None:
                    continue
                ttype = tg.target_type if tg else "instance"
                if ttype == "ip":
                    if by_ip is None:
                        by_ip = {ip: e for e in self.net.enis.values() for ip in e.private4}
                    try:
                        eni = by_ip.get(_ip(target.id, "", 4))
                    except ValueError:
                        eni = None
                    if eni is not None:
                        out.append((eni, port))
                else:
                    inst = self.net.instances.get(target.id)
                    if inst and inst.eni_ids and inst.eni_ids[0] in self.net.enis:
                        out.append((self.net.enis[inst.eni_ids[0]], port))
        return [(eni, port) for eni, port in out if self.in_enabled_zone(lb, eni)]

    def in_enabled_zone(self, lb: LoadBalancer, eni: Eni) -> bool:
        """Whether the target's subnet is in a zone the load balancer enables
        (true where either side does not say)."""
        subnet = self.net.subnets.get(eni.subnet_id)
        zone = subnet.zone if subnet else None
        return not lb.zones or zone is None or zone in lb.zones

    def through_load_balancers(self) -> None:
        collected: dict[
            tuple[str, str, str],
            tuple[Eni, Ranges, dict[str, Ranges], NetworkAcl | None, list[PathStep]],
        ] = {}
        for listener in self.net.listeners:
            lb = self.net.load_balancers.get(listener.lb_id)
            if lb is None or not lb.internet_facing or lb.kind == "gateway":
                continue
            for proto in listener.protocols:
                entries = self.lb_entry(lb, listener, proto)
                if not entries:
                    continue
                for eni, port in self.lb_targets(lb, listener):
                    inst = self.net.instances.get(eni.instance_id)
                    if inst is None or not inst.running or not eni.private4:
                        continue
                    hit = self.lb_hop(lb, entries, eni, proto, port)
                    if hit is None:
                        continue
                    per_sg, t_acl, head = hit
                    key = (eni.id, lb.id, proto)
                    if key in collected:
                        old = collected[key]
                        sg = dict(old[2])
                        for g, r in per_sg.items():
                            sg[g] = union(sg.get(g, EMPTY), r)
                        collected[key] = (eni, union(old[1], ((port, port),)), sg, t_acl, old[4])
                    else:
                        collected[key] = (eni, ((port, port),), per_sg, t_acl, head)
        for (_, lb_id, pname), (eni, ports, per_sg, t_acl, head) in sorted(collected.items()):
            self.emit(eni, "Internet", lb_id, cast(Protocol, pname), ports, per_sg, t_acl, head)

    def lb_hop(
        self,
        lb: LoadBalancer,
        entries: list[tuple[str, Source, NetworkAcl | None]],
        eni: Eni,
        proto: str,
        port: int,
    ) -> tuple[dict[str, Ranges], NetworkAcl | None, list[PathStep]] | None:
        """From the LB's nodes to the target: the LB subnet's NACL out (and
        replies in), the target subnet's NACL in (and replies out), and the
        target's groups allowing the LB's group or subnets."""
        t_vpc = self.vpc_of(eni.subnet_id, eni.vpc_id)
        t_acl = self.acl(eni.subnet_id, t_vpc)
        target_ip = eni.private4[0]
        lb_type = _LB_TYPE.get(lb.kind, "AWS::ElasticLoadBalancingV2::LoadBalancer")
        for sid, inet, lb_acl in entries:
            if lb_acl is not None:
                out_ok = contains(
                    _first_match(self.acl_rules(lb_acl, True, 4, proto), target_ip), port
                )
                back = _first_match(self.acl_rules(lb_acl, False, 4, proto), target_ip)
                if not out_ok or (proto == "tcp" and not overlaps(back, EPHEMERAL)):
                    continue
            subnet = self.net.subnets.get(sid)
            node_addrs = subnet.v4 if subnet else EMPTY
            srcs = [
                Source(
                    "Internet",
                    lb.id,
                    "AWS::EC2::InternetGateway",
                    4,
                    node_addrs,
                    True,
                    frozenset(lb.group_ids),
                )
            ]
            if lb.kind == "network":
                # NLBs keep the client's address for instance targets.
                srcs.append(
                    Source("Internet", lb.id, "AWS::EC2::InternetGateway", 4, inet.addrs, False)
                )
            for src in srcs:
                if not src.addrs:
                    continue
                pieces = self.pieces(t_acl, 4, proto, src.addrs)
                open_, per_sg = self.sg_open(eni.group_ids, src, proto, pieces)
                if contains(open_, port):
                    head = [PathStep(inet.via, "AWS::EC2::InternetGateway")]
                    if lb_acl is not None:
                        head.append(PathStep(lb_acl.id, "AWS::EC2::NetworkAcl"))
                    head.extend(PathStep(g, "AWS::EC2::SecurityGroup") for g in lb.group_ids)
                    head.append(PathStep(lb.id, lb_type))
                    kept: dict[str, Ranges] = {
                        g: ((port, port),) for g, r in per_sg.items() if contains(r, port)
                    }
                    return kept, t_acl, head
        if self.want_why:
            self.why.append(
                WhyNot(
                    "target-not-allowed",
                    "Internet",
                    lb.id,
                    eni.instance_id,
                    eni.id,
                    cast(Protocol, proto),
                    ((port, port),),
                    eni.group_ids[0] if eni.group_ids else eni.id,
                    "AWS::EC2::SecurityGroup" if eni.group_ids else "AWS::EC2::NetworkInterface",
                    f"load balancer {lb.id} forwards {proto} {port} to {eni.instance_id} but the "
                    f"target's security groups ({', '.join(eni.group_ids) or 'none'}) or the NACLs "
                    f"on the way do not allow the load balancer's group or subnets",
                )
            )
        return None

    # ---- why not -----------------------------------------------------------

    def _why(
        self,
        eni: Eni,
        src: Source | None,
        reach: Reachability,
        via: str,
        proto: str,
        ranges: Ranges,
        reason: str,
        blocked_by: str,
        blocked_type: ComponentType,
        message: str,
    ) -> None:
        self.why.append(
            WhyNot(
                cast(BlockReason, reason),
                reach,
                via,
                eni.instance_id,
                eni.id,
                cast(Protocol, proto),
                ranges,
                blocked_by,
                blocked_type,
                message,
            )
        )

    def _opening_rule(
        self, eni: Eni, src: Source, proto: str, port: int
    ) -> tuple[SecurityGroup, SgRule, int] | None:
        for gid in eni.group_ids:
            sg = self.net.groups.get(gid)
            if sg is None:
                continue
            for rule in sg.rules:
                if rule.protocol in ("all", proto) and contains(rule.ports, port):
                    both = intersect(self.rule_addrs(rule, src), src.addrs)
                    if both:
                        return sg, rule, both[0][0]
        return None

    def why_acl(
        self, eni: Eni, src: Source, proto: str, acl: NetworkAcl | None, open_: Ranges
    ) -> None:
        if acl is None:
            return
        sg_only, _ = self.sg_open(eni.group_ids, src, proto, ((src.addrs, ALL_PORTS),))
        blocked = subtract(sg_only, open_)
        for lo, hi in blocked[:20]:
            found = self._opening_rule(eni, src, proto, lo)
            if found is None:
                continue
            sg, rule, addr = found
            span = f"{proto} {lo}" if lo == hi else f"{proto} {lo}-{hi}"
            inbound = self.acl_rules(acl, False, src.family, proto)
            entry = _deciding_rule(inbound, addr, lo)
            head = f"SG {sg.id} allows {span} from {rule.sources} but NACL {acl.id}"
            if entry is None:
                reason, msg = (
                    "nacl-inbound-default-deny",
                    f"{head} has no inbound rule for it (default deny)",
                )
            elif not entry.allow:
                reason, msg = "nacl-inbound-deny", f"{head} inbound rule {entry.number} denies it"
            else:
                outbound = self.acl_rules(acl, True, src.family, proto)
                out_entry = _deciding_rule(outbound, addr, 1024)
                rule_txt = f"rule {out_entry.number}" if out_entry else "no rule (default deny)"
                reason = "nacl-return-denied"
                msg = (
                    f"{head} denies the return traffic to ephemeral ports 1024-65535 "
                    f"(outbound {rule_txt})"
                )
            self._why(
                eni,
                src,
                src.reachability,
                src.via,
                proto,
                ((lo, hi),),
                reason,
                acl.id,
                "AWS::EC2::NetworkAcl",
                msg,
            )

    def _world_rules(self, eni: Eni) -> list[tuple[str, SgRule, int]]:
        """Rules open to the whole internet (0.0.0.0/0 or ::/0)."""
        out = []
        for gid in eni.group_ids:
            sg = self.net.groups.get(gid)
            if sg is None:
                continue
            for rule in sg.rules:
                if rule.protocol not in ("all", "tcp", "udp"):
                    continue
                for fam, ranges in ((4, rule.v4), (6, rule.v6)):
                    if ranges and ranges[0] == FULL[fam][0]:
                        out.append((gid, rule, fam))
        return out

    def why_unrouted(self, eni: Eni, vpc_id: str) -> None:
        world = self._world_rules(eni)
        if not world:
            return
        srcs = self.sources(eni.subnet_id, vpc_id)
        rt = self.route_table(eni.subnet_id, vpc_id)
        for gid, rule, fam in world:
            inet = [s for s in srcs if s.reachability == "Internet" and s.family == fam]
            protos = PROTOCOLS if rule.protocol == "all" else (rule.protocol,)
            cidr = "0.0.0.0/0" if fam == 4 else "::/0"
            span = fmt_ranges(rule.ports)
            for proto in protos:
                head = f"SG {gid} allows {proto} {span} from {cidr} but"
                dead = any(
                    d.reachability == "Internet" and d.family == fam
                    for d, _ in self._dead.get(eni.subnet_id, [])
                )
                if not inet and dead:
                    continue  # why_dead_gateway names the unattached gateway
                if not inet:
                    black = None
                    if rt is not None:
                        black = next(
                            (r for r, _ in self.lpm(rt, fam) if r.target == "igw" and r.blackhole),
                            None,
                        )
                    if black is not None and rt is not None:
                        self._why(
                            eni,
                            None,
                            "Internet",
                            black.target_id,
                            proto,
                            rule.ports,
                            "blackhole-route",
                            rt.id,
                            "AWS::EC2::RouteTable",
                            f"{head} route {black.destination} in {rt.id} to "
                            f"{black.target_id} is a blackhole",
                        )
                    else:
                        where = rt.id if rt else eni.subnet_id
                        self._why(
                            eni,
                            None,
                            "Internet",
                            "",
                            proto,
                            rule.ports,
                            "no-internet-route",
                            where,
                            "AWS::EC2::RouteTable" if rt else "AWS::EC2::Subnet",
                            f"{head} {'route table ' + rt.id if rt else 'subnet ' + eni.subnet_id}"
                            f" has no route to an internet gateway",
                        )
                elif (fam == 4 and not eni.public4) or (fam == 6 and not eni.ipv6):
                    missing = "public IPv4 or Elastic IP address" if fam == 4 else "IPv6 address"
                    self._why(
                        eni,
                        None,
                        "Internet",
                        inet[0].via,
                        proto,
                        rule.ports,
                        "no-public-ip",
                        eni.id,
                        "AWS::EC2::NetworkInterface",
                        f"{head} {eni.id} has no {missing}",
                    )

    def why_no_return(self, eni: Eni, src: Source) -> None:
        for proto in PROTOCOLS:
            opened, per_sg = self.sg_open(eni.group_ids, src, proto, ((src.addrs, ALL_PORTS),))
            if not opened:
                continue
            groups = ", ".join(sorted(per_sg))
            self._why(
                eni,
                src,
                "PeeredVPC",
                src.via,
                proto,
                opened,
                "peering-no-return-route",
                src.via,
                "AWS::EC2::VPCPeeringConnection",
                f"SG {groups} allows {proto} {fmt_ranges(opened)} from the peer VPC but no route "
                f"table there sends {eni.id}'s address back over {src.via}",
            )

    def why_dead_gateway(self, eni: Eni) -> None:
        for src, why in self._dead.get(eni.subnet_id, []):
            if src.family == 4 and src.reachability == "Internet" and not eni.public4:
                continue
            if src.family == 6 and not eni.ipv6:
                continue
            for proto in PROTOCOLS:
                opened, per_sg = self.sg_open(eni.group_ids, src, proto, ((src.addrs, ALL_PORTS),))
                if opened:
                    self._why(
                        eni,
                        src,
                        src.reachability,
                        src.via,
                        proto,
                        opened,
                        "gateway-unusable",
                        src.via,
                        src.via_type,
                        f"SG {', '.join(sorted(per_sg))} allows {proto} {fmt_ranges(opened)} "
                        f"from addresses routed to {src.via}, but {src.via} {why}",
                    )

    def why_stopped(self, eni: Eni) -> None:
        for gid, rule, _ in self._world_rules(eni):
            protos = PROTOCOLS if rule.protocol == "all" else (rule.protocol,)
            for proto in protos:
                self._why(
                    eni,
                    None,
                    "Internet",
                    "",
                    proto,
                    rule.ports,
                    "instance-not-running",
                    eni.instance_id,
                    "AWS::EC2::Instance",
                    f"SG {gid} allows {proto} {fmt_ranges(rule.ports)} from the internet "
                    f"but instance {eni.instance_id} is not running",
                )


def analyze_network(net: Topology, agents: Agents | None = None, why_not: bool = False) -> Result:
    return Engine(net, agents, why_not).run()


# Target health states that receive traffic ("unavailable": health checks are
# off, so the target is not taken out). "initial", "unused" (not registered,
# or in an Availability Zone the load balancer does not enable), "draining"
# and "unhealthy.draining" receive none. States and fail-open behaviour:
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
_SERVING = frozenset({"healthy", "unavailable"})


def in_service(targets: list[Target]) -> list[Target]:
    """The targets of one group that a load balancer sends traffic to."""
    serving = [t for t in targets if t.state is None or t.state in _SERVING]
    if serving:
        return serving
    # "If a target group contains only unhealthy registered targets, the load
    # balancer routes requests to all those targets": it fails open.
    return [t for t in targets if t.state == "unhealthy"]
