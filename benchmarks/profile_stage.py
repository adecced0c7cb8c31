"""Profile the generator stage (`pipeline.build`, empty cache) on a synthetic project with cProfile.

    .venv/bin/python benchmarks/profile_stage.py N [--top 30] [--sort cumulative] [--seed 1]

Writes the project to `benchmarks/work/profile-nN/` (reused when it is there
already: the same N and seed give the same files), profiles one build in this
process (imports excluded) after timing its main stages in an unprofiled
build (cProfile inflates citeproc's deep recursion), prints the top functions (by `--sort`, then by own time) and saves the listing
to `benchmarks/work/profile-nN.txt` and the raw stats to `.prof` beside it
(`python -m pstats` or snakeviz can open it).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

import synth

WORK = Path(__file__).resolve().parent / "work"

#: Functions timed (wall clock, no profiler) in a first, unprofiled build: (module, attribute, label).
#: The attribute may be dotted (a class's method). Names the pipeline does not have (it changes) are skipped.
STAGES = [
    ("build_scripts.notes.load", "load_notes", "load notes (front matter + markdown-it scan)"),
    ("build_scripts.pipeline", "_library", "load the BibTeX library"),
    ("build_scripts.pipeline", "build_index", "link (global index)"),
    ("build_scripts.check.reconcile", "reconcile", "reconcile claims"),
    ("build_scripts.citations.cite", "Formatter.references", "format references (citeproc)"),
    ("build_scripts.history", "last_changed", "git history"),
    ("build_scripts.render.pages", "note_page", "render note and topic pages"),
    ("build_scripts.render.pages", "source_page_md", "render source pages"),
    ("build_scripts.render.pages", "bibliography_page", "render the bibliography page"),
    ("build_scripts.render.pages", "inconsistencies_page", "render the inconsistencies page"),
    ("build_scripts.render.pages", "assemble", "assemble pages (citations, footnotes, cite-this-page)"),
    ("build_scripts.pipeline", "claims_data", "claims.json data"),
]


def stage_times(build, settings, cache_dir: Path) -> tuple[float, list[tuple[str, float, int]]]:
    """One unprofiled build with the functions of STAGES wrapped in timers; (total, [(label, seconds, calls)])."""
    from build_scripts.cache import Cache

    totals: dict[str, list] = {}
    patched = []
    for module_name, attr, label in STAGES:
        module = importlib.import_module(module_name)
        *owners, attr = attr.split(".")
        for owner in owners:
            module = getattr(module, owner, None)
        original = getattr(module, attr, None) if module is not None else None
        if original is None:
            continue
        totals[label] = [0.0, 0]

        def timer(*args, _f=original, _t=totals[label], **kwargs):
            start = time.perf_counter()
            try:
                return _f(*args, **kwargs)
            finally:
                _t[0] += time.perf_counter() - start
                _t[1] += 1

        setattr(module, attr, functools.wraps(original)(timer))
        patched.append((module, attr, original))
    try:
        start = time.perf_counter()
        build(settings, Cache(cache_dir))
        total = time.perf_counter() - start
    finally:
        for module, attr, original in patched:
            setattr(module, attr, original)
    return total, [(label, t[0], t[1]) for label, t in totals.items()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, help="number of notes")
    parser.add_argument("--top", type=int, default=30, help="functions to list (default: %(default)s)")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic project (default: 1)")
    args = parser.parse_args()

    from build_scripts import load_settings, pipeline  # imported before profiling starts
    from build_scripts.cache import Cache

    project = WORK / f"profile-n{args.n}" / f"seed{args.seed}"
    if not (project / "mkdocs.yml").is_file():
        print(f"N={args.n}: generating corpus…", flush=True)
        synth.generate(args.n, project, args.seed)
    settings = load_settings(project / "mkdocs.yml")
    with tempfile.TemporaryDirectory() as cache_dir:
        total, stages = stage_times(pipeline.build, settings, Path(cache_dir))
    timing = [
        f"stages of one unprofiled build at N={args.n} (empty cache): {total:.2f} s in all",
        f"  {'seconds':>8}  {'share':>6}  {'calls':>6}  stage",
    ]
    for label, seconds, calls in stages:
        timing.append(f"  {seconds:8.2f}  {100 * seconds / total:5.1f}%  {calls:6d}  {label}")
    timing.append("  (nested stages overlap: `assemble` also formats references of pages; the rest is glue)\n")
    with tempfile.TemporaryDirectory() as cache_dir:
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        result = pipeline.build(settings, Cache(Path(cache_dir)))
        profiler.disable()
        seconds = time.perf_counter() - start
    errors = [d for d in result.diagnostics if d.severity.value == "error"]
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(args.sort).print_stats(args.top)
    out.write(f"\n--- the same run, top {min(args.top, 20)} by own time (tottime) ---\n")
    stats.sort_stats("tottime").print_stats(min(args.top, 20))
    from build_scripts.cache import code_version

    listing = (
        "\n".join(timing)
        + "\n"
        + (
            f"generator stage at N={args.n} (seed {args.seed}), generator version {code_version()}: "
            f"{seconds:.2f} s under cProfile, {len(result.pages)} pages, {len(errors)} errors\n" + out.getvalue()
        )
    )
    target = WORK / f"profile-n{args.n}.txt"
    target.write_text(listing, encoding="utf-8")
    stats.dump_stats(str(target.with_suffix(".prof")))
    print(listing)
    print(f"written: {target}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
