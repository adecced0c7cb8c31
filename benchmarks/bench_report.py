"""The report of `bench.py`: medians, ratios, targets and the chart, from the raw results in `work/raw/`."""

from __future__ import annotations

import json
import os
import platform
import statistics
from importlib import metadata
from pathlib import Path

import chart

METRICS = [  # key, label in the table
    ("gen_inproc", "generator stage (in-process)"),
    ("gen_process", "generator stage (process wall)"),
    ("full_cold", "full build, cold"),
    ("full_add", "rebuild after add-source"),
    ("full_nochange", "no-change rebuild"),
    ("full_edit", "edit one note, rebuild"),
    ("serve_save", "serve: save to page updated"),
    ("floor", "floor (MkDocs on emitted pages)"),
    ("peer", "peer (MkDocs + mkdocs-bibtex)"),
]


def medians(raw: dict) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for key, _ in METRICS:
        ok = [s for s in raw["samples"].get(key, []) if s["status"] == "ok"]
        out[key] = statistics.median(s["seconds"] for s in ok) if ok else None
        cpu = [s["cpu"] for s in ok if s.get("cpu")]
        out[key + "_cpu"] = statistics.median(cpu) if cpu and len(cpu) == len(ok) else None
    loads = [s.get("load", 0.0) for v in raw["samples"].values() for s in v]
    out["load"] = max(loads) if loads else None
    rss = [
        s["rss_mb"]
        for k in ("full_cold", "full_add", "full_nochange", "full_edit")
        for s in raw["samples"].get(k, [])
        if s["status"] == "ok"
    ]
    out["peak_rss"] = max(rss) if rss else None
    gen_rss = [s["rss_mb"] for s in raw["samples"].get("gen_process", []) if s["status"] == "ok"]
    out["gen_rss"] = max(gen_rss) if gen_rss else None
    return out


def _s(value: float | None) -> str:
    return "n/a" if value is None else f"{chart.seconds(value)} s"


def _ratio(a: float | None, b: float | None, percent: bool = False) -> str:
    if a is None or b is None or b == 0:
        return "n/a"
    return f"{100 * a / b:.0f} %" if percent else f"{a / b:.2f}×"


def _failed(raw: dict, key: str) -> str:
    bad = [s["status"] for s in raw["samples"].get(key, []) if s["status"] != "ok"]
    return f"failed: {bad[0]}" if bad else "n/a"


