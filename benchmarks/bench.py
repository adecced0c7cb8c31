"""Benchmark the whole build on synthetic projects of 50, 500 and 5,000 notes (`make bench`).

    .venv/bin/python benchmarks/bench.py [--sizes 50,500,5000] [--runs R] [--timeout 900] [--seed 1]

For each size N, `benchmarks/synth.py` writes a project of N notes and 2*N
BibTeX entries into `benchmarks/work/nN/project`. Every measurement runs in a
fresh process; each figure is the median over R runs (default 5, and 3 for
N >= 5000):

- **generator stage**: `pipeline.build` alone with an empty cache, timed inside
  the process (imports excluded, as in `benchmarks/rebuild.py`), and the wall
  time of that whole process;
- **full build, cold**: `python -m build_scripts build -d DIR` with `.research-cache/`
  deleted first;
- **rebuild after add-source**: then `python -m build_scripts add-source` of one
  new entry (untimed; it also writes a note citing the entry) and the same
  build again, with the cache the cold build left;
- **no-change rebuild**: the same build once more, nothing changed;
- **edit one note, rebuild**: a sentence appended to one note, and the same
  build again (every rebuild writes into the folder the previous one left, so
  that unchanged pages are reused, as on a user's machine);
- **serve: save to page updated**: `python -m build_scripts serve` started
  (its first build untimed; the edit waits until the server answers and its
  file watcher has taken stock), then the seconds
  from appending a sentence to a note to the served page containing it
  (polled every 20 ms over HTTP);
- **peak RSS**: the largest resident set of any process of the full builds
  (the CLI, or the `mkdocs build` it starts), from `wait4`; the CLI process
  stays alive while MkDocs runs, so the machine holds both at once;
- **floor**: `mkdocs build` of the pages `python -m build_scripts emit` wrote
  (emitted once, untimed), same theme, extensions and navigation, no hook;
- **references**: `Formatter.references` of the whole library alone
  (`benchmarks/references.py`), in ms per reference, cold (empty cache) and
  cached (the cache the cold run left);
- **peer**: `mkdocs build` of the same notes with the mkdocs-bibtex plugin, in
  its own venv (`benchmarks/work/peer-venv`, pinned by
  `benchmarks/peer-requirements.txt`, created on first use).

Writes `benchmarks/results.md` and `benchmarks/results.svg` from the raw
results of every size in `benchmarks/work/raw/` (so sizes measured by an
earlier invocation are kept, and marked), prints the table, and evaluates the
targets (reported, never asserted); `--report-only` rewrites the two files
from the raw results without measuring. A measurement that fails or exceeds
`--timeout` is reported as such, and the remaining runs of it are skipped.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

import references
import sites
import synth
from bench_report import METRICS, report

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
WORK = BENCH / "work"
RAW = WORK / "raw"
PEER_VENV = WORK / "peer-venv"
PEER_REQUIREMENTS = BENCH / "peer-requirements.txt"
SNAPSHOT = WORK / "snapshot"  # the generator as it was when the run started (others edit build_scripts/)
# Bytecode is cached (as on a user's machine) but under work/, so that nothing is written into build_scripts/.
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "NO_MKDOCS_2_WARNING": "1",
    "PYTHONUNBUFFERED": "1",
    "PYTHONPYCACHEPREFIX": str(WORK / "pycache"),
    "PYTHONPATH": os.pathsep.join(p for p in (str(SNAPSHOT), os.environ.get("PYTHONPATH", "")) if p),
}

CHILD = """
import json, sys, time
from pathlib import Path
from build_scripts import load_settings, pipeline
from build_scripts.cache import Cache
settings = load_settings(Path(sys.argv[1]))
cache = Cache(Path(sys.argv[2]))
start, cpu = time.perf_counter(), time.process_time()
result = pipeline.build(settings, cache)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
def nav(items):
    return [{"title": i.title, "path": i.path, "children": nav(i.children)} for i in items]
