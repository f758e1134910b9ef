"""The only module that touches Pyodide: the runtime switch and Web Crypto.

CPython never imports `js` or `pyodide`; every import of them sits inside a
function that runs only when `IN_PYODIDE` holds.
"""

import sys
import types
from collections.abc import Sequence
from typing import Any

from .aead import TAG_SIZE, AuthenticationFailed, Item

IN_PYODIDE = sys.platform == "emscripten"


def can_run_sync() -> bool:
    """True where `pyodide.ffi.run_sync` can block on a promise (JSPI)."""
    if not IN_PYODIDE:
        return False
    try:
        from pyodide.ffi import can_run_sync as _can
    except ImportError:
        return False
    return bool(_can())


def ensure_dbm_importable() -> None:
    """tlslite-ng imports `dbm` at import time; Pyodide's stdlib has none.

    The AES-GCM code never opens a database, so an empty module is enough.
    """
    try:
        import dbm  # noqa: F401
    except ImportError:
        stub = types.ModuleType("dbm")
        stub.__doc__ = "Stub: Pyodide has no dbm; tlslite-ng only needs the name."
        # dbm.error is the one name importers may touch.
        setattr(stub, "error", OSError)  # noqa: B010
        sys.modules["dbm"] = stub


def _to_uint8(data: bytes | memoryview) -> object:
    from js import Uint8Array

    arr = Uint8Array.new(len(data))
    arr.assign(data)
    return arr


class WebCryptoAead:
    """AES-256-GCM through `crypto.subtle`, made synchronous with `run_sync`."""

    def __init__(self, key: bytes | bytearray) -> None:
        from js import crypto
        from pyodide.ffi import run_sync, to_js

        self._run_sync = run_sync
        usages = to_js(["encrypt", "decrypt"])
        self._key = run_sync(
            crypto.subtle.importKey("raw", _to_uint8(bytes(key)), "AES-GCM", False, usages)
        )

    def _params(self, nonce: bytes, aad: bytes) -> object:
        from js import Object
        from pyodide.ffi import to_js

        return to_js(
            {
                "name": "AES-GCM",
                "iv": _to_uint8(nonce),
                "additionalData": _to_uint8(aad),
                "tagLength": TAG_SIZE * 8,
            },
            dict_converter=Object.fromEntries,
        )

    def seal(self, nonce: bytes, plaintext: bytes | memoryview, aad: bytes) -> bytes:
        from js import Uint8Array, crypto

        buf = self._run_sync(
            crypto.subtle.encrypt(self._params(nonce, aad), self._key, _to_uint8(plaintext))
        )
        return bytes(Uint8Array.new(buf).to_bytes())

    def open(self, nonce: bytes, sealed: bytes | memoryview, aad: bytes) -> bytes:
        from js import Uint8Array, crypto
        from pyodide.ffi import JsException

        try:
            buf = self._run_sync(
                crypto.subtle.decrypt(self._params(nonce, aad), self._key, _to_uint8(sealed))
            )
        except JsException as exc:
            # Web Crypto reports a bad tag as an OperationError with no detail.
            raise AuthenticationFailed("AES-GCM tag check failed") from exc
        return bytes(Uint8Array.new(buf).to_bytes())

    def _all_settled(self, promises: list[Any]) -> list[Any]:
        from js import Promise
        from pyodide.ffi import to_js

        return list(self._run_sync(Promise.allSettled(to_js(promises))))

    def seal_many(self, items: Sequence[Item]) -> list[bytes]:
        from js import Uint8Array, crypto

        promises = [
            crypto.subtle.encrypt(self._params(nonce, aad), self._key, _to_uint8(data))
            for nonce, data, aad in items
        ]
        out = []
        for result in self._all_settled(promises):
            if result.status != "fulfilled":
                raise RuntimeError(f"Web Crypto encrypt failed: {result.reason}")
            out.append(bytes(Uint8Array.new(result.value).to_bytes()))
        return out

    def open_many(self, items: Sequence[Item]) -> list[bytes]:
        from js import Uint8Array, crypto

        promises = [
            crypto.subtle.decrypt(self._params(nonce, aad), self._key, _to_uint8(data))
            for nonce, data, aad in items
        ]
        out = []
        for index, result in enumerate(self._all_settled(promises)):
            if result.status != "fulfilled":
                raise AuthenticationFailed("AES-GCM tag check failed", index)
            out.append(bytes(Uint8Array.new(result.value).to_bytes()))
        return out
