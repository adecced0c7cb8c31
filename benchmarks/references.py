"""Benchmark: formatting a library's references (citeproc-js in V8), per reference, cold and cached.

    .venv/bin/python benchmarks/references.py [--notes 500] [--runs 3] [--seed 1]

Writes the synthetic project of `--notes` N notes (`benchmarks/synth.py`: 2*N
BibTeX entries, so 1,000 at N=500) and, in a fresh process each run, times
`Formatter.references` of the whole library (imports excluded): "cold" with an
empty cache (V8 started, the style read, every reference formatted), "cached"
in a second fresh process with the cache the first left (as a rebuild).
Prints the medians in milliseconds per reference; the target is at most 1 ms.
`benchmarks/bench.py` reports the same figures as a row of its targets.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import synth

CHILD = """
import json, sys, time
from pathlib import Path
from build_scripts.library.bib import load_library
from build_scripts.cache import Cache
from build_scripts.citations.cite import Formatter
sources, _ = load_library([Path(sys.argv[1])], Path(sys.argv[1]).parent)
cache = Cache(Path(sys.argv[2]))
start, cpu = time.perf_counter(), time.process_time()
refs = Formatter("chicago-author-date", cache).references(sources.values())
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
cache.save()
print(json.dumps({"seconds": seconds, "cpu": cpu, "references": len(refs)}))
"""


def timed(library: Path, cache: Path, env: dict | None = None) -> dict:
    """One `Formatter.references` of the library, in a fresh process: seconds, CPU seconds, references."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(library), str(cache)], check=True, capture_output=True, text=True, env=env
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(library: Path, runs: int, env: dict | None = None) -> dict:
    """Medians over `runs` of the cold and the cached formatting: ms per reference (wall and CPU)."""
    cold, cached = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            cold.append(timed(library, Path(cache), env))
            cached.append(timed(library, Path(cache), env))
    count = cold[0]["references"]

    def per_ref(samples: list[dict], key: str) -> float:
        return 1000 * statistics.median(s[key] for s in samples) / count

    return {
        "references": count,
        "cold_ms": per_ref(cold, "seconds"),
        "cold_cpu_ms": per_ref(cold, "cpu"),
        "cached_ms": per_ref(cached, "seconds"),
        "cached_cpu_ms": per_ref(cached, "cpu"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=int, default=500, help="notes of the synthetic project (default: 500)")
    parser.add_argument("--runs", type=int, default=3, help="runs (default: 3)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic project (default: 1)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        synth.generate(args.notes, Path(work), args.seed)
        found = measure(Path(work) / "bib" / "library.bib", args.runs)
    print(
        f"{found['references']} references: cold {found['cold_ms']:.2f} ms each (CPU {found['cold_cpu_ms']:.2f}), "
        f"cached {found['cached_ms']:.2f} ms each (CPU {found['cached_cpu_ms']:.2f}); target ≤ 1 ms"
    )


if __name__ == "__main__":
    main()
