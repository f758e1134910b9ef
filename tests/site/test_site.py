"""The built site: strict build, navigation, and no third-party references."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from mkdocs.config import load_config
from support import ROOT

DOCS = ROOT / "docs"
# The eleven services of the notes, as their names appear in the navigation.
SERVICES = [
    "Certificate Manager", "CloudHSM", "Config", "GuardDuty", "Inspector", "KMS",
    "Parameter Store", "Secrets Manager", "VPC Flow Logs", "Shield", "WAF",
]  # fmt: skip


def nav_pages(items: Any) -> list[str]:
    pages: list[str] = []
    for item in items:
        if isinstance(item, str):
            pages.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                pages.extend(nav_pages(value) if isinstance(value, list) else [value])
    return pages


def test_every_nav_entry_exists_and_every_page_is_in_the_nav() -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    in_nav = [page for page in nav_pages(config.nav) if not re.match(r"https?://", page)]
    assert len(in_nav) == len(set(in_nav)), "a page is listed twice in the nav"
    for page in in_nav:
        assert (DOCS / page).is_file(), f"nav entry {page} has no file"
    on_disk = {
        path.relative_to(DOCS).as_posix()
        for path in DOCS.rglob("*.md")
        if "includes" not in path.relative_to(DOCS).parts
    }
    assert on_disk == set(in_nav)


def test_a_page_per_service_in_the_nav(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    nav = home.split('class="md-nav md-nav--primary"')[1].split('class="md-content"')[0]
    titles = re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', nav, re.S)
    for service in SERVICES:
        assert any(service in re.sub(r"<[^>]+>", "", title) for title in titles), service


class _References(HTMLParser):
    """Collects every URL a page would load (not links the reader may follow)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in {"script", "img", "iframe", "audio", "video", "source", "embed", "track"}:
            self.urls += [v for k, v in attrs if k in {"src", "srcset"} and v]
        if tag == "link" and values.get("rel") not in {None, "canonical", "alternate", "next", "prev"}:
            self.urls += [values["href"] or ""] if values.get("href") else []
        if tag == "object" and values.get("data"):
            self.urls.append(values["data"] or "")
        style = values.get("style") or ""
        self.urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", style)


def is_external(url: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.I)) and not url.startswith("data:")


def test_no_page_references_anything_outside_the_site(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > len(SERVICES)
    for page in pages:
        parser = _References()
        parser.feed(page.read_text(encoding="utf-8"))
        external = [url for url in parser.urls if is_external(url)]
        assert not external, f"{page.relative_to(built_site)} loads {external}"


def test_no_stylesheet_references_anything_outside_the_site(built_site: Path) -> None:
    for sheet in built_site.rglob("*.css"):
        text = sheet.read_text(encoding="utf-8")
        external = [u for u in re.findall(r"url\(\s*['\"]?([^'\")]+)", text) if is_external(u)]
        imports = re.findall(r"@import\s+(?:url\()?['\"]?(https?:[^'\")]+)", text)
        assert not external + imports, f"{sheet.relative_to(built_site)} loads {external + imports}"


def test_every_page_carries_the_csp(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        match = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', head)
        assert match, f"{page.relative_to(built_site)} has no CSP"
        assert "default-src 'self'" in match[1]
        assert "unsafe-inline" not in match[1].split("script-src")[1].split(";")[0]


def test_fonts_are_not_loaded_from_google(built_site: Path) -> None:
    text = (built_site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in text
    assert "fonts.gstatic.com" not in text


def test_every_page_has_exactly_one_title(built_site: Path) -> None:
    # Python-Markdown reads a line that starts with "#" as a heading even
    # without a space after it ("#4703)..." in a wrapped paragraph).
    for html in sorted(built_site.rglob("index.html")):
        article = html.read_text(encoding="utf-8").split('<article class="md-content__inner', 1)
        if len(article) < 2:
            continue
        count = article[1].split("</article>", 1)[0].count("<h1")
        assert count == 1, f"{html.relative_to(built_site)}: {count} <h1>"


def test_the_runtime_config_names_the_sha256_of_every_pyodide_core_file(
    built_site: Path,
) -> None:
    import hashlib
    import json

    from support import ROOT

    config = json.loads((built_site / "assets/demos/runtime-config.json").read_text())
    pyodide = config["pyodide"]
    assert set(pyodide["sha256"]) == set(pyodide["files"]) != set()
    npm = ROOT / "node_modules" / "pyodide"
    for name, digest in pyodide["sha256"].items():
        data = (npm / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, name
        assert len(data) == pyodide["files"][name], name
