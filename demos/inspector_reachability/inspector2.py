"""The engine's findings in the shape of today's Amazon Inspector (inspector2).

Inspector Classic ended on May 20, 2026. Today's Inspector reports
``NETWORK_REACHABILITY`` findings through ``aws inspector2 list-findings``;
``to_inspector2(result, snapshot)`` turns a ``Result`` into
``{"findings": [...]}`` in that API's shape. It reads only the engine's public
JSON (``Result.to_dict()``), so the engine's internals can change freely.

Field names and values come from the Inspector v2 API reference:

- Finding: https://docs.aws.amazon.com/inspector/v2/APIReference/API_Finding.html
- NetworkReachabilityDetails:
  https://docs.aws.amazon.com/inspector/v2/APIReference/API_NetworkReachabilityDetails.html
  (``protocol`` is ``TCP`` or ``UDP``)
- PortRange: https://docs.aws.amazon.com/inspector/v2/APIReference/API_PortRange.html
  (``begin`` and ``end``, 0-65535)
- NetworkPath and Step:
  https://docs.aws.amazon.com/inspector/v2/APIReference/API_NetworkPath.html,
  https://docs.aws.amazon.com/inspector/v2/APIReference/API_Step.html
  (``steps`` of ``componentId`` and ``componentType``, 1 to 30 of them)
- Resource: https://docs.aws.amazon.com/inspector/v2/APIReference/API_Resource.html
  (``type`` ``AWS_EC2_INSTANCE`` and ``id``)
- Remediation and Recommendation:
  https://docs.aws.amazon.com/inspector/v2/APIReference/API_Remediation.html

What a network-reachability finding looks like in practice (the component
types of the path, the ENI as an ``AWS::EC2::NetworkInterface`` step, the
title's wording, SSH 22 at ``MEDIUM``) is from the EC2 network reachability
example on https://docs.aws.amazon.com/inspector/latest/user/eventbridge-integration.html

**Grouping rule.** One inspector2 finding per ENI, protocol and contiguous
open port range: the ports of every Classic-style finding of one ENI and
protocol are merged (touching ranges join: 137 and 138 become 137-138) and
each maximal run becomes one finding. That is how the example above reports
an open port: by range (its ``openPortRange`` is ``{"begin": 22, "end": 22}``
and its description says "the port range 22-22"), not per service or per
listener. Where several paths reach ports of one range, the finding shows the
path of the most severe Classic finding among them (the first, in the
engine's order, among equals); ``--format json`` keeps every path.

**Severity rule.** A range takes the highest Classic severity among the
engine's findings on its ports, written the way the inspector2 ``Severity``
enum writes it: High -> ``HIGH``, Medium -> ``MEDIUM``, Low -> ``LOW``,
Informational -> ``INFORMATIONAL`` (the Finding page lists ``INFORMATIONAL |
LOW | MEDIUM | HIGH | CRITICAL | UNTRIAGED``; ``UNTRIAGED`` is for package
vulnerabilities only and Classic had no Critical, so neither is produced).
The one documented data point agrees: SSH on port 22 is ``MEDIUM`` in the
example above and Medium in Classic's table. The severity page
(https://docs.aws.amazon.com/inspector/latest/user/findings-understanding-severity.html)
does not give a per-port table we could follow instead.

**Fields left out, and why.** The Finding type requires ``findingArn``,
``firstObservedAt`` and ``lastObservedAt``. An ARN ends in an id that
Inspector assigns (``finding/`` and 32 hex digits), so any value here would be
invented; a snapshot has no observation time. All three are left out rather
than faked. ``awsAccountId`` (also required) is the ``OwnerId`` the snapshot
gives the ENI, when it is 12 digits; a snapshot without one leaves it out.
``updatedAt``, ``inspectorScore`` and the package/code fields do not apply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .findings import Result
from .intervals import Ranges, normalize

Inspector2Protocol = Literal["TCP", "UDP"]
Inspector2Severity = Literal["INFORMATIONAL", "LOW", "MEDIUM", "HIGH"]

# Classic severity -> inspector2 Severity enum value (see the module docstring).
SEVERITY: dict[str, Inspector2Severity] = {
    "Informational": "INFORMATIONAL",
    "Low": "LOW",
    "Medium": "MEDIUM",
    "High": "HIGH",
}
_RANK = {"Informational": 0, "Low": 1, "Medium": 2, "High": 3}

# NetworkReachabilityDetails.protocol: "Valid Values: TCP | UDP".
PROTOCOL: dict[str, Inspector2Protocol] = {"tcp": "TCP", "udp": "UDP"}

# The origin of a path, as the title names it. "an Internet Gateway" is the
# wording of AWS's example finding; the other two follow it.
_ORIGIN = {
    "AWS::EC2::InternetGateway": "an Internet Gateway",
    "AWS::EC2::VPNGateway": "a Virtual Private Gateway",
    "AWS::EC2::VPCPeeringConnection": "a VPC Peering Connection",
    "AWS::EC2::TransitGateway": "a Transit Gateway",
}
_ACCOUNT = re.compile(r"\d{12}")
_REMEDIATION = (
    "Close the path if nothing should be reached on these ports: narrow the "
    "security group rules (or network ACL entries) in the network path."
)


@dataclass(frozen=True, slots=True)
class _Open:
    """The ports one engine finding opens, with its severity and path."""

    order: int
    severity: str
    ranges: Ranges
    instance_id: str
    path: list[dict[str, str]]


def _ports(finding: Mapping[str, Any]) -> Ranges:
    if finding.get("portRanges") is not None:
        return normalize((lo, hi) for lo, hi in finding["portRanges"])
    port = finding.get("port")
    return ((port, port),) if isinstance(port, int) else ()


def _runs(opens: Iterable[_Open]) -> Ranges:
    return normalize(r for o in opens for r in o.ranges)


def _account_ids(snapshot: object) -> dict[str, str]:
    """ENI id -> the 12-digit OwnerId the snapshot gives it (where it does)."""
    out: dict[str, str] = {}
    if not isinstance(snapshot, Mapping):
        return out
    enis: list[object] = list(snapshot.get("NetworkInterfaces") or [])
    for reservation in snapshot.get("Reservations") or []:
        if isinstance(reservation, Mapping):
            for instance in reservation.get("Instances") or []:
                if isinstance(instance, Mapping):
                    enis.extend(instance.get("NetworkInterfaces") or [])
    for eni in enis:
        if not isinstance(eni, Mapping):
            continue
        eni_id, owner = eni.get("NetworkInterfaceId"), eni.get("OwnerId")
        if isinstance(eni_id, str) and isinstance(owner, str) and _ACCOUNT.fullmatch(owner):
            out.setdefault(eni_id, owner)
    return out


def _title(begin: int, end: int, origin: str, protocol: str) -> str:
    ports = f"Port {begin}" if begin == end else f"Port range {begin}-{end}"
    return f"{ports} is reachable from {origin} - {protocol}"


def _finding(
    eni: str,
    protocol: Inspector2Protocol,
    begin: int,
    end: int,
    opens: list[_Open],
    account: str | None,
) -> dict[str, Any]:
    worst = max(opens, key=lambda o: (_RANK[o.severity], -o.order))
    steps = [
        {"componentId": s["componentId"], "componentType": s["componentType"]} for s in worst.path
    ]
    origin_step = steps[0] if steps else {"componentId": "?", "componentType": "?"}
    origin = _ORIGIN.get(origin_step["componentType"], "outside the VPC")
    out: dict[str, Any] = {}
    if account is not None:
        out["awsAccountId"] = account
    out.update(
        {
            "type": "NETWORK_REACHABILITY",
            "title": _title(begin, end, origin, protocol),
            "description": (
                f"{protocol} ports {begin}-{end} of instance {worst.instance_id} are open "
                f"on its network interface {eni} to {origin_step['componentId']}: every "
                "route table, network ACL and security group on the path lets the "
                "traffic through."
            ),
            "severity": SEVERITY[worst.severity],
            "status": "ACTIVE",
            "resources": [{"type": "AWS_EC2_INSTANCE", "id": worst.instance_id}],
            "remediation": {"recommendation": {"text": _REMEDIATION}},
            "networkReachabilityDetails": {
                "protocol": protocol,
                "openPortRange": {"begin": begin, "end": end},
                "networkPath": {"steps": steps},
            },
        }
    )
    return out


def to_inspector2(result: Result | Mapping[str, Any], snapshot: object = None) -> dict[str, Any]:
    """``{"findings": [...]}`` in the inspector2 ``list-findings`` shape.

    `result` is a ``Result`` or its ``to_dict()``; `snapshot` (optional) is the
    snapshot dict the result came from, read only for the account id.
    """
    data = result.to_dict() if isinstance(result, Result) else result
    by_key: dict[tuple[str, Inspector2Protocol], list[_Open]] = {}
    for order, f in enumerate(data.get("findings", [])):
        protocol = PROTOCOL.get(f["protocol"])
        ranges = _ports(f)
        if protocol is None or not ranges:
            continue
        by_key.setdefault((f["networkInterfaceId"], protocol), []).append(
            _Open(order, f["severity"], ranges, f["instanceId"], f["path"])
        )
    accounts = _account_ids(snapshot)
    findings = []
    for (eni, protocol), opens in by_key.items():
        for begin, end in _runs(opens):
            inside = [o for o in opens if any(lo <= end and begin <= hi for lo, hi in o.ranges)]
            findings.append(_finding(eni, protocol, begin, end, inside, accounts.get(eni)))
    return {"findings": findings}
