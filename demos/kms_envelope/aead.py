"""The one interface every AES-GCM backend offers."""

from collections.abc import Sequence
from typing import Protocol

NONCE_SIZE = 12
TAG_SIZE = 16


class AuthenticationFailed(Exception):
    """GCM tag check failed: wrong key, nonce, associated data, or altered bytes.

    `index` is the position of the failing item in a `open_many` batch.
    """

    def __init__(self, message: str, index: int = 0) -> None:
        super().__init__(message)
        self.index = index


# One item of a batch: (nonce, data, associated data).
Item = tuple[bytes, bytes | memoryview, bytes]


class Aead(Protocol):
    """AES-GCM with one key: seal returns ciphertext||tag, open reverses it."""

    def seal(self, nonce: bytes, plaintext: bytes | memoryview, aad: bytes) -> bytes: ...

    def open(self, nonce: bytes, sealed: bytes | memoryview, aad: bytes) -> bytes: ...

    # Batches: Web Crypto is asynchronous, and one round trip for all frames
    # costs far less than one per frame.
    def seal_many(self, items: Sequence[Item]) -> list[bytes]: ...

    def open_many(self, items: Sequence[Item]) -> list[bytes]: ...

    # In place: item i goes to out[offsets[i]:], so a message is assembled in
    # one buffer. Where the backend writes there directly (cryptography's
    # encrypt_into), that avoids a fresh buffer per frame and a final join,
    # which cost more than the AES itself at 1 MiB.
    def seal_many_into(
        self, items: Sequence[Item], out: memoryview, offsets: Sequence[int]
    ) -> None: ...

    def open_many_into(
        self, items: Sequence[Item], out: memoryview, offsets: Sequence[int]
    ) -> None: ...


class CopiedIntoPlace:
    """seal_many_into/open_many_into from the batch calls, by copying."""

    def seal_many(self, items: Sequence[Item]) -> list[bytes]:
        raise NotImplementedError

    def open_many(self, items: Sequence[Item]) -> list[bytes]:
        raise NotImplementedError

    def seal_many_into(
        self, items: Sequence[Item], out: memoryview, offsets: Sequence[int]
    ) -> None:
        for offset, sealed in zip(offsets, self.seal_many(items), strict=True):
            out[offset : offset + len(sealed)] = sealed

    def open_many_into(
        self, items: Sequence[Item], out: memoryview, offsets: Sequence[int]
    ) -> None:
        for offset, opened in zip(offsets, self.open_many(items), strict=True):
            out[offset : offset + len(opened)] = opened


class SequentialBatches(CopiedIntoPlace):
    """seal_many/open_many as plain loops, for the synchronous backends."""

    def seal(self, nonce: bytes, plaintext: bytes | memoryview, aad: bytes) -> bytes:
        raise NotImplementedError

    def open(self, nonce: bytes, sealed: bytes | memoryview, aad: bytes) -> bytes:
        raise NotImplementedError

    def seal_many(self, items: Sequence[Item]) -> list[bytes]:
        return [self.seal(nonce, data, aad) for nonce, data, aad in items]

    def open_many(self, items: Sequence[Item]) -> list[bytes]:
        out = []
        for index, (nonce, data, aad) in enumerate(items):
            try:
                out.append(self.open(nonce, data, aad))
            except AuthenticationFailed as exc:
                raise AuthenticationFailed(str(exc), index) from None
        return out
