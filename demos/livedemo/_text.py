"""Plain-text rendering of display records, for CPython and terminals."""

from __future__ import annotations

from typing import Any

Record = dict[str, Any]


def render_text(record: Record) -> str:
    """The record as readable text, ending without a newline."""
    lines: list[str] = []
    title = record.get("title")
    if title:
        lines += [title, "-" * len(title)]
    kind = record["kind"]
    if kind == "text":
        lines.append(record["text"])
    elif kind == "badge":
        lines.append(_badge(record))
    elif kind == "mermaid":
        lines.append("mermaid diagram:")
        lines += ["    " + line for line in record["source"].splitlines()]
    elif kind == "bytes":
        lines += _hexdump(record["hex"], record["length"])
    elif kind == "panel":
        lines += [f"{item['key']}: {_cell(item['value'])}" for item in record["items"]]
    elif kind == "table":
        lines += _table(record["columns"], record["rows"])
    else:
        raise ValueError(f"render_text(): unknown record kind {kind!r}")
    return "\n".join(lines)


def _badge(value: Record) -> str:
    tone = value["tone"]
    return f"[{value['text']}]" if tone == "neutral" else f"[{tone}: {value['text']}]"


def _cell(value: Record) -> str:
    return _badge(value) if value["type"] == "badge" else str(value["text"])


def _hexdump(hex_text: str, length: int) -> list[str]:
    data = bytes.fromhex(hex_text)
    lines = [f"{length} bytes"]
    for offset in range(0, len(data), 16):
        chunk = data[offset : offset + 16]
        lines.append(f"  {offset:08x}  {chunk.hex(' ')}")
    if len(data) < length:
        lines.append(f"  … {length - len(data)} more bytes")
    return lines


def _table(columns: list[str], rows: list[list[Record]]) -> list[str]:
    if not columns:
        return ["(empty table)"]
    texts = [[_cell(value) for value in row] for row in rows]
    widths = [
        max([len(column)] + [len(row[i]) for row in texts]) for i, column in enumerate(columns)
    ]

    def line(values: list[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    return [line(columns), line(["-" * w for w in widths])] + [line(row) for row in texts]
