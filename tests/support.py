"""Helpers the tests share: where things are, building the site, finding Chromium."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE_PATH = "/aws-security-notes/"
VENV_BIN = Path(sys.executable).parent

# Debian's Chromium as root in a sandbox without network (see DESIGN.md):
# without the background-networking flags it keeps dialling Google's hosts.
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def build_site(dest: Path, *, config: Path | None = None, site_url: str | None = None) -> None:
    """`mkdocs build --strict` into dest; fails the test with MkDocs' own words."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if site_url is not None:
        env["SITE_URL"] = site_url
    command = [str(VENV_BIN / "mkdocs"), "build", "--strict", "--quiet", "-d", str(dest)]
    if config is not None:
        command += ["-f", str(config)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build failed:\n{result.stdout}{result.stderr}", pytrace=False)


def chromium_path() -> str:
    """$CHROMIUM if set, else Debian's chromium; `make test` installs it."""
    named = os.environ.get("CHROMIUM")
    found = named or shutil.which("chromium")
    if not found:
        pytest.fail("no Chromium: set CHROMIUM or run `make test`, which installs Debian's")
    return found


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
