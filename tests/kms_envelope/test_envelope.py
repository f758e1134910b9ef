"""Envelope format v1: round trips and every way a message can go wrong."""

import hashlib
import hmac
import os

import pytest
from kms_envelope import (
    ContextMismatchError,
    EnvelopeError,
    MalformedEnvelopeError,
    Simulator,
    TamperedEnvelopeError,
    crypto,
    envelope,
)


@pytest.fixture
def kms():
    sim = Simulator(seed=11)
    client = sim.client("kms", region_name="us-east-1")
    key_id = client.create_key(Description="env")["KeyMetadata"]["KeyId"]
    client.create_alias(AliasName="alias/env", TargetKeyId=key_id)
    return client


@pytest.fixture(autouse=True)
def _auto_backend():
    yield
    crypto.select_backend(None)


@pytest.mark.parametrize("size", [0, 1, 100, 65535, 65536, 65537, 3 * 65536, 200_001])
def test_round_trip_any_size(kms, size):
    data = os.urandom(size)
    blob = envelope.encrypt(kms, "alias/env", data)
    assert envelope.decrypt(kms, blob) == data


def test_round_trip_small_frames_and_context(kms):
    data = os.urandom(1000)
    ctx = {"tenant": "blue", "file": "report.pdf"}
    blob = envelope.encrypt(kms, "alias/env", data, ctx, frame_size=7)
    assert envelope.decrypt(kms, blob, dict(reversed(list(ctx.items())))) == data


def test_layout_matches_the_documented_header(kms):
    ctx = {"purpose": "test"}
    data = b"z" * 70_000
    blob = envelope.encrypt(kms, "alias/env", data, ctx)
    assert blob[:4] == b"KMSE"
    assert blob[4] == 1  # version
    assert blob[5] == 1  # suite
    assert int.from_bytes(blob[6:10], "big") == 65536
    # Context hash: SHA-256 of count(2) | len(2) key | len(2) value, computed here.
    canon = b"\x00\x01" + b"\x00\x07purpose" + b"\x00\x04test"
    assert blob[10:42] == hashlib.sha256(canon).digest()
    edk_len = int.from_bytes(blob[42:44], "big")
    edk = blob[44 : 44 + edk_len]
    # The stored key is a real KMS ciphertext: KMS decrypts it to a 32-byte key.
    data_key = kms.decrypt(CiphertextBlob=edk, EncryptionContext=ctx)["Plaintext"]
    assert len(data_key) == 32
    head = blob[: 44 + edk_len]
    commit = hmac.digest(data_key, b"kms_envelope/v1/commit" + head + b"\x01", "sha256")
    assert blob[44 + edk_len : 76 + edk_len] == commit
    frames = blob[76 + edk_len :]
    # One full frame (type 0, number 1), then the final frame (type 1, number 2).
    assert frames[0] == 0
    assert int.from_bytes(frames[1:5], "big") == 1
    second = 5 + 65536 + 16
    assert frames[second] == 1
    assert int.from_bytes(frames[second + 1 : second + 5], "big") == 2
    assert int.from_bytes(frames[second + 5 : second + 9], "big") == 70_000 - 65536
    assert len(frames) == second + 9 + (70_000 - 65536) + 16
    # Decrypt frame 1 by hand from the documented derivation and nonce rule.
    enc_key = hmac.digest(data_key, b"kms_envelope/v1/key" + head + b"\x01", "sha256")
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = bytes(8) + (1).to_bytes(4, "big")
    assert AESGCM(enc_key).decrypt(nonce, frames[5:second], frames[:5]) == data[:65536]


def test_fresh_data_key_per_message(kms):
    a = envelope.encrypt(kms, "alias/env", b"same")
    b = envelope.encrypt(kms, "alias/env", b"same")
    assert a != b
    assert envelope.describe(a)["encrypted data key bytes"] > 0


def test_describe_reports_sizes(kms):
    blob = envelope.encrypt(kms, "alias/env", bytes(150_000))
    info = envelope.describe(blob)
    assert info["frames"] == 3
    assert info["plaintext bytes"] == 150_000
    assert info["message bytes"] == len(blob)


def test_wrong_context_is_a_clear_error(kms):
    blob = envelope.encrypt(kms, "alias/env", b"data", {"a": "1"})
    with pytest.raises(ContextMismatchError, match="encryption context differs"):
        envelope.decrypt(kms, blob, {"a": "2"})
    with pytest.raises(ContextMismatchError):
        envelope.decrypt(kms, blob)


