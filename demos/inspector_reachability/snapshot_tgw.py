"""Transit gateways in a snapshot: the gateways, their attachments, route
tables and routes, as ``aws ec2 describe-transit-gateways``,
``describe-transit-gateway-attachments``,
``describe-transit-gateway-vpc-attachments``,
``describe-transit-gateway-route-tables`` and
``search-transit-gateway-routes`` print them (scripts/snapshot.sh folds each
route with its ``TransitGatewayRouteTableId``).

EC2 API Reference: TransitGateway, TransitGatewayAttachment,
TransitGatewayVpcAttachment, TransitGatewayRoute.
"""

from __future__ import annotations

from .errors import SnapshotError
from .fields import Obj, items, opt_str, parse_cidr, string, strs
from .model import TgwAttachment, TgwRoute, Topology
from .tables import TGW_PROPAGATED_RANK

# search-transit-gateway-routes: TransitGatewayRoute.Type
_STATIC = "static"


def _attachments(net: Topology, snap: Obj) -> None:
    subnets: dict[str, tuple[str, ...]] = {}
    for p, vpc_att in items(snap, "TransitGatewayVpcAttachments", ""):
        subnets[string(vpc_att, "TransitGatewayAttachmentId", p)] = tuple(
            strs(vpc_att, "SubnetIds", p)
        )
    for p, att in items(snap, "TransitGatewayAttachments", ""):
        aid = string(att, "TransitGatewayAttachmentId", p)
        association = att.get("Association")
        table = None
        if association is not None:
            if not isinstance(association, dict):
                raise SnapshotError(f"{p}.Association", "expected an object")
            q = f"{p}.Association"
            if opt_str(association, "State", q) in (None, "associated"):
                table = opt_str(association, "TransitGatewayRouteTableId", q)
        net.tgw_attachments[aid] = TgwAttachment(
            aid,
            string(att, "TransitGatewayId", p),
            opt_str(att, "ResourceType", p) or "",
            opt_str(att, "ResourceId", p) or "",
            opt_str(att, "State", p) in (None, "available"),
            table,
            subnets.get(aid),
        )


def _routes(net: Topology, snap: Obj) -> None:
    if "TransitGatewayRoutes" not in snap:
        return  # unknown: the engine then trusts the VPC's own routes
    net.tgw_routes = {}
    for p, route in items(snap, "TransitGatewayRoutes", ""):
        table = string(route, "TransitGatewayRouteTableId", p)
        state = opt_str(route, "State", p)
        if state in ("pending", "deleting", "deleted"):
            continue
        attachments = tuple(
            string(a, "TransitGatewayAttachmentId", q)
            for q, a in items(route, "TransitGatewayAttachments", p)
        )
        kinds = {
            opt_str(a, "ResourceType", q) for q, a in items(route, "TransitGatewayAttachments", p)
        }
        if opt_str(route, "Type", p) == _STATIC or route.get("Type") is None:
            rank = 0
        else:
            rank = min((TGW_PROPAGATED_RANK.get(k or "", 9) for k in kinds), default=9)
        text = opt_str(route, "DestinationCidrBlock", p)
        if text is None:
            # A prefix-list destination: its CIDRs, if the snapshot has the list.
            pl = opt_str(route, "PrefixListId", p)
            if pl is None:
                raise SnapshotError(f"{p}.DestinationCidrBlock", "missing")
            cidrs = net.prefix_lists.get(pl)
            if cidrs is None:
                continue
            for fam, ranges in ((4, cidrs[0]), (6, cidrs[1])):
                for lo, hi in ranges:
                    size = (hi - lo + 1).bit_length() - 1
                    net.tgw_routes.setdefault(table, []).append(
                        TgwRoute(
                            4 if fam == 4 else 6,
                            lo,
                            hi,
                            (32 if fam == 4 else 128) - size,
                            attachments,
                            state == "blackhole",
                            1 if rank == 0 else rank,
                            pl,
                        )
                    )
            continue
        fam, lo, hi, prefix = parse_cidr(text, f"{p}.DestinationCidrBlock")
        net.tgw_routes.setdefault(table, []).append(
            TgwRoute(fam, lo, hi, prefix, attachments, state == "blackhole", rank, text)
        )


def load_transit_gateways(net: Topology, snap: Obj) -> None:
    for p, tgw in items(snap, "TransitGateways", ""):
        state = opt_str(tgw, "State", p)
        net.transit_gateways[string(tgw, "TransitGatewayId", p)] = state in (None, "available")
    _attachments(net, snap)
    _routes(net, snap)
