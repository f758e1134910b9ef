"""Mermaid diagrams fail the build, with file:line, when Mermaid can't parse them.

- on_pre_build: forgets the previous build's diagrams (mkdocs serve rebuilds).
- on_page_markdown: collects every ```mermaid fence of the page.
- on_env: runs after all pages are read and before any is written: checks them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from sitekit import Diagram, check_diagrams, find_diagrams, page_source_name

_CACHE = Path(__file__).resolve().parent.parent / ".cache" / "mermaid-parsed.json"
_diagrams: list[Diagram] = []


def on_pre_build(config: MkDocsConfig) -> None:
    _diagrams.clear()


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    _diagrams.extend(find_diagrams(markdown, page_source_name(page, config)))
    return markdown


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    check_diagrams(_diagrams, _CACHE)
    return env
