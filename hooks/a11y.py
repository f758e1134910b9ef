"""Names Material's search dialog for assistive technology (axe-core's
aria-dialog-name): its partial renders `role="dialog"` with no name.

- on_post_page: adds `aria-label` to that one element, on every page.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

_SEARCH = '<div class="md-search" data-md-component="search" role="dialog">'
_NAMED = '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return output.replace(_SEARCH, _NAMED, 1)
