"""Bytes to a JSON value, with every way of failing turned into a WafInputError
that names the file and, where the parser can say, the line and column."""

from __future__ import annotations

import json
from typing import Any

from .errors import WafInputError


def decode_text(raw: bytes, name: str) -> str:
    """`raw` as UTF-8 text (a byte-order mark is dropped)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WafInputError(name, f"not UTF-8 text (byte {exc.start})") from None


def loads(text: str, where: str, line_offset: int = 0) -> Any:
    """``json.loads(text)``; errors name ``where:line:col`` (lines shifted by `line_offset`)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise WafInputError(
            f"{where}:{exc.lineno + line_offset}:{exc.colno}", f"invalid JSON: {exc.msg}"
        ) from None
    except RecursionError:
        raise WafInputError(where, "invalid JSON: nested too deeply") from None
    except ValueError as exc:  # an integer past Python's int-to-string limit
        raise WafInputError(where, f"invalid JSON: {exc}") from None


def read_json(raw: bytes, name: str) -> Any:
    """The JSON value in `raw`, a file called `name`."""
    return loads(decode_text(raw, name), name)
