"""The request as this engine sees it: the parts of a WAF log record's
``httpRequest`` that rules inspect (see
https://docs.aws.amazon.com/waf/latest/developerguide/logging-fields.html)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Request:
    """One web request. `headers` keeps the order and case of the log.

    `body` is this project's extension: WAF logs never hold a body, so a
    record may carry a top-level ``"body"`` string beside ``httpRequest`` to
    try body rules. None means the record had none (inspected as empty).
    """

    client_ip: str
    country: str | None
    headers: tuple[tuple[str, str], ...]
    uri: str
    args: str
    method: str
    http_version: str
    timestamp: int | None = None
    body: str | None = None

    def header_values(self, name: str) -> list[str]:
        """Values of the headers called `name`, case-insensitively, in order."""
        wanted = name.lower()
        return [v for k, v in self.headers if k.lower() == wanted]
