"""The sample snapshots shipped in ``data/`` (package data, also in the wheel)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

_SAMPLES = {
    "web-alb": "Public web tier behind an internet-facing ALB",
    "bastion": "A bastion host with SSH open to the internet",
    "peered": "Two peered VPCs (routes both ways) and one that is not",
    "vpn": "A VPC reached from on-premises through a virtual private gateway",
    "nacl-blocked": "SSH opened by a security group but denied by a network ACL",
}


def sample_names() -> dict[str, str]:
    """Sample name -> what it shows."""
    return dict(_SAMPLES)


def _read(name: str) -> Any:
    pkg = resources.files(__name__.rpartition(".")[0])
    return json.loads(pkg.joinpath(f"data/{name}").read_text("utf-8"))


def load_sample(name: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """``(snapshot, agents or None)`` for a sample name."""
    if name not in _SAMPLES:
        raise KeyError(f"no sample {name!r}; pick one of {', '.join(_SAMPLES)}")
    snapshot = _read(f"sample-{name}.json")
    pkg = resources.files(__name__.rpartition(".")[0])
    agents_file = pkg.joinpath(f"data/sample-{name}.agents.json")
    agents = json.loads(agents_file.read_text("utf-8")) if agents_file.is_file() else None
    return snapshot, agents
