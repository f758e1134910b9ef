"""Link and anchor checks that name file:line.

MkDocs 1.6 validates links and anchors too, but its warnings name only the
file. Editors get the line from here, before MkDocs' own summary.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .errors import SiteError

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_INLINE_LINK = re.compile(
    r"!?\[(?:[^\]\\]|\\.)*\]"  # [text] or ![alt]
    r"\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+[\"'][^)]*[\"'])?\s*\)"  # (target "title")
)
_REFERENCE = re.compile(r"^[ \t]{0,3}\[[^\]]+\]:\s*<?(?P<target>\S+?)>?(?:\s|$)")
_ID = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")


@dataclass(frozen=True)
class Link:
    source: str  # docs-relative path of the page, e.g. encryption/kms.md
    where: str  # repo path and line, e.g. docs/encryption/kms.md:12
    target: str


def find_links(markdown: str, source: str, where_prefix: str) -> Iterator[Link]:
    """Every Markdown link of a page, outside code, with its line."""
    fence: str | None = None
    for number, line in enumerate(markdown.splitlines(), start=1):
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
        if fence is not None:
            continue
        text = _INLINE_CODE.sub("", line)
        matches = [*_INLINE_LINK.finditer(text), *_REFERENCE.finditer(text)]
        for match in matches:
            yield Link(source, f"{where_prefix}:{number}", match["target"])


def anchors_in(html: str) -> set[str]:
    return set(_ID.findall(html))


def check_links(links: list[Link], pages: Mapping[str, set[str]], other_files: set[str]) -> None:
    """Raises SiteError at the first link to a missing page, file or anchor.

    pages maps every Markdown page (docs-relative) to the ids its HTML has.
    """
    for link in links:
        parts = urlsplit(link.target)
        if parts.scheme or parts.netloc or link.target.startswith("/"):
            continue
        path = unquote(parts.path)
        target = link.source
        if path:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(link.source), path))
        if target.endswith("/"):
            target += "index.md"
        if target in pages:
            if parts.fragment and parts.fragment not in pages[target]:
                missing = f"no anchor #{parts.fragment} in {target}"
                raise SiteError(link.where, f"link {link.target!r}: {missing}")
            continue
        if target in other_files:
            continue
        problem = f"{target} is not a page or file of the docs"
        raise SiteError(link.where, f"link {link.target!r}: {problem}")
