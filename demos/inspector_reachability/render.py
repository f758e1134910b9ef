"""Findings for people: a text table with a summary line, table rows for the
page's ``show()``, and a Mermaid flowchart of a finding's path."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .findings import Finding, Result
from .intervals import fmt_ranges

_COLUMNS = ("severity", "type", "reachability", "port", "instance", "via")
_SEVERITY_ORDER = ("High", "Medium", "Low", "Informational")


def _ports(f: Finding) -> str:
    if f.port is not None:
        return f"{f.protocol} {f.port}"
    return f"{f.protocol} {fmt_ranges(f.port_ranges or ())}"


def _row_order(f: Finding) -> tuple[int, int, str]:
    # Severity as Inspector ranks it, then the port (a NetworkExposure
    # finding's lowest port), then the protocol.
    lowest = min((lo for lo, _ in f.port_ranges or ()), default=0)
    port = f.port if f.port is not None else lowest
    return _SEVERITY_ORDER.index(f.severity), port, f.protocol


def table_rows(findings: Iterable[Finding]) -> list[dict[str, str]]:
    """One dict per finding, with short columns (for ``livedemo.show``).

    The rows are sorted by severity (High, Medium, Low, Informational), then
    port; findings that tie keep the engine's order. Only the rows are sorted:
    the ``Result`` and its ``to_dict()`` keep the engine's order.
    """
    rows = []
    for f in sorted(findings, key=_row_order):
        service = f" ({f.port_group_name})" if f.port_group_name else ""
        rows.append(
            {
                "severity": f.severity,
                "type": f.type,
                "reachability": f.reachability,
                "port": _ports(f) + service,
                "instance": f"{f.instance_id} / {f.network_interface_id}",
                "via": f.via.rsplit(":", 1)[-1] if f.via.startswith("arn:") else f.via,
            }
        )
    return rows


def summary(result: Result | Iterable[Finding]) -> str:
    findings = list(result)
    by_sev: Counter[str] = Counter(str(f.severity) for f in findings)
    instances = len({f.instance_id for f in findings})
    parts = [f"{by_sev[s]} {s}" for s in _SEVERITY_ORDER if by_sev[s]]
    noun = "finding" if len(findings) == 1 else "findings"
    inst = "instance" if instances == 1 else "instances"
    detail = f" ({', '.join(parts)})" if parts else ""
    return f"{len(findings)} {noun} on {instances} {inst}{detail}"


def to_table(result: Result | Iterable[Finding]) -> str:
    """A fixed-width table and a summary line."""
    findings = list(result)
    rows = table_rows(findings)
    if not rows:
        return "No findings: nothing is reachable from outside the VPC.\n" + summary(findings)
    widths = {c: max(len(c), *(len(r[c]) for r in rows)) for c in _COLUMNS}
    lines = ["  ".join(c.upper().ljust(widths[c]) for c in _COLUMNS).rstrip()]
    for r in rows:
        lines.append("  ".join(r[c].ljust(widths[c]) for c in _COLUMNS).rstrip())
    lines.append(summary(findings))
    return "\n".join(lines)


def mermaid_path(finding: Finding) -> str:
    """A left-to-right Mermaid flowchart of the finding's path, read as a
    sentence: each box names the component's kind over its id (two short
    lines keep a dozen steps narrow; the page scrolls a wide diagram in its
    box, or opens it full screen)."""
    names = {
        "Internet": "Internet",
        "PeeredVPC": "Peered VPC",
        "VGW": "On-premises",
        "TransitGateway": "Transit gateway",
    }
    lines = ["flowchart LR", f'  src(("{names[finding.reachability]}"))']
    prev = "src"
    for i, step in enumerate(finding.path):
        kind = step.component_type.rsplit("::", 1)[-1]
        ident = step.component_id
        if ident.startswith("arn:") and "/" in ident:
            ident = ident.rsplit("/", 2)[-2]  # a load balancer's name
        node = f"n{i}"
        lines.append(f'  {node}["{kind}<br>{ident.replace(chr(34), chr(39))}"]')
        lines.append(f"  {prev} --> {node}")
        prev = node
    if finding.port is not None:
        port = f"{finding.protocol} {finding.port}"
    else:
        port = f"{finding.protocol} {fmt_ranges(finding.port_ranges or ())}"
    lines.append(f'  {prev} -.- port["{port}"]')
    return "\n".join(lines)
