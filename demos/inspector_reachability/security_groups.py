"""Security groups: stateful, allow-only rules, unioned over an ENI's groups.

A rule admits traffic from its CIDRs, its prefix lists' entries, or the
private addresses of the ENIs in a referenced group:
https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html
https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
"""

from __future__ import annotations

from .intervals import EMPTY, Ranges, contains, intersect, normalize, overlaps, union
from .model import Eni, SecurityGroup, SgRule, Topology
from .nacls import Pieces
from .routing import FULL, Source


class SecurityGroups:
    def __init__(self, net: Topology) -> None:
        self.net = net
        self._rule_addr: dict[tuple[int, int], Ranges] = {}
        members: dict[str, tuple[list[tuple[int, int]], list[tuple[int, int]]]] = {}
        for eni in net.enis.values():
            for gid in eni.group_ids:
                v4, v6 = members.setdefault(gid, ([], []))
                v4.extend((ip, ip) for ip in eni.private4)
                v6.extend((ip, ip) for ip in eni.ipv6)
        self._members = {g: (normalize(a), normalize(b)) for g, (a, b) in members.items()}

    def rule_addrs(self, rule: SgRule, source: Source) -> Ranges:
        """The addresses of ``source``'s family that a rule admits."""
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
        for g in rule.groups:
            if source.group_refs:
                members = self._members.get(g)
                if members:
                    base = union(base, members[0] if fam == 4 else members[1])
            # Traffic that carries the referenced group (a load balancer's)
            # matches whatever its address.
            if g in source.member_groups:
                base = union(base, source.addrs)
        return base

    def open(
        self, group_ids: tuple[str, ...], source: Source, proto: str, pieces: Pieces
    ) -> tuple[Ranges, dict[str, Ranges]]:
        """Ports the ENI's groups open (union over groups) within ``pieces``,
        in all and per group."""
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

    def opening_rule(
        self, eni: Eni, src: Source, proto: str, port: int
    ) -> tuple[SecurityGroup, SgRule, int] | None:
        """A rule of the ENI's groups that opens ``port`` to ``src``, with
        one address it admits."""
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

    def world_rules(self, eni: Eni) -> list[tuple[str, SgRule, int]]:
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
