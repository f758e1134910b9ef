"""Every "Updated" box links the AWS documentation page that says what AWS says now.

- on_page_markdown: checks the page's `!!! info "Updated"` boxes (and their
  collapsible `???` forms); one without a link to docs.aws.amazon.com fails
  the build with file:line of the box.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from sitekit import check_updated_boxes, page_source_name


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    check_updated_boxes(markdown, page_source_name(page, config))
    return markdown
