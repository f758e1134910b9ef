"""Envelope encryption with KMS: one fresh data key per message, AES-256-GCM frames.

Works with any client that has boto3's `generate_data_key` and `decrypt`
(the simulator's, or a real `boto3.client("kms")`).

Wire format, version 1 (all integers big endian)::

    header
      magic          4   b"KMSE"
      version        1   0x01
      suite          1   0x01 = AES-256-GCM frames, HKDF-SHA256 key derivation,
                           key commitment
      frame size     4   plaintext bytes per regular frame (default 65536)
      context hash  32   SHA-256 of the canonical encryption context
      key length     2   n
      encrypted key  n   the KMS CiphertextBlob of the data key
      commitment    32   HKDF-SHA256(data key, "kms_envelope/v1/commit" || header so far)
    frames, numbered from 1
      regular        0x00 | number (4) | ciphertext (frame size) | tag (16)
      final          0x01 | number (4) | length (4) | ciphertext (length) | tag (16)

What was taken, and why:

- From Tink's KmsEnvelopeAead: the encrypted data key travels with the data,
  length-prefixed, so decrypt needs nothing but the blob and KMS.
- From the AWS Encryption SDK message format: a versioned header with a suite
  id; fixed-size frames with a sequence number and a distinct final frame,
  so that reordered, dropped or truncated frames fail; the frame number as
  the nonce (safe because every message has its own key); a key derived
  from the data key and the header, plus a key commitment, so one blob can't
  be made to open under two different keys (ESDK's committing suites).
- Not taken: ESDK's message id (the derived key already depends on the
  header, whose encrypted key is unique), its signature suites and its
  multiple encrypted keys (one KMS key is all a demo needs). The context is
  not stored, only its hash: the caller supplies it again, as KMS requires.

The plaintext data key is copied into a bytearray and zeroed after use. That
is best effort: Python may have copied it elsewhere, and the `bytes` that the
KMS client returned can't be wiped.
"""

import hashlib
import hmac
from collections.abc import Callable, Mapping
from typing import Any, Final, Protocol

from . import crypto
from .aead import NONCE_SIZE, TAG_SIZE, AuthenticationFailed
from .context import ContextError, canonical_context, check_context
from .errors import (
    ContextMismatchError,
    EnvelopeError,
    MalformedEnvelopeError,
    TamperedEnvelopeError,
)

MAGIC: Final = b"KMSE"
VERSION: Final = 1
SUITE_AES256_GCM_HKDF_COMMIT: Final = 1
DEFAULT_FRAME_SIZE: Final = 64 * 1024
# Up to this size a message is sealed and opened in one preallocated buffer
# (cryptography's encrypt_into/decrypt_into): at 1 MiB that is about 3x faster
# than a buffer per frame plus a join. Above it, the one extra copy of a large
# fresh buffer costs more than it saves (measured: 16 MiB is 40% slower), so
# large messages keep the per-frame buffers.
_IN_PLACE_LIMIT = 4 * 1024 * 1024
DATA_KEY_SIZE: Final = 32
_FIXED_HEAD = len(MAGIC) + 1 + 1 + 4 + 32 + 2
_COMMIT_SIZE = 32
_REGULAR, _FINAL = 0x00, 0x01
_MAX_FRAMES = 0xFFFFFFFF


class KMSLike(Protocol):
    """The two calls envelope encryption needs from a KMS client."""

    # Properties, so that any keyword signature (boto3's, the simulator's) fits.
    @property
    def generate_data_key(self) -> Callable[..., dict[str, Any]]: ...

    @property
    def decrypt(self) -> Callable[..., dict[str, Any]]: ...


def _hkdf_expand(key: bytes | bytearray, info: bytes) -> bytearray:
    # HKDF-Expand (RFC 5869) for one 32-byte block. Extract is skipped: the data
    # key is already uniformly random, which is what Extract would give.
    return bytearray(hmac.digest(bytes(key), info + b"\x01", "sha256"))


