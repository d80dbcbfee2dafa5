"""`python -m benchmarks [name ...]`: run the benchmarks and print each figure beside its goal."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import platform
import tempfile
import time

BENCHMARKS = ("latency", "sweep", "delivery", "memory", "startup")


async def main(names: list[str]) -> None:
    print(f"Flipside benchmarks on {platform.machine()} {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores")  # noqa: T201
    started = time.perf_counter()
    durations: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="flipside-bench-") as tmp_dir:
        for name in names:
            module = importlib.import_module(f"benchmarks.{name}")
            began = time.perf_counter()
            await module.run(tmp_dir)
            durations[name] = time.perf_counter() - began
            print(f"  ({name} took {durations[name]:.0f} s)", flush=True)  # noqa: T201
    # Where the time goes: `make bench` is meant to fit in ten minutes on a fresh machine.
    each = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in durations.items())
    total = time.perf_counter() - started
    print(f"all done in {total:.0f} s ({total / 60:.1f} min): {each}; load average at the end {', '.join(f'{value:.1f}' for value in os.getloadavg())}")  # noqa: T201


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
