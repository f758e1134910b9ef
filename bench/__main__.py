"""`python -m bench` (or `make bench`): every benchmark, one after another.

Each prints its figures as ratios against a baseline measured in the same
process or browser; none asserts a speed, so none can fail on a slow machine.
"""

from __future__ import annotations

import importlib
import sys

BENCHES = [
    "site_bench",
    "runtime_bench",
    "flood_bench",
    "stop_bench",
    "kms_bench",
    "reachability_bench",
    "flow_logs_bench",
    "waf_bench",
]


def main(names: list[str]) -> int:
    for name in names or BENCHES:
        if name not in BENCHES:
            print(f"bench: unknown benchmark {name!r} (known: {', '.join(BENCHES)})")
            return 2
        print(f"== {name}")
        module = importlib.import_module(f"bench.{name}")
        module.main()
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
