"""`show()`: the one entry point that displays a value."""

from __future__ import annotations

from ._records import to_record
from ._sink import emit


def show(value: object, *, title: str | None = None) -> None:
    """Display `value`: a table, a key/value panel, bytes, text, a badge or a diagram.

    On CPython this prints plain text; in the browser the value travels as data
    and the page draws it.
    """
    emit(to_record(value, title))
