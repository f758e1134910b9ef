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


def displays(title: str) -> list[dict]:
    (demo,) = [d for d in HANDS_ON_DEMOS if d.title == title]
    outcome, events = transcript(demo.code, "cryptography")
    assert outcome["status"] == "ok", outcome["traceback"]
    return [e["display"] for e in events if "display" in e]


def test_the_key_material_that_decrypts_is_in_the_rotations_table():
    table, panel = displays("Rotate a key; decrypt an old ciphertext")
    assert table["kind"] == "table"
    assert panel["kind"] == "panel"
    column = table["columns"].index("KeyMaterialId")
    state = table["columns"].index("state")
    listed = {row[column]["text"]: row[state]["text"] for row in table["rows"]}
    values = {item["key"]: item["value"]["text"] for item in panel["items"]}
    # The old ciphertext was made before any rotation, with the first key
    # material: the table must show it, no longer current.
    assert listed.get(values["decrypted with key material"]) == "NON_CURRENT", (listed, values)
    assert listed.get(values["current key material"]) == "CURRENT", (listed, values)
    assert values["decrypted with key material"] != values["current key material"]
    # Two automatic rotations and one on demand, plus the first key material.
    assert len(listed) == 4


def test_the_encryption_context_demo_shows_the_plaintext_as_text():
    (demo,) = [d for d in HANDS_ON_DEMOS if d.title == "The encryption context must match exactly"]
    match = re.search(r'Plaintext=b"([^"]*)"', demo.code)
    assert match, "the demo no longer encrypts a bytes literal"
    plaintext = match.group(1)
    (table,) = [d for d in displays(demo.title) if d["kind"] == "table"]
    column = table["columns"].index("plaintext")
    shown = [row[column] for row in table["rows"] if row[column]["type"] != "none"]
    assert len(shown) == 2  # the same context, and the same pairs in another order
    assert all(cell == {"type": "str", "text": plaintext} for cell in shown), shown
