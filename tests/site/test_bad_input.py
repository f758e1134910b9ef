"""An editor's mistakes fail the build with file:line and a one-line reason."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from bench.workspace import make_workspace
from support import VENV_BIN



@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return make_workspace(tmp_path)


def build_fails(workspace: Path) -> str:
    result = subprocess.run(
        [str(VENV_BIN / "mkdocs"), "build", "--strict", "-q", "-d", str(workspace / "site")],
        cwd=workspace,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0, "the build should have failed"
    assert "Traceback" not in result.stderr
    return result.stderr


def append_to_page(workspace: Path, text: str) -> tuple[str, int]:
    page = workspace / "docs" / "index.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    page.write_text("\n".join([*lines, "", text]) + "\n", encoding="utf-8")
    return "docs/index.md", len(lines) + 2


def test_broken_link(workspace: Path) -> None:
    where, line = append_to_page(workspace, "See [the nowhere page](nowhere.md).")
    assert f"{where}:{line}: link 'nowhere.md'" in build_fails(workspace)


def test_broken_anchor(workspace: Path) -> None:
    target = next(p for p in sorted((workspace / "docs").rglob("*.md")) if p.name != "index.md")
    relative = target.relative_to(workspace / "docs").as_posix()
    where, line = append_to_page(workspace, f"See [it]({relative}#no-such-heading).")
    assert f"{where}:{line}: link '{relative}#no-such-heading': no anchor" in build_fails(workspace)


def test_broken_mermaid_fence(workspace: Path) -> None:
    where, line = append_to_page(workspace, "```mermaid\nflowchart LR\n  A --> B\n  B -->\n```")
    assert f"{where}:{line + 3}: Mermaid cannot parse" in build_fails(workspace)


def test_unknown_demo_option(workspace: Path) -> None:
    where, line = append_to_page(workspace, '```demo title="t" speed="fast"\nprint(1)\n```')
    assert f"{where}:{line}: unknown demo option 'speed'" in build_fails(workspace)


def test_demo_that_does_not_compile(workspace: Path) -> None:
    where, line = append_to_page(workspace, '```demo title="t"\nprint(1\n```')
    assert f"{where}:{line + 1}: the demo does not compile" in build_fails(workspace)
