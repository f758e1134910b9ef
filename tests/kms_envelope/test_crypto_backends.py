"""Cross-backend checks and the backend switch."""

import os
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kms_envelope import CryptoBackendError, _compat, crypto


@pytest.fixture(autouse=True)
def _auto_backend():
    yield
    crypto.select_backend(None)


@settings(max_examples=25, deadline=None)
@given(
    key=st.binary(min_size=32, max_size=32),
    nonce=st.binary(min_size=12, max_size=12),
    data=st.binary(max_size=300),
    aad=st.binary(max_size=40),
)
def test_what_one_backend_seals_the_other_opens(key, nonce, data, aad):
    fast = crypto.aead(key, "cryptography")
    pure = crypto.aead(key, "pure")
    assert pure.open(nonce, fast.seal(nonce, data, aad), aad) == data
    assert fast.open(nonce, pure.seal(nonce, data, aad), aad) == data


def test_backends_produce_identical_bytes_on_a_larger_input():
    key, nonce, data = os.urandom(32), os.urandom(12), os.urandom(5000)
    assert crypto.aead(key, "pure").seal(nonce, data, b"h") == crypto.aead(
        key, "cryptography"
    ).seal(nonce, data, b"h")


def test_cpython_defaults_to_cryptography_and_has_no_webcrypto():
    assert crypto.current_backend() == "cryptography"
    assert crypto.available_backends() == ["cryptography", "pure"]
    assert _compat.can_run_sync() is False


def test_select_backend_forces_and_resets():
    assert crypto.select_backend("pure") == "pure"
    assert crypto.current_backend() == "pure"
    assert crypto.select_backend(None) == "cryptography"


def test_select_backend_rejects_unknown_and_unavailable():
    with pytest.raises(CryptoBackendError, match="unknown backend 'aes-ni'"):
        crypto.select_backend("aes-ni")
    with pytest.raises(CryptoBackendError, match="cannot run here"):
        crypto.select_backend("webcrypto")


def test_bad_key_length_is_one_clear_error():
    with pytest.raises(ValueError, match="16, 24 or 32 bytes, not 10"):
        crypto.aead(b"0123456789")


def test_compat_is_the_only_module_naming_js_or_pyodide():
    import pathlib

    import kms_envelope

    root = pathlib.Path(kms_envelope.__file__).parent
    offenders = [
        p.name
        for p in root.glob("*.py")
        if p.name != "_compat.py"
        and re.search(r"^\s*(import|from)\s+(js|pyodide)\b", p.read_text(), re.MULTILINE)
    ]
    assert offenders == []
    assert "js" not in sys.modules
    assert "pyodide" not in sys.modules


def test_dbm_stub_is_installed_only_when_dbm_is_missing(monkeypatch):
    import dbm

    _compat.ensure_dbm_importable()
    assert sys.modules["dbm"] is dbm  # CPython has dbm: left alone

    # Simulate Pyodide's stdlib, which has no dbm.
    monkeypatch.setitem(sys.modules, "dbm", None)
    _compat.ensure_dbm_importable()
    stub = sys.modules["dbm"]
    assert stub is not None
    assert stub is not dbm
    assert issubclass(stub.error, Exception)
