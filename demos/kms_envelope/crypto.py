"""AES-256-GCM backends and the switch between them.

- "cryptography": pyca/cryptography's AESGCM (CPython).
- "webcrypto": the browser's Web Crypto via Pyodide's `run_sync` (needs JSPI).
- "pure": tlslite-ng's pure-Python AES-GCM (any Python; slow).

`select_backend()` forces one, for tests and the bench; by default the first
one that can run here is used, in that order.
"""

import warnings
from collections.abc import Sequence
from typing import Any, Final, Literal

from . import _compat
from .aead import NONCE_SIZE, TAG_SIZE, Aead, AuthenticationFailed, Item, SequentialBatches
from .errors import CryptoBackendError

BackendName = Literal["cryptography", "webcrypto", "pure"]
BACKENDS: Final[tuple[BackendName, ...]] = ("cryptography", "webcrypto", "pure")

_forced: BackendName | None = None


class _CryptographyAead(SequentialBatches):
    def __init__(self, key: bytes | bytearray) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._gcm = AESGCM(key)

    def seal(self, nonce: bytes, plaintext: bytes | memoryview, aad: bytes) -> bytes:
        return self._gcm.encrypt(nonce, plaintext, aad)

    def open(self, nonce: bytes, sealed: bytes | memoryview, aad: bytes) -> bytes:
        from cryptography.exceptions import InvalidTag

        try:
            return self._gcm.decrypt(nonce, sealed, aad)
        except InvalidTag as exc:
            raise AuthenticationFailed("AES-GCM tag check failed") from exc

    def seal_many_into(
        self, items: Sequence[Item], out: memoryview, offsets: Sequence[int]
    ) -> None:
        for (nonce, data, aad), offset in zip(items, offsets, strict=True):
            end = offset + len(data) + TAG_SIZE
            self._gcm.encrypt_into(nonce, data, aad, out[offset:end])

    def open_many_into(
        self, items: Sequence[Item], out: memoryview, offsets: Sequence[int]
    ) -> None:
        from cryptography.exceptions import InvalidTag

        for index, ((nonce, data, aad), offset) in enumerate(zip(items, offsets, strict=True)):
            if len(data) < TAG_SIZE:
                raise AuthenticationFailed("AES-GCM input shorter than its tag", index)
            end = offset + len(data) - TAG_SIZE
            try:
                self._gcm.decrypt_into(nonce, data, aad, out[offset:end])
            except InvalidTag:
                raise AuthenticationFailed("AES-GCM tag check failed", index) from None


def _import_pure() -> Any:
    """tlslite-ng's pure AES-GCM module.

    Importing any tlslite module runs the package's __init__, which imports
    all of tlslite: `dbm` (absent from Pyodide's stdlib, so stubbed) and, on
    Python 3.11, the deprecated `asyncore`, whose warning would be an error
    under `-W error`. Neither is used by AES-GCM.
    """
    _compat.ensure_dbm_importable()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from tlslite.utils import python_aesgcm
    return python_aesgcm


class _PureAead(SequentialBatches):
    def __init__(self, key: bytes | bytearray) -> None:
        python_aesgcm = _import_pure()
        self._gcm = python_aesgcm.new(bytearray(key))

    def seal(self, nonce: bytes, plaintext: bytes | memoryview, aad: bytes) -> bytes:
        return bytes(self._gcm.seal(bytearray(nonce), bytearray(plaintext), bytearray(aad)))

    def open(self, nonce: bytes, sealed: bytes | memoryview, aad: bytes) -> bytes:
        if len(sealed) < TAG_SIZE:
            raise AuthenticationFailed("AES-GCM input shorter than its tag")
        out = self._gcm.open(bytearray(nonce), bytearray(sealed), bytearray(aad))
        if out is None:
            raise AuthenticationFailed("AES-GCM tag check failed")
        return bytes(out)


def _available(name: BackendName) -> bool:
    if name == "webcrypto":
        return _compat.can_run_sync()
    try:
        if name == "cryptography":
            import cryptography.hazmat.primitives.ciphers.aead  # noqa: F401
        else:
            _import_pure()
    except ImportError:
        return False
    return True


def available_backends() -> list[BackendName]:
    """The backends that can run in this interpreter, best first."""
    return [name for name in BACKENDS if _available(name)]


def select_backend(name: str | None) -> BackendName:
    """Force a backend by name, or pass None to go back to automatic choice."""
    global _forced
    if name is None:
        _forced = None
        return current_backend()
    if name not in BACKENDS:
        raise CryptoBackendError(
            f"select_backend: unknown backend {name!r}; choose one of {', '.join(BACKENDS)}"
        )
    chosen: BackendName = name
    if not _available(chosen):
        raise CryptoBackendError(f"select_backend: backend {name!r} cannot run here")
    _forced = chosen
    return chosen


def current_backend() -> BackendName:
    """The backend `aead()` uses now."""
    if _forced is not None:
        return _forced
    for name in BACKENDS:
        if _available(name):
            return name
    raise CryptoBackendError("no AES-GCM backend can run here (install cryptography)")


def aead(key: bytes | bytearray, backend: str | None = None) -> Aead:
    """An AES-GCM object for `key` (16, 24 or 32 bytes) on the chosen backend."""
    if len(key) not in (16, 24, 32):
        raise ValueError(f"AES-GCM key must be 16, 24 or 32 bytes, not {len(key)}")
    name = backend if backend is not None else current_backend()
    if name == "cryptography":
        return _CryptographyAead(key)
    if name == "pure":
        return _PureAead(key)
    if name == "webcrypto":
        return _compat.WebCryptoAead(key)
    raise CryptoBackendError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")


__all__ = [
    "BACKENDS",
    "NONCE_SIZE",
    "TAG_SIZE",
    "Aead",
    "AuthenticationFailed",
    "BackendName",
    "aead",
    "available_backends",
    "current_backend",
    "select_backend",
]
