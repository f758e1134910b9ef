"""Every "Updated" box names its source: a link to docs.aws.amazon.com.

An `!!! info "Updated"` admonition (or a collapsible `??? info "Updated"`,
`???+ info "Updated"`) corrects the notes with what AWS says now, so it must
link the AWS documentation page that says it. Checked on the raw Markdown,
where line numbers are known; boxes inside code fences are examples, not boxes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import SiteError

DOCS_HOST = "docs.aws.amazon.com"

# `!!! info "Updated"`, `??? info "Updated"`, `???+ info inline "Updated"`.
_HEADER = re.compile(
    r"""^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*[ \t]+"Updated"[ \t]*$"""
)
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_INLINE_LINK = re.compile(r"\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
_AUTOLINK = re.compile(r"<(?P<target>https?://[^>\s]+)>")
_REFERENCE_USE = re.compile(r"\[(?P<text>(?:[^\]\\]|\\.)+)\](?:\[(?P<ref>[^\]]*)\])?(?!\()")
_REFERENCE_DEF = re.compile(r"^[ \t]{0,3}\[(?P<ref>[^\]]+)\]:\s*<?(?P<target>\S+?)>?(?:\s|$)")


@dataclass(frozen=True)
class UpdatedBox:
    where: str  # repo path and line of the box's header, e.g. docs/network/waf.md:21
    body: list[str]  # the box's lines, header excluded, code fences excluded


def _width(indent: str) -> int:
    return len(indent.expandtabs(4))


def _outside_fences(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(line number, line) of every line that is not inside a code fence."""
    fence: str | None = None
    for number, line in enumerate(lines, start=1):
        opening = _FENCE.match(line)
        if opening:
            marker = opening[1]
            if fence is None:
                fence = marker
                continue
            closes = marker[0] == fence[0] and len(marker) >= len(fence)
            if closes and not line.strip()[len(marker) :].strip():
                fence = None
                continue
        if fence is None:
            yield number, line


def find_updated_boxes(markdown: str, where_prefix: str) -> list[UpdatedBox]:
    """Every "Updated" admonition of a page, with the line of its header."""
    lines = markdown.splitlines()
    kept = dict(_outside_fences(lines))
    boxes: list[UpdatedBox] = []
    for number, line in kept.items():
        header = _HEADER.match(line)
        if header is None:
            continue
        body_indent = _width(header["indent"]) + 4
        body: list[str] = []
        for index in range(number, len(lines)):  # lines[number] is the next line
            text = lines[index]
            if text.strip() and _width(text[: len(text) - len(text.lstrip())]) < body_indent:
                break
            if index + 1 in kept:
                body.append(text)
        boxes.append(UpdatedBox(f"{where_prefix}:{number}", body))
    return boxes


def _is_docs_link(target: str) -> bool:
    parts = urlsplit(target)
    return parts.scheme in ("http", "https") and parts.hostname == DOCS_HOST


def reference_targets(markdown: str) -> dict[str, str]:
    """The page's `[ref]: target` definitions, outside code, by lower-case name."""
    found: dict[str, str] = {}
    for _, line in _outside_fences(markdown.splitlines()):
        match = _REFERENCE_DEF.match(line)
        if match:
            found.setdefault(match["ref"].strip().lower(), match["target"])
    return found


def links_to_docs(box: UpdatedBox, references: dict[str, str]) -> bool:
    for line in box.body:
        text = _INLINE_CODE.sub("", line)
        targets = [m["target"] for m in (*_INLINE_LINK.finditer(text), *_AUTOLINK.finditer(text))]
        for use in _REFERENCE_USE.finditer(text):
            name = (use["ref"] or use["text"]).strip().lower()
            if name in references:
                targets.append(references[name])
        if any(_is_docs_link(target) for target in targets):
            return True
    return False


def check_updated_boxes(markdown: str, where_prefix: str) -> None:
    """Raises SiteError at the first "Updated" box with no link to docs.aws.amazon.com."""
    references = reference_targets(markdown)
    for box in find_updated_boxes(markdown, where_prefix):
        if not links_to_docs(box, references):
            raise SiteError(
                box.where,
                f'the "Updated" box has no link to {DOCS_HOST}: '
                "link the AWS documentation page that says what AWS says now",
            )
