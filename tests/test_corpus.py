"""The bundled corpus: complete, checked, cited, and in our own words."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from build_scripts import load_settings, pipeline
from build_scripts.model import Severity

from .conftest import ROOT, SHARED
from .linkcheck import broken_links

SEEDS = SHARED / "seeds"


@pytest.fixture(scope="module")
def ctx():
    ctx, diags = pipeline.check(load_settings(ROOT / "mkdocs.yml"))
    assert ctx is not None, "\n".join(map(str, diags))
    assert diags == [], "check must report no warnings on the corpus:\n" + "\n".join(map(str, diags))
    return ctx


def test_every_seed_is_in_the_library_and_has_notes(ctx):
    seeds = {p.stem for p in SEEDS.glob("*.txt")}
    recorded = {s.fields.get("seed") for s in ctx.index.sources.values()}
    assert seeds <= recorded
    for key in ctx.index.sources:
        assert any(key in n.sources for n in ctx.index.notes.values()), f"no note draws on {key}"


def test_four_topics_each_a_synthesis(ctx):
    assert [t.id for t in ctx.index.topics] == ["military", "economic", "space", "ukraine"]
    for topic in ctx.index.topics:
        sections = [line for line in topic.body.split("\n") if line.startswith("## ")]
        assert len(sections) >= 5, topic.id
        cited = {c.key for s in topic.spans for c in s.citations}
        assert len(cited) >= 3, f"{topic.id} cites {sorted(cited)}"


def test_every_claim_has_a_source_and_a_locator(ctx):
    assert ctx.index.claims
    for claim in ctx.index.claims:
        assert claim.source in ctx.index.sources and claim.locator, claim


def test_disagreements_of_every_kind(ctx):
    issues = [i for v in ctx.inconsistencies.values() for i in v]
    kinds = Counter(i.kind for i in issues)
    assert set(kinds) == {"numeric", "date", "categorical", "assessment", "internal"}, kinds
    across = [i for i in issues if i.kind != "internal"]
    assert len(across) > 10
    for issue in across:
        assert len({c.source for c in issue.claims}) >= 2


def test_economic_page_has_a_multi_source_series(ctx):
    series = [f for f in ctx.index.facts.values() if f.series and "economic" in f.topics]
    sources = {c.source for f in series for c in ctx.claims_by_fact.get(f.id, [])}
    assert len(series) >= 2 and len(sources) >= 2


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))


def test_notes_are_in_our_own_words():
    """No run of 13 words from a seed appears in a note (quotations are at most 12 words)."""
    n = 13
    shingles = set()
    for seed in SEEDS.glob("*.txt"):
        words = _words(seed.read_text(encoding="utf-8"))
        shingles |= {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}
    for note in sorted((ROOT / "content").rglob("*.md")):
        words = _words(note.read_text(encoding="utf-8"))
        copied = [" ".join(words[i:i + n]) for i in range(len(words) - n + 1) if " ".join(words[i:i + n]) in shingles]
        assert not copied, f"{note.relative_to(ROOT)} copies a seed: {copied[0]!r}"


def test_bundled_site_builds_strict(bundled_site):
    """`make site` on the bundled corpus: MkDocs --strict, API reference included."""
    site = bundled_site
    for page in ["index.html", "military/index.html", "economic/index.html", "space/index.html",
                 "ukraine/index.html", "inconsistencies/index.html", "bibliography/index.html",
                 "authoring/index.html", "reference/pipeline/index.html", "sources/baev2021/index.html"]:
        assert (site / page).is_file(), page
    assert "build_scripts.pipeline.build" in (site / "reference/pipeline/index.html").read_text(encoding="utf-8")
    economic = (site / "economic/index.html").read_text(encoding="utf-8")
    assert 'class="research-chart"' in economic and "admonition disagreement" in economic


def test_bundled_site_has_no_broken_links(bundled_site):
    assert broken_links(bundled_site) == []
