"""Rows and text tables of the results, for ``show()`` and ``--format table``."""

from __future__ import annotations

from typing import Any

from .observe import Observed
from .summary import Summary

Row = dict[str, Any]


def summary_rows(summary: Summary) -> dict[str, list[Row]]:
    """The summary's lists as rows, by title."""
    d = summary.to_dict()
    return {
        "Top talkers (by bytes)": d["topTalkers"],
        "Rejected ports (connections, at their request)": d["rejectedPorts"],
        "Interfaces": d["interfaces"],
        "Suspected scans": d["suspectedScans"],
    }


def headline(summary: Summary) -> str:
    s = summary.log_status
    return (
        f"{summary.records:,} records ({s.get('OK', 0):,} OK, {s.get('NODATA', 0):,} NODATA, "
        f"{s.get('SKIPDATA', 0):,} SKIPDATA): {summary.actions['ACCEPT']:,} ACCEPT, "
        f"{summary.actions['REJECT']:,} REJECT, {summary.bytes:,} bytes, "
        f"{summary.packets:,} packets"
    )


def table(rows: list[Row], limit: int = 50) -> str:
    """A plain text table; ``(none)`` for no rows; the first ``limit`` rows."""
    if not rows:
        return "(none)"
    keys = list(rows[0])
    cells = [[_cell(r.get(k)) for k in keys] for r in rows[:limit]]
    widths = [max(len(k), *(len(c[i]) for c in cells)) for i, k in enumerate(keys)]
    lines = ["  ".join(k.ljust(w) for k, w in zip(keys, widths, strict=True)).rstrip()]
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    if len(rows) > limit:
        lines.append(f"... and {len(rows) - limit} more")
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        if value and isinstance(value[0], list):
            return ",".join(f"{a}-{b}" if a != b else str(a) for a, b in value)
        return ",".join(map(str, value[:5])) + (f" (+{len(value) - 5})" if len(value) > 5 else "")
    return str(value)


def summary_text(summary: Summary) -> str:
    parts = [headline(summary)]
    for title, rows in summary_rows(summary).items():
        parts.append(f"\n{title}\n{table(rows)}")
    parts.append("\nNotes")
    parts += [f"- {n}" for n in summary.notes]
    return "\n".join(parts)


def observation_rows(observed: Observed) -> list[Row]:
    return [
        {
            "interface": o["networkInterfaceId"],
            "protocol": o["protocol"],
            "ports": ",".join(f"{lo}-{hi}" if lo != hi else str(lo) for lo, hi in o["portRanges"]),
            "type": o["type"],
            "accepted": o["accepted"],
            "rejected": o["rejected"],
            "sources": len(o["sourceAddresses"]),
            "firstSeen": o["firstSeen"],
            "lastSeen": o["lastSeen"],
        }
        for o in observed.to_dict()["observations"]
    ]


def observed_text(observed: Observed) -> str:
    d = observed.to_dict()
    parts = [
        "Observed from the internet (public sources)",
        table(observation_rows(observed)),
        "\nOpen but unused in these logs (candidates to close)",
        table(d["unused"]),
        "\nRejected internet traffic",
        table(d["rejectedFromInternet"]),
    ]
    parts += [f"\n- {n}" for n in observed.notes]
    return "\n".join(parts)
