"""Helpers the tests share: where things are, building the site, finding Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

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
