"""Profile the generator stage (`pipeline.build`, empty cache) on a synthetic project with cProfile.

    .venv/bin/python benchmarks/profile_stage.py N [--top 30] [--sort cumulative] [--seed 1]

Writes the project to `benchmarks/work/profile-nN/` (reused when it is there
already: the same N and seed give the same files), profiles one build in this
process (imports excluded) after timing each stage of `pipeline.STAGES` in an
unprofiled build (cProfile inflates citeproc's deep recursion), prints the top
functions (by `--sort`, then by own time) and saves the listing to
`benchmarks/work/profile-nN.txt` and the raw stats to `.prof` beside it
(`python -m pstats` or snakeviz can open it).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

import synth

WORK = Path(__file__).resolve().parent / "work"


def stage_times(build, settings, cache_dir: Path) -> tuple[float, list[tuple[str, float, int]]]:
    """One unprofiled build, timed stage by stage (`pipeline.STAGES`); (total, [(label, seconds, calls)])."""
    from build_scripts.cache import Cache
    from build_scripts.pipeline import STAGES, StageTimes

    times = StageTimes()
    start = time.perf_counter()
    build(settings, Cache(cache_dir), times=times)
    total = time.perf_counter() - start
    return total, [(f"{s.name}: {s.purpose}", times.seconds[s.name], times.calls[s.name]) for s in STAGES]


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
    timing.append("  (render includes formatting each page's own citation; the rest is glue: writing pages, nav)\n")
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
