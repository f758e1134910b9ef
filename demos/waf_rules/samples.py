"""The sample web ACLs and logs shipped in ``data/`` (package data, also in the wheel)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

_SAMPLES = {
    "shop": "A small shop's web ACL: an IP block list, a login rate limit, SQLi and XSS checks",
}


def sample_names() -> dict[str, str]:
    """Sample name -> what it shows."""
    return dict(_SAMPLES)


def _text(name: str) -> str:
    pkg = resources.files(__name__.rpartition(".")[0])
    return pkg.joinpath(f"data/{name}").read_text("utf-8")


def load_sample(name: str) -> tuple[dict[str, Any], list[dict[str, Any]], str]:
    """``(get-web-acl output, resources, log text)`` for a sample name."""
    if name not in _SAMPLES:
        raise KeyError(f"no sample {name!r}; pick one of {', '.join(_SAMPLES)}")
    acl = json.loads(_text(f"{name}.webacl.json"))
    res = json.loads(_text(f"{name}.resources.json"))
    return acl, res, _text(f"{name}.log.jsonl")
