"""Unit tests of the build checks: links and anchors, Mermaid, CSP, "Updated" boxes."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest
from sitekit import (
    Diagram,
    SiteError,
    check_diagrams,
    check_links,
    check_updated_boxes,
    find_links,
    find_updated_boxes,
    policy_for,
    with_csp,
)


def links_of(markdown: str) -> list:
    return list(find_links(markdown, "a/page.md", "docs/a/page.md"))


def test_links_carry_their_line_and_skip_code() -> None:
    text = "intro\n\n[one](b.md)\n\n```\n[not](x.md)\n```\n\n`[nor](y.md)` and ![img](../i.png)\n\n[ref]: c.md#top\n"
    found = [(link.where, link.target) for link in links_of(text)]
    assert found == [
        ("docs/a/page.md:3", "b.md"),
        ("docs/a/page.md:9", "../i.png"),
        ("docs/a/page.md:11", "c.md#top"),
    ]


PAGES = {"a/page.md": {"here"}, "a/b.md": {"kept"}, "index.md": set()}


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("\n[x](missing.md)\n", "docs/a/page.md:2: link 'missing.md': a/missing.md is not a page"),
        ("[x](b.md#gone)\n", "docs/a/page.md:1: link 'b.md#gone': no anchor #gone in a/b.md"),
        ("[x](#nowhere)\n", "docs/a/page.md:1: link '#nowhere': no anchor #nowhere in a/page.md"),
    ],
)
def test_broken_links_fail_with_file_and_line(markdown: str, message: str) -> None:
    with pytest.raises(SiteError) as caught:
        check_links(links_of(markdown), PAGES, set())
    assert str(caught.value).startswith(message)


def test_good_links_pass() -> None:
    text = "[a](b.md#kept) [b](#here) [c](../index.md) [d](https://aws.amazon.com/) [e](img.png)"
    check_links(links_of(text), PAGES, {"a/img.png"})


def test_mermaid_errors_point_into_the_page() -> None:
    good = Diagram("docs/x.md", 10, "flowchart LR\n  A --> B")
    bad = Diagram("docs/y.md", 20, "flowchart LR\n  A --> B\n  B -->")
    check_diagrams([good])
    with pytest.raises(SiteError) as caught:
        check_diagrams([good, bad])
    # Mermaid reports the diagram's line 3; the fence opens on line 20.
    assert str(caught.value).startswith("docs/y.md:23: Mermaid cannot parse")


def test_csp_allows_only_self_and_hashed_inline_scripts() -> None:
    body = "var a = 1;"
    html = (
        '<html><head><meta charset="utf-8"><title>t</title></head><body>'
        f"<script>{body}</script>"
        '<script type="application/json" id="__config">{"x": 1}</script>'
        '<script src="assets/x.js"></script></body></html>'
    )
    expected = "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
    policy = policy_for(html)
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].split() == ["'self'", "'wasm-unsafe-eval'", expected]
    assert directives["connect-src"] == "'self'"
    page = with_csp(html)
    assert page.index('http-equiv="Content-Security-Policy"') < page.index("<title>")
    assert page.index('<meta charset="utf-8">') < page.index("Content-Security-Policy")


UPDATED_BOXES = Path(__file__).with_name("fixtures") / "updated_boxes"


def test_updated_boxes_that_link_aws_docs_pass() -> None:
    source = (UPDATED_BOXES / "linked.md").read_text(encoding="utf-8")
    boxes = find_updated_boxes(source, "docs/x/linked.md")
    # The fenced example is not a box; the nested and collapsible ones are.
    assert [box.where for box in boxes] == [
        "docs/x/linked.md:5",
        "docs/x/linked.md:12",
        "docs/x/linked.md:16",
    ]
    check_updated_boxes(source, "docs/x/linked.md")


def test_updated_box_without_aws_docs_link_fails_with_file_and_line() -> None:
    source = (UPDATED_BOXES / "unlinked.md").read_text(encoding="utf-8")
    with pytest.raises(SiteError) as caught:
        check_updated_boxes(source, "docs/x/unlinked.md")
    assert str(caught.value).startswith(
        'docs/x/unlinked.md:7: the "Updated" box has no link to docs.aws.amazon.com'
    )


@pytest.mark.parametrize(
    "target",
    [
        "https://docs.aws.amazon.com.example.com/x",
        "https://example.com/docs.aws.amazon.com/x",
        "docs.aws.amazon.com/x",
    ],
)
def test_only_links_to_the_aws_docs_host_count(target: str) -> None:
    source = f'!!! info "Updated"\n\n    See [this]({target}).\n'
    with pytest.raises(SiteError):
        check_updated_boxes(source, "docs/x.md")


def test_every_page_of_the_site_passes_the_updated_box_check() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs"
    for page in sorted(docs.rglob("*.md")):
        if "includes" in page.relative_to(docs).parts:
            continue
        check_updated_boxes(page.read_text(encoding="utf-8"), f"docs/{page.relative_to(docs)}")


@pytest.mark.parametrize(
    "package",
    sorted(p.parent.name for p in (Path(__file__).parents[2] / "demos").glob("*/__init__.py")),
)
def test_a_demo_wheel_carries_every_file_of_its_package(package: str, tmp_path: Path) -> None:
    # The browser has only the wheel: a sample the page opens must be in it.
    import zipfile

    from sitekit.wheels import build_demo_wheel

    source = Path(__file__).parents[2] / "demos" / package
    wheel = build_demo_wheel(source, tmp_path)
    names = set(zipfile.ZipFile(wheel.path).namelist())
    wanted = {
        f"{package}/{path.relative_to(source).as_posix()}"
        for path in source.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    assert wanted - names == set()
