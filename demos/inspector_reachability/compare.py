"""Compare a real ``aws inspector2 list-findings`` export with the engine.

``compare(result, export, source=...)`` answers, for each ENI, protocol and
port range: does the engine agree with Inspector, does only Inspector report
it, or does only the engine?

**Reading the export.** ``list-findings`` prints one page,
``{"findings": [...], "nextToken": "..."}``
(https://docs.aws.amazon.com/inspector/v2/APIReference/API_ListFindings.html);
several pages may also be given as a JSON array of such objects. Findings
whose ``type`` is not ``NETWORK_REACHABILITY`` are counted and ignored, and so
are ``CLOSED`` ones (Inspector closes a finding once its path is gone). The
rest must carry ``networkReachabilityDetails`` (protocol ``TCP``/``UDP``,
``openPortRange.begin``/``end`` integers 0-65535) as the API reference gives
them (https://docs.aws.amazon.com/inspector/v2/APIReference/API_NetworkReachabilityDetails.html,
https://docs.aws.amazon.com/inspector/v2/APIReference/API_PortRange.html).
The ENI is the ``componentId`` of the path's ``AWS::EC2::NetworkInterface``
step (https://docs.aws.amazon.com/inspector/v2/APIReference/API_Step.html;
AWS's example finding lists the ENI there, while the Resource's
``awsEc2Instance`` details have no ENI id); where a path lists several, the
last one, next to the instance, is the target's. Anything else raises
``SnapshotError`` naming the JSON path, for example
``findings.json: findings[3].networkReachabilityDetails.openPortRange.begin: expected an integer``.

**Splitting ranges.** Each side's ranges are first merged per ENI and
protocol (overlapping or touching ranges join), then split at every edge of
the other side: the intersection is ``agree``, Inspector's remainder is
``onlyInspector`` and the engine's remainder ``onlyEngine``. Inspector's
22-25 against the engine's 20-22 gives agree 22-22, onlyInspector 23-25 and
onlyEngine 20-21.

**Why not.** For a disagreement, ``whyNot`` lists the engine's why-not
entries (``analyze(..., why_not=True)``) of the same ENI and protocol whose
ports overlap the range, or is null when there are none; for an agreement it
is null.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import SnapshotError
from .findings import Result
from .inspector2 import PROTOCOL
from .intervals import Ranges, intersect, normalize, overlaps, subtract

_KINDS = ("agree", "onlyInspector", "onlyEngine")
_ENI_STEP = "AWS::EC2::NetworkInterface"
Key = tuple[str, str]  # (ENI id, "TCP" or "UDP")


@dataclass(frozen=True, slots=True)
class Export:
    """The NETWORK_REACHABILITY port ranges of a list-findings export."""

    ranges: dict[Key, Ranges]
    ignored_type: int = 0
    ignored_closed: int = 0


@dataclass(frozen=True, slots=True)
class Comparison:
    agree: list[dict[str, Any]] = field(default_factory=list)
    only_inspector: list[dict[str, Any]] = field(default_factory=list)
    only_engine: list[dict[str, Any]] = field(default_factory=list)
    ignored_type: int = 0
    ignored_closed: int = 0

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        return {
            "agree": self.agree,
            "onlyInspector": self.only_inspector,
            "onlyEngine": self.only_engine,
        }


def _bad(source: str, where: str, message: str) -> SnapshotError:
    return SnapshotError(f"{source}: {where}", message)


def _get(obj: Mapping[str, Any], key: str, where: str, source: str, kind: type) -> Any:
    at = f"{where}.{key}" if where else key
    if key not in obj:
        raise _bad(source, at, "missing")
    value = obj[key]
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if not ok:
        name = {dict: "an object", list: "an array", str: "a string", int: "an integer"}[kind]
        raise _bad(source, at, f"expected {name}" + (", not null" if value is None else ""))
    return value


def _eni(steps: list[Any], where: str, source: str) -> str:
    eni: str | None = None
    for i, step in enumerate(steps):
        at = f"{where}[{i}]"
        if not isinstance(step, dict):
            raise _bad(source, at, "expected an object")
        if _get(step, "componentType", at, source, str) == _ENI_STEP:
            eni = str(_get(step, "componentId", at, source, str))
    if eni is None:
        raise _bad(source, where, f"no {_ENI_STEP} step, so no ENI to compare")
    return eni


def read_export(data: object, source: str = "findings.json") -> Export:
    """The port ranges per (ENI, protocol) of a list-findings export."""
    if isinstance(data, dict):
        pages: list[tuple[str, object]] = [("", data)]
    elif isinstance(data, list):
        pages = [(f"[{i}].", page) for i, page in enumerate(data)]
    else:
        raise SnapshotError(source, 'expected a list-findings export: {"findings": [...]}')
    found: dict[Key, list[tuple[int, int]]] = {}
    ignored_type = ignored_closed = 0
    for prefix, page in pages:
        if not isinstance(page, dict):
            raise _bad(source, prefix.rstrip(".") or "(top level)", "expected an object")
        if "findings" not in page:
            raise _bad(source, f"{prefix}findings", 'missing: expected {"findings": [...]}')
        findings = _get(page, "findings", prefix.rstrip("."), source, list)
        for i, finding in enumerate(findings):
            at = f"{prefix}findings[{i}]"
            if not isinstance(finding, dict):
                raise _bad(source, at, "expected an object")
            if _get(finding, "type", at, source, str) != "NETWORK_REACHABILITY":
                ignored_type += 1
                continue
            if finding.get("status") == "CLOSED":
                ignored_closed += 1
                continue
            nrd_at = f"{at}.networkReachabilityDetails"
            nrd = _get(finding, "networkReachabilityDetails", at, source, dict)
            protocol = _get(nrd, "protocol", nrd_at, source, str)
            if protocol not in ("TCP", "UDP"):
                raise _bad(source, f"{nrd_at}.protocol", f"expected TCP or UDP, not {protocol!r}")
            opr_at = f"{nrd_at}.openPortRange"
            opr = _get(nrd, "openPortRange", nrd_at, source, dict)
            begin = _get(opr, "begin", opr_at, source, int)
            end = _get(opr, "end", opr_at, source, int)
            for name, port in (("begin", begin), ("end", end)):
                if not 0 <= port <= 65535:
                    raise _bad(source, f"{opr_at}.{name}", f"{port} is not a port (0-65535)")
            if begin > end:
                raise _bad(source, opr_at, f"begin {begin} is after end {end}")
            path_at = f"{nrd_at}.networkPath"
            path = _get(nrd, "networkPath", nrd_at, source, dict)
            steps = _get(path, "steps", path_at, source, list)
            eni = _eni(steps, f"{path_at}.steps", source)
            found.setdefault((eni, protocol), []).append((begin, end))
    ranges = {key: normalize(rs) for key, rs in found.items()}
    return Export(ranges, ignored_type, ignored_closed)


def engine_ranges(result: Result | Mapping[str, Any]) -> dict[Key, Ranges]:
    """The engine's open port ranges per (ENI, protocol), from its JSON output."""
    data = result.to_dict() if isinstance(result, Result) else result
    found: dict[Key, list[tuple[int, int]]] = {}
    for f in data.get("findings", []):
        protocol = PROTOCOL.get(f["protocol"])
        if protocol is None:
            continue
        rs = found.setdefault((f["networkInterfaceId"], protocol), [])
        if f.get("portRanges") is not None:
            rs.extend((lo, hi) for lo, hi in f["portRanges"])
        elif isinstance(f.get("port"), int):
            rs.append((f["port"], f["port"]))
    return {key: normalize(rs) for key, rs in found.items()}