def _derive(data_key: bytes | bytearray, head: bytes) -> tuple[bytearray, bytes]:
    enc_key = _hkdf_expand(data_key, b"kms_envelope/v1/key" + head)
    commit = bytes(_hkdf_expand(data_key, b"kms_envelope/v1/commit" + head))
    return enc_key, commit


def _nonce(number: int) -> bytes:
    return bytes(NONCE_SIZE - 4) + number.to_bytes(4, "big")


def _wipe(buf: bytearray) -> None:
    for i in range(len(buf)):
        buf[i] = 0


def _context(context: object, where: str) -> dict[str, str]:
    try:
        return check_context(context, f"{where}: context")
    except ContextError as exc:
        raise TypeError(str(exc)) from None


def _as_bytes(data: object, where: str) -> bytes | bytearray | memoryview:
    if isinstance(data, str):
        raise TypeError(f"{where}: expected bytes, got str (encode it first, e.g. text.encode())")
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"{where}: expected bytes, got {type(data).__name__}")
    return data


def encrypt(
    kms: KMSLike,
    key_id: str,
    plaintext: bytes,
    context: Mapping[str, str] | None = None,
    *,
    frame_size: int = DEFAULT_FRAME_SIZE,
) -> bytes:
    """Seal `plaintext` (any size) under a fresh data key from `key_id`."""
    data = memoryview(_as_bytes(plaintext, "envelope.encrypt")).cast("B")
    ctx = _context(context, "envelope.encrypt")
    if isinstance(frame_size, bool) or not isinstance(frame_size, int):
        raise TypeError("envelope.encrypt: frame_size must be an int")
    if not 1 <= frame_size <= 0x7FFFFFFF:
        raise ValueError(f"envelope.encrypt: frame_size must be 1..2**31-1, not {frame_size}")
    if len(data) // frame_size >= _MAX_FRAMES:
        raise ValueError("envelope.encrypt: too many frames; raise frame_size")

    request: dict[str, Any] = {"KeyId": key_id, "KeySpec": "AES_256"}
    if ctx:
        request["EncryptionContext"] = ctx
    response = kms.generate_data_key(**request)
    data_key = bytearray(response["Plaintext"])
    edk = bytes(response["CiphertextBlob"])
    del response
    enc_key = bytearray()
    try:
        if len(edk) > 0xFFFF:
            raise ValueError("envelope.encrypt: the encrypted data key is over 65535 bytes")
        head = (
            MAGIC
            + bytes([VERSION, SUITE_AES256_GCM_HKDF_COMMIT])
            + frame_size.to_bytes(4, "big")
            + hashlib.sha256(canonical_context(ctx)).digest()
            + len(edk).to_bytes(2, "big")
            + edk
        )
        enc_key, commit = _derive(data_key, head)
        gcm = crypto.aead(enc_key)
        # Whole frames while more than one frame's worth remains; the rest
        # (possibly empty) is always the final frame.
        items: list[tuple[bytes, memoryview, bytes]] = []
        number, pos = 1, 0
        while len(data) - pos > frame_size:
            prefix = bytes([_REGULAR]) + number.to_bytes(4, "big")
            items.append((_nonce(number), data[pos : pos + frame_size], prefix))
            pos += frame_size
            number += 1
        rest = len(data) - pos
        prefix = bytes([_FINAL]) + number.to_bytes(4, "big") + rest.to_bytes(4, "big")
        items.append((_nonce(number), data[pos:], prefix))
        total = len(head) + len(commit)
        total += sum(len(prefix) + len(frame) + TAG_SIZE for _, frame, prefix in items)
        if total > _IN_PLACE_LIMIT:
            out = [head, commit]
            for item, sealed in zip(items, gcm.seal_many(items), strict=True):
                out.append(item[2])  # the frame's prefix, also its associated data
                out.append(sealed)
            return b"".join(out)
        # One buffer for the whole message: header, commitment, then each
        # frame's prefix (also its associated data) and sealed bytes.
        message = bytearray(total)
        view = memoryview(message)
        pos = len(head) + len(commit)
        view[:pos] = head + commit
        offsets = []
        for _, frame, prefix in items:
            view[pos : pos + len(prefix)] = prefix
            offsets.append(pos + len(prefix))
            pos += len(prefix) + len(frame) + TAG_SIZE
        gcm.seal_many_into(items, view, offsets)
        return bytes(message)
    finally:
        _wipe(data_key)
        _wipe(enc_key)


