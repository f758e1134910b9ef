"""Turn a value given to `show()` into a JSON-able display record.

The record is the contract between Python and the page: the page renders it
with DOM APIs only, and CPython renders the same record as plain text. Every
cell carries a ready-made `text`, so both renderings agree on number formats.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._values import Badge, Mermaid

# How much of a bytes value is shown: whole rows of 16 in a byte view, a short
# prefix in a table cell or panel value. The length is always given.
BYTES_VIEW_LIMIT = 64
BYTES_CELL_LIMIT = 8

Record = dict[str, Any]
Cell = dict[str, Any]


def cell(value: object, where: str) -> Cell:
    """One table cell or panel value as a typed, pre-formatted record."""
    # bool before int: bool is a subclass of int.
    if isinstance(value, Badge):
        return {"type": "badge", "text": value.text, "tone": value.tone}
    if value is None:
        return {"type": "none", "text": "—"}
    if isinstance(value, bool):
        return {"type": "bool", "text": str(value)}
    if isinstance(value, int | float):
        return {"type": "number", "text": str(value)}
    if isinstance(value, str):
        return {"type": "str", "text": value}
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        shown = data[:BYTES_CELL_LIMIT].hex()
        more = "…" if len(data) > BYTES_CELL_LIMIT else ""
        return {
            "type": "bytes",
            "text": f"{shown}{more} ({len(data)} bytes)",
            "hex": shown,
            "length": len(data),
        }
    raise TypeError(
        f"show(): {where} is a {type(value).__name__}; "
        "use str, int, float, bool, None, bytes or badge()"
    )


def to_record(value: object, title: str | None = None) -> Record:
    """The display record for `value`, or a one-line TypeError naming the bad part."""
    if title is not None and not isinstance(title, str):
        raise TypeError(f"show(): title must be a str, not {type(title).__name__}")
    body = _body(value)
    return {"title": title, **body}


def _body(value: object) -> Record:
    if isinstance(value, Badge):
        return {"kind": "badge", "text": value.text, "tone": value.tone}
    if isinstance(value, Mermaid):
        return {"kind": "mermaid", "source": value.source}
    if isinstance(value, str):
        return {"kind": "text", "text": value}
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        return {
            "kind": "bytes",
            "hex": data[:BYTES_VIEW_LIMIT].hex(),
            "length": len(data),
        }
    if isinstance(value, Mapping):
        items = []
        for key, item in value.items():
            label = str(key)
            items.append({"key": label, "value": cell(item, f"value of {label!r}")})
        return {"kind": "panel", "items": items}
    if isinstance(value, Sequence):
        return _table(value)
    raise TypeError(
        f"show(): cannot show a {type(value).__name__}; "
        "use a list of dicts, a dict, bytes, str, badge() or mermaid()"
    )


def _table(rows: Sequence[object]) -> Record:
    columns: list[str] = []
    body: list[list[Cell]] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            raise TypeError(f"show(): table row {number} is a {type(row).__name__}, not a dict")
        if number == 1:
            columns = [str(key) for key in row]
        by_name = {str(key): item for key, item in row.items()}
        body.append(
            [cell(by_name.get(column), f"row {number}, column {column!r}") for column in columns]
        )
    return {"kind": "table", "columns": columns, "rows": body}
