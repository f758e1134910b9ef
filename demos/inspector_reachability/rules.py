"""The recognized-ports table (data/recognized_ports.json) as lookups.

The table is Inspector Classic's published list; the engine only asks
"which service is this port, and how severe is it".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, cast

Severity = Literal["High", "Medium", "Low", "Informational"]


@dataclass(frozen=True, slots=True)
class RecognizedPorts:
    source: str
    # (protocol, port) -> (service, severity); the first service listed wins
    # where the table names a port twice (111 is both NFS and RPC).
    by_port: dict[tuple[str, int], tuple[str, Severity]]
    unrecognized_severity: Severity
    exposure_severity: Severity

    def ports(self, protocol: str) -> list[int]:
        return sorted(p for proto, p in self.by_port if proto == protocol)


@cache
def recognized_ports() -> RecognizedPorts:
    text = (
        resources.files(__name__.rpartition(".")[0])
        .joinpath("data/recognized_ports.json")
        .read_text("utf-8")
    )
    raw = json.loads(text)
    by_port: dict[tuple[str, int], tuple[str, Severity]] = {}
    for row in raw["services"]:
        for proto in ("tcp", "udp"):
            for port in row[proto]:
                by_port.setdefault((proto, int(port)), (row["service"], row["severity"]))
    sev = raw["findingSeverity"]
    return RecognizedPorts(
        raw["source"],
        by_port,
        cast(Severity, sev["UnrecognizedPortWithListener"]),
        cast(Severity, sev["NetworkExposure"]),
    )
