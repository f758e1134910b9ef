"""The demo packages pages may load, read from packages.toml (data, not code)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

_TABLE = Path(__file__).with_name("packages.toml")


@dataclass(frozen=True)
class DemoPackage:
    """A package under demos/ and the third-party wheels it needs in the browser."""

    name: str
    requires: tuple[str, ...]


def load_demo_packages(path: Path = _TABLE) -> dict[str, DemoPackage]:
    table = tomllib.loads(path.read_text(encoding="utf-8"))["packages"]
    return {
        name: DemoPackage(name, tuple(entry.get("requires", ()))) for name, entry in table.items()
    }
