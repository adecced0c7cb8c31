"""Benchmark: cold build vs rebuilds of the generator stage (no change, one note edited, a source added).

    .venv/bin/python benchmarks/rebuild.py [--runs 7] [--config mkdocs.yml]

Each measurement runs in a fresh process (no in-memory state carries over) and
times `pipeline.build` alone (imports excluded): "cold" with an empty cache,
"no-change" with the cache a previous build left, "edit one note" after a
sentence is appended to one note, "add-source" after `add-source` of one new
entry (which also writes a note citing it). The edits are made in a copy of the
project. Prints the medians and their ratios to the cold build; the target is a
no-change rebuild at least 3x faster than a cold one.
"""

from __future__ import annotations

import argparse
import shutil
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


NEW_ENTRY = """@book{{rebuildbench{run},
  author    = {{Newcomer, Adela}},
  title     = {{A Book Added by Rebuild Benchmark Run {run}}},
  publisher = {{Benchmark Press}},
  year      = {{2024}}
}}
"""


def edited(config: Path, cache: Path, runs: int) -> tuple[list[float], list[float]]:
    """Seconds of rebuilds after one note is edited, and after a source is added, in a copy of the project."""
    edit, add = [], []
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        ignore = shutil.ignore_patterns(".research-cache", "site", ".git", ".venv", "node_modules")
        shutil.copytree(config.resolve().parent, project, ignore=ignore)
        copy = project / config.name
        timed(copy, cache)
        notes = sorted((project / "content").rglob("*.md"))
        for run in range(runs):
            with notes[run % len(notes)].open("a", encoding="utf-8") as note:
                note.write(f"\nA sentence added by rebuild benchmark run {run}.\n")
            edit.append(timed(copy, cache)[0])
            new = Path(tmp) / f"added-{run}.bib"
            new.write_text(NEW_ENTRY.format(run=run), encoding="utf-8")
            subprocess.run([sys.executable, "-m", "build_scripts", "-C", str(project), "add-source", str(new)],
                           check=True, capture_output=True)  # fmt: skip
            add.append(timed(copy, cache)[0])
    return edit, add


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
        edit, add = edited(args.config, Path(tmp) / "edited", args.runs)
    c, w = statistics.median(cold), statistics.median(warm)
    e, a = statistics.median(edit), statistics.median(add)
    print(f"generator stage, {pages} pages, median of {args.runs} runs each")
    print(f"  cold build (empty cache):  {c * 1000:8.1f} ms")
    print(f"  no-change rebuild:         {w * 1000:8.1f} ms   {w / c:6.1%} of cold")
    print(f"  edit one note, rebuild:    {e * 1000:8.1f} ms   {e / c:6.1%} of cold")
    print(f"  add-source, rebuild:       {a * 1000:8.1f} ms   {a / c:6.1%} of cold")
    print(f"  speed-up (no change):      {c / w:8.1f}x   (target: at least 3x)")


if __name__ == "__main__":
    main()
