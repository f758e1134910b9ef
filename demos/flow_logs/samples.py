"""The sample logs shipped in ``data/`` (package data, also in the wheel).

Written by ``scripts/flow_samples.py`` from the reachability page's sample
network; the pages and the golden tests share them.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

_SAMPLES = {
    "shop.log.gz": "S3 file, gzip, custom format (version 5 fields) with its header line",
    "shop-cloudwatch.json": "the same records, default format, as aws logs filter-log-events",
}


def sample_names() -> dict[str, str]:
    """Sample file name -> what it is."""
    return dict(_SAMPLES)


def _data(name: str) -> bytes:
    return resources.files(__name__.rpartition(".")[0]).joinpath(f"data/{name}").read_bytes()


def sample_bytes(name: str = "shop.log.gz") -> bytes:
    """A sample log file's bytes, as the reader takes them."""
    if name not in _SAMPLES:
        raise KeyError(f"no sample {name!r}; pick one of {', '.join(_SAMPLES)}")
    return _data(name)


def sample_findings() -> dict[str, Any]:
    """``inspector_reachability analyze --format json`` of the same network."""
    found: dict[str, Any] = json.loads(_data("shop-findings.json"))
    return found