def targets(by_n: dict[int, dict], med: dict[int, dict]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) for each target; verdicts are reported only."""

    def get(n: int, key: str) -> float | None:
        return med.get(n, {}).get(key)

    def verdict(ok: bool | None) -> str:
        return "n/a (not measured)" if ok is None else ("met" if ok else "**missed**")

    def row(target: str, key_a: tuple[int, str], key_b: tuple[int, str], limit: float, percent: bool) -> tuple:
        a, b = get(*key_a), get(*key_b)
        ca, cb = get(key_a[0], key_a[1] + "_cpu"), get(key_b[0], key_b[1] + "_cpu")
        measured = f"{_ratio(a, b, percent)} (CPU time: {_ratio(ca, cb, percent)})"
        return target, measured, verdict(None if None in (a, b) else a <= limit * b)

    rows = [
        row(
            "edit one note, then rebuild ≤ 5 % of a cold build at N=500",
            (500, "full_edit"),
            (500, "full_cold"),
            0.05,
            True,
        ),
        row(
            "rebuild after add-source ≤ 10 % of a cold build at N=500", (500, "full_add"), (500, "full_cold"), 0.1, True
        ),
        row("cold full build ≤ 1.0× peer at N=500", (500, "full_cold"), (500, "peer"), 1.0, False),
        row("generator stage ≤ 10 % of the full build at N=500", (500, "gen_inproc"), (500, "full_cold"), 0.1, True),
        row("full build at N=5000 ≤ 11× the build at N=500", (5000, "full_cold"), (500, "full_cold"), 11, False),
    ]
    a, peer = get(500, "serve_save"), get(500, "peer")
    rows.append(
        (
            "serve: a saved note shows in the browser in ≤ 0.12× the peer's cold build at N=500",
            "n/a" if a is None or peer is None else f"{a:.2f} s, {a / peer:.3f}× the peer's {peer:.2f} s",
            verdict(None if a is None or peer is None else a <= 0.12 * peer),
        )
    )
    found = by_n.get(500, {}).get("info", {}).get("references")
    rows.append(
        (
            "references formatted in ≤ 1 ms each at N=500 (1,000 entries; cached, cold shown)",
            "n/a" if not found else f"{found['cached_ms']:.2f} ms cached, {found['cold_ms']:.2f} ms cold",
            verdict(None if not found else found["cached_ms"] <= 1.0),
        )
    )
    a = get(5000, "peak_rss")
    rows.append(
        (
            "peak memory ≤ 300 MB at N=5000",
            "n/a" if a is None else f"{a:.0f} MB",
            verdict(None if a is None else a <= 300),
        )
    )
    return rows


def report(raw_dir: Path, out_dir: Path, measured_now: set[int], current: str) -> str:  # noqa: C901 (one section of the report after another)
    """Write results.md and results.svg into `out_dir` from every raw result in `raw_dir`; returns the Markdown.

    `measured_now` are the sizes measured by this invocation (others are marked
    as from an earlier run; empty: mark none), `current` the version of
    `build_scripts/` now.
    """
    by_n = {}
    for path in sorted(raw_dir.glob("n*.json")):
        raw = json.loads(path.read_text())
        by_n[raw["n"]] = raw
    sizes = sorted(by_n)
    med = {n: medians(by_n[n]) for n in sizes}
    versions = sorted({by_n[n]["code_version"] for n in sizes})
    lines = [
        "# Benchmark results",
        "",
        "Written by `benchmarks/bench.py` (`make bench`); see its docstring for what each figure measures. "
        "Medians over the runs shown; every measurement is a fresh process. Projects come from "
        "`benchmarks/synth.py` (N notes of ~400 words, 5 citations and 2–4 claims each, 4 topics, "
        "2×N BibTeX entries).",
        "",
        "![Build times per corpus size (log scale)](results.svg)",
        "",
        "## Times",
        "",
        "| N | runs | pages (ours / peer) | generator stage in-process | generator process | full build, cold "
        "| rebuild after add-source | no-change rebuild | edit one note, rebuild | serve: save to page updated "
        "| peak RSS (full build) | floor | peer |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        raw, m, info = by_n[n], med[n], by_n[n]["info"]
        pages = f"{info.get('pages_generated', 'n/a')} / {info.get('peer_pages_md', 'n/a')}"
        cells = [
            _s(m[k]) if m[k] is not None else _failed(raw, k)
            for k in ("gen_inproc", "gen_process", "full_cold", "full_add", "full_nochange", "full_edit", "serve_save")
        ]
        rss = "n/a" if m["peak_rss"] is None else f"{m['peak_rss']:.0f} MB"
        mark = "" if not measured_now or n in measured_now else " (earlier run)"
        mark += f" (generator {raw['code_version']})" if len(versions) > 1 else ""
        lines.append(
            f"| {n:,}{mark} | {raw['runs']} | {pages} | "
            + " | ".join(cells)
            + f" | {rss} | {_s(m['floor']) if m['floor'] is not None else _failed(raw, 'floor')} "
            f"| {_s(m['peer']) if m['peer'] is not None else _failed(raw, 'peer')} |"
        )
    lines += [
        "",
        "## Ratios",
        "",
        "| N | ours / peer | ours / floor | generator / full build | add-source rebuild / cold "
        "| no-change / cold | edit one note / cold | cold vs the previous N |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for i, n in enumerate(sizes):
        m = med[n]
        prev = med[sizes[i - 1]]["full_cold"] if i else None
        growth = f"{_ratio(m['full_cold'], prev)} for {n // sizes[i - 1]}× the notes" if i and prev else "–"
        lines.append(
            f"| {n:,} | {_ratio(m['full_cold'], m['peer'])} | {_ratio(m['full_cold'], m['floor'])} "
            f"| {_ratio(m['gen_inproc'], m['full_cold'], True)} | {_ratio(m['full_add'], m['full_cold'], True)} "
            f"| {_ratio(m['full_nochange'], m['full_cold'], True)} "
            f"| {_ratio(m['full_edit'], m['full_cold'], True)} | {growth} |"
        )
    lines += [
        "",
        "## CPU time",
        "",
        "User + system seconds of each process and its children (median), which other work on the machine "
        "disturbs less than wall time; and the highest 1-minute load average seen at the end of a measurement "
        f"(the machine has {os.cpu_count()} CPUs; above that, other processes were competing).",
        "",
        "| N | generator stage | full build, cold | rebuild after add-source | no-change rebuild "
        "| edit one note, rebuild | floor | peer | highest load |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        m = med[n]
        cells = [
            _s(m[k + "_cpu"])
            for k in ("gen_inproc", "full_cold", "full_add", "full_nochange", "full_edit", "floor", "peer")
        ]
        load = "n/a" if not m["load"] else f"{m['load']:.1f}"
        lines.append(f"| {n:,} | " + " | ".join(cells) + f" | {load} |")
    lines += [
        "",
        "## Where the time goes",
        "",
        "MkDocs alone (the floor) against our whole build, and MkDocs' cost per rendered page. "
        "*Best possible ours / peer* is floor / peer: what our build would cost with a generator taking no "
        "time at all, since it renders about three times the peer's pages (one per source as well as per note).",
        "",
        "| N | floor / our cold build | ms per page: floor | ms per page: peer | best possible ours / peer |",
        "|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        m, info = med[n], by_n[n]["info"]
        per_floor = (
            f"{1000 * m['floor'] / info['floor_pages_html']:.1f}"
            if m["floor"] and info.get("floor_pages_html")
            else "n/a"
        )
        per_peer = (
            f"{1000 * m['peer'] / info['peer_pages_html']:.1f}" if m["peer"] and info.get("peer_pages_html") else "n/a"
        )
        lines.append(
            f"| {n:,} | {_ratio(m['floor'], m['full_cold'], True)} | {per_floor} | {per_peer} "
            f"| {_ratio(m['floor'], m['peer'])} |"
        )
    lines += [
        "",
        "`.venv/bin/python benchmarks/profile_stage.py N` times the generator's stages and profiles it "
        "(cProfile) at N notes.",
    ]
    lines += ["", "## Targets (reported, not enforced)", "", "| target | measured | |", "|---|---:|---|"]
    lines += [f"| {t} | {v} | {ok} |" for t, v, ok in targets(by_n, med)]
    lines += [
        "",
        "## Every run",
        "",
        "Seconds per run, in order; peak RSS of the generator-stage process in brackets.",
        "",
    ]
    for n in sizes:
        raw = by_n[n]
        lines.append(f"- **N={n:,}**")
        for key, label in METRICS:
            runs = raw["samples"].get(key, [])
            if runs:
                text = ", ".join(f"{s['seconds']:.2f}" if s["status"] == "ok" else s["status"] for s in runs)
                extra = f" [{med[n]['gen_rss']:.0f} MB]" if key == "gen_process" and med[n]["gen_rss"] else ""
                lines.append(f"  - {label}: {text}{extra}")
    lines += ["", "## Notes", ""]
    for n in sizes:
        info, problems = by_n[n]["info"], by_n[n]["problems"]
        corpus = info.get("corpus", {})
        bits = [
            f"{corpus.get('entries', '?')} BibTeX entries, {corpus.get('facts', '?')} facts, "
            f"{corpus.get('claims', '?')} claims, {corpus.get('disputed_facts', '?')} facts with disagreeing claims",
            f"HTML pages: ours {info.get('pages_html', 'n/a')}, floor {info.get('floor_pages_html', 'n/a')}, "
            f"peer {info.get('peer_pages_html', 'n/a')}",
        ]
        warnings = info.get("peer_warnings")
        if warnings:
            bits.append(
                "peer log: "
                + ", ".join(f"{v} {k}" for k, v in warnings.items() if k != "total")
                + f" ({warnings['total']} warnings in all)"
            )
        lines.append(f"- N={n:,}: " + "; ".join(bits) + ".")
        for problem in problems:
            first, _, rest = problem.partition("\n")
            lines.append(f"  - **problem**: {first}")
            if rest:
                lines += ["", "    ```", *("    " + r for r in rest.splitlines()), "    ```", ""]
    lines += [
        "- The peer does less: no per-source pages, bibliography page, claims tables, inconsistency callouts or "
        "charts; it formats references with pybtex's plain style, not CSL. Without pandoc (`csl_file` unset), "
        "mkdocs-bibtex drops every locator (`[@key, p. 3]` → a bare footnote, with a warning) and cannot format "
        "`@thesis` entries nor chapters that inherit their `booktitle` through `crossref` (it formats entries "
        "without the library, so crossref is not followed): those footnotes stay empty, with a warning.",
        "- The floor uses the same theme (with the project's overrides), Markdown extensions, `search` plugin and "
        "navigation as our build; it renders the emitted pages with no hook.",
        f"- Machine: {platform.machine()}, {os.cpu_count()} CPUs, {_memory()}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; MkDocs {_version('mkdocs')}, Material {_version('mkdocs-material')}; "
        f"generator version measured: {', '.join(versions)} (`build_scripts/` is copied to "
        f"`benchmarks/work/snapshot/` when a run starts, and every build of the run uses the copy); "
        f"`build_scripts/` when this report was written: {current}.",
    ]
    text = "\n".join(lines) + "\n"
    (out_dir / "results.md").write_text(text, encoding="utf-8")
    (out_dir / "results.svg").write_text(
        chart.bar_chart(med, "Build time by corpus size (median, seconds)"), encoding="utf-8"
    )
    return text


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GB RAM"
    except OSError:
        pass
    return "RAM unknown"
