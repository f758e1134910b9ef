"""Read a snapshot (merged ``aws ec2 describe-*`` / ``aws elbv2 describe-*``
output) into a ``Topology``, checking every value it uses.

Field names are the ones the EC2 and ELBv2 APIs return (botocore's service
models ``ec2/2016-11-15`` and ``elbv2/2015-12-01``). A missing key means
"none of that kind"; a value of the wrong shape raises ``SnapshotError`` with
its JSON path.
"""

from __future__ import annotations

import json
from typing import cast

from .errors import SnapshotError
from .fields import Obj, parse_cidr
from .fields import cidr_value as _cidr_value
from .fields import ip_value as _ip
from .fields import items as _items
from .fields import kind as _kind
from .fields import obj as _obj
from .fields import opt_bool as _opt_bool
from .fields import opt_int as _opt_int
from .fields import opt_str as _opt_str
from .fields import string as _str
from .fields import strs as _strs
from .intervals import ALL_PORTS, EMPTY, Ranges, normalize
from .model import (
    AclEntry,
    Eni,
    Family,
    Instance,
    Listener,
    LoadBalancer,
    LoadBalancerKind,
    NetworkAcl,
    Peering,
    Protocol,
    Route,
    RouteTable,
    RouteTarget,
    RuleProtocol,
    SecurityGroup,
    SgRule,
    Subnet,
    Target,
    TargetGroup,
    Topology,
)
from .snapshot_tgw import load_transit_gateways
from .tables import LISTENER_PROTOCOLS, RULE_PROTOCOLS


def _protocol(value: object, path: str) -> RuleProtocol:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise SnapshotError(path, f"expected a protocol string, got {_kind(value)}")
    found = RULE_PROTOCOLS.get(value.lower())
    if found is not None:
        return found
    if value.isdigit() or value.lower() in {"icmp", "icmpv6", "gre", "esp", "ah"}:
        return "other"
    raise SnapshotError(path, f"{value!r} is not a protocol")


def _port_span(lo: int | None, hi: int | None, path: str) -> Ranges:
    # AWS returns FromPort/ToPort -1 (or nothing) for "every port" of -1 rules.
    if lo is None or hi is None or (lo == -1 and hi == -1):
        return ALL_PORTS
    if lo < 0 or hi < 0:
        return ALL_PORTS
    if lo > hi:
        raise SnapshotError(path, f"port range {lo}-{hi} is empty")
    return ((lo, hi),)


def _vpc_cidrs(obj: Obj, path: str, v4_set: str, v6_set: str) -> tuple[Ranges, Ranges]:
    """A VPC's address space: its CidrBlock plus the IPv4 and IPv6 sets, which
    describe-vpcs and a peering connection's VpcInfo name differently."""
    v4: list[tuple[int, int]] = []
    v6: list[tuple[int, int]] = []
    main = _cidr_value(obj, "CidrBlock", path, 4)
    if main:
        v4.append(main[:2])
    for q, assoc in _items(obj, v4_set, path):
        c = _cidr_value(assoc, "CidrBlock", q, 4)
        if c:
            v4.append(c[:2])
    for q, assoc in _items(obj, v6_set, path):
        c = _cidr_value(assoc, "Ipv6CidrBlock", q, 6)
        if c:
            v6.append(c[:2])
    return normalize(v4), normalize(v6)


def _vpcs(net: Topology, snap: Obj) -> None:
    for p, vpc in _items(snap, "Vpcs", ""):
        vpc_id = _str(vpc, "VpcId", p)
        net.vpc_v4[vpc_id], net.vpc_v6[vpc_id] = _vpc_cidrs(
            vpc, p, "CidrBlockAssociationSet", "Ipv6CidrBlockAssociationSet"
        )


