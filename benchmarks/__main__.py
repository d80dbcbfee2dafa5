"""`python -m benchmarks [name ...]`: run the benchmarks and print each figure beside its goal."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import platform
import tempfile
import time

BENCHMARKS = ("latency", "sweep", "delivery", "memory", "startup")


async def main(names: list[str]) -> None:
    print(f"Flipside benchmarks on {platform.machine()} {platform.python_implementation()} {platform.python_version()}, {__import__('os').cpu_count()} cores")  # noqa: T201
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="flipside-bench-") as tmp_dir:
        for name in names:
            module = importlib.import_module(f"benchmarks.{name}")
            await module.run(tmp_dir)
    print(f"all done in {time.perf_counter() - started:.0f} s")  # noqa: T201


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    available = [name for name in BENCHMARKS if importlib.util.find_spec(f"benchmarks.{name}") is not None]
    # No `choices=`: with nargs="*", argparse (3.11) checks the default list itself against them.
    parser.add_argument("names", nargs="*", metavar="name", help=", ".join(available))
    names = parser.parse_args().names or available
    unknown = [name for name in names if name not in available]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(available)}")
    asyncio.run(main(names))
