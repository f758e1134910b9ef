"""Random bytes: seeded for reproducible demos, from the OS otherwise."""

import os
import random


class Entropy:
    """Seeded entropy makes key ids, key material and nonces repeat run to run.

    That is for teaching only: a seeded generator is predictable, which is
    exactly what real key material must never be.
    """

    def __init__(self, seed: int | None) -> None:
        self._rng = random.Random(seed) if seed is not None else None

    @property
    def seeded(self) -> bool:
        return self._rng is not None

    def bytes(self, n: int) -> bytes:
        if self._rng is None:
            return os.urandom(n)
        return self._rng.randbytes(n)

    def uuid4(self) -> str:
        raw = bytearray(self.bytes(16))
        # Version 4, RFC 4122 variant, as KMS key ids look.
        raw[6] = (raw[6] & 0x0F) | 0x40
        raw[8] = (raw[8] & 0x3F) | 0x80
        h = raw.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