def _read_header(blob: bytes | bytearray | memoryview) -> tuple[int, bytes, bytes, bytes, int]:
    """(frame size, context hash, encrypted key, header bytes, offset of frames)."""
    view = memoryview(blob)
    if len(view) < len(MAGIC) or bytes(view[: len(MAGIC)]) != MAGIC:
        start = bytes(view[: len(MAGIC)]).hex() or "nothing"
        raise MalformedEnvelopeError(
            f"not a kms_envelope message: it starts with {start}, expected {MAGIC.hex()} "
            f"({MAGIC.decode()})"
        )
    if len(view) < _FIXED_HEAD:
        raise MalformedEnvelopeError(
            f"truncated header: {len(view)} bytes, at least {_FIXED_HEAD} needed"
        )
    version, suite = view[4], view[5]
    if version != VERSION:
        raise MalformedEnvelopeError(
            f"unsupported format version {version} (this library reads version {VERSION})"
        )
    if suite != SUITE_AES256_GCM_HKDF_COMMIT:
        raise MalformedEnvelopeError(f"unknown algorithm suite {suite}")
    frame_size = int.from_bytes(view[6:10], "big")
    if frame_size == 0:
        raise MalformedEnvelopeError("header says frame size 0")
    ctx_hash = bytes(view[10:42])
    edk_len = int.from_bytes(view[42:44], "big")
    end = _FIXED_HEAD + edk_len
    if len(view) < end + _COMMIT_SIZE:
        raise MalformedEnvelopeError(
            f"truncated header: the encrypted key needs {edk_len} bytes and the commitment "
            f"{_COMMIT_SIZE}, only {len(view) - _FIXED_HEAD} follow"
        )
    return frame_size, ctx_hash, bytes(view[_FIXED_HEAD:end]), bytes(view[:end]), end


def describe(blob: bytes) -> dict[str, Any]:
    """The header fields and frame count of a message, without decrypting it."""
    data = _as_bytes(blob, "envelope.describe")
    frame_size, _ctx, edk, head, pos = _read_header(data)
    # The structure is checked (truncated or extended messages are refused);
    # the frames are not authenticated, which needs the data key.
    items = _frames(memoryview(data), pos + _COMMIT_SIZE, frame_size, "envelope.describe")
    frames = len(items)
    plain = sum(len(sealed) - TAG_SIZE for _, sealed, _ in items)
    return {
        "format": f"{MAGIC.decode()} v{data[4]}",
        "suite": "AES-256-GCM, HKDF-SHA256, key commitment",
        "frame size": frame_size,
        "frames": frames,
        "header bytes": len(head) + _COMMIT_SIZE,
        "encrypted data key bytes": len(edk),
        "plaintext bytes": plain,
        "message bytes": len(data),
    }


def decrypt(
    kms: KMSLike,
    blob: bytes,
    context: Mapping[str, str] | None = None,
    *,
    key_id: str | None = None,
) -> bytes:
    """Open a message made by `encrypt`; `context` must equal the one used then.

    `key_id`, when given, is passed to KMS Decrypt, which then refuses a data
    key encrypted under any other KMS key (IncorrectKeyException).
    """
    data = _as_bytes(blob, "envelope.decrypt")
    ctx = _context(context, "envelope.decrypt")
    frame_size, ctx_hash, edk, head, pos = _read_header(data)
    if not hmac.compare_digest(ctx_hash, hashlib.sha256(canonical_context(ctx)).digest()):
        raise ContextMismatchError(
            "envelope.decrypt: the encryption context differs from the one used to encrypt "
            f"(given keys: {sorted(ctx) or 'none'})"
        )
    request: dict[str, Any] = {"CiphertextBlob": edk}
    if ctx:
        request["EncryptionContext"] = ctx
    if key_id is not None:
        request["KeyId"] = key_id
    try:
        response = kms.decrypt(**request)
    except Exception as exc:
        code = getattr(exc, "response", {}).get("Error", {}).get("Code")
        if code == "InvalidCiphertextException":
            raise TamperedEnvelopeError(
                "envelope.decrypt: KMS refused the encrypted data key "
                "(InvalidCiphertextException): it was altered, or made with another context"
            ) from exc
        raise
    data_key = bytearray(response["Plaintext"])
    del response
    enc_key = bytearray()
    try:
        enc_key, commit = _derive(data_key, head)
        if not hmac.compare_digest(commit, bytes(data[pos : pos + _COMMIT_SIZE])):
            raise TamperedEnvelopeError(
                "envelope.decrypt: key commitment mismatch: the header was altered"
            )
        return _open_frames(crypto.aead(enc_key), memoryview(data), pos + _COMMIT_SIZE, frame_size)
    finally:
        _wipe(data_key)
        _wipe(enc_key)


