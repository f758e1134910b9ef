"""AWS WAF log records in, `Request` values out.

Accepted, as WAF delivers them or as a reader writes them by hand:
- one JSON object per line (CloudWatch Logs, S3 and Firehose deliveries; a
  line holding several objects back to back is read too);
- a JSON array of records;
- ``{"events": [{"message": "<record as JSON text>"}, ...]}``, the shape of
  ``aws logs filter-log-events`` output;
- a whole log record, or a bare ``httpRequest`` object (``clientIp``,
  ``uri``, ...), with an optional ``timestamp`` beside it.
Record fields: https://docs.aws.amazon.com/waf/latest/developerguide/logging-fields.html

A record may carry a top-level ``"body"`` string beside ``httpRequest``.
WAF logs never hold the body: this is this project's extension, for trying
body rules.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from typing import Any

from .errors import WafInputError
from .jsonfile import decode_text, loads
from .model import Request

_DECODER = json.JSONDecoder()


def parse_record(record: Any, where: str) -> Request:
    """One log record (or bare ``httpRequest``) as a Request; errors name `where`."""
    if not isinstance(record, dict):
        raise WafInputError(
            where, f"expected a WAF log record (a JSON object), not {_kind(record)}"
        )
    if "httpRequest" in record:
        http = record["httpRequest"]
        prefix = "httpRequest."
        if not isinstance(http, dict):
            raise WafInputError(f"{where}: httpRequest", f"expected an object, not {_kind(http)}")
    elif "clientIp" in record or "uri" in record:
        http = record
        prefix = ""
    else:
        raise WafInputError(where, "a WAF log record needs an httpRequest object")
    timestamp = record.get("timestamp")
    if timestamp is not None and (type(timestamp) is not int or timestamp < 0):
        raise WafInputError(
            f"{where}: timestamp", f"expected milliseconds (an integer), not {timestamp!r}"
        )
    body = record.get("body")
    if body is not None and not isinstance(body, str):
        raise WafInputError(f"{where}: body", f"expected a string, not {_kind(body)}")
    return Request(
        client_ip=_string(http, "clientIp", where, prefix, required=True),
        country=_string(http, "country", where, prefix, required=False) or None,
        headers=_headers(http.get("headers", []), where, prefix),
        uri=_string(http, "uri", where, prefix, required=False) or "/",
        args=_string(http, "args", where, prefix, required=False),
        method=_string(http, "httpMethod", where, prefix, required=False) or "GET",
        http_version=_string(http, "httpVersion", where, prefix, required=False),
        timestamp=timestamp,
        body=body,
    )


def _string(obj: dict[str, Any], key: str, where: str, prefix: str, *, required: bool) -> str:
    value = obj.get(key)
    if value is None:
        if required:
            raise WafInputError(f"{where}: {prefix}{key}", "missing")
        return ""
    if not isinstance(value, str):
        raise WafInputError(f"{where}: {prefix}{key}", f"expected a string, not {_kind(value)}")
    return value


def _headers(value: Any, where: str, prefix: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list):
        raise WafInputError(f"{where}: {prefix}headers", f"expected a list, not {_kind(value)}")
    out = []
    for i, h in enumerate(value):
        path = f"{where}: {prefix}headers[{i}]"
        if not isinstance(h, dict):
            raise WafInputError(path, 'expected {"name": ..., "value": ...}')
        name, val = h.get("name"), h.get("value", "")
        if not isinstance(name, str) or not isinstance(val, str):
            raise WafInputError(path, "name and value must be strings")
        out.append((name, val))
    return tuple(out)


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "null" if value is None else "a number"
    )


def read_requests(raw: bytes, name: str) -> list[Request]:
    """Every request in a log file's bytes (gzip is undone), in file order."""
    return list(iter_requests(raw, name))


def iter_requests(raw: bytes, name: str) -> Iterator[Request]:
    """The requests of a log file one by one (for progress on large logs)."""
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise WafInputError(name, f"not a readable gzip file ({exc})") from None
    text = decode_text(raw, name)
    stripped = text.lstrip()
    if not stripped:
        return
    if stripped[0] == "[" or _is_one_document(text):
        yield from _from_document(loads(text, name), name)
        return
    for lineno, line in enumerate(text.splitlines(), 1):
        pos, end = 0, len(line)
        while True:
            while pos < end and line[pos] in " \t\r":
                pos += 1
            if pos >= end:
                break
            try:
                record, pos = _DECODER.raw_decode(line, pos)
            except json.JSONDecodeError as exc:
                raise WafInputError(
                    f"{name}:{lineno}", f"invalid JSON: {exc.msg} (column {exc.colno})"
                ) from None
            except RecursionError:
                raise WafInputError(f"{name}:{lineno}", "invalid JSON: nested too deeply") from None
            yield parse_record(record, f"{name}:{lineno}")


def _is_one_document(text: str) -> bool:
    """A single JSON object (maybe spread over several lines, written by hand)."""
    if text.lstrip()[0] != "{":
        return False
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _from_document(doc: Any, name: str) -> Iterator[Request]:
    if isinstance(doc, dict) and isinstance(doc.get("events"), list):
        for i, event in enumerate(doc["events"]):
            where = f"{name}: events[{i}].message"
            message = event.get("message") if isinstance(event, dict) else None
            if not isinstance(message, str):
                raise WafInputError(where, "expected the log record as a JSON string")
            yield parse_record(loads(message, where), where)
    elif isinstance(doc, list):
        for i, record in enumerate(doc):
            yield parse_record(record, f"{name}: [{i}]")
    else:
        yield parse_record(doc, name)
