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

    def seal(self, nonce: bytes, plaintext: bytes | memoryview, aad: bytes) -> bytes:
        return self.seal_many([(nonce, plaintext, aad)])[0]

    def open(self, nonce: bytes, sealed: bytes | memoryview, aad: bytes) -> bytes:
        return self.open_many([(nonce, sealed, aad)])[0]

    def _start_batch(self, method: str, items: Sequence[Item]) -> list[Any]:
        """Start one Web Crypto call per item; return their promises.

        Every input byte crosses into JS in one copy, then each call gets
        views of it. That is safe because Web Crypto copies its arguments
        (data, iv, additionalData) before encrypt()/decrypt() return, which
        also lets one params object serve every call.
        """
        from js import Object, Uint8Array, crypto

        parts: list[bytes | memoryview] = []
        for nonce, data, aad in items:
            parts += (nonce, aad, data)
        big = Uint8Array.new(sum(len(p) for p in parts))
        big.assign(b"".join(parts))
        params = Object.new()
        params.name = "AES-GCM"
        params.tagLength = TAG_SIZE * 8
        call = getattr(crypto.subtle, method)
        promises = []
        pos = 0
        for nonce, data, aad in items:
            a, b, c = pos + len(nonce), pos + len(nonce) + len(aad), pos
            end = b + len(data)
            params.iv = big.subarray(c, a)
            params.additionalData = big.subarray(a, b)
            promises.append(call(params, self._key, big.subarray(b, end)))
            pos = end
        return promises

    def _settle(self, promises: list[Any]) -> list[Any]:
        """Wait for all promises at once; a rejected one becomes None.

        The rejection is caught in JS (with the built-in `Boolean` as the
        handler, since the page's CSP allows no JS source of our own), so no
        JS error object ever reaches Python, where Pyodide's runner would
        report it on stderr.
        """
        from js import Boolean, Promise
        from pyodide.ffi import to_js

        settled = self._run_sync(Promise.all(to_js([p.catch(Boolean) for p in promises])))
        return [None if value is True else value for value in settled]

    def _sealed(self, items: Sequence[Item]) -> list[Any]:
        from js import Uint8Array

        out = []
        for value in self._settle(self._start_batch("encrypt", items)):
            if value is None:
                raise RuntimeError("Web Crypto refused to encrypt")
            out.append(Uint8Array.new(value))
        return out

    def _opened(self, items: Sequence[Item]) -> list[Any]:
        from js import Uint8Array

        out = []
        for index, value in enumerate(self._settle(self._start_batch("decrypt", items))):
            if value is None:
                # Web Crypto reports a bad tag as an OperationError with no detail.
                raise AuthenticationFailed("AES-GCM tag check failed", index)
            out.append(Uint8Array.new(value))
        return out

    def seal_many(self, items: Sequence[Item]) -> list[bytes]:
        return [array.to_bytes() for array in self._sealed(items)]

    def open_many(self, items: Sequence[Item]) -> list[bytes]:
        return [array.to_bytes() for array in self._opened(items)]

    # Straight from the JS result into the message buffer: one copy per frame.
    def seal_many_into(
        self, items: Sequence[Item], out: memoryview, offsets: Sequence[int]
    ) -> None:
        for offset, array in zip(offsets, self._sealed(items), strict=True):
            array.assign_to(out[offset : offset + array.length])

    def open_many_into(
        self, items: Sequence[Item], out: memoryview, offsets: Sequence[int]
    ) -> None:
        for offset, array in zip(offsets, self._opened(items), strict=True):
            array.assign_to(out[offset : offset + array.length])