def _frames(
    view: memoryview, pos: int, frame_size: int, where: str
) -> list[tuple[bytes, memoryview, bytes]]:
    """(nonce, sealed bytes, prefix) of every frame, once the structure is checked:
    numbered from 1, ending in one final frame, nothing after it."""
    items: list[tuple[bytes, memoryview, bytes]] = []
    number = 1
    total = len(view)
    while True:
        if pos >= total:
            raise MalformedEnvelopeError(
                f"{where}: truncated: the message ends before frame {number} and has no final frame"
            )
        if total - pos < 5:
            raise MalformedEnvelopeError(f"{where}: truncated inside frame {number}")
        kind = view[pos]
        seen = int.from_bytes(view[pos + 1 : pos + 5], "big")
        if kind not in (_REGULAR, _FINAL):
            raise TamperedEnvelopeError(
                f"{where}: frame {number} has an unknown type byte {kind:#04x}"
            )
        if seen != number:
            raise TamperedEnvelopeError(
                f"{where}: frame {number} is numbered {seen}: frames were "
                "reordered, dropped or altered"
            )
        if kind == _REGULAR:
            head_len, size = 5, frame_size
        else:
            if total - pos < 9:
                raise MalformedEnvelopeError(f"{where}: truncated inside the final frame {number}")
            head_len, size = 9, int.from_bytes(view[pos + 5 : pos + 9], "big")
        end = pos + head_len + size + TAG_SIZE
        if end > total:
            raise MalformedEnvelopeError(
                f"{where}: truncated: frame {number} needs {end - pos} bytes, {total - pos} remain"
            )
        items.append(
            (_nonce(number), view[pos + head_len : end], bytes(view[pos : pos + head_len]))
        )
        pos = end
        if kind == _FINAL:
            break
        number += 1
    if pos != total:
        raise MalformedEnvelopeError(
            f"{where}: {total - pos} unexpected bytes after the final frame"
        )
    return items


def _open_frames(gcm: crypto.Aead, view: memoryview, pos: int, frame_size: int) -> bytes:
    # Check the whole frame structure first, then authenticate every frame in
    # one batch (one Web Crypto round trip in the browser).
    items = _frames(view, pos, frame_size, "envelope.decrypt")
    offsets = []
    size = 0
    for _, sealed, _ in items:
        offsets.append(size)
        size += len(sealed) - TAG_SIZE
    plaintext = bytearray(size if size <= _IN_PLACE_LIMIT else 0)
    try:
        if size > _IN_PLACE_LIMIT:
            return b"".join(gcm.open_many(items))
        gcm.open_many_into(items, memoryview(plaintext), offsets)
    except AuthenticationFailed as exc:
        # Frames before the failing one were opened: none of it may leak.
        _wipe(plaintext)
        raise TamperedEnvelopeError(
            f"envelope.decrypt: frame {exc.index + 1} failed authentication: the data was altered"
        ) from None
    return bytes(plaintext)


__all__ = [
    "DEFAULT_FRAME_SIZE",
    "MAGIC",
    "VERSION",
    "ContextMismatchError",
    "EnvelopeError",
    "KMSLike",
    "MalformedEnvelopeError",
    "TamperedEnvelopeError",
    "decrypt",
    "describe",
    "encrypt",
]
