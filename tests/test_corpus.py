"""The bundled corpus: complete, checked, cited, and in our own words."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from build_scripts import load_settings, pipeline

from .conftest import ROOT, outside
from .linkcheck import broken_links

pytestmark = pytest.mark.example


def seed_texts() -> dict[str, str]:
    """The seed texts, by file name; the tests that compare against them are skipped without them."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(outside("seeds").glob("*.txt"))}
    assert texts, f"the seed texts are missing: expected them in {outside('seeds')}"
    return texts


@pytest.fixture(scope="module")
def ctx():
    ctx, diags = pipeline.check(load_settings(ROOT / "mkdocs.yml"))
    assert ctx is not None, "\n".join(map(str, diags))
    assert diags == [], "check must report no warnings on the corpus:\n" + "\n".join(map(str, diags))
    return ctx


def test_every_seed_is_archived_in_the_project_and_has_notes(ctx):
    """Each seed's text is archived (byte for byte) and named by its entry's `file` field."""
    archived = {text.key: (ROOT / text.path).read_text(encoding="utf-8") for text in ctx.texts.values()}
    for name, seed in seed_texts().items():
        assert seed in archived.values(), f"{name} is not archived under bib/"
    assert len(archived) == len(seed_texts())
    assert set(archived) == {k for k in ctx.index.sources if ctx.claims_by_source.get(k)}  # the analysed ones
    for key in archived:
        assert any(key in n.sources for n in ctx.index.notes.values()), f"no note draws on {key}"


def test_every_paragraph_of_every_archived_source_is_accounted_for(ctx):
    """Read paragraph by paragraph: each non-empty line of a source feeds a claim or is passed over with a reason."""
    for key, text in ctx.texts.items():
        uses = ctx.paragraph_uses[key]
        assert [u.number for u in uses] == list(range(1, len(text.paragraphs) + 1)), key
        idle = [u.number for u in uses if not u.claims and not u.passed_over]
        assert not idle, f"{key}: paragraphs {idle} feed no claim and are not passed over"
        drawn = sum(1 for u in uses if u.claims)
        assert drawn >= len(uses) / 3, f"{key}: only {drawn} of {len(uses)} paragraphs feed a claim"


def test_every_outside_source_backs_a_reading(ctx):
    """A source without an archived text is outside data: cited by our readings or prose, never a seed."""
    references = set(ctx.index.sources) - {text.key for text in ctx.texts.values()}
    assert references, "the readings cite no outside source"
    readings = " ".join(f"{f.resolution or ''} {f.apparent or ''}" for f in ctx.index.facts.values())
    bodies = " ".join(n.body for n in ctx.index.notes.values())
    for key in references:
        assert f"@{key}" in readings + bodies, f"{key} is in bib/ but nothing cites it"
        assert not any(c.source == key for c in ctx.index.claims), f"{key} has claims but no archived text"


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
        assert claim.source in ctx.index.sources, claim
        assert claim.locator, claim


def test_disagreements_of_every_kind(ctx):
    issues = [i for v in ctx.inconsistencies.values() for i in v]
    kinds = Counter(i.kind for i in issues)
    assert {"numeric", "date", "assessment", "apparent", "internal"} <= set(kinds), kinds
    across = [i for i in issues if i.kind != "internal"]
    assert len(across) > 10
    for issue in across:
        assert len({c.source for c in issue.claims}) >= 2


def test_economic_page_has_a_multi_source_series(ctx):
    series = [f for f in ctx.index.facts.values() if f.series and "economic" in f.topics]
    sources = {c.source for f in series for c in ctx.claims_by_fact.get(f.id, [])}
    assert len(series) >= 2
    assert len(sources) >= 2


def _words(text: str) -> list[str]:
    """Words as a quotation counts them (split at whitespace), lower-case, without surrounding punctuation."""
    words = (w.strip("\"'“”‘’()[]{},.;:!?*_`#|>…") for w in text.lower().replace("’", "'").split())
    return [w for w in words if w]


def test_notes_are_in_our_own_words():
    """No run of 13 words from a source's text appears in a note (quotations are at most 12 words)."""
    n = 13
    shingles = set()
    for seed in (ROOT / "bib" / "texts").glob("*.txt"):  # the archived copies of the seeds
        words = _words(seed.read_text(encoding="utf-8"))
        shingles |= {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}
    for note in sorted((ROOT / "content").rglob("*.md")):
        words = _words(note.read_text(encoding="utf-8"))
        copied = [
            " ".join(words[i : i + n]) for i in range(len(words) - n + 1) if " ".join(words[i : i + n]) in shingles
        ]
        assert not copied, f"{note.relative_to(ROOT)} copies a seed: {copied[0]!r}"


