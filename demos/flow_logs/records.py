"""A flow log record: its fields by their AWS names, with typed values.

Integers for the numeric fields, strings for the rest, and None where the
record shows ``-`` ("If a field is not applicable or could not be computed
for a specific record, the record displays a '-' symbol for that entry",
https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
A field the format does not have is absent from the dict.
"""

from __future__ import annotations

Value = int | str | None
Record = dict[str, Value]


def status(record: Record) -> str:
    """``log-status``; a format without that field has only OK records."""
    value = record.get("log-status")
    return value if isinstance(value, str) else "OK"


def number(record: Record, name: str) -> int:
    """An integer field, 0 where it is ``-`` or absent."""
    value = record.get(name)
    return value if isinstance(value, int) else 0
