"""AES-GCM known-answer tests for every backend that runs in CPython.

Vectors: D. McGrew and J. Viega, "The Galois/Counter Mode of Operation (GCM)",
revised submission to NIST (2005), Appendix B "AES Test Vectors", test cases
1-4 (AES-128) and 13-16 (AES-256). NIST SP 800-38D names this document as the
source of GCM. Test cases 5-6 and 17-18 use 64-bit and 480-bit IVs, which no
backend here is ever given (they all take 96-bit nonces), so they are left
out. Typed in from the published document.
"""

import pytest
from kms_envelope import crypto
from kms_envelope.aead import AuthenticationFailed

H = bytes.fromhex

K_128 = H("feffe9928665731c6d6a8f9467308308")
K_256 = H("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
IV = H("cafebabefacedbaddecaf888")
P_64 = H(
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
)
A_20 = H("feedfacedeadbeeffeedfacedeadbeefabaddad2")

# (name, key, iv, plaintext, aad, ciphertext, tag)
VECTORS = [
    ("TC1", bytes(16), bytes(12), b"", b"", b"", H("58e2fccefa7e3061367f1d57a4e7455a")),
    (
        "TC2",
        bytes(16),
        bytes(12),
        bytes(16),
        b"",
        H("0388dace60b6a392f328c2b971b2fe78"),
        H("ab6e47d42cec13bdf53a67b21257bddf"),
    ),
    (
        "TC3",
        K_128,
        IV,
        P_64,
        b"",
        H(
            "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
            "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985"
        ),
        H("4d5c2af327cd64a62cf35abd2ba6fab4"),
    ),
    (
        "TC4",
        K_128,
        IV,
        P_64[:60],
        A_20,
        H(
            "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
            "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
        ),
        H("5bc94fbc3221a5db94fae95ae7121a47"),
    ),
    ("TC13", bytes(32), bytes(12), b"", b"", b"", H("530f8afbc74536b9a963b4f1c4cb738b")),
    (
        "TC14",
        bytes(32),
        bytes(12),
        bytes(16),
        b"",
        H("cea7403d4d606b6e074ec5d3baf39d18"),
        H("d0d1c8a799996bf0265b98b5d48ab919"),
    ),
    (
        "TC15",
        K_256,
        IV,
        P_64,
        b"",
        H(
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
            "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"
        ),
        H("b094dac5d93471bdec1a502270e3cc6c"),
    ),
    (
        "TC16",
        K_256,
        IV,
        P_64[:60],
        A_20,
        H(
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
            "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
        ),
        H("76fc6ece0f4e1768cddf8853bb2d551b"),
    ),
]

CPYTHON_BACKENDS = ["cryptography", "pure"]
IDS = [v[0] for v in VECTORS]


@pytest.mark.parametrize("backend", CPYTHON_BACKENDS)
@pytest.mark.parametrize(("name", "key", "iv", "pt", "aad", "ct", "tag"), VECTORS, ids=IDS)
def test_generate_matches_vector(backend, name, key, iv, pt, aad, ct, tag):
    assert crypto.aead(key, backend).seal(iv, pt, aad) == ct + tag


@pytest.mark.parametrize("backend", CPYTHON_BACKENDS)
@pytest.mark.parametrize(("name", "key", "iv", "pt", "aad", "ct", "tag"), VECTORS, ids=IDS)
def test_verify_matches_vector(backend, name, key, iv, pt, aad, ct, tag):
    assert crypto.aead(key, backend).open(iv, ct + tag, aad) == pt


@pytest.mark.parametrize("backend", CPYTHON_BACKENDS)
@pytest.mark.parametrize(("name", "key", "iv", "pt", "aad", "ct", "tag"), VECTORS, ids=IDS)
def test_invalid_tag_is_refused(backend, name, key, iv, pt, aad, ct, tag):
    bad_tag = bytes([tag[0] ^ 0x01]) + tag[1:]
    with pytest.raises(AuthenticationFailed):
        crypto.aead(key, backend).open(iv, ct + bad_tag, aad)


@pytest.mark.parametrize("backend", CPYTHON_BACKENDS)
def test_invalid_aad_is_refused(backend):
    _, key, iv, _pt, aad, ct, tag = VECTORS[-1]
    with pytest.raises(AuthenticationFailed):
        crypto.aead(key, backend).open(iv, ct + tag, aad + b"x")


@pytest.mark.parametrize("backend", CPYTHON_BACKENDS)
def test_input_shorter_than_tag_is_refused(backend):
    with pytest.raises(AuthenticationFailed):
        crypto.aead(K_256, backend).open(IV, b"short", b"")
