"""flow_logs bench (issue 15). CPython: ``summarize`` over N default-format
records (read from the text, as from an S3 file), against a plain loop that
``split()``s the same lines, in the same process. Target: at most 3x at 1M.

    .venv/bin/python -m bench flow_logs_bench          # N = 1,000,000
    FLOW_BENCH_N=100000 .venv/bin/python -m bench flow_logs_bench

The records are shaped like a busy VPC's: 200 interfaces, a few thousand
client addresses, most traffic accepted (request and response), some
rejected probes.
"""

from __future__ import annotations

import gc
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "demos"))

from flow_logs import DEFAULT_FIELDS, read_lines, summarize


def make_lines(n: int, seed: int = 15) -> list[str]:
    rng = random.Random(seed)
    enis = [f"eni-{i:017x}" for i in range(200)]
    own = [f"10.0.{i // 250}.{i % 250 + 4}" for i in range(200)]
    clients = [f"198.51.{rng.randint(0, 255)}.{rng.randint(1, 254)}" for _ in range(3000)]
    out = [" ".join(DEFAULT_FIELDS)]
    t = 1767225600
    while len(out) <= n:
        i = rng.randrange(200)
        client = rng.choice(clients)
        port = rng.choice((443, 443, 443, 80, 22, 8080))
        eph = rng.randint(32768, 60999)
        t += rng.randint(0, 2)
        if rng.random() < 0.1:
            out.append(
                f"2 111122223333 {enis[i]} {client} {own[i]} {eph} {rng.randint(1, 1024)} 6 1 60 {t} {t + 1} REJECT OK"
            )
            continue
        p, b = rng.randint(2, 80), rng.randint(120, 90000)
        out.append(
            f"2 111122223333 {enis[i]} {client} {own[i]} {eph} {port} 6 {p} {b} {t} {t + 30} ACCEPT OK"
        )
        out.append(
            f"2 111122223333 {enis[i]} {own[i]} {client} {port} {eph} 6 {p} {b * 3} {t} {t + 30} ACCEPT OK"
        )
    return out[: n + 1]


def plain_loop(lines: list[str]) -> int:
    total = 0
    for line in lines[1:]:
        parts = line.split()
        total += len(parts)
    return total


def timed(fn: Callable[..., object], *args: object) -> float:
    gc.collect()
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def main() -> None:
    n = int(os.environ.get("FLOW_BENCH_N", "1000000"))
    lines = make_lines(n)
    base = min(timed(plain_loop, lines) for _ in range(3))
    engine = timed(lambda: summarize(read_lines(lines, "bench")))
    print(
        f"flow_logs summarize, {n:,} records: {engine:.2f} s; split() loop {base:.2f} s; ratio {engine / base:.1f}x (target <= 3x)"
    )


if __name__ == "__main__":
    main()
