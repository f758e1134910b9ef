"""``observe``: what did reach the open ports that Inspector says could be reached.

For each finding, the inbound OK records on its interface, protocol and
ports whose (packet) source is public (addresses.py): how many were accepted
and rejected, by which sources, first and last seen (the records' ``start``
and ``end``).

**Inbound.** With ``flow-direction`` in the format, ``ingress`` records
("Flow log records": https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
Without it, the records whose ``dstaddr`` is the interface's own address:
every record of an interface carries that address, as ``dstaddr`` for
incoming traffic and ``srcaddr`` for outgoing (same page), so it is the
address seen in the most of them.

**Unused.** A single-port finding whose interface is in the logs but which no
accepted inbound record reached: a candidate to close. Interfaces with no
record at all may simply not be logged, so they are noted, not listed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import addresses, rules
from .findings import OpenPort
from .protocols import protocol_name
from .records import Record, status


@dataclass(frozen=True, slots=True)
class Observation:
    finding: OpenPort
    accepted: int
    rejected: int
    source_addresses: tuple[str, ...]
    first_seen: int | None
    last_seen: int | None

    def to_dict(self) -> dict[str, Any]:
        f = self.finding
        return {
            "networkInterfaceId": f.network_interface_id,
            "protocol": f.protocol,
            "port": f.port,
            "portRanges": [[lo, hi] for lo, hi in f.port_ranges],
            "type": f.type,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "sourceAddresses": list(self.source_addresses),
            "firstSeen": self.first_seen,
            "lastSeen": self.last_seen,
        }


@dataclass(frozen=True, slots=True)
class Observed:
    observations: tuple[Observation, ...]
    unused: tuple[tuple[str, str, int], ...]
    rejected_from_internet: tuple[tuple[str, str | int, int, int], ...]
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "observations": [o.to_dict() for o in self.observations],
            "unused": [
                {"networkInterfaceId": e, "protocol": p, "port": n} for e, p, n in self.unused
            ],
            "rejectedFromInternet": [
                {"networkInterfaceId": e, "protocol": p, "port": n, "records": c}
                for e, p, n, c in self.rejected_from_internet
            ],
        }


def _own_addresses(records: list[Record]) -> dict[str, str]:
    """Each interface's own address: the one in the most of its records."""
    seen: dict[str, Counter[str]] = {}
    for r in records:
        iface = r.get("interface-id")
        if not isinstance(iface, str):
            continue
        counter = seen.setdefault(iface, Counter())
        for name in ("srcaddr", "dstaddr"):
            value = r.get(name)
            if isinstance(value, str):
                counter[value] += 1
    return {
        iface: min(c.items(), key=lambda kv: (-kv[1], addresses.sort_key(kv[0])))[0]
        for iface, c in seen.items()
        if c
    }


def inbound_records(records: list[Record]) -> dict[str, list[Record]]:
    """OK records into each interface, by interface id."""
    own = _own_addresses(records)
    out: dict[str, list[Record]] = {}
    for r in records:
        iface = r.get("interface-id")
        if not isinstance(iface, str) or status(r) != "OK":
            continue
        direction = r.get("flow-direction")
        if direction is not None:
            inbound = direction == "ingress"
        else:
            inbound = r.get("dstaddr") == own.get(iface)
        if inbound:
            out.setdefault(iface, []).append(r)
    return out


def observe(findings: Iterable[OpenPort], records: Iterable[Record]) -> Observed:
    """The observations of the findings in the records."""
    findings = list(findings)
    records = list(records)
    logged = {r.get("interface-id") for r in records}
    inbound = inbound_records(records)
    observations = []
    unused: list[tuple[str, str, int]] = []
    for f in findings:
        accepted = rejected = 0
        sources: set[str] = set()
        first: int | None = None
        last: int | None = None
        any_accepted = False
        for r in inbound.get(f.network_interface_id, ()):
            port = r.get("dstport")
            if r.get("protocol") != f.protocol_number or not isinstance(port, int):
                continue
            if not any(lo <= port <= hi for lo, hi in f.port_ranges):
                continue
            action = r.get("action")
            if action == "ACCEPT":
                any_accepted = True
            src = addresses.source(r)
            if src is None or not addresses.is_public(src):
                continue
            if action == "ACCEPT":
                accepted += 1
            elif action == "REJECT":
                rejected += 1
            else:
                continue
            sources.add(src)
            start, end = r.get("start"), r.get("end")
            if isinstance(start, int) and (first is None or start < first):
                first = start
            if isinstance(end, int) and (last is None or end > last):
                last = end
        listed = tuple(sorted(sources, key=addresses.sort_key)[: rules.MAX_SOURCES])
        observations.append(Observation(f, accepted, rejected, listed, first, last))
        single = f.port if f.port is not None else _single(f.port_ranges)
        if single is not None and not any_accepted and f.network_interface_id in logged:
            entry = (f.network_interface_id, f.protocol, single)
            if entry not in unused:
                unused.append(entry)

    counts: Counter[tuple[str, int, int]] = Counter()
    for iface, rs in inbound.items():
        for r in rs:
            src, proto, port = addresses.source(r), r.get("protocol"), r.get("dstport")
            if r.get("action") != "REJECT" or src is None or not addresses.is_public(src):
                continue
            if isinstance(proto, int) and isinstance(port, int):
                counts[(iface, proto, port)] += 1
    rejected_from_internet = tuple(
        (iface, protocol_name(proto), port, n)
        for (iface, proto, port), n in sorted(
            counts.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1], kv[0][2])
        )
    )
    missing = sorted({f.network_interface_id for f in findings} - {i for i in logged if i})
    notes = []
    if missing:
        notes.append(
            "No record at all for "
            + ", ".join(missing)
            + ": these interfaces may not be logged, so their ports are not called unused."
        )
    return Observed(tuple(observations), tuple(unused), rejected_from_internet, tuple(notes))


def _single(ranges: tuple[tuple[int, int], ...]) -> int | None:
    if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
        return ranges[0][0]
    return None
