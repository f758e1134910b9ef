"""Reading a snapshot or agents file: every way the bytes can fail to be JSON
becomes one SnapshotError that names the file, and the line and column where
the JSON parser can say so.

The ways: not UTF-8; a syntax error; an integer longer than Python's
int-to-string limit (``sys.get_int_max_str_digits()``, 4,300 digits by
default: json.loads raises a plain ValueError with no position); nesting
deeper than the recursion limit.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from .errors import SnapshotError

# Strings are matched whole, so that digits inside one are not taken for a number.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|\d+')


def read_json(raw: bytes, name: str) -> Any:
    """The JSON value in `raw`, a file called `name` (for the error's location)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SnapshotError(name, f"not UTF-8 text (byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"{name}:{exc.lineno}:{exc.colno}"
        raise SnapshotError(where, f"invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise SnapshotError(name, "invalid JSON: nested too deeply") from None
    except ValueError as exc:
        number = _long_number(text)
        if number is None:  # a ValueError this module does not know of
            raise SnapshotError(name, f"invalid JSON: {exc}") from None
        line, column, digits = number
        limit = sys.get_int_max_str_digits()
        raise SnapshotError(
            f"{name}:{line}:{column}",
            f"a number of {digits:,} digits (Python reads at most {limit:,})",
        ) from None


def _long_number(text: str) -> tuple[int, int, int] | None:
    """Line, column (both from 1) and length of the first integer past the limit."""
    limit = sys.get_int_max_str_digits()
    if limit == 0:
        return None
    for token in _TOKENS.finditer(text):
        if token[0][0] != '"' and len(token[0]) > limit:
            start = token.start()
            line = text.count("\n", 0, start) + 1
            column = start - (text.rfind("\n", 0, start) + 1) + 1
            return line, column, len(token[0])
    return None
