"""Rows, text tables and a Mermaid path for ``show()`` and the CLI's table format."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .diff import Diff
from .model import Request
from .results import Result, summary

_COLUMNS = ("#", "action", "terminating rule", "type", "labels", "counted")


def table_rows(
    results: Sequence[Result], requests: Sequence[Request] | None = None
) -> list[dict[str, Any]]:
    """One row per result (with the request's method and URI when given)."""
    rows = []
    for r in results:
        row: dict[str, Any] = {"#": r.index}
        if requests is not None:
            q = requests[r.index]
            row["request"] = f"{q.method} {q.uri}{'?' + q.args if q.args else ''}"[:80]
            row["client"] = q.client_ip
        row["action"] = r.action + (" ~" if r.approximate else "")
        row["terminating rule"] = r.terminating_rule_id
        row["type"] = r.terminating_rule_type
        row["labels"] = ", ".join(label.rsplit(":", 1)[-1] for label in r.labels)
        row["counted"] = ", ".join(e["ruleId"] for e in r.non_terminating)
        row["skipped"] = ", ".join(s["name"] for s in r.skipped)
        rows.append(row)
    if not any(row["skipped"] for row in rows):
        for row in rows:  # a page table takes its columns from the first row
            del row["skipped"]
    return rows


def _text_table(rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return "(no requests)"
    columns: list[str] = []
    for row in rows:
        columns.extend(c for c in row if c not in columns)
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns}
    lines = ["  ".join(c.ljust(widths[c]) for c in columns).rstrip()]
    lines.append("  ".join("-" * widths[c] for c in columns))
    lines.extend(
        "  ".join(str(r.get(c, "")).ljust(widths[c]) for c in columns).rstrip() for r in rows
    )
    return "\n".join(lines)


def to_table(results: Sequence[Result], requests: Sequence[Request] | None = None) -> str:
    """The evaluate command's table, with the summary below it."""
    s = summary(results)
    acts = ", ".join(f"{k} {v}" for k, v in s["actions"].items() if v)
    lines = [
        _text_table(table_rows(results, requests)),
        "",
        f"{s['requests']} requests: {acts or 'none'}",
    ]
    if any(r.approximate for r in results):
        lines.append("~ the action depends on a SQL injection or XSS match, which is approximate")
    return "\n".join(lines)


def diff_table(d: Diff) -> str:
    """The diff command's table."""
    if not d.changes:
        return f"no change in {d.requests} requests"
    rows = [
        {
            "#": c.index,
            "old": f"{c.old.action} ({c.old.terminating_rule_id})",
            "new": f"{c.new.action} ({c.new.terminating_rule_id})",
        }
        for c in d.changes
    ]
    counts = ", ".join(f"{k} {v}" for k, v in d.transitions.items())
    return f"{_text_table(rows)}\n\n{len(d.changes)} of {d.requests} requests change: {counts}"


def _quote(text: str) -> str:
    return text.replace('"', "'").replace("<", "&lt;").replace(">", "&gt;")


def mermaid_path(result: Result) -> str:
    """The evaluation path of one request, rule by rule, as a Mermaid flowchart."""
    lines = ["flowchart TD", f'    req["request {result.index}"]']
    prev = "req"
    for i, step in enumerate(result.path):
        node = f"s{i}"
        label = step.rule
        detail = _quote(step.outcome + (f": {step.action}" if step.action else ""))
        if step.why:
            detail += f"<br/>{_quote(step.why)}"
        lines.append(f'    {node}["{_quote(label)}<br/>{detail}"]')
        lines.append(f"    {prev} --> {node}")
        prev = node
    lines.append(f'    done(["{result.action}"])')
    lines.append(f"    {prev} --> done")
    return "\n".join(lines)
