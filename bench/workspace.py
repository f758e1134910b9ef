"""A throwaway copy of the project for building variants of the site: docs/
and mkdocs.yml are copied (so they can be changed), the rest is linked."""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.harness import ROOT

LINKED = ["hooks", "overrides", "demos", "runtime", "node_modules", ".cache"]


def make_workspace(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name in LINKED:
        (directory / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "docs", directory / "docs")
    shutil.copyfile(ROOT / "mkdocs.yml", directory / "mkdocs.yml")
    return directory


def add_pages(workspace: Path, pages: dict[str, str]) -> None:
    """Add Markdown pages and list them at the end of the nav."""
    config = workspace / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").rstrip("\n") + "\n"
    for name, markdown in pages.items():
        (workspace / "docs" / name).write_text(markdown, encoding="utf-8")
        text += f"  - {name}\n"
    config.write_text(text, encoding="utf-8")
