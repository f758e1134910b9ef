"""The simulator's KMS ciphertext blob: opaque to callers, parseable here.

Real KMS documents no blob format; it only says the blob holds the key
reference and that Decrypt finds the key from it. This one is:

    version (1 byte, 0x01) | key id (16 bytes, the UUID) |
    backing-key version (4 bytes, big endian) | nonce (12) | ciphertext+tag

The first 33 bytes and the canonical encryption context are the AES-GCM
associated data, so neither can be changed without Decrypt failing.
"""

import uuid
from dataclasses import dataclass

from .aead import NONCE_SIZE, TAG_SIZE

BLOB_VERSION = 1
HEADER_SIZE = 1 + 16 + 4
MIN_SIZE = HEADER_SIZE + NONCE_SIZE + TAG_SIZE


@dataclass(frozen=True)
class ParsedBlob:
    key_id: str
    backing_version: int
    header: bytes
    nonce: bytes
    sealed: bytes


def header(key_id: str, backing_version: int) -> bytes:
    return bytes([BLOB_VERSION]) + uuid.UUID(key_id).bytes + backing_version.to_bytes(4, "big")


def parse(blob: bytes) -> ParsedBlob | None:
    """The blob's parts, or None when it isn't a blob this simulator made."""
    if len(blob) < MIN_SIZE or blob[0] != BLOB_VERSION:
        return None
    key_id = str(uuid.UUID(bytes=bytes(blob[1:17])))
    version = int.from_bytes(blob[17:21], "big")
    return ParsedBlob(
        key_id,
        version,
        bytes(blob[:HEADER_SIZE]),
        bytes(blob[HEADER_SIZE : HEADER_SIZE + NONCE_SIZE]),
        bytes(blob[HEADER_SIZE + NONCE_SIZE :]),
    )