def _subnets(net: Topology, snap: Obj) -> None:
    for p, sub in _items(snap, "Subnets", ""):
        sid = _str(sub, "SubnetId", p)
        v4 = _cidr_value(sub, "CidrBlock", p, 4)
        v6: list[tuple[int, int]] = []
        for q, assoc in _items(sub, "Ipv6CidrBlockAssociationSet", p):
            c = _cidr_value(assoc, "Ipv6CidrBlock", q, 6)
            if c:
                v6.append(c[:2])
        net.subnets[sid] = Subnet(
            sid,
            _str(sub, "VpcId", p),
            (v4[:2],) if v4 else EMPTY,
            normalize(v6),
            _opt_str(sub, "AvailabilityZone", p),
        )


def _route_target(route: Obj, p: str) -> tuple[RouteTarget, str]:
    gw = _opt_str(route, "GatewayId", p)
    if gw == "local":
        return "local", "local"
    if gw and gw.startswith("igw-"):
        return "igw", gw
    if gw and gw.startswith("vgw-"):
        return "vgw", gw
    if gw and gw.startswith("vpce-"):
        return "vpce", gw  # a Gateway Load Balancer endpoint
    pcx = _opt_str(route, "VpcPeeringConnectionId", p)
    if pcx:
        return "pcx", pcx
    tgw = _opt_str(route, "TransitGatewayId", p)
    if tgw:
        return "tgw", tgw
    eni = _opt_str(route, "NetworkInterfaceId", p)
    if eni:
        return "eni", eni
    for key in (
        "NatGatewayId",
        "InstanceId",
        "EgressOnlyInternetGatewayId",
        "LocalGatewayId",
        "CarrierGatewayId",
        "CoreNetworkArn",
    ):
        other = _opt_str(route, key, p)
        if other:
            return "other", other
    return "other", gw or "unknown"


# Route.rank; describe-route-tables marks a propagated route with this Origin.
STATIC, PREFIX_LIST, PROPAGATED = 0, 1, 2
_PROPAGATION = "EnableVgwRoutePropagation"


def _route_tables(net: Topology, snap: Obj) -> None:
    pl_routes: list[tuple[str, str, Obj, str]] = []
    for p, rt in _items(snap, "RouteTables", ""):
        rid = _str(rt, "RouteTableId", p)
        main = False
        subnets: list[str] = []
        gateways: list[str] = []
        for q, assoc in _items(rt, "Associations", p):
            if _opt_bool(assoc, "Main", q):
                main = True
            sid = _opt_str(assoc, "SubnetId", q)
            if sid:
                subnets.append(sid)
            gid = _opt_str(assoc, "GatewayId", q)
            if gid:
                gateways.append(gid)
        routes: list[Route] = []
        for q, route in _items(rt, "Routes", p):
            target, target_id = _route_target(route, q)
            blackhole = _opt_str(route, "State", q) == "blackhole"
            rank = PROPAGATED if _opt_str(route, "Origin", q) == _PROPAGATION else STATIC
            for key, fam in (("DestinationCidrBlock", 4), ("DestinationIpv6CidrBlock", 6)):
                text = _opt_str(route, key, q)
                if text is not None:
                    f, lo, hi, prefix = parse_cidr(text, f"{q}.{key}", cast(Family, fam))
                    routes.append(
                        Route(f, lo, hi, prefix, target, target_id, blackhole, text, rank)
                    )
            pl = _opt_str(route, "DestinationPrefixListId", q)
            if pl is not None:
                pl_routes.append((rid, pl, route, q))
        net.route_tables[rid] = RouteTable(
            rid, _str(rt, "VpcId", p), main, tuple(subnets), tuple(routes), tuple(gateways)
        )
    # A route to a prefix list covers each of the list's CIDRs.
    for rid, pl, route, q in pl_routes:
        target, target_id = _route_target(route, q)
        blackhole = _opt_str(route, "State", q) == "blackhole"
        extra: list[Route] = []
        for fam, ranges in zip((4, 6), net.prefix_lists.get(pl, (EMPTY, EMPTY)), strict=True):
            for lo, hi in ranges:
                prefix = (32 if fam == 4 else 128) - (hi - lo + 1).bit_length() + 1
                extra.append(
                    Route(
                        cast(Family, fam),
                        lo,
                        hi,
                        prefix,
                        target,
                        target_id,
                        blackhole,
                        pl,
                        PREFIX_LIST,
                    )
                )
        old = net.route_tables[rid]
        net.route_tables[rid] = RouteTable(
            old.id,
            old.vpc_id,
            old.main,
            old.subnet_ids,
            old.routes + tuple(extra),
            old.gateway_ids,
        )


