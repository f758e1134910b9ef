"""Load balancers: from an internet-facing listener to the targets it serves.

The internet must reach the listener (the load balancer's subnets' routes
and NACLs, and its security groups); the load balancer then opens its own
connection to each target in service, which the target's NACL and groups
must admit:
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html
https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html
https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-security-groups.html
"""

from __future__ import annotations

from dataclasses import dataclass

from .fields import ip_value
from .findings import ComponentType, PathStep
from .intervals import EMPTY, Ranges, contains, union
from .model import (
    Eni,
    Listener,
    LoadBalancer,
    NetworkAcl,
    Protocol,
    Target,
    TargetGroup,
    Topology,
)
from .nacls import Nacls
from .routing import Routing, Source
from .security_groups import SecurityGroups
from .tables import CLIENT_IP_ALWAYS_KEPT
from .why_not import Explainer

_LB_TYPE: dict[str, ComponentType] = {
    "classic": "AWS::ElasticLoadBalancing::LoadBalancer",
}

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


def keeps_client_ip(lb: LoadBalancer, tg: TargetGroup | None) -> bool:
    """Whether the target sees the client's address (else the load
    balancer's own private address).

    Application and Classic Load Balancers always open their own connection.
    A Network Load Balancer keeps the client's IPv4 address for UDP,
    TCP_UDP, QUIC and TCP_QUIC groups (always), and for TCP and TLS groups
    as ``preserve_client_ip.enabled`` says; by default for instance targets
    and not for ip targets:
    https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation
    """
    if lb.kind != "network":
        return False
    if tg is None:
        return True  # no target group in the snapshot: instance targets' default
    if tg.protocol in CLIENT_IP_ALWAYS_KEPT:
        return True
    if tg.preserve_client_ip is not None:
        return tg.preserve_client_ip
    return tg.target_type != "ip"


# (subnet of the load balancer, the internet source there, that subnet's NACL)
Entry = tuple[str, Source, NetworkAcl | None]


@dataclass(frozen=True, slots=True)
class LbPath:
    """The ports of one target ENI that one load balancer opens to the internet."""

    eni: Eni
    lb_id: str
    protocol: Protocol
    ports: Ranges
    per_sg: dict[str, Ranges]
    acl: NetworkAcl | None
    head: tuple[PathStep, ...]


