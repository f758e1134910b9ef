"""Network ACLs: stateless, numbered rules, evaluated per address.

The lowest-numbered rule that matches a packet decides it, and a packet no
rule matches is denied. Being stateless, a NACL must also let the replies
out, to the client's ephemeral ports:
https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
"""

from __future__ import annotations

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
from .model import AclEntry, NetworkAcl, Topology

# Address ranges, each with the ports a NACL admits from it.
Pieces = tuple[tuple[Ranges, Ranges], ...]


def first_match(entries: list[AclEntry], addr: int) -> Ranges:
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


def deciding_rule(entries: list[AclEntry], addr: int, port: int) -> AclEntry | None:
    """The rule that decides one packet, or None for the default deny."""
    for e in entries:
        if e.lo <= addr <= e.hi and contains(e.ports, port):
            return e
    return None


class Nacls:
    """Which NACL filters a subnet, and what it admits (cached)."""

    def __init__(self, net: Topology) -> None:
        self._by_subnet: dict[str, NetworkAcl] = {}
        self._default: dict[str, NetworkAcl] = {}
        for acl in net.acls.values():
            for sid in acl.subnet_ids:
                self._by_subnet[sid] = acl
            if acl.is_default:
                self._default[acl.vpc_id] = acl
        self._rules: dict[tuple[str, bool, int, str], list[AclEntry]] = {}
        self._pieces: dict[tuple[str, int, str, Ranges], Pieces] = {}

    def of_subnet(self, subnet_id: str, vpc_id: str) -> NetworkAcl | None:
        """The subnet's NACL: its associated one, else the VPC's default.
        None: the snapshot has no NACL for the subnet, so none filters it."""
        return self._by_subnet.get(subnet_id) or self._default.get(vpc_id)

    def rules(self, acl: NetworkAcl, egress: bool, family: int, proto: str) -> list[AclEntry]:
        key = (acl.id, egress, family, proto)
        hit = self._rules.get(key)
        if hit is None:
            entries = acl.outbound if egress else acl.inbound
            hit = [e for e in entries if e.family == family and e.protocol in ("all", proto)]
            self._rules[key] = hit
        return hit

    def passes_out(self, acl: NetworkAcl, proto: str, dest: int, port: int) -> bool:
        """Whether traffic from the subnet to ``dest``:``port`` may leave,
        and (TCP) its replies come back in to an ephemeral port."""
        if not contains(first_match(self.rules(acl, True, 4, proto), dest), port):
            return False
        back = first_match(self.rules(acl, False, 4, proto), dest)
        return proto != "tcp" or overlaps(back, EPHEMERAL)

    def pieces(self, acl: NetworkAcl | None, family: int, proto: str, addrs: Ranges) -> Pieces:
        """Split ``addrs`` into ranges with the ports the NACL admits from
        them (inbound allowed, and for TCP replies to 1024-65535 allowed out)."""
        if acl is None:
            return ((addrs, ALL_PORTS),) if addrs else ()
        key = (acl.id, family, proto, addrs)
        hit = self._pieces.get(key)
        if hit is not None:
            return hit
        inbound = self.rules(acl, False, family, proto)
        outbound = self.rules(acl, True, family, proto)
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
            ports = first_match(inbound, a)
            if ports and proto == "tcp" and not overlaps(first_match(outbound, a), EPHEMERAL):
                ports = EMPTY
            if ports:
                by_ports.setdefault(ports, []).append((a, b))
        hit = tuple((normalize(spans), ports) for ports, spans in by_ports.items())
        self._pieces[key] = hit
        return hit