def _acls(net: Topology, snap: Obj) -> None:
    for p, acl in _items(snap, "NetworkAcls", ""):
        aid = _str(acl, "NetworkAclId", p)
        subnets = [
            s for q, a in _items(acl, "Associations", p) if (s := _opt_str(a, "SubnetId", q))
        ]
        inbound: list[AclEntry] = []
        outbound: list[AclEntry] = []
        for q, e in _items(acl, "Entries", p):
            number = _opt_int(e, "RuleNumber", q, 1, 65535)
            if number is None:
                raise SnapshotError(f"{q}.RuleNumber", "missing")
            egress = _opt_bool(e, "Egress", q)
            proto = _protocol(e.get("Protocol", "-1"), f"{q}.Protocol")
            action = _str(e, "RuleAction", q)
            if action not in ("allow", "deny"):
                raise SnapshotError(f"{q}.RuleAction", f"{action!r} is not allow or deny")
            ports = ALL_PORTS
            if proto in ("tcp", "udp") and e.get("PortRange") is not None:
                pr = _obj(e["PortRange"], f"{q}.PortRange")
                ports = _port_span(
                    _opt_int(pr, "From", f"{q}.PortRange", -1, 65535),
                    _opt_int(pr, "To", f"{q}.PortRange", -1, 65535),
                    f"{q}.PortRange",
                )
            for key, fam in (("CidrBlock", 4), ("Ipv6CidrBlock", 6)):
                text = _opt_str(e, key, q)
                if text is None:
                    continue
                _, lo, hi, _ = parse_cidr(text, f"{q}.{key}", cast(Family, fam))
                entry = AclEntry(
                    number, egress, proto, action == "allow", cast(Family, fam), lo, hi, ports, text
                )
                (outbound if egress else inbound).append(entry)
        inbound.sort(key=lambda x: x.number)
        outbound.sort(key=lambda x: x.number)
        net.acls[aid] = NetworkAcl(
            aid,
            _str(acl, "VpcId", p),
            _opt_bool(acl, "IsDefault", p),
            tuple(subnets),
            tuple(inbound),
            tuple(outbound),
        )


def _prefix_lists(net: Topology, snap: Obj) -> None:
    for p, pl in _items(snap, "ManagedPrefixLists", ""):
        v4: list[tuple[int, int]] = []
        v6: list[tuple[int, int]] = []
        for q, entry in _items(pl, "Entries", p):
            fam, lo, hi, _ = parse_cidr(_str(entry, "Cidr", q), f"{q}.Cidr")
            (v4 if fam == 4 else v6).append((lo, hi))
        net.prefix_lists[_str(pl, "PrefixListId", p)] = (normalize(v4), normalize(v6))