def test_bundled_site_builds_strict(bundled_site):
    """`make site` on the bundled corpus: MkDocs --strict, API reference included."""
    site = bundled_site
    for page in [
        "index.html",
        "military/index.html",
        "economic/index.html",
        "space/index.html",
        "ukraine/index.html",
        "inconsistencies/index.html",
        "bibliography/index.html",
        "authoring/index.html",
        "reference/pipeline/index.html",
        "sources/baev2021/index.html",
    ]:
        assert (site / page).is_file(), page
    assert "build_scripts.pipeline.build" in (site / "reference/pipeline/index.html").read_text(encoding="utf-8")
    economic = (site / "economic/index.html").read_text(encoding="utf-8")
    assert 'class="research-chart"' in economic
    assert "admonition disagreement" in economic


def test_bundled_site_has_no_broken_links(bundled_site):
    assert broken_links(bundled_site) == []


_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def _fold(text: str) -> str:
    return " ".join(text.translate(_FOLD).replace(" - ", "-").replace("- ", "-").replace(" -", "-").split())


def test_quotations_appear_verbatim_in_the_seeds_at_their_paragraph(ctx):
    """Checked against the seed texts themselves, independently of the build's own matcher."""
    seeds = {
        key: text for key, text in ((t.key, (ROOT / t.path).read_text(encoding="utf-8")) for t in ctx.texts.values())
    }
    assert set(seeds.values()) <= set(seed_texts().values())
    found = 0
    for claim in ctx.index.claims:
        paragraphs = [line for line in seeds[claim.source].splitlines() if line.strip()]
        numbers = [int(n) for n in re.findall(r"\d+", claim.locator)]
        where = " ".join(_fold(paragraphs[n - 1]) for n in numbers if 0 < n <= len(paragraphs))
        parts = [_fold(p) for p in re.split(r"…|\.\.\.", claim.quote) if p.strip()]
        if parts and all(part in where for part in parts) and len(claim.quote.replace("…", " ").split()) <= 12:
            found += 1
    assert found == len(ctx.index.claims), f"{len(ctx.index.claims) - found} quotations not found where located"


def _site_words(site: Path) -> list[tuple[str, list[str]]]:
    from bs4 import BeautifulSoup

    out = []
    for path in sorted(site.rglob("*")):
        if path.suffix == ".html":
            out.append(
                (str(path), _words(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(" ")))
            )
        elif path.suffix in (".json", ".xml", ".txt", ".js"):
            out.append((str(path), _words(path.read_text(encoding="utf-8", errors="replace"))))
    return out


def test_the_site_publishes_no_run_of_25_words_of_an_archived_text(bundled_site):
    n = 25
    shingles = set()
    for seed in seed_texts().values():
        words = _words(seed)
        shingles |= {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}
    for path, words in _site_words(bundled_site):
        runs = (" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
        leaked = next((run for run in runs if run in shingles), None)
        assert leaked is None, f"{path} publishes {leaked!r}"


def test_deep_links_open_passages_of_their_own_source(ctx, bundled_site):
    """Every `#:~:text=` link decodes to words of the source whose address it extends."""
    from bs4 import BeautifulSoup

    from build_scripts.render import fragments

    by_url = {ref.url: key for key, ref in ctx.refs.items() if ref.url and key in ctx.texts}
    assert by_url, "no source with an archived text has an address"
    texts = {key: _fold(" ".join(ctx.texts[key].paragraphs)) for key in by_url.values()}
    links = 0
    for page in bundled_site.rglob("*.html"):
        for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all("a", href=True):
            if ":~:text=" not in a["href"]:
                continue
            base = a["href"].split("#")[0]
            assert base in by_url, f"{page}: deep link to an unknown address {a['href']}"
            start, end = fragments.decode(a["href"])
            text = texts[by_url[base]]
            assert _fold(start) in text, f"{page}: {a['href']}"
            assert _fold(end) in text, f"{page}: {a['href']}"
            links += 1
    assert links >= 50


def test_a_flagged_slip_shows_the_outside_data_that_backs_it(ctx, bundled_site):
    """Where a fact's resolution cites outside data for a suspected slip, the slip's reading links that source."""
    references = set(ctx.index.sources) - {text.key for text in ctx.texts.values()}
    flagged = {c.fact for c in ctx.index.claims if c.suspect}
    backed = {
        fid: key
        for fid in flagged
        for key in re.findall(r"@([\w-]+)", ctx.index.facts[fid].resolution)
        if key in references
    }
    assert backed, "no suspected slip is backed by outside data"
    pages = [BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser") for p in bundled_site.rglob("*.html")]
    for fid, key in backed.items():
        anchors = [(soup, soup.find(id=f"disagreement-internal-{fid}")) for soup in pages]
        shown = [(soup, box) for soup, el in anchors if el and (box := el.find_parent(class_="admonition"))]
        assert shown, f"the possible error on {fid} is shown in no callout"
        for soup, box in shown:
            reading = box.find(class_="research-reading")
            notes = " ".join(
                soup.find(id=a["href"][1:]).get_text(" ", strip=True)
                for a in reading.find_all("a", class_="footnote-ref")
            )
            assert ctx.index.sources[key].fields["url"] in notes, f"{fid}: its reading does not cite {key}"