def compare(
    result: Result | Mapping[str, Any], export: object, source: str = "findings.json"
) -> Comparison:
    """Agree / onlyInspector / onlyEngine per ENI, protocol and port range.

    `result` should come from ``analyze(..., why_not=True)`` so that
    disagreements can say why; `export` is the parsed list-findings JSON (or
    an ``Export`` from ``read_export``).
    """
    data = result.to_dict() if isinstance(result, Result) else result
    parsed = export if isinstance(export, Export) else read_export(export, source)
    engine = engine_ranges(data)
    why_nots = data.get("whyNot", [])
    out = Comparison(ignored_type=parsed.ignored_type, ignored_closed=parsed.ignored_closed)
    lists = dict(zip(_KINDS, (out.agree, out.only_inspector, out.only_engine), strict=True))
    for key in sorted(set(engine) | set(parsed.ranges)):
        mine, theirs = engine.get(key, ()), parsed.ranges.get(key, ())
        parts = {
            "agree": intersect(mine, theirs),
            "onlyInspector": subtract(theirs, mine),
            "onlyEngine": subtract(mine, theirs),
        }
        eni, protocol = key
        for kind, ranges in parts.items():
            for lo, hi in ranges:
                why = None
                if kind != "agree":
                    why = [
                        w
                        for w in why_nots
                        if w["networkInterfaceId"] == eni
                        and PROTOCOL.get(w["protocol"]) == protocol
                        and overlaps(normalize((a, b) for a, b in w["portRanges"]), ((lo, hi),))
                    ] or None
                lists[kind].append(
                    {
                        "networkInterfaceId": eni,
                        "protocol": protocol,
                        "openPortRange": {"begin": lo, "end": hi},
                        "whyNot": why,
                    }
                )
    return out


def to_table(comparison: Comparison) -> str:
    """The comparison as aligned text, one row per range, then a summary."""
    head = ("RESULT", "ENI", "PROTOCOL", "PORTS", "ENGINE SAYS")
    label = {"agree": "agree", "onlyInspector": "only Inspector", "onlyEngine": "only engine"}
    rows: list[tuple[str, ...]] = []
    for kind, items in comparison.to_dict().items():
        for item in items:
            rng = item["openPortRange"]
            ports = (
                f"{rng['begin']}" if rng["begin"] == rng["end"] else f"{rng['begin']}-{rng['end']}"
            )
            if kind in ("agree", "onlyEngine"):
                says = "reachable"
            elif item["whyNot"]:
                says = "; ".join(w["message"] for w in item["whyNot"])
            else:
                says = "not reachable (no why-not)"
            rows.append((label[kind], item["networkInterfaceId"], item["protocol"], ports, says))
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head) - 1)]
    lines = [
        "  ".join([*(c.ljust(w) for c, w in zip(r[:-1], widths, strict=True)), r[-1]]).rstrip()
        for r in [head, *rows]
    ]
    c = comparison
    lines.append(
        f"{len(c.agree)} agree, {len(c.only_inspector)} only Inspector, "
        f"{len(c.only_engine)} only engine; ignored {c.ignored_type} "
        f"finding{'s' if c.ignored_type != 1 else ''} not NETWORK_REACHABILITY "
        f"and {c.ignored_closed} CLOSED"
    )
    return "\n".join(lines)