def _sg_rule(perm: Obj, q: str) -> SgRule:
    proto = _protocol(perm.get("IpProtocol", "-1"), f"{q}.IpProtocol")
    ports = ALL_PORTS
    if proto in ("tcp", "udp"):
        ports = _port_span(
            _opt_int(perm, "FromPort", q, -1, 65535), _opt_int(perm, "ToPort", q, -1, 65535), q
        )
    v4: list[tuple[int, int]] = []
    v6: list[tuple[int, int]] = []
    names: list[str] = []
    for r, rng in _items(perm, "IpRanges", q):
        text = _str(rng, "CidrIp", r)
        _, lo, hi, _ = parse_cidr(text, f"{r}.CidrIp", 4)
        v4.append((lo, hi))
        names.append(text)
    for r, rng in _items(perm, "Ipv6Ranges", q):
        text = _str(rng, "CidrIpv6", r)
        _, lo, hi, _ = parse_cidr(text, f"{r}.CidrIpv6", 6)
        v6.append((lo, hi))
        names.append(text)
    pls = tuple(_str(x, "PrefixListId", r) for r, x in _items(perm, "PrefixListIds", q))
    groups = tuple(_str(x, "GroupId", r) for r, x in _items(perm, "UserIdGroupPairs", q))
    names.extend(pls)
    names.extend(groups)
    return SgRule(proto, ports, normalize(v4), normalize(v6), pls, groups, ", ".join(names))


def _groups(net: Topology, snap: Obj) -> None:
    for p, sg in _items(snap, "SecurityGroups", ""):
        gid = _str(sg, "GroupId", p)
        rules = tuple(_sg_rule(perm, q) for q, perm in _items(sg, "IpPermissions", p))
        _items(sg, "IpPermissionsEgress", p)  # stateful: replies never need an egress rule
        net.groups[gid] = SecurityGroup(gid, _opt_str(sg, "VpcId", p) or "", rules)


def _eni(obj: Obj, p: str, instance_id: str | None, fallback_subnet: str | None) -> Eni:
    eid = _str(obj, "NetworkInterfaceId", p)
    public4 = False
    # The primary address first (a load balancer's instance target gets its
    # traffic there), also where only PrivateIpAddresses says which it is;
    # then the secondary ones in the order listed.
    first: list[int] = []
    primary = _opt_str(obj, "PrivateIpAddress", p)
    if primary is not None:
        first.append(_ip(primary, f"{p}.PrivateIpAddress", 4))
    rest: list[int] = []
    for q, addr in _items(obj, "PrivateIpAddresses", p):
        text = _opt_str(addr, "PrivateIpAddress", q)
        if text is not None:
            ip = _ip(text, f"{q}.PrivateIpAddress", 4)
            if addr.get("Primary") is True:
                first.insert(0, ip)
            else:
                rest.append(ip)
        a = addr.get("Association")
        if a is not None and _opt_str(_obj(a, f"{q}.Association"), "PublicIp", f"{q}.Association"):
            public4 = True
    private4 = list(dict.fromkeys(first + rest))
    assoc = obj.get("Association")
    if assoc is not None and _opt_str(
        _obj(assoc, f"{p}.Association"), "PublicIp", f"{p}.Association"
    ):
        public4 = True
    ipv6 = [
        _ip(_str(x, "Ipv6Address", q), f"{q}.Ipv6Address", 6)
        for q, x in _items(obj, "Ipv6Addresses", p)
    ]
    groups = tuple(_str(g, "GroupId", q) for q, g in _items(obj, "Groups", p))
    owner = instance_id
    device: int | None = None
    att = obj.get("Attachment")
    if att is not None:
        attachment = _obj(att, f"{p}.Attachment")
        owner = _opt_str(attachment, "InstanceId", f"{p}.Attachment") or owner
        device = _opt_int(attachment, "DeviceIndex", f"{p}.Attachment", 0, 2**31 - 1)
    subnet = _opt_str(obj, "SubnetId", p) or fallback_subnet
    if subnet is None:
        raise SnapshotError(f"{p}.SubnetId", "missing")
    vpc = _opt_str(obj, "VpcId", p) or ""
    return Eni(eid, subnet, vpc, groups, private4, public4, ipv6, owner or "", device)