class LoadBalancing:
    def __init__(
        self,
        net: Topology,
        routing: Routing,
        nacls: Nacls,
        groups: SecurityGroups,
        explain: Explainer | None,
    ) -> None:
        self.net = net
        self.routing = routing
        self.nacls = nacls
        self.groups = groups
        self.explain = explain
        self._by_ip: dict[int, Eni] | None = None

    def paths(self) -> list[LbPath]:
        collected: dict[tuple[str, str, str], LbPath] = {}
        for listener in self.net.listeners:
            lb = self.net.load_balancers.get(listener.lb_id)
            if lb is None or not lb.internet_facing or lb.kind == "gateway":
                continue
            for proto in listener.protocols:
                entries = self.entry(lb, listener, proto)
                if not entries:
                    continue
                for eni, port, tg in self.targets(lb, listener):
                    inst = self.net.instances.get(eni.instance_id)
                    if inst is None or not inst.running or not eni.private4:
                        continue
                    hit = self.hop(lb, entries, eni, proto, port, keeps_client_ip(lb, tg))
                    if hit is None:
                        continue
                    per_sg, t_acl, head = hit
                    key = (eni.id, lb.id, proto)
                    old = collected.get(key)
                    if old is not None:
                        sg = dict(old.per_sg)
                        for g, r in per_sg.items():
                            sg[g] = union(sg.get(g, EMPTY), r)
                        ports = union(old.ports, ((port, port),))
                        collected[key] = LbPath(
                            eni, lb.id, old.protocol, ports, sg, t_acl, old.head
                        )
                    else:
                        collected[key] = LbPath(
                            eni, lb.id, proto, ((port, port),), per_sg, t_acl, head
                        )
        return [collected[k] for k in sorted(collected)]

    def entry(self, lb: LoadBalancer, listener: Listener, proto: Protocol) -> list[Entry]:
        """The LB's subnets where the internet reaches the listener port."""
        out = []
        for sid in lb.subnet_ids:
            vpc_id = self.routing.vpc_of(sid, lb.vpc_id)
            acl = self.nacls.of_subnet(sid, vpc_id)
            for src in self.routing.sources(sid, vpc_id):
                if src.reachability != "Internet" or src.family != 4:
                    continue
                pieces = self.nacls.pieces(acl, 4, proto, src.addrs)
                if lb.group_ids:
                    open_, _ = self.groups.open(lb.group_ids, src, proto, pieces)
                else:  # an NLB without security groups filters nothing itself
                    open_ = EMPTY
                    for _, ports in pieces:
                        open_ = union(open_, ports)
                if contains(open_, listener.port):
                    out.append((sid, src, acl))
                elif self.explain is not None:
                    self.explain.add(
                        None,
                        "Internet",
                        lb.id,
                        proto,
                        ((listener.port, listener.port),),
                        "load-balancer-blocked",
                        lb.group_ids[0] if lb.group_ids else (acl.id if acl else sid),
                        "AWS::EC2::SecurityGroup" if lb.group_ids else "AWS::EC2::NetworkAcl",
                        f"load balancer {lb.id} listens on {proto} {listener.port} but its "
                        f"security groups or subnet {sid}'s NACL do not let the internet in",
                    )
        return out

    def _primary_eni(self, instance_id: str) -> Eni | None:
        # An instance-id target receives on its primary interface (the
        # snapshot orders each instance's ENIs by device index).
        inst = self.net.instances.get(instance_id)
        if inst and inst.eni_ids:
            return self.net.enis.get(inst.eni_ids[0])
        return None

    def _eni_with_ip(self, text: str) -> Eni | None:
        if self._by_ip is None:
            self._by_ip = {ip: e for e in self.net.enis.values() for ip in e.private4}
        try:
            return self._by_ip.get(ip_value(text, "", 4))
        except ValueError:
            return None

    def targets(
        self, lb: LoadBalancer, listener: Listener
    ) -> list[tuple[Eni, int, TargetGroup | None]]:
        """The ENIs the listener sends to, with the port on each and the
        target group it comes from."""
        out: list[tuple[Eni, int, TargetGroup | None]] = []
        if lb.kind == "classic":
            for iid in lb.instance_ids:
                eni = self._primary_eni(iid)
                if eni is not None:
                    out.append((eni, listener.instance_port or 0, None))
            return [t for t in out if self.in_enabled_zone(lb, t[0])]
        for tg_id in listener.forwards:
            tg = self.net.target_groups.get(tg_id)
            for target in in_service(self.net.targets.get(tg_id, [])):
                port = target.port or (tg.port if tg else None)
                if port is None:
                    continue
                ttype = tg.target_type if tg else "instance"
                if ttype == "ip":
                    eni = self._eni_with_ip(target.id)
                else:
                    eni = self._primary_eni(target.id)
                if eni is not None:
                    out.append((eni, port, tg))
        return [t for t in out if self.in_enabled_zone(lb, t[0])]

    def in_enabled_zone(self, lb: LoadBalancer, eni: Eni) -> bool:
        """Whether the target's subnet is in a zone the load balancer enables
        (true where either side does not say)."""
        subnet = self.net.subnets.get(eni.subnet_id)
        zone = subnet.zone if subnet else None
        return not lb.zones or zone is None or zone in lb.zones

    def hop(
        self,
        lb: LoadBalancer,
        entries: list[Entry],
        eni: Eni,
        proto: Protocol,
        port: int,
        client_ip: bool,
    ) -> tuple[dict[str, Ranges], NetworkAcl | None, tuple[PathStep, ...]] | None:
        """From the LB's nodes to the target: the LB subnet's NACL out (and
        replies in), the target subnet's NACL in (and replies out), and the
        target's groups allowing the traffic's source address, or the load
        balancer's groups (which match even when the client's address is
        kept, as the NLB security-group page says)."""
        t_vpc = self.routing.vpc_of(eni.subnet_id, eni.vpc_id)
        t_acl = self.nacls.of_subnet(eni.subnet_id, t_vpc)
        target_ip = eni.private4[0]
        lb_type = _LB_TYPE.get(lb.kind, "AWS::ElasticLoadBalancingV2::LoadBalancer")
        for sid, inet, lb_acl in entries:
            if lb_acl is not None and not self.nacls.passes_out(lb_acl, proto, target_ip, port):
                continue
            if client_ip:
                addrs, group_refs = inet.addrs, False
            else:
                subnet = self.net.subnets.get(sid)
                addrs, group_refs = (subnet.v4 if subnet else EMPTY), True
            if not addrs:
                continue
            src = Source(
                "Internet",
                lb.id,
                "AWS::EC2::InternetGateway",
                4,
                addrs,
                group_refs,
                frozenset(lb.group_ids),
            )
            pieces = self.nacls.pieces(t_acl, 4, proto, src.addrs)
            open_, per_sg = self.groups.open(eni.group_ids, src, proto, pieces)
            if contains(open_, port):
                head = [PathStep(inet.via, "AWS::EC2::InternetGateway"), *inet.through]
                if lb_acl is not None:
                    head.append(PathStep(lb_acl.id, "AWS::EC2::NetworkAcl"))
                head.extend(PathStep(g, "AWS::EC2::SecurityGroup") for g in lb.group_ids)
                head.append(PathStep(lb.id, lb_type))
                kept: dict[str, Ranges] = {
                    g: ((port, port),) for g, r in per_sg.items() if contains(r, port)
                }
                return kept, t_acl, tuple(head)
        if self.explain is not None:
            seen = (
                "the clients' addresses (the load balancer keeps them)"
                if client_ip
                else "the load balancer's addresses"
            )
            if lb.group_ids:
                seen += " or its security groups"
            self.explain.add(
                eni,
                "Internet",
                lb.id,
                proto,
                ((port, port),),
                "target-not-allowed",
                eni.group_ids[0] if eni.group_ids else eni.id,
                "AWS::EC2::SecurityGroup" if eni.group_ids else "AWS::EC2::NetworkInterface",
                f"load balancer {lb.id} forwards {proto} {port} to {eni.instance_id} but the "
                f"target's security groups ({', '.join(eni.group_ids) or 'none'}) or the NACLs "
                f"on the way do not allow {seen}",
            )
        return None
