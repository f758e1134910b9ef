"""Envelopes cross between the browser and CPython, both ways.

The page's widget runs kms_envelope in Pyodide (Web Crypto where Chromium has
JSPI); this process runs it on `cryptography`. Both use a simulator with the
same seed, so they hold the same key.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from kms_envelope import Simulator, envelope
from widget_driver import open_demo, run, set_code, transcript

pytestmark = pytest.mark.browser

PAGE = "encryption/envelope-encryption/"
PAYLOAD = bytes(range(256)) * 400  # 102,400 bytes: two frames
CONTEXT = {"made": "elsewhere"}


def seeded_kms(seed: int) -> tuple[Any, str]:
    kms = Simulator(seed=seed).client("kms", region_name="eu-west-1")
    return kms, kms.create_key()["KeyMetadata"]["KeyId"]


def browser_output(page: Any, url: str, code: str) -> str:
    root = open_demo(page, url)
    set_code(page, root, code)
    assert run(page, root) == "done", transcript(root)
    return "".join(entry.get("text", "") for entry in transcript(root))


def test_an_envelope_made_in_the_browser_opens_in_cpython(page: Any, site_server: Any) -> None:
    out = browser_output(
        page,
        site_server.url + PAGE,
        "from kms_envelope import Simulator, current_backend, envelope\n"
        "kms = Simulator(seed=21).client('kms', region_name='eu-west-1')\n"
        "key = kms.create_key()['KeyMetadata']['KeyId']\n"
        "blob = envelope.encrypt(kms, key, bytes(range(256)) * 400, {'made': 'elsewhere'})\n"
        "print(current_backend())\n"
        "print(blob.hex())\n",
    )
    backend, blob_hex = out.split()
    assert backend == "webcrypto"  # Chromium has JSPI: the fast path is the one tested
    kms, _ = seeded_kms(21)
    assert envelope.decrypt(kms, bytes.fromhex(blob_hex), CONTEXT) == PAYLOAD


def test_an_envelope_made_in_cpython_opens_in_the_browser(page: Any, site_server: Any) -> None:
    kms, key = seeded_kms(22)
    blob = envelope.encrypt(kms, key, PAYLOAD, CONTEXT)
    out = browser_output(
        page,
        site_server.url + PAGE,
        "import hashlib\n"
        "from kms_envelope import Simulator, envelope\n"
        "kms = Simulator(seed=22).client('kms', region_name='eu-west-1')\n"
        "kms.create_key()\n"
        f"blob = bytes.fromhex('{blob.hex()}')\n"
        "print(hashlib.sha256(envelope.decrypt(kms, blob, {'made': 'elsewhere'})).hexdigest())\n",
    )
    assert out.strip() == hashlib.sha256(PAYLOAD).hexdigest()
