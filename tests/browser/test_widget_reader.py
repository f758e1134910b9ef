"""The widget as a reader meets it (issue: "The reader's view"): no jump when
the editor loads, an editor as tall as its code, no keystroke lost, Reset
that resets, edits that are marked and never lost to a share link, errors
that look like errors, and a file picker that runs the demo."""

from __future__ import annotations

import base64
import zlib
from pathlib import Path
from typing import Any

import pytest
from widget_driver import COLD_MS, editor_text, open_demo, run, set_code, settle

pytestmark = pytest.mark.browser

PAGE = "encryption/envelope-encryption/"
FILE_PAGE = "detection/network-reachability/"


def share_payload(code: str) -> str:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = packer.compress(code.encode()) + packer.flush()
    return "z" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_widget_does_not_move_when_the_editor_loads(
    browser: Any, site_server: Any, width: int, scheme: str
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(site_server.url + PAGE)
        settle(page)
        root = page.locator("[data-demo]").first
        root.locator("[data-demo-run]").wait_for()
        before = root.bounding_box()
        code_bg = root.locator("[data-demo-source] > code").evaluate(
            "el => getComputedStyle(el).backgroundColor"
        )
        root.hover()
        root.locator("[data-demo-editor]").wait_for()
        page.wait_for_timeout(200)
        after = root.bounding_box()
        assert before is not None
        assert after is not None
        assert abs(after["height"] - before["height"]) <= 4
        editor_bg = root.locator(".cm-editor").evaluate(
            "el => getComputedStyle(el).backgroundColor"
        )
        assert editor_bg == code_bg
    finally:
        context.close()


def test_the_editor_follows_the_length_of_the_code(page: Any, site_server: Any) -> None:
    root = open_demo(page, site_server.url + PAGE)
    set_code(page, root, "\n".join(f"x{i} = {i}" for i in range(20)))
    tall = root.locator(".cm-editor").bounding_box()
    set_code(page, root, "print(1)")
    short = root.locator(".cm-editor").bounding_box()
    assert tall is not None
    assert short is not None
    assert short["height"] < tall["height"] / 3


def test_keys_typed_before_the_editor_loads_are_kept(page: Any, site_server: Any) -> None:
    page.goto(site_server.url + PAGE)
    settle(page)
    root = page.locator("[data-demo]").first
    source = root.locator("[data-demo-source]")
    source.focus()
    page.keyboard.type("hello world")
    root.locator("[data-demo-editor]").wait_for()
    page.wait_for_timeout(200)
    assert editor_text(root).startswith("hello world")


def test_reset_clears_the_output_too(page: Any, site_server: Any) -> None:
    root = open_demo(page, site_server.url + PAGE)
    set_code(page, root, "print('old output')")
    assert run(page, root) == "done"
    root.locator("[data-demo-reset]").click()
    assert root.locator("[data-demo-output]").inner_text() == ""
    assert root.get_attribute("data-demo-state") == "idle"


def test_the_widget_shows_when_it_holds_edits(page: Any, site_server: Any) -> None:
    root = open_demo(page, site_server.url + PAGE)
    assert root.get_attribute("data-demo-edited") is None
    set_code(page, root, "print('mine')")
    assert root.get_attribute("data-demo-edited") == ""
    assert root.locator(".demo__edited").is_visible()
    page.wait_for_timeout(600)  # saved after a short pause
    root = open_demo(page, site_server.url + PAGE)
    assert root.get_attribute("data-demo-edited") == ""
    root.locator("[data-demo-reset]").click()
    assert root.get_attribute("data-demo-edited") is None
    assert not root.locator(".demo__edited").is_visible()


def test_a_share_link_keeps_the_readers_edits_one_click_away(page: Any, site_server: Any) -> None:
    root = open_demo(page, site_server.url + PAGE)
    demo_id = root.get_attribute("data-demo-id")
    set_code(page, root, "print('my own work')")
    page.wait_for_timeout(600)
    page.goto(f"{site_server.url}{PAGE}#demo-{demo_id}={share_payload('print(1 + 1)')}")
    root = page.locator("[data-demo]").first
    root.hover()
    root.locator("[data-demo-editor]").wait_for()
    page.wait_for_function(
        "el => el.querySelector('.cm-content').textContent.includes('1 + 1')",
        arg=root.element_handle(),
    )
    assert root.locator("[data-demo-share-conflict]").is_visible()
    root.locator("[data-demo-restore-edits]").click()
    assert editor_text(root) == "print('my own work')"
    assert root.locator("[data-demo-share-conflict]").count() == 0


def test_errors_look_like_errors_and_mark_the_line(page: Any, site_server: Any) -> None:
    root = open_demo(page, site_server.url + PAGE)
    set_code(page, root, "x = 1\ndef f():\n    return x / 0\nf()")
    assert run(page, root) == "error"
    error = root.locator("[data-demo-error]")
    assert "ZeroDivisionError" in error.inner_text()
    plain = root.evaluate("el => getComputedStyle(el.querySelector('[data-demo-output]')).color")
    assert error.evaluate("el => getComputedStyle(el).color") != plain
    marked = root.locator("[data-demo-error-line]")
    assert marked.count() == 1
    assert marked.inner_text().strip() == "return x / 0"
    set_code(page, root, "print('fixed')")
    assert run(page, root) == "done"
    assert root.locator("[data-demo-error-line]").count() == 0


def pick(page: Any, url: str, picker: str, file: Path) -> Any:
    """Pick `file` in the reachability page's file demo; the run it starts ends."""
    page.goto(url)
    settle(page)
    root = page.locator(f"[data-demo]:has({picker})").first
    chooser = root.locator(picker)
    assert chooser.is_visible()
    assert chooser.get_attribute("accept") == ".json"
    chooser.set_input_files(str(file))
    page.wait_for_function(
        "el => ['done', 'error'].includes(el.dataset.demoState)",
        arg=root.element_handle(),
        timeout=COLD_MS,
    )
    return root


def test_picking_a_file_runs_the_demo(page: Any, site_server: Any, tmp_path: Path) -> None:
    not_a_snapshot = tmp_path / "notes.json"
    not_a_snapshot.write_text('{"hello": 1}')
    root = pick(page, site_server.url + FILE_PAGE, "[data-demo-file]", not_a_snapshot)
    assert "hello" in root.locator("[data-demo-output]").inner_text()


def test_an_agents_file_can_be_given_beside_the_snapshot(
    page: Any, site_server: Any, tmp_path: Path
) -> None:
    broken = tmp_path / "agents.json"
    broken.write_text("{not json")
    root = pick(page, site_server.url + FILE_PAGE, "[data-demo-extra-file]", broken)
    # Where the JSON breaks: line 1, column 2 (a key must be a quoted string).
    assert "agents.json:1:2: invalid JSON" in root.locator("[data-demo-output]").inner_text()
