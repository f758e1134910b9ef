"""Why not: for each path a security group opens, what else blocks it.

Each explanation names the component that blocks (a NACL rule, a missing
route or public address, a stopped instance, a load balancer's groups) so a
reader can find it in the console.
"""

from __future__ import annotations

from typing import cast

from .findings import BlockReason, ComponentType, Reachability, WhyNot
from .intervals import ALL_PORTS, Ranges, fmt_ranges, subtract
from .model import Eni, NetworkAcl, Protocol
from .nacls import Nacls, deciding_rule
from .routing import Routing, Source
from .security_groups import SecurityGroups

PROTOCOLS: tuple[Protocol, ...] = ("tcp", "udp")


class Explainer:
    def __init__(self, routing: Routing, nacls: Nacls, groups: SecurityGroups) -> None:
        self.routing = routing
        self.nacls = nacls
        self.groups = groups
        self.why: list[WhyNot] = []

    def add(
        self,
        eni: Eni | None,
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
                eni.instance_id if eni else "",
                eni.id if eni else "",
                cast(Protocol, proto),
                ranges,
                blocked_by,
                blocked_type,
                message,
            )
        )

    def acl(self, eni: Eni, src: Source, proto: str, acl: NetworkAcl | None, open_: Ranges) -> None:
        """Ports the groups open to ``src`` that the subnet's NACL blocks."""
        if acl is None:
            return
        sg_only, _ = self.groups.open(eni.group_ids, src, proto, ((src.addrs, ALL_PORTS),))
        blocked = subtract(sg_only, open_)
        for lo, hi in blocked[:20]:
            found = self.groups.opening_rule(eni, src, proto, lo)
            if found is None:
                continue
            sg, rule, addr = found
            span = f"{proto} {lo}" if lo == hi else f"{proto} {lo}-{hi}"
            inbound = self.nacls.rules(acl, False, src.family, proto)
            entry = deciding_rule(inbound, addr, lo)
            head = f"SG {sg.id} allows {span} from {rule.sources} but NACL {acl.id}"
            if entry is None:
                reason, msg = (
                    "nacl-inbound-default-deny",
                    f"{head} has no inbound rule for it (default deny)",
                )
            elif not entry.allow:
                reason, msg = "nacl-inbound-deny", f"{head} inbound rule {entry.number} denies it"
            else:
                outbound = self.nacls.rules(acl, True, src.family, proto)
                out_entry = deciding_rule(outbound, addr, 1024)
                rule_txt = f"rule {out_entry.number}" if out_entry else "no rule (default deny)"
                reason = "nacl-return-denied"
                msg = (
                    f"{head} denies the return traffic to ephemeral ports 1024-65535 "
                    f"(outbound {rule_txt})"
                )
            self.add(
                eni,
                src.reachability,
                src.via,
                proto,
                ((lo, hi),),
                reason,
                acl.id,
                "AWS::EC2::NetworkAcl",
                msg,
            )

    def unrouted(self, eni: Eni, vpc_id: str) -> None:
        """Rules open to the whole internet on an ENI the internet can't reach."""
        world = self.groups.world_rules(eni)
        if not world:
            return
        srcs = self.routing.sources(eni.subnet_id, vpc_id)
        rt = self.routing.route_table(eni.subnet_id, vpc_id)
        for gid, rule, fam in world:
            inet = [s for s in srcs if s.reachability == "Internet" and s.family == fam]
            protos = PROTOCOLS if rule.protocol == "all" else (rule.protocol,)
            cidr = "0.0.0.0/0" if fam == 4 else "::/0"
            span = fmt_ranges(rule.ports)
            for proto in protos:
                head = f"SG {gid} allows {proto} {span} from {cidr} but"
                dead = any(
                    d.reachability == "Internet" and d.family == fam
                    for d, _ in self.routing.dead.get(eni.subnet_id, [])
                )
                if not inet and dead:
                    continue  # dead_gateway names the unattached gateway
                if not inet:
                    black = None
                    if rt is not None:
                        black = next(
                            (
                                r
                                for r, _ in self.routing.lpm(rt, fam)
                                if r.target == "igw" and r.blackhole
                            ),
                            None,
                        )
                    if black is not None and rt is not None:
                        self.add(
                            eni,
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
                        self.add(
                            eni,
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
                    self.add(
                        eni,
                        "Internet",
                        inet[0].via,
                        proto,
                        rule.ports,
                        "no-public-ip",
                        eni.id,
                        "AWS::EC2::NetworkInterface",
                        f"{head} {eni.id} has no {missing}",
                    )

    def no_return(self, eni: Eni, src: Source) -> None:
        """A peer VPC whose route tables send nothing back to this ENI."""
        for proto in PROTOCOLS:
            opened, per_sg = self.groups.open(eni.group_ids, src, proto, ((src.addrs, ALL_PORTS),))
            if not opened:
                continue
            groups = ", ".join(sorted(per_sg))
            self.add(
                eni,
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

    def no_tgw_route(self, eni: Eni, src: Source) -> None:
        """A transit gateway whose route tables send nothing back to this ENI."""
        for proto in PROTOCOLS:
            opened, per_sg = self.groups.open(eni.group_ids, src, proto, ((src.addrs, ALL_PORTS),))
            if not opened:
                continue
            self.add(
                eni,
                "TransitGateway",
                src.via,
                proto,
                opened,
                "transit-gateway-no-return-route",
                src.via,
                "AWS::EC2::TransitGateway",
                f"SG {', '.join(sorted(per_sg))} allows {proto} {fmt_ranges(opened)} from "
                f"addresses routed to {src.via}, but no route table of {src.via} sends "
                f"{eni.id}'s address to the attachment of its VPC",
            )

    def dead_gateway(self, eni: Eni) -> None:
        """Routes to a gateway that is detached or a peering that is not active."""
        for src, why in self.routing.dead.get(eni.subnet_id, []):
            if src.family == 4 and src.reachability == "Internet" and not eni.public4:
                continue
            if src.family == 6 and not eni.ipv6:
                continue
            for proto in PROTOCOLS:
                opened, per_sg = self.groups.open(
                    eni.group_ids, src, proto, ((src.addrs, ALL_PORTS),)
                )
                if opened:
                    self.add(
                        eni,
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

    def stopped(self, eni: Eni) -> None:
        for gid, rule, _ in self.groups.world_rules(eni):
            protos = PROTOCOLS if rule.protocol == "all" else (rule.protocol,)
            for proto in protos:
                self.add(
                    eni,
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