def _instances(net: Topology, snap: Obj) -> None:
    for p, eni in _items(snap, "NetworkInterfaces", ""):
        e = _eni(eni, p, None, None)
        net.enis[e.id] = e
    owners = {e.instance_id for e in net.enis.values()}
    for p, res in _items(snap, "Reservations", ""):
        for q, inst in _items(res, "Instances", p):
            iid = _str(inst, "InstanceId", q)
            state = inst.get("State")
            name = None
            if state is not None:
                name = _opt_str(_obj(state, f"{q}.State"), "Name", f"{q}.State")
            eni_ids: list[str] = []
            subnet = _opt_str(inst, "SubnetId", q)
            for r, eni in _items(inst, "NetworkInterfaces", q):
                eid = eni.get("NetworkInterfaceId")
                known = net.enis.get(eid) if isinstance(eid, str) else None
                if known is not None:
                    # Already read from describe-network-interfaces: the copy
                    # inside describe-instances adds nothing but the owner.
                    known.instance_id = iid
                    eni_ids.append(known.id)
                    continue
                e = _eni(eni, r, iid, subnet)
                if e.id not in net.enis:
                    net.enis[e.id] = e
                else:
                    net.enis[e.id].instance_id = iid
                eni_ids.append(e.id)
            if not eni_ids and subnet is not None and iid not in owners:
                # An instance given without its ENIs: describe its primary one from
                # the instance's own fields so that hand-written snapshots work.
                ips = _opt_str(inst, "PrivateIpAddress", q)
                e = Eni(
                    f"eni-of-{iid}",
                    subnet,
                    _opt_str(inst, "VpcId", q) or "",
                    tuple(_str(g, "GroupId", r) for r, g in _items(inst, "SecurityGroups", q)),
                    [_ip(ips, f"{q}.PrivateIpAddress", 4)] if ips else [],
                    bool(_opt_str(inst, "PublicIpAddress", q)),
                    [],
                    iid,
                )
                net.enis[e.id] = e
                eni_ids.append(e.id)
            net.instances[iid] = Instance(iid, name == "running", tuple(eni_ids))
    for e in net.enis.values():
        if not e.vpc_id and e.subnet_id in net.subnets:
            e.vpc_id = net.subnets[e.subnet_id].vpc_id
        owner = net.instances.get(e.instance_id)
        if owner is not None and e.id not in owner.eni_ids:
            net.instances[owner.id] = Instance(owner.id, owner.running, (*owner.eni_ids, e.id))

    # The primary interface (device index 0) first, whatever order the export
    # lists them in; interfaces with no index keep their order, after those.
    def rank(eni_id: str) -> tuple[bool, int]:
        index = net.enis[eni_id].device_index
        return (index is None, index or 0)

    for owner in list(net.instances.values()):
        ordered = tuple(sorted(owner.eni_ids, key=rank))
        if ordered != owner.eni_ids:
            net.instances[owner.id] = Instance(owner.id, owner.running, ordered)


def _attached(obj: Obj, key: str, p: str) -> frozenset[str]:
    out = set()
    for q, att in _items(obj, key, p):
        state = _opt_str(att, "State", q)
        vpc = _opt_str(att, "VpcId", q)
        if vpc and state in (None, "available", "attached"):
            out.add(vpc)
    return frozenset(out)


def _gateways(net: Topology, snap: Obj) -> None:
    for p, igw in _items(snap, "InternetGateways", ""):
        net.igw_vpcs[_str(igw, "InternetGatewayId", p)] = _attached(igw, "Attachments", p)
    for p, vgw in _items(snap, "VpnGateways", ""):
        state = _opt_str(vgw, "State", p)
        vpcs = _attached(vgw, "VpcAttachments", p)
        net.vgw_vpcs[_str(vgw, "VpnGatewayId", p)] = (
            vpcs if state in (None, "available") else frozenset()
        )
    for p, pcx in _items(snap, "VpcPeeringConnections", ""):
        status = pcx.get("Status")
        code = None
        if status is not None:
            code = _opt_str(_obj(status, f"{p}.Status"), "Code", f"{p}.Status")
        sides: list[tuple[str, Ranges, Ranges]] = []
        for key in ("RequesterVpcInfo", "AccepterVpcInfo"):
            info = _obj(pcx.get(key), f"{p}.{key}")
            q = f"{p}.{key}"
            v4, v6 = _vpc_cidrs(info, q, "CidrBlockSet", "Ipv6CidrBlockSet")
            sides.append((_str(info, "VpcId", q), v4, v6))
        pid = _str(pcx, "VpcPeeringConnectionId", p)
        (rv, r4, r6), (av, a4, a6) = sides
        net.peerings[pid] = Peering(pid, code == "active", rv, av, r4, r6, a4, a6)


