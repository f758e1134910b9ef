"""Helpers the tests share: where things are, building the site, finding Chromium."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bench.harness import (
    CHROMIUM_FLAGS,
    ROOT,
    SITE_PATH,
    VENV_BIN,
    BuildFailed,
    chromium_path,
)
from bench.harness import build_site as _build_site

__all__ = [
    "CHROMIUM_FLAGS",
    "ROOT",
    "SITE_PATH",
    "VENV_BIN",
    "build_site",
    "chromium_path",
    "load_hook",
]


def build_site(dest: Path, *, config: Path | None = None, site_url: str | None = None) -> None:
    """`mkdocs build --strict` into dest; fails the test with MkDocs' own words."""
    try:
        _build_site(dest, config=config, site_url=site_url)
    except BuildFailed as error:
        pytest.fail(str(error), pytrace=False)


def load_hook(name: str) -> ModuleType:
    """Load a hook file the way MkDocs does, so tests exercise the real hook."""
    path = ROOT / "hooks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"hook_{name}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module