@pytest.mark.parametrize("where", ["first", "middle", "tag", "last"])
def test_tampered_frame_bytes_fail(kms, where):
    blob = bytearray(envelope.encrypt(kms, "alias/env", os.urandom(140_000)))
    pos = {"first": len(blob) - 140_000 - 100, "middle": len(blob) // 2, "tag": -5, "last": -1}
    blob[pos[where]] ^= 0x40
    with pytest.raises(EnvelopeError):
        envelope.decrypt(kms, bytes(blob))


def test_every_single_byte_flip_is_detected(kms):
    blob = envelope.encrypt(kms, "alias/env", b"x" * 50, frame_size=16)
    for i in range(len(blob)):
        bad = bytearray(blob)
        bad[i] ^= 0x01
        # A flip in the key id inside the encrypted data key makes KMS look for
        # another key: it answers AccessDeniedException, as it does for real.
        with pytest.raises((EnvelopeError, kms.exceptions.AccessDeniedException)):
            envelope.decrypt(kms, bytes(bad))


def test_tampered_encrypted_key_is_reported_as_such(kms):
    blob = bytearray(envelope.encrypt(kms, "alias/env", b"secret"))
    blob[44 + 30] ^= 0x01  # inside the KMS ciphertext of the data key
    with pytest.raises(TamperedEnvelopeError, match="KMS refused the encrypted data key"):
        envelope.decrypt(kms, bytes(blob))


@pytest.mark.parametrize("cut", [1, 16, 17, 200])
def test_truncation_is_detected(kms, cut):
    blob = envelope.encrypt(kms, "alias/env", os.urandom(100_000))
    with pytest.raises(EnvelopeError, match=r"truncated|authentication"):
        envelope.decrypt(kms, blob[:-cut])


def test_truncation_at_a_frame_boundary_is_detected(kms):
    data = os.urandom(3 * 100)
    blob = envelope.encrypt(kms, "alias/env", data, frame_size=100)
    final_len = 9 + 100 + 16  # the last full frame is the final frame
    with pytest.raises(MalformedEnvelopeError, match="no final frame"):
        envelope.decrypt(kms, blob[:-final_len])


def test_dropped_and_reordered_frames_fail(kms):
    blob = envelope.encrypt(kms, "alias/env", os.urandom(300), frame_size=100)
    frame = 5 + 100 + 16
    start = len(blob) - 2 * frame - (9 + 100 + 16)
    f1, f2 = blob[start : start + frame], blob[start + frame : start + 2 * frame]
    swapped = blob[:start] + f2 + f1 + blob[start + 2 * frame :]
    with pytest.raises(TamperedEnvelopeError, match="frame 1 is numbered 2"):
        envelope.decrypt(kms, swapped)
    dropped = blob[:start] + blob[start + frame :]
    with pytest.raises(TamperedEnvelopeError, match="numbered 2"):
        envelope.decrypt(kms, dropped)


def test_trailing_bytes_fail(kms):
    blob = envelope.encrypt(kms, "alias/env", b"abc")
    with pytest.raises(MalformedEnvelopeError, match="unexpected bytes after the final frame"):
        envelope.decrypt(kms, blob + b"\x00")


@pytest.mark.parametrize(
    ("blob", "message"),
    [
        (b"", "not a kms_envelope message"),
        (b"PK\x03\x04 a zip file", "not a kms_envelope message"),
        (b"KMSE\x02" + bytes(60), "unsupported format version 2"),
        (b"KMSE\x01\x07" + bytes(60), "unknown algorithm suite 7"),
        (b"KMSE\x01\x01", "truncated header"),
    ],
)
def test_foreign_blobs_fail_clearly(kms, blob, message):
    with pytest.raises(MalformedEnvelopeError, match=message):
        envelope.decrypt(kms, blob)


def test_blob_from_another_simulator_is_refused_by_kms():
    other = Simulator(seed=99).client("kms", region_name="us-east-1")
    other_key = other.create_key()["KeyMetadata"]["KeyId"]
    blob = envelope.encrypt(other, other_key, b"theirs")
    mine = Simulator(seed=11).client("kms", region_name="us-east-1")
    with pytest.raises(mine.exceptions.AccessDeniedException):
        envelope.decrypt(mine, blob)


def test_key_id_pins_the_kms_key(kms):
    other = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = envelope.encrypt(kms, "alias/env", b"pinned")
    assert envelope.decrypt(kms, blob, key_id="alias/env") == b"pinned"
    with pytest.raises(kms.exceptions.IncorrectKeyException):
        envelope.decrypt(kms, blob, key_id=other)


def test_bad_arguments_are_one_line_type_errors(kms):
    with pytest.raises(TypeError, match="expected bytes, got str"):
        envelope.encrypt(kms, "alias/env", "text")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="context keys and values must be str"):
        envelope.encrypt(kms, "alias/env", b"x", {"n": 1})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="frame_size"):
        envelope.encrypt(kms, "alias/env", b"x", frame_size=0)


def test_plaintext_data_key_is_wiped(kms, monkeypatch):
    seen = []
    real = envelope._wipe

    def spy(buf):
        real(buf)
        seen.append(bytes(buf))

    monkeypatch.setattr(envelope, "_wipe", spy)
    blob = envelope.encrypt(kms, "alias/env", b"x")
    envelope.decrypt(kms, blob)
    assert len(seen) == 4  # data key and derived key, on each side
    assert all(b == bytes(len(b)) and len(b) == 32 for b in seen)


@pytest.mark.parametrize(("seal", "open_"), [("pure", "cryptography"), ("cryptography", "pure")])
def test_cross_backend_envelopes(kms, seal, open_):
    data = os.urandom(3000)
    crypto.select_backend(seal)
    blob = envelope.encrypt(kms, "alias/env", data, {"k": "v"}, frame_size=1024)
    crypto.select_backend(open_)
    assert envelope.decrypt(kms, blob, {"k": "v"}) == data


@pytest.mark.parametrize("size", [4 * 1024 * 1024 - 4096, 5 * 1024 * 1024 + 7])
def test_messages_either_side_of_the_in_place_limit_round_trip(size: int) -> None:
    # Below a few MiB a message is built in one buffer, above it frame by
    # frame: both must give the same format, and a flipped bit fails both.
    client = Simulator(seed=5).client("kms", region_name="us-east-1")
    key = client.create_key()["KeyMetadata"]["KeyId"]
    payload = bytes(range(251)) * (size // 251) + bytes(size % 251)
    blob = envelope.encrypt(client, key, payload, {"size": str(size)})
    assert envelope.describe(blob)["plaintext bytes"] == size
    assert envelope.decrypt(client, blob, {"size": str(size)}) == payload
    tampered = bytearray(blob)
    tampered[-100] ^= 1
    with pytest.raises(TamperedEnvelopeError):
        envelope.decrypt(client, bytes(tampered), {"size": str(size)})
