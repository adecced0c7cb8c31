"""Pages drafted again only where what they read changed; after any edit, the pages equal a cold build's.

The generator keeps, for each page, what it read (a note's text, a source, the whole library, and
what every page reads: the settings, the notes' titles, facts and claims, the callouts' places,
the labels of the sources the notes draw on, the navigation). A seeded random sequence of edits
(edit, add and delete notes, add sources, a namesake source that turns "Baev 2021" into
"Baev 2021a", relabel a fact, change a position, add a disagreement, rename the site) is applied
to the mini project; after each, the project's generated pages are compared byte for byte with
those of a cold build of a copy.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from build_scripts import load_settings, pipeline
from build_scripts.cache import Cache
from build_scripts.model import Severity
from build_scripts.render import pages

from .conftest import write
from .test_incremental import Edits, differences


def generate(project: Path) -> Path:
    """Run the generator on `project` with its cache; the folder of generated pages."""
    settings = load_settings(project / "mkdocs.yml")
    result = pipeline.build(settings, Cache(settings.cache_dir))
    assert not [d for d in result.diagnostics if d.severity is Severity.ERROR]
    return settings.pages_dir


def cold_pages(project: Path, copy: Path) -> Path:
    """The generated pages of a copy of `project` built with no cache."""
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".research-cache", "site"))
    return generate(copy)


@pytest.fixture
def drafted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the pages drafted (and assembled) from now on, in order."""
    seen: list[str] = []
    assemble = pages.assemble

    def spy(drafts, ctx):  # type: ignore[no-untyped-def]
        seen.extend(d.state.page for d in drafts)
        return assemble(drafts, ctx)

    monkeypatch.setattr(pages, "assemble", spy)
    return seen


class MoreEdits(Edits):
    """Edits that reach other pages than the one edited, or none."""

    def edit_text(self) -> str:
        note = self.rng.choice(self.notes())
        with note.open("a", encoding="utf-8") as file:
            file.write(f"\nA sentence citing nothing, number {self.rng.randint(1, 999)}.\n")
        return f"edit the text of {note.name}"

    def add_namesake(self) -> str:
        """A second Baev 2021: the cited one's label becomes "Baev 2021a" wherever it shows."""
        self.added += 1
        key = f"baevbis{self.added}"
        entry = f"@book{{{key},\n  author = {{Baev, Pavel K.}},\n  title = {{Another Book {self.added}}},\n  year = {{2021}}\n}}\n"
        bib = self.project / "bib" / "library.bib"
        bib.write_text(bib.read_text(encoding="utf-8") + "\n" + entry, encoding="utf-8")
        return f"add namesake {key}"

    def change_position(self) -> str:
        topic = self.project / "content" / "topics" / "alpha.md"
        text = topic.read_text(encoding="utf-8")
        label = f"the partnership keeps growing ({self.rng.randint(1, 999)})"
        topic.write_text(re.sub(r"rising: .*", f"rising: {label}", text, count=1), encoding="utf-8")
        return f"change a position: {label}"

    def add_disagreement(self) -> str:
        self.added += 1
        write(self.project / "content" / "notes" / f"extra-{self.added}.md",
              f"---\nid: extra-{self.added}\ntitle: Extra note {self.added}\nsources: [lo2008]\ntopics: [alpha]\n"
              f"claims:\n  - {{fact: trade-2020, value: US$ {150 + self.added} billion, locator: p. 5}}\n---\n"
              "Lo gives another figure [@lo2008, p. 5].\n")  # fmt: skip
        return f"add a disagreement in extra-{self.added}"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pages_after_random_edits_equal_a_cold_build(mini, tmp_path, seed):
    rng = random.Random(seed)
    edits = MoreEdits(mini, rng)
    operations = [edits.edit_text, edits.edit_note, edits.add_note, edits.delete_note, edits.add_source,
                  edits.add_namesake, edits.change_fact, edits.change_position, edits.add_disagreement,
                  edits.change_config]  # fmt: skip
    generate(mini)
    steps = list(operations)
    rng.shuffle(steps)
    steps += rng.choices(operations, k=6)
    for number, step in enumerate(steps):
        what = step()
        warm = generate(mini)
        cold = cold_pages(mini, tmp_path / f"cold-{number}")
        assert differences(warm, cold) == [], f"after step {number} ({what})"
        shutil.rmtree(tmp_path / f"cold-{number}")


def test_editing_a_notes_text_drafts_its_page_and_few_others(mini, drafted):
    generate(mini)
    everything = len(drafted)
    drafted.clear()
    edited = MoreEdits(mini, random.Random(0)).edit_text().removeprefix("edit the text of ")
    generate(mini)
    assert f"notes/{edited}" in drafted or edited.removesuffix(".md") + ".md" in drafted
    assert len(drafted) <= everything // 2


def test_a_namesake_source_relabels_the_first_where_it_is_cited(mini, drafted):
    pages_dir = generate(mini)
    assert "Baev 2021," in (pages_dir / "notes" / "baev-note.md").read_text("utf-8")
    drafted.clear()
    MoreEdits(mini, random.Random(0)).add_namesake()
    generate(mini)
    assert re.search(r"Baev 2021[ab],", (pages_dir / "notes" / "baev-note.md").read_text("utf-8"))
    assert "notes/baev-note.md" in drafted


def test_a_source_no_note_draws_on_drafts_its_page_the_bibliography_and_home(mini, drafted):
    generate(mini)
    drafted.clear()
    bib = mini / "bib" / "library.bib"
    entry = "@book{solo2030,\n  author = {Solo, Han},\n  title = {Alone},\n  year = {2030}\n}\n"
    bib.write_text(bib.read_text(encoding="utf-8") + "\n" + entry, encoding="utf-8")
    generate(mini)
    assert sorted(drafted) == ["bibliography.md", "index.md", "sources/solo2030.md"]


def test_renaming_the_site_drafts_every_page_again(mini, drafted):
    generate(mini)
    everything = sorted(drafted)
    drafted.clear()
    Edits(mini, random.Random(0)).change_config()
    generate(mini)
    assert sorted(drafted) == everything


def test_add_source_drafts_the_new_pages_and_the_lists_alone(mini, drafted):
    generate(mini)
    everything = len(drafted)
    drafted.clear()
    Edits(mini, random.Random(0)).add_source()
    generate(mini)
    assert sorted(drafted) == ["bibliography.md", "index.md", "notes/index.md", "notes/new1.md",
                               "sources/new1.md"], everything  # fmt: skip
