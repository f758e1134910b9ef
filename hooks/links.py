"""Broken links and anchors fail the build with file:line.

- on_pre_build: forgets the previous build (mkdocs serve rebuilds).
- on_page_markdown: collects the page's links with their lines.
- on_page_content: collects the ids the page's HTML defines.
- on_env: all pages are rendered and none is written yet: checks every link.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from sitekit import Link, anchors_in, check_links, find_links, page_source_name

_links: list[Link] = []
_anchors: dict[str, set[str]] = {}


def on_pre_build(config: MkDocsConfig) -> None:
    _links.clear()
    _anchors.clear()


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    _links.extend(find_links(markdown, page.file.src_uri, page_source_name(page, config)))
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    _anchors[page.file.src_uri] = anchors_in(html)
    return html


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    others = {f.src_uri for f in files if not f.is_documentation_page()}
    check_links(_links, _anchors, others)
    return env
