"""The findings ``observe`` sets beside the logs, from either of two shapes.

- ``python -m inspector_reachability analyze --format json``: ``{"findings":
  [{"type", "protocol" ("tcp"/"udp"), "port", "portRanges", "networkInterfaceId", ...}]}``
  (demos/inspector_reachability/findings.py); a ``NetworkExposure`` finding
  has ``portRanges`` and no ``port``.
- ``aws inspector2 list-findings`` (or ``--format inspector2``): findings of
  type ``NETWORK_REACHABILITY`` with ``networkReachabilityDetails``
  (``protocol`` TCP or UDP, ``openPortRange`` ``begin``/``end``, and a
  ``networkPath`` whose ``AWS::EC2::NetworkInterface`` step names the ENI):
  https://docs.aws.amazon.com/inspector/v2/APIReference/API_NetworkReachabilityDetails.html
  https://docs.aws.amazon.com/inspector/v2/APIReference/API_PortRange.html
  Findings of other types (package vulnerabilities) are skipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .errors import FlowLogError
from .jsonfile import parse_json

_PROTOCOLS = {"tcp": 6, "udp": 17}


@dataclass(frozen=True, slots=True)
class OpenPort:
    """One finding: an ENI, a protocol and the ports it leaves open."""

    network_interface_id: str
    protocol: str
    port: int | None
    port_ranges: tuple[tuple[int, int], ...]
    type: str

    @property
    def protocol_number(self) -> int:
        return _PROTOCOLS[self.protocol]


def _port(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 65535:
        raise FlowLogError(where, f"{json.dumps(value)} is not a port (0-65535)")
    return value


def _protocol(value: Any, where: str) -> str:
    if not isinstance(value, str) or value.lower() not in _PROTOCOLS:
        raise FlowLogError(where, f"{json.dumps(value)} is not TCP or UDP")
    return value.lower()


def _engine(item: dict[str, Any], where: str) -> OpenPort:
    eni = item.get("networkInterfaceId")
    if not isinstance(eni, str) or not eni:
        raise FlowLogError(f"{where}.networkInterfaceId", "expected an ENI id string")
    proto = _protocol(item.get("protocol"), f"{where}.protocol")
    port = item.get("port")
    ranges: list[tuple[int, int]] = []
    raw = item.get("portRanges")
    if raw is not None:
        if not isinstance(raw, list):
            raise FlowLogError(f"{where}.portRanges", "expected a list of [low, high]")
        for k, pair in enumerate(raw):
            at = f"{where}.portRanges[{k}]"
            if not isinstance(pair, list) or len(pair) != 2:
                raise FlowLogError(at, "expected [low, high]")
            lo, hi = _port(pair[0], f"{at}[0]"), _port(pair[1], f"{at}[1]")
            if lo > hi:
                raise FlowLogError(at, f"{lo} is above {hi}")
            ranges.append((lo, hi))
    if port is not None:
        port = _port(port, f"{where}.port")
        if not ranges:
            ranges = [(port, port)]
    if not ranges:
        raise FlowLogError(where, "a finding needs a port or portRanges")
    kind = item.get("type")
    return OpenPort(eni, proto, port, tuple(ranges), kind if isinstance(kind, str) else "")


def _inspector2(item: dict[str, Any], where: str) -> OpenPort:
    details = item["networkReachabilityDetails"]
    at = f"{where}.networkReachabilityDetails"
    if not isinstance(details, dict):
        raise FlowLogError(at, "expected an object")
    proto = _protocol(details.get("protocol"), f"{at}.protocol")
    rng = details.get("openPortRange")
    if not isinstance(rng, dict):
        raise FlowLogError(f"{at}.openPortRange", "expected {begin, end}")
    lo = _port(rng.get("begin"), f"{at}.openPortRange.begin")
    hi = _port(rng.get("end"), f"{at}.openPortRange.end")
    if lo > hi:
        raise FlowLogError(f"{at}.openPortRange", f"begin {lo} is above end {hi}")
    steps = (
        (details.get("networkPath") or {}).get("steps")
        if isinstance(details.get("networkPath"), dict)
        else None
    )
    if not isinstance(steps, list):
        raise FlowLogError(f"{at}.networkPath.steps", "expected a list of steps")
    enis = [
        s.get("componentId")
        for s in steps
        if isinstance(s, dict) and s.get("componentType") == "AWS::EC2::NetworkInterface"
    ]
    if not enis or not isinstance(enis[-1], str):
        raise FlowLogError(f"{at}.networkPath.steps", "no AWS::EC2::NetworkInterface step")
    kind = item.get("type")
    return OpenPort(
        enis[-1],
        proto,
        lo if lo == hi else None,
        ((lo, hi),),
        kind if isinstance(kind, str) else "NETWORK_REACHABILITY",
    )


def load_findings(doc: Any, source: str = "(findings)") -> list[OpenPort]:
    """The open ports of an engine or inspector2 findings document."""
    pages = doc if isinstance(doc, list) else [doc]
    out: list[OpenPort] = []
    for p, page in enumerate(pages):
        base = f"[{p}]." if isinstance(doc, list) else ""
        if not isinstance(page, dict) or not isinstance(page.get("findings"), list):
            where = f"{source}: {base[:-1] or '(top level)'}"
            raise FlowLogError(where, 'expected {"findings": [...]}')
        for i, item in enumerate(page["findings"]):
            where = f"{source}: {base}findings[{i}]"
            if not isinstance(item, dict):
                raise FlowLogError(where, "expected an object")
            if "networkReachabilityDetails" in item:
                out.append(_inspector2(item, where))
            elif "networkInterfaceId" in item:
                out.append(_engine(item, where))
            elif item.get("type") not in (None, "NETWORK_REACHABILITY"):
                continue  # another inspector2 finding type
            else:
                raise FlowLogError(where, "not a network reachability finding")
    return out


def read_findings(data: bytes, source: str) -> list[OpenPort]:
    """Findings from a file's bytes; bad JSON names ``file:line:col``."""
    return load_findings(parse_json(data, source), source)