errors = [str(d) for d in result.diagnostics if d.severity.value == "error"]
Path(sys.argv[3]).write_text(json.dumps({"seconds": seconds, "cpu": cpu, "pages": len(result.pages), "nav": nav(result.nav),
                                         "diagnostics": len(result.diagnostics), "errors": errors[:10]}))
"""

NEW_ENTRY = """@article{{benchadded{run},
  author  = {{Newcomer, Ad{{\\'e}}la and Okafor, Amara}},
  title   = {{A Source Added During Benchmark Run {run}: {{Ports}} and Pipelines Revisited}},
  journal = ia,
  year    = {{2024}},
  month   = may,
  volume  = {{61}},
  number  = {{2}},
  pages   = {{101--124}},
  doi     = {{10.5555/bench.added.{run}}}
}}
"""


@dataclass
class Sample:
    """One timed process."""

    seconds: float
    rss_mb: float
    status: str  # "ok", "exit N", "timed out after S s"
    cpu: float = 0.0  # user + system seconds of the process and its children
    load: float = 0.0  # 1-minute load average when it ended (other work on the machine)


def say(message: str) -> None:
    print(message, flush=True)


def timed(cmd: list[str], cwd: Path, log: Path, timeout: float) -> Sample:
    """Run `cmd` to completion; its wall time and the peak RSS of it and its children (wait4)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [str(c) for c in cmd], cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=ENV, start_new_session=True
        )
        expired = threading.Event()

        def kill() -> None:
            expired.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    if expired.is_set():
        state = f"timed out after {timeout:.0f} s"
    else:
        state = "ok" if code == 0 else f"exit {code}"
    return Sample(seconds, usage.ru_maxrss / 1024, state, usage.ru_utime + usage.ru_stime, os.getloadavg()[0])


def fetched(url: str) -> str:
    """The page at `url`, or "" when it cannot be had."""
    with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as page:
        return page.read().decode("utf-8")
    return ""


def tail(log: Path, lines: int = 6) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def ensure_peer_venv() -> Path:
    """The peer's Python, creating its venv from peer-requirements.txt on first use."""
    python = PEER_VENV / "bin" / "python"
    stamp = PEER_VENV / ".installed"
    pins = "\n".join(line for line in PEER_REQUIREMENTS.read_text().splitlines() if not line.startswith("#"))
    if python.exists() and stamp.exists() and stamp.read_text() == pins:
        return python
    say(f"creating the peer's venv in {PEER_VENV.relative_to(ROOT)} (mkdocs-bibtex; once)…")
    shutil.rmtree(PEER_VENV, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r", str(PEER_REQUIREMENTS)], check=True)
    stamp.write_text(pins)
    return python


def html_pages(site: Path) -> int:
    return sum(1 for p in site.rglob("*.html") if p.name != "404.html")


class SizeBench:
    """All measurements for one corpus size."""

    def __init__(self, n: int, runs: int, args: argparse.Namespace):
        self.n, self.runs, self.args = n, runs, args
        self.base = WORK / f"n{n}"
        self.project = self.base / "project"
        self.logs = self.base / "logs"
        self.samples: dict[str, list[Sample]] = {k: [] for k, _ in METRICS}
        self.problems: list[str] = []
        self.info: dict = {}
        self.nav: list[dict] = []

    def record(self, key: str, run: int, sample: Sample, label: str, log: Path) -> bool:
        self.samples[key].append(sample)
        if sample.status == "ok":
            say(
                f"N={self.n} {label} run {run}/{self.runs}: {sample.seconds:.1f} s "
                f"(CPU {sample.cpu:.1f} s, {sample.rss_mb:.0f} MB, load {sample.load:.1f})"
            )
            return True
        message = f"{label} run {run}/{self.runs} {sample.status} after {sample.seconds:.1f} s"
        self.problems.append(f"{message}; log {log.relative_to(ROOT)}:\n{tail(log)}")
        say(f"N={self.n} {message}; remaining runs of it skipped. Log tail:\n{tail(log)}")
        return False

    def run(self) -> dict:
        say(f"N={self.n}: generating corpus…")
        shutil.rmtree(self.base, ignore_errors=True)
        self.info["corpus"] = synth.generate(self.n, self.project, self.args.seed, code_root=SNAPSHOT)
        self.measure_ours()
        self.measure_references()
        self.measure_floor()
        self.measure_peer()
        return self.result()

    def build(self, key: str, run: int, label: str, cold: bool = False) -> bool:
        """A build into the same site folder: a rebuild reuses the pages the previous build left."""
        site, log = self.base / "site", self.logs / f"{key}-{run}.log"
        if cold:
            shutil.rmtree(site, ignore_errors=True)
        sample = timed(
            [sys.executable, "-m", "build_scripts", "build", "-d", site], self.project, log, self.args.timeout
        )
        ok = self.record(key, run, sample, label, log)
        if ok and "pages_html" not in self.info:
            self.info["pages_html"] = html_pages(site)
        return ok

    def measure_ours(self) -> None:
        live = {"gen": True, "full": True}
        cache = self.base / "gen-cache"
        pristine = (self.project / "bib" / "library.bib").read_bytes()
        notes_dir = self.project / "content" / "notes"
        before = {p.name for p in notes_dir.iterdir()}
        for run in range(1, self.runs + 1):
            if live["gen"]:
                shutil.rmtree(cache, ignore_errors=True)
                out, log = self.base / "gen.json", self.logs / f"gen-{run}.log"
                out.unlink(missing_ok=True)
                sample = timed(
                    [sys.executable, "-c", CHILD, self.project / "mkdocs.yml", cache, out],
                    self.project,
                    log,
                    self.args.timeout,
                )
                data = json.loads(out.read_text()) if sample.status == "ok" and out.exists() else None
                if data and data["errors"]:
                    sample.status = "input errors: " + "; ".join(data["errors"][:3])
                if data and sample.status == "ok":
                    self.samples["gen_inproc"].append(
                        Sample(data["seconds"], sample.rss_mb, "ok", data["cpu"], sample.load)
                    )
                    self.nav = self.nav or data["nav"]
                    self.info["pages_generated"] = data["pages"]
                    say(
                        f"N={self.n} generator stage run {run}/{self.runs}: {data['seconds']:.1f} s in-process, "
                        f"{sample.seconds:.1f} s process (CPU {sample.cpu:.1f} s, {sample.rss_mb:.0f} MB, "
                        f"load {sample.load:.1f})"
                    )
                    self.samples["gen_process"].append(sample)
                else:
                    live["gen"] = self.record("gen_process", run, sample, "generator stage", log)
            if not live["full"]:
                continue
            shutil.rmtree(self.project / ".research-cache", ignore_errors=True)
            if not self.build("full_cold", run, "full build (cold)", cold=True):
                live["full"] = False
                continue
            new = self.base / f"added-{run}.bib"
            new.write_text(NEW_ENTRY.format(run=run), encoding="utf-8")
            log = self.logs / f"add-source-{run}.log"
            added = timed(
                [sys.executable, "-m", "build_scripts", "add-source", new], self.project, log, self.args.timeout
            )
            if added.status != "ok":
                (self.project / "bib" / "library.bib").write_bytes(pristine)
                self.problems.append(f"add-source run {run} {added.status}:\n{tail(log)}")
                say(f"N={self.n} add-source failed ({added.status}):\n{tail(log)}")
                live["full"] = False
                continue
            ok = self.build("full_add", run, "rebuild after add-source") and self.build(
                "full_nochange", run, "no-change rebuild"
            )
            edited = sorted(before)[run % len(before)]
            text = (notes_dir / edited).read_bytes()
            if ok:
                with (notes_dir / edited).open("a", encoding="utf-8") as note:
                    note.write(f"\nAn afterthought added by benchmark run {run}.\n")
                ok = self.build("full_edit", run, "edit one note, rebuild")
                (notes_dir / edited).write_bytes(text)
            if ok:
                ok = self.record(
                    "serve_save",
                    run,
                    self.serve_save(run, notes_dir / edited),
                    "serve: save to page",
                    self.logs / f"serve-{run}.log",
                )
                (notes_dir / edited).write_bytes(text)
            (self.project / "bib" / "library.bib").write_bytes(pristine)
            for path in notes_dir.iterdir():
                if path.name not in before:
                    path.unlink()
            live["full"] = ok
        shutil.rmtree(self.base / "site", ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)

    def measure_references(self) -> None:
        """Formatting the library's references alone (`benchmarks/references.py`): ms per reference."""
        try:
            self.info["references"] = references.measure(self.project / "bib" / "library.bib", self.runs, ENV)
        except (subprocess.CalledProcessError, ValueError, KeyError) as exc:
            self.problems.append(f"formatting references failed: {exc}")
            return
        found = self.info["references"]
        say(f"N={self.n} references: {found['cold_ms']:.2f} ms each cold, {found['cached_ms']:.2f} ms cached")

    def serve_save(self, run: int, note: Path) -> Sample:
        """`python -m build_scripts serve`: seconds from saving a note to the served page showing the change."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        log = self.logs / f"serve-{run}.log"
        cmd = [sys.executable, "-m", "build_scripts", "serve", "--dev-addr", f"127.0.0.1:{port}"]
        lines: list[str] = []
        with log.open("w") as out:
            proc = subprocess.Popen(cmd, cwd=self.project, stdout=subprocess.PIPE, stderr=out, env=ENV, text=True)
            reader = threading.Thread(target=lambda: lines.extend(proc.stdout or []), daemon=True)
            reader.start()
            try:
                deadline = time.monotonic() + self.args.timeout
                while not lines and proc.poll() is None and time.monotonic() < deadline:  # the first, full build
                    time.sleep(0.05)
                if not lines:
                    return Sample(0.0, 0.0, "serve did not build")
                # Edit once the server answers and its file watcher has taken stock (it polls every 0.1-0.5 s): an edit
                # made while the first build runs is not seen, in `mkdocs serve` as here.
                while not fetched(f"http://127.0.0.1:{port}/") and time.monotonic() < deadline:
                    time.sleep(0.05)
                time.sleep(1.0)
                marker = f"Benchmark marker {run}-{time.time_ns()}"
                url = f"http://127.0.0.1:{port}/notes/{note.stem}/"
                start = time.perf_counter()
                with note.open("a", encoding="utf-8") as file:
                    file.write(f"\n{marker}.\n")
                while time.perf_counter() - start < 60:
                    if marker in fetched(url):
                        seconds = time.perf_counter() - start
                        out.write("".join(lines))
                        return Sample(seconds, 0.0, "ok", load=os.getloadavg()[0])
                    time.sleep(0.02)
                out.write("".join(lines))
                return Sample(60.0, 0.0, "page not updated within 60 s")
            finally:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()

    def measure_floor(self) -> None:
        if not self.nav:
            self.problems.append("floor not measured: the generator stage produced no result")
            return
        folder = self.base / "floor"
        emitted = folder / "docs"
        log = self.logs / "emit.log"
        say(f"N={self.n}: emitting the generated pages for the floor (untimed)…")
        shutil.rmtree(self.project / ".research-cache", ignore_errors=True)
        emit = timed(
            [sys.executable, "-m", "build_scripts", "emit", "--pages-only", emitted],
            self.project,
            log,
            self.args.timeout,
        )
        if emit.status != "ok":
            self.problems.append(f"emit {emit.status}:\n{tail(log)}")
            return
        config = sites.floor_site(self.project, emitted, folder, self.nav)
        for run in range(1, self.runs + 1):
            site, log = folder / "site", self.logs / f"floor-{run}.log"
            shutil.rmtree(site, ignore_errors=True)
            sample = timed(
                [sys.executable, "-m", "mkdocs", "build", "-f", config, "-d", site], folder, log, self.args.timeout
            )
            if not self.record("floor", run, sample, "floor build", log):
                break
            self.info.setdefault("floor_pages_html", html_pages(site))
        shutil.rmtree(folder / "site", ignore_errors=True)

    def measure_peer(self) -> None:
        if self.args.no_peer:
            return
        try:
            python = ensure_peer_venv()
        except (OSError, subprocess.CalledProcessError) as exc:
            self.problems.append(f"peer not measured: could not create its venv ({exc})")
            return
        folder = self.base / "peer"
        config, pages = sites.peer_site(self.project, folder)
        self.info["peer_pages_md"] = pages
        for run in range(1, self.runs + 1):
            site, log = folder / "site", self.logs / f"peer-{run}.log"
            shutil.rmtree(site, ignore_errors=True)
            sample = timed([python, "-m", "mkdocs", "build", "-f", config, "-d", site], folder, log, self.args.timeout)
            if not self.record("peer", run, sample, "peer build", log):
                break
            if "peer_pages_html" not in self.info:
                self.info["peer_pages_html"] = html_pages(site)
                text = log.read_text(encoding="utf-8", errors="replace")
                self.info["peer_warnings"] = {
                    "total": text.count("WARNING -"),
                    "affixes (locators) not supported": text.count("Affixes not supported"),
                    "citation could not be formatted": text.count("Error formatting citation"),
                }
        shutil.rmtree(folder / "site", ignore_errors=True)

    def result(self) -> dict:
        return {
            "n": self.n,
            "runs": self.runs,
            "seed": self.args.seed,
            "code_version": code_version(SNAPSHOT),
            "samples": {k: [asdict(s) for s in v] for k, v in self.samples.items()},
            "info": self.info,
            "problems": self.problems,
        }


def snapshot() -> None:
    """Copy `build_scripts/` (theme overrides included) to work/snapshot: every build of this run uses that copy.

    Other engineers edit the generator while benchmarks run; a change would
    mix versions within one table and invalidate the build cache (its keys
    include a hash of the code) between a build and the rebuild timed after it.
    """
    shutil.rmtree(SNAPSHOT, ignore_errors=True)
    for name in ("build_scripts",):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, SNAPSHOT / name, ignore=shutil.ignore_patterns("__pycache__"))


def code_version(where: Path = ROOT) -> str:
    """Hash of the generator's sources in `where` (the repository or the snapshot), as its cache computes it."""
    done = subprocess.run(
        [sys.executable, "-c", "from build_scripts.cache import code_version; print(code_version())"],
        cwd=where,
        capture_output=True,
        text=True,
        env={**ENV, "PYTHONPATH": str(where)},
    )
    return done.stdout.strip() or "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="50,500,5000", help="comma-separated note counts (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=None, help="runs per measurement (default: 5; 3 for N >= 5000)")
    parser.add_argument(
        "--timeout",
        type=float,
        default=900,
        help="seconds before one process is stopped and reported as too slow (default: %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic projects (default: 1)")
    parser.add_argument("--no-peer", action="store_true", help="skip the mkdocs-bibtex peer (needs PyPI once)")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="measure nothing: rewrite results.md and results.svg from benchmarks/work/raw/",
    )
    args = parser.parse_args()
    if args.report_only:
        print(report(RAW, BENCH, set(), code_version()).split("\n## Every run")[0])
        return 0
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes numbers separated by commas, e.g. 50,500")
    if not sizes:
        parser.error("--sizes names no size")
    RAW.mkdir(parents=True, exist_ok=True)
    snapshot()
    say(
        f"generator: build_scripts/ copied to {SNAPSHOT.relative_to(ROOT)} (version {code_version(SNAPSHOT)}); "
        "every build of this run uses that copy"
    )
    text = ""
    for n in sizes:
        runs = args.runs or (3 if n >= 5000 else 5)
        result = SizeBench(n, runs, args).run()
        (RAW / f"n{n}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
        text = report(RAW, BENCH, set(sizes), code_version())
    print()
    print(text.split("\n## Every run")[0])
    print(f"written: {(BENCH / 'results.md').relative_to(ROOT)}, {(BENCH / 'results.svg').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
