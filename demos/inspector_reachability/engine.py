"""Inspector's network-reachability analysis over a parsed ``Topology``.

The engine composes one module per layer, each where its AWS page would put
it: ``routing`` (route tables, gateways, peering), ``nacls``,
``security_groups``, ``load_balancers``, and ``why_not`` for the paths that
a security group opens but something else blocks. Here it walks each
running instance's ENIs and turns the open ports into findings.

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

The findings follow Inspector Classic's "Network Reachability" rules package:
https://docs.aws.amazon.com/inspector/v1/userguide/inspector_network-reachability.html
"""

from __future__ import annotations

from bisect import bisect_left
from typing import cast

from .findings import Finding, FindingType, PathStep, Reachability, Result
from .intervals import EMPTY, Ranges, contains, union
from .load_balancers import LoadBalancing
from .model import Eni, NetworkAcl, Protocol, Topology
from .nacls import Nacls
from .routing import Routing, Source
from .rules import RecognizedPorts, Severity, recognized_ports
from .security_groups import SecurityGroups
from .why_not import PROTOCOLS, Explainer

Agents = dict[str, frozenset[tuple[str, int]]]


class Engine:
    def __init__(self, net: Topology, agents: Agents | None, why_not: bool = False) -> None:
        self.net = net
        self.agents = agents or {}
        self.ports: RecognizedPorts = recognized_ports()
        self._recognized: dict[str, list[int]] = {}
        self.findings: list[Finding] = []
        self.routing = Routing(net, record_dead=why_not)
        self.nacls = Nacls(net)
        self.groups = SecurityGroups(net)
        self.explain = Explainer(self.routing, self.nacls, self.groups) if why_not else None
        self.balancing = LoadBalancing(net, self.routing, self.nacls, self.groups, self.explain)
        self._open: dict[tuple[object, ...], tuple[Ranges, dict[str, Ranges]]] = {}

    def run(self) -> Result:
        for inst in sorted(self.net.instances.values(), key=lambda i: i.id):
            for eid in inst.eni_ids:
                eni = self.net.enis.get(eid)
                if eni is None:
                    continue
                if inst.running:
                    self.direct(eni)
                elif self.explain is not None:
                    self.explain.stopped(eni)
        for p in self.balancing.paths():
            self.emit(p.eni, "Internet", p.lb_id, p.protocol, p.ports, p.per_sg, p.acl, p.head)
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
        why = tuple(self.explain.why) if self.explain is not None else ()
        return Result(tuple(self.findings), why)

    def eni_sources(self, eni: Eni, vpc_id: str) -> list[Source]:
        out = []
        for src in self.routing.sources(eni.subnet_id, vpc_id):
            if src.family == 4 and src.reachability == "Internet" and not eni.public4:
                continue  # IPv4 from the internet needs a public IPv4 or Elastic IP
            if src.family == 6 and not eni.ipv6:
                continue  # IPv6 needs a global address, but no public IP
            if src.family == 4 and not eni.private4:
                continue
            if src.reachability == "PeeredVPC":
                addrs = self.routing.peer_back(src, vpc_id, eni)
                if not addrs:
                    if self.explain is not None:
                        self.explain.no_return(eni, src)
                    continue
                if addrs != src.addrs:
                    src = Source(src.reachability, src.via, src.via_type, src.family, addrs)
            elif src.reachability == "TransitGateway":
                addrs = self.routing.tgw_back(src, vpc_id, eni)
                if not addrs:
                    if self.explain is not None:
                        self.explain.no_tgw_route(eni, src)
                    continue
                if addrs != src.addrs:
                    src = Source(src.reachability, src.via, src.via_type, src.family, addrs)
            out.append(src)
        return out

    def direct(self, eni: Eni) -> None:
        """Paths straight to the ENI, through a gateway of its subnet."""
        vpc_id = self.routing.vpc_of(eni.subnet_id, eni.vpc_id)
        acl = self.nacls.of_subnet(eni.subnet_id, vpc_id)
        merged: dict[tuple[str, str, str], tuple[Source, Ranges, dict[str, Ranges]]] = {}
        for src in self.eni_sources(eni, vpc_id):
            for proto in PROTOCOLS:
                key = (eni.subnet_id, src, proto, eni.group_ids)
                hit = self._open.get(key)
                if hit is None:
                    pieces = self.nacls.pieces(acl, src.family, proto, src.addrs)
                    hit = self.groups.open(eni.group_ids, src, proto, pieces)
                    self._open[key] = hit
                if self.explain is not None:
                    self.explain.acl(eni, src, proto, acl, hit[0])
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
        if self.explain is not None:
            self.explain.unrouted(eni, vpc_id)
            self.explain.dead_gateway(eni)
        for (_, _, pname), (src, open_, per_sg) in merged.items():
            head = (PathStep(src.via, src.via_type), *src.through)
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
        head: tuple[PathStep, ...],
    ) -> None:
        """The findings of one open path: one per recognized port or
        listener, and one NetworkExposure for the whole open range."""
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


def analyze_network(net: Topology, agents: Agents | None = None, why_not: bool = False) -> Result:
    return Engine(net, agents, why_not).run()
