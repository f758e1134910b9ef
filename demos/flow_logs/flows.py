"""Records grouped into directed flows, and each flow's request or response role.

"A request and its response are separate records": the examples on
https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html
show an accepted SSH connection as an inbound record (to port 22) and an
outbound one (from port 22), while traffic rejected on the way in (by a
security group or a network ACL) shows only the inbound record.

**Pairing rule.** On one interface, the flow of protocol P from A:a to B:b and
the flow from B:b to A:a are one connection. Its request is the flow to the
lower port (the service port; the other side's is ephemeral), so the flow to
the higher port is the response. Equal ports (ICMP, or a peer-to-peer
protocol) have no response: both flows count. Counting connections (rejected
ports, scans) counts requests only, so no connection is counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import addresses
from .records import Record, status

FlowKey = tuple[str | None, int | None, str | None, int | None, str | None, int | None]


@dataclass(slots=True)
class Flow:
    """What the records of one directed 5-tuple on one interface add up to."""

    accepted: int = 0
    rejected: int = 0
    records: int = 0
    first_start: int | None = None
    last_end: int | None = None
    flags: int | None = None
    starts: list[int] = field(default_factory=list)


def key_of(record: Record) -> FlowKey:
    iface = record.get("interface-id")
    proto = record.get("protocol")
    sport = record.get("srcport")
    dport = record.get("dstport")
    return (
        iface if isinstance(iface, str) else None,
        proto if isinstance(proto, int) else None,
        addresses.source(record),
        sport if isinstance(sport, int) else None,
        addresses.destination(record),
        dport if isinstance(dport, int) else None,
    )


def reverse(key: FlowKey) -> FlowKey:
    iface, proto, src, sport, dst, dport = key
    return (iface, proto, dst, dport, src, sport)


def add(flows: dict[FlowKey, Flow], record: Record) -> None:
    """Add one OK record to its flow."""
    key = key_of(record)
    flow = flows.get(key)
    if flow is None:
        flow = flows[key] = Flow()
    flow.records += 1
    action = record.get("action")
    if action == "ACCEPT":
        flow.accepted += 1
    elif action == "REJECT":
        flow.rejected += 1
    start = record.get("start")
    end = record.get("end")
    if isinstance(start, int):
        flow.starts.append(start)
        if flow.first_start is None or start < flow.first_start:
            flow.first_start = start
    if isinstance(end, int) and (flow.last_end is None or end > flow.last_end):
        flow.last_end = end
    flags = record.get("tcp-flags")
    if isinstance(flags, int):
        flow.flags = flags if flow.flags is None else flow.flags | flags


def is_response(key: FlowKey, flows: dict[FlowKey, Flow]) -> bool:
    """True for the flow to the higher port when its reverse flow exists."""
    sport, dport = key[3] or 0, key[5] or 0
    return dport > sport and reverse(key) in flows


def group(records: list[Record]) -> dict[FlowKey, Flow]:
    """The directed flows of the OK records."""
    flows: dict[FlowKey, Flow] = {}
    for record in records:
        if status(record) == "OK":
            add(flows, record)
    return flows
