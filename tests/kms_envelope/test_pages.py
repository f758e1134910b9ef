"""The demos on the two KMS pages run in CPython, deterministically, on every backend.

The browser tests compare Chromium's output with CPython's; here each demo
is also run with the pure-Python backend (what a browser without JSPI uses)
and must show exactly the same thing.
"""

import asyncio
import re
from pathlib import Path

import pytest
from kms_envelope import crypto
from livedemo import capture, run_demo
from sitekit.fence import check_page, find_fences

ROOT = Path(__file__).resolve().parents[2]
HANDS_ON = ROOT / "docs/encryption/envelope-encryption.md"
KMS_PAGE = ROOT / "docs/encryption/kms.md"
PACKAGES = frozenset({"livedemo", "kms_envelope", "inspector_reachability"})


def demos(path: Path, section: str | None = None):
    text = path.read_text(encoding="utf-8")
    if section is not None:
        match = re.search(rf"^## {section}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
        assert match, f"{path.name} has no '## {section}' section"
        text = match.group(1)
    return check_page(
        text, path.name, known_packages=PACKAGES, examples_dir=ROOT / "demos/examples"
    )


def transcript(code: str, backend: str):
    crypto.select_backend(backend)
    try:
        with capture() as events:
            outcome = asyncio.run(run_demo(code))
    finally:
        crypto.select_backend(None)
    return outcome, events


HANDS_ON_DEMOS = demos(HANDS_ON)
KMS_DEMOS = demos(KMS_PAGE, "Hands on")
ALL = [(d.title, d) for d in HANDS_ON_DEMOS] + [(f"kms.md: {d.title}", d) for d in KMS_DEMOS]


@pytest.mark.parametrize("demo", [d for _, d in ALL], ids=[t for t, _ in ALL])
def test_demo_runs_same_on_every_backend(demo):
    assert "kms_envelope" in demo.packages
    outcome, events = transcript(demo.code, "cryptography")
    assert outcome["status"] == "ok", outcome["traceback"]
    assert any("display" in e for e in events), "the demo shows nothing"
    again, events_again = transcript(demo.code, "cryptography")
    assert again["status"] == "ok"
    assert events_again == events, "the demo is not deterministic"
    pure, events_pure = transcript(demo.code, "pure")
    assert pure["status"] == "ok", pure["traceback"]
    assert events_pure == events, "the pure backend shows something else"


def test_hands_on_page_covers_every_topic():
    code = "\n".join(d.code for d in HANDS_ON_DEMOS)
    for needle in (
        "create_alias",  # a key and an alias
        "4097",  # the 4 KB limit
        "generate_data_key",  # the two copies
        "envelope.encrypt",  # a file-sized payload
        "EncryptionContext",  # the context
        "enable_key_rotation",  # rotation
        "eu-west-1",  # Regions
        "alias/aws/",  # key types
    ):
        assert needle in code, needle
    text = HANDS_ON.read_text(encoding="utf-8")
    assert list(find_fences(text, "mermaid")), "the envelope diagram is missing"
    assert "JSPI" in text
    assert "pure-Python" in text


def test_every_demo_is_introduced_by_a_question():
    text = HANDS_ON.read_text(encoding="utf-8")
    blocks = text.split("```demo")[1:]
    before = text.split("```demo")[:-1]
    assert len(blocks) == len(HANDS_ON_DEMOS) >= 8
    for chunk in before:
        prose = chunk.rsplit("```", 1)[-1]
        assert "?" in prose, f"no question before a demo: ...{prose[-200:]}"


def test_kms_page_hands_on_links_to_the_hands_on_page():
    text = KMS_PAGE.read_text(encoding="utf-8")
    section = re.search(r"^## Hands on\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert section
    assert "envelope-encryption.md" in section.group(1)
    assert KMS_DEMOS
