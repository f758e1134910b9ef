"""``summarize``: what the records add up to, in one pass.

- ``records`` counts every record; ``logStatus`` counts OK, NODATA and
  SKIPDATA apart; NODATA and SKIPDATA records are never traffic ("Flow log
  records", ``log-status``:
  https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
- ``actions`` counts ACCEPT and REJECT records; ``bytes`` and ``packets`` sum
  the OK records.
- ``topTalkers`` and ``interfaces`` count records; ``rejectedPorts`` and
  ``suspectedScans`` count connections once, at their request (flows.py).
- Addresses are the packets' own where the format has ``pkt-srcaddr`` and
  ``pkt-dstaddr`` (addresses.py).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from . import addresses, flows, rules, tcpflags
from .fields import ACTIONS, LOG_STATUSES
from .notes import INTERFACE_ADDRESSES_NOTE, NOT_LOGGED_NOTE, PACKET_ADDRESSES_NOTE
from .protocols import NUMBERS, protocol_name
from .records import Record


@dataclass(frozen=True, slots=True)
class Talker:
    srcaddr: str | None
    dstaddr: str | None
    bytes: int
    packets: int
    records: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "srcaddr": self.srcaddr,
            "dstaddr": self.dstaddr,
            "bytes": self.bytes,
            "packets": self.packets,
            "records": self.records,
        }


@dataclass(frozen=True, slots=True)
class RejectedPort:
    protocol: str | int | None
    dstport: int | None
    records: int
    sources: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "protocol": self.protocol,
            "dstport": self.dstport,
            "records": self.records,
            "sources": self.sources,
        }


@dataclass(frozen=True, slots=True)
class InterfaceStats:
    interface_id: str | None
    accept: int
    reject: int
    bytes: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "interfaceId": self.interface_id,
            "accept": self.accept,
            "reject": self.reject,
            "bytes": self.bytes,
        }


@dataclass(frozen=True, slots=True)
class Scan:
    srcaddr: str
    distinct_ports: int
    distinct_hosts: int
    first_seen: int | None
    last_seen: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "srcaddr": self.srcaddr,
            "distinctPorts": self.distinct_ports,
            "distinctHosts": self.distinct_hosts,
            "firstSeen": self.first_seen,
            "lastSeen": self.last_seen,
        }


@dataclass(frozen=True, slots=True)
class Handshakes:
    """TCP requests whose ``tcp-flags`` show SYN: answered (SYN-ACK back) or not."""

    attempts: int
    answered: int

    @property
    def unanswered(self) -> int:
        return self.attempts - self.answered


@dataclass(frozen=True, slots=True)
class Summary:
    records: int
    log_status: dict[str, int]
    actions: dict[str, int]
    bytes: int
    packets: int
    top_talkers: tuple[Talker, ...]
    rejected_ports: tuple[RejectedPort, ...]
    interfaces: tuple[InterfaceStats, ...]
    suspected_scans: tuple[Scan, ...]
    notes: tuple[str, ...]
    handshakes: Handshakes | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "logStatus": dict(self.log_status),
            "actions": dict(self.actions),
            "bytes": self.bytes,
            "packets": self.packets,
            "topTalkers": [t.to_dict() for t in self.top_talkers],
            "rejectedPorts": [p.to_dict() for p in self.rejected_ports],
            "interfaces": [i.to_dict() for i in self.interfaces],
            "suspectedScans": [s.to_dict() for s in self.suspected_scans],
            "notes": list(self.notes),
        }


def _addr_key(value: str | None) -> tuple[int, int, str]:
    return addresses.sort_key(value) if value is not None else (10, 0, "")


def _port_key(value: int | None) -> int:
    return -1 if value is None else value


def _is_scan(
    events: list[tuple[int, str | None, int | None]], min_ports: int, min_hosts: int, window: int
) -> bool:
    """Any ``window`` seconds with ``min_ports`` distinct ports or ``min_hosts`` hosts."""
    events.sort(key=lambda e: e[0])
    ports: dict[int | None, int] = {}
    hosts: dict[str | None, int] = {}
    lo = 0
    for t, host, port in events:
        ports[port] = ports.get(port, 0) + 1
        hosts[host] = hosts.get(host, 0) + 1
        while events[lo][0] < t - window:
            _, old_host, old_port = events[lo]
            ports[old_port] -= 1
            if not ports[old_port]:
                del ports[old_port]
            hosts[old_host] -= 1
            if not hosts[old_host]:
                del hosts[old_host]
            lo += 1
        if len(ports) >= min_ports or len(hosts) >= min_hosts:
            return True
    return False


def summarize(
    records: Iterable[Record],
    *,
    top: int = rules.TOP_TALKERS,
    scan_ports: int = rules.SCAN_PORTS,
    scan_hosts: int = rules.SCAN_HOSTS,
    scan_window: int = rules.SCAN_WINDOW,
) -> Summary:
    """The ``summarize`` figures of the records (any iterable, read once)."""
    # Summing a million records allocates millions of small objects and makes
    # no reference cycles; pausing the cyclic collector (which would rescan
    # the growing tables again and again) keeps the time linear.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _summarize(records, top, scan_ports, scan_hosts, scan_window)
    finally:
        if paused:
            gc.enable()


def _summarize(
    records: Iterable[Record], top: int, scan_ports: int, scan_hosts: int, scan_window: int
) -> Summary:
    total = 0
    log_status = dict.fromkeys(LOG_STATUSES, 0)
    actions = dict.fromkeys(ACTIONS, 0)
    sum_bytes = sum_packets = 0
    talkers: dict[tuple[Any, Any], list[int]] = {}
    ifaces: dict[str | None, list[int]] = {}
    table: dict[flows.FlowKey, flows.Flow] = {}
    packet_fields = False
    no_status = False
    for record in records:
        total += 1
        state = record.get("log-status")
        if not isinstance(state, str):
            if "log-status" in record:
                continue  # "-": not a record of traffic
            no_status = True
            state = "OK"
        log_status[state] = log_status.get(state, 0) + 1
        if state != "OK":
            continue
        get = record.get
        action = get("action")
        if action in actions:
            actions[action] += 1
        b = get("bytes") or 0
        p = get("packets") or 0
        sum_bytes += b  # type: ignore[operator]
        sum_packets += p  # type: ignore[operator]
        # the packet's addresses where the format has them (addresses.py)
        pkt_src = get("pkt-srcaddr")
        pkt_dst = get("pkt-dstaddr")
        if not packet_fields and ("pkt-srcaddr" in record or "pkt-dstaddr" in record):
            packet_fields = True
        src = pkt_src or get("srcaddr")
        dst = pkt_dst or get("dstaddr")
        pair = (src, dst)
        t = talkers.get(pair)
        if t is None:
            t = talkers[pair] = [0, 0, 0]
        t[0] += b  # type: ignore[operator]
        t[1] += p  # type: ignore[operator]
        t[2] += 1
        iface = get("interface-id")
        i = ifaces.get(iface)  # type: ignore[arg-type]
        if i is None:
            i = ifaces[iface] = [0, 0, 0]  # type: ignore[index]
        if action == "ACCEPT":
            i[0] += 1
        elif action == "REJECT":
            i[1] += 1
        i[2] += b  # type: ignore[operator]
        # flows.add, written out here: this loop runs once per record
        key = (iface, get("protocol"), src, get("srcport"), dst, get("dstport"))
        flow = table.get(key)  # type: ignore[arg-type]
        if flow is None:
            flow = table[key] = flows.Flow()  # type: ignore[index]
        flow.records += 1
        if action == "ACCEPT":
            flow.accepted += 1
        elif action == "REJECT":
            flow.rejected += 1
        start = get("start")
        end = get("end")
        if start is not None:
            flow.starts.append(start)  # type: ignore[arg-type]
            if flow.first_start is None or start < flow.first_start:  # type: ignore[operator]
                flow.first_start = start  # type: ignore[assignment]
        if end is not None and (flow.last_end is None or end > flow.last_end):  # type: ignore[operator]
            flow.last_end = end  # type: ignore[assignment]
        flags = get("tcp-flags")
        if flags is not None:
            flow.flags = flags if flow.flags is None else flow.flags | flags  # type: ignore[assignment, operator]

    # By bytes first (cheap), then the full order only among the pairs that
    # can be in the top N: those with at least the Nth pair's bytes.
    by_bytes = sorted(talkers.items(), key=lambda kv: -kv[1][0])
    if len(by_bytes) > top > 0:
        floor = by_bytes[top - 1][1][0]
        by_bytes = [kv for kv in by_bytes if kv[1][0] >= floor]
    top_talkers = sorted(
        (Talker(s, d, v[0], v[1], v[2]) for (s, d), v in by_bytes),
        key=lambda t: (-t.bytes, _addr_key(t.srcaddr), _addr_key(t.dstaddr)),
    )[:top]

    rejected: dict[tuple[int | None, int | None], tuple[list[int], set[str | None]]] = {}
    scans: dict[str, list[tuple[int, str | None, int | None]]] = {}
    ports_of: dict[str, set[int | None]] = {}
    hosts_of: dict[str, set[str | None]] = {}
    seen_of: dict[str, list[int | None]] = {}
    responses = attempts = answered = 0
    for key, flow in table.items():
        if flows.is_response(key, table):
            responses += flow.records
            continue
        _, proto, src, _, dst, dport = key
        if flow.rejected:
            entry = rejected.get((proto, dport))
            if entry is None:
                entry = rejected[(proto, dport)] = ([0], set())
            entry[0][0] += flow.rejected
            entry[1].add(src)
        if proto == 6 and flow.flags is not None and tcpflags.has_syn(flow.flags):
            attempts += 1
            back = table.get(flows.reverse(key))
            if back is not None and back.flags is not None and tcpflags.is_syn_ack(back.flags):
                answered += 1
        if src is None:
            continue
        scans.setdefault(src, []).extend((s, dst, dport) for s in flow.starts)
        ports_of.setdefault(src, set()).add(dport)
        hosts_of.setdefault(src, set()).add(dst)
        seen = seen_of.setdefault(src, [None, None])
        if flow.first_start is not None and (seen[0] is None or flow.first_start < seen[0]):
            seen[0] = flow.first_start
        if flow.last_end is not None and (seen[1] is None or flow.last_end > seen[1]):
            seen[1] = flow.last_end

    rejected_ports = sorted(
        (
            RejectedPort(
                None if proto is None else protocol_name(proto), port, counts[0], len(sources)
            )
            for (proto, port), (counts, sources) in rejected.items()
        ),
        key=lambda r: (-r.records, _proto_key(r.protocol), _port_key(r.dstport)),
    )
    suspected = sorted(
        (
            Scan(src, len(ports_of[src]), len(hosts_of[src]), seen_of[src][0], seen_of[src][1])
            for src, events in scans.items()
            if _is_scan(events, scan_ports, scan_hosts, scan_window)
        ),
        key=lambda s: (-s.distinct_ports, -s.distinct_hosts, _addr_key(s.srcaddr)),
    )
    interfaces = sorted(
        (InterfaceStats(k, v[0], v[1], v[2]) for k, v in ifaces.items()),
        key=lambda i: (i.interface_id is None, i.interface_id or ""),
    )
    handshakes = Handshakes(attempts, answered) if attempts else None
    notes = [NOT_LOGGED_NOTE, PACKET_ADDRESSES_NOTE if packet_fields else INTERFACE_ADDRESSES_NOTE]
    if responses:
        notes.append(
            f"{_count(responses, 'record')} "
            f"{'is a response' if responses == 1 else 'are responses'}"
            " (the reverse flow on the same interface, "
            "to the higher port): rejectedPorts and suspectedScans count each connection "
            "once, at its request."
        )
    if handshakes is not None:
        notes.append(
            f"tcp-flags: {handshakes.attempts} TCP connection attempts (SYN), "
            f"{handshakes.answered} answered with SYN-ACK, {handshakes.unanswered} not."
        )
    if log_status.get("SKIPDATA"):
        notes.append(
            f"{_count(log_status['SKIPDATA'], 'SKIPDATA record')}: some flows in those intervals "
            "were not captured."
        )
    if no_status:
        notes.append("The format has no log-status field: every record is counted as OK.")
    notes.append(
        f"suspectedScans: sources whose requests reach {scan_ports} or more distinct ports, "
        f"or {scan_hosts} or more distinct hosts, within {scan_window} seconds."
    )
    return Summary(
        records=total,
        log_status=log_status,
        actions=actions,
        bytes=sum_bytes,
        packets=sum_packets,
        top_talkers=tuple(top_talkers),
        rejected_ports=tuple(rejected_ports),
        interfaces=tuple(interfaces),
        suspected_scans=tuple(suspected),
        notes=tuple(notes),
        handshakes=handshakes,
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _proto_key(value: str | int | None) -> tuple[int, str]:
    if value is None:
        return (999, "")
    if isinstance(value, int):
        return (value, "")
    return (NUMBERS.get(value, 998), value)