def _listener_protocols(value: str, path: str) -> tuple[Protocol, ...]:
    found = LISTENER_PROTOCOLS.get(value.upper())
    if found is None:
        raise SnapshotError(path, f"{value!r} is not a listener protocol")
    return found


def _forwards(obj: Obj, key: str, path: str) -> list[str]:
    """The target groups that the forward actions in ``obj[key]`` send to.

    A group of a weighted forward with Weight 0 gets no requests: requests
    are shared by weight (ELBv2 API Reference, TargetGroupTuple and
    ForwardActionConfig)."""
    tgs: list[str] = []
    for q, action in _items(obj, key, path):
        if _opt_str(action, "Type", q) != "forward":
            continue
        fc = action.get("ForwardConfig")
        if fc is not None:
            r = f"{q}.ForwardConfig"
            for t, x in _items(_obj(fc, r), "TargetGroups", r):
                arn = _str(x, "TargetGroupArn", t)
                if _opt_int(x, "Weight", t, 0, 999) != 0 and arn not in tgs:
                    tgs.append(arn)
            continue
        tg = _opt_str(action, "TargetGroupArn", q)
        if tg and tg not in tgs:
            tgs.append(tg)
    return tgs


_BOOL_TEXT = {"true": True, "false": False}


def _preserve_client_ip(snap: Obj) -> dict[str, bool]:
    """preserve_client_ip.enabled per target group, from the
    TargetGroupAttributes items (describe-target-group-attributes, each
    carrying its TargetGroupArn)."""
    out: dict[str, bool] = {}
    for p, item in _items(snap, "TargetGroupAttributes", ""):
        arn = _str(item, "TargetGroupArn", p)
        for q, attr in _items(item, "Attributes", p):
            if _opt_str(attr, "Key", q) != "preserve_client_ip.enabled":
                continue
            text = _opt_str(attr, "Value", q)
            value = _BOOL_TEXT.get((text or "").lower())
            if value is None:
                raise SnapshotError(f"{q}.Value", f'expected "true" or "false", got {text!r}')
            out[arn] = value
    return out


