"""Benchmark: cold build vs no-change rebuild of the generator stage, on the bundled corpus.

    .venv/bin/python benchmarks/rebuild.py [--runs 7] [--config mkdocs.yml]

Each measurement runs in a fresh process (no in-memory state carries over) and
times `pipeline.build` alone (imports excluded): "cold" with an empty cache,
"no-change" with the cache a previous build left. Prints the medians and their
ratio; the target is a no-change rebuild at least 3x faster than a cold one.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import sys, time
from pathlib import Path
from build_scripts import load_settings, pipeline
from build_scripts.cache import Cache
settings = load_settings(Path(sys.argv[1]))
cache = Cache(Path(sys.argv[2]))
start = time.perf_counter()
result = pipeline.build(settings, cache)
print(time.perf_counter() - start, len(result.pages))
"""


def timed(config: Path, cache: Path) -> tuple[float, int]:
    """Seconds spent in one `pipeline.build`, and the number of pages, in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(config), str(cache)], check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[0]), int(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="measurements of each kind (default: 7)")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="the site's mkdocs.yml")
    args = parser.parse_args()
    cold, warm = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            seconds, pages = timed(args.config, Path(tmp) / f"cold-{run}")
            cold.append(seconds)
        warm_cache = Path(tmp) / "warm"
        timed(args.config, warm_cache)
        for _ in range(args.runs):
            warm.append(timed(args.config, warm_cache)[0])
    c, w = statistics.median(cold), statistics.median(warm)
    print(f"generator stage, {pages} pages, median of {args.runs} runs each")
    print(f"  cold build (empty cache):  {c * 1000:8.1f} ms")
    print(f"  no-change rebuild:         {w * 1000:8.1f} ms")
    print(f"  speed-up:                  {c / w:8.1f}x   (target: at least 3x)")


if __name__ == "__main__":
    main()
