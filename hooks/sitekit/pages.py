"""How a page is named in error messages: its path from the repo root."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page


def page_source_name(page: Page, config: MkDocsConfig) -> str:
    """`docs/encryption/kms.md`, as an editor finds it in the repository."""
    docs = Path(config.docs_dir).resolve()
    root = Path(config.config_file_path or ".").resolve().parent
    prefix = docs.relative_to(root).as_posix() if docs.is_relative_to(root) else str(docs)
    return f"{prefix}/{page.file.src_uri}"