def _load_balancers(net: Topology, snap: Obj) -> None:
    for p, lb in _items(snap, "LoadBalancers", ""):
        arn = _str(lb, "LoadBalancerArn", p)
        kind = _opt_str(lb, "Type", p) or "application"
        if kind not in ("application", "network", "gateway"):
            raise SnapshotError(f"{p}.Type", f"{kind!r} is not application, network or gateway")
        enabled = list(_items(lb, "AvailabilityZones", p))
        subnets = [s for q, z in enabled if (s := _opt_str(z, "SubnetId", q))]
        names = frozenset(n for q, z in enabled if (n := _opt_str(z, "ZoneName", q)))
        net.load_balancers[arn] = LoadBalancer(
            arn,
            cast(LoadBalancerKind, kind),
            _opt_str(lb, "Scheme", p) == "internet-facing",
            _opt_str(lb, "VpcId", p) or "",
            tuple(subnets),
            tuple(_strs(lb, "SecurityGroups", p)),
            zones=names,
        )
    # Listener rules (describe-rules, each item carrying its ListenerArn):
    # whatever their conditions, the groups they forward to serve the port.
    by_rule: dict[str, list[str]] = {}
    for p, rule in _items(snap, "Rules", ""):
        tgs = by_rule.setdefault(_str(rule, "ListenerArn", p), [])
        for tg in _forwards(rule, "Actions", p):
            if tg not in tgs:
                tgs.append(tg)
    for p, ls in _items(snap, "Listeners", ""):
        port = _opt_int(ls, "Port", p, 1, 65535)
        if port is None:
            raise SnapshotError(f"{p}.Port", "missing")
        arn = _opt_str(ls, "ListenerArn", p) or ""
        tgs = _forwards(ls, "DefaultActions", p)
        tgs.extend(tg for tg in by_rule.get(arn, []) if tg not in tgs)
        net.listeners.append(
            Listener(
                _str(ls, "LoadBalancerArn", p),
                port,
                _listener_protocols(_opt_str(ls, "Protocol", p) or "TCP", f"{p}.Protocol"),
                tuple(tgs),
                arn=arn,
            )
        )
    preserve = _preserve_client_ip(snap)
    for p, group in _items(snap, "TargetGroups", ""):
        arn = _str(group, "TargetGroupArn", p)
        protocol = _opt_str(group, "Protocol", p)
        net.target_groups[arn] = TargetGroup(
            arn,
            _opt_int(group, "Port", p, 1, 65535),
            _opt_str(group, "TargetType", p) or "instance",
            _opt_str(group, "VpcId", p) or "",
            protocol.upper() if protocol else None,
            preserve.get(arn),
        )
    for p, desc in _items(snap, "TargetHealthDescriptions", ""):
        arn = _str(desc, "TargetGroupArn", p)
        target = _obj(desc.get("Target"), f"{p}.Target")
        health = desc.get("TargetHealth")
        state = None
        if health is not None:
            state = _opt_str(_obj(health, f"{p}.TargetHealth"), "State", f"{p}.TargetHealth")
        net.targets.setdefault(arn, []).append(
            Target(
                _str(target, "Id", f"{p}.Target"),
                _opt_int(target, "Port", f"{p}.Target", 1, 65535),
                state,
            )
        )
    # Classic Load Balancers: `aws elb describe-load-balancers`.
    account = _account(snap)
    for p, lb in _items(snap, "LoadBalancerDescriptions", ""):
        name = _str(lb, "LoadBalancerName", p)
        # describe-load-balancers (elb) returns no ARN; build the documented
        # form arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/NAME.
        zones = _strs(lb, "AvailabilityZones", p)
        region = zones[0][:-1] if zones else ""
        lb_id = f"arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/{name}"
        net.load_balancers[lb_id] = LoadBalancer(
            lb_id,
            "classic",
            _opt_str(lb, "Scheme", p) == "internet-facing",
            _opt_str(lb, "VPCId", p) or "",
            tuple(_strs(lb, "Subnets", p)),
            tuple(_strs(lb, "SecurityGroups", p)),
            tuple(_str(i, "InstanceId", q) for q, i in _items(lb, "Instances", p)),
            frozenset(zones),
        )
        for q, ld in _items(lb, "ListenerDescriptions", p):
            listener = _obj(ld.get("Listener"), f"{q}.Listener")
            r = f"{q}.Listener"
            port = _opt_int(listener, "LoadBalancerPort", r, 1, 65535)
            iport = _opt_int(listener, "InstancePort", r, 1, 65535)
            if port is None or iport is None:
                raise SnapshotError(r, "missing LoadBalancerPort or InstancePort")
            protos = _listener_protocols(
                _opt_str(listener, "Protocol", r) or "TCP", f"{r}.Protocol"
            )
            net.listeners.append(Listener(lb_id, port, protos, ("",), iport))


def _account(snap: Obj) -> str:
    """The account id, from the first reservation or group that names it."""
    for key in ("Reservations", "SecurityGroups", "NetworkInterfaces"):
        items = snap.get(key)
        if isinstance(items, list):
            for item in items:
                if isinstance(item, dict):
                    owner = item.get("OwnerId")
                    if isinstance(owner, str):
                        return owner
    return ""


