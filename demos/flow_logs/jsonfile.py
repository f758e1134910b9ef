"""JSON text to a value, with a one-line ``FlowLogError`` that names where
it breaks (``file:line:col``) instead of a traceback."""

from __future__ import annotations

import json
from typing import Any

from .errors import FlowLogError


def parse_json(data: bytes, source: str) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FlowLogError(source, "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise FlowLogError(
            f"{source}:{exc.lineno}:{exc.colno}", f"not valid JSON ({exc.msg})"
        ) from None
    except RecursionError:
        raise FlowLogError(source, "JSON nested too deeply") from None
