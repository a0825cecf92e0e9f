"""Run every benchmark: `make bench` or `python -m benchmarks [name ...]`."""

from __future__ import annotations

import importlib
import sys

BENCHES = ["bench_storage", "bench_search", "bench_pdf", "bench_startup", "bench_typing",
           "bench_verify", "bench_stall", "bench_encryption", "bench_backup"]


def main(argv: list[str]) -> int:
    names = argv or BENCHES
    for name in names:
        mod = importlib.import_module(f"benchmarks.{name}")
        print(f"== {name}: {mod.__doc__.strip().splitlines()[0]}")
        mod.main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