# The top-level keys a snapshot can have: what the describe-* and get-* calls
# in scripts/snapshot.sh return (EC2 API Reference: DescribeVpcs ...
# DescribeInstances; ELBv2 API Reference: DescribeLoadBalancers,
# DescribeListeners, DescribeTargetGroups, DescribeTargetHealth; Classic ELB:
# DescribeLoadBalancers), the most telling first: they name the error message.
SNAPSHOT_KEYS: tuple[str, ...] = (
    "Reservations",
    "NetworkInterfaces",
    "SecurityGroups",
    "Subnets",
    "RouteTables",
    "Vpcs",
    "NetworkAcls",
    "InternetGateways",
    "VpnGateways",
    "VpcPeeringConnections",
    "ManagedPrefixLists",
    "LoadBalancers",
    "Listeners",
    "TargetGroups",
    "TargetHealthDescriptions",
    "TargetGroupAttributes",
    "Rules",
    "LoadBalancerDescriptions",
    "TransitGateways",
    "TransitGatewayAttachments",
    "TransitGatewayVpcAttachments",
    "TransitGatewayRouteTables",
    "TransitGatewayRoutes",
)
_SHOWN_KEYS = 5  # at most this many of the file's keys are named


def _quoted(keys: list[str]) -> str:
    """`"a", "b"`, quoted as JSON would (non-ASCII kept), long keys cut, and
    anything unprintable escaped, so the message stays on one line."""
    out = []
    for key in keys[:_SHOWN_KEYS]:
        text = json.dumps(key[:40] + ("…" if len(key) > 40 else ""), ensure_ascii=False)
        out.append("".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text))
    more = f" and {len(keys) - _SHOWN_KEYS} more" if len(keys) > _SHOWN_KEYS else ""
    return ", ".join(out) + more


_EXPECTED = ", ".join(f'"{k}"' for k in SNAPSHOT_KEYS[:4])


def _not_a_snapshot(snapshot: object, source: str) -> SnapshotError | None:
    """The error for a value that is not a snapshot at all, or None.

    An object with none of the known keys is something else (an agents file,
    findings, a CloudFormation template). One with no keys at all is an empty
    snapshot, and one with only some of them is a partial one: both are fine.
    """
    if isinstance(snapshot, dict):
        keys = [str(k) for k in snapshot]
        if not keys or any(k in snapshot for k in SNAPSHOT_KEYS):
            return None
        noun = "key" if len(keys) == 1 else "keys"
        has = f"this file has the top-level {noun} {_quoted(keys)}"
        if keys == ["Agents"]:
            has += " (this looks like an agents file)"
        expected = f"expected top-level keys such as {_EXPECTED}…"
    else:
        if isinstance(snapshot, list):
            noun = "item" if len(snapshot) == 1 else "items"
            has = f"this file is a JSON array of {len(snapshot)} {noun}"
        elif snapshot is None:
            has = "this file is JSON null"
        else:
            has = f"this file is a JSON {_kind(snapshot).removeprefix('a ')}"
        expected = f"expected a JSON object with top-level keys such as {_EXPECTED}…"
    return SnapshotError(source, f"not a describe-* snapshot: {expected}; {has}")


def load(snapshot: object, *, source: str = "(snapshot)") -> Topology:
    """Check a snapshot dict and index it. Raises ``SnapshotError``.

    `source` names the whole value in an error about the top level (the CLI
    passes the file name); errors inside it name their JSON path.
    """
    error = _not_a_snapshot(snapshot, source)
    if error is not None:
        raise error
    snap = _obj(snapshot, source)
    net = Topology()
    _vpcs(net, snap)
    _subnets(net, snap)
    _prefix_lists(net, snap)
    _route_tables(net, snap)
    _acls(net, snap)
    _groups(net, snap)
    _instances(net, snap)
    _gateways(net, snap)
    _load_balancers(net, snap)
    load_transit_gateways(net, snap)
    return net
