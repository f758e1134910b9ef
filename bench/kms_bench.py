"""kms_envelope bench (CPython): envelope encrypt+decrypt against raw AES-GCM.

For 1 MiB and 16 MiB, the time of `envelope.encrypt` + `envelope.decrypt`
(simulated KMS calls, 64 KiB frames, key derivation, commitment) is divided
by the time of one `cryptography` AESGCM encrypt + decrypt of the same bytes
in the same process. Target (issue 4): at most 1.5x. It also prints the
pure-Python fallback's throughput, the speed a browser without JSPI gets.
Prints, never asserts.

    .venv/bin/python -m bench kms_bench
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "demos"))

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from kms_envelope import Simulator, crypto, envelope

MIB = 1024 * 1024
SIZES = (1 * MIB, 16 * MIB)
TARGET = 1.5
PURE_SIZE = 256 * 1024


def _best_of(runs: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    sim = Simulator(seed=1)
    kms = sim.client("kms", region_name="us-east-1")
    key_id = kms.create_key(Description="bench")["KeyMetadata"]["KeyId"]
    crypto.select_backend("cryptography")
    print(f"{'size':>8}  {'raw AESGCM':>11}  {'envelope':>10}  {'ratio':>6}  target <= {TARGET}x")
    for size in SIZES:
        data = os.urandom(size)
        gcm, nonce = AESGCM(os.urandom(32)), os.urandom(12)

        def raw(data: bytes = data, gcm: AESGCM = gcm, nonce: bytes = nonce) -> None:
            gcm.decrypt(nonce, gcm.encrypt(nonce, data, b""), b"")

        def env(data: bytes = data) -> None:
            envelope.decrypt(kms, envelope.encrypt(kms, key_id, data))

        runs = 30 if size <= MIB else 5
        t_raw, t_env = _best_of(runs, raw), _best_of(runs, env)
        print(
            f"{size // MIB:>5} MiB  {t_raw * 1e3:>8.2f} ms  {t_env * 1e3:>7.2f} ms  "
            f"{t_env / t_raw:>5.2f}x"
        )

    crypto.select_backend("pure")
    try:
        data = os.urandom(PURE_SIZE)
        t_pure = _best_of(1, lambda: envelope.decrypt(kms, envelope.encrypt(kms, key_id, data)))
    finally:
        crypto.select_backend(None)
    rate = 2 * PURE_SIZE / MIB / t_pure
    print(
        f"pure-Python fallback (tlslite-ng): {PURE_SIZE // 1024} KiB encrypt+decrypt in "
        f"{t_pure:.2f} s = {rate:.2f} MiB/s (CPython; Pyodide is slower)"
    )


if __name__ == "__main__":
    main()
