"""The one interface every AES-GCM backend offers."""

from typing import Protocol

NONCE_SIZE = 12
TAG_SIZE = 16


class AuthenticationFailed(Exception):
    """GCM tag check failed: wrong key, nonce, associated data, or altered bytes."""


class Aead(Protocol):
    """AES-GCM with one key: seal returns ciphertext||tag, open reverses it."""

    def seal(self, nonce: bytes, plaintext: bytes | memoryview, aad: bytes) -> bytes: ...

    def open(self, nonce: bytes, sealed: bytes | memoryview, aad: bytes) -> bytes: ...
