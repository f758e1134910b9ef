"""Adds the Content-Security-Policy meta tag to every page, 404 included."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page
from sitekit import with_csp


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return with_csp(output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    return with_csp(output_content) if template_name.endswith(".html") else output_content
